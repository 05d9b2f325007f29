import type { ProjectModel } from '../analyze/model.js';
import type { ContainerEngine } from '../engines/engine.js';
import type { FailOn } from '../scan/index.js';
import { osvSources } from '../scan/vulns/update.js';
import type { VerifyCheck } from './check.js';
import { scanCheck } from './checks/scan.js';
import { type VerifyOptions, type VerifyReport, verifyImage } from './runner.js';
import { defaultTarget, targetFromLabels, targetFromModel } from './target.js';

export interface VerifyBuiltOptions extends Pick<VerifyOptions, 'onCheckStart' | 'onResult' | 'signals'> {
  /** Run the scan (SBOM, vulnerabilities, secrets, hardening) as the check `verify.scan`. @default true */
  readonly scan?: boolean;
  /** OSV data for the scan: a folder of OSV JSON files or an OSV all.zip export (offline).
   * @default what `slipway scan --update-db` cached, if anything */
  readonly osv?: string;
  /** OpenVEX / CycloneDX VEX documents for the scan. */
  readonly vex?: readonly string[];
  /** Lowest scan severity that fails verify.scan. @default 'high' (the scan's) */
  readonly failOn?: FailOn;
  /** Checks run after the built-in ones and the scan. */
  readonly extraChecks?: readonly VerifyCheck[];
}

/**
 * Verifies an image against the project it was built from (its port, routes, settings and uid),
 * or against what the image's labels say (slipway build writes them), or the defaults: the one verify step that `slipway verify`
 * and `slipway ship` both run.
 */
export async function verifyBuilt(
  engine: ContainerEngine,
  image: string,
  model: ProjectModel | undefined,
  options: VerifyBuiltOptions = {},
): Promise<VerifyReport> {
  // Without the project, an image built by slipway still says what it needs (its labels).
  const labels = model ? undefined : (await engine.inspectImage(image))?.labels;
  const target = model ? targetFromModel(model) : ((labels && targetFromLabels(labels)) ?? defaultTarget());
  const { sources } = options.scan === false ? { sources: [] } : await osvSources(options.osv);
  const extraChecks = [
    ...(options.scan === false
      ? []
      : [
          scanCheck({
            ...(sources.length > 0 ? { osv: sources } : {}),
            ...(options.failOn ? { failOn: options.failOn } : {}),
            ...(options.vex ? { vex: options.vex } : {}),
          }),
        ]),
    ...(options.extraChecks ?? []),
  ];
  return verifyImage({
    engine,
    image,
    target,
    extraChecks,
    ...(options.onCheckStart ? { onCheckStart: options.onCheckStart } : {}),
    ...(options.onResult ? { onResult: options.onResult } : {}),
    ...(options.signals ? { signals: options.signals } : {}),
  });
}
