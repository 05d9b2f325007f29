import { describe, expect, it } from 'vitest';
import { copyrightLicenses } from '../../../src/scan/catalog/copyright.js';
import { packageLicenses, spdxOfDebian, spdxOfName } from '../../../src/scan/catalog/debian-license-names.js';

// Gaps the side-by-side with syft showed on the reference image (test/e2e/sbom-syft.test.ts):
// DEP-5 short names are case-insensitive, so `BSD-4-clause-UC` (coreutils, sed) is SPDX's
// `BSD-4-Clause-UC`; gzip writes GFDL-NIV as `GFDL-1.3+-no-invariant`; xz names an SPDX exception
// in full (`GPL-3.0-or-later-WITH-Autoconf-exception-macro`).
describe('Debian license names that are SPDX ids but for their spelling', () => {
  it.each([
    ['BSD-4-clause-UC', 'BSD-4-Clause-UC'],
    ['bsd-3-clause-lbnl', 'BSD-3-Clause-LBNL'],
    ['GFDL-1.3+-no-invariant', 'GFDL-1.3-no-invariants-or-later'],
    ['GFDL-1.2-no-invariants', 'GFDL-1.2-no-invariants-only'],
  ])('%s → %s', (name, spdx) => {
    expect(spdxOfName(name)).toBe(spdx);
  });

  it.each([
    ['GPL-3+ and BSD-4-clause-UC', 'GPL-3.0-or-later AND BSD-4-Clause-UC'],
    ['GPL-3.0-or-later-WITH-Autoconf-exception-macro', 'GPL-3.0-or-later WITH Autoconf-exception-macro'],
    ['GPL-2+ with Autoconf-exception-2.0 exception', 'GPL-2.0-or-later WITH Autoconf-exception-2.0'],
  ])('expression %s → %s', (expression, spdx) => {
    expect(spdxOfDebian(expression)).toBe(spdx);
  });

  it.each([
    // An exception id is not a license.
    'Autoconf-exception-macro',
    // "Autoconf exception" names more than one text (config.guess's generic one, Autoconf 3.0's):
    // no id is picked for it.
    'GPL-3+ with Autoconf exception',
    // A license id is not an exception.
    'GPL-2 with MIT exception',
    'MIT-like',
    'GFDL-1.3-no-invariants-extra',
  ])('still gives no SPDX expression for %s', (expression) => {
    expect(spdxOfDebian(expression)).toBeUndefined();
  });

  it('makes a package whose names all convert one SPDX expression', () => {
    const copyright = [
      'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
      'Upstream-Name: tools',
      '',
      'Files: *',
      'Copyright: 2001 A. Writer',
      'License: GPL-3+',
      '',
      'Files: lib/tree.c',
      'Copyright: 1990 The Regents',
      'License: GPL-3+ and BSD-4-clause-UC',
      '',
      'Files: doc/*',
      'Copyright: 2002 A. Writer',
      'License: GFDL-1.3+-no-invariant',
      '',
      'License: GPL-3+',
      ' On Debian systems the GPL version 3 is in /usr/share/common-licenses/GPL-3.',
      '',
    ].join('\n');
    expect(packageLicenses(copyrightLicenses(copyright))).toEqual([
      'GPL-3.0-or-later AND (GPL-3.0-or-later AND BSD-4-Clause-UC) AND GFDL-1.3-no-invariants-or-later',
    ]);
  });
});
