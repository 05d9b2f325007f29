/**
 * Just enough shell reading for the rules: the simple commands of a RUN line, each as its words.
 * Quotes are honoured so that `echo "a && b"` stays one command; expansions are left as written.
 */
export function simpleCommands(script: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let quote: '"' | "'" | undefined;
  const endWord = () => {
    if (word !== '') words.push(word);
    word = '';
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  const text = script.replace(/\\\r?\n/g, ' ');
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[i + 1];
      i += 1;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '\n' || c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
      endCommand();
    } else if (c === '#' && word === '') {
      // A comment runs to the end of the line.
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
    } else {
      word += c;
    }
  }
  endCommand();
  // `VAR=x cmd`, `sudo cmd` and `env cmd` run cmd: drop the prefix so rules see the program first.
  return commands.map(stripPrefixes).filter((command) => command.length > 0);
}

function stripPrefixes(command: string[]): string[] {
  let start = 0;
  while (start < command.length) {
    const word = command[start] as string;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || word === 'sudo' || word === 'env' || word === 'exec')
      start += 1;
    else break;
  }
  return command.slice(start);
}

/** `uv sync ...`, `apt-get install ...`: the commands whose first words are `program sub`. */
export function commandsOf(script: string, program: string, sub?: string): string[][] {
  return simpleCommands(script).filter(
    (words) =>
      (words[0] === program || words[0]?.endsWith(`/${program}`)) &&
      (sub === undefined || words.includes(sub)),
  );
}
