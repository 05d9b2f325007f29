import type { ProjectModel } from '../analyze/model.js';
import type { DockerfileFacts } from '../dockerfile/facts.js';
import type { ManifestSet } from '../kube/objects.js';
import type { KubeVersion } from '../kube/pod-security.js';
import type { Location, Result, SourceFile, Unit } from '../result.js';

/** The lock state as analyze saw it; a stale lock is a finding of SLW-P006, not an error. */
export interface LockState {
  readonly fresh: boolean;
  /** What analyze said, e.g. which requirement changed. */
  readonly detail?: string;
  /** uv.lock relative to the project root. */
  readonly path: string;
}

export interface CheckInput {
  readonly dockerfiles: readonly SourceFile[];
  /** `.dockerignore`; undefined when the project has none (SLW-P005 reports it). */
  readonly dockerignore?: SourceFile;
  readonly manifests: readonly ManifestSet[];
  /** Enables the rules that compare against the app: port, routes, settings, uid. */
  readonly model?: ProjectModel;
  readonly lock?: LockState;
  /** Suppressions from `[tool.slipway] ignore`; defaults to `model.config.ignore`. */
  readonly ignore?: readonly { readonly id: string; readonly reason: string }[];
  /**
   * The Kubernetes version whose Pod Security Standards the manifest rules apply (safe sysctls,
   * the probe-host control, Windows exemptions), as `MAJOR.MINOR`.
   * @default '1.35'
   */
  readonly kubeVersion?: string;
}

export interface CheckReport {
  /** Every failed rule, suppressed ones included (marked), sorted by file, line, id. */
  readonly findings: readonly Result[];
  /** Ids of the rules that ran, in registry order. */
  readonly rules: readonly string[];
  /** Files that were read, relative to the project root. */
  readonly files: readonly string[];
  /**
   * What the output says besides findings: which Pod Security level judged the pods, when it is
   * not the default restricted (a Namespace's enforce label, `--pod-security-level`).
   */
  readonly notes?: readonly string[];
  readonly durationMs: number;
}

/** What a rule reports; the runner turns it into a Result with the rule's id, title and severity. */
export interface Violation {
  readonly message: string;
  readonly location: Location;
  /** Overrides the rule's generic fix when the finding knows better (e.g. the exact user). */
  readonly hint?: string;
  readonly evidence?: readonly string[];
  /**
   * First line of the enclosing YAML document: a `slipway-ignore` comment in the document's
   * leading comments suppresses the rule for the whole object.
   */
  readonly scopeLine?: number;
}

export interface DockerfileContext {
  readonly dockerfile: DockerfileFacts;
  readonly model: ProjectModel | undefined;
}

export interface ManifestContext {
  readonly set: ManifestSet;
  readonly model: ProjectModel | undefined;
  readonly kubeVersion: KubeVersion;
}

export interface ProjectContext {
  readonly dockerfiles: readonly DockerfileFacts[];
  readonly dockerignore: SourceFile | undefined;
  readonly manifests: readonly ManifestSet[];
  readonly model: ProjectModel | undefined;
  readonly lock: LockState | undefined;
}

interface RuleScope<Scope extends string, Context> extends Unit<Context, Violation[]> {
  /** `SLW-D###` rules read Dockerfiles, `SLW-K###` manifests, `SLW-P###` the files together. */
  readonly scope: Scope;
}

export type DockerfileRule = RuleScope<'dockerfile', DockerfileContext>;
export type ManifestRule = RuleScope<'manifest', ManifestContext>;
export type ProjectRule = RuleScope<'project', ProjectContext>;

export type Rule = DockerfileRule | ManifestRule | ProjectRule;

export type { ManifestSet, Result, SourceFile };
