import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError, ExecError, ProjectError } from '../errors.js';
import { exec, which } from '../util/exec.js';
import { shortGoRunEnv } from '../util/go-env.js';

/**
 * Real helm for check and deploy: `helm template` renders a chart for check (and deploy's Secret
 * check), `helm upgrade --install` / `helm uninstall` own a release. Found as HELM, else `helm`
 * on PATH, else the one scripts/testbed/helm.sh builds into the test bed cache.
 */

/** What a missing helm error names as the fix. */
export const HELM_FIX =
  'install helm 3 (https://helm.sh/docs/intro/install/) or set HELM to its path; in this repository: bash scripts/testbed/helm.sh';

/** A folder that holds a Helm chart. */
export function isChart(dir: string): boolean {
  return existsSync(join(dir, 'Chart.yaml'));
}

/** The charts `slipway init --with helm` writes: deploy/helm/<name>/ with a Chart.yaml. */
export function projectCharts(root: string): string[] {
  const dir = join(root, 'deploy', 'helm');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && isChart(join(dir, entry.name)))
    .map((entry) => join(dir, entry.name))
    .sort();
}

function testbedHelms(): string[] {
  const cache =
    process.env.SLIPWAY_TESTBED_CACHE ??
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'slipway-testbed');
  const dir = join(cache, 'helm');
  if (!existsSync(dir)) return [];
  // Newest version first: v3.22.0 sorts after v3.9.1 numerically.
  return readdirSync(dir)
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    .map((version) => join(dir, version, 'bin', 'helm'))
    .filter((path) => existsSync(path));
}

/** The helm binary to run, or undefined when there is none. */
export async function findHelm(): Promise<string | undefined> {
  const fromEnv = process.env.HELM;
  if (fromEnv) return fromEnv;
  return (await which('helm')) ?? testbedHelms()[0];
}

/** The helm binary, or exit 2 naming how to get one; `why` says what it was needed for. */
export async function requireHelm(why: string): Promise<string> {
  const helm = await findHelm();
  if (!helm)
    throw new EnvironmentError(`helm not found (HELM unset, no helm on PATH): ${why}`, { fix: HELM_FIX });
  return helm;
}

export interface HelmRun {
  readonly helm: string;
  readonly args: readonly string[];
  /** What the error says failed, e.g. `helm template deploy/helm/api`. */
  readonly what: string;
  /** The fix when helm itself refuses (the chart, the release). */
  readonly fix: string;
  readonly timeoutMs?: number;
  /** A render that ends in a moment (template): Go's collector waits for a heap limit. */
  readonly shortRun?: boolean;
}

/** Runs helm; a failure is one ProjectError with helm's own last error line and the fix. */
export async function runHelm(run: HelmRun): Promise<string> {
  try {
    const result = await exec(run.helm, run.args, {
      timeoutMs: run.timeoutMs ?? 120_000,
      ...(run.shortRun ? { env: shortGoRunEnv() } : {}),
    });
    return result.stdout;
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    if (error.code === null && /command not found/.test(error.stderr)) {
      throw new EnvironmentError(`helm not found at ${run.helm} (HELM names it)`, {
        fix: HELM_FIX,
        cause: error,
      });
    }
    const lines = error.stderr
      .trim()
      .split('\n')
      .filter((line) => line.trim() !== '');
    const reason = lines.find((line) => /^Error:/.test(line)) ?? lines.at(-1) ?? `exit code ${error.code}`;
    throw new ProjectError(`${run.what} failed: ${reason.replace(/^Error:\s*/, '')}`, {
      fix: run.fix,
      cause: error,
    });
  }
}

export interface TemplateOptions {
  /** The release name the templates see. @default the chart folder's name */
  readonly release: string;
  readonly namespace?: string;
  /** MAJOR.MINOR: what `.Capabilities.KubeVersion` says while rendering. */
  readonly kubeVersion?: string;
  /** `--set` values, e.g. `image.tag=0.1.0`. */
  readonly set?: readonly string[];
  /** How the chart is named in messages (relative to the project). */
  readonly shown: string;
}

/** `helm template`: the chart's objects as helm would install them, one YAML stream. */
export async function helmTemplate(helm: string, chart: string, options: TemplateOptions): Promise<string> {
  const args = ['template', options.release, chart];
  if (options.namespace) args.push('--namespace', options.namespace);
  if (options.kubeVersion) args.push('--kube-version', options.kubeVersion);
  for (const value of options.set ?? []) args.push('--set', value);
  return runHelm({
    helm,
    args,
    what: `helm template ${options.shown}`,
    shortRun: true,
    fix: `correct the chart in ${options.shown} (\`helm lint ${options.shown}\` shows where); a chart with dependencies needs \`helm dependency build ${options.shown}\``,
  });
}
