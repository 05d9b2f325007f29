import type { MigrationStep } from '../../analyze/model.js';
import type { ContainerEngine } from '../../engines/engine.js';
import { seconds, shown, tail } from '../check.js';
import type { ServicePlan } from './plan.js';

/**
 * What runs before the app: each companion service started and waited for (its own readiness
 * tool, run inside it, until it exits 0), then the migration, once, with the app's image and
 * settings on the same private network. The session owns the containers; this only sequences them.
 */
export interface PreparationHost {
  readonly engine: ContainerEngine;
  /** Starts a service container on the run's network (labelled, tracked, its secrets in an env-file). */
  startService(plan: ServicePlan): Promise<string>;
  /** Runs the migration command in the app's image on the run's network, with the app's settings. */
  runMigration(
    command: readonly string[],
    timeoutMs: number,
  ): Promise<{ output: string; code: number | null }>;
  /** The run was cleaned up (an interrupt, an error): stop waiting at once. */
  cancelled(): boolean;
}

export interface ServiceOutcome {
  readonly plan: ServicePlan;
  readonly ok: boolean;
  /** From `run` to the first healthy answer. */
  readonly readyMs: number | undefined;
  readonly message: string;
  readonly evidence: readonly string[];
}

export interface MigrationOutcome {
  readonly step: MigrationStep;
  readonly ok: boolean;
  readonly code: number | null;
  readonly durationMs: number;
  readonly evidence: readonly string[];
}

export interface Preparation {
  readonly ok: boolean;
  readonly services: readonly ServiceOutcome[];
  /** Absent when the project has no migration, or when a service failed first. */
  readonly migration: MigrationOutcome | undefined;
  /** Why the app cannot be started (a service or the migration failed). */
  readonly failure: string | undefined;
}

export interface PrepareOptions {
  readonly healthDeadlineMs: number;
  readonly migrationTimeoutMs: number;
  /** @default 500 */
  readonly pollMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startAndWait(
  host: PreparationHost,
  plan: ServicePlan,
  options: PrepareOptions,
): Promise<ServiceOutcome> {
  const started = Date.now();
  let id: string;
  try {
    id = await host.startService(plan);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return {
      plan,
      ok: false,
      readyMs: undefined,
      message: `${plan.image} did not start: ${text.split('\n')[0]}`,
      evidence: tail(text, 6),
    };
  }
  const probe = `$ ${shown(plan.health)} (inside the ${plan.kind} container)`;
  let last = '';
  while (Date.now() - started < options.healthDeadlineMs && !host.cancelled()) {
    const result = await host.engine.execIn(id, plan.health, { timeoutMs: 10_000 });
    if (result.code === 0) {
      const readyMs = Date.now() - started;
      return {
        plan,
        ok: true,
        readyMs,
        message: `${plan.shown}: healthy after ${seconds(readyMs)}`,
        evidence: [probe, `→ ${(result.stdout.trim() || 'exit 0').split('\n')[0]}`],
      };
    }
    last = (result.stdout + result.stderr).trim().split('\n')[0] ?? '';
    const state = await host.engine.state(id).catch(() => undefined);
    if (state && !state.running) {
      const log = await host.engine.logs(id).catch(() => '');
      return {
        plan,
        ok: false,
        readyMs: undefined,
        message: `${plan.image} exited with code ${state.exitCode} before it was healthy`,
        evidence: [probe, `${plan.kind} log (last lines):`, ...tail(log)],
      };
    }
    await sleep(options.pollMs ?? 500);
  }
  if (host.cancelled()) {
    return { plan, ok: false, readyMs: undefined, message: 'verify was cancelled', evidence: [] };
  }
  const log = await host.engine.logs(id).catch(() => '');
  return {
    plan,
    ok: false,
    readyMs: undefined,
    message: `${plan.shown} was not healthy within ${seconds(options.healthDeadlineMs)} (last: ${last || 'no answer'})`,
    evidence: [probe, `${plan.kind} log (last lines):`, ...tail(log)],
  };
}

export async function prepare(
  host: PreparationHost,
  plans: readonly ServicePlan[],
  migration: MigrationStep | undefined,
  options: PrepareOptions,
): Promise<Preparation> {
  // Side by side: a database's first start (initdb) is the slow part, a cache is ready at once.
  const services = await Promise.all(plans.map((plan) => startAndWait(host, plan, options)));
  const down = services.filter((service) => !service.ok);
  if (down.length > 0) {
    return {
      ok: false,
      services,
      migration: undefined,
      failure: down.map((service) => service.message).join('; '),
    };
  }
  if (!migration) return { ok: true, services, migration: undefined, failure: undefined };
  const started = Date.now();
  const result = await host.runMigration(migration.command, options.migrationTimeoutMs);
  const durationMs = Date.now() - started;
  const ok = result.code === 0;
  const outcome: MigrationOutcome = {
    step: migration,
    ok,
    code: result.code,
    durationMs,
    evidence: [
      `$ ${shown(migration.command)} (${migration.why}; the app's image, settings and user, read-only root)`,
      `exit ${result.code ?? `none: killed after ${seconds(options.migrationTimeoutMs)}`} after ${seconds(durationMs)}`,
      'output (last lines):',
      ...tail(result.output),
    ],
  };
  return {
    ok,
    services,
    migration: outcome,
    failure: ok
      ? undefined
      : `the migration \`${shown(migration.command)}\` exited ${result.code ?? '(timeout)'}`,
  };
}
