import type { Json } from '../k8s/objects.js';
import type { BaseObject } from './base.js';
import { optionalLine, optionalNumber, stringMap, TemplateWriter } from './template.js';

/**
 * The chart's templates/: one per object of the Kustomize base, that object with the knobs of
 * values.yaml opened up (image, replicas, resources, probes, settings, the Secret's name, the
 * namespace). With the default values each renders back to the base's object.
 */

type JsonMap = { [key: string]: Json };

const isMap = (value: Json | undefined): value is JsonMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function mapAt(object: JsonMap, ...path: (string | number)[]): JsonMap {
  let at: Json | undefined = object;
  for (const step of path) {
    at = Array.isArray(at) ? at[step as number] : isMap(at) ? at[step as string] : undefined;
  }
  if (!isMap(at)) throw new Error(`the base object has no map at ${path.join('.')}`);
  return at;
}

/** The pod's one container in a Deployment of the base. */
export function appContainer(deployment: JsonMap): JsonMap {
  return mapAt(deployment, 'spec', 'template', 'spec', 'containers', 0);
}

/** Replaces the value of `key` in place, keeping the key's position (the YAML stays in order). */
function reopen(map: JsonMap, key: string, value: Json): void {
  if (!(key in map)) throw new Error(`the base object has no ${key}`);
  map[key] = value;
}

/** `metadata` with the namespace slot after the name, where Kustomize's namespace lands. */
function withNamespace(object: JsonMap, writer: TemplateWriter): JsonMap {
  const { name, ...rest } = mapAt(object, 'metadata');
  return {
    ...object,
    metadata: { name: name ?? null, namespace: writer.slot(optionalLine('.Values.namespace')), ...rest },
  };
}

function deploymentTemplate(object: JsonMap, writer: TemplateWriter): JsonMap {
  const spec = mapAt(object, 'spec');
  // The base leaves replicas to Kubernetes (or an autoscaler); values.yaml can set them.
  const templated: JsonMap = {
    ...object,
    spec: { replicas: writer.slot(optionalNumber('.Values.replicas')), ...spec },
  };
  const container = appContainer(templated);
  reopen(container, 'image', writer.slot({ kind: 'scalar', expr: IMAGE_EXPR }));
  reopen(container, 'imagePullPolicy', writer.slot({ kind: 'scalar', expr: '.Values.image.pullPolicy' }));
  reopen(container, 'resources', writer.slot({ kind: 'block', expr: '.Values.resources' }));
  for (const [key, value] of [
    ['startupProbe', 'startup'],
    ['readinessProbe', 'readiness'],
    ['livenessProbe', 'liveness'],
  ] as const) {
    reopen(container, key, writer.slot({ kind: 'block', expr: `.Values.probes.${value}` }));
  }
  reopenSecretRefs(container, writer);
  return templated;
}

const IMAGE_EXPR = 'printf "%s:%s" .Values.image.repository (toString .Values.image.tag) | quote';

/** The Secret's name in every secretKeyRef of a container's env, from values.yaml. */
function reopenSecretRefs(container: JsonMap, writer: TemplateWriter): void {
  for (const entry of Array.isArray(container.env) ? container.env : []) {
    if (!isMap(entry)) continue;
    const ref = isMap(entry.valueFrom) ? entry.valueFrom.secretKeyRef : undefined;
    if (isMap(ref)) reopen(ref, 'name', writer.slot({ kind: 'scalar', expr: '.Values.secret.name' }));
  }
}

/**
 * The migration Job runs the image the Deployment runs, and is named after its tag, as the base
 * names it after the version: an upgrade to a new tag is a new Job (a Job's pod template cannot
 * change in place), re-installing the same tag changes nothing. `slipway deploy --helm` waits
 * for it by its labels before the rollout.
 */
function migrationTemplate(object: JsonMap, writer: TemplateWriter): JsonMap {
  const metadata = mapAt(object, 'metadata');
  const name = String(metadata.name);
  const suffix = '-migrate-';
  const at = name.lastIndexOf(suffix);
  if (at < 0) throw new Error(`the migration Job ${name} is not named <app>${suffix}<version>`);
  const tag = 'regexReplaceAll "[^a-z0-9-]+" (lower (toString .Values.image.tag)) "-"';
  reopen(
    metadata,
    'name',
    writer.slot({
      kind: 'scalar',
      expr: `printf "%s%s" ${JSON.stringify(name.slice(0, at + suffix.length))} (${tag}) | trunc 63 | trimSuffix "-" | quote`,
    }),
  );
  const container = mapAt(object, 'spec', 'template', 'spec', 'containers', 0);
  reopen(container, 'image', writer.slot({ kind: 'scalar', expr: IMAGE_EXPR }));
  reopen(container, 'imagePullPolicy', writer.slot({ kind: 'scalar', expr: '.Values.image.pullPolicy' }));
  reopenSecretRefs(container, writer);
  return object;
}

const CONFIGMAP_COMMENT =
  'Plain (non-secret) settings of the app: `settings` in values.yaml, with the defaults written in\nits source.';

/** templates/<file> for every object of the base, keyed by file name. */
export function chartTemplates(objects: readonly BaseObject[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const base of objects) {
    const writer = new TemplateWriter();
    // A deep copy: the base objects stay as the builders wrote them.
    let object = withNamespace(structuredClone(base.object) as JsonMap, writer);
    let comment = base.comment;
    if (object.kind === 'Deployment') object = deploymentTemplate(object, writer);
    if (object.kind === 'Job') object = migrationTemplate(object, writer);
    if (object.kind === 'ConfigMap') {
      reopen(object, 'data', writer.slot(stringMap('.Values.settings')));
      comment = CONFIGMAP_COMMENT;
    }
    out[`templates/${base.file}`] = `${writer.render(object, comment)}`;
  }
  return out;
}
