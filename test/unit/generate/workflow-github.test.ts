import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { ProjectModel } from '../../../src/analyze/model.js';
import { githubWorkflow, WORKFLOW } from '../../../src/generate/workflow/github.js';
import { withMarker } from '../../../src/generate/write.js';
import { cases, model } from './models.js';

/**
 * The workflow `slipway init --with github` writes, validated offline by GitHub's own workflow
 * parser (@actions/workflow-parser, from actions/languageservices: the schema and checks the
 * Actions editor tooling uses), which reports each problem with its line.
 */
function problems(text: string): string[] {
  const result = parseWorkflow({ name: WORKFLOW, content: text }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((error) => error.message);
}
const validate = (workflow: Record<string, unknown>) => problems(stringify(workflow));

function workflowOf(project: ProjectModel): Record<string, unknown> {
  const text = githubWorkflow(project)[WORKFLOW];
  if (!text) throw new Error(`no ${WORKFLOW}`);
  // As written to disk: the marker line is a YAML comment.
  return parse(withMarker(text)) as Record<string, unknown>;
}

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> };

function stepsOf(workflow: Record<string, unknown>): Step[] {
  return (workflow.jobs as { ship: { steps: Step[] } }).ship.steps;
}

const lone = Object.entries(cases).filter(([, project]) => !project.workspace);
const registries = {
  'ghcr-registry': model({ config: { image: { name: undefined, registry: 'ghcr.io/acme' } } }),
  'other-registry': model({
    config: { image: { name: 'shop-api', registry: 'registry.example.com:5000/team' } },
  }),
};

describe.each([...lone, ...Object.entries(registries)])('GitHub workflow: %s', (name, project) => {
  const workflow = workflowOf(project);

  it('matches the golden file', async () => {
    await expect(githubWorkflow(project)[WORKFLOW]).toMatchFileSnapshot(`workflow-golden/${name}.yml`);
  });

  it("is valid to GitHub's workflow parser, as written to disk", () => {
    expect(problems(withMarker(githubWorkflow(project)[WORKFLOW] ?? ''))).toEqual([]);
  });

  it('ships on push, uploads the SARIF, keeps JUnit and SBOM, pushes on the default branch only', () => {
    expect(Object.keys(workflow.on as object)).toContain('push');
    const steps = stepsOf(workflow);
    const runs = steps.map((step) => step.run ?? '').join('\n');
    expect(runs).toMatch(/npx --yes slipway ship$/m);
    expect(runs).toMatch(/slipway check --format sarif > slipway-check\.sarif/);
    expect(runs).toMatch(/slipway verify "\$IMAGE" --project \. --junit slipway-verify\.xml/);
    expect(runs).toMatch(/slipway scan "\$IMAGE" --update-db --sbom slipway-sbom\.cdx\.json/);
    const upload = steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with?.sarif_file).toBe('slipway-check.sarif');
    const artifact = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(String(artifact?.with?.path).split('\n').sort()).toEqual([
      'slipway-check.sarif',
      'slipway-sbom.cdx.json',
      'slipway-verify.xml',
    ]);
    const push = steps.find((step) => step.run?.includes('docker push'));
    expect(push?.if).toBe("github.ref == format('refs/heads/{0}', github.event.repository.default_branch)");
    // The password reaches docker through the environment, never on a command line.
    expect(push?.run).toMatch(
      /printf '%s' "\$REGISTRY_PASSWORD" \| docker login \S+ --username "\$REGISTRY_USER" --password-stdin/,
    );
    expect(JSON.stringify(steps)).not.toMatch(/docker login[^"]*\$\{\{/);
  });
});

describe('GitHub workflow', () => {
  it('rejects what GitHub would refuse (the validator looks)', () => {
    const workflow = workflowOf(cases['src-layout'] as ProjectModel);
    const jobs = workflow.jobs as { ship: Record<string, unknown> };
    const { 'runs-on': runsOn, ...rest } = jobs.ship;
    expect(validate(workflow)).toEqual([]);
    expect(validate({ ...workflow, jobs: { ship: { ...rest, runs_on: runsOn } } })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Unexpected value 'runs_on'/),
        expect.stringMatching(/Required property is missing: runs-on/),
      ]),
    );
    expect(validate({ ...workflow, on: { pushh: {} } })).toEqual([
      expect.stringMatching(/Unexpected value 'pushh'/),
    ]);
    const steps = (rest.steps as Record<string, unknown>[]).map((step, i) =>
      i === 0 ? { ...step, uses: undefined, run: undefined } : step,
    );
    expect(validate({ ...workflow, jobs: { ship: { ...jobs.ship, steps } } }).length).toBeGreaterThan(0);
    expect(
      validate({ ...workflow, jobs: { ship: { ...jobs.ship, 'timeout-minutes': 'soon' } } }).length,
    ).toBeGreaterThan(0);
  });

  it('pushes to ghcr.io under the owner without a registry, and to the configured one with its secrets', () => {
    const ghcr = stepsOf(workflowOf(cases['src-layout'] as ProjectModel)).find((s) =>
      s.run?.includes('docker push'),
    );
    expect(ghcr?.run).toContain(`PUSH_IMAGE="ghcr.io/\${GITHUB_REPOSITORY_OWNER,,}/shop:1.4.0"`);
    const other = workflowOf(registries['other-registry']);
    expect((other.env as { IMAGE: string }).IMAGE).toBe('registry.example.com:5000/team/shop-api:1.4.0');
    const step = stepsOf(other).find((s) => s.run?.includes('docker push')) as Step & {
      env: Record<string, string>;
    };
    expect(step.run).toContain('docker login registry.example.com:5000 ');
    expect(step.env).toEqual({
      REGISTRY_USER: `\${{ secrets.REGISTRY_USER }}`,
      REGISTRY_PASSWORD: `\${{ secrets.REGISTRY_PASSWORD }}`,
    });
    const permissions = (other.jobs as { ship: { permissions: Record<string, string> } }).ship.permissions;
    expect(permissions.packages).toBeUndefined();
  });

  it('refuses a workspace member (exit 2): GitHub reads workflows only at the repository root', () => {
    expect(() => githubWorkflow(cases['workspace-member'] as ProjectModel)).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/repository root/) }),
    );
  });
});
