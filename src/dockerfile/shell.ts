import { type ParseEntry, parse } from 'shell-quote';

/**
 * Just enough shell reading for the rules: the simple commands of a RUN line, each as its words.
 * The words are shell-quote's (quotes, escapes, operators); this module only cuts the script into
 * the lines shell-quote reads one at a time and sorts its tokens into commands. What is read:
 * - `&&`, `||`, `;`, `|`, `&`, newlines, `(`/`)` of subshells end a command;
 * - a redirection's target is not a word, nor the fd before it (`2>&1`, `>/dev/null`, `&>log`);
 * - `$VAR`, `${VAR:-x}` stay as written (the rules see the script, not a build's environment);
 * - `$(...)` and `<(...)` are one word of their command, and the commands inside are commands too,
 *   since they run; backquotes and substitutions inside double quotes stay words and are not read;
 * - heredoc bodies are commands when a shell runs them (`RUN <<EOF`, `bash <<EOF`), else data;
 * - `VAR=x`, `sudo`/`env`/`exec` with their options, and reserved words (`then`, `do`, `{`, `!`)
 *   before a command are dropped so that the program comes first.
 * One imprecision stays: shell-quote does not say whether words touch, so `echo 2 > f` loses its
 * `2` as if it were the fd of `2>f`.
 */
export function simpleCommands(script: string): string[][] {
  return readScript(script.replace(/\r\n/g, '\n'))
    .map(stripPrefixes)
    .filter((command) => command.length > 0);
}

/** `uv sync ...`, `apt-get install ...`: the commands whose first words are `program sub`. */
export function commandsOf(script: string, program: string, sub?: string): string[][] {
  return simpleCommands(script).filter(
    (words) =>
      (words[0] === program || words[0]?.endsWith(`/${program}`)) &&
      (sub === undefined || words.includes(sub)),
  );
}

type Token = Exclude<ParseEntry, string> | string;

const SEPARATORS = new Set(['&&', '||', ';', ';;', ';&', ';;&', '|', '|&', '&', '(', ')']);
const REDIRECTIONS = new Set(['>', '>>', '>|', '<', '<>', '>&', '<&', '&>', '&>>', '<<', '<<-', '<<<']);
const HEREDOCS = new Set(['<<', '<<-']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);
/**
 * shell-quote expands `$NAME` itself, and its env callback cannot keep them as written: it is given
 * `A` for both `${A}b` and `$Ab`, and `${X:-a b}` unquoted throws. So it never sees a `$` (but for
 * `$'...'`): this character, a private-use one absent from Dockerfiles, stands in for it and is
 * turned back after.
 */
const DOLLAR = '\uE000';

interface Heredoc {
  readonly delimiter: string;
  readonly stripTabs: boolean;
  /** The command it feeds, as read so far (filled in until the line ends). */
  readonly command: string[];
}

/** All commands of a script: line by line, then the heredoc bodies those lines open. */
function readScript(text: string): string[][] {
  const commands: string[][] = [];
  let at = 0;
  while (at < text.length) {
    const { line, next } = logicalLine(text, at);
    at = next;
    const heredocs: Heredoc[] = [];
    commands.push(...readLine(tokensOf(line), heredocs));
    for (const heredoc of heredocs) {
      const body: string[] = [];
      while (at < text.length) {
        const end = text.indexOf('\n', at);
        const raw = text.slice(at, end < 0 ? text.length : end);
        at = end < 0 ? text.length : end + 1;
        const content = heredoc.stripTabs ? raw.replace(/^\t+/, '') : raw;
        if (content === heredoc.delimiter) break;
        body.push(content);
      }
      if (runsAsScript(heredoc.command, body)) commands.push(...readScript(body.join('\n')));
    }
  }
  return commands;
}

/**
 * The next line as the shell reads it, from `at` to an unquoted newline: continuations joined,
 * quotes and comments tracked so that a newline inside quotes or an apostrophe in a comment do not
 * end or open anything. A `#` inside a word is escaped, as the shell reads it as a letter and
 * shell-quote would start a comment there (`sed s#a#b#`).
 */
function logicalLine(text: string, at: number): { line: string; next: number } {
  let line = '';
  let quote: string | undefined;
  let wordStart = true;
  for (let i = at; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quote === "'") {
      if (c === quote) quote = undefined;
      line += c;
    } else if (c === '\\') {
      if (text[i + 1] !== '\n') line += c + (text[i + 1] ?? '');
      wordStart = false;
      i += 1;
    } else if (quote) {
      // `"..."`, or `$'...'` in which a backslash escapes a quote too.
      if (c === quote.at(-1)) quote = undefined;
      line += c;
    } else if (c === '\n') {
      return { line, next: i + 1 };
    } else if (c === '#') {
      if (!wordStart) line += '\\#';
      else {
        // A comment, left for shell-quote to report; it runs to the end of the line.
        const end = text.indexOf('\n', i);
        line += text.slice(i, end < 0 ? text.length : end);
        return { line, next: end < 0 ? text.length : end + 1 };
      }
    } else {
      if (c === '"') quote = c;
      else if (c === "'") quote = line.endsWith('$') && !line.endsWith('\\$') ? "$'" : c;
      wordStart = /[\s;&|()<>]/.test(c);
      line += c;
    }
  }
  return { line, next: text.length };
}

