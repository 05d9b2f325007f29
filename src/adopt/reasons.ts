import {
  commandText,
  type DockerfileFacts,
  finalStage,
  inheritedSteps,
  mounts,
} from '../dockerfile/facts.js';
import type { OwnImage } from './image.js';

/**
 * Why slipway's Dockerfile would differ from the project's own, one reason per difference that
 * matters for the image's size, its security, or how it runs on Kubernetes. Shown by `init --diff`
 * next to the diff, so that replacing a Dockerfile (`--force`) is a choice made knowingly.
 */
export interface Difference {
  readonly concern: 'size' | 'security' | 'kubernetes';
  readonly text: string;
}

export interface DifferenceInput {
  readonly facts: DockerfileFacts;
  readonly image: OwnImage;
  /** The ids slipway's image runs as. */
  readonly uid: number;
  readonly gid: number;
  /** A .dockerignore applies to the build. */
  readonly ignored: boolean;
}

export function differences(input: DifferenceInput): Difference[] {
  const { facts, image } = input;
  const stage = finalStage(facts);
  const final = stage ? inheritedSteps(facts, stage) : [];
  const all = facts.stages.flatMap((s) => s.instructions);
  const runs = all.filter((s) => s.keyword === 'RUN');
  const out: Difference[] = [];
  const add = (concern: Difference['concern'], text: string) => out.push({ concern, text });

  if (facts.stages.length < 2) {
    add(
      'size',
      'one stage: compilers, uv and its cache stay in the image; slipway builds in a builder stage and keeps only the virtual environment',
    );
  }
  const base = image.base ?? '';
  if (/^python:[\d.]+$/.test(base) || /^python:[\d.]+-(bookworm|bullseye|trixie)$/.test(base)) {
    add('size', `${base} is the full Debian image (about 1 GB); slipway uses python:X.Y-slim`);
  }
  if (image.user.kind === 'root') {
    add(
      'security',
      `runs as root: the restricted Pod Security profile (runAsNonRoot) refuses it; slipway's runs as ${input.uid}:${input.gid}`,
    );
  } else if (
    image.user.kind === 'unresolved' ||
    (image.user.kind === 'ids' && !/^\d+(:\d+)?$/.test(image.user.spec))
  ) {
    add(
      'kubernetes',
      `USER ${image.user.kind === 'unresolved' ? image.user.name : image.user.spec} is a name: the kubelet cannot check runAsNonRoot against it; slipway's USER is numeric`,
    );
  }
  const installs = runs.map(commandText);
  const syncs = installs.filter((text) => /\buv\s+sync\b/.test(text));
  if (syncs.length === 0 || !syncs.some((text) => /--locked|--frozen/.test(text))) {
    add(
      'security',
      'dependencies are not installed with `uv sync --locked` from uv.lock: the image may hold other versions than the ones locked and reviewed',
    );
  }
  if (syncs.some((text) => !/--no-dev\b|--only-group|--no-default-groups/.test(text))) {
    add('size', '`uv sync` without --no-dev installs the dev dependencies (tests, linters) into the image');
  }
  const cached = runs.some((step) => mounts(step).some((m) => m.get('type') === 'cache'));
  const noCache = /UV_NO_CACHE/.test(facts.text) || syncs.some((text) => /--no-cache\b/.test(text));
  if (syncs.length > 0 && !cached && !noCache) {
    add('size', "uv's download cache lands in a layer; slipway keeps it on a BuildKit cache mount");
  }
  const cmd = final.filter((s) => s.keyword === 'CMD' || s.keyword === 'ENTRYPOINT').pop();
  if (cmd && !cmd.exec) {
    add(
      'kubernetes',
      `shell-form ${cmd.keyword} (line ${cmd.line}): /bin/sh is PID 1 and does not pass SIGTERM on, so each pod takes its whole grace period to stop`,
    );
  }
  if (/--reload\b|\bfastapi\s+dev\b/.test(image.command ?? '')) {
    add(
      'security',
      'the command runs the development server (--reload / fastapi dev): it watches files and restarts the app',
    );
  }
  if (!final.some((s) => s.keyword === 'HEALTHCHECK')) {
    add(
      'kubernetes',
      'no HEALTHCHECK: docker and compose cannot tell when the app is ready (Kubernetes uses the probes)',
    );
  }
  const copiesAll = final.some(
    (s) => s.keyword === 'COPY' && /^\.\s/.test(s.args) && !s.flags.some((f) => f.name === 'from'),
  );
  if (copiesAll && !input.ignored) {
    add('security', '`COPY . .` with no .dockerignore: .env files and .git can end up in the image');
  }
  return out;
}
