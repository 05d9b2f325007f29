import { randomBytes } from 'node:crypto';
import { type CheckOutcome, fail, pass, type VerifyCheck } from '../check.js';
import { tryGet } from '../http.js';
import { livenessProbe, separateReadiness } from '../liveness.js';

interface Probe {
  readonly ok: boolean;
  readonly line: string;
}

async function expectStatus(
  baseUrl: string,
  path: string,
  want: number | ((status: number) => boolean),
  what: string,
): Promise<Probe> {
  const answer = await tryGet(`${baseUrl}${path}`, 5_000);
  if ('error' in answer) return { ok: false, line: `GET ${path} (${what}): ${answer.error}` };
  const body = answer.body.replace(/\s+/g, ' ').slice(0, 120);
  const ok = typeof want === 'number' ? answer.status === want : want(answer.status);
  const wanted = typeof want === 'number' ? `want ${want}` : 'want below 500';
  return {
    ok,
    line: `GET ${path} (${what}) → ${answer.status} in ${answer.ms} ms${ok ? '' : `, ${wanted}`}: ${body}`,
  };
}

async function openapi(baseUrl: string, path: string): Promise<Probe> {
  const answer = await tryGet(`${baseUrl}${path}`, 10_000);
  if ('error' in answer) return { ok: false, line: `GET ${path}: ${answer.error}` };
  if (answer.status !== 200) return { ok: false, line: `GET ${path} → ${answer.status}, want 200` };
  try {
    const doc = JSON.parse(answer.body) as { openapi?: unknown; paths?: unknown };
    const paths = doc.paths && typeof doc.paths === 'object' ? Object.keys(doc.paths).length : undefined;
    if (typeof doc.openapi !== 'string' || paths === undefined) {
      return {
        ok: false,
        line: `GET ${path} → 200 but the document has no \`openapi\` version or \`paths\``,
      };
    }
    return {
      ok: true,
      line: `GET ${path} → 200, OpenAPI ${doc.openapi}, ${paths} paths, ${answer.body.length} bytes`,
    };
  } catch {
    return { ok: false, line: `GET ${path} → 200 but not JSON: ${answer.body.slice(0, 120)}` };
  }
}

/** The routes every deployment relies on answer as they should, and an unknown one is a clean 404. */
export const answersCheck: VerifyCheck = {
  id: 'verify.answers',
  severity: 'error',
  docs: 'docs/commands/verify.md#verify.answers',
  title: 'answers: liveness, /openapi.json valid, unknown path 404',
  requires: ['verify.starts'],
  hint: 'the failing request is in the evidence; a 5xx on an unknown path usually means a catch-all route or middleware that raises',
  async run(context): Promise<CheckOutcome> {
    const { target } = context;
    const { baseUrl } = await context.standard();
    const liveness = livenessProbe(target);
    const probes: Probe[] = [];
    if (liveness.route) {
      probes.push(await expectStatus(baseUrl, liveness.paths[0] ?? '/', 200, 'liveness'));
    } else if (!liveness.paths.includes(target.openapiPath ?? '')) {
      probes.push(
        await expectStatus(baseUrl, liveness.paths[0] ?? '/', liveness.accepts, 'liveness, no health route'),
      );
    }
    const readiness = separateReadiness(target);
    if (readiness) probes.push(await expectStatus(baseUrl, readiness, 200, 'readiness'));
    if (target.openapiPath) probes.push(await openapi(baseUrl, target.openapiPath));
    const unknown = `/slipway-verify-${randomBytes(6).toString('hex')}`;
    probes.push(await expectStatus(baseUrl, unknown, 404, 'unknown path'));
    const evidence = probes.map((probe) => `${probe.ok ? 'ok' : 'FAILED'} ${probe.line}`);
    const failed = probes.filter((probe) => !probe.ok);
    if (failed.length === 0) return pass(`${probes.length} requests answered as expected`, evidence);
    return fail(`${failed.length} of ${probes.length} requests did not answer as expected`, evidence);
  },
};
