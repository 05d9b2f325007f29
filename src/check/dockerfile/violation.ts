import type { DockerfileFacts } from '../../dockerfile/facts.js';
import type { Violation } from '../types.js';

/** A finding on a line of a Dockerfile. */
export function at(
  facts: DockerfileFacts,
  line: number,
  message: string,
  extra: { hint?: string; evidence?: string[] } = {},
): Violation {
  return { message, location: { file: facts.path, line }, ...extra };
}
