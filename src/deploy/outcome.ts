import type { ProjectModel } from '../analyze/model.js';
import type { AppliedObject } from './apply.js';
import type { SmokeResult } from './port-forward.js';
import type { RemovedObject } from './prune.js';
import type { RolloutResult } from './rollout.js';

export type DeployStage = 'cluster' | 'build' | 'load' | 'apply' | 'rollout' | 'smoke';

export interface DeployOutcome {
  readonly model: ProjectModel;
  readonly context: string;
  readonly server: string;
  readonly namespace: string;
  readonly namespaceCreated: boolean;
  readonly image: string;
  readonly load: { readonly via: string; readonly loaded: boolean } | undefined;
  readonly applied: readonly AppliedObject[];
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
  readonly dryRun: boolean;
}
