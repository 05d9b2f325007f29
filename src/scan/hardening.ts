/**
 * Hardening audit of the image as shipped: its config (user, environment, health check) and its
 * final filesystem (file modes from the layer tar headers, leftover package-manager caches).
 * Each rule yields one result, pass or fail, so that a report shows what was checked.
 */

import { readUser, runsAsRoot } from '../policy/user.js';
import type { Result, Unit } from '../result.js';
import { hasUrlCredentials, isPlaceholder, isSecretName } from '../secrets/names.js';
import type { ImageConfig } from './archive.js';
import type { ScanFinding } from './finding.js';
import type { FileSystem, ImageFile } from './layers.js';
import { redact } from './secrets/index.js';
import { resultSeverity, type ScanSeverity } from './vulns/severity.js';

interface HardeningContext {
  readonly config: ImageConfig;
  readonly fs: FileSystem;
}

/** Undefined when the image passes; otherwise the message and its evidence. */
type HardeningFailure = { message: string; evidence: string[] } | undefined;

interface HardeningRule extends Unit<HardeningContext, HardeningFailure, ScanSeverity> {
  /** What a passing result says. */
  readonly pass: string;
}

const LISTED = 20;

function listed(files: readonly ImageFile[], describe: (file: ImageFile) => string): string[] {
  const lines = files.slice(0, LISTED).map(describe);
  if (files.length > LISTED) lines.push(`… and ${files.length - LISTED} more`);
  return lines;
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

// Folders where anyone may write by design; the sticky bit keeps users from each other's files.
const SCRATCH = /^(?:tmp|var\/tmp|dev\/shm|run\/lock|var\/lock)(?:\/|$)/;

const CACHES: readonly { path: string; name: string; ignore?: RegExp }[] = [
  // `lock`, `partial/` and `auxfiles/` exist in every image that has apt, even after a clean.
  { path: 'var/lib/apt/lists/', name: 'apt package lists', ignore: /\/(?:lock|partial\/?.*|auxfiles\/?.*)$/ },
  { path: 'var/cache/apt/archives/', name: 'apt downloaded .deb files', ignore: /\/(?:lock|partial\/?.*)$/ },
  { path: 'root/.cache/pip/', name: 'pip cache' },
  { path: 'root/.cache/uv/', name: 'uv cache' },
];

export const HARDENING_RULES: readonly HardeningRule[] = [
  {
    id: 'scan.hardening.root-user',
    docs: 'docs/scan.md#root-user',
    title: 'Runs as root',
    severity: 'high',
    hint: 'add a USER with a numeric non-zero uid:gid (e.g. USER 10001:10001) as the last USER instruction',
    pass: 'the image runs as a non-root user',
    run: ({ config }) =>
      runsAsRoot(readUser(config.user))
        ? {
            message: config.user
              ? `the image runs as ${config.user}`
              : 'the image sets no USER, so it runs as root',
            evidence: [`User: ${JSON.stringify(config.user)}`],
          }
        : undefined,
  },
  {
    id: 'scan.hardening.setuid',
    docs: 'docs/scan.md#setuid',
    title: 'setuid/setgid files',
    severity: 'medium',
    hint: 'strip the bits in the final stage: RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +',
    pass: 'no setuid or setgid files',
    run: ({ fs }) => {
      const files = [...fs.files.values()].filter((f) => f.type === 'file' && (f.mode & 0o6000) !== 0);
      if (files.length === 0) return undefined;
      return {
        message: `${files.length} file(s) run with their owner's or group's rights (setuid/setgid)`,
        evidence: listed(
          files,
          (f) => `/${f.path} mode ${octal(f.mode)} uid ${f.uid} gid ${f.gid} (layer ${f.layer})`,
        ),
      };
    },
  },
  {
    id: 'scan.hardening.world-writable',
    docs: 'docs/scan.md#world-writable',
    title: 'World-writable files',
    severity: 'medium',
    hint: 'fix the modes in the Dockerfile (chmod o-w), or COPY --chmod; scratch space belongs in /tmp',
    pass: 'no world-writable files outside the scratch folders',
    run: ({ fs }) => {
      const files = [...fs.files.values()].filter(
        (f) =>
          (f.type === 'file' || f.type === 'dir') &&
          (f.mode & 0o002) !== 0 &&
          !SCRATCH.test(f.path) &&
          !(f.type === 'dir' && (f.mode & 0o1000) !== 0),
      );
      if (files.length === 0) return undefined;
      return {
        message: `${files.length} file(s) or folder(s) anyone in the container can write`,
        evidence: listed(files, (f) => `/${f.path} (${f.type}) mode ${octal(f.mode)} (layer ${f.layer})`),
      };
    },
  },
  {
    id: 'scan.hardening.secret-env',
    docs: 'docs/scan.md#secret-env',
    title: 'Secret in ENV',
    severity: 'high',
    hint: 'ENV values are readable by anyone who can pull the image: pass secrets at run time (Kubernetes Secret)',
    pass: 'no secret-looking ENV values',
    run: ({ config }) => {
      const secrets = config.env
        .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)] as const)
        .filter(([name, value]) => (isSecretName(name) && !isPlaceholder(value)) || hasUrlCredentials(value));
      if (secrets.length === 0) return undefined;
      return {
        message: `the image config sets ${secrets.map(([name]) => name).join(', ')}`,
        evidence: secrets.map(([name, value]) => `${name}=${redact(value)}`),
      };
    },
  },
  {
    id: 'scan.hardening.healthcheck',
    docs: 'docs/scan.md#healthcheck',
    title: 'No HEALTHCHECK',
    severity: 'low',
    hint: 'add a HEALTHCHECK that calls the app health route (Kubernetes uses probes, docker and compose use this)',
    pass: 'the image has a HEALTHCHECK',
    run: ({ config }) =>
      config.healthcheck
        ? undefined
        : { message: 'the image has no HEALTHCHECK', evidence: ['Healthcheck: none'] },
  },
  {
    id: 'scan.hardening.package-cache',
    docs: 'docs/scan.md#package-cache',
    title: 'Package manager caches',
    severity: 'low',
    hint: 'use RUN --mount=type=cache for apt/pip/uv caches, or clean them in the same RUN (rm -rf /var/lib/apt/lists/*)',
    pass: 'no package manager caches left in the image',
    run: ({ fs }) => {
      const found = CACHES.map((cache) => {
        const files = [...fs.files.values()].filter(
          (f) => f.type === 'file' && f.path.startsWith(cache.path) && !cache.ignore?.test(f.path),
        );
        const bytes = files.reduce((sum, f) => sum + f.size, 0);
        return { cache, files: files.length, bytes };
      }).filter((c) => c.files > 0);
      if (found.length === 0) return undefined;
      return {
        message: `package caches left in the image: ${found.map((c) => c.cache.name).join(', ')}`,
        evidence: found.map((c) => `/${c.cache.path}: ${c.files} file(s), ${c.bytes} bytes`),
      };
    },
  },
];

export function hardeningFindings(config: ImageConfig, fs: FileSystem): ScanFinding[] {
  return HARDENING_RULES.map((rule) => ({
    severity: rule.severity,
    result: hardeningResult(rule, config, fs),
  }));
}

function hardeningResult(rule: HardeningRule, config: ImageConfig, fs: FileSystem): Result {
  const failure = rule.run({ config, fs });
  const base = { id: rule.id, title: rule.title, docs: rule.docs };
  const severity = resultSeverity(rule.severity);
  if (!failure) return { ...base, status: 'pass', severity, message: rule.pass };
  const evidence = [`severity: ${rule.severity}`, ...failure.evidence];
  return { ...base, status: 'fail', severity, message: failure.message, hint: rule.hint, evidence };
}
