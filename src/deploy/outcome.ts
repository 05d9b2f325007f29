import type { ProjectModel } from '../analyze/model.js';
import type { RenderedBy } from '../kube/kustomize/overlay.js';
import type { AppliedObject } from './apply.js';
import type { HelmOutcome } from './helm-release.js';
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
  readonly load:
    | {
        readonly via: string;
        readonly loaded: boolean;
        /** On a registry push: why no provenance or SBOM attestation went with the image. */
        readonly attestations?: string;
      }
    | undefined;
  readonly applied: readonly AppliedObject[];
  /**
   * Who rendered the objects: kubectl kustomize, the built-in subset as the offline fallback, or
   * helm template for `--helm`.
   */
  readonly renderedBy: RenderedBy | 'helm template';
  /** With `--helm`: the release helm installed or upgraded. */
  readonly helm?: HelmOutcome;
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
  /**
   * Who rendered the overlay whose objects were removed (as DeployOutcome.renderedBy); with
   * `--helm`, the release's own record (`helm get manifest`) named them.
   */
  readonly renderedBy: RenderedBy | 'helm get manifest';
  /** With `--helm`: the release that was uninstalled (undefined when there was none). */
  readonly helmRelease?: string;
  readonly dryRun: boolean;
}
