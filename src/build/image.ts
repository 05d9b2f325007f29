import { access } from 'node:fs/promises';
import { relative } from 'node:path';
import type { ProjectModel } from '../analyze/model.js';
import type { ContainerEngine, LayerInfo } from '../engines/engine.js';
import { ExecError, ProjectError, SlipwayError } from '../errors.js';
import { buildContext, imageRef } from '../generate/index.js';
import { gitInfo } from '../util/git.js';
import { factsFromModel, factsToLabels } from './image-labels.js';
import { BuildProgress, type ProgressEvent } from './progress.js';
import { secretFiles } from './secrets.js';

export interface BuildImageOptions {
  /** BuildKit secret mounts: id → file on the host (e.g. a private index token). */
  readonly secrets?: Readonly<Record<string, string>>;
  /** @default false */
  readonly noCache?: boolean;
  /** Each raw line of the builder's output. */
  readonly onLine?: (line: string) => void;
  /** Parsed step starts and finishes, for live progress. */
  readonly onStep?: (event: ProgressEvent) => void;
}

export interface BuildOutcome {
  readonly model: ProjectModel;
  readonly engine: ContainerEngine;
  /** The first tag: `<name>:<version>`. */
  readonly image: string;
  readonly tags: readonly string[];
  readonly imageId: string;
  readonly size: number;
  readonly layers: readonly LayerInfo[];
  readonly durationMs: number;
  readonly steps: { readonly total: number; readonly cached: number };
}

/** Builds the project's generated Dockerfile; the model comes from analyze. */
export async function buildImage(
  model: ProjectModel,
  engine: ContainerEngine,
  options: BuildImageOptions = {},
): Promise<BuildOutcome> {
  // A workspace member builds from the workspace root, where uv.lock lives.
  const { context, dockerfile } = buildContext(model);
  try {
    await access(dockerfile);
  } catch {
    throw new ProjectError(`no Dockerfile in ${model.root}`, { fix: `slipway init ${model.root}` });
  }
  const git = await gitInfo(model.root);
  const tags = [imageRef(model)];
  if (git) tags.push(`${tags[0]}-${git.shortSha}${git.dirty ? '-dirty' : ''}`);
  const buildArgs: Record<string, string> = {
    VERSION: model.version,
    REVISION: git?.sha ?? 'unknown',
    CREATED: new Date().toISOString(),
  };
  const source = model.config.source ?? git?.remote;
  if (source) buildArgs.SOURCE = source;

  const progress = new BuildProgress();
  const started = Date.now();
  const secrets = await secretFiles(model, options.secrets ?? {});
  let imageId: string;
  try {
    const result = await engine.build({
      context,
      dockerfile,
      tags,
      buildArgs,
      // What verify needs (port, probes, uid, settings names), so that the image alone can be verified.
      labels: factsToLabels(factsFromModel(model)),
      ...(Object.keys(secrets.files).length > 0 ? { secrets: secrets.files } : {}),
      ...(options.noCache ? { noCache: true } : {}),
      onProgress: (line) => {
        options.onLine?.(line);
        const event = progress.feed(line);
        if (event) options.onStep?.(event);
      },
    });
    imageId = result.imageId;
  } catch (error) {
    throw buildFailure(error, progress, relative(process.cwd(), dockerfile) || dockerfile);
  } finally {
    await secrets.remove();
  }
  const durationMs = Date.now() - started;
  const info = await engine.inspectImage(tags[0] as string);
  const steps = progress.userSteps();
  return {
    model,
    engine,
    image: tags[0] as string,
    tags,
    imageId,
    size: info?.size ?? 0,
    layers: await engine.history(tags[0] as string),
    durationMs,
    steps: { total: steps.length, cached: steps.filter((step) => step.status === 'cached').length },
  };
}

function buildFailure(error: unknown, progress: BuildProgress, dockerfile: string): unknown {
  if (!(error instanceof ExecError)) return error;
  const failed = progress.failedStep();
  const engineError = progress.engineError() || error.stderr.trim().split('\n').slice(-15).join('\n');
  const image = progress.unresolvedImage();
  if (image) {
    return new SlipwayError(`the base image ${image} could not be fetched (${dockerfile}):\n${engineError}`, {
      exitCode: 1,
      fix: `pull ${image} where its registry is reachable (docker pull ${image}), or build FROM an image this machine has (slipway doctor lists them)`,
    });
  }
  const where = failed ? `step ${failed.name} failed` : 'the build failed';
  return new SlipwayError(`${where} (${dockerfile}):\n${engineError}`, {
    exitCode: 1,
    fix: 'read the engine error above; `slipway build --progress plain` prints the whole log',
  });
}
