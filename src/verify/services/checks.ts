import { fail, pass, seconds, skip, type VerifyCheck } from '../check.js';

/**
 * `verify.services` and `verify.migrate`: registered by the runner only when the target names
 * companion services or a migration, before `verify.starts` (which waits for the same preparation).
 */
export const servicesCheck: VerifyCheck = {
  id: 'verify.services',
  severity: 'error',
  docs: 'docs/commands/verify.md#verify.services',
  title: 'its companion services start and are healthy',
  hint:
    'the service image must be present or pullable (`docker image ls`), and start with only the ' +
    "official image's variables (POSTGRES_USER/PASSWORD/DB, ...); its log above says why it did not",
  async run(context) {
    const prepared = await context.prepared();
    const evidence = prepared.services.flatMap((service) => [
      `${service.ok ? 'ok' : 'FAILED'}: ${service.message}`,
      ...service.evidence.map((line) => `  ${line}`),
    ]);
    const settings = prepared.services.flatMap((service) => [
      ...Object.keys(service.plan.appPlain),
      ...Object.keys(service.plan.appSecret),
    ]);
    const secret = prepared.services.some((service) => Object.keys(service.plan.appSecret).length > 0);
    evidence.push(
      `on a private network of this run's own; the app is told through ${
        settings.length > 0 ? settings.join(', ') : 'no setting (none names these services)'
      }${secret ? '; passwords through the 0600 env-file' : ''}`,
    );
    const down = prepared.services.filter((service) => !service.ok);
    if (down.length > 0) return fail(down.map((service) => service.message).join('; '), evidence);
    const slowest = Math.max(0, ...prepared.services.map((service) => service.readyMs ?? 0));
    return pass(
      `${prepared.services.map((service) => service.plan.image).join(' and ')} healthy within ${seconds(slowest)}`,
      evidence,
    );
  },
};

export const migrateCheck: VerifyCheck = {
  id: 'verify.migrate',
  severity: 'error',
  docs: 'docs/commands/verify.md#verify.migrate',
  title: 'its migration runs against the companion database before the app starts',
  hint:
    'run the migration by hand against a fresh database (`docker compose run --rm <app> <command>`); ' +
    'the output above says why it failed (a missing revision, a setting it reads, a file not in the image)',
  async run(context) {
    const prepared = await context.prepared();
    const migration = prepared.migration;
    if (!migration) {
      return skip(`skipped: the migration did not run (${prepared.failure ?? 'nothing to run'})`);
    }
    if (!migration.ok) {
      return fail(
        `\`${migration.step.command.join(' ')}\` exited ${migration.code ?? '(killed at its deadline)'}`,
        migration.evidence,
      );
    }
    return pass(
      `\`${migration.step.command.join(' ')}\` exited 0 after ${seconds(migration.durationMs)}`,
      migration.evidence,
    );
  },
};
