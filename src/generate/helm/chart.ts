import type { ProjectModel } from '../../analyze/model.js';
import { resourceName } from '../common.js';
import { toYaml } from '../k8s/objects.js';

/**
 * A chart's `version` must be SemVer 2 (helm lint and helm package refuse anything else), while a
 * Python project's version is PEP 440: `1.2` is 1.2.0, `1.0rc1` is 1.0.0-rc1, `1.0.post2` is
 * 1.0.0-post2, `1.0+local.7` keeps `local.7` as build metadata. The app's own version stays
 * as written in appVersion.
 */
export function chartVersion(version: string): string {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(version.trim());
  if (!match) return '0.0.0';
  const [, major = '0', minor = '0', patch = '0', rest = ''] = match;
  const plus = rest.indexOf('+');
  const pre = (plus < 0 ? rest : rest.slice(0, plus)).replace(/^[-._]+/, '');
  const build = plus < 0 ? '' : rest.slice(plus + 1);
  const ident = (text: string) =>
    text
      .replace(/[^0-9A-Za-z.-]+/g, '-')
      .split('.')
      .filter(Boolean)
      // SemVer pre-release numbers carry no leading zeros.
      .map((part) => (/^\d+$/.test(part) ? String(Number(part)) : part))
      .join('.');
  const number = (digits: string) => String(Number(digits));
  const core = `${number(major)}.${number(minor)}.${number(patch)}`;
  return `${core}${pre ? `-${ident(pre)}` : ''}${build ? `+${ident(build)}` : ''}`;
}

export function chartYaml(model: ProjectModel): string {
  const description = model.description?.trim() || `${model.name}: a FastAPI backend`;
  return toYaml(
    {
      apiVersion: 'v2',
      name: resourceName(model),
      description,
      type: 'application',
      version: chartVersion(model.version),
      appVersion: model.version,
    },
    'The chart of the app, written from the same objects as deploy/k8s/base (see values.yaml).',
  );
}
