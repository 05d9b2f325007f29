import { detectEngine } from '../../src/engines/detect.js';
import type { ContainerEngine } from '../../src/engines/engine.js';

/**
 * The real engine for e2e tests. The global setup has brought the test bed up, so an engine that
 * does not answer here is a failure, never a skip.
 */
export async function realEngine(): Promise<ContainerEngine> {
  return (await detectEngine()).engine;
}

/** A label value unique to one test run, to find (and remove) everything the run made. */
export function runLabel(name: string): string {
  return `io.slipway.test=${name}-${process.pid}-${Date.now()}`;
}
