import { describe, record } from '../../../kube/objects.js';
import { appContainers } from '../../manifest/app-containers.js';
import { violation } from '../../manifest/violation.js';
import type { ProjectRule, Violation } from '../../types.js';

const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'] as const;

/** `/items/{item_id}` matches `/items/42`: FastAPI path parameters are one segment (or `:path`, any). */
function routePattern(path: string): RegExp {
  const escaped = path
    .split(/(\{[^}]+\})/)
    .map((part) =>
      part.startsWith('{')
        ? part.endsWith(':path}')
          ? '.+'
          : '[^/]+'
        : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${escaped}/?$`);
}

/** A probe on a route the app does not have answers 404 forever: the pod never becomes ready. */
export const rule: ProjectRule = {
  id: 'SLW-P003',
  docs: 'docs/rules/SLW-P003.md',
  title: "Probe paths exist among the app's routes",
  severity: 'error',
  scope: 'project',
  hint: 'point httpGet.path at a GET route of the app (slipway analyze lists them), e.g. /healthz',
  run({ manifests, model }) {
    if (!model) return [];
    const routes = model.routes.filter(
      (route) => route.method.toUpperCase() === 'GET' || route.method.toUpperCase() === 'HEAD',
    );
    const patterns = routes.map((route) => routePattern(route.path));
    const out: Violation[] = [];
    for (const set of manifests) {
      for (const ref of appContainers(set, model)) {
        for (const probe of PROBES) {
          const path = record(record(ref.container[probe])?.httpGet)?.path;
          if (typeof path !== 'string') continue;
          const bare = path.split('?')[0] ?? path;
          if (patterns.some((pattern) => pattern.test(bare))) continue;
          out.push(
            violation(
              ref.pod.object,
              [...ref.path, probe, 'httpGet', 'path'],
              `${probe} of container ${ref.name} (${describe(ref.pod.object)}) requests ${path}, which is no GET route of the app`,
              {
                evidence: [`GET routes: ${routes.map((r) => r.path).join(', ') || 'none found'}`],
              },
            ),
          );
        }
      }
    }
    return out;
  },
};
