import { basename, relative, resolve } from 'node:path';
import { analyzeProject } from '../analyze/index.js';
import type { ProjectModel } from '../analyze/model.js';
import { type BuildImageOptions, type BuildOutcome, buildImage } from '../build/image.js';
import { checkModel } from '../check/project.js';
import type { CheckReport } from '../check/types.js';
import { isDockerfileName } from '../dockerfile/discover.js';
import { detectEngine } from '../engines/detect.js';
import { ExitCode, SlipwayError } from '../errors.js';
import { refreshGenerated } from '../generate/init.js';
import type { ShipSummary } from '../report/ship.js';
import { failsAt, type Result, type StageResult } from '../result.js';
import { type ProjectLocation, projectDir } from '../util/paths.js';
import { type VerifyBuiltOptions, verifyBuilt } from '../verify/project.js';
import type { VerifyReport } from '../verify/runner.js';

export type StageName = 'analyze' | 'init' | 'check' | 'build' | 'verify';

export interface ShipOptions
  extends Pick<VerifyBuiltOptions, 'osv' | 'scan' | 'failOn' | 'vex' | 'extraChecks'>,
    ProjectLocation {
  readonly engine?: string;
  readonly onStageStart?: (stage: StageName) => void;
  readonly onStage?: (result: StageResult<StageName>) => void;
  /** Each build step as it finishes. */
  readonly build?: BuildImageOptions;
  /** Each verify result as soon as it is known. */
  readonly onResult?: (result: Result) => void;
}

export interface ShipOutcome extends ShipSummary {
  readonly stages: readonly StageResult<StageName>[];
  readonly model: ProjectModel;
  readonly check: CheckReport;
  readonly build: BuildOutcome | undefined;
  readonly verify: VerifyReport | undefined;
  /** Every stage passed. */
  readonly ok: boolean;
}

/**
 * The main job: analyze, init (when files are missing or stale), check, build, verify with the
 * scan as one of its checks — with one summary. This is exactly what `slipway ship` runs. Check
 * findings do not stop the run (the image is still built and verified, so one run shows
 * everything); a failed build does.
 */
