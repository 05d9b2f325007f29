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

/** One instruction spread over continuation lines, as people write long RUN lines. */
export function continued(first: string, rest: readonly string[], indent = '    '): string[] {
  if (rest.length === 0) return [first];
  return [`${first} \\`, ...rest.map((line, i) => `${indent}${line}${i < rest.length - 1 ? ' \\' : ''}`)];
}

/** ENV with comment lines between its continuation lines (Docker allows comments inside a continuation). */
export function envBlock(entries: readonly string[]): string[] {
  const out = ['ENV \\'];
  const values = entries.filter((entry) => !entry.startsWith('#'));
  let seen = 0;
  for (const entry of entries) {
    if (entry.startsWith('#')) {
      out.push(`    ${entry}`);
      continue;
    }
    seen += 1;
    out.push(`    ${entry}${seen < values.length ? ' \\' : ''}`);
  }
  return out;
}

/** A JSON array, spaced the way Dockerfiles are usually written. */
export function execForm(args: readonly string[]): string {
  return `[${args.map((arg) => JSON.stringify(arg)).join(', ')}]`;
}

/**
 * The `docker buildx build` line, as comment lines: with private indexes, one `--secret
 * id=...,env=...` per credential, taken from the builder's environment (uv's own variable names).
 */
export function buildCommand(model: ProjectModel, file?: string): string[] {
  const secrets = model.buildSecrets ?? [];
  const head = `docker buildx build${file ? ` ${file}` : ''}`;
  if (secrets.length === 0) return [`#   ${head} -t ${imageRef(model)} .`];
  return [
    "# The private indexes' credentials come from your environment as BuildKit secrets (never an",
    '# ARG or ENV, so no layer or log holds them): export each variable named below first.',
    `#   ${head} \\`,
    ...secrets.map((s) => `#     --secret id=${s.id},env=${s.env} \\`),
    `#     -t ${imageRef(model)} .`,
  ];
}

/**
 * The secret mounts of a uv sync RUN and the shell that hands them to uv for that one command.
 * The daemon's built-in Dockerfile frontend (Docker 20.10) has no `env=` on secret mounts, so the
 * command reads /run/secrets/<id> itself. A secret given from an unset variable arrives as no file
 * at all (`required=true` only catches a missing `--secret`), so each is checked first and a
 * missing one stops the build naming it, instead of uv failing later with a 401.
 */
export function secretMounts(model: ProjectModel): { mounts: string[]; env: string[] } {
  const secrets = model.buildSecrets ?? [];
  if (secrets.length === 0) return { mounts: [], env: [] };
  const ids = secrets.map((s) => s.id).join(' ');
  return {
    mounts: secrets.map((s) => `--mount=type=secret,id=${s.id},required=true`),
    env: [
      `for id in ${ids}; do test -s "/run/secrets/$id" || { echo "build secret $id is missing or empty: see the docker buildx build line at the top" >&2; exit 1; }; done`,
      ...secrets.map((s, i) => `${i === 0 ? '&& ' : ''}${s.env}="$(cat /run/secrets/${s.id})"`),
    ],
  };
}
