import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import bundle from './schemas/kubernetes.json' with { type: 'json' };

/**
 * Validation against the bundled, pruned Kubernetes OpenAPI schema (see schemas/build.mjs for
 * where it comes from). Offline by design: `slipway check` must work in CI with no cluster.
 */
export const KUBERNETES_VERSION: string = bundle['x-kubernetes-version'];

const kinds: Readonly<Record<string, string>> = bundle['x-kinds'];

// ajv-formats is CommonJS; under NodeNext its default import is the module object on some paths.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  addFormatsModule) as FormatsPlugin;

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(definition: string): ValidateFunction {
  let validate = compiled.get(definition);
  if (validate) return validate;
  if (!ajv) {
    // strict: false because the OpenAPI-derived schema carries x-kubernetes-* keywords (the patch
    // hints the renderer reads) that are not JSON Schema.
    ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv, ['int32', 'int64', 'date-time']);
    ajv.addSchema(bundle);
  }
  validate = ajv.compile({ $ref: `${bundle.$id}#/definitions/${definition}` });
  compiled.set(definition, validate);
  return validate;
}

export interface SchemaProblem {
  /** Field path of the problem inside the object. */
  readonly path: (string | number)[];
  readonly message: string;
}

/** Whether the schema bundle knows this apiVersion/kind (custom resources are not validated). */
export function knownKind(apiVersion: string, kind: string): boolean {
  return `${apiVersion}/${kind}` in kinds;
}

export function validateObject(apiVersion: string, kind: string, value: unknown): SchemaProblem[] {
  const definition = kinds[`${apiVersion}/${kind}`];
  if (!definition) return [];
  const validate = validator(definition);
  if (validate(value)) return [];
  return summarize(validate.errors ?? []);
}

/**
 * ajv reports every branch of a oneOf (IntOrString, Quantity) and the oneOf itself; one problem
 * per field, most specific first, reads better.
 */
function summarize(errors: readonly ErrorObject[]): SchemaProblem[] {
  const byPath = new Map<string, SchemaProblem>();
  for (const error of errors) {
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    let message: string;
    if (error.keyword === 'additionalProperties') {
      const field = String((error.params as { additionalProperty: string }).additionalProperty);
      path.push(field);
      message = `unknown field "${field}"`;
    } else if (error.keyword === 'required') {
      message = `missing required field "${(error.params as { missingProperty: string }).missingProperty}"`;
    } else if (error.keyword === 'oneOf') {
      message = 'must be an integer or a string';
    } else if (error.keyword === 'enum') {
      message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } else {
      message = error.message ?? error.keyword;
    }
    const key = path.join('.');
    // A oneOf branch error ("must be integer") is less useful than the oneOf summary.
    if (byPath.has(key) && error.keyword !== 'oneOf') continue;
    byPath.set(key, { path, message });
  }
  return [...byPath.values()];
}

export function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}
