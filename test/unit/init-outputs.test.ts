import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { init } from '../../src/commands/init.js';
import { DEFAULT_CONFIG, slipwaySchema } from '../../src/config/schema.js';
import { UsageError } from '../../src/errors.js';
import { refreshGenerated } from '../../src/generate/init.js';
import { chosenOutputs, OUTPUT_NAMES, parseOutputs } from '../../src/generate/outputs.js';
import { renderInitText } from '../../src/report/init.js';
import { repoRoot } from '../helpers/cli.js';

// `--with` and [tool.slipway] outputs: which of kustomize, helm (and the others) init writes.
const projects = join(repoRoot, 'test', 'fixtures', 'projects');

function copyFixture(name: string, slipway?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-outputs-'));
  cpSync(join(projects, name), dir, { recursive: true });
  if (slipway) appendFileSync(join(dir, 'pyproject.toml'), `\n[tool.slipway]\n${slipway}\n`);
  return dir;
}

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((path) => relative(dir, join(dir, path)))
    .sort();
}

const CHART = 'deploy/helm/shop/Chart.yaml';
const BASE = 'deploy/k8s/base/kustomization.yaml';

describe('parseOutputs', () => {
  it('takes a comma list, several flags, spaces and case, once each in the order given', () => {
    expect(parseOutputs('kustomize,helm')).toEqual(['kustomize', 'helm']);
    expect(parseOutputs(['helm', 'kustomize, HELM'])).toEqual(['helm', 'kustomize']);
  });

  it.each([
    ['kustomize,hlem', /unknown output "hlem"/],
    ['chart', /unknown output "chart"/],
    ['', /an empty output name/],
    ['kustomize,', /an empty output name/],
  ])('%j is a usage error (exit 2) naming the accepted names', (given, message) => {
    let error: unknown;
    try {
      parseOutputs(given);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toMatch(message);
    expect((error as UsageError).message).toContain('slipway init writes kustomize, helm, compose, github');
    expect((error as UsageError).fix).toMatch(/--with kustomize,helm/);
  });
});

describe('init outputs', () => {
  it('writes Kustomize alone by default, as before', async () => {
    const dir = copyFixture('src-layout');
    const outcome = await init({ path: dir });
    expect(outcome.outputs).toEqual(['kustomize']);
    expect(outcome.outputsDifferFromConfig).toBe(false);
    expect(existsSync(join(dir, BASE))).toBe(true);
    expect(existsSync(join(dir, 'deploy/helm'))).toBe(false);
  });

  it('--with helm writes the chart and the image files, no Kustomize tree, and says how to keep the choice', async () => {
    const dir = copyFixture('src-layout');
    const outcome = await init({ path: dir, with: 'helm' });
    expect(existsSync(join(dir, CHART))).toBe(true);
    expect(existsSync(join(dir, 'Dockerfile'))).toBe(true);
    expect(existsSync(join(dir, 'deploy/k8s'))).toBe(false);
    expect(outcome.written).toContain('deploy/helm/shop/templates/deployment.yaml');
    const text = renderInitText(outcome, false);
    expect(text).toMatch(/^create +deploy\/helm\/shop\/values\.yaml$/m);
    expect(text).toContain('add to pyproject.toml under [tool.slipway]: outputs = ["helm"]');
  });

  it('--with kustomize,helm writes both, and a second run changes nothing', async () => {
    const dir = copyFixture('src-layout');
    await init({ path: dir, with: 'kustomize,helm' });
    expect(existsSync(join(dir, CHART)) && existsSync(join(dir, BASE))).toBe(true);
    expect((await init({ path: dir, with: 'kustomize,helm' })).upToDate).toBe(true);
  });

  it('[tool.slipway] outputs keeps the choice when --with is absent, for init and for ship', async () => {
    const dir = copyFixture('src-layout', 'outputs = ["kustomize", "helm"]');
    const outcome = await init({ path: dir });
    expect(outcome.outputs).toEqual(['kustomize', 'helm']);
    expect(outcome.outputsDifferFromConfig).toBe(false);
    expect(renderInitText(outcome, false)).not.toContain('outputs = [');
    expect(existsSync(join(dir, CHART)) && existsSync(join(dir, BASE))).toBe(true);

    // ship's refresh writes the same outputs: a missing chart file comes back, the rest stays.
    const values = join(dir, 'deploy/helm/shop/values.yaml');
    const fresh = readFileSync(values, 'utf8');
    rmSync(join(dir, CHART));
    const refreshed = await refreshGenerated(await analyzeProject(dir));
    expect(refreshed.written).toEqual([CHART]);
    expect(existsSync(join(dir, CHART))).toBe(true);
    expect(readFileSync(values, 'utf8')).toBe(fresh);
  });

  it('--with wins over [tool.slipway] outputs for one run', async () => {
    const dir = copyFixture('src-layout', 'outputs = ["helm"]');
    const outcome = await init({ path: dir, with: 'kustomize' });
    expect(outcome.outputsDifferFromConfig).toBe(true);
    expect(existsSync(join(dir, BASE))).toBe(true);
    expect(existsSync(join(dir, 'deploy/helm'))).toBe(false);
  });

  it('--with github writes the workflow at .github/workflows/slipway.yml', async () => {
    const dir = copyFixture('src-layout');
    const outcome = await init({ path: dir, with: 'kustomize,github' });
    expect(outcome.written).toContain('.github/workflows/slipway.yml');
    expect(readFileSync(join(dir, '.github/workflows/slipway.yml'), 'utf8')).toMatch(
      /^# Generated by slipway .*\n[\s\S]*npx --yes slipway ship$/m,
    );
  });

  it('refuses --with github for a workspace member before writing anything (exit 2)', async () => {
    const dir = copyFixture('workspace-member');
    const before = listing(dir);
    await expect(init({ path: join(dir, 'services', 'api'), with: 'github' })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/GitHub reads workflows only from the repository root/),
    });
    expect(listing(dir)).toEqual(before);
  });

  it('--with compose writes compose.yaml at the project root, and a second run changes nothing', async () => {
    const dir = copyFixture('src-layout');
    const outcome = await init({ path: dir, with: 'compose' });
    expect(outcome.written).toContain('compose.yaml');
    expect(existsSync(join(dir, 'deploy/k8s'))).toBe(false);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toMatch(
      /^# Generated by slipway .*\n[\s\S]*read_only: true$/m,
    );
    expect((await init({ path: dir, with: 'compose' })).upToDate).toBe(true);
  });

  it('writes compose.yaml beside a workspace member, built from the workspace root', async () => {
    const dir = copyFixture('workspace-member');
    const member = join(dir, 'services', 'api');
    await init({ path: member, with: 'compose' });
    const text = readFileSync(join(member, 'compose.yaml'), 'utf8');
    expect(text).toContain('context: ../..');
    expect(text).toContain('dockerfile: services/api/Dockerfile');
    expect(existsSync(join(dir, 'compose.yaml'))).toBe(false);
  });

  it('refuses compose beside a docker-compose.yml of the project, which compose.yaml would shadow (exit 2)', async () => {
    const dir = copyFixture('src-layout');
    writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  api:\n    build: .\n');
    const before = listing(dir);
    await expect(init({ path: dir, with: 'kustomize,compose' })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(
        /a compose file of its own, docker-compose\.yml; docker compose would read/,
      ),
    });
    expect(listing(dir)).toEqual(before);
  });

  it("keeps a project's own compose.yaml without --force, and --force replaces it", async () => {
    const dir = copyFixture('services-full-stack');
    const own = readFileSync(join(dir, 'compose.yaml'), 'utf8');
    const kept = await init({ path: dir, with: 'compose' });
    expect(kept.plan.find((entry) => entry.path === 'compose.yaml')?.action).toBe('keep');
    expect(kept.written).not.toContain('compose.yaml');
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(own);
    const forced = await init({ path: dir, with: 'compose', force: true });
    expect(forced.written).toContain('compose.yaml');
    const written = readFileSync(join(dir, 'compose.yaml'), 'utf8');
    expect(written).toContain('POSTGRES_SERVER: db');
    expect(written).not.toContain('changethis');
  });

  it('reads its own compose.yaml back as the same project: a second run writes nothing', async () => {
    const dir = copyFixture('services-full-stack');
    rmSync(join(dir, 'compose.yaml'));
    const first = await init({ path: dir, with: 'kustomize,compose' });
    expect(first.written).toContain('compose.yaml');
    const text = readFileSync(join(dir, 'compose.yaml'), 'utf8');
    // Found from the settings alone: the service is named for its kind, the migration is alembic's.
    expect(text).toContain('POSTGRES_SERVER: postgres');
    expect(text).toContain('entrypoint: [alembic, upgrade, head]');
    const again = await init({ path: dir, with: 'kustomize,compose' });
    expect(again.written).toEqual([]);
    expect(again.upToDate).toBe(true);
  });

  it('refuses an unknown --with name before writing anything (exit 2)', async () => {
    const dir = copyFixture('src-layout');
    const before = listing(dir);
    await expect(init({ path: dir, with: 'kustomize,terraform' })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(
        /unknown output "terraform"; slipway init writes kustomize, helm, compose, github/,
      ),
    });
    expect(listing(dir)).toEqual(before);
  });

  it('never overwrites a chart file edited by hand without --force, and writes nothing else then', async () => {
    const dir = copyFixture('src-layout');
    await init({ path: dir, with: 'helm' });
    const values = join(dir, 'deploy/helm/shop/values.yaml');
    const edited = readFileSync(values, 'utf8').replace('replicas: null', 'replicas: 3');
    writeFileSync(values, edited);
    await expect(init({ path: dir, with: 'helm' })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/deploy\/helm\/shop\/values\.yaml: it was edited by hand/),
    });
    expect(readFileSync(values, 'utf8')).toBe(edited);
    const forced = await init({ path: dir, with: 'helm', force: true });
    expect(forced.written).toContain('deploy/helm/shop/values.yaml');
    expect(readFileSync(values, 'utf8')).toContain('replicas: null');
  });

  it('writes only outputs this version can write: every name the schema accepts is one, or is refused', async () => {
    const accepted = slipwaySchema.parse({ outputs: ['kustomize'] }).outputs;
    expect(accepted).toEqual(DEFAULT_CONFIG.outputs);
    const model = await analyzeProject(join(projects, 'src-layout'));
    const schemaNames = ['kustomize', 'helm', 'compose', 'github'].filter(
      (name) => slipwaySchema.safeParse({ outputs: [name] }).success,
    );
    // Every output the schema accepts has its generator now; a new schema name without one is refused below.
    expect(OUTPUT_NAMES).toEqual(schemaNames);
    for (const name of schemaNames) {
      const configured = {
        ...model,
        config: { ...model.config, outputs: [name] as typeof model.config.outputs },
      };
      if ((OUTPUT_NAMES as readonly string[]).includes(name)) {
        expect(chosenOutputs(configured, undefined)).toEqual([name]);
      } else {
        expect(() => chosenOutputs(configured, undefined)).toThrow(
          new RegExp(`this version of slipway cannot write ${name}`),
        );
      }
    }
  });
});
