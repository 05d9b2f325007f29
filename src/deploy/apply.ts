import { ApiException, type KubernetesObject, PatchStrategy } from '@kubernetes/client-node';
import { SlipwayError } from '../errors.js';
import { type Cluster, isNotFound, message } from './cluster.js';
import { FIELD_MANAGER, MANAGED_BY, type Manifest, type SecretNeed } from './manifests.js';

export const PSA_ENFORCE = 'pod-security.kubernetes.io/enforce';

export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface AppliedObject {
  readonly kind: string;
  readonly name: string;
  readonly action: ApplyAction;
  /** Field paths whose value changes, e.g. `spec.template.spec.containers[0].image`. */
  readonly changes: readonly string[];
}

/** Creates the namespace when it is missing, under the restricted Pod Security level. */
export async function ensureNamespace(cluster: Cluster, name: string, dryRun: boolean): Promise<boolean> {
  try {
    await cluster.core.readNamespace({ name });
    return false;
  } catch (error) {
    if (!isNotFound(error)) throw applyError(`reading namespace ${name}`, error);
  }
  try {
    await cluster.core.createNamespace({
      body: {
        metadata: { name, labels: { [PSA_ENFORCE]: 'restricted', [MANAGED_BY]: FIELD_MANAGER } },
      },
      ...(dryRun ? { dryRun: 'All' } : {}),
      fieldManager: FIELD_MANAGER,
    });
  } catch (error) {
    throw applyError(`creating namespace ${name}`, error);
  }
  return true;
}

/**
 * Refuses to apply when a Secret the pods read is missing or lacks a key: the pods would sit in
 * CreateContainerConfigError. slipway never invents secret values; the fix says how to add them.
 */
export async function checkSecrets(
  cluster: Cluster,
  namespace: string,
  needs: readonly SecretNeed[],
  exampleFile: string,
): Promise<void> {
  for (const need of needs) {
    let data: Record<string, string> | undefined;
    try {
      const secret = await cluster.core.readNamespacedSecret({ name: need.name, namespace });
      data = { ...secret.data, ...secret.stringData };
    } catch (error) {
      if (!isNotFound(error)) throw applyError(`reading Secret ${need.name}`, error);
    }
    const keys = need.keys.length > 0 ? ` (keys ${need.keys.join(', ')})` : '';
    const create = `kubectl create secret generic ${need.name} --namespace ${namespace} --from-env-file=<your filled-in copy of ${exampleFile}, kept outside the repository>`;
    if (!data) {
      throw new SlipwayError(
        `the Secret ${need.name} does not exist in namespace ${namespace}; the pods read it${keys}, so nothing was applied`,
        { exitCode: 1, fix: create },
      );
    }
    const missing = need.keys.filter((key) => !(key in (data ?? {})));
    if (missing.length > 0) {
      throw new SlipwayError(
        `the Secret ${need.name} in namespace ${namespace} has no key ${missing.join(', ')}; nothing was applied`,
        {
          exitCode: 1,
          fix: `kubectl delete secret ${need.name} --namespace ${namespace} && ${create}`,
        },
      );
    }
  }
}

export interface ApplyOptions {
  readonly dryRun: boolean;
  readonly forceConflicts: boolean;
  readonly onApplied?: (object: AppliedObject) => void;
}

/** Server-side apply of each object in the given order; reads first to say what changes. */
export async function applyAll(
  cluster: Cluster,
  objects: readonly Manifest[],
  options: ApplyOptions,
): Promise<AppliedObject[]> {
  const applied: AppliedObject[] = [];
  for (const object of objects) {
    const kind = object.kind ?? '?';
    const name = object.metadata?.name ?? '?';
    let before: KubernetesObject | undefined;
    try {
      before = await cluster.objects.read(header(object));
    } catch (error) {
      if (!isNotFound(error)) throw applyError(`reading ${kind}/${name}`, error);
    }
    let after: KubernetesObject;
    try {
      after = await cluster.objects.patch(
        object,
        undefined,
        options.dryRun ? 'All' : undefined,
        FIELD_MANAGER,
        options.forceConflicts,
        PatchStrategy.ServerSideApply,
      );
    } catch (error) {
      throw applyError(`applying ${kind}/${name}`, error);
    }
    const changes = before ? changedPaths(comparable(before), comparable(after)) : [];
    const result: AppliedObject = {
      kind,
      name,
      action: !before ? 'created' : changes.length > 0 ? 'configured' : 'unchanged',
      changes,
    };
    applied.push(result);
    options.onApplied?.(result);
  }
  return applied;
}

/** The object's identity, to read it from the cluster. */
export function header(object: Manifest) {
  return {
    apiVersion: object.apiVersion ?? 'v1',
    kind: object.kind ?? '',
    metadata: {
      name: object.metadata?.name ?? '',
      ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}),
    },
  };
}

// What the server fills in on every write (versions, times, status) is not a change the user made.
export function comparable(object: KubernetesObject): Record<string, unknown> {
  const { status: _status, metadata, ...rest } = object as KubernetesObject & { status?: unknown };
  return {
    ...rest,
    metadata: { labels: metadata?.labels ?? {}, annotations: metadata?.annotations ?? {} },
  };
}

/** Paths where two JSON values differ, at most `limit` of them. */
export function changedPaths(before: unknown, after: unknown, path = '', limit = 20): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isMap = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isMap(before) && isMap(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys
      .flatMap((key) => changedPaths(before[key], after[key], path ? `${path}.${key}` : key, limit))
      .slice(0, limit);
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before
      .flatMap((item, index) => changedPaths(item, after[index], `${path}[${index}]`, limit))
      .slice(0, limit);
  }
  return [path || '.'];
}

/** An API failure as one line; a field-manager conflict says how to take the fields over. */
export function applyError(what: string, error: unknown): SlipwayError {
  const conflict = error instanceof ApiException && error.code === 409;
  return new SlipwayError(`${what} failed: ${message(error)}`, {
    cause: error,
    fix: conflict
      ? 'another field manager owns these fields; re-run with --force-conflicts to take them over'
      : 'check that the context may write to this namespace (kubectl auth can-i --list)',
  });
}
