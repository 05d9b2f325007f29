import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { probeEngines } from '../engines/detect.js';
import { type ContainerEngine, type EngineInfo, STAND_IN_LABEL } from '../engines/engine.js';
import { DEFAULT_PYTHON_VERSION, pythonImage, UV_IMAGE } from '../pins.js';
import { exec, which } from '../util/exec.js';
import { testbedUp } from '../util/paths.js';

export type DoctorStatus = 'ok' | 'missing' | 'skipped';

export interface DoctorCheck {
  readonly id: string;
  readonly title: string;
  readonly status: DoctorStatus;
  /** Optional parts never make doctor fail. */
  readonly required: boolean;
  readonly detail: string;
  /** The one command that fixes a missing part. */
  readonly fix?: string;
}

export interface DoctorReport {
  readonly ok: boolean;
  readonly checks: readonly DoctorCheck[];
}

export interface DoctorOptions {
  /** Limit detection to one engine (docker or podman). @default SLIPWAY_ENGINE, else detect */
  readonly engine?: string;
  /** Base images to look for. @default the images the generated Dockerfile names */
  readonly images?: readonly string[];
  /** Minimum Node.js major version. @default 20 */
  readonly nodeMajor?: number;
}

const TESTBED_FIX = `bash ${testbedUp}`;

/** Whether this machine can do the job: one check per part, each with its fix. */
export async function checkMachine(options: DoctorOptions = {}): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [checkNode(options.nodeMajor ?? 20)];
  const { check: engineCheck, engine } = await checkEngine(options.engine ?? process.env.SLIPWAY_ENGINE);
  checks.push(engineCheck);
  const images = options.images ?? [pythonImage(DEFAULT_PYTHON_VERSION), UV_IMAGE];
  for (const image of images) checks.push(await checkImage(image, engine));
  if (!options.images) checks.push(await checkOtherPythons(engine));
  checks.push(await checkUv(), await checkKubernetes());
  return { ok: checks.every((check) => !check.required || check.status === 'ok'), checks };
}

function checkNode(major: number): DoctorCheck {
  const version = process.versions.node;
  const ok = Number(version.split('.')[0]) >= major;
  return {
    id: 'node',
    title: 'Node.js',
    status: ok ? 'ok' : 'missing',
    required: true,
    detail: ok ? `v${version}` : `v${version} is older than ${major}`,
    ...(ok ? {} : { fix: `install Node.js ${major} or newer` }),
  };
}

async function checkEngine(
  preferred: string | undefined,
): Promise<{ check: DoctorCheck; engine: ContainerEngine | undefined }> {
  const found = await probeEngines(preferred);
  const base = { id: 'engine', title: 'container engine', required: true };
  const usable = found.find((entry) => entry.info.serverVersion && entry.info.builder.available);
  if (usable) {
    return { check: { ...base, status: 'ok', detail: describeEngine(usable.info) }, engine: usable.engine };
  }
  const reachable = found.find((entry) => entry.info.serverVersion);
  let detail: string;
  if (reachable) {
    detail = `${describeEngine(reachable.info)}, but BuildKit (docker buildx) is missing`;
  } else if (found.length > 0) {
    detail = found
      .map((entry) => `${entry.info.kind} found, daemon not reachable: ${entry.info.error}`)
      .join('; ');
  } else {
    detail = `neither docker nor podman is on PATH`;
  }
  return { check: { ...base, status: 'missing', detail, fix: TESTBED_FIX }, engine: undefined };
}

function describeEngine(info: EngineInfo): string {
  const builder = info.kind === 'docker' ? 'buildx' : 'buildah';
  const builderText = info.builder.available ? `${builder} ${info.builder.version ?? '?'}` : `no ${builder}`;
  return `${info.kind} ${info.serverVersion ?? '?'} (client ${info.clientVersion ?? '?'}, ${builderText})`;
}

