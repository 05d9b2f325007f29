/** All catalogers together, and the files they need kept while the layers are walked. */
import type { FileSystem } from '../layers.js';
import { catalogDpkg, isDpkgFile } from './dpkg.js';
import { OS_RELEASE_PATHS, type OsRelease, readOsRelease } from './os-release.js';
import type { Package } from './package.js';
import { catalogPython, isPythonMetadataFile } from './python.js';

export type { OsRelease } from './os-release.js';
export type { Package } from './package.js';

export function isCatalogFile(path: string): boolean {
  return OS_RELEASE_PATHS.includes(path) || isDpkgFile(path) || isPythonMetadataFile(path);
}

export interface Catalog {
  readonly os: OsRelease | undefined;
  readonly packages: readonly Package[];
}

export function catalog(fs: FileSystem): Catalog {
  const os = readOsRelease(fs);
  const packages = [...catalogDpkg(fs, os?.distro), ...catalogPython(fs)].sort(
    (a, b) =>
      a.type.localeCompare(b.type) || a.name.localeCompare(b.name) || a.location.localeCompare(b.location),
  );
  return { os, packages };
}
