import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { ProjectError } from '../../errors.js';
import { record } from '../objects.js';

const NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function kustomizationFile(dir: string): string | undefined {
  return NAMES.map((name) => join(dir, name)).find((file) => existsSync(file));
}

export interface Kustomization {
  readonly dir: string;
  readonly file: string;
  readonly spec: Record<string, unknown>;
}

export function readKustomization(dir: string): Kustomization {
  const file = kustomizationFile(dir);
  if (!file)
    throw new ProjectError(`${dir}: no kustomization.yaml`, {
      fix: `create ${join(dir, 'kustomization.yaml')}`,
    });
  const spec = record(parse(readFileSync(file, 'utf8')) as unknown);
  if (!spec) throw new ProjectError(`${file}: expected a Kustomization mapping`, { fix: `correct ${file}` });
  return { dir, file, spec };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Patch files of a kustomization (`patches[].path` and the older `patchesStrategicMerge`). */
export function patchFiles(k: Kustomization): string[] {
  const fromPatches = (Array.isArray(k.spec.patches) ? k.spec.patches : [])
    .map((item) => record(item)?.path)
    .filter((path): path is string => typeof path === 'string');
  return [...fromPatches, ...strings(k.spec.patchesStrategicMerge)].map((path) => join(k.dir, path));
}

/** `resources` split into folders (other kustomizations) and files. */
export function resourcePaths(k: Kustomization): { dirs: string[]; files: string[] } {
  const dirs: string[] = [];
  const files: string[] = [];
  for (const entry of strings(k.spec.resources)) {
    if (/^[a-z]+:\/\//.test(entry) || entry.includes('?ref=')) {
      throw new ProjectError(`${k.file}: remote resource ${entry} cannot be checked offline`, {
        fix: 'vendor the remote resource into the repository, or check the rendered output instead',
      });
    }
    const path = join(k.dir, entry);
    if (!existsSync(path))
      throw new ProjectError(`${k.file}: resource ${entry} does not exist`, {
        fix: `correct resources in ${k.file}`,
      });
    (statSync(path).isDirectory() ? dirs : files).push(path);
  }
  return { dirs, files };
}

/** Every YAML file a kustomization reads, resources before patches, depth first. */
export function sourceFiles(dir: string): string[] {
  const k = readKustomization(dir);
  const { dirs, files } = resourcePaths(k);
  return [...new Set([...dirs.flatMap(sourceFiles), ...files, ...patchFiles(k)])];
}

/** Kustomizations under `root` that no other one uses as a resource: the overlays to render. */
export function entryPoints(root: string): string[] {
  const all: string[] = [];
  const visit = (dir: string) => {
    if (kustomizationFile(dir)) all.push(dir);
    for (const entry of readdirSync(dir, { withFileTypes: true }))
      if (entry.isDirectory()) visit(join(dir, entry.name));
  };
  visit(root);
  const used = new Set(all.flatMap((dir) => resourcePaths(readKustomization(dir)).dirs));
  return all
    .filter((dir) => !used.has(dir))
    .sort((a, b) => relative(root, a).localeCompare(relative(root, b)));
}
