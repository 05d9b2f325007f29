import type { VerifyCheck } from '../check.js';
import { answersCheck } from './answers.js';
import { codeReadOnlyCheck } from './code-read-only.js';
import { envSecretsCheck } from './env-secrets.js';
import { gracefulShutdownCheck } from './graceful-shutdown.js';
import { healthcheckCheck } from './healthcheck.js';
import { noBuildToolsCheck } from './no-build-tools.js';
import { nonRootCheck } from './non-root.js';
import { restrictedCheck } from './restricted.js';
import { routesCheck } from './routes.js';
import { sizeCheck } from './size.js';
import { startsCheck } from './starts.js';

/**
 * Every built-in check, in the order they run and are reported. The static ones come first; then
 * `verify.starts`, which starts the app container and must be first to watch it (time-to-listen is
 * measured from its start); the checks that need the running app follow.
 */
export const BUILTIN_CHECKS: readonly VerifyCheck[] = [
  sizeCheck,
  noBuildToolsCheck,
  codeReadOnlyCheck,
  startsCheck,
  nonRootCheck,
  answersCheck,
  routesCheck,
  envSecretsCheck,
  healthcheckCheck,
  restrictedCheck,
  gracefulShutdownCheck,
];
