import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectModel } from '../analyze/model.js';
import { ProjectError } from '../errors.js';

export interface SecretFiles {
  /** BuildKit secret id → file, for the engine's `--secret id=...,src=...`. */
  readonly files: Readonly<Record<string, string>>;
  /** Deletes the files written for this build (the ones given with --secret are the user's). */
  readonly remove: () => Promise<void>;
}

/**
 * The build secrets the Dockerfile mounts: the ones given (`--secret id=...,src=FILE`) as they
 * are, and those analyze found (private index credentials, model.buildSecrets) from the variables
 * uv itself would read, written to 0600 files in a 0700 folder for this build only. The values
 * never reach a command line, a log or a layer. One the Dockerfile needs and nobody gave is exit 2,
 * before the build starts, naming the variable and both ways to give it.
 */
export async function secretFiles(
  model: ProjectModel,
  given: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SecretFiles> {
  const needed = (model.buildSecrets ?? []).filter((secret) => !(secret.id in given));
  const missing = needed.filter((secret) => !env[secret.env]);
  if (missing.length > 0) {
    const names = missing.map((secret) => secret.env);
    throw new ProjectError(
      `the build needs ${names.join(', ')} for ${missing[0]?.why ?? 'a private index'}${missing.length > 1 ? ' (and more)' : ''}, and ${names.length > 1 ? 'they are' : 'it is'} not set`,
      {
        fix: `export ${names.map((name) => `${name}=...`).join(' ')}, or pass --secret ${missing.map((secret) => `id=${secret.id},src=FILE`).join(' --secret ')}`,
      },
    );
  }
  if (needed.length === 0) return { files: given, remove: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'slipway-build-secrets-'));
  const files: Record<string, string> = { ...given };
  try {
    for (const secret of needed) {
      const file = join(dir, secret.id);
      await writeFile(file, env[secret.env] as string, { mode: 0o600 });
      files[secret.id] = file;
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { files, remove: () => rm(dir, { recursive: true, force: true }) };
}
