import type { AppliedObject } from '../deploy/apply.js';
import type { Diagnosis } from '../deploy/diagnose.js';
import type { DeployOutcome, UndeployOutcome } from '../deploy/outcome.js';
import type { RolloutProgress } from '../deploy/rollout.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** One line per rollout poll: counts, then each pod's phase. */
export function progressLine(p: RolloutProgress): string {
  const pods = p.pods
    .map((pod) => {
      const state = pod.terminating ? 'Terminating' : pod.ready ? 'ready' : pod.phase;
      return `${pod.name.split('-').at(-1)} ${state}${pod.restarts ? ` (${pod.restarts} restarts)` : ''}`;
    })
    .join(', ');
  return `  ${p.updated}/${p.desired} updated, ${p.ready} ready, ${p.available} available [${seconds(p.elapsedMs)}]${pods ? ` · ${pods}` : ''}`;
}

/**
 * Live rollout progress on stderr: rewritten in place on a terminal, otherwise printed only when
 * something changed (so a log file shows each step once).
 */
export function rolloutPrinter(stream: NodeJS.WritableStream, tty: boolean) {
  let last = '';
  let open = false;
  return {
    onProgress(progress: RolloutProgress) {
      const line = progressLine(progress);
      const key = line.replace(/ \[[\d.]+s\]/, '');
      if (tty) {
        stream.write(`\r\x1b[2K${line.slice(0, 200)}`);
        open = true;
      } else if (key !== last) stream.write(`${line}\n`);
      last = key;
    },
    stop() {
      if (open) stream.write('\n');
      open = false;
    },
  };
}

export function appliedLine(object: AppliedObject, dryRun: boolean): string {
  const what = `${object.kind.toLowerCase()}/${object.name}`;
  const action = dryRun
    ? { created: 'would be created', configured: 'would change', unchanged: 'unchanged' }[object.action]
    : object.action;
  const changes = object.action === 'configured' ? `: ${object.changes.join(', ')}` : '';
  return `  ${what} ${action}${changes}`;
}

export function renderDiagnoses(diagnoses: readonly Diagnosis[]): string {
  // Several pods of one revision usually fail alike; the same cause is shown once, with a count.
  const byCause = new Map<string, { d: Diagnosis; count: number }>();
  for (const d of diagnoses) {
    const key = `${d.kind}:${d.summary.replace(/\d+ restarts/, '')}`;
    const entry = byCause.get(key);
    if (entry) entry.count++;
    else byCause.set(key, { d, count: 1 });
  }
  const lines: string[] = [];
  for (const { d, count } of byCause.values()) {
    const where = `${d.object}${d.container ? ` (container ${d.container})` : ''}${count > 1 ? ` and ${count - 1} more` : ''}`;
    lines.push(`✗ ${d.kind}: ${d.summary}`, `    in ${where}`);
    for (const detail of d.details) lines.push(`    ${detail}`);
    lines.push(`    fix: ${d.fix}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

export function renderDeploySummary(outcome: DeployOutcome): string {
  const name = outcome.model.name;
  const where = `${outcome.context}, namespace ${outcome.namespace}${outcome.namespaceCreated ? ' (created, pod-security restricted)' : ''}`;
  const lines: string[] = [];
  if (outcome.dryRun) {
    lines.push(`dry run (server side) of ${name} ${outcome.image} on ${where}: nothing was changed`);
    lines.push(...outcome.applied.map((o) => appliedLine(o, true)));
    return `${lines.join('\n')}\n`;
  }
  if (outcome.load) {
    lines.push(
      `image   ${outcome.image} ${outcome.load.loaded ? 'loaded into' : 'already in'} ${outcome.load.via}`,
    );
  }
  const counts = { created: 0, configured: 0, unchanged: 0 };
  for (const o of outcome.applied) counts[o.action]++;
  lines.push(
    `applied ${outcome.applied.length} objects (server-side apply, field manager slipway): ${counts.created} created, ${counts.configured} configured, ${counts.unchanged} unchanged`,
  );
  const rollout = outcome.rollout;
  if (rollout?.ok) {
    lines.push(
      `rollout ${rollout.progress.available}/${rollout.progress.desired} replicas available in ${seconds(rollout.durationMs)}`,
    );
  } else if (rollout) {
    const why = rollout.timedOut
      ? `did not become available within ${seconds(rollout.durationMs)}`
      : `failed after ${seconds(rollout.durationMs)}`;
    lines.push(
      `rollout FAILED: deployment/${outcome.model.name} ${why} (${rollout.progress.ready}/${rollout.progress.desired} ready)`,
    );
    const text = renderDiagnoses(rollout.diagnoses);
    lines.push(
      text ? text.trimEnd() : '  no cause found in pod status or events; kubectl describe pods shows more',
    );
  }
  const smoke = outcome.smoke;
  if (smoke) {
    lines.push(
      `smoke   GET ${new URL(smoke.url).pathname} → ${smoke.status || 'no answer'} via port-forward to pod/${smoke.pod} (tunnel ${smoke.connectMs} ms, request ${smoke.requestMs} ms)${smoke.ok ? '' : ' FAILED'}`,
    );
  }
  lines.push(
    outcome.ok
      ? `deployed ${outcome.image} to ${where} in ${seconds(outcome.durationMs)}`
      : `deploy of ${outcome.image} to ${where} FAILED`,
  );
  return `${lines.join('\n')}\n`;
}

export function renderUndeploySummary(outcome: UndeployOutcome): string {
  const verb = outcome.dryRun ? 'would delete' : 'deleted';
  const lines = outcome.removed.map((o) => `  ${verb} ${o.kind.toLowerCase()}/${o.name}`);
  if (outcome.removed.length === 0)
    lines.push(`  nothing that slipway applied is left in namespace ${outcome.namespace}`);
  if (outcome.namespaceDeleted) lines.push(`  ${verb} namespace ${outcome.namespace}`);
  // The built-in subset is the offline fallback: say so whenever it was the one used.
  if (outcome.renderedBy !== 'kubectl kustomize') lines.push(`  rendered with ${outcome.renderedBy}`);
  lines.push(
    `undeployed from ${outcome.context}, namespace ${outcome.namespace}${outcome.dryRun ? ' (dry run)' : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
