import { describe, expect, it } from 'vitest';
import { readHealthcheckInstruction, readHealthcheckTest } from '../../../src/policy/healthcheck.js';
import { numericUser, readUser, runsAsRoot } from '../../../src/policy/user.js';

describe('readUser: one reading of USER / User for check, verify and scan', () => {
  it.each([
    ['', { kind: 'unset' }, true],
    ['   ', { kind: 'unset' }, true],
    ['0', { kind: 'numeric', uid: 0, gid: undefined }, true],
    ['0:0', { kind: 'numeric', uid: 0, gid: 0 }, true],
    ['root', { kind: 'name', name: 'root' }, true],
    ['root:root', { kind: 'name', name: 'root' }, true],
    ['0:wheel', { kind: 'group-name', uid: 0, group: 'wheel' }, true],
    ['10001', { kind: 'numeric', uid: 10001, gid: undefined }, false],
    ['10001:10001', { kind: 'numeric', uid: 10001, gid: 10001 }, false],
    [' 1000:2000 ', { kind: 'numeric', uid: 1000, gid: 2000 }, false],
    ['10001:app', { kind: 'group-name', uid: 10001, group: 'app' }, false],
    ['app', { kind: 'name', name: 'app' }, false],
    ['app:app', { kind: 'name', name: 'app' }, false],
    ['1000:', { kind: 'numeric', uid: 1000, gid: undefined }, false],
  ])('%j', (spec, verdict, root) => {
    expect(readUser(spec)).toEqual(verdict);
    expect(runsAsRoot(readUser(spec))).toBe(root);
  });

  it('gives numbers only when both parts are numeric', () => {
    expect(numericUser('10001:10001')).toEqual({ uid: 10001, gid: 10001 });
    expect(numericUser('10001:app')).toBeUndefined();
    expect(numericUser('app')).toBeUndefined();
    expect(numericUser('')).toBeUndefined();
  });
});

describe('health checks: one reading of HEALTHCHECK and Healthcheck.Test', () => {
  it.each([
    [undefined, 'missing'],
    ['NONE', 'disabled'],
    ['none', 'disabled'],
    ['  NONE  ', 'disabled'],
    ['CMD ["python", "-c", "print(1)"]', 'present'],
    ['--interval=5s CMD curl -f http://127.0.0.1/', 'present'],
  ])('instruction %j is %s', (args, kind) => {
    expect(readHealthcheckInstruction(args).kind).toBe(kind);
  });

  it.each([
    [undefined, 'missing'],
    [null, 'missing'],
    [[], 'missing'],
    [['NONE'], 'disabled'],
    [['CMD', 'python', '-c', 'pass'], 'present'],
    [['CMD-SHELL', 'curl -f http://127.0.0.1/'], 'present'],
  ])('config Test %j is %s', (test, kind) => {
    expect(readHealthcheckTest(test).kind).toBe(kind);
  });
});
