import { posix } from 'node:path';
import type { ProjectModel } from '../analyze/model.js';
import { ProjectError } from '../errors.js';

/**
 * Facts derived from the ProjectModel that several generated files share, computed in one place so
 * that the Dockerfile and the manifests cannot disagree (port, uid, probe paths, names).
 */

/** Seconds Kubernetes waits in preStop before sending SIGTERM, so endpoints drop the pod first. */
export const PRE_STOP_SECONDS = 5;
/** Extra seconds past preStop + uvicorn's graceful timeout before the kubelet sends SIGKILL. */
export const TERMINATION_MARGIN_SECONDS = 5;

/** A DNS-1123 label from the project name: the Kubernetes object names and the default image name. */
export function resourceName(model: ProjectModel): string {
  const raw = model.name;
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  if (!name) {
    throw new ProjectError(`the project name ${JSON.stringify(raw)} gives no usable Kubernetes name`, {
      fix: 'name the project with letters, digits and dashes in [project] name',
    });
  }
  return name;
}

/** `registry/name:version`; never `latest`, so a rollout always names one exact build. */
export function imageRef(model: ProjectModel): string {
  const registry = model.config.image.registry?.replace(/\/+$/, '');
  const name = model.config.image.name ?? resourceName(model);
  const repository = registry ? `${registry}/${name}` : name;
  return `${repository}:${imageTag(model.version)}`;
}

/** Docker tags allow [A-Za-z0-9_.-]; PEP 440 local versions use `+`, which tags do not. */
export function imageTag(version: string): string {
  return version.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 128);
}

export function livenessPath(model: ProjectModel): string | undefined {
  return model.config.health.liveness ?? model.health.liveness;
}

export function readinessPath(model: ProjectModel): string | undefined {
  return model.config.health.readiness ?? model.health.readiness ?? livenessPath(model);
}

export function terminationGracePeriod(model: ProjectModel): number {
  return model.config.gracefulTimeout + PRE_STOP_SECONDS + TERMINATION_MARGIN_SECONDS;
}

const APT_NAME = /^[a-z0-9][a-z0-9+.-]+$/;

/** Detected and configured Debian packages for one stage, deduplicated and sorted (stable output). */
export function aptPackages(model: ProjectModel, stage: 'build' | 'runtime'): string[] {
  const all = new Set([...model.native[stage], ...model.config.apt[stage]]);
  for (const name of all) {
    // The names land in a RUN line: anything but a Debian package name would be shell syntax.
    if (!APT_NAME.test(name)) {
      throw new ProjectError(
        `[tool.slipway] apt.${stage}: ${JSON.stringify(name)} is not a Debian package name`,
        {
          fix: `use names like "libpq-dev" in [tool.slipway] apt.${stage}`,
        },
      );
    }
  }
  return [...all].sort();
}

/**
 * Where things live in the build context. A workspace member is built from the workspace root
 * (the lock and the other members live there), so its own paths carry the member prefix.
 */
export interface BuildLayout {
  /** Prefix of the project's files inside the build context: `` or `services/api/`. */
  readonly prefix: string;
  /** Folder of the project inside the image: `/app` or `/app/services/api`. */
  readonly appDir: string;
}

export function buildLayout(model: ProjectModel): BuildLayout {
  const member = model.workspace?.member.replace(/^\.\/|\/+$/g, '');
  if (!member || member === '.') return { prefix: '', appDir: '/app' };
  return { prefix: `${member}/`, appDir: posix.join('/app', member) };
}

/** Relative path helpers keep `.` out of generated paths (`./main.py` reads as a typo). */
export function inApp(layout: BuildLayout, path: string): string {
  return path === '.' ? layout.appDir : posix.join(layout.appDir, path);
}
