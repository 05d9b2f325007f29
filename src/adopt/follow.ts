import type { SlipwayConfig } from '../config/schema.js';
import type { DockerfileChoice } from './dockerfile.js';

/**
 * The port and ids the pods use follow the project's own image, unless [tool.slipway] sets them.
 * An image that runs as root (or as a user whose ids only its /etc/passwd knows) keeps the
 * restricted defaults: the pods still run as non-root, and init says so.
 */
export function followImage(config: SlipwayConfig, raw: unknown, choice: DockerfileChoice): SlipwayConfig {
  const image = choice.image;
  if (choice.origin !== 'own' || !image) return config;
  const set = (key: string) =>
    raw !== null && typeof raw === 'object' && (raw as Record<string, unknown>)[key] !== undefined;
  const user = image.user.kind === 'ids' ? image.user : undefined;
  return {
    ...config,
    port: set('port') || !image.port ? config.port : image.port.value,
    uid: set('uid') || !user ? config.uid : user.uid,
    gid: set('gid') || !user ? config.gid : (user.gid ?? user.uid),
  };
}

/** An app without a health route whose own HEALTHCHECK requests one: the probes request the same. */
export function followHealth<T extends { readonly liveness: string | undefined }>(
  found: T,
  choice: DockerfileChoice,
): T | { liveness: string; readiness: string } {
  const path = choice.image?.healthPath;
  return found.liveness || !path ? found : { liveness: path, readiness: path };
}
