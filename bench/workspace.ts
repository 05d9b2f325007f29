import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { UvTool } from './uv-tool.js';

/** The files that decide which dependencies a recipe installs. */
export interface DepFiles {
  readonly pyproject: string;
  readonly lock: string;
  /** uv.lock exported for the pip recipe. */
  readonly requirements: string;
}

/**
 * Dependency changes are a different version of one small pure-Python package per repetition.
 * The files also carry the run's id in a comment: BuildKit's layer cache outlives a bench run,
 * and without it the next run's first variant would come straight from the cache.
 */
const EXTRA_DEPENDENCY = 'six';
const EXTRA_VERSIONS = [
  '1.17.0',
  '1.16.0',
  '1.15.0',
  '1.14.0',
  '1.13.0',
  '1.12.0',
  '1.11.0',
  '1.10.0',
  '1.9.0',
];
/** The file a "source-only change" edits. */
const SOURCE_FILE = join('src', 'inventory_api', 'main.py');
/** Local state of the backend that no build context needs (and the .dockerignore drops anyway). */
const SKIP = new Set(['.venv', '.pytest_cache', '__pycache__', '.ruff_cache']);

export async function copyProject(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true, filter: (source) => !SKIP.has(basename(source)) });
}

/** The base dependency files plus one variant per repetition, locked with uv in parallel. */
export async function prepareDependencies(
  backend: string,
  scratch: string,
  uv: UvTool,
  reps: number,
  runId: string,
): Promise<{ base: DepFiles; variants: DepFiles[] }> {
  const base: DepFiles = {
    pyproject: await readFile(join(backend, 'pyproject.toml'), 'utf8'),
    lock: await readFile(join(backend, 'uv.lock'), 'utf8'),
    requirements: await uv.exportRequirements(backend),
  };
  const versions = EXTRA_VERSIONS.slice(0, reps);
  if (versions.length < reps) throw new Error(`at most ${EXTRA_VERSIONS.length} repetitions`);
  const variants = await Promise.all(
    versions.map(async (version, index) => {
      const dir = join(scratch, `deps-${index}`);
      await copyProject(backend, dir);
      const marker = `# slipway bench run ${runId}\n`;
      const pyproject = marker + withDependency(base.pyproject, `${EXTRA_DEPENDENCY}==${version}`);
      await writeFile(join(dir, 'pyproject.toml'), pyproject);
      const lock = await uv.lock(dir);
      await writeFile(join(dir, 'uv.lock'), lock);
      return { pyproject, lock, requirements: (await uv.exportRequirements(dir)) + marker };
    }),
  );
  return { base, variants };
}

function withDependency(pyproject: string, requirement: string): string {
  const marker = 'dependencies = [\n';
  if (!pyproject.includes(marker)) throw new Error(`pyproject.toml has no '${marker.trim()}' list to extend`);
  return pyproject.replace(marker, `${marker}    "${requirement}",\n`);
}

/** One recipe's private copy of the backend: its build context, edited between builds. */
export class BuildContext {
  private constructor(
    readonly dir: string,
    private readonly originalSource: string,
    private readonly withRequirements: boolean,
  ) {}

  /** withRequirements: the recipe installs from requirements.txt (only its context gets one). */
  static async create(backend: string, dir: string, withRequirements: boolean): Promise<BuildContext> {
    await mkdir(dir, { recursive: true });
    await copyProject(backend, dir);
    return new BuildContext(dir, await readFile(join(backend, SOURCE_FILE), 'utf8'), withRequirements);
  }

  /** Back to the backend as committed (plus the given dependency files). */
  async reset(deps: DepFiles): Promise<void> {
    await writeFile(join(this.dir, SOURCE_FILE), this.originalSource);
    await this.setDependencies(deps);
  }

  async setDependencies(deps: DepFiles): Promise<void> {
    await writeFile(join(this.dir, 'pyproject.toml'), deps.pyproject);
    await writeFile(join(this.dir, 'uv.lock'), deps.lock);
    if (this.withRequirements) await writeFile(join(this.dir, 'requirements.txt'), deps.requirements);
  }

  /** A source-only change: a new line in the app's main module, different every time. */
  async editSource(nonce: string): Promise<void> {
    await writeFile(join(this.dir, SOURCE_FILE), `${this.originalSource}\n# bench edit ${nonce}\n`);
  }
}
