import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { installSelection, syncSelection } from '../../../src/analyze/groups.js';
import { analyzeProject } from '../../../src/analyze/index.js';
import { indexEnvPrefix, indexSecrets, uvIndexes } from '../../../src/analyze/indexes.js';
import type { Lock } from '../../../src/analyze/lock.js';
import { parsePyproject } from '../../../src/analyze/pyproject.js';
import { buildRouteGraph } from '../../../src/analyze/routes.js';
import { ProjectError } from '../../../src/errors.js';
import { dockerfile } from '../../../src/generate/dockerfile.js';
import { repoRoot } from '../../helpers/cli.js';
import { modulesOf } from './helpers.js';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'projects', name);
const project = (toml: string) =>
  parsePyproject('/p/pyproject.toml', '/p', parse(`[project]\nname = "p"\nversion = "1"\n${toml}`));
const GROUPS =
  '[dependency-groups]\ndev = ["pytest"]\nserver = ["gunicorn"]\nmetrics = ["prometheus-client"]\n';

describe('[tool.slipway] groups', () => {
  it('replaces default-groups: the image installs exactly the listed groups, and analyze says so', async () => {
    const model = await analyzeProject(fixture('discover-slipway-groups'));
    expect(model.install?.groups).toEqual(['server', 'observability']);
    expect(model.install?.reasons[0]).toBe('groups: from [tool.slipway] groups');
    const text = dockerfile(model);
    expect(text).toContain(
      'uv sync --locked --no-install-project --no-dev --no-default-groups --group server --group observability',
    );
    expect(text).not.toMatch(/--group lint/);
  });

  it('without it, default-groups still decides (the other fixture is unchanged)', async () => {
    const model = await analyzeProject(fixture('discover-groups'));
    expect(model.install?.groups).toEqual(['server']);
    expect(model.install?.reasons).not.toContain('groups: from [tool.slipway] groups');
  });

  it('ignores the groups the project Dockerfile names when the config lists them', () => {
    const selection = installSelection(project(GROUPS), [], ['metrics']);
    expect(selection.groups).toEqual(['metrics']);
    expect(syncSelection(selection)).toBe(' --no-dev --no-default-groups --group metrics');
  });

  it('drops --no-dev when dev is asked for by name (uv lets --no-dev win over --group dev)', () => {
    const selection = installSelection(project(GROUPS), [], ['dev', 'server']);
    expect(syncSelection(selection)).toBe(' --no-default-groups --group dev --group server');
  });

  it('keeps --no-dev alone when nothing is selected', () => {
    expect(syncSelection(installSelection(project(GROUPS), []))).toBe(' --no-dev');
    expect(syncSelection(undefined)).toBe(' --no-dev');
  });

  it('refuses a group [dependency-groups] does not define, naming the ones that exist (exit 2)', () => {
    const error = (() => {
      try {
        installSelection(project(GROUPS), [], ['server', 'workers']);
      } catch (e) {
        return e;
      }
    })() as ProjectError;
    expect(error).toBeInstanceOf(ProjectError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      '/p/pyproject.toml: tool.slipway.groups names workers, which [dependency-groups] does not define; the groups that exist: dev, server, metrics',
    );
    expect(error.fix).toContain('list only dev, server, metrics in [tool.slipway] groups');
  });

  it('says so when the project has no [dependency-groups] at all', () => {
    expect(() => installSelection(project(''), [], ['server'])).toThrow(
      /the groups that exist: none \(there is no \[dependency-groups\] table\)/,
    );
  });
});

const lockFrom = (registries: string[]): Lock => ({
  path: '/p/uv.lock',
  requiresPython: undefined,
  members: undefined,
  packages: registries.map((registry, i) => ({
    name: `pkg${i}`,
    version: '1.0',
    source: { registry },
    hasSdist: false,
    wheels: [],
    dependencies: [],
    optionalDependencies: {},
    requiresDist: [],
    requiresDev: {},
  })),
});
const indexes = (toml: string) => uvIndexes([parse(toml)]);

