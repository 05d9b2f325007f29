/**
 * Which distribution and release the image is, from os-release. Debian's /etc/os-release is a
 * symlink to /usr/lib/os-release, so both paths are read. The release decides the OSV ecosystem:
 * Debian records are per release (`Debian:13`), and a fix in one release says nothing of another.
 */
import type { FileSystem } from '../layers.js';

export interface OsRelease {
  readonly id: string;
  readonly versionId: string | undefined;
  readonly prettyName: string | undefined;
  /** OSV ecosystem of the OS packages, e.g. `Debian:13`; undefined for other distributions. */
  readonly ecosystem: string | undefined;
  /** purl `distro` qualifier, e.g. `debian-13`. */
  readonly distro: string | undefined;
}

export const OS_RELEASE_PATHS = ['etc/os-release', 'usr/lib/os-release'];

function parse(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1]) values[match[1]] = (match[2] ?? '').replace(/^(["'])(.*)\1$/, '$2');
  }
  return values;
}

export function readOsRelease(fs: FileSystem): OsRelease | undefined {
  for (const path of OS_RELEASE_PATHS) {
    const content = fs.files.get(path)?.content;
    if (!content) continue;
    const values = parse(content.toString('utf8'));
    const id = values.ID ?? 'linux';
    const versionId = values.VERSION_ID;
    // Debian's OSV ecosystem uses the major release only (`Debian:13`, not `Debian:13.8`).
    const major = versionId?.split('.')[0];
    return {
      id,
      versionId,
      prettyName: values.PRETTY_NAME,
      ecosystem: id === 'debian' && major ? `Debian:${major}` : undefined,
      distro: major ? `${id}-${major}` : undefined,
    };
  }
  return undefined;
}
