import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProjectError, UsageError } from '../errors.js';

/** The installed slipway package (the folder with package.json), from dist/util or src/util. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The bundled reference backend: what `--example` (and `npm run example`) runs on. */
export const exampleProject = join(packageRoot, 'examples', 'backend');

/** The test bed entry point, named in fix hints. */
export const testbedUp = join(packageRoot, 'scripts', 'testbed', 'up.sh');

/** Where a command finds its project: a path, the bundled example, or the folder it runs in. */
export interface ProjectLocation {
  /** Project folder. @default the current directory */
  readonly path?: string;
  /** Run on the bundled reference backend instead. @default false */
  readonly example?: boolean;
}

export interface ProjectDirOptions {
  /** The verb, for the fix hints (`slipway ship --example`). */
  readonly verb: string;
  /**
   * What else makes a folder worth running on without a pyproject.toml (check reads a Dockerfile
   * or manifests alone). @default nothing
   */
  readonly accept?: (dir: string) => boolean;
}

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();

/**
 * The project folder a command works on: the path given, the bundled example with `--example`,
 * else the current directory. Refuses (exit 2) a folder that holds no project, saying how to try
 * the example; a workspace root counts, since it has a pyproject.toml.
 */
export function projectDir(location: ProjectLocation, options: ProjectDirOptions): string {
  const { verb } = options;
  if (location.example && location.path !== undefined) {
    throw new UsageError(`give a project path or --example, not both`, {
      fix: `slipway ${verb} ${location.path}, or slipway ${verb} --example`,
    });
  }
  if (location.example) {
    if (!existsSync(join(exampleProject, 'pyproject.toml'))) {
      throw new ProjectError(`this installation of slipway has no bundled example (${exampleProject})`, {
        fix: 'clone the slipway repository and run `npm run example` there',
      });
    }
    return exampleProject;
  }
  const given = location.path !== undefined;
  const dir = resolve(location.path ?? process.cwd());
  if (!isDir(dir)) {
    throw new ProjectError(`${location.path ?? dir} is not a folder`, {
      fix: 'give the project folder, the one that holds pyproject.toml',
    });
  }
  if (existsSync(join(dir, 'pyproject.toml')) || options.accept?.(dir)) return dir;
  if (given) {
    throw new ProjectError(`no pyproject.toml in ${location.path}: slipway needs a FastAPI + uv project`, {
      fix: `give the folder that holds pyproject.toml (or create one there with \`uv init\`); to try the bundled example: slipway ${verb} --example`,
    });
  }
  const shown = relative(process.cwd(), dir) || dir;
  throw new ProjectError(
    `no pyproject.toml in this folder (${shown}): slipway works on the FastAPI + uv project in the folder you run it from`,
    {
      fix: `cd into your project (or give its path: slipway ${verb} path/to/project); to try the bundled example: slipway ${verb} --example`,
    },
  );
}
