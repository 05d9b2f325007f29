import { describe, expect, it } from 'vitest';
import { cpesOf } from '../../../src/scan/catalog/cpe.js';

describe('CPEs for packages', () => {
  it('names a Debian package as vendor and product, with the version quoted as CPE 2.3 wants', () => {
    expect(cpesOf({ type: 'deb', name: 'libexpat1', version: '2.7.1-1+deb13u1' })).toEqual([
      'cpe:2.3:a:libexpat1:libexpat1:2.7.1-1\\+deb13u1:*:*:*:*:*:*:*',
    ]);
    // An epoch's colon is a separator in a CPE unless quoted.
    expect(cpesOf({ type: 'deb', name: 'tzdata', version: '1:2025b-4' })[0]).toBe(
      'cpe:2.3:a:tzdata:tzdata:1\\:2025b-4:*:*:*:*:*:*:*',
    );
  });

  it('tries - and _ both ways, and prefixes as vendors; the longest comes first, - before _', () => {
    const cpes = cpesOf({ type: 'deb', name: 'libpam-modules', version: '1.7.0-5' });
    expect(cpes[0]).toBe('cpe:2.3:a:libpam-modules:libpam-modules:1.7.0-5:*:*:*:*:*:*:*');
    expect(cpes).toContain('cpe:2.3:a:libpam_modules:libpam_modules:1.7.0-5:*:*:*:*:*:*:*');
    expect(cpes).toContain('cpe:2.3:a:libpam:libpam-modules:1.7.0-5:*:*:*:*:*:*:*');
    expect(new Set(cpes).size).toBe(cpes.length);
  });

  it('adds python-<name> products and vendors from the author and the mail name', () => {
    const cpes = cpesOf({
      type: 'python',
      name: 'fastapi',
      version: '0.120.0',
      authorEmail: 'Sebastián Ramírez <tiangolo@gmail.com>',
    });
    expect(cpes).toContain('cpe:2.3:a:tiangolo:fastapi:0.120.0:*:*:*:*:*:*:*');
    expect(cpes).toContain('cpe:2.3:a:tiangolo_project:python-fastapi:0.120.0:*:*:*:*:*:*:*');
    expect(cpes).toContain('cpe:2.3:a:fastapi:fastapi:0.120.0:*:*:*:*:*:*:*');
    // The accented author name is no CPE value; none of the candidates carries it.
    expect(cpes.some((c) => /s[eé]basti/i.test(c))).toBe(false);
    expect(cpesOf({ type: 'python', name: 'starlette', version: '1.0', author: 'Tom Christie' })).toContain(
      'cpe:2.3:a:tom_christie:starlette:1.0:*:*:*:*:*:*:*',
    );
  });

  it('does not prefix a Python package that is named python-… already', () => {
    const cpes = cpesOf({ type: 'python', name: 'python-multipart', version: '0.0.20' });
    expect(cpes.some((c) => c.includes('python-python'))).toBe(false);
    expect(cpes).toContain('cpe:2.3:a:python-multipart:python-multipart:0.0.20:*:*:*:*:*:*:*');
  });
});
