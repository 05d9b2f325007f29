import type { ProjectModel } from '../../analyze/model.js';
import { ProjectError } from '../../errors.js';
import { imageRef, resourceName } from '../common.js';
import { type Json, toYaml } from '../k8s/objects.js';

/**
 * `.github/workflows/slipway.yml`: on every push, slipway ships the project on a GitHub runner
 * (check, build, verify, scan), the check's SARIF goes to code scanning, verify's JUnit and the
 * SBOM are kept as artifacts, and on the default branch the image is pushed to its registry.
 */

export const WORKFLOW = '.github/workflows/slipway.yml';

const SARIF = 'slipway-check.sarif';
const JUNIT = 'slipway-verify.xml';
const SBOM = 'slipway-sbom.cdx.json';
const ON_DEFAULT_BRANCH = "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)";
/** A GitHub Actions expression, `${{ … }}`. */
const expression = (text: string) => `\${{ ${text} }}`;
const NOT_CANCELLED = expression('!cancelled()');

/** Where the default branch pushes the image, and how the runner logs in there. */
interface PushTarget {
  /** The registry host for `docker login`. */
  readonly host: string;
  /** The step's env: the user name and password docker login reads. */
  readonly credentials: Record<string, string>;
  /** Shell lines that set PUSH_IMAGE, the name the image is pushed as. */
  readonly name: string;
  readonly note: string;
}

function pushTarget(model: ProjectModel): PushTarget {
  const registry = model.config.image.registry?.replace(/\/+$/, '');
  const ghcr = {
    REGISTRY_USER: expression('github.actor'),
    REGISTRY_PASSWORD: expression('secrets.GITHUB_TOKEN'),
  };
  if (!registry) {
    // GitHub's own registry, under the repository owner (lower case, as image names must be).
    const name = model.config.image.name ?? resourceName(model);
    const tag = imageRef(model).slice(imageRef(model).lastIndexOf(':') + 1);
    return {
      host: 'ghcr.io',
      credentials: ghcr,
      name: `PUSH_IMAGE="ghcr.io/\${GITHUB_REPOSITORY_OWNER,,}/${name}:${tag}"`,
      note: 'no [tool.slipway] image.registry: the image goes to ghcr.io under the repository owner',
    };
  }
  const host = registry.split('/')[0] ?? registry;
  return {
    host,
    credentials:
      host === 'ghcr.io'
        ? ghcr
        : {
            REGISTRY_USER: expression('secrets.REGISTRY_USER'),
            REGISTRY_PASSWORD: expression('secrets.REGISTRY_PASSWORD'),
          },
    name: 'PUSH_IMAGE="$IMAGE"',
    note:
      host === 'ghcr.io'
        ? `the image goes to ${registry} ([tool.slipway] image.registry)`
        : `the image goes to ${registry} ([tool.slipway] image.registry); set the repository secrets REGISTRY_USER and REGISTRY_PASSWORD`,
  };
}

const npx = (args: string) => `npx --yes slipway ${args}`;

function steps(target: PushTarget): Json[] {
  return [
    { uses: 'actions/checkout@v4' },
    { uses: 'actions/setup-node@v4', with: { 'node-version': 20 } },
    {
      name: 'slipway check (SARIF for code scanning)',
      // Findings fail the job in ship below; here they only must not stop the upload.
      'continue-on-error': true,
      run: `${npx('check --format sarif')} > ${SARIF}`,
    },
    {
      name: 'Upload the findings to code scanning',
      if: `\${{ !cancelled() && hashFiles('${SARIF}') != '' }}`,
      uses: 'github/codeql-action/upload-sarif@v3',
      with: { sarif_file: SARIF, category: 'slipway-check' },
    },
    // Check findings do not stop ship: the image is still built and verified, so the two steps
    // after it have an image to report on unless the build itself failed.
    { name: 'slipway ship (check, build, verify, scan)', run: npx('ship') },
    {
      name: 'Verify results as JUnit',
      if: NOT_CANCELLED,
      run: npx(`verify "$IMAGE" --project . --junit ${JUNIT}`),
    },
    {
      name: 'SBOM (CycloneDX), with fresh vulnerability data',
      if: NOT_CANCELLED,
      run: npx(`scan "$IMAGE" --update-db --sbom ${SBOM}`),
    },
    {
      name: 'Keep the reports',
      if: NOT_CANCELLED,
      uses: 'actions/upload-artifact@v4',
      with: { name: 'slipway-reports', path: [SARIF, JUNIT, SBOM].join('\n'), 'if-no-files-found': 'warn' },
    },
    {
      name: `Push the image to ${target.host} (default branch only)`,
      if: ON_DEFAULT_BRANCH,
      env: target.credentials,
      run: [
        `printf '%s' "$REGISTRY_PASSWORD" | docker login ${target.host} --username "$REGISTRY_USER" --password-stdin`,
        target.name,
        'if [ "$PUSH_IMAGE" != "$IMAGE" ]; then docker tag "$IMAGE" "$PUSH_IMAGE"; fi',
        'docker push "$PUSH_IMAGE"',
        '',
      ].join('\n'),
    },
  ];
}

export function githubWorkflow(model: ProjectModel): Record<string, string> {
  if (model.workspace) {
    throw new ProjectError(
      `${model.root} is a member of the uv workspace at ${model.workspace.root}: GitHub reads workflows only from the repository root, and slipway writes inside the project`,
      {
        fix: 'leave github out of --with (and of [tool.slipway] outputs) for a workspace member; run `npx slipway ship` from the member folder in a workflow of your own',
      },
    );
  }
  const target = pushTarget(model);
  const needsPackages = target.host === 'ghcr.io';
  const workflow: Json = {
    name: 'slipway',
    on: { push: {}, workflow_dispatch: {} },
    permissions: { contents: 'read' },
    concurrency: { group: `slipway-${expression('github.ref')}`, 'cancel-in-progress': true },
    env: { IMAGE: imageRef(model) },
    jobs: {
      ship: {
        name: `ship ${resourceName(model)}`,
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': 30,
        permissions: {
          contents: 'read',
          // upload-sarif writes code scanning alerts; the push to ghcr.io needs packages.
          'security-events': 'write',
          ...(needsPackages ? { packages: 'write' } : {}),
        },
        steps: steps(target),
      },
    },
  };
  const comment = [
    `CI for ${model.name}: slipway ships it on every push. IMAGE is what \`slipway build\` tags, from`,
    '[project] version and [tool.slipway] image: re-run `slipway init --with github` after a version',
    'change (`slipway ship` does it when [tool.slipway] outputs lists github). The project is taken',
    'to be at the root of the repository.',
    `Push: ${target.note}.`,
  ].join('\n');
  return { [WORKFLOW]: toYaml(workflow, comment) };
}
