import { EnvironmentError, UsageError } from '../errors.js';
import { which } from '../util/exec.js';
import { DockerEngine } from './docker.js';
import type { ContainerEngine, EngineInfo, EngineKind } from './engine.js';
import { PodmanEngine } from './podman.js';

export const ENGINE_KINDS: readonly EngineKind[] = ['docker', 'podman'];

/** The fix printed when no engine answers; the test bed brings one up on a bare machine. */
export const ENGINE_FIX = 'bash scripts/testbed/up.sh   (installs and starts Docker with BuildKit)';

export interface DetectedEngine {
  readonly engine: ContainerEngine;
  readonly info: EngineInfo;
}

function create(kind: EngineKind, binary: string): ContainerEngine {
  return kind === 'docker' ? new DockerEngine(binary) : new PodmanEngine(binary);
}

function parseKind(value: string): EngineKind {
  if ((ENGINE_KINDS as readonly string[]).includes(value)) return value as EngineKind;
  throw new UsageError(`unknown engine "${value}"`, { fix: `use one of: ${ENGINE_KINDS.join(', ')}` });
}

/**
 * Probes the engines in order of preference (docker, then podman) and returns every one found
 * on PATH with what it answered. `preferred` (from --engine or SLIPWAY_ENGINE) limits the search.
 */
export async function probeEngines(preferred?: string): Promise<DetectedEngine[]> {
  const found: DetectedEngine[] = [];
  for await (const entry of probed(preferred)) found.push(entry);
  return found;
}

/** Each engine on PATH with its answer, in order of preference, probed only when asked for. */
async function* probed(preferred?: string): AsyncGenerator<DetectedEngine> {
  const kinds = preferred ? [parseKind(preferred)] : ENGINE_KINDS;
  for (const kind of kinds) {
    const binary = await which(kind);
    if (!binary) continue;
    const engine = create(kind, binary);
    yield { engine, info: await engine.probe() };
  }
}

function usable(entry: DetectedEngine): boolean {
  return Boolean(entry.info.serverVersion && entry.info.builder.available);
}

/**
 * The engine to use: the first one, in order of preference, that answers and can build; the ones
 * after it are not asked (Podman's probe alone is a third of a second). Throws EnvironmentError
 * when none can.
 */
export async function detectEngine(preferred = process.env.SLIPWAY_ENGINE): Promise<DetectedEngine> {
  const found: DetectedEngine[] = [];
  for await (const entry of probed(preferred)) {
    if (usable(entry)) return entry;
    found.push(entry);
  }
  const reachable = found.find((entry) => entry.info.serverVersion);
  if (reachable) {
    throw new EnvironmentError(
      `${reachable.info.kind} answers but cannot build with BuildKit (the buildx plugin is missing)`,
      { fix: ENGINE_FIX },
    );
  }
  const seen = found.map((entry) => `${entry.info.kind}: ${entry.info.error}`).join('; ');
  throw new EnvironmentError(
    found.length === 0
      ? `no container engine found (looked for ${(preferred ? [preferred] : ENGINE_KINDS).join(', ')} on PATH)`
      : `no container engine is reachable (${seen})`,
    { fix: ENGINE_FIX },
  );
}
