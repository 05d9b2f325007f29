import type { EnvVar, ProjectModel } from '../../analyze/model.js';
import { configMapName, type Json, metadata, secretName, toYaml } from './objects.js';
import { pythonEnvValue } from './python-literal.js';

/**
 * The app's settings, split the way they must be handled: plain settings go to a ConfigMap with
 * their defaults written out (so operators see every knob), secret settings go to a Secret that
 * slipway never writes; it only documents how to create it.
 */

function byName(a: EnvVar, b: EnvVar): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function secretSettings(model: ProjectModel): EnvVar[] {
  return model.settings.env.filter((v) => v.secret).sort(byName);
}

/** Plain settings whose default is a literal: the values the ConfigMap carries. */
export function plainSettings(model: ProjectModel): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const setting of model.settings.env.filter((v) => !v.secret).sort(byName)) {
    const value = setting.default === undefined ? undefined : envValue(setting.default);
    if (value !== undefined) out.push({ name: setting.name, value });
  }
  return out;
}

/**
 * A Python literal as pydantic-settings reads it back from the environment. `None` has no
 * environment form (unset is None), so it is left out.
 */
export function envValue(literal: string): string | undefined {
  return pythonEnvValue(literal);
}

/**
 * Required plain settings with no default: the value from the project's example env files or
 * compose (`from` says which), else an empty value that must be filled in before a deploy.
 */
export function requiredPlainSettings(
  model: ProjectModel,
): { name: string; value: string; from: string | undefined }[] {
  return model.settings.env
    .filter((v) => !v.secret && v.required && v.default === undefined)
    .sort(byName)
    .map((v) => {
      const example = model.exampleEnv?.[v.name];
      return { name: v.name, value: example?.value ?? '', from: example?.from };
    });
}

export function configMap(model: ProjectModel): string {
  const plain = plainSettings(model);
  const required = requiredPlainSettings(model).filter((r) => !plain.some((p) => p.name === r.name));
  const data: Record<string, string> = {};
  for (const { name, value } of [...plain, ...required].sort((a, b) => (a.name < b.name ? -1 : 1)))
    data[name] = value;
  const unset = model.settings.env
    .filter((v) => !v.secret && !(v.name in data))
    .sort(byName)
    .map((v) => v.name);
  const comment = [
    'Plain (non-secret) settings of the app, with the defaults written in its source. Change a',
    'value here, or in an overlay, to configure a deployment.',
    ...(unset.length > 0
      ? [
          'Settings with no literal default, not set here (add them when the app needs them):',
          ...unset.map((v) => `  ${v}`),
        ]
      : []),
  ].join('\n');
  const object: Json = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(model, configMapName(model)),
    data,
  };
  const notes = new Map(
    required.map((r) => [
      r.name,
      r.from
        ? `required by the app; example value from ${r.from}: review it for this deployment`
        : 'required by the app, no default: MUST be set before deploying (slipway deploy refuses while empty)',
    ]),
  );
  return toYaml(object, comment, { stringMap: ['data'], notes: { path: ['data'], byKey: notes } });
}

/**
 * An env file with every secret setting's name and an empty value: the template for the Secret.
 * Never a value: slipway does not know them and must not invent any.
 */
export function secretExample(model: ProjectModel): string {
  const secrets = secretSettings(model);
  const namespace = model.config.kubernetes.namespace;
  const ns = namespace ? ` --namespace ${namespace}` : '';
  const lines = [
    `# Secret settings of ${model.name}. The Deployment reads them from the Secret ${secretName(model)},`,
    '# which is not part of these manifests (a real value must never be committed). To create it, copy',
    '# this file OUTSIDE the repository, fill in the values, then:',
    `#   kubectl create secret generic ${secretName(model)}${ns} --from-env-file=<your copy>`,
    '# Required settings must be set before the pods can start; optional ones may be left out.',
  ];
  if (secrets.length === 0) lines.push('# The app reads no secret settings.');
  for (const setting of secrets) {
    lines.push(
      `# ${setting.required ? 'required' : 'optional'}: ${setting.settingsClass}.${setting.field} (${setting.type})`,
    );
    lines.push(`${setting.name}=`);
  }
  return `${lines.join('\n')}\n`;
}
