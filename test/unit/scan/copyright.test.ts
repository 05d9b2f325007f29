import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyrightLicenses } from '../../../src/scan/catalog/copyright.js';
import { packageLicenses } from '../../../src/scan/catalog/debian-license-names.js';
import { catalog } from '../../../src/scan/catalog/index.js';
import type { FileSystem, ImageFile } from '../../../src/scan/layers.js';
import { repoRoot } from '../../helpers/cli.js';

const fixture = (name: string) =>
  readFileSync(join(repoRoot, 'test', 'fixtures', 'scan', 'copyright', `${name}.copyright`), 'utf8');
const licenses = (name: string) => packageLicenses(copyrightLicenses(fixture(name)));

describe('licenses from a Debian copyright file', () => {
  it('reads a DEP-5 file by its Files paragraphs, Files: * first, as one SPDX expression', () => {
    expect(copyrightLicenses(fixture('dep5'))).toEqual(['GPL-2+', 'BSD-3-clause', 'GPL-2+ or Artistic']);
    expect(licenses('dep5')).toEqual([
      'GPL-2.0-or-later AND BSD-3-Clause AND (GPL-2.0-or-later OR Artistic-1.0)',
    ]);
  });

  it('keeps a name with no SPDX id as written, and skips a License field that is prose', () => {
    expect(licenses('dep5-custom')).toEqual(['LGPL-2.1-or-later', 'BSD-3-clause-Berkeley']);
  });

  it('reads the standalone License paragraphs when no Files paragraph names one', () => {
    expect(licenses('dep5-standalone')).toEqual(['MIT']);
  });

  it('reads free text: a common-licenses reference takes its version from the GNU sentence', () => {
    expect(licenses('gpl-text')).toEqual(['GPL-2.0-or-later']);
    expect(licenses('lgpl-reference')).toEqual(['LGPL-2.1-only']);
    expect(licenses('apache-text')).toEqual(['Apache-2.0']);
  });

  it('gives no license (NOASSERTION in SPDX) when the file names none', () => {
    expect(licenses('no-license')).toEqual([]);
  });
});

function file(path: string, content?: string, extra: Partial<ImageFile> = {}): [string, ImageFile] {
  const base = { path, type: 'file' as const, mode: 0o644, uid: 0, gid: 0, linkname: '', layer: 0 };
  const size = content?.length ?? 0;
  return [path, { ...base, size, ...(content ? { content: Buffer.from(content) } : {}), ...extra }];
}

describe('Debian packages get the license of their copyright file', () => {
  const status = [
    'Package: libfoo1',
    'Status: install ok installed',
    'Architecture: amd64',
    'Version: 1.0-1',
    '',
    'Package: libfoo-dev',
    'Status: install ok installed',
    'Architecture: amd64',
    'Version: 1.0-1',
    '',
    'Package: nodoc',
    'Status: install ok installed',
    'Version: 2',
    '',
  ].join('\n');
  const fs: FileSystem = {
    files: new Map([
      file('var/lib/dpkg/status', status),
      file('usr/share/doc/libfoo1/copyright', fixture('dep5')),
      // libfoo-dev's doc folder is a link to libfoo1's, as Debian does for packages of one source.
      file('usr/share/doc/libfoo-dev', undefined, { type: 'symlink', linkname: 'libfoo1' }),
    ]),
    hidden: [],
    layerCount: 1,
  };

  it('reads its own file, follows a linked doc folder, and leaves a package without one unknown', () => {
    const byName = new Map(catalog(fs).packages.map((p) => [p.name, p.licenses]));
    const dep5 = ['GPL-2.0-or-later AND BSD-3-Clause AND (GPL-2.0-or-later OR Artistic-1.0)'];
    expect(byName.get('libfoo1')).toEqual(dep5);
    expect(byName.get('libfoo-dev')).toEqual(dep5);
    expect(byName.get('nodoc')).toEqual([]);
  });
});
