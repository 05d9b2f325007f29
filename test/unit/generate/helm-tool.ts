import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { withMarker } from '../../../src/generate/write.js';
import { repoRoot } from '../../helpers/cli.js';

/**
 * The real helm for the chart tests: HELM, else the one scripts/testbed/helm.sh builds into the
 * test bed cache (the pin of scripts/testbed/pins.sh), else helm on PATH. undefined when none runs.
 */
export const HELM_VERSION = /^HELM_VERSION=(\S+)$/m.exec(
  readFileSync(join(repoRoot, 'scripts', 'testbed', 'pins.sh'), 'utf8'),
)?.[1] as string;

export function findHelm(): string | undefined {
  const cache =
    process.env.SLIPWAY_TESTBED_CACHE ??
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'slipway-testbed');
  const candidates = [process.env.HELM, join(cache, 'helm', HELM_VERSION, 'bin', 'helm'), 'helm'];
  return candidates.find(
    (candidate): candidate is string =>
      candidate !== undefined &&
      spawnSync(candidate, ['version', '--short'], { stdio: 'ignore' }).status === 0,
  );
}

/** The helm to run, or an error that names the script that provides it (the CI=true failure). */
export function requireHelm(): string {
  const helm = findHelm();
  if (!helm) {
    throw new Error(
      `no helm: set HELM, or build ${HELM_VERSION} with \`bash scripts/testbed/helm.sh\` (from the Go module proxy)`,
    );
  }
  return helm;
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], cwd?: string): Run {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes generated files (marker added, as init writes them) under a new temp folder. */
export function writeTree(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-helm-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), withMarker(text));
  }
  return dir;
}

export type KubeObject = { kind: string; metadata: { name: string; namespace?: string } } & Record<
  string,
  unknown
>;

/** A multi-document YAML stream as objects keyed `Kind/name` (empty documents dropped). */
export function objectsByName(text: string): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0]?.message}\n${text}`);
    const object = doc.toJS() as KubeObject | null;
    if (!object) continue;
    const key = `${object.kind}/${object.metadata.name}`;
    if (out.has(key)) throw new Error(`${key} appears twice`);
    out.set(key, object);
  }
  return out;
}