describe('private indexes', () => {
  it('names the variables the way uv derives them', () => {
    expect(indexEnvPrefix('internal-proxy')).toBe('UV_INDEX_INTERNAL_PROXY');
    expect(indexEnvPrefix('acme.pypi')).toBe('UV_INDEX_ACME_PYPI');
  });

  it.each([
    [
      'authenticate = "always"',
      '[[tool.uv.index]]\nname = "internal"\nurl = "https://pypi.corp.example/simple/"\nauthenticate = "always"\n',
      'https://pypi.corp.example/simple/',
      ['UV_INDEX_INTERNAL_USERNAME', 'UV_INDEX_INTERNAL_PASSWORD'],
    ],
    [
      'a user in the URL: only the password',
      '[[tool.uv.index]]\nname = "gar"\nurl = "https://oauth2accesstoken@europe-python.pkg.dev/acme/py/simple/"\n',
      'https://europe-python.pkg.dev/acme/py/simple/',
      ['UV_INDEX_GAR_PASSWORD'],
    ],
    [
      'AWS CodeArtifact by its host',
      '[[tool.uv.index]]\nname = "codeartifact"\nurl = "https://acme-111122223333.d.codeartifact.eu-west-1.amazonaws.com/pypi/py/simple/"\n',
      'https://acme-111122223333.d.codeartifact.eu-west-1.amazonaws.com/pypi/py/simple',
      ['UV_INDEX_CODEARTIFACT_USERNAME', 'UV_INDEX_CODEARTIFACT_PASSWORD'],
    ],
    [
      'Artifactory by its path',
      '[[tool.uv.index]]\nname = "jfrog"\nurl = "https://repo.acme.example/artifactory/api/pypi/pypi-local/simple"\n',
      'https://repo.acme.example/artifactory/api/pypi/pypi-local/simple',
      ['UV_INDEX_JFROG_USERNAME', 'UV_INDEX_JFROG_PASSWORD'],
    ],
    [
      'authenticate = "never" wins over a private host',
      '[[tool.uv.index]]\nname = "mirror"\nurl = "https://acme.jfrog.io/simple"\nauthenticate = "never"\n',
      'https://acme.jfrog.io/simple',
      [],
    ],
    [
      'a public index',
      '[[tool.uv.index]]\nname = "pytorch"\nurl = "https://download.pytorch.org/whl/cpu"\n',
      'https://download.pytorch.org/whl/cpu',
      [],
    ],
    [
      'a private index no locked package comes from',
      '[[tool.uv.index]]\nname = "internal"\nurl = "https://pypi.corp.example/simple"\nauthenticate = "always"\n',
      'https://pypi.org/simple',
      [],
    ],
  ])('%s', (_name, toml, registry, envs) => {
    const found = indexSecrets(indexes(toml), lockFrom([registry]), '/p/pyproject.toml');
    expect(found.secrets.map((s) => s.env)).toEqual(envs);
    expect(found.warnings).toEqual([]);
  });

  it('warns about a password written into the URL, and about an index without a name', () => {
    const embedded = indexSecrets(
      indexes('[[tool.uv.index]]\nname = "corp"\nurl = "https://ci:hunter2@pypi.corp.example/simple"\n'),
      lockFrom(['https://pypi.corp.example/simple']),
      '/p/pyproject.toml',
    );
    expect(embedded.secrets).toEqual([]);
    expect(embedded.warnings[0]).toMatch(
      /holds a password, committed with the project.*UV_INDEX_CORP_PASSWORD/,
    );
    expect(embedded.warnings[0]).not.toContain('hunter2');
    const unnamed = indexSecrets(
      indexes('[[tool.uv.index]]\nurl = "https://pypi.corp.example/simple"\nauthenticate = "always"\n'),
      lockFrom(['https://pypi.corp.example/simple']),
      '/p/pyproject.toml',
    );
    expect(unnamed.warnings[0]).toMatch(/has no name, so uv cannot read them from UV_INDEX_<NAME>_\*/);
  });

  it('inherits the workspace root indexes after the member own', () => {
    const list = uvIndexes([
      parse('[[tool.uv.index]]\nname = "a"\nurl = "https://a.example/simple"\n'),
      parse(
        '[[tool.uv.index]]\nname = "a"\nurl = "https://other.example/simple"\n[[tool.uv.index]]\nname = "b"\nurl = "https://b.example/simple"\n',
      ),
    ]);
    expect(list.map((i) => `${i.name} ${i.url}`)).toEqual([
      'a https://a.example/simple',
      'b https://b.example/simple',
    ]);
  });

  it('mounts the credentials as BuildKit secrets on every uv sync step, never as ARG or ENV', async () => {
    const model = await analyzeProject(fixture('discover-private-index'));
    expect(model.buildSecrets?.map((s) => s.id)).toEqual([
      'uv-index-internal-username',
      'uv-index-internal-password',
      'uv-index-acme-gitlab-username',
      'uv-index-acme-gitlab-password',
    ]);
    const text = dockerfile(model);
    const syncs = text.split(/\n(?=RUN )/).filter((step) => /uv sync/.test(step));
    expect(syncs.length).toBeGreaterThan(0);
    for (const step of syncs) {
      expect(step).toContain('--mount=type=secret,id=uv-index-internal-password,required=true');
      expect(step).toContain(
        'UV_INDEX_ACME_GITLAB_PASSWORD="$(cat /run/secrets/uv-index-acme-gitlab-password)"',
      );
    }
    expect(text).not.toMatch(/^(ARG|ENV)\b.*UV_INDEX_/m);
    expect(text).toContain('#     --secret id=uv-index-internal-username,env=UV_INDEX_INTERNAL_USERNAME \\');
    // The public pytorch index the lock does not use needs nothing.
    expect(text).not.toMatch(/PYTORCH/);
  });

  it('adds nothing for a project without private indexes', async () => {
    const model = await analyzeProject(fixture('discover-groups'));
    expect(model.buildSecrets).toBeUndefined();
    expect(dockerfile(model)).not.toMatch(/type=secret/);
  });
});

