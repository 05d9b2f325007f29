/**
 * Reads a builder's plain progress output into steps: what runs, what came from the cache, how
 * long each took, and which step failed with the engine's own error. Two dialects: BuildKit's
 * `--progress plain` (`#5 [builder 2/6] RUN ...`, `#5 CACHED`, `#5 DONE 0.4s`) and buildah's, as
 * podman build prints it (`[2/3] STEP 5/8: RUN ...`, `--> Using cache <id>`, `--> <id>`).
 */

export type StepStatus = 'running' | 'cached' | 'done' | 'error';

export interface BuildStep {
  readonly id: string;
  /** e.g. `[builder 3/6] RUN uv sync --locked ...` */
  readonly name: string;
  status: StepStatus;
  seconds: number | undefined;
  /** Output lines of the step (what the RUN printed). */
  readonly output: string[];
}

export type ProgressEvent =
  | { readonly kind: 'start'; readonly step: BuildStep }
  | { readonly kind: 'finish'; readonly step: BuildStep };

const STEP_LINE = /^#(\d+) (.*)$/;
const BUILDAH_STEP = /^(?:\[(\d+)\/\d+\] )?STEP (\d+)\/(\d+): (.*)$/;
const BUILDAH_CACHED = /^--> Using cache [0-9a-f]+/;
const BUILDAH_DONE = /^--> [0-9a-f]{6,}$/;
const BUILDAH_ERROR = /^Error: building at STEP "(.*)": (.*)$/;

export class BuildProgress {
  private readonly steps = new Map<string, BuildStep>();
  /** The engine's closing error block (between `------` markers and the final ERROR line). */
  private readonly errorLines: string[] = [];
  private inErrorBlock = false;
  /** buildah names no step on its finish lines: they belong to the last step it started. */
  private buildahCurrent: { step: BuildStep; started: number } | undefined;

  /** Feeds one line; returns what changed, for live rendering. */
  feed(line: string): ProgressEvent | undefined {
    const buildah = this.feedBuildah(line);
    if (buildah !== false) return buildah;
    const match = STEP_LINE.exec(line);
    if (!match?.[1] || match[2] === undefined) {
      this.collectError(line);
      return undefined;
    }
    const [, id, rest] = match;
    const known = this.steps.get(id);
    if (!known) {
      // BuildKit's bookkeeping steps ([internal] ..., load metadata) are not build steps.
      const step: BuildStep = { id, name: rest, status: 'running', seconds: undefined, output: [] };
      this.steps.set(id, step);
      return isUserStep(step) ? { kind: 'start', step } : undefined;
    }
    const finished = this.finish(known, rest);
    if (finished) return isUserStep(known) ? { kind: 'finish', step: known } : undefined;
    // `#8 0.512 Resolved 27 packages`: output of a running step, prefixed by its elapsed time.
    known.output.push(rest.replace(/^\d+\.\d+ /, ''));
    return undefined;
  }

  /** Returns false when the line is not buildah's. */
  private feedBuildah(line: string): ProgressEvent | undefined | false {
    const start = BUILDAH_STEP.exec(line);
    if (start) {
      const [, stage, n, total, instruction] = start;
      // buildah prints no finish line for FROM: a step still open when the next starts is done.
      if (this.buildahCurrent?.step.status === 'running') {
        this.buildahCurrent.step.status = 'done';
        this.buildahCurrent.step.seconds = (Date.now() - this.buildahCurrent.started) / 1000;
      }
      const id = `buildah-${stage ?? 1}-${n}`;
      const step: BuildStep = {
        id,
        name: `[stage-${stage ?? 1} ${n}/${total}] ${instruction}`,
        status: 'running',
        seconds: undefined,
        output: [],
      };
      this.steps.set(id, step);
      this.buildahCurrent = { step, started: Date.now() };
      return { kind: 'start', step };
    }
    const current = this.buildahCurrent;
    const error = BUILDAH_ERROR.exec(line);
    if (error) {
      this.errorLines.push(line);
      if (!current) return undefined;
      current.step.status = 'error';
      current.step.output.push(error[2] ?? line);
      this.buildahCurrent = undefined;
      return { kind: 'finish', step: current.step };
    }
    if (!current || !(BUILDAH_CACHED.test(line) || BUILDAH_DONE.test(line))) return false;
    current.step.status = BUILDAH_CACHED.test(line) ? 'cached' : 'done';
    current.step.seconds = Math.round((Date.now() - current.started) / 100) / 10;
    this.buildahCurrent = undefined;
    return { kind: 'finish', step: current.step };
  }

  private finish(step: BuildStep, rest: string): boolean {
    if (rest === 'CACHED') {
      step.status = 'cached';
      return true;
    }
    const done = /^DONE (\d+(?:\.\d+)?)s$/.exec(rest);
    if (done?.[1]) {
      step.status = 'done';
      step.seconds = Number(done[1]);
      return true;
    }
    if (rest.startsWith('ERROR')) {
      step.status = 'error';
      step.output.push(rest);
      return true;
    }
    return false;
  }

  private collectError(line: string): void {
    if (line === '------') {
      this.inErrorBlock = !this.inErrorBlock;
      return;
    }
    if (this.inErrorBlock || /^(ERROR|error): /.test(line) || /^Dockerfile:\d+$/.test(line)) {
      this.errorLines.push(line);
    }
  }

  /** The build steps in the order they started (BuildKit's internal steps left out). */
  userSteps(): BuildStep[] {
    return [...this.steps.values()].filter(isUserStep);
  }

  failedStep(): BuildStep | undefined {
    return this.userSteps().find((step) => step.status === 'error');
  }

  /** The base image BuildKit could not resolve (`[internal] load metadata for X` failed). */
  unresolvedImage(): string | undefined {
    for (const step of this.steps.values()) {
      const image = /^\[internal\] load metadata for (\S+)$/.exec(step.name)?.[1];
      if (image && step.status === 'error') return image.replace(/^docker\.io\/library\//, '');
    }
    return undefined;
  }

  /** The engine's own error text, for the message shown when a build fails. */
  engineError(): string {
    return this.errorLines.join('\n').trim();
  }
}

function isUserStep(step: BuildStep): boolean {
  return /^\[(?!internal\])[^\]]*\d+\/\d+\]/.test(step.name);
}
