import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerEngine } from '../src/engines/engine.js';
import { exec } from '../src/util/exec.js';
import type { Cleanup } from './cleanup.js';
import { copyProject } from './workspace.js';

/**
 * A private copy of the reference backend that `slipway ship` and `slipway verify` run on. Its
 * `[tool.slipway] image.name` is the bench's own (`slipway-bench/ship-<pid>`): with the project's
 * name, slipway would tag `inventory-api:0.1.0`, which the tests and other work on the same
 * engine use, and the bench's cleanup would delete their image.
 */
export class ShipProject {
  /** Every image id seen under the bench's repository: each build leaves the previous one untagged. */
  private readonly ids = new Set<string>();

  private constructor(
    private readonly engine: ContainerEngine,
    readonly dir: string,
    readonly repository: string,
  ) {}

  static async create(
    engine: ContainerEngine,
    cleanup: Cleanup,
    backend: string,
    dir: string,
  ): Promise<ShipProject> {
    const repository = `slipway-bench/ship-${process.pid}`;
    const project = new ShipProject(engine, dir, repository);
    cleanup.add(`${repository} images and their containers`, () => project.remove());
    await copyProject(backend, dir);
    const file = join(dir, 'pyproject.toml');
    await writeFile(file, withImageName(await readFile(file, 'utf8'), repository));
    return project;
  }

  /** The tags under the bench's repository now (`slipway-bench/ship-<pid>:0.1.0`), their ids remembered. */
  async refs(): Promise<string[]> {
    const { stdout } = await exec(
      'docker',
      ['images', '--no-trunc', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}', this.repository],
      { allowFailure: true },
    );
    const refs: string[] = [];
    for (const line of stdout.split('\n').filter(Boolean)) {
      const [ref, id] = line.split(' ');
      if (ref) refs.push(ref);
      if (id) this.ids.add(id);
    }
    return refs;
  }

  /** Containers of any image the bench built here that still exist: slipway should leave none. */
  async containers(): Promise<string[]> {
    const found = new Set<string>();
    for (const id of this.ids) {
      const { stdout } = await exec('docker', ['ps', '--all', '--quiet', '--filter', `ancestor=${id}`], {
        allowFailure: true,
      });
      for (const container of stdout.split('\n').filter(Boolean)) found.add(container);
    }
    return [...found];
  }

  private async remove(): Promise<void> {
    const refs = await this.refs();
    await this.engine.removeContainers(await this.containers());
    await this.engine.removeImages([...refs, ...this.ids]);
  }
}

/** pyproject.toml with `[tool.slipway] image = { name = ... }` (refused if it names an image already). */
export function withImageName(pyproject: string, name: string): string {
  const line = `image = { name = "${name}" }`;
  const table = /^\[tool\.slipway\]\s*$/m;
  if (/^\[tool\.slipway\.image\]/m.test(pyproject) || /^\[tool\.slipway\][^[]*^image\s*=/ms.test(pyproject)) {
    throw new Error('the backend already sets [tool.slipway] image: the bench cannot give it its own name');
  }
  if (table.test(pyproject)) return pyproject.replace(table, (header) => `${header}\n${line}`);
  return `${pyproject.trimEnd()}\n\n[tool.slipway]\n${line}\n`;
}
