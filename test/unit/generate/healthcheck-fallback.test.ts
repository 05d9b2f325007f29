import { describe, expect, it } from 'vitest';
import { dockerfile } from '../../../src/generate/dockerfile.js';
import { model } from './models.js';

const healthcheckOf = (text: string) => {
  const start = text.indexOf('HEALTHCHECK');
  return start < 0 ? undefined : text.slice(start, text.indexOf('\n', text.indexOf('CMD', start)));
};

describe('the HEALTHCHECK of an app without a health route', () => {
  const none = { liveness: undefined, readiness: undefined };

  it.each([
    ['the OpenAPI document by default', {}, "c.request('GET', '/openapi.json')"],
    [
      'the OpenAPI document where the app serves it',
      { openapiPath: '/api/v1/openapi.json' },
      "c.request('GET', '/api/v1/openapi.json')",
    ],
    ['/ when the app disables its OpenAPI document', { openapiPath: null }, "c.request('GET', '/')"],
  ])('asks %s and passes below 500', (_, app, request) => {
    const project = model({ health: none });
    const text = dockerfile({ ...project, app: { ...project.app, ...app } });
    const check = healthcheckOf(text);
    expect(check).toContain(request);
    expect(check).toContain('raise SystemExit(c.getresponse().status >= 500)');
    expect(check).toContain("os.environ.get('UVICORN_PORT', '8000')");
    expect(text).toMatch(/# found: alive when GET \S+ answers below 500/);
  });

  it('keeps the health route probe when there is one (urlopen fails on any 4xx/5xx)', () => {
    const check = healthcheckOf(
      dockerfile(model({ health: { liveness: '/healthz', readiness: '/readyz' } })),
    );
    expect(check).toContain("'/healthz', timeout=4)");
    expect(check).not.toContain('http.client');
  });
});