function tokensOf(line: string): Token[] {
  const back = (text: string) => text.replaceAll(DOLLAR, '$');
  // `$'...'` is a quote, not an expansion: shell-quote decodes it.
  return parse(line.replace(/\$(?!')/g, DOLLAR)).map((token) => {
    if (typeof token === 'string') return back(token);
    if ('pattern' in token) return back(token.pattern);
    return token;
  });
}

/** The commands of one line's tokens (globs already words); heredocs it opens go to `heredocs`. */
function readLine(tokens: readonly Token[], heredocs: Heredoc[]): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  const end = () => {
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] as Token;
    const next = tokens[i + 1];
    if (typeof token === 'string') {
      const opensSubstitution = token.endsWith('$') && isOp(next, '(');
      if (opensSubstitution || (/^\d+$/.test(token) && isOp(next, ...REDIRECTIONS))) {
        // `$(`: read below, with the `(`; a number before a redirection is its fd, not a word.
        if (opensSubstitution) i = substitution(tokens, i + 1, token, words, commands, heredocs);
        continue;
      }
      words.push(token);
    } else if ('comment' in token) {
      break;
    } else if (token.op === '<(' || token.op === '>(') {
      i = substitution(tokens, i, '', words, commands, heredocs);
    } else if (REDIRECTIONS.has(token.op)) {
      // The target is a file (or fd, or heredoc delimiter), never an argument.
      if (HEREDOCS.has(token.op) && typeof next === 'string')
        heredocs.push({ delimiter: next, stripTabs: token.op === '<<-', command: words });
      if (typeof next === 'string') i += 1;
    } else if (SEPARATORS.has(token.op)) {
      end();
    }
  }
  end();
  return commands;
}

/**
 * `$(...)`, `<(...)`, `>(...)` starting at the opening token `open`: the whole becomes one word of
 * the current command (`prefix` is what was before `$`), the commands inside are commands too.
 * Returns the index of the closing `)`.
 */
function substitution(
  tokens: readonly Token[],
  open: number,
  prefix: string,
  words: string[],
  commands: string[][],
  heredocs: Heredoc[],
): number {
  let depth = 0;
  let close = open;
  for (; close < tokens.length; close += 1) {
    const token = tokens[close];
    if (isOp(token, '(', '<(', '>(')) depth += 1;
    else if (isOp(token, ')')) depth -= 1;
    if (depth === 0) break;
  }
  const inner = tokens.slice(open + 1, close);
  const opener = (tokens[open] as { op: string }).op;
  words.push(`${prefix}${opener}${spaced(inner)})`);
  // `$((1 + 2))` is arithmetic: no commands in it.
  if (!(opener === '(' && isOp(inner[0], '('))) commands.push(...readLine(inner, heredocs));
  return close;
}

/** Tokens written back for display, without spaces inside parentheses: `$((1 + 2))`. */
function spaced(tokens: readonly Token[]): string {
  let text = '';
  tokens.forEach((token, i) => {
    const shown = typeof token === 'string' ? token : 'op' in token ? token.op : `#${token.comment}`;
    const previous = tokens[i - 1];
    const joined =
      i === 0 ||
      isOp(token, ')') ||
      isOp(previous, '(', '<(', '>(') ||
      (isOp(token, '(') && typeof previous === 'string' && previous.endsWith('$'));
    text += joined ? shown : ` ${shown}`;
  });
  return text;
}

function isOp(token: Token | undefined, ...ops: string[]): boolean {
  return typeof token === 'object' && 'op' in token && ops.includes(token.op);
}

/**
 * BuildKit runs `RUN <<EOF` (no command) with the shell, or with the body's `#!` interpreter;
 * `sh <<EOF` and `bash -e <<EOF` read it as their script; any other program reads data
 * (`cat <<EOF > file`, `python <<EOF`).
 */
function runsAsScript(command: readonly string[], body: readonly string[]): boolean {
  const program = stripPrefixes(command);
  if (program.length === 0) {
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(body[0] ?? '');
    if (!shebang) return true;
    const interpreter = shebang[1]?.endsWith('/env') ? shebang[2] : shebang[1];
    return SHELLS.has(interpreter?.split('/').pop() ?? '');
  }
  return SHELLS.has(program[0]?.split('/').pop() ?? '') && !program.includes('-c');
}

/** Wrappers that run the rest of their words, with their options that take a value. */
const WRAPPERS = new Map<string, ReadonlySet<string>>([
  ['sudo', new Set(['-u', '-g', '-C', '-D', '-p', '-r', '-t', '-T', '-U', '-R', '--user', '--group'])],
  ['env', new Set(['-u', '-C', '--unset', '--chdir'])],
  ['exec', new Set(['-a'])],
]);
/** Reserved words that can stand before a command (`if x; then apt-get ...`, `{ a; }`). */
const RESERVED = new Set(['!', '{', '}', 'if', 'then', 'elif', 'else', 'fi', 'while', 'until', 'do', 'done']);

function stripPrefixes(command: readonly string[]): string[] {
  let start = 0;
  while (start < command.length) {
    const word = command[start] as string;
    const valued = WRAPPERS.get(word);
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || RESERVED.has(word)) start += 1;
    else if (valued) {
      start += 1;
      // `sudo -E -u app cmd`: the wrapper's options and their values are not the program.
      while (command[start]?.startsWith('-')) {
        const option = command[start] as string;
        start += option === '--' || !valued.has(option) ? 1 : 2;
        if (option === '--') break;
      }
    } else break;
  }
  return command.slice(start);
}
