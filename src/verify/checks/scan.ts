import { type ScanOptions, scanImage } from '../../scan/index.js';
import { fail, pass, skip, type VerifyCheck } from '../check.js';

/**
 * `slipway scan` as one verify check: the image's packages, secrets in every layer and its
 * hardening, judged at the scan's fail-on threshold. The full report is `slipway scan`'s.
 * A pass claims "no known vulnerabilities", so it needs vulnerability data: without it the check
 * is a skip (unless it saw something that fails on its own, a secret or a hardening gap).
 */
export function scanCheck(options: Omit<ScanOptions, 'engine' | 'image'> = {}): VerifyCheck {
  return {
    id: 'verify.scan',
    severity: 'error',
    docs: 'docs/commands/verify.md#verify.scan',
    title: 'scan: no known vulnerabilities, secrets or hardening gaps at the threshold',
    hint: 'run `slipway scan` on the image for the full report and the fix of each finding',
    async run(context) {
      const report = await scanImage({ ...options, engine: context.engine, image: context.image });
      const failing = report.scanFindings.filter((f) => f.result.status === 'fail' && !f.result.suppressed);
      const matched = report.stats.osvRecords !== undefined;
      const evidence = [
        `${report.packages.length} packages (SBOM: CycloneDX 1.6), ${report.stats.textFilesScanned} text files scanned for secrets`,
        matched
          ? `vulnerabilities: ${report.vulnerabilities.length} from ${report.stats.osvRecords} OSV records`
          : 'vulnerabilities: not matched (no --osv data given)',
        ...failing.map((f) => `${f.severity}: ${f.result.id}: ${f.result.message}`),
      ];
      if (report.failed) return fail(`findings at or above ${report.failOn}`, evidence);
      if (!matched) {
        return skip(
          `no vulnerability data given (--osv): packages not matched; no secret or hardening finding at or above ${report.failOn}`,
          evidence,
        );
      }
      return pass(`nothing at or above ${report.failOn}`, evidence);
    },
  };
}
