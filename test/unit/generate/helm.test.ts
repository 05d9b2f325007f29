import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { EnvVar } from '../../../src/analyze/model.js';
import { chartVersion } from '../../../src/generate/helm/chart.js';
import { chartDir, helmChart } from '../../../src/generate/helm/index.js';
import { optionalLine, TemplateWriter } from '../../../src/generate/helm/template.js';
import { splitImage } from '../../../src/generate/helm/values.js';
import { generateFiles } from '../../../src/generate/index.js';
import { cases, model } from './models.js';

const env = (name: string, more: Partial<EnvVar>): EnvVar => ({
  name,
  field: name.toLowerCase(),
  settingsClass: 'Settings',
  type: 'str',
  required: false,
  default: undefined,
  secret: false,
  ...more,
});

// The chart per project shape, kept as golden files like the Kustomize tree beside it: a change
// here is a change users see in deploy/helm. Review the diff, then update with `vitest run -u`.
describe.each(Object.entries(cases))('helmChart: %s', (name, project) => {
  const files = helmChart(project);

  it('matches the golden files', async () => {
    for (const [path, content] of Object.entries(files)) {
      await expect(content).toMatchFileSnapshot(`helm-golden/${name}/${path}`);
    }
  });

  it('has Chart.yaml, values.yaml and one template per object of the Kustomize base', () => {
    const dir = chartDir(project);
    const base = Object.keys(generateFiles(project))
      .filter((path) => /^deploy\/k8s\/base\/[^/]+\.yaml$/.test(path) && !path.endsWith('kustomization.yaml'))
      .map((path) => `${dir}/templates/${path.split('/').pop()}`);
    expect(Object.keys(files).sort()).toEqual([`${dir}/Chart.yaml`, ...base, `${dir}/values.yaml`].sort());
    expect(helmChart(project)).toEqual(files);
    for (const content of Object.values(files)) expect(content.endsWith('\n')).toBe(true);
  });

  it('writes plain YAML for Chart.yaml and values.yaml', () => {
    const dir = chartDir(project);
    const chart = parse(files[`${dir}/Chart.yaml`] ?? '') as Record<string, unknown>;
    expect(chart).toMatchObject({ apiVersion: 'v2', type: 'application', appVersion: project.version });
    const values = parse(files[`${dir}/values.yaml`] ?? '') as Record<string, unknown>;
    expect(Object.keys(values)).toEqual([
      'namespace',
      'image',
      'replicas',
      'resources',
      'settings',
      'secret',
      'probes',
    ]);
    for (const value of Object.values(values.settings as Record<string, unknown>)) {
      expect(typeof value).toBe('string');
    }
  });
});

describe('values.yaml', () => {
  it('keeps settings that YAML 1.1 would turn into booleans or numbers quoted', () => {
    const project = model({
      settings: {
        classes: model().settings.classes,
        env: [
          env('FLAG', { field: 'flag', default: '"yes"' }),
          env('RATIO', { field: 'ratio', type: 'float', default: '1.50' }),
          env('WORKERS', { field: 'workers', type: 'int', default: '2_000' }),
        ],
      },
    });
    const values = helmChart(project)[`${chartDir(project)}/values.yaml`] ?? '';
    expect(values).toMatch(/^ {2}FLAG: "yes"$/m);
    expect(values).toMatch(/^ {2}RATIO: "1\.50"$/m);
    expect(values).toMatch(/^ {2}WORKERS: "2000"$/m);
  });

  it('carries the ConfigMap notes: required settings and settings left unset', () => {
    const project = model({
      settings: {
        classes: model().settings.classes,
        env: [
          env('SHOP_REGION', { field: 'region', required: true }),
          env('SHOP_CACHE_URL', { field: 'cache_url', type: 'str | None' }),
        ],
      },
    });
    const values = helmChart(project)[`${chartDir(project)}/values.yaml`] ?? '';
    const settings = values.slice(values.indexOf('# Plain settings'), values.indexOf('\n# The Secret'));
    expect(settings).toMatch(/^# Settings with no literal default, not set here .*\n# {3}SHOP_CACHE_URL$/m);
    expect(settings).toMatch(
      /^ {2}# required by the app, no default: MUST be set before deploying.*\n {2}SHOP_REGION: ""$/m,
    );
  });

  it('names the namespace of [tool.slipway.kubernetes] and the registry of the image', () => {
    const project = model({
      config: {
        kubernetes: { ...model().config.kubernetes, namespace: 'shop' },
        image: { name: 'acme/shop', registry: 'localhost:5000' },
      },
    });
    const values = parse(helmChart(project)[`${chartDir(project)}/values.yaml`] ?? '') as {
      namespace: string;
      image: { repository: string; tag: string };
    };
    expect(values.namespace).toBe('shop');
    expect(values.image).toMatchObject({ repository: 'localhost:5000/acme/shop', tag: '1.4.0' });
  });
});

describe('chartVersion', () => {
  it.each([
    ['1.0.0', '1.0.0'],
    ['1.2', '1.2.0'],
    ['3', '3.0.0'],
    ['1.0rc1', '1.0.0-rc1'],
    ['2.0.0.post2', '2.0.0-post2'],
    ['1.0.0.dev03', '1.0.0-dev03'],
    ['1.0+local.07', '1.0.0+local.7'],
    ['01.02.03', '1.2.3'],
    ['v4.1.0', '4.1.0'],
    ['not-a-version', '0.0.0'],
  ])('%s is %s', (version, expected) => {
    expect(chartVersion(version)).toBe(expected);
    expect(chartVersion(version)).toMatch(
      /^\d+\.\d+\.\d+(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/,
    );
  });
});

describe('splitImage', () => {
  it('splits at the tag, not at a registry port', () => {
    expect(splitImage('localhost:5000/acme/shop:1.0.0')).toEqual({
      repository: 'localhost:5000/acme/shop',
      tag: '1.0.0',
    });
    expect(splitImage('localhost:5000/shop')).toEqual({ repository: 'localhost:5000/shop', tag: '' });
  });
});

describe('TemplateWriter', () => {
  it('turns slots into template text at the key column', () => {
    const writer = new TemplateWriter();
    const text = writer.render({
      metadata: { name: 'x', namespace: writer.slot(optionalLine('.Values.namespace')) },
      items: [{ image: writer.slot({ kind: 'scalar', expr: '.Values.image' }) }],
      spec: { resources: writer.slot({ kind: 'block', expr: '.Values.resources' }) },
    });
    expect(text).toBe(
      [
        'metadata:',
        '  name: x',
        '{{- with .Values.namespace }}',
        '  namespace: {{ . }}',
        '{{- end }}',
        'items:',
        '  - image: {{ .Values.image }}',
        'spec:',
        '  resources: {{- toYaml .Values.resources | nindent 4 }}',
        '',
      ].join('\n'),
    );
  });

  it('refuses a slot it cannot place', () => {
    const writer = new TemplateWriter();
    const token = writer.slot({ kind: 'scalar', expr: '.Values.x' });
    // Inside a flow sequence the token is no `key: value` line: a bug, never a silent template.
    expect(() => writer.render({ list: [token] })).toThrow(/was not replaced/);
  });
});
