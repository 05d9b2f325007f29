import { dirname, join, relative, resolve } from 'node:path';
import { chooseDockerfile } from '../adopt/dockerfile.js';
import { exampleValues } from '../adopt/env-example.js';
import { followHealth, followImage } from '../adopt/follow.js';
import { loadConfig } from '../config/load.js';
import { ProjectError } from '../errors.js';
import { type AppOverride, chooseApp } from './app.js';
import { startApps } from './app-start.js';
import { ASYNC_ENGINE } from './driver-scheme.js';
import { installSelection } from './groups.js';
import { pickHealth } from './health.js';
import { indexSecrets, uvIndexes } from './indexes.js';
import { detectLayout } from './layout.js';
import { findProjectPackage, type Lock, lockDifferences, readLock } from './lock.js';
import { undeclaredMemberImports } from './member-imports.js';
import { findMigrations } from './migrations.js';
import type { LockInfo, ProjectModel } from './model.js';
import { lockWheelsFit, lockWheelsLacking, nativeNeeds } from './native.js';
import { sourcesOutsideWheel } from './packaging.js';
import { type Pyproject, readPyproject } from './pyproject.js';
import { readPythonModules } from './python-source.js';
import { detectPython, PREFERRED_PYTHON, stepDownWarning } from './python-version.js';
import { parseRequirement } from './requirements.js';
import { buildRouteGraph, prefixWarnings, rootObjects, routesOf } from './routes.js';
import { runtimeFilesToCopy } from './runtime-files.js';
import { findServices } from './services.js';
import { findSettings } from './settings.js';
import { getPath, table } from './toml.js';
import { fastapiMember, findWorkspace, type Workspace } from './workspace.js';

export type { ProjectModel } from './model.js';

/**
 * Reads a FastAPI + uv project and returns what every later step needs. Pure reading: it never
 * runs the app and never writes. Throws ProjectError (exit 2) naming the cause and its fix.
 */
export interface AnalyzeProjectOptions {
  /**
   * Return a model for a project whose uv.lock is stale (`lock.fresh` false, `lock.problems` set)
   * instead of throwing; `slipway check` reports it as a finding. @default false
   */
  readonly allowStaleLock?: boolean;
}

