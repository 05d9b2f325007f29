import {
  commandText,
  copyArguments,
  type DockerfileFacts,
  environmentAt,
  lineage,
  mounts,
  type Stage,
  type Step,
  truthy,
} from '../../../dockerfile/facts.js';
import { uvCommands } from '../../dockerfile/installs.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule, Violation } from '../../types.js';

// What a dependency install may read before the source: the project's metadata, and the stub
// files a build backend needs to build it (a package's __init__.py or version file). Copying
// anything else first busts the install's cache on every edit.
const DEPENDENCY_FILES =
  /^(pyproject\.toml|uv\.lock|README[^/]*|LICEN[CS]E[^/]*|\.python-version|setup\.(py|cfg)|MANIFEST\.in|requirements[^/]*\.txt|__init__\.py|__about__\.py|_?version\.py|py\.typed)$/;

function sourcesOf(step: Step): string[] {
  if (step.keyword !== 'COPY' && step.keyword !== 'ADD') return [];
  if (step.flags.some((flag) => flag.name === 'from')) return [];
  return copyArguments(step)?.sources ?? [];
}

function globMatches(pattern: string, name: string): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${escaped}$`).test(name);
}

/** A source that is not metadata; a glob is metadata when it matches uv.lock but no module. */
function isSource(source: string): boolean {
  const name = source.replace(/\/+$/, '').split('/').pop() ?? '';
  if (DEPENDENCY_FILES.test(name)) return false;
  return !(/[*?]/.test(name) && globMatches(name, 'uv.lock') && !globMatches(name, 'main.py'));
}

function isSourceCopy(step: Step): boolean {
  return sourcesOf(step).some(isSource);
}

/** `COPY . .`, `COPY uv.lock ./`, `COPY *.lock ./`: a COPY of the context root or of uv.lock. */
function bringsLock(step: Step): boolean {
  return sourcesOf(step).some((source) => {
    const path = source.replace(/^\.\//, '');
    return path === '' || path === '.' || globMatches(path, 'uv.lock');
  });
}

/** The steps that run before `step` in its image: the stages it is built on, then its own. */
function before(dockerfile: DockerfileFacts, stage: Stage, step: Step): Step[] {
  const steps = lineage(dockerfile, stage).flatMap((s) => s.instructions);
  return steps.slice(0, steps.indexOf(step));
}

function flagValue(words: readonly string[], flag: string): string | undefined {
  const at = words.findIndex((word) => word === flag || word.startsWith(`${flag}=`));
  if (at < 0) return undefined;
  const word = words[at] as string;
  return word === flag ? words[at + 1] : word.slice(flag.length + 1);
}

/**
 * Why the sync cannot reuse uv's cache across builds, if it cannot: no cache mount on uv's cache
 * folder (--cache-dir, UV_CACHE_DIR, XDG_CACHE_HOME, else /root/.cache/uv), or the cache switched
 * off (--no-cache, UV_NO_CACHE), which makes any mount useless.
 */
function cacheProblem(dockerfile: DockerfileFacts, stage: Stage, step: Step): string | undefined {
  const env = environmentAt(dockerfile, stage, step);
  const words = uvCommands(commandText(step), 'sync')[0] ?? [];
  if (words.includes('--no-cache') || words.includes('-n') || truthy(env.get('UV_NO_CACHE'))) {
    return 'uv sync runs with its cache switched off (--no-cache or UV_NO_CACHE): every build downloads all packages again';
  }
  const xdg = env.get('XDG_CACHE_HOME');
  const dir = (
    flagValue(words, '--cache-dir') ??
    env.get('UV_CACHE_DIR') ??
    (xdg ? `${xdg}/uv` : '/root/.cache/uv')
  ).replace(/\/+$/, '');
  const nonRoot = before(dockerfile, stage, step).some(
    (s) => s.keyword === 'USER' && !/^(root|0)(:.*)?$/.test(s.args.trim()),
  );
  const cached = mounts(step).some((mount) => {
    if (mount.get('type') !== 'cache') return false;
    const target = (mount.get('target') ?? mount.get('dst') ?? mount.get('destination') ?? '').replace(
      /\/+$/,
      '',
    );
    // Another user's home is unknown here: any .cache/uv (or .cache) folder may be theirs.
    return dir === target || dir.startsWith(`${target}/`) || (nonRoot && /\/\.cache(\/uv)?$/.test(target));
  });
  return cached
    ? undefined
    : `uv sync runs without a cache mount on uv's cache (${dir}): every build downloads all packages again`;
}

function isSync(step: Step): boolean {
  return step.keyword === 'RUN' && uvCommands(commandText(step), 'sync').length > 0;
}

/** A bind mount of uv.lock, or of the whole context (no source, or `.`), in the RUN. */
function bindsLock(step: Step): boolean {
  return mounts(step).some((mount) => {
    if (mount.get('type') !== 'bind' || mount.has('from')) return false;
    const source = (mount.get('source') ?? mount.get('src') ?? '.').replace(/^\.\//, '');
    return /(^|\/)uv\.lock$/.test(source) || source === '.' || source === '';
  });
}

/**
 * The layer that installs dependencies is the slow one; it should be rebuilt when uv.lock changes,
 * not on every source edit, and it should reuse uv's download cache across builds.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D007',
  docs: 'docs/rules/SLW-D007.md',
  title: 'Dependencies installed before the source, with cache and bind mounts',
  severity: 'warning',
  scope: 'dockerfile',
  hint: 'first RUN --mount=type=cache,target=/root/.cache/uv --mount=type=bind,source=uv.lock,target=uv.lock --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --locked --no-install-project --no-dev, then COPY the source',
  run({ dockerfile }) {
    const out: Violation[] = [];
    for (const stage of dockerfile.stages) {
      const syncs = stage.instructions.filter(isSync);
      const first = syncs[0];
      if (!first) continue;
      // A stage built FROM one that installed the dependencies (a project stage) syncs on top of them.
      if (before(dockerfile, stage, first).some(isSync)) continue;
      const sourceCopy = stage.instructions.find((step) => isSourceCopy(step) && step.line < first.line);
      if (sourceCopy) {
        out.push(
          at(
            dockerfile,
            sourceCopy.line,
            `the source is copied (line ${sourceCopy.line}) before the dependencies are installed (line ${first.line}): every edit reinstalls them`,
          ),
        );
      }
      const cache = cacheProblem(dockerfile, stage, first);
      if (cache) out.push(at(dockerfile, first.line, cache));
      const lockCopied = before(dockerfile, stage, first).some(bringsLock);
      if (!bindsLock(first) && !lockCopied) {
        out.push(
          at(
            dockerfile,
            first.line,
            'uv sync does not see uv.lock: bind-mount it (or COPY it alone) before installing',
          ),
        );
      }
    }
    return out;
  },
};
