import { parseAllDocuments } from 'yaml';
import { EnvironmentError, ExecError, ProjectError } from '../../errors.js';
import { exec, which } from '../../util/exec.js';
import { shortGoRunEnv } from '../../util/go-env.js';
import { record } from '../objects.js';
import { renderKustomization } from './render.js';

/**
 * Who renders a kustomization: `kubectl` (real kustomize, every feature), `builtin` (slipway's
 * subset, offline), or `auto`: kubectl when it is on PATH, else the built-in renderer.
 */
export type KustomizeRenderer = 'auto' | 'kubectl' | 'builtin';

/** Which renderer produced the objects, as the output names it after "rendered with". */
export type RenderedBy =
  | 'kubectl kustomize'
  | 'the built-in Kustomize subset: kubectl not found'
  | 'the built-in Kustomize subset';

export const OFFLINE_FALLBACK: RenderedBy = 'the built-in Kustomize subset: kubectl not found';

export interface RenderedOverlay {
  readonly objects: Record<string, unknown>[];
  /** Which renderer produced the objects; the offline fallback says so. */
  readonly renderedBy: RenderedBy;
}

/**
 * One Kustomize for check and deploy: real kustomize through `kubectl kustomize`; the built-in
 * subset only when asked for, or under `auto` when kubectl is absent, and then labelled as such.
 */
export async function renderOverlay(
  dir: string,
  renderer: KustomizeRenderer = 'auto',
): Promise<RenderedOverlay> {
  if (renderer === 'builtin') {
    return { objects: renderKustomization(dir), renderedBy: 'the built-in Kustomize subset' };
  }
  if ((await which('kubectl')) === undefined) {
    if (renderer === 'auto') return { objects: renderKustomization(dir), renderedBy: OFFLINE_FALLBACK };
    throw new EnvironmentError(`kubectl not found on PATH: it renders ${dir} with real kustomize`, {
      fix: 'install kubectl (https://kubernetes.io/docs/tasks/tools/), or let the built-in subset render it',
    });
  }
  try {
    const result = await exec('kubectl', ['kustomize', dir], { timeoutMs: 60_000, env: shortGoRunEnv() });
    const objects = parseAllDocuments(result.stdout)
      .map((document) => record(document.toJS() as unknown))
      .filter((value): value is Record<string, unknown> => value !== undefined);
    return { objects, renderedBy: 'kubectl kustomize' };
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    throw new ProjectError(
      `kubectl kustomize ${dir} failed: ${error.stderr.trim().split('\n').pop() ?? ''}`,
      {
        fix: `correct the kustomization in ${dir}`,
        cause: error,
      },
    );
  }
}
