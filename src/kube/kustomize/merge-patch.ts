import bundle from '../schemas/kubernetes.json' with { type: 'json' };

/**
 * Strategic merge patch, the subset Kustomize patches use: maps merge key by key, `null` deletes a
 * key, lists merge by their patch merge key (containers by name, ports by containerPort...) where
 * the Kubernetes schema says so and are replaced otherwise, `$patch: delete` removes a list item.
 * The merge keys come from the bundled OpenAPI schema, as in kubectl.
 */
type Json = unknown;
type SchemaNode = Record<string, unknown>;

const definitions = bundle.definitions as unknown as Record<string, SchemaNode>;
const kinds = bundle['x-kinds'] as Record<string, string>;

function resolve(node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let depth = 0; current && depth < 10; depth += 1) {
    const ref =
      (current.$ref as string | undefined) ??
      ((current.allOf as SchemaNode[] | undefined)?.[0]?.$ref as string | undefined);
    if (!ref) return current;
    const target = definitions[ref.split('/').pop() ?? ''];
    // Keep the patch hints of the referring property: they sit beside the $ref.
    current = target ? { ...target, ...pick(current) } : undefined;
  }
  return current;
}

function pick(node: SchemaNode): SchemaNode {
  const out: SchemaNode = {};
  for (const key of ['x-kubernetes-patch-merge-key', 'x-kubernetes-patch-strategy'])
    if (node[key] !== undefined) out[key] = node[key];
  return out;
}

function isObject(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function schemaFor(apiVersion: string, kind: string): SchemaNode | undefined {
  const name = kinds[`${apiVersion}/${kind}`];
  return name ? definitions[name] : undefined;
}

export function strategicMerge(base: Json, patch: Json, schema: SchemaNode | undefined): Json {
  if (!isObject(base) || !isObject(patch)) return patch;
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return rest;
  }
  const out: Record<string, Json> = { ...base };
  const properties = (resolve(schema)?.properties ?? {}) as Record<string, SchemaNode>;
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch') continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const field = properties[key];
    const fieldSchema = resolve(field);
    if (Array.isArray(value) && Array.isArray(out[key])) {
      out[key] = mergeList(out[key] as Json[], value, field, fieldSchema);
    } else if (isObject(value) && isObject(out[key])) {
      // A map without a declared schema (labels, annotations, data) still merges key by key.
      out[key] = strategicMerge(
        out[key],
        value,
        fieldSchema ?? (field?.additionalProperties as SchemaNode | undefined),
      );
    } else {
      out[key] = value;
    }
  }
  return out;
}

function mergeList(
  base: Json[],
  patch: Json[],
  field: SchemaNode | undefined,
  resolved: SchemaNode | undefined,
): Json[] {
  const mergeKey = (field?.['x-kubernetes-patch-merge-key'] ?? resolved?.['x-kubernetes-patch-merge-key']) as
    | string
    | undefined;
  const strategy = String(
    field?.['x-kubernetes-patch-strategy'] ?? resolved?.['x-kubernetes-patch-strategy'] ?? '',
  );
  if (!strategy.split(',').includes('merge')) return patch;
  const items = resolve(resolved?.items as SchemaNode | undefined);
  if (!mergeKey) {
    // A merge list of scalars (finalizers): union, keeping order.
    return [...base, ...patch.filter((item) => !base.includes(item))];
  }
  const out = [...base];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = out.findIndex((existing) => isObject(existing) && existing[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
    } else if (index >= 0) out[index] = strategicMerge(out[index], item, items);
    else out.push(item);
  }
  return out;
}
