import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import bundle from './schemas/kubernetes.json' with { type: 'json' };

/**
 * Validation against the bundled, pruned Kubernetes OpenAPI schema (see schemas/build.mjs for
 * where it comes from). Offline by design: `slipway check` must work in CI with no cluster.
 */
export const KUBERNETES_VERSION: string = bundle['x-kubernetes-version'];

const kinds: Readonly<Record<string, string>> = bundle['x-kinds'];

/**
 * The validators `npm run build` precompiles from the bundle (scripts/build/validators.mjs, ajv
 * standalone code): loading them takes milliseconds where compiling the schema takes most of a
 * second. Running from the sources (tests), there are none and the schema is compiled at first use,
 * with the same options.
 */
const PRECOMPILED = fileURLToPath(new URL('./schemas/validators.cjs', import.meta.url));

let precompiled: Readonly<Record<string, ValidateFunction>> | undefined | null;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/** Precompiled validators from `file`, or null when there are none. */
export function loadPrecompiled(
  file: string = PRECOMPILED,
): Readonly<Record<string, ValidateFunction>> | null {
  if (!existsSync(file)) return null;
  return createRequire(import.meta.url)(file) as Record<string, ValidateFunction>;
}

function validator(definition: string): ValidateFunction {
  if (precompiled === undefined) precompiled = loadPrecompiled();
  const ready = precompiled?.[definition];
  if (ready) return ready;
  let validate = compiled.get(definition);
  if (validate) return validate;
  ajv ??= compilingAjv();
  validate = ajv.compile({ $ref: `${bundle.$id}#/definitions/${definition}` });
  compiled.set(definition, validate);
  return validate;
}

function compilingAjv(): Ajv {
  const require = createRequire(import.meta.url);
  const { Ajv: AjvClass } = require('ajv') as typeof import('ajv');
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
  // strict: false because the OpenAPI-derived schema carries x-kubernetes-* keywords (the patch
  // hints the renderer reads) that are not JSON Schema. scripts/build/validators.mjs uses the same.
  const instance = new AjvClass({ allErrors: true, strict: false });
  addFormats(instance, ['int32', 'int64', 'date-time']);
  instance.addSchema(bundle);
  return instance;
}

/** Validates with given validators instead of the loaded ones (tests compare the two ways). */
export function validateWith(
  validators: Readonly<Record<string, ValidateFunction>>,
  apiVersion: string,
  kind: string,
  value: unknown,
): SchemaProblem[] | undefined {
  const definition = kinds[`${apiVersion}/${kind}`];
  const validate = definition ? validators[definition] : undefined;
  if (!validate) return undefined;
  return validate(value) ? [] : summarize(validate.errors ?? []);
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
