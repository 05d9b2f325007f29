import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProjectModel } from '../../src/analyze/model.js';
import { secretFiles } from '../../src/build/secrets.js';
import { ProjectError } from '../../src/errors.js';

const model = (ids: string[]) =>
  ({
    buildSecrets: ids.map((id) => ({
      id: `uv-index-${id}-password`,
      env: `UV_INDEX_${id.toUpperCase()}_PASSWORD`,
      why: `index ${id} (https://pypi.${id}.example/simple): authenticate = "always"`,
    })),
  }) as unknown as ProjectModel;

describe('build secrets for private indexes', () => {
  it('pass what was given through, and write nothing when the Dockerfile needs none', async () => {
    const secrets = await secretFiles(model([]), { token: '/run/user/token' }, {});
    expect(secrets.files).toEqual({ token: '/run/user/token' });
    await secrets.remove();
    expect(existsSync('/run/user/token')).toBe(false); // never touched: it was not ours to write
  });

  it('take each needed one from the variable uv reads, in a 0600 file removed after the build', async () => {
    const secrets = await secretFiles(
      model(['internal']),
      {},
      { UV_INDEX_INTERNAL_PASSWORD: 's3cr3t-value' },
    );
    const file = secrets.files['uv-index-internal-password'] as string;
    expect(readFileSync(file, 'utf8')).toBe('s3cr3t-value');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    await secrets.remove();
    expect(existsSync(dirname(file))).toBe(false);
  });

  it('prefer a --secret given for the same id over the variable', async () => {
    const secrets = await secretFiles(
      model(['internal']),
      { 'uv-index-internal-password': '/home/me/token' },
      { UV_INDEX_INTERNAL_PASSWORD: 'other' },
    );
    expect(secrets.files).toEqual({ 'uv-index-internal-password': '/home/me/token' });
  });

  it('stop before the build (exit 2) naming every variable not set and both fixes', async () => {
    const error = await secretFiles(
      model(['internal', 'gitlab']),
      {},
      { UV_INDEX_GITLAB_PASSWORD: '' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).exitCode).toBe(2);
    expect((error as ProjectError).message).toMatch(
      /needs UV_INDEX_INTERNAL_PASSWORD, UV_INDEX_GITLAB_PASSWORD for index internal .* not set/,
    );
    expect((error as ProjectError).fix).toBe(
      'export UV_INDEX_INTERNAL_PASSWORD=... UV_INDEX_GITLAB_PASSWORD=..., or pass --secret id=uv-index-internal-password,src=FILE --secret id=uv-index-gitlab-password,src=FILE',
    );
    expect(JSON.stringify(error)).not.toMatch(/s3cr3t/);
  });
});
