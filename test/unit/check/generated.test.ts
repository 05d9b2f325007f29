import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProjectModel } from '../../../src/analyze/model.js';
import { checkProject } from '../../../src/check/project.js';
import { generateFiles } from '../../../src/generate/index.js';
import { formatFindingsText } from '../../../src/report/findings-text.js';
import { inCI } from '../../helpers/testbed.js';
import { cases } from '../generate/models.js';
import { kubectlAvailable } from './helpers.js';

function writeProject(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-check-generated-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/**
 * The generator tests' hand-built models override the health routes (model or config) without adding those paths to `routes`;
 * analyze always finds the health routes among the routes, so add them back as analyze would.
 */
function consistent(model: ProjectModel): ProjectModel {
  const { liveness, readiness } = model.config.health;
  const health = [model.health.liveness, model.health.readiness, liveness, readiness].filter(
    (path) => path !== undefined,
  );
  const missing = health.filter((path) => !model.routes.some((route) => route.path === path));
  const routes = [
    ...model.routes,
    ...[...new Set(missing)].map((path) => ({ method: 'GET', path, file: 'app.py', line: 1 })),
  ];
  return { ...model, routes };
}

describe('the files slipway generates', () => {
  for (const [name, original] of Object.entries(cases)) {
    const model = consistent(original);
    it(`pass every rule with zero findings: ${name}`, async () => {
      const dir = writeProject(generateFiles(model));
      const report = await checkProject(dir, { model, renderer: 'builtin' });
      // What the generator accepts on purpose it says so in the file, with the reason (SLW-D015:
      // apt versions are left to the base image's Debian release); nothing else may be reported.
      const active = report.findings.filter((finding) => !finding.suppressed);
      expect(formatFindingsText({ ...report, findings: active })).toBe(
        formatFindingsText({ ...report, findings: [] }),
      );
      const accepted = report.findings.filter((finding) => finding.suppressed);
      expect(accepted.filter((finding) => finding.id !== 'SLW-D015' || !finding.suppressed?.reason)).toEqual(
        [],
      );
      expect(report.files).toContain('deploy/k8s/overlays/production/deployment-patch.yaml');
    });
  }

  // Under CI=true this runs, and fails when kubectl is missing; only outside CI may it skip.
  it.runIf(inCI || kubectlAvailable())(
    'render the same under kubectl kustomize as under the built-in renderer',
    async () => {
      for (const model of Object.values(cases).map(consistent)) {
        const dir = writeProject(generateFiles(model));
        const builtin = await checkProject(dir, { model, renderer: 'builtin' });
        const kubectl = await checkProject(dir, { model, renderer: 'kubectl' });
        expect(kubectl.findings).toEqual(builtin.findings);
      }
    },
  );
});
