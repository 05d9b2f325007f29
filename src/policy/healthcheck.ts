/**
 * What a health check (`HEALTHCHECK` in a Dockerfile, `Healthcheck.Test` in an image config)
 * amounts to. Check (SLW-D009), verify (verify.healthcheck) and scan (scan.hardening.healthcheck)
 * judge it through this one reading.
 */
export type HealthcheckVerdict =
  | { readonly kind: 'missing' }
  /** `HEALTHCHECK NONE` (`["NONE"]` in the config) turns off a check inherited from the base. */
  | { readonly kind: 'disabled' }
  | { readonly kind: 'present' };

/** From a Dockerfile: the arguments of the last HEALTHCHECK of the final stage, if any. */
export function readHealthcheckInstruction(args: string | undefined): HealthcheckVerdict {
  if (args === undefined) return { kind: 'missing' };
  return /^NONE\b/i.test(args.trim()) ? { kind: 'disabled' } : { kind: 'present' };
}

/** From an image config: `Healthcheck.Test` (`["CMD", …]`, `["CMD-SHELL", …]` or `["NONE"]`). */
export function readHealthcheckTest(test: readonly string[] | undefined | null): HealthcheckVerdict {
  if (!test || test.length === 0) return { kind: 'missing' };
  return test[0] === 'NONE' ? { kind: 'disabled' } : { kind: 'present' };
}
