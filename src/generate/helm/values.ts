import type { ProjectModel } from '../../analyze/model.js';
import { resourceName } from '../common.js';
import { secretSettings } from '../k8s/configmap.js';
import { type Json, secretName, toYaml } from '../k8s/objects.js';
import { type BaseObject, baseObject } from './base.js';
import { appContainer } from './templates.js';

/**
 * values.yaml: every knob the templates open, with the defaults taken from the Kustomize base's
 * objects, so that the defaults render exactly the base. Comments say what each value drives.
 */

type JsonMap = { [key: string]: Json };

/** `registry/name:tag` split at the tag: imageRef always writes one, and a tag has no `:` or `/`. */
export function splitImage(image: string): { repository: string; tag: string } {
  const at = image.lastIndexOf(':');
  if (at < 0 || image.slice(at).includes('/')) return { repository: image, tag: '' };
  return { repository: image.slice(0, at), tag: image.slice(at + 1) };
}

function secretComment(model: ProjectModel): string {
  const secrets = secretSettings(model);
  const namespace = model.config.kubernetes.namespace;
  const ns = namespace ? ` --namespace ${namespace}` : '';
  return [
    'The Secret the pods read their secret settings from. The chart does not create it (a real',
    'value must never be committed); create it before installing:',
    `  kubectl create secret generic ${secretName(model)}${ns} --from-env-file=<a file outside the repository>`,
    ...(secrets.length === 0
      ? ['The app reads no secret settings.']
      : [
          'Keys it must hold:',
          ...secrets.map(
            (s) => `  ${s.name} (${s.required ? 'required' : 'optional'}: ${s.settingsClass}.${s.field})`,
          ),
        ]),
  ].join('\n');
}

export function valuesYaml(model: ProjectModel, objects: readonly BaseObject[]): string {
  const deployment = baseObject(objects, 'Deployment');
  const configMap = baseObject(objects, 'ConfigMap');
  const container = appContainer(deployment.object as JsonMap);
  const { repository, tag } = splitImage(String(container.image));
  const settings = (configMap.object.data ?? {}) as JsonMap;
  const values: JsonMap = {
    namespace: model.config.kubernetes.namespace ?? '',
    image: { repository, tag, pullPolicy: container.imagePullPolicy ?? 'IfNotPresent' },
    replicas: null,
    resources: container.resources ?? {},
    settings,
    secret: { name: secretName(model) },
    probes: {
      startup: container.startupProbe ?? null,
      readiness: container.readinessProbe ?? null,
      liveness: container.livenessProbe ?? null,
    },
  };
  const text = toYaml(values, header(model), {
    stringMap: ['settings'],
    notes: { path: ['settings'], byKey: configMap.dataNotes },
  });
  return withKeyComments(text, {
    namespace: "The namespace of every object; empty: the release's (`helm install --namespace`).",
    image: 'The image the Deployment runs: `slipway build` tags it <repository>:<tag>.',
    replicas: [
      'Pods of the Deployment. null leaves the field out, as the Kustomize base does: Kubernetes',
      `starts one, and an autoscaler may own the number (the production overlay keeps ${model.config.kubernetes.replicas} or more).`,
    ].join('\n'),
    resources: "The container's requests and limits.",
    settings: [
      `Plain settings of the app: the ConfigMap ${resourceName(model)}-config, read by the pods as`,
      'environment variables. Values are strings (quote them).',
      ...unsetSettings(configMap),
    ].join('\n'),
    secret: secretComment(model),
    probes: "The container's startup, readiness and liveness probes (Kubernetes probe objects).",
  });
}

/** The builder's list of settings it could not give a value (no literal default), if any. */
function unsetSettings(configMap: BaseObject): string[] {
  const lines = configMap.comment?.split('\n') ?? [];
  const from = lines.findIndex((line) => line.includes('no literal default'));
  return from < 0 ? [] : lines.slice(from);
}

function header(model: ProjectModel): string {
  return [
    `Values of the ${resourceName(model)} chart. With these defaults it renders the same objects as the`,
    'Kustomize base (deploy/k8s/base). Install or upgrade with:',
    `  helm upgrade --install ${resourceName(model)} deploy/helm/${resourceName(model)}`,
  ].join('\n');
}

/** A comment line block above each top-level key (the YAML writer's comments sit on nodes only). */
function withKeyComments(text: string, comments: Readonly<Record<string, string>>): string {
  let first = true;
  return text
    .split('\n')
    .flatMap((line) => {
      const key = /^([A-Za-z]+):/.exec(line)?.[1];
      const comment = key ? comments[key] : undefined;
      if (!comment) return [line];
      const block = [...(first ? [] : ['']), ...comment.split('\n').map((c) => `# ${c}`), line];
      first = false;
      return block;
    })
    .join('\n');
}
