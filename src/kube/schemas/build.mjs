#!/usr/bin/env node
// Regenerates kubernetes.json, the offline schema bundle behind rule SLW-K001, from the OpenAPI v3
// documents that the k8s.io/kubernetes Go module ships in api/openapi-spec/v3 (one file per
// API group version). Run from the repository root:
//
//   node src/kube/schemas/build.mjs            # downloads the module through the Go module proxy
//   node src/kube/schemas/build.mjs <dir>      # or reads an unpacked k8s.io/kubernetes@<version>
//
// Only the kinds slipway's manifests use (and what they reference) are kept; descriptions are
// dropped. Objects get additionalProperties: false, as `kubectl apply` (strict field validation)
// rejects unknown fields; the x-kubernetes-patch-* hints stay for the strategic-merge renderer.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Keep in step with the test cluster (scripts/testbed/cluster/kube/go.mod).
const VERSION = 'v1.35.8';
const KINDS = {
  api__v1: ['ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Namespace', 'Pod', 'PersistentVolumeClaim'],
  apis__apps__v1: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'],
  apis__batch__v1: ['Job', 'CronJob'],
  apis__policy__v1: ['PodDisruptionBudget'],
  'apis__networking.k8s.io__v1': ['NetworkPolicy', 'Ingress'],
  apis__autoscaling__v2: ['HorizontalPodAutoscaler'],
  'apis__rbac.authorization.k8s.io__v1': ['Role', 'RoleBinding'],
};
// Formats ajv-formats checks; Kubernetes' own (int-or-string) are already expressed by oneOf.
const FORMATS = new Set(['int32', 'int64', 'date-time']);
const KEEP_EXTENSIONS = new Set(['x-kubernetes-patch-merge-key', 'x-kubernetes-patch-strategy']);

function moduleDir() {
  if (process.argv[2]) return process.argv[2];
  const out = execFileSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${VERSION}`], {
    env: { ...process.env, GOFLAGS: '-modcacherw' },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return { dir: JSON.parse(out).Dir, sum: JSON.parse(out).Sum };
}

function clean(node) {
  if (Array.isArray(node)) return node.map((item) => clean(item));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key === 'default' || key === 'example') continue;
    if (key.startsWith('x-') && !KEEP_EXTENSIONS.has(key)) continue;
    if (key === 'format' && !FORMATS.has(value)) continue;
    if (key === '$ref') {
      out.$ref = value.replace('#/components/schemas/', '#/definitions/');
      continue;
    }
    // `properties` maps field names to schemas: its keys are not keywords.
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, clean(schema)]))
        : clean(value);
  }
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    !node['x-kubernetes-preserve-unknown-fields']
  ) {
    out.additionalProperties = false;
  }
  return out;
}

function refsOf(node, found) {
  if (Array.isArray(node)) for (const item of node) refsOf(item, found);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value.split('/').pop());
      else refsOf(value, found);
    }
  }
}

const source = moduleDir();
const dir = typeof source === 'string' ? source : source.dir;
const all = {};
const kinds = {};
const queue = [];
for (const [file, wanted] of Object.entries(KINDS)) {
  const doc = JSON.parse(
    readFileSync(join(dir, 'api', 'openapi-spec', 'v3', `${file}_openapi.json`), 'utf8'),
  );
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    all[name] ??= schema;
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
      if (!wanted.includes(gvk.kind) || name.includes('.meta.v1.')) continue;
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      kinds[`${apiVersion}/${gvk.kind}`] = name;
      queue.push(name);
    }
  }
}
const definitions = {};
while (queue.length > 0) {
  const name = queue.pop();
  if (definitions[name]) continue;
  if (!all[name]) throw new Error(`${name} is referenced but not defined`);
  definitions[name] = clean(all[name]);
  const refs = [];
  refsOf(all[name], refs);
  queue.push(...refs);
}
const bundle = {
  $id: `https://slipway.invalid/schemas/kubernetes-${VERSION}.json`,
  $comment: `Pruned from k8s.io/kubernetes@${VERSION} api/openapi-spec/v3${typeof source === 'string' ? '' : ` (module ${source.sum})`} by src/kube/schemas/build.mjs; do not edit.`,
  'x-kubernetes-version': VERSION,
  'x-kinds': Object.fromEntries(Object.entries(kinds).sort()),
  definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => (a < b ? -1 : 1))),
};
const target = join(dirname(fileURLToPath(import.meta.url)), 'kubernetes.json');
writeFileSync(target, `${JSON.stringify(bundle)}\n`);
// The repository's formatter owns JSON layout; format here so a regeneration shows no diff.
execFileSync('npx', ['biome', 'format', '--write', target], { stdio: 'ignore' });
console.error(
  `wrote ${target}: ${Object.keys(kinds).length} kinds, ${Object.keys(definitions).length} definitions`,
);