export async function analyzeProject(
  dir: string,
  options: AnalyzeProjectOptions = {},
): Promise<ProjectModel> {
  const root = resolve(dir);
  // At a workspace root the app is in a member: the one that depends on FastAPI.
  const member = await fastapiMember(root);
  if (member) {
    const model = await analyzeProject(member, options);
    return model.workspace ? { ...model, workspace: { ...model.workspace, selected: true } } : model;
  }
  const project = await readPyproject(root);
  const config = loadConfig(getPath(project.data, 'tool.slipway'), project.file);
  const dependencies = project.dependencies.map((d) => parseRequirement(d)?.name ?? d);
  if (!dependencies.includes('fastapi') && !dependencies.includes('fastapi-slim')) {
    throw new ProjectError(
      `${project.file}: fastapi is not in [project] dependencies, so there is no FastAPI app to ship`,
      {
        fix: 'uv add fastapi',
      },
    );
  }
  const workspace = await findWorkspace(project);
  const inWorkspace = workspace && workspace.member !== '.' ? workspace : undefined;
  const lock = await readLock(join(workspace?.root ?? root, 'uv.lock'), project.file);
  const python = detectPython({
    projectDir: root,
    workspaceRoot: workspace?.root,
    requiresPython: project.requiresPython,
    configured: config.pythonVersion,
    pyprojectFile: project.file,
    wheelsFit: (minor) =>
      lockWheelsFit(lock, findProjectPackage(lock, project, workspace?.member ?? '.'), minor),
  });
  const problems = lockProblems(lock, project, workspace);
  if (problems.length > 0 && !options.allowStaleLock) throw staleLock(lock, problems);

  const layout = detectLayout(project);
  const modules = await readPythonModules(root, layout.sourceRoots, layout.sourcePaths);
  const graph = buildRouteGraph(modules);
  const warnings: string[] = [];
  const projectLock = findProjectPackage(lock, project, workspace?.member ?? '.');
  const stepDown = stepDownWarning(
    python,
    project.file,
    lockWheelsLacking(lock, projectLock, PREFERRED_PYTHON),
  );
  if (stepDown) warnings.push(stepDown);
  if (inWorkspace)
    warnings.push(...undeclaredMemberImports(project, inWorkspace, lock, projectLock, modules));
  const starts = startApps(project.data, root, workspace?.root, modules, graph);
  const override = appOverride(project, config.app);
  const app = chooseApp(modules, graph, override, layout.sourcePaths, starts, (w) => warnings.push(w));
  // Without the app's object (configured, built indirectly) every root app's routes are candidates.
  const roots = app.objectKey ? [app.objectKey] : rootObjects(graph).map((o) => o.key);
  const routes = roots.flatMap((key) => routesOf(graph, key));
  warnings.push(...prefixWarnings(routes));
  const lockPackage = findProjectPackage(lock, project, workspace?.member ?? '.');
  // A lock without the project at all is too stale to read anything from, even for check.
  if (!lockPackage)
    throw staleLock(lock, problems.length > 0 ? problems : [`uv.lock has no ${project.name}`]);
  const lockInfo: LockInfo = {
    path: lock.path,
    packages: lock.packages.length,
    fresh: problems.length === 0,
    problems,
  };
  const { objectKey: _, ...chosen } = app;
  const openapiUrl = app.objectKey ? graph.objects.get(app.objectKey)?.openapiUrl : undefined;
  const entrypoint = openapiUrl !== undefined ? { ...chosen, openapiPath: openapiUrl } : chosen;
  const rootProject = workspace?.projects.find((p) => p.dir === workspace.root);
  const indexes = indexSecrets(
    uvIndexes([project.data, ...(rootProject && rootProject !== project ? [rootProject.data] : [])]),
    lock,
    project.file,
  );
  warnings.push(...indexes.warnings);
  const outsideWheel = sourcesOutsideWheel(
    project,
    project.packaged,
    app.module,
    modules,
    layout.sourcePaths,
  );
  const copied = project.packaged ? outsideWheel : layout.sourcePaths;
  const dockerfile = chooseDockerfile({
    root,
    workspaceRoot: inWorkspace?.root,
    configured: config.dockerfile,
    pyprojectFile: project.file,
  });
  const settings = findSettings(modules);
  const composeDirs = [root, ...(inWorkspace ? [inWorkspace.root] : []), dirname(root)];
  const examples = exampleValues(composeDirs, root, dockerfile.composeEnvironment);
  const services = findServices({
    env: settings.env,
    dependencies,
    composeDirs,
    configured: config.services,
    examples,
    asyncEngine: modules.some((module) => ASYNC_ENGINE.test(module.source)),
  });
  const migrations = findMigrations({ root, composeDirs, dependencies, configured: config.migrate });
  const runtimeFiles = runtimeFilesToCopy(
    root,
    modules,
    dependencies,
    project.packaged,
    copied,
    layout.sourcePaths,
    layout.sourceRoots,
  );
  if (migrations && /^(ba|da)?sh$/.test(migrations.command[0] ?? '') && config.base !== 'slim') {
    warnings.push(
      `the migration (${migrations.why}) needs a shell, which the ${config.base} base has not: set [tool.slipway] migrate to the command itself (e.g. "alembic upgrade head")`,
    );
  }
  // The migration step runs in the app's image: a script it names must be in it.
  for (const path of migrations?.files ?? []) {
    const held = [...copied, ...runtimeFiles.map((f) => f.path)].some(
      (p) => path === p || path.startsWith(`${p}/`),
    );
    if (!held) runtimeFiles.push({ path, why: `the migration step runs it: ${migrations?.why}` });
  }
  return {
    root,
    name: project.name,
    version: project.version,
    description: project.description,
    packaged: project.packaged,
    layout: layout.layout,
    sourceRoots: layout.sourceRoots,
    sourcePaths: layout.sourcePaths,
    readme: project.readme,
    workspace: inWorkspace && {
      root: inWorkspace.root,
      member: inWorkspace.member,
      package: lockPackage.name,
    },
    python,
    lock: lockInfo,
    dependencies,
    app: entrypoint,
    routes,
    health: followHealth(pickHealth(routes, config.health), dockerfile),
    settings,
    native: nativeNeeds(lock, lockPackage, python.version, config.apt),
    install: installSelection(project, workspace ? [root, workspace.root] : [root], config.groups),
    outsideWheel,
    ...(indexes.secrets.length > 0 ? { buildSecrets: indexes.secrets } : {}),
    runtimeFiles,
    // Around a Dockerfile of the project's own, the port and ids are the ones its image uses.
    config: followImage(config, getPath(project.data, 'tool.slipway'), dockerfile),
    dockerfile,
    exampleEnv: examples,
    warnings,
    ...(services.length > 0 ? { services } : {}),
    ...(migrations ? { migrations } : {}),
  };
}