export async function ship(options: ShipOptions = {}): Promise<ShipOutcome> {
  const stages: StageResult<StageName>[] = [];
  const stage = async <T>(
    name: StageName,
    run: () => Promise<{ value: T; ok: boolean; summary: string }>,
  ) => {
    options.onStageStart?.(name);
    const started = Date.now();
    const { value, ok, summary } = await run();
    const result: StageResult<StageName> = {
      stage: name,
      status: ok ? 'ok' : 'failed',
      summary,
      durationMs: Date.now() - started,
    };
    stages.push(result);
    options.onStage?.(result);
    return value;
  };

  // A folder with no project is a usage error, before any stage starts.
  const dir = projectDir(options, { verb: 'ship' });
  const model = await stage('analyze', async () => {
    const value = await analyzeProject(dir);
    return {
      value,
      ok: true,
      summary: `${value.name} ${value.version}: ${value.app.module}:${value.app.attribute}, Python ${value.python.version}${
        value.workspace?.selected ? ` (member ${value.workspace.member} of the workspace)` : ''
      }${value.dockerfile?.origin === 'own' ? `; your ${relative(value.root, value.dockerfile.path)}` : ''}`,
    };
  });

  await stage('init', async () => {
    const { summary } = await refreshGenerated(model);
    return { value: undefined, ok: true, summary };
  });

  const check = await stage('check', async () => {
    const value = await checkModel(model);
    // Ship judges what it ships: findings in Dockerfiles it does not build (a Dockerfile.dev
    // beside the one compose builds) are counted apart; `slipway check` still lists them all.
    const elsewhere = (file: string | undefined) => file !== undefined && notBuilt(model, file);
    const shipped = value.findings.filter((f) => !elsewhere(f.location?.file));
    const failing = shipped.filter((f) => f.status === 'fail' && !f.suppressed);
    const aside = value.findings.length - shipped.length;
    const besides = aside > 0 ? `; ${aside} more in Dockerfiles ship does not build` : '';
    return {
      value,
      ok: !failsAt(shipped, 'warning'),
      summary:
        failing.length === 0
          ? `no findings (${value.rules.length} rules, ${value.files.length} files)${besides}`
          : `${failing.length} finding(s): ${[...new Set(failing.map((f) => f.id))].join(', ')}${besides}`,
    };
  });

  const { engine } = await detectEngine(options.engine);
  const failedStage = (name: StageName, started: number, error: unknown) => {
    const result = failedStageResult(name, Date.now() - started, error);
    stages.push(result);
    options.onStage?.(result);
  };

  let built: BuildOutcome;
  const buildStarted = Date.now();
  try {
    built = await stage('build', async () => {
      const value = await buildImage(model, engine, options.build ?? {});
      return {
        value,
        ok: true,
        summary: `${value.image}, ${(value.size / 1e6).toFixed(1)} MB, ${value.steps.cached}/${value.steps.total} steps cached`,
      };
    });
  } catch (error) {
    failedStage('build', buildStarted, error);
    return { stages, model, check, build: undefined, verify: undefined, ok: false };
  }

  let verified: VerifyReport | undefined;
  const verifyStarted = Date.now();
  try {
    verified = await stage('verify', async () => {
      const value = await verifyBuilt(engine, built.image, model, {
        ...(options.onResult ? { onResult: options.onResult } : {}),
        ...(options.osv ? { osv: options.osv } : {}),
        ...(options.failOn ? { failOn: options.failOn } : {}),
        ...(options.vex ? { vex: options.vex } : {}),
        ...(options.scan === false ? { scan: false } : {}),
        ...(options.extraChecks ? { extraChecks: options.extraChecks } : {}),
      });
      const failed = value.results.filter((r) => r.status === 'fail');
      const skipped = value.results.filter((r) => r.status === 'skip');
      const passed = value.results.length - failed.length - skipped.length;
      return {
        value,
        ok: value.ok,
        // A skip is not a pass: it is counted and named apart.
        summary: `${passed}/${value.results.length} checks passed${
          skipped.length ? `; skipped: ${skipped.map((r) => r.id).join(', ')}` : ''
        }${failed.length ? `; failed: ${failed.map((r) => r.id).join(', ')}` : ''}`,
      };
    });
  } catch (error) {
    // Bad input (exit 2) stays an error of the command; an engine failure is the stage's.
    if (error instanceof SlipwayError && error.exitCode === ExitCode.Usage) throw error;
    failedStage('verify', verifyStarted, error);
  }

  return {
    stages,
    model,
    check,
    build: built,
    verify: verified,
    ok: stages.every((s) => s.status === 'ok'),
  };
}

/** A stage that threw: its first line as the summary, the rest and the fix kept for the report. */
export function failedStageResult<Name extends string>(
  stage: Name,
  durationMs: number,
  error: unknown,
): StageResult<Name> {
  const lines = (error instanceof Error ? error.message : String(error)).trimEnd().split('\n');
  const message = lines[0] ?? '';
  const detail = lines
    .slice(1)
    .filter((line) => line.trim() !== '')
    .slice(-20);
  const fix = error instanceof SlipwayError ? error.fix : undefined;
  return {
    stage,
    status: 'failed',
    summary: message.replace(/:$/, ''),
    durationMs,
    error: { message, detail, ...(fix ? { fix } : {}) },
  };
}

/** A Dockerfile of the project other than the one ship builds (paths relative to the project). */
function notBuilt(model: ProjectModel, file: string): boolean {
  const chosen = model.dockerfile;
  if (!chosen || chosen.origin === 'ambiguous' || !isDockerfileName(basename(file))) return false;
  return resolve(model.root, file) !== chosen.path;
}
