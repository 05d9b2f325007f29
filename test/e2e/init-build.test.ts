import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { buildImage } from '../../src/build/image.js';
import { livenessPath } from '../../src/generate/common.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { realEngine, runLabel } from '../helpers/engine.js';
import { waitForStatus } from '../helpers/http.js';

// The generated Dockerfiles of the reference backend and of fixtures of other shapes build on the
// real engine, run as the numeric user, answer their health route and stay under 300 MB.
const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'projects', name);
// Every good fixture project (one per shape), and the reference backend.
const cases: { name: string; source: string; member: string; env: Record<string, string> }[] = [
  {
    name: 'reference backend',
    source: join(repoRoot, 'examples', 'backend'),
    member: '',
    env: { INVENTORY_API_KEY: 'e2e' },
  },
  { name: 'flat module', source: fixture('flat-module'), member: '', env: {} },
  { name: 'src layout with settings', source: fixture('src-layout'), member: '', env: {} },
  { name: 'app factory (flat, packaged)', source: fixture('app-factory'), member: '', env: {} },
  { name: 'fastapi-cli entrypoint', source: fixture('fastapi-entrypoint'), member: '', env: {} },
  { name: 'virtual project', source: fixture('virtual-project'), member: '', env: {} },
  { name: 'workspace member', source: fixture('workspace-member'), member: 'services/api', env: {} },
  {
    name: 'native dependency (psycopg2 built from source)',
    source: fixture('native-dependency'),
    member: '',
    env: {},
  },
  { name: '[tool.slipway] overrides (port 8080)', source: fixture('slipway-config'), member: '', env: {} },
];

describe.each(cases)('generated Dockerfile: $name', ({ source, member, env }) => {
  const label = runLabel('init-build');
  const [labelKey, labelValue] = label.split('=') as [string, string];
  const images: string[] = [];
  let work: string | undefined;

  afterAll(async () => {
    const engine = await realEngine();
    await engine.removeContainers(await engine.containersWithLabel(label));
    await engine.removeImages(images);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('is written by init, builds, runs as 10001 and answers its health route', async () => {
    work = await mkdtemp(join(tmpdir(), 'slipway-init-build-'));
    await cp(source, work, { recursive: true, filter: (path) => !/\/(\.venv|__pycache__)$/.test(path) });
    const project = join(work, member);
    const init = await runCli(['init', project]);
    expect(init.code, init.stderr).toBe(0);

    const engine = await realEngine();
    const model = await analyzeProject(project);
    const outcome = await buildImage(model, engine);
    images.push(...outcome.tags);
    expect(outcome.size).toBeLessThan(300e6);
    const image = await engine.inspectImage(outcome.image);
    expect(image?.user).toBe('10001:10001');

    const id = await engine.run({
      image: outcome.image,
      env,
      publish: [{ containerPort: model.config.port }],
      labels: { [labelKey]: labelValue },
      readOnlyRootFilesystem: true,
      tmpfs: ['/tmp'],
      capDrop: ['ALL'],
      securityOpt: ['no-new-privileges'],
    });
    const { host, port } = await engine.hostPort(id, model.config.port);
    await waitForStatus(`http://${host}:${port}${livenessPath(model)}`);
    const uid = await engine.runOnce({ image: outcome.image, entrypoint: 'id', command: ['-u'] });
    expect(uid.stdout.trim()).toBe('10001');
  });
});

describe('generated files of the reference backend', () => {
  it('are current: init --dry-run shows no change', async () => {
    const result = await runCli(['init', join(repoRoot, 'examples', 'backend'), '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^no change: the generated files are current$/m);
  });
});
