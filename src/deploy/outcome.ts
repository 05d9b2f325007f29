import type { ProjectModel } from '../analyze/model.js';
import type { RenderedBy } from '../kube/kustomize/overlay.js';
import type { AppliedObject } from './apply.js';
import type { SmokeResult } from './port-forward.js';
import type { RemovedObject } from './prune.js';
import type { RolloutResult } from './rollout.js';

export type DeployStage = 'cluster' | 'render' | 'build' | 'load' | 'apply' | 'rollout' | 'smoke';

export interface DeployOutcome {
  readonly model: ProjectModel;
  readonly context: string;
  readonly server: string;
  readonly namespace: string;
  readonly namespaceCreated: boolean;
  readonly image: string;
  readonly load: { readonly via: string; readonly loaded: boolean } | undefined;
  readonly applied: readonly AppliedObject[];
  /** Who rendered the overlay: kubectl kustomize, or the built-in subset as the offline fallback. */
  readonly renderedBy: RenderedBy;
  readonly rollout: RolloutResult | undefined;
  readonly smoke: SmokeResult | undefined;
  readonly dryRun: boolean;
  readonly ok: boolean;
  readonly durationMs: number;
}

export interface UndeployOutcome {
  readonly context: string;
  readonly namespace: string;
  readonly removed: readonly RemovedObject[];
  readonly namespaceDeleted: boolean;
  /** Who rendered the overlay whose objects were removed (as DeployOutcome.renderedBy). */
  readonly renderedBy: RenderedBy;
  readonly dryRun: boolean;
}
