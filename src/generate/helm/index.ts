import type { ProjectModel } from '../../analyze/model.js';
import { resourceName } from '../common.js';
import { baseObjects } from './base.js';
import { chartYaml } from './chart.js';
import { chartTemplates } from './templates.js';
import { valuesYaml } from './values.js';

/** Where the chart goes: deploy/helm/<name>/, beside deploy/k8s. */
export function chartDir(model: ProjectModel): string {
  return `deploy/helm/${resourceName(model)}`;
}

/**
 * The Helm chart of the app: Chart.yaml, values.yaml and one template per object of the Kustomize
 * base, made from those objects; with its default values, `helm template` renders the base.
 * Pure, like the other generators: paths relative to the project root.
 */
export function helmChart(model: ProjectModel): Record<string, string> {
  const objects = baseObjects(model);
  const dir = chartDir(model);
  const files: Record<string, string> = {
    'Chart.yaml': chartYaml(model),
    'values.yaml': valuesYaml(model, objects),
    ...chartTemplates(objects),
  };
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [`${dir}/${path}`, text]));
}
