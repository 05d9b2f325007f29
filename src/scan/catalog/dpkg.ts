/**
 * Debian packages from the dpkg database: /var/lib/dpkg/status (what apt and dpkg write) and
 * /var/lib/dpkg/status.d/* (one file per package, as distroless images have it, without a
 * Status field). Licenses from /usr/share/doc/<pkg>/copyright (copyright.ts); a package whose
 * doc folder is a link to another's (libgcc-s1 → gcc-14-base) reads that one's file.
 */
import { posix } from 'node:path';
import { PackageURL } from 'packageurl-js';
import type { FileSystem } from '../layers.js';
import { copyrightLicenses } from './copyright.js';
import { cpesOf } from './cpe.js';
import { packageLicenses } from './debian-license-names.js';
import { type Fields, first, stanzas } from './fields.js';
import type { Package } from './package.js';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = 'var/lib/dpkg/status.d/';
const INFO = 'var/lib/dpkg/info/';
const DOC = 'usr/share/doc/';
const COPYRIGHT = /^usr\/share\/doc\/[^/]+\/copyright$/;

export function isDpkgFile(path: string): boolean {
  return (
    path === STATUS ||
    COPYRIGHT.test(path) ||
    (path.startsWith(STATUS_D) && !path.endsWith('.md5sums')) ||
    (path.startsWith(INFO) && path.endsWith('.list'))
  );
}

/** `Source: util-linux (2.41.5-0+deb13u1)` → name and version; without a version, the binary's. */
function sourceOf(fields: Fields, name: string, version: string): { name: string; version: string } {
  const raw = first(fields, 'Source');
  if (!raw) return { name, version };
  const match = /^(\S+)(?:\s+\((.+)\))?$/.exec(raw.trim());
  return { name: match?.[1] ?? name, version: match?.[2] ?? version };
}

function installed(fields: Fields): boolean {
  const status = first(fields, 'Status');
  // status.d records carry no Status: their presence means installed.
  return status === undefined || /\binstalled$/.test(status);
}

function pathsOf(fs: FileSystem, name: string, architecture: string | undefined): string[] {
  const list = fs.files.get(`${INFO}${name}:${architecture}.list`) ?? fs.files.get(`${INFO}${name}.list`);
  if (!list?.content) return [];
  return list.content
    .toString('utf8')
    .split('\n')
    .map((line) => line.replace(/^\/+/, ''))
    .filter((path) => path !== '' && fs.files.get(path)?.type === 'file');
}

/** The package's copyright file, following a symlinked doc folder (or file) a few links deep. */
function copyrightText(fs: FileSystem, name: string): string | undefined {
  let path = `${DOC}${name}/copyright`;
  for (let hops = 0; hops < 4; hops++) {
    const file = fs.files.get(path);
    if (file?.content) return file.content.toString('utf8');
    if (file?.type === 'symlink') {
      path = posix.normalize(posix.join(posix.dirname(path), file.linkname)).replace(/^\/+/, '');
      continue;
    }
    const dir = fs.files.get(posix.dirname(path));
    if (dir?.type !== 'symlink') return undefined;
    const target = posix.normalize(posix.join(posix.dirname(posix.dirname(path)), dir.linkname));
    path = `${target.replace(/^\/+/, '')}/copyright`;
  }
  return undefined;
}

/** Licenses by copyright text: the packages of one source share one file (util-linux, login…). */
type LicenseMemo = Map<string, readonly string[]>;

function licensesOf(fs: FileSystem, fields: Fields, name: string, memo: LicenseMemo): string[] {
  // status.d records (distroless) may carry the Debian name themselves.
  const declared = first(fields, 'License');
  if (declared) return packageLicenses([declared]);
  const text = copyrightText(fs, name);
  if (!text) return [];
  const licenses = memo.get(text) ?? packageLicenses(copyrightLicenses(text));
  memo.set(text, licenses);
  return [...licenses];
}

export function catalogDpkg(fs: FileSystem, distro: string | undefined): Package[] {
  const records = [...fs.files.values()].filter(
    (file) =>
      file.content && (file.path === STATUS || (file.path.startsWith(STATUS_D) && isDpkgFile(file.path))),
  );
  const packages: Package[] = [];
  const memo: LicenseMemo = new Map();
  for (const record of records) {
    for (const fields of stanzas((record.content as Buffer).toString('utf8'))) {
      const name = first(fields, 'Package');
      const version = first(fields, 'Version');
      if (!name || !version || !installed(fields)) continue;
      const architecture = first(fields, 'Architecture');
      const qualifiers: Record<string, string> = {};
      if (architecture) qualifiers.arch = architecture;
      if (distro) qualifiers.distro = distro;
      packages.push({
        type: 'deb',
        name,
        version,
        purl: new PackageURL('deb', 'debian', name, version, qualifiers).toString(),
        licenses: licensesOf(fs, fields, name, memo),
        cpes: cpesOf({ type: 'deb', name, version }),
        location: `/${record.path}`,
        layer: record.layer,
        paths: pathsOf(fs, name, architecture),
        source: sourceOf(fields, name, version),
        ...(architecture ? { architecture } : {}),
      });
    }
  }
  return packages;
}