/** `[tool.slipway] app` wins over fastapi-cli's `[tool.fastapi] entrypoint`. */
function appOverride(project: Pyproject, configured: string | undefined): AppOverride | undefined {
  if (configured !== undefined) {
    return { value: configured, source: 'slipway-config', where: `[tool.slipway] app in ${project.file}` };
  }
  const entrypoint = table(getPath(project.data, 'tool.fastapi'))?.entrypoint;
  if (entrypoint === undefined) return undefined;
  if (typeof entrypoint !== 'string') {
    throw new ProjectError(`${project.file}: tool.fastapi.entrypoint: expected a string`, {
      fix: 'write it as entrypoint = "package.module:app"',
    });
  }
  return {
    value: entrypoint,
    source: 'fastapi-entrypoint',
    where: `[tool.fastapi] entrypoint in ${project.file}`,
  };
}

/**
 * The image installs with `uv sync --locked`, which refuses a lock that does not match: every
 * project of the workspace is checked, as uv checks them all.
 */
function lockProblems(lock: Lock, project: Pyproject, workspace: Workspace | undefined): string[] {
  const projects = workspace?.projects ?? [project];
  const base = workspace?.root ?? project.dir;
  const rootSources = workspace
    ? workspace.projects.find((p) => p.dir === workspace.root)?.sources
    : undefined;
  const bounds = projects.map((p) => p.requiresPython).filter((r) => r !== undefined);
  const problems = projects.flatMap((p) =>
    lockDifferences(lock, p, {
      member: relative(base, p.dir).split('\\').join('/') || '.',
      requiresPython: bounds.length > 0 ? bounds.join(',') : undefined,
      sources: rootSources,
    }),
  );
  if (workspace && lock.members) {
    const names = projects.map((p) => parseRequirement(p.name)?.name ?? p.name).sort();
    if (names.join(',') !== [...lock.members].sort().join(',')) {
      problems.push(
        `workspace members: pyproject.toml files name ${names.join(', ')}, uv.lock ${lock.members.join(', ')}`,
      );
    }
  }
  return [...new Set(problems)];
}

function staleLock(lock: Lock, problems: readonly string[]): ProjectError {
  const shown = problems.slice(0, 8);
  const more = problems.length > shown.length ? `\n  ... and ${problems.length - shown.length} more` : '';
  return new ProjectError(
    `${lock.path} is out of date (stale): it no longer matches pyproject.toml:\n  ${shown.join('\n  ')}${more}`,
    {
      fix: 'uv lock',
    },
  );
}
