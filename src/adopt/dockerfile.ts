import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { findDockerfiles, generatedBySlipway } from '../dockerfile/discover.js';
import { parseDockerfile } from '../dockerfile/facts.js';
import { ProjectError } from '../errors.js';
import { type ComposeService, composeFiles, readCompose } from './compose.js';
import { contextSources, type OwnImage, ownImage } from './image.js';

/** Which Dockerfile builds the app, and why that one. */
export interface DockerfileChoice {
  /**
   * `generated`: slipway's own (written by `slipway init`, or to be written); `own`: a Dockerfile
   * of the project's, which slipway keeps and follows; `ambiguous`: several, and nothing says which.
   */
  readonly origin: 'generated' | 'own' | 'ambiguous';
  /** Absolute path; for `ambiguous`, the first candidate. */
  readonly path: string;
  /** Absolute build context. */
  readonly context: string;
  readonly source:
    | 'slipway-config'
    | 'compose'
    | 'slipway-marker'
    | 'only-candidate'
    | 'default-name'
    | 'none'
    | 'ambiguous';
  /** Why this one, in words, for the summary (`named by compose.yaml service api`). */
  readonly reason: string;
  /** Every Dockerfile found, relative to the project root. */
  readonly candidates: readonly string[];
  /** What the chosen Dockerfile of the project's own builds. */
  readonly image: OwnImage | undefined;
  /** `environment:` of the compose service that builds the app. */
  readonly composeEnvironment: Readonly<Record<string, string>>;
  /**
   * The .dockerignore BuildKit applies to this build (absolute): `<Dockerfile>.dockerignore`, else
   * the context's `.dockerignore`; where one would go when there is none.
   */
  readonly ignoreFile: string;
  /** Whether that ignore file exists already. */
  readonly ignoreExists: boolean;
}

export interface ChooseDockerfileInput {
  /** The project folder (a workspace member's own folder). */
  readonly root: string;
  /** The uv workspace root, for a member. */
  readonly workspaceRoot: string | undefined;
  /** `[tool.slipway] dockerfile`, relative to the project folder. */
  readonly configured: string | undefined;
  /** pyproject.toml, for messages. */
  readonly pyprojectFile: string;
}

const toPosix = (path: string) => path.split(sep).join('/');
const inside = (dir: string, path: string) => path === dir || path.startsWith(`${dir}${sep}`);

export function chooseDockerfile(input: ChooseDockerfileInput): DockerfileChoice {
  const { root, workspaceRoot } = input;
  const standardContext = workspaceRoot ?? root;
  const standard = join(root, 'Dockerfile');
  const rel = (path: string) => toPosix(relative(root, path)) || '.';
  const candidates = [
    ...findDockerfiles(root).map((path) => join(root, path)),
    // A workspace's Dockerfile often sits at its root, next to uv.lock.
    ...(workspaceRoot ? findDockerfiles(workspaceRoot, 1).map((path) => join(workspaceRoot, path)) : []),
  ];
  const shown = [...new Set(candidates)].map(rel);
  const services = composeFiles([root, ...(workspaceRoot ? [workspaceRoot] : []), dirname(root)])
    .flatMap(readCompose)
    .filter((s) => s.dockerfile !== undefined);
  const own = (path: string, source: DockerfileChoice['source'], reason: string, context?: string) =>
    ownChoice(path, source, reason, context ?? contextFor(path, root, workspaceRoot), root, shown, services);

  if (input.configured !== undefined) {
    const path = resolve(root, input.configured);
    if (!existsSync(path)) {
      throw new ProjectError(`[tool.slipway] dockerfile = "${input.configured}": no such file`, {
        fix: `name an existing Dockerfile in [tool.slipway] dockerfile in ${input.pyprojectFile}${shown.length ? ` (found: ${shown.join(', ')})` : ''}`,
      });
    }
    if (isGenerated(path)) return generated(path, standardContext, root, shown, 'slipway-config');
    return own(path, 'slipway-config', `named by [tool.slipway] dockerfile`);
  }
  // `slipway init --force` replaced theirs with slipway's: that choice stands.
  if (existsSync(standard) && isGenerated(standard)) {
    return generated(standard, standardContext, root, shown, 'slipway-marker');
  }
  const composed = composeChoice(services, root, workspaceRoot);
  if (composed?.dockerfile && existsSync(composed.dockerfile)) {
    const reason = `built by service ${composed.service} of ${rel(composed.file)}`;
    return own(composed.dockerfile, 'compose', reason, composed.context);
  }
  const mine = candidates.filter((path) => !isGenerated(path));
  if (mine.length === 0) return generated(standard, standardContext, root, shown, 'none');
  if (mine.length === 1)
    return own(mine[0] as string, 'only-candidate', 'the only Dockerfile in the project');
  const named = mine.find((path) => path === standard);
  if (named) return own(named, 'default-name', 'Dockerfile at the project root, as docker build picks it');
  return {
    origin: 'ambiguous',
    path: mine[0] as string,
    context: standardContext,
    source: 'ambiguous',
    reason: `several Dockerfiles (${mine.map(rel).join(', ')}) and nothing says which builds the app`,
    candidates: shown,
    image: undefined,
    composeEnvironment: {},
    ...ignoreFor(mine[0] as string, standardContext, root),
  };
}

