import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../../src/analyze/index.js';
import { check } from '../../../src/commands/check.js';
import { EnvironmentError, ProjectError } from '../../../src/errors.js';
import { helmChart } from '../../../src/generate/helm/index.js';
import { withMarker } from '../../../src/generate/write.js';
import type { Result } from '../../../src/result.js';
import { repoRoot } from '../../helpers/cli.js';
import { inCI } from '../../helpers/testbed.js';
import { findHelm, requireHelm } from '../generate/helm-tool.js';

/**
 * `slipway check` on Helm charts, rendered with real helm: a chart folder alone, and the chart
 * `init --with helm` writes into a project beside deploy/k8s. Findings name the template file and
 * the line in it that wrote the field. Under CI=true a missing helm is a failure, never a skip.
 */
const helmHere = inCI || findHelm() !== undefined;
const temps: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/**
 * No helm anywhere slipway looks (HELM, PATH, the test bed cache); kubectl stays on PATH (a
 * folder holding only a link to it) so that the overlays still render with real kustomize.
 */
function hideHelm(): () => void {
  const saved = { PATH: process.env.PATH, HELM: process.env.HELM, CACHE: process.env.SLIPWAY_TESTBED_CACHE };
  const bin = temp('slipway-nohelm-');
  const kubectl = (saved.PATH ?? '')
    .split(':')
    .map((dir) => join(dir, 'kubectl'))
    .find((path) => existsSync(path));
  if (kubectl) symlinkSync(kubectl, join(bin, 'kubectl'));
  process.env.PATH = bin;
  delete process.env.HELM;
  process.env.SLIPWAY_TESTBED_CACHE = '/nonexistent';
  return () => {
    process.env.PATH = saved.PATH;
    if (saved.HELM === undefined) delete process.env.HELM;
    else process.env.HELM = saved.HELM;
    if (saved.CACHE === undefined) delete process.env.SLIPWAY_TESTBED_CACHE;
    else process.env.SLIPWAY_TESTBED_CACHE = saved.CACHE;
  };
}

/** A chart as people write them by hand: helpers, `include ... | nindent`, `toYaml`, values. */
const HAND_CHART: Record<string, string> = {
  'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.3.0\nappVersion: "1.0.0"\n',
  'values.yaml': [
    'image:',
    '  repository: registry.example.com/shop',
    '  tag: "1.0.0"',
    'securityContext:',
    '  runAsNonRoot: true',
    '  runAsUser: 10001',
    '  allowPrivilegeEscalation: false',
    '  readOnlyRootFilesystem: true',
    '  capabilities:',
    '    drop: [ALL]',
    '  seccompProfile:',
    '    type: RuntimeDefault',
    'resources:',
    '  requests: { cpu: 100m, memory: 128Mi }',
    '  limits: { memory: 256Mi }',
    '',
  ].join('\n'),
  'templates/_helpers.tpl': [
    '{{- define "shop.labels" -}}',
    'app.kubernetes.io/name: {{ .Chart.Name }}',
    'app.kubernetes.io/instance: {{ .Release.Name }}',
    '{{- end }}',
    '',
  ].join('\n'),
  'templates/deployment.yaml': [
    'apiVersion: apps/v1', // 1
    'kind: Deployment',
    'metadata:',
    '  name: {{ .Release.Name }}',
    '  labels: {{- include "shop.labels" . | nindent 4 }}', // 5
    'spec:',
    '  selector:',
    '    matchLabels: {{- include "shop.labels" . | nindent 6 }}',
    '  template:',
    '    metadata:', // 10
    '      labels: {{- include "shop.labels" . | nindent 8 }}',
    '    spec:',
    '      automountServiceAccountToken: false',
    '      containers:',
    '        - name: shop', // 15
    '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
    '          ports:',
    '            - name: http',
    '              containerPort: 8000',
    '          securityContext: {{- toYaml .Values.securityContext | nindent 12 }}', // 20
    '          resources: {{- toYaml .Values.resources | nindent 12 }}',
    '          readinessProbe:',
    '            httpGet: { path: /ready, port: http }',
    '          livenessProbe:',
    '            httpGet: { path: /live, port: http }', // 25
    '',
  ].join('\n'),
  'templates/service.yaml': [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: {{ .Release.Name }}',
    'spec:',
    '  selector: {{- include "shop.labels" . | nindent 4 }}',
    '  ports:',
    '    - name: http',
    '      port: 80',
    '      targetPort: http',
    '',
  ].join('\n'),
};

/** Where the unsuppressed findings of one rule are, as `file:line`. */
const at = (findings: readonly Result[], rule: string) =>
  findings
    .filter((finding) => finding.id === rule && !finding.suppressed)
    .map((f) => `${f.location?.file}:${f.location?.line}`);

function handChart(overrides: Record<string, string> = {}): string {
  const dir = join(temp('slipway-chart-'), 'shop');
  writeFiles(dir, { ...HAND_CHART, ...overrides });
  return dir;
}

