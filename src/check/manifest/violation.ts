import { type FieldPath, locate, type ManifestObject } from '../../kube/objects.js';
import type { Violation } from '../types.js';

/** A finding on a field of an object, located in the YAML that wrote it. */
export function violation(
  object: ManifestObject,
  path: FieldPath,
  message: string,
  extra: { hint?: string; evidence?: string[] } = {},
): Violation {
  const { scopeLine, ...location } = locate(object, path);
  return { message, location, scopeLine, ...extra };
}