/** BuildKit reads `<Dockerfile>.dockerignore` first, then the context root's `.dockerignore`. */
function ignoreFor(dockerfile: string, context: string, root: string) {
  const own = `${dockerfile}.dockerignore`;
  const shared = join(context, '.dockerignore');
  if (existsSync(own)) return { ignoreFile: own, ignoreExists: true };
  if (existsSync(shared)) return { ignoreFile: shared, ignoreExists: true };
  // The context's own file when it is the project; beside the Dockerfile otherwise (a workspace).
  return { ignoreFile: context === root ? shared : own, ignoreExists: false };
}

function isGenerated(path: string): boolean {
  return generatedBySlipway(readFileSync(path, 'utf8').slice(0, 200));
}

function generated(
  path: string,
  context: string,
  root: string,
  candidates: readonly string[],
  source: 'slipway-config' | 'slipway-marker' | 'none',
): DockerfileChoice {
  const reason =
    source === 'none'
      ? 'the project has no Dockerfile: slipway writes one'
      : source === 'slipway-marker'
        ? "slipway's own Dockerfile"
        : "slipway's own Dockerfile, named by [tool.slipway] dockerfile";
  return {
    origin: 'generated',
    path,
    context,
    source,
    reason,
    candidates,
    image: undefined,
    composeEnvironment: {},
    ...ignoreFor(path, context, root),
  };
}

function ownChoice(
  path: string,
  source: DockerfileChoice['source'],
  reason: string,
  context: string,
  root: string,
  candidates: readonly string[],
  services: readonly ComposeService[],
): DockerfileChoice {
  const facts = parseDockerfile(path, readFileSync(path, 'utf8'));
  const service = services.find((s) => s.dockerfile === path);
  return {
    origin: 'own',
    path,
    context,
    source,
    reason,
    candidates,
    image: ownImage({ ...facts, path: toPosix(relative(context, path)) }),
    composeEnvironment: service?.environment ?? {},
    ...ignoreFor(path, context, root),
  };
}

/** The compose service that builds this project: its context holds the project, or the project holds it. */
function composeChoice(
  services: readonly ComposeService[],
  root: string,
  workspaceRoot: string | undefined,
): ComposeService | undefined {
  const matching = services.filter(
    (s) =>
      s.context !== undefined &&
      s.dockerfile !== undefined &&
      (s.context === root ||
        s.context === workspaceRoot ||
        (inside(s.context, root) && inside(root, s.dockerfile))),
  );
  const files = [...new Set(matching.map((s) => s.dockerfile))];
  // Several services (api, worker) built from one Dockerfile are one choice.
  return files.length === 1 ? matching[0] : undefined;
}

/**
 * The folder a Dockerfile is built from when nothing names it: the one where everything it
 * COPYs exists (the project, else the workspace root); the project by default, as `docker build
 * -f docker/api.Dockerfile .` is run from it.
 */
function contextFor(path: string, root: string, workspaceRoot: string | undefined): string {
  const facts = parseDockerfile(path, readFileSync(path, 'utf8'));
  const sources = contextSources(facts).filter((src) => !/[*?[$]/.test(src));
  const holdsAll = (dir: string) => sources.every((src) => existsSync(join(dir, src)));
  const folders = [root, ...(workspaceRoot ? [workspaceRoot] : []), dirname(path)];
  return folders.find(holdsAll) ?? root;
}
