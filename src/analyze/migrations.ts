import { existsSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { composeFiles } from '../adopt/compose.js';
import { findDockerfiles, generatedBySlipway } from '../dockerfile/discover.js';
import type { MigrationStep } from './model.js';

/**
 * How a project migrates its database before the app serves, in this order:
 *   1. `[tool.slipway] migrate = "..."` (said by hand, so it wins);
 *   2. a prestart or entrypoint script the project already runs (named in one of its Dockerfiles or
 *      compose files) that migrates: a prestart script is run whole; from an entrypoint that also
 *      starts the server only its migration commands are taken, so the step ends;
 *   3. alembic: `alembic.ini` whose `script_location` exists, with alembic among the dependencies.
 * Pure reading.
 */
export interface MigrationsInput {
  readonly root: string;
  /** Folders whose compose file counts (the project, its workspace root, the parent). */
  readonly composeDirs: readonly string[];
  readonly dependencies: readonly string[];
  /** `[tool.slipway] migrate`. */
  readonly configured: string | undefined;
}

const SHELL_SYNTAX = /[;&|$<>(){}*?`'"\\]/;
const SCRIPT_REF =
  /(?:^|[\s"'[,=])((?:\.{0,2}\/)?[\w./-]*(?:pre-?start|entrypoint|migrate|start)[\w.-]*\.sh)\b/gi;
const MIGRATES =
  /^\s*(?:exec\s+)?(?:uv\s+run\s+)?(?:alembic\b.*\bupgrade\b|python\d*(?:\.\d+)?\s+(?:-m\s+)?\S*migrat\S*|\S*manage\.py\s+migrate\b|yoyo\s+apply\b|piccolo\s+migrations\s+forwards\b|aerich\s+upgrade\b)/;
const SERVES =
  /^\s*(?:exec\s+)?(?:uv\s+run\s+)?(?:uvicorn|gunicorn|hypercorn|granian|fastapi\s+(?:run|dev))\b|^\s*exec\s+"\$@"/;

/** A command line as argv: split on spaces when it has no shell syntax, else `sh -c`. */
export function commandArgv(line: string): string[] {
  const trimmed = line.trim();
  return SHELL_SYNTAX.test(trimmed) ? ['sh', '-c', trimmed] : trimmed.split(/\s+/);
}

/** Scripts named by the project's Dockerfiles and compose files, relative to the root, that exist. */
function scriptsRun(root: string, composeDirs: readonly string[]): { path: string; by: string }[] {
  const sources = [...findDockerfiles(root).map((path) => join(root, path)), ...composeFiles(composeDirs)];
  const out: { path: string; by: string }[] = [];
  for (const file of sources) {
    const raw = readFileSync(file, 'utf8');
    // slipway's own Dockerfile copies the script because of this very step: it proves nothing.
    if (generatedBySlipway(raw)) continue;
    // A COPY or ADD line moves a script; only a RUN, CMD, ENTRYPOINT or compose command runs it.
    const text = raw
      .split('\n')
      .filter((line) => !/^\s*(COPY|ADD)\s/i.test(line))
      .join('\n');
    for (const match of text.matchAll(SCRIPT_REF)) {
      const written = match[1] ?? '';
      // `/app/scripts/prestart.sh` in the image is `scripts/prestart.sh` in the project.
      const candidates = [written, written.replace(/^\/?app\//, ''), written.replace(/^\.?\//, '')].map((p) =>
        posix.normalize(p.replace(/^\.\//, '')),
      );
      const path = candidates.find(
        (p) => !p.startsWith('/') && !p.startsWith('..') && existsSync(join(root, p)),
      );
      if (path && !out.some((seen) => seen.path === path)) {
        out.push({ path, by: relative(root, file).split('\\').join('/') || file });
      }
    }
  }
  return out;
}

/** The logical lines of a shell script, without comments and blank lines, continuations joined. */
function scriptLines(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '' && !/^set\s+-/.test(line));
}

function fromScript(root: string, script: { path: string; by: string }): MigrationStep | undefined {
  const text = readFileSync(join(root, script.path), 'utf8');
  const lines = scriptLines(text);
  const migrating = lines.filter((line) => MIGRATES.test(line));
  const prestart = /pre-?start/i.test(posix.basename(script.path));
  if (migrating.length === 0 && !prestart) return undefined;
  const serves = lines.some((line) => SERVES.test(line));
  if (!serves) {
    const shell = /^#!\s*\S*\/(?:env\s+)?(bash|sh|dash)\b/.exec(text)?.[1] ?? 'sh';
    // `python app/backend_pre_start.py`: a file the script runs by path must be in the image too.
    const scripts = lines.flatMap((line) =>
      [...line.matchAll(/\bpython[\d.]*\s+((?:\.\/)?[\w./-]+\.py)\b/g)].map((m) =>
        posix.normalize(m[1] ?? ''),
      ),
    );
    return {
      command: [shell, script.path],
      source: 'prestart-script',
      why: `${script.path} (run by ${script.by})`,
      files: [script.path, ...new Set(scripts.filter((path) => existsSync(join(root, path))))],
    };
  }
  if (migrating.length === 0) return undefined;
  // The entrypoint also starts the server: only its migration commands make the step.
  const command =
    migrating.length === 1 ? commandArgv(migrating[0] ?? '') : ['sh', '-c', migrating.join(' && ')];
  return {
    command: command[0] === 'exec' ? command.slice(1) : command,
    source: 'prestart-script',
    why: `the migration commands of ${script.path} (run by ${script.by}; it also starts the server)`,
    files: [],
  };
}

/** `script_location` of alembic.ini, relative to the root (`%(here)s/` removed). */
function alembicLocation(root: string): string | undefined {
  const file = join(root, 'alembic.ini');
  if (!existsSync(file)) return undefined;
  const match = /^\s*script_location\s*=\s*(.+?)\s*$/m.exec(readFileSync(file, 'utf8'));
  const location = match?.[1]?.replace(/^%\(here\)s\/?/, '').replace(/^\.\//, '');
  return location && existsSync(join(root, location)) ? posix.normalize(location) : undefined;
}

export function findMigrations(input: MigrationsInput): MigrationStep | undefined {
  if (input.configured !== undefined) {
    return {
      command: commandArgv(input.configured),
      source: 'slipway-config',
      why: '[tool.slipway] migrate',
      files: [],
    };
  }
  for (const script of scriptsRun(input.root, input.composeDirs)) {
    const step = fromScript(input.root, script);
    if (step) return step;
  }
  const location = input.dependencies.includes('alembic') ? alembicLocation(input.root) : undefined;
  if (location === undefined) return undefined;
  return {
    command: ['alembic', 'upgrade', 'head'],
    source: 'alembic',
    why: `alembic.ini (script_location ${location})`,
    files: ['alembic.ini', location],
  };
}
