import type { Cleanup } from './cleanup.js';

/**
 * A measurement that ran, or why it did not. A missing one is shown as missing in the report and
 * fails its budget: it is never read as a pass.
 */
export type Measured<T> = { readonly value: T } | { readonly missing: string };

/**
 * Runs one measurement group; an error (slipway exiting 2, a stage that did not run) makes it
 * missing instead of stopping the bench, so the rest of the run is still reported. An
 * interruption (Ctrl-C) is not a measurement result: it propagates.
 */
export async function measure<T>(
  what: string,
  cleanup: Cleanup,
  say: (message: string) => void,
  run: () => Promise<T>,
): Promise<Measured<T>> {
  try {
    return { value: await run() };
  } catch (error) {
    if (cleanup.interrupted) throw error;
    const missing = error instanceof Error ? error.message : String(error);
    say(`${what}: NOT MEASURED: ${missing}`);
    return { missing };
  }
}

export function measuredValue<T>(result: Measured<T>): T | undefined {
  return 'value' in result ? result.value : undefined;
}
