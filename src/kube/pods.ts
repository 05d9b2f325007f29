import { type FieldPath, list, type ManifestObject, record } from './objects.js';

/** A pod template inside a workload (or a bare Pod), with the paths rules report against. */
export interface PodTemplate {
  readonly object: ManifestObject;
  readonly spec: Record<string, unknown>;
  readonly specPath: FieldPath;
  readonly labels: Record<string, unknown>;
  readonly annotations: Record<string, unknown>;
  readonly metadataPath: FieldPath;
}

export interface ContainerRef {
  readonly pod: PodTemplate;
  readonly container: Record<string, unknown>;
  readonly path: FieldPath;
  readonly name: string;
  readonly role: 'containers' | 'initContainers' | 'ephemeralContainers';
}

const TEMPLATE_PATHS: Record<string, FieldPath> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Pod: [],
};

export const WORKLOAD_KINDS = new Set(Object.keys(TEMPLATE_PATHS));

function at(value: unknown, path: FieldPath): unknown {
  let current = value;
  for (const key of path) current = typeof key === 'number' ? list(current)[key] : record(current)?.[key];
  return current;
}

export function podTemplate(object: ManifestObject): PodTemplate | undefined {
  const base = TEMPLATE_PATHS[object.kind];
  if (!base) return undefined;
  const template = record(at(object.value, base));
  const spec = record(template?.spec);
  if (!spec) return undefined;
  const metadata = record(template?.metadata);
  return {
    object,
    spec,
    specPath: [...base, 'spec'],
    labels: record(metadata?.labels) ?? {},
    annotations: record(metadata?.annotations) ?? {},
    metadataPath: [...base, 'metadata'],
  };
}

export function podTemplates(objects: readonly ManifestObject[]): PodTemplate[] {
  return objects.flatMap((object) => podTemplate(object) ?? []);
}

/** Every container of a pod; `app` leaves out init and ephemeral containers (no probes there). */
export function containers(pod: PodTemplate, which: 'all' | 'app' = 'all'): ContainerRef[] {
  const roles =
    which === 'app'
      ? (['containers'] as const)
      : (['containers', 'initContainers', 'ephemeralContainers'] as const);
  return roles.flatMap((role) =>
    list(pod.spec[role]).flatMap((item, index) => {
      const container = record(item);
      if (!container) return [];
      const name = typeof container.name === 'string' ? container.name : `#${index}`;
      return [{ pod, container, path: [...pod.specPath, role, index], name, role }];
    }),
  );
}

/** Whether a label selector (`matchLabels` map, or a Service's plain map) selects these labels. */
export function selects(selector: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** `matchLabels` plus `matchExpressions` (In, NotIn, Exists, DoesNotExist) of a LabelSelector. */
export function matchesSelector(
  selector: Record<string, unknown> | undefined,
  labels: Record<string, unknown>,
): boolean {
  if (!selector) return false;
  const matchLabels = record(selector.matchLabels) ?? {};
  const expressions = list(selector.matchExpressions).map(record);
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return true;
  if (!Object.entries(matchLabels).every(([key, value]) => labels[key] === value)) return false;
  return expressions.every((expression) => {
    const key = String(expression?.key);
    const values = list(expression?.values).map(String);
    const has = key in labels;
    switch (expression?.operator) {
      case 'In':
        return has && values.includes(String(labels[key]));
      case 'NotIn':
        return !has || !values.includes(String(labels[key]));
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}