async function checkImage(image: string, engine: ContainerEngine | undefined): Promise<DoctorCheck> {
  const base = { id: `image:${image}`, title: `image ${image}`, required: true };
  if (!engine) return { ...base, status: 'skipped', detail: 'needs a reachable container engine' };
  const local = await engine.inspectImage(image);
  if (local) {
    const standIn = local.labels[STAND_IN_LABEL] === 'true';
    const source = local.labels[`${STAND_IN_LABEL}.source`];
    const size = `${(local.size / 1e6).toFixed(0)} MB`;
    return {
      ...base,
      status: 'ok',
      detail: standIn
        ? `present, local stand-in (${source ?? 'built by the test bed'}), ${size}`
        : `present, ${size}`,
    };
  }
  if (await engine.canPull(image)) return { ...base, status: 'ok', detail: 'not present, pullable' };
  return { ...base, status: 'missing', detail: 'not present and not pullable', fix: TESTBED_FIX };
}

/** The Pythons projects pin (3.10 to 3.14): which python:X.Y-slim images are here for them. */
const OTHER_PYTHONS = ['3.10', '3.11', '3.12', '3.14'];

async function checkOtherPythons(engine: ContainerEngine | undefined): Promise<DoctorCheck> {
  const base = { id: 'images:python', title: 'other Python images (optional)', required: false };
  if (!engine) return { ...base, status: 'skipped', detail: 'needs a reachable container engine' };
  const found = await Promise.all(
    OTHER_PYTHONS.map(async (version) => ({
      version,
      info: await engine.inspectImage(pythonImage(version)),
    })),
  );
  const here = found
    .filter((entry) => entry.info)
    .map((entry) => `${entry.version}${entry.info?.labels[STAND_IN_LABEL] === 'true' ? ' (stand-in)' : ''}`);
  const missing = found.filter((entry) => !entry.info).map((entry) => entry.version);
  const detail = `${here.length ? `here: ${here.join(', ')}` : 'none here'}${missing.length ? `; not here: ${missing.join(', ')} (pulled at build time, where a registry answers)` : ''}`;
  return missing.length === 0
    ? { ...base, status: 'ok', detail }
    : {
        ...base,
        status: 'missing',
        detail,
        fix: `docker pull ${missing.map((version) => pythonImage(version)).join(' ')}, or ${TESTBED_FIX} for stand-ins`,
      };
}

async function checkUv(): Promise<DoctorCheck> {
  const base = { id: 'uv', title: 'uv on the host (optional)', required: false };
  const binary = await which('uv');
  if (!binary) return { ...base, status: 'missing', detail: 'not found', fix: 'pip install uv' };
  const result = await exec(binary, ['--version'], { allowFailure: true, timeoutMs: 10_000 });
  return { ...base, status: 'ok', detail: result.stdout.trim() };
}

async function checkKubernetes(): Promise<DoctorCheck> {
  const base = { id: 'kubernetes', title: 'kubectl and cluster context (optional)', required: false };
  const kubectl = await which('kubectl');
  const context = await currentContext();
  const parts = [
    kubectl ? 'kubectl found' : 'no kubectl',
    context ? `context ${context}` : 'no current context',
  ];
  if (context) return { ...base, status: 'ok', detail: parts.join(', ') };
  return {
    ...base,
    status: 'missing',
    detail: parts.join(', '),
    fix: 'kubectl config use-context NAME   (needed only for slipway deploy)',
  };
}

async function currentContext(): Promise<string | undefined> {
  const paths = process.env.KUBECONFIG
    ? process.env.KUBECONFIG.split(delimiter).filter(Boolean)
    : [join(homedir(), '.kube', 'config')];
  for (const path of paths) {
    try {
      const config = parseYaml(await readFile(path, 'utf8')) as { 'current-context'?: string } | null;
      if (config?.['current-context']) return config['current-context'];
    } catch {
      // missing or unreadable kubeconfig: try the next one
    }
  }
  return undefined;
}
