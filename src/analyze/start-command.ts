import { parse } from 'shell-quote';

/**
 * What an ASGI server command line says it serves: `uvicorn pkg.main:app --factory`,
 * `gunicorn -k uvicorn.workers.UvicornWorker main:app`, `granian --interface asgi main:app`,
 * `hypercorn main:app`, `fastapi run app/main.py`. Wrappers (`uv run`, `python -m`, `exec`,
 * `sh -c "..."`, env assignments) are peeled off; `&&` / `;` chains are searched in order.
 */
export interface ServedTarget {
  readonly server: 'uvicorn' | 'gunicorn' | 'granian' | 'hypercorn' | 'fastapi';
  /** `module:attribute` form; unset for `fastapi run` given a path or nothing. */
  readonly module: string | undefined;
  readonly attribute: string | undefined;
  readonly factory: boolean;
  /** `fastapi run <path>`: the file, relative to where the command runs. */
  readonly path: string | undefined;
  /** `--app-dir` / `--chdir`: the folder the server imports from, relative to where it runs. */
  readonly appDir: string | undefined;
  readonly script?: undefined;
}

/** A server command, or the shell script (`./start.sh`, `bash scripts/start.sh`) to read next. */
export type CommandReading = ServedTarget | { readonly script: string };

const SERVERS = new Set(['uvicorn', 'gunicorn', 'granian', 'hypercorn', 'fastapi']);
// Leading words that run the next word: package runners and shells' builtins.
const RUNNERS = new Set([
  'exec',
  'poetry',
  'pdm',
  'pipenv',
  'hatch',
  'rye',
  'env',
  'nohup',
  'dumb-init',
  'tini',
]);
const TARGET = /^([A-Za-z_][\w.]*):([A-Za-z_]\w*)(\(.*\))?$/;
// Options of the servers (and of `uv run`) that take a value: the value is never the app.
const VALUED = new Set([
  '--host',
  '--port',
  '--workers',
  '-w',
  '--log-level',
  '--env-file',
  '--root-path',
  '--app-dir',
  '--chdir',
  '-b',
  '--bind',
  '-k',
  '--worker-class',
  '-c',
  '--config',
  '--interface',
  '--uds',
  '--timeout',
  '-t',
  '--timeout-graceful-shutdown',
  '--forwarded-allow-ips',
  '--log-config',
  '--limit-concurrency',
  '--backlog',
  '--loop',
  '--http',
  '--ws',
  '--lifespan',
  '--app',
  '--threads',
  '--keep-alive',
  '--access-logfile',
  '--error-logfile',
  '--graceful-timeout',
  '--max-requests',
  '--name',
  '--entrypoint',
  '-e',
  '--package',
  '--extra',
  '--group',
  '--with',
  '--python',
  '-p',
  '--project',
  '--directory',
  '--reload-dir',
  '--ssl-keyfile',
  '--ssl-certfile',
  '--proxy-headers-ips',
  '--blocking-threads',
  '--runtime-threads',
  '--log-level',
  '--access-log',
  '--pid',
  '--user',
  '--group',
]);

type Token = string | { readonly op: string };

/** Splits a shell command line into simple commands (on `&&`, `||`, `;`, `|`). */
function simpleCommands(line: string): string[][] {
  let tokens: Token[];
  try {
    // Variables stay as written (`$PORT`): they are never the app.
    tokens = parse(line, (name) => `$${name}`) as Token[];
  } catch {
    return [];
  }
  const out: string[][] = [[]];
  for (const token of tokens) {
    if (typeof token === 'string') out.at(-1)?.push(token);
    else if ('op' in token && ['&&', '||', ';', '|', '&'].includes(token.op)) out.push([]);
  }
  return out.filter((c) => c.length > 0);
}

/** The first thing the command line serves (or the script it runs), in command order. */
export function readCommand(line: string | readonly string[]): CommandReading | undefined {
  const commands = typeof line === 'string' ? simpleCommands(line) : [[...line]];
  for (const command of commands) {
    const found = readSimple(command);
    if (found) return found;
  }
  return undefined;
}

function readSimple(words: string[]): CommandReading | undefined {
  let rest = words.filter((w) => w !== '');
  for (let guard = 0; guard < 10 && rest.length > 0; guard++) {
    const [head = '', ...tail] = rest;
    const base = head.split('/').pop() ?? head;
    if (/^[A-Za-z_]\w*=/.test(head)) rest = tail;
    else if ((base === 'sh' || base === 'bash') && tail[0] === '-c' && tail[1] !== undefined)
      return readCommand(tail[1]);
    else if (base === 'sh' || base === 'bash') rest = tail.filter((w) => !w.startsWith('-'));
    else if (base.endsWith('.sh')) return { script: head };
    else if (base === 'uv' && tail[0] === 'run') rest = skipOptions(tail.slice(1));
    else if (RUNNERS.has(base)) rest = skipOptions(tail[0] === 'run' ? tail.slice(1) : tail);
    else if (/^python(3(\.\d+)?)?$/.test(base) && tail[0] === '-m') rest = tail.slice(1);
    else if (/^\.venv\/bin\/|^\/.*\/bin\//.test(head) && SERVERS.has(base)) rest = [base, ...tail];
    else break;
  }
  const [server, ...args] = rest;
  if (!server || !SERVERS.has(server)) return undefined;
  return serverArgs(server as ServedTarget['server'], args);
}

/** Drops the runner's own options (`uv run --no-sync --env-file .env uvicorn ...`). */
function skipOptions(words: string[]): string[] {
  let i = 0;
  while (i < words.length && words[i]?.startsWith('-')) i += VALUED.has(words[i] ?? '') ? 2 : 1;
  return words.slice(i);
}

function serverArgs(server: ServedTarget['server'], args: string[]): ServedTarget | undefined {
  const options = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg.startsWith('-')) {
      const eq = arg.indexOf('=');
      if (eq > 0) options.set(arg.slice(0, eq), arg.slice(eq + 1));
      else if (VALUED.has(arg)) options.set(arg, args[++i] ?? '');
      else flags.add(arg);
    } else positional.push(arg);
  }
  const appDir = options.get('--app-dir') ?? options.get('--chdir');
  if (server === 'fastapi') {
    const [verb, path] = positional;
    if (verb !== 'run' && verb !== 'dev') return undefined;
    const entry = TARGET.exec(options.get('--entrypoint') ?? options.get('-e') ?? '');
    if (entry?.[1] && entry[2])
      return { server, module: entry[1], attribute: entry[2], factory: false, path: undefined, appDir };
    return { server, module: undefined, attribute: options.get('--app'), factory: false, path, appDir };
  }
  const target = positional.map((p) => TARGET.exec(p)).find((m) => m !== null);
  if (!target?.[1] || !target[2]) return undefined;
  // gunicorn and hypercorn call `module:factory()`; uvicorn and granian take --factory.
  const factory = target[3] !== undefined || flags.has('--factory');
  return { server, module: target[1], attribute: target[2], factory, path: undefined, appDir };
}