describe.runIf(helmHere)('slipway check on a chart folder, rendered with real helm', () => {
  beforeAll(() => {
    requireHelm();
  });

  it('finds what the values make of a template, on the template line that writes the field', async () => {
    const values = HAND_CHART['values.yaml'] as string;
    const chart = handChart({
      'values.yaml': values
        .replace('tag: "1.0.0"', 'tag: latest')
        .replace('runAsNonRoot: true', 'runAsNonRoot: false'),
    });
    const outcome = await check({ path: chart });
    expect(outcome.failed).toBe(true);
    expect(outcome.report.notes).toContain('shop rendered with helm template');
    expect(at(outcome.report.findings, 'SLW-K017')).toEqual(['shop/templates/deployment.yaml:16']);
    // runAsNonRoot comes from `toYaml .Values.securityContext | nindent 12`: the line holding it.
    expect(at(outcome.report.findings, 'SLW-K002')).toEqual(['shop/templates/deployment.yaml:20']);
  });

  it('passes the same chart with good values', async () => {
    const outcome = await check({ path: handChart() });
    const ids = outcome.report.findings.map((f) => `${f.id} ${f.location?.file}:${f.location?.line}`);
    expect(ids.filter((id) => /K017|K002/.test(id))).toEqual([]);
    expect(outcome.report.files).toEqual(
      expect.arrayContaining(['shop/templates/deployment.yaml', 'shop/templates/service.yaml']),
    );
  });

  it('honours an inline suppression written in the template', async () => {
    const template = (HAND_CHART['templates/deployment.yaml'] as string).replace(
      '          image:',
      '          # slipway-ignore SLW-K017: the tag is pinned by the release pipeline\n          image:',
    );
    const values = (HAND_CHART['values.yaml'] as string).replace('tag: "1.0.0"', 'tag: latest');
    const outcome = await check({
      path: handChart({ 'templates/deployment.yaml': template, 'values.yaml': values }),
    });
    expect(at(outcome.report.findings, 'SLW-K017')).toEqual([]);
    const suppressed = outcome.report.findings.filter((f) => f.id === 'SLW-K017' && f.suppressed);
    expect(suppressed.map((f) => f.suppressed?.reason)).toEqual([
      'the tag is pinned by the release pipeline',
    ]);
  });

  it('stops with helm’s own error for a chart that does not render (exit 2, nothing checked)', async () => {
    const chart = handChart({ 'templates/broken.yaml': 'kind: {{ .Values.missing.deeper }}\n' });
    const failure = check({ path: chart });
    await expect(failure).rejects.toThrow(ProjectError);
    await expect(failure).rejects.toThrow(/helm template shop failed: .*nil pointer/);
  });
});

describe('slipway check on a chart without helm', () => {
  it('is an environment error (exit 2) that names how to get helm', async () => {
    const restore = hideHelm();
    try {
      const failure = check({ path: handChart() });
      await expect(failure).rejects.toThrow(EnvironmentError);
      await expect(failure).rejects.toThrow(/helm not found/);
      await failure.catch((error: EnvironmentError) => expect(error.fix).toMatch(/HELM|helm\.sh/));
    } finally {
      restore();
    }
  });

  it('names a HELM that does not run', async () => {
    const saved = process.env.HELM;
    process.env.HELM = '/nonexistent/helm';
    try {
      await expect(check({ path: handChart() })).rejects.toThrow(/helm not found at \/nonexistent\/helm/);
    } finally {
      if (saved === undefined) delete process.env.HELM;
      else process.env.HELM = saved;
    }
  });
});

describe('slipway check on a project with a chart beside deploy/k8s', () => {
  let project = '';
  beforeAll(async () => {
    project = temp('slipway-chart-project-');
    cpSync(join(repoRoot, 'examples', 'backend'), project, {
      recursive: true,
      filter: (source) => !/[\\/](\.venv|__pycache__|\.pytest_cache)$/.test(source),
    });
    // The chart `init --with helm` writes, as it writes it (with the generated-file marker).
    for (const [path, text] of Object.entries(helmChart(await analyzeProject(project)))) {
      writeFiles(project, { [path]: withMarker(text) });
    }
  });
  const CHART = 'deploy/helm/inventory-api';

  it.runIf(helmHere)(
    'checks the rendered chart with the overlays: nothing found in the generated files',
    async () => {
      const outcome = await check({ path: project });
      expect(outcome.report.findings).toEqual([]);
      expect(outcome.report.files).toEqual(
        expect.arrayContaining([`${CHART}/templates/deployment.yaml`, 'deploy/k8s/base/deployment.yaml']),
      );
    },
  );

  it.runIf(helmHere)('finds a hand-broken template in the chart, at its line', async () => {
    const file = join(project, CHART, 'templates', 'deployment.yaml');
    const original = readFileSync(file, 'utf8');
    const lines = original.split('\n');
    const line = lines.findIndex((text) => /^\s+allowPrivilegeEscalation: false$/.test(text)) + 1;
    writeFileSync(
      file,
      original.replace(/allowPrivilegeEscalation: false/, 'allowPrivilegeEscalation: true'),
    );
    try {
      const outcome = await check({ path: project });
      expect(outcome.failed).toBe(true);
      expect(at(outcome.report.findings, 'SLW-K003')).toEqual([`${CHART}/templates/deployment.yaml:${line}`]);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('skips the chart with a note when helm is missing, as deploy/k8s was checked', async () => {
    const restore = hideHelm();
    try {
      const outcome = await check({ path: project });
      expect(outcome.report.notes?.join('\n')).toMatch(
        /deploy\/helm\/inventory-api not checked: helm not found/,
      );
      expect(outcome.report.files.some((file) => file.startsWith('deploy/helm/'))).toBe(false);
      expect(outcome.report.files).toContain('deploy/k8s/base/deployment.yaml');
    } finally {
      restore();
    }
  });

  it('refuses (exit 2) when the chart is all there is to deploy and helm is missing', async () => {
    const only = temp('slipway-chart-only-');
    cpSync(project, only, { recursive: true });
    rmSync(join(only, 'deploy', 'k8s'), { recursive: true });
    const restore = hideHelm();
    try {
      const failure = check({ path: only });
      await expect(failure).rejects.toThrow(EnvironmentError);
      await expect(failure).rejects.toThrow(/helm not found .*deploy\/helm\/inventory-api/);
    } finally {
      restore();
    }
  });
});
