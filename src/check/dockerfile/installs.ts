import {
  commandText,
  type DockerfileFacts,
  environmentAt,
  mounts,
  type Stage,
  type Step,
} from '../../dockerfile/facts.js';
import { simpleCommands } from '../../dockerfile/shell.js';

/** One package manager command of a RUN, with the stage and step it is in. */
export interface InstallCommand {
  readonly stage: Stage;
  readonly step: Step;
  /** The command's words, from the program on. */
  readonly words: readonly string[];
  /** The package arguments (options and their values left out). */
  readonly packages: readonly string[];
}

const APT_VALUED = new Set(['-o', '--option', '-t', '--target-release', '-c', '--config-file']);
const PIP_VALUED = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '--src',
  '--upgrade-strategy',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--only-binary',
  '--no-binary',
  '--progress-bar',
  '--trusted-host',
  '--cache-dir',
  '--log',
  '--proxy',
  '--retries',
  '--timeout',
  '--exists-action',
  '--cert',
  '--client-cert',
  '--global-option',
  '-C',
  '--config-settings',
  '--report',
  '--python',
]);

/** The words after `install` that are packages: options, and the values options take, left out. */
function packageWords(after: readonly string[], valued: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < after.length; i += 1) {
    const word = after[i] as string;
    if (word.startsWith('-')) {
      if (valued.has(word)) i += 1;
      continue;
    }
    out.push(word);
  }
  return out;
}

const isPip = (word: string | undefined) => /^pip(\d+(\.\d+)?)?$/.test(word?.split('/').pop() ?? '');
const isPython = (word: string | undefined) => /^python(\d+(\.\d+)?)?$/.test(word?.split('/').pop() ?? '');

/** `pip install`, `pip3.13 install`, `python -m pip install`: the words from `install` on. */
function pipInstall(words: readonly string[]): string[] | undefined {
  let rest: readonly string[] | undefined;
  if (isPip(words[0])) rest = words.slice(1);
  else if (isPython(words[0])) {
    const m = words.indexOf('-m');
    if (m > 0 && isPip(words[m + 1])) rest = words.slice(m + 2);
  }
  if (!rest) return undefined;
  const install = rest.findIndex((w) => !w.startsWith('-'));
  return rest[install] === 'install' ? rest.slice(install + 1) : undefined;
}

// uv's global options that take a value (`uv --directory backend sync`).
const UV_VALUED = new Set([
  '--directory',
  '--project',
  '--config-file',
  '--cache-dir',
  '--color',
  '--python',
  '-p',
]);

/** `uv sync ...`, `uv --directory x sync ...`: commands whose uv subcommand is `sub` (not `uv pip sync`). */
export function uvCommands(script: string, sub: string): string[][] {
  return simpleCommands(script).filter((words) => {
    if (words[0]?.split('/').pop() !== 'uv') return false;
    for (let i = 1; i < words.length; i += 1) {
      const word = words[i] as string;
      if (!word.startsWith('-')) return word === sub;
      if (UV_VALUED.has(word)) i += 1;
    }
    return false;
  });
}

/** Every `apt-get install` (program `apt-get`, or `apt` when `apt` is given) of the Dockerfile. */
export function aptInstalls(dockerfile: DockerfileFacts, program: 'apt-get' | 'apt'): InstallCommand[] {
  return runCommands(dockerfile).flatMap(({ stage, step, words }) => {
    if (words[0]?.split('/').pop() !== program) return [];
    // The subcommand is the first word that is neither an option nor an option's value.
    let install = 1;
    while (words[install]?.startsWith('-')) install += APT_VALUED.has(words[install] as string) ? 2 : 1;
    if (words[install] !== 'install') return [];
    return [{ stage, step, words, packages: packageWords(words.slice(install + 1), APT_VALUED) }];
  });
}

export function pipInstalls(dockerfile: DockerfileFacts): InstallCommand[] {
  return runCommands(dockerfile).flatMap(({ stage, step, words }) => {
    const after = pipInstall(words);
    return after ? [{ stage, step, words, packages: packageWords(after, PIP_VALUED) }] : [];
  });
}

/** The simple commands of every RUN, in order. */
export function runCommands(
  dockerfile: DockerfileFacts,
): { stage: Stage; step: Step; words: readonly string[] }[] {
  return dockerfile.stages.flatMap((stage) =>
    stage.instructions
      .filter((step) => step.keyword === 'RUN')
      .flatMap((step) => simpleCommands(commandText(step)).map((words) => ({ stage, step, words }))),
  );
}

/** pip keeps no cache: --no-cache-dir, PIP_NO_CACHE_DIR, or a cache mount that holds it. */
export function pipCacheHandled(dockerfile: DockerfileFacts, command: InstallCommand): boolean {
  if (command.words.includes('--no-cache-dir')) return true;
  const env = environmentAt(dockerfile, command.stage, command.step).get('PIP_NO_CACHE_DIR');
  if (env !== undefined && !/^(0|false|no|off)$/i.test(env)) return true;
  return mounts(command.step).some(
    (mount) => mount.get('type') === 'cache' && /\.cache(\/pip)?\/?$/.test(mount.get('target') ?? ''),
  );
}
