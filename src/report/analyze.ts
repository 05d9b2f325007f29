import { relative } from 'node:path';
import type { ProjectModel } from '../analyze/model.js';
import { baseImages } from '../generate/dockerfile-bases.js';

/** A human summary of a ProjectModel: what slipway will build and run. */
export function renderAnalyzeText(model: ProjectModel): string {
  const app = model.app;
  const rows: [string, string][] = [
    ['project', `${model.name} ${model.version}${model.description ? ` — ${model.description}` : ''}`],
    ['root', model.root],
    [
      'shape',
      `${model.packaged ? 'packaged' : 'virtual'}, ${model.layout} layout${
        model.workspace
          ? `, member ${model.workspace.member} of the workspace at ${model.workspace.root}${
              model.workspace.selected ? ' (the member that uses FastAPI)' : ''
            }`
          : ''
      }`,
    ],
    ['python', `${model.python.version} (from ${model.python.source}) → ${finalImage(model)}`],
    ['lock', `${model.lock.path}: ${model.lock.packages} packages, fresh`],
    [
      'app',
      `${app.module}:${app.attribute}${app.factory ? ' (factory)' : ''} — ${app.source}${
        app.file ? ` at ${app.file}${app.line ? `:${app.line}` : ''}` : ''
      }`,
    ],
    ['liveness', model.health.liveness ?? '(none found)'],
    ['readiness', model.health.readiness ?? '(none found)'],
    ['routes', model.routes.map((route) => `${route.method} ${route.path}`).join(', ') || '(none found)'],
  ];
  const env = model.settings.env.map(
    (v) => `${v.name}${v.secret ? ' (secret)' : ''}${v.required ? ' (required)' : ''}`,
  );
  rows.push(['settings', env.join(', ') || '(none)']);
  if (model.native.build.length || model.native.runtime.length) {
    rows.push([
      'native',
      `build: ${model.native.build.join(' ') || '-'}; runtime: ${model.native.runtime.join(' ') || '-'}`,
    ]);
    for (const reason of model.native.reasons) rows.push(['', reason]);
  }
  const install = model.install;
  if (install && (install.groups.length || install.extras.length || install.reasons.length)) {
    rows.push([
      'groups',
      `${install.groups.join(', ') || '(none)'}${install.extras.length ? `; extras: ${install.extras.join(', ')}` : ''}`,
    ]);
    for (const reason of install.reasons) rows.push(['', reason]);
  }
  if (model.outsideWheel?.length)
    rows.push(['copied', `${model.outsideWheel.join(', ')} (the wheel does not install it)`]);
  for (const file of model.runtimeFiles ?? []) rows.push(['runtime file', `${file.path} — ${file.why}`]);
  if (model.buildSecrets?.length) {
    rows.push([
      'build secrets',
      `docker buildx build ${model.buildSecrets.map((secret) => `--secret id=${secret.id},env=${secret.env}`).join(' ')} (slipway build passes them from the environment)`,
    ]);
    for (const secret of model.buildSecrets) rows.push(['', `${secret.env}: ${secret.why}`]);
  }
  for (const service of model.services ?? []) {
    const settings = service.settings.map((setting) => `${setting.name} ${setting.role}`).join(', ');
    rows.push([
      'service',
      `${service.kind}: ${service.image}${service.composeName ? ` (compose ${service.composeName})` : ''}${settings ? ` ← ${settings}` : ''}; verify starts it beside the app`,
    ]);
    for (const reason of service.reasons) rows.push(['', reason]);
  }
  if (model.migrations) {
    rows.push([
      'migrations',
      `${model.migrations.command.join(' ')} — ${model.migrations.why}; a Job before new pods (deploy/k8s/base/migration.yaml), run by verify before the app`,
    ]);
  }
  const choice = model.dockerfile;
  if (choice) {
    const path = relative(model.root, choice.path) || choice.path;
    const image = choice.image;
    rows.push([
      'dockerfile',
      choice.origin === 'own'
        ? `${path} (yours, kept: ${choice.reason}); port ${model.config.port}, user ${model.config.uid}:${model.config.gid}${
            image?.user.kind === 'root' ? ' (the image runs as root)' : ''
          }`
        : choice.origin === 'ambiguous'
          ? `several, none chosen: ${choice.candidates.join(', ')}`
          : `${path} (${choice.reason})`,
    ]);
  }
  for (const warning of model.warnings ?? []) rows.push(['warning', warning]);
  const width = Math.max(...rows.map(([key]) => key.length));
  return `${rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n')}\n`;
}

/** The final stage's image: python:X.Y-slim, or the base `[tool.slipway] base` chooses. */
function finalImage(model: ProjectModel): string {
  if (model.config.base === 'slim') return model.python.image;
  try {
    return `${baseImages(model.config.base, model.python.version).final} ([tool.slipway] base = "${model.config.base}")`;
  } catch (error) {
    return `no ${model.config.base} image: ${error instanceof Error ? error.message : String(error)}`;
  }
}