describe('a Python older than 3.13', () => {
  it('says requires-python excludes 3.13', async () => {
    const model = await analyzeProject(fixture('discover-python-ceiling'));
    expect(model.python.version).toBe('3.11');
    expect(model.warnings).toContainEqual(
      expect.stringMatching(
        /^Python 3\.11, not 3\.13: requires-python = ">=3\.10,<3\.12" in .*pyproject\.toml excludes 3\.13$/,
      ),
    );
  });

  it('names the locked package without a 3.13 wheel', async () => {
    const model = await analyzeProject(fixture('discover-native-markers'));
    expect(model.python.version).toBe('3.12');
    expect(model.warnings).toContain(
      'Python 3.12, not 3.13: httptools 0.6.1 has no CPython 3.13 wheel in uv.lock (it would build from its sdist); a release with a 3.13 wheel lets the image use 3.13',
    );
  });

  it('says nothing when 3.13 is chosen', async () => {
    const model = await analyzeProject(fixture('discover-groups'));
    expect(model.python.version).toBe('3.13');
    expect(model.warnings?.filter((w) => w.startsWith('Python '))).toEqual([]);
  });
});

describe('where the app serves its OpenAPI document', () => {
  it('follows openapi_url through a settings default (the full-stack shape)', async () => {
    const model = await analyzeProject(fixture('discover-full-stack'));
    expect(model.app.openapiPath).toBe('/api/v1/openapi.json');
  });

  it('is null for openapi_url=None and absent when unset', () => {
    const graph = buildRouteGraph(
      modulesOf({
        'svc.main': 'from fastapi import FastAPI\napp = FastAPI(openapi_url=None)\nother = FastAPI()\n',
      }),
    );
    expect(graph.objects.get('svc.main:app')?.openapiUrl).toBeNull();
    expect(graph.objects.get('svc.main:other')?.openapiUrl).toBeUndefined();
  });
});
