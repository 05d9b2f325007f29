import { describe, expect, it } from 'vitest';
import { spdxOfDebian, spdxOfName } from '../../../src/scan/catalog/debian-license-names.js';

describe('Debian license short names as SPDX', () => {
  it.each([
    ['GPL-2+', 'GPL-2.0-or-later'],
    ['GPL-2', 'GPL-2.0-only'],
    ['GPL-3.0', 'GPL-3.0-only'],
    ['GPL-2.0+', 'GPL-2.0-or-later'],
    ['LGPL-2.1+', 'LGPL-2.1-or-later'],
    ['LGPL-3', 'LGPL-3.0-only'],
    ['LGPL-2.0-or-later', 'LGPL-2.0-or-later'],
    ['GFDL-NIV-1.3+', 'GFDL-1.3-no-invariants-or-later'],
    ['BSD-3-clause', 'BSD-3-Clause'],
    ['BSD-2-Clause', 'BSD-2-Clause'],
    ['Expat', 'MIT'],
    ['public-domain', 'LicenseRef-public-domain'],
    ['ZLIB', 'Zlib'],
    ['Artistic', 'Artistic-1.0'],
    ['Artistic-2', 'Artistic-2.0'],
    ['Apache-2.0', 'Apache-2.0'],
    ['CC0-1.0', 'CC0-1.0'],
    ['CC-BY-3.0', 'CC-BY-3.0'],
    ['MPL-2.0', 'MPL-2.0'],
    ['0BSD', '0BSD'],
  ])('%s → %s', (name, spdx) => {
    expect(spdxOfName(name)).toBe(spdx);
  });

  it.each(['GPL', 'LGPL', 'BSLA', 'BSD-3-clause-Berkeley', 'MIT/X11', 'BSL-1', 'permissive'])(
    'leaves %s without an SPDX id rather than guessing one',
    (name) => {
      expect(spdxOfName(name)).toBeUndefined();
    },
  );

  it.each([
    ['GPL-1+ or Artistic', 'GPL-1.0-or-later OR Artistic-1.0'],
    ['LGPL-3+ or GPL-2+', 'LGPL-3.0-or-later OR GPL-2.0-or-later'],
    ['Sleepycat and BSD-3-clause', 'Sleepycat AND BSD-3-Clause'],
    ['MPL-1.1 or GPL-2+ or LGPL-2.1+', 'MPL-1.1 OR GPL-2.0-or-later OR LGPL-2.1-or-later'],
    // The comma lowers the operator after it: (GPL-1+ or Artistic) and Expat.
    ['GPL-1+ or Artistic, and Expat', '(GPL-1.0-or-later OR Artistic-1.0) AND MIT'],
    ['GPL-3+ with Bison exception', 'GPL-3.0-or-later WITH Bison-exception-2.2'],
    ['GPL-3+-WITH-BISON-EXCEPTION', 'GPL-3.0-or-later WITH Bison-exception-2.2'],
    ['GPL-2 with Linux-syscall-note exception', 'GPL-2.0-only WITH Linux-syscall-note'],
  ])('expression %s → %s', (expression, spdx) => {
    expect(spdxOfDebian(expression)).toBe(spdx);
  });

  it.each([
    'BSD-3-clause-Berkeley and LGPL-2.1+',
    'GPL-2+ with OpenSSL exception',
    'LGPL-2.1+-with-link-exception',
    'Permission is hereby granted, free of charge',
  ])('gives no SPDX expression for %s (a name in it has none)', (expression) => {
    expect(spdxOfDebian(expression)).toBeUndefined();
  });
});
