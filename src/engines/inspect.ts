import { readHealthcheckTest } from '../policy/healthcheck.js';
import type { ContainerState, ImageHealthcheck, ImageInfo, LayerInfo } from './engine.js';

/**
 * Reading what `docker`/`podman` print as JSON, apart from the engines that run them so that each
 * shape can be tested on captured output. Where the two differ (podman 4.3 against docker 20.10):
 * - `image inspect`: podman keeps HEALTHCHECK beside Config, docker inside it; podman's id has no
 *   `sha256:` (PodmanEngine adds it);
 * - `image history --format '{{json .}}'`: docker prints one object per line with a string `Size`,
 *   podman one array of all rows with a numeric `size`;
 * - `inspect --format '{{json .State}}'`: some podman 4.x releases name Health `Healthcheck`.
 */

/** `image inspect <ref>`: the first image, or undefined when the array is empty. */
export function parseImageInspect(stdout: string): ImageInfo | undefined {
  const [raw] = JSON.parse(stdout) as RawImage[];
  if (!raw) return undefined;
  const config = raw.Config ?? {};
  return {
    id: raw.Id,
    repoTags: raw.RepoTags ?? [],
    size: raw.Size,
    user: config.User ?? '',
    labels: config.Labels ?? {},
    env: config.Env ?? [],
    exposedPorts: Object.keys(config.ExposedPorts ?? {}),
    created: raw.Created,
    ...healthcheckOf(config.Healthcheck ?? raw.Healthcheck),
  };
}

/** `image history`: the layers oldest first (the engine lists the newest first). */
export function parseHistory(stdout: string): LayerInfo[] {
  const rows = stdout
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => [JSON.parse(line) as HistoryRow | HistoryRow[]].flat());
  return rows.reverse().map((row) => {
    const size = Number(row.Size ?? row.size ?? 0);
    return { size, createdBy: cleanInstruction(row.CreatedBy ?? ''), empty: size === 0 };
  });
}

/** `inspect --format '{{json .State}}' <container>`. */
export function parseState(stdout: string): ContainerState {
  const raw = JSON.parse(stdout) as RawState;
  const health = raw.Health ?? raw.Healthcheck;
  return {
    running: raw.Running,
    exitCode: raw.ExitCode,
    health: health?.Status,
    oomKilled: raw.OOMKilled ?? false,
    ...(health ? { healthLog: (health.Log ?? []).map((probe) => probe.Output ?? '') } : {}),
  };
}

/** Docker's defaults, which podman applies too when the image leaves them unset. */
const DEFAULT_INTERVAL_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * `container inspect --format json <container>` (podman): whether a HEALTHCHECK probe is due, i.e.
 * the container runs, has a check, and its interval has passed since the last probe (or the
 * start); undefined when not, else how long the probe may take.
 */
export function dueHealthcheck(stdout: string, now: number): { timeoutMs: number } | undefined {
  const [raw] = JSON.parse(stdout) as RawContainer[];
  const health = raw?.State?.Health ?? raw?.State?.Healthcheck;
  const check = raw?.Config?.Healthcheck;
  if (!raw?.State?.Running || !health || !check || readHealthcheckTest(check.Test).kind !== 'present')
    return undefined;
  const intervalMs = (check.Interval ?? 0) / 1e6 || DEFAULT_INTERVAL_MS;
  const last = Date.parse(health.Log?.at(-1)?.Start ?? raw.State.StartedAt ?? '');
  if (Number.isNaN(last) || now - last < intervalMs) return undefined;
  return { timeoutMs: (check.Timeout ?? 0) / 1e6 || DEFAULT_TIMEOUT_MS };
}

/** `/bin/sh -c #(nop) ENV A=b` and `RUN |2 A=b /bin/sh -c cmd` become `ENV A=b` and `RUN cmd`. */
export function cleanInstruction(createdBy: string): string {
  const nop = /^\/bin\/sh -c #\(nop\)\s+(.*)$/s.exec(createdBy);
  if (nop?.[1]) return nop[1].trim();
  return createdBy
    .replace(/ # buildkit$/, '')
    .replace(/^\|\d+ (?:\S+=\S* )*/, '')
    .replace(/^(?:RUN )?\/bin\/sh -c /, 'RUN ')
    .trim();
}

/** Durations in the image config are nanoseconds; `["NONE"]` disables an inherited check. */
function healthcheckOf(raw: RawHealthcheck | null | undefined): { healthcheck?: ImageHealthcheck } {
  const test = raw?.Test ?? [];
  if (!raw || readHealthcheckTest(test).kind !== 'present') return {};
  const ms = (ns: number | undefined) => Math.round((ns ?? 0) / 1e6);
  return {
    healthcheck: {
      test,
      intervalMs: ms(raw.Interval),
      timeoutMs: ms(raw.Timeout),
      startPeriodMs: ms(raw.StartPeriod),
      retries: raw.Retries ?? 0,
    },
  };
}

interface HistoryRow {
  CreatedBy?: string;
  Size?: string | number;
  size?: number;
}

interface RawImage {
  Id: string;
  RepoTags?: string[];
  Size: number;
  Created: string;
  Healthcheck?: RawHealthcheck | null;
  Config?: {
    User?: string;
    Labels?: Record<string, string> | null;
    Env?: string[];
    ExposedPorts?: Record<string, unknown>;
    Healthcheck?: RawHealthcheck | null;
  };
}

interface RawHealthcheck {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  Retries?: number;
}

interface RawState {
  Running: boolean;
  ExitCode: number;
  OOMKilled?: boolean;
  Health?: RawHealth;
  Healthcheck?: RawHealth;
}

interface RawHealth {
  Status: string;
  Log?: { Output?: string }[] | null;
}

interface RawContainer {
  State?: {
    Running?: boolean;
    StartedAt?: string;
    Health?: { Log?: { Start?: string }[] | null };
    Healthcheck?: { Log?: { Start?: string }[] | null };
  };
  Config?: { Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number } | null };
}
