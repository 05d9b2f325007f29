/**
 * Python distributions from their core metadata: `<name>.dist-info/METADATA` (wheels, uv, pip)
 * and `<name>.egg-info/PKG-INFO` (old setuptools installs), in any site-packages or
 * dist-packages folder: the app's virtual environment and the system Python alike.
 */
import { posix } from 'node:path';
import { PackageURL } from 'packageurl-js';
import type { FileSystem } from '../layers.js';
import { cpesOf } from './cpe.js';
import { type Fields, first, headers } from './fields.js';
import type { Package } from './package.js';

const METADATA = /(?:^|\/)(?:site|dist)-packages\/[^/]+\.(?:dist-info\/METADATA|egg-info\/PKG-INFO)$/;
const RECORD = /(?:^|\/)(?:site|dist)-packages\/[^/]+\.dist-info\/RECORD$/;

export function isPythonMetadataFile(path: string): boolean {
  return METADATA.test(path) || RECORD.test(path);
}

/** PEP 503: names compare lowercased, with runs of `-`, `_` and `.` as one `-`. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

// Trove classifiers that name exactly one SPDX license; the others ("BSD License",
// "Apache Software License") do not say which version or variant, so they stay names.
const CLASSIFIER_SPDX: Record<string, string> = {
  'MIT License': 'MIT',
  'ISC License (ISCL)': 'ISC',
  'Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'Python Software Foundation License': 'PSF-2.0',
  'The Unlicense (Unlicense)': 'Unlicense',
  'Zope Public License': 'ZPL-2.1',
};

/** License-Expression (PEP 639) first, then a short License field, then the classifiers. */
function licensesOf(fields: Fields): string[] {
  const expression = first(fields, 'License-Expression');
  if (expression) return [expression];
  const license = first(fields, 'License');
  // Some projects paste the whole license text into this field: that is no name.
  if (license && !license.includes('\n') && license.length <= 80 && !/^unknown$/i.test(license))
    return [license];
  const classifiers = (fields.get('classifier') ?? [])
    .filter((c) => c.startsWith('License ::'))
    .map((c) => c.split('::').at(-1)?.trim() ?? '')
    .filter((name) => name !== '' && name !== 'OSI Approved')
    .map((name) => CLASSIFIER_SPDX[name] ?? name);
  return [...new Set(classifiers)];
}

function recordPaths(fs: FileSystem, infoDir: string): string[] {
  const record = fs.files.get(`${infoDir}/RECORD`)?.content;
  if (!record) return [];
  const base = posix.dirname(infoDir);
  return record
    .toString('utf8')
    .split('\n')
    .map((line) => line.split(',')[0] ?? '')
    .filter((path) => path !== '')
    .map((path) => posix.normalize(posix.join(base, path)))
    .filter((path) => fs.files.has(path));
}

export function catalogPython(fs: FileSystem): Package[] {
  const packages: Package[] = [];
  for (const file of fs.files.values()) {
    if (!file.content || !METADATA.test(file.path)) continue;
    const fields = headers(file.content.toString('utf8'));
    const name = first(fields, 'Name');
    const version = first(fields, 'Version');
    if (!name || !version) continue;
    const infoDir = posix.dirname(file.path);
    packages.push({
      type: 'python',
      name: normalizePythonName(name),
      version,
      purl: new PackageURL('pypi', undefined, normalizePythonName(name), version, undefined).toString(),
      licenses: licensesOf(fields),
      cpes: cpesOf({
        type: 'python',
        name: normalizePythonName(name),
        version,
        author: first(fields, 'Author'),
        authorEmail: first(fields, 'Author-email'),
      }),
      location: `/${infoDir}`,
      layer: file.layer,
      paths: recordPaths(fs, infoDir),
    });
  }
  return packages;
}
