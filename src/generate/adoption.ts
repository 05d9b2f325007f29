import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { type Difference, differences } from '../adopt/reasons.js';
import type { ProjectModel } from '../analyze/model.js';
import { parseDockerfile } from '../dockerfile/facts.js';
import { livenessPath } from './common.js';

/** What init says about a Dockerfile of the project's own: kept, what the manifests take from it. */
export interface Adoption {
  /** Their Dockerfile, relative to the project root. */
  readonly dockerfile: string;
  /** Why that one (`the only Dockerfile in the project`, `built by service api of compose.yaml`). */
  readonly reason: string;
  /** What the manifests follow, one line each (`port 5001: --port 5001 in the command (...)`). */
  readonly follows: readonly string[];
  /** What the user should know, each with its fix. */
  readonly warnings: readonly { readonly text: string; readonly fix: string }[];
  /** Where slipway's Dockerfile would differ, and why that matters. */
  readonly differences: readonly Difference[];
}

const toPosix = (path: string) => path.split(sep).join('/');

export function adoption(model: ProjectModel): Adoption | undefined {
  const choice = model.dockerfile;
  if (choice?.origin !== 'own' || !choice.image) return undefined;
  const { image } = choice;
  const path = toPosix(relative(model.root, choice.path));
  const { port, uid, gid } = model.config;
  const follows = [
    `port ${port}: ${image.port?.from ?? 'no port in the Dockerfile, the default'}`,
    image.user.kind === 'ids'
      ? `user ${uid}:${gid}: USER ${image.user.spec} (${path}:${image.user.line})`
      : `user ${uid}:${gid}: slipway's default (the image's own user is not usable, see below)`,
  ];
  const live = livenessPath(model);
  follows.push(live ? `probes: GET ${live}` : 'probes: TCP on the port (the app has no health route)');
  if (image.command) follows.push(`command: ${image.command} (kept in the image)`);

  const warnings: { text: string; fix: string }[] = [];
  if (image.user.kind === 'root') {
    warnings.push({
      text: `your image runs as root; the manifests still run it as ${uid}:${gid} under the restricted Pod Security profile, where files only root may read or write fail`,
      fix: `add \`USER ${uid}:${gid}\` (a non-root user that owns nothing it runs) to ${path}, or let slipway write its Dockerfile: slipway init --force`,
    });
  } else if (image.user.kind === 'unresolved') {
    warnings.push({
      text: `USER ${image.user.name} (${path}:${image.user.line}) is a name whose uid only the built image knows; the manifests run as ${uid}:${gid}`,
      fix: `write the user as numbers (USER 1000:1000), or set uid and gid in [tool.slipway]`,
    });
  }
  if (!image.port) {
    warnings.push({
      text: `${path} names no port (no EXPOSE, no --port); the manifests assume ${port}`,
      fix: 'add EXPOSE <port> to the Dockerfile, or set port in [tool.slipway]',
    });
  }
  const facts = parseDockerfile(path, readFileSync(choice.path, 'utf8'));
  return {
    dockerfile: path,
    reason: choice.reason,
    follows,
    warnings,
    differences: differences({ facts, image, uid, gid, ignored: choice.ignoreExists }),
  };
}
