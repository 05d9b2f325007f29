import type { ProjectModel } from '../analyze/model.js';
import type { SlipwayConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { composeFile } from './compose/index.js';
import { helmChart } from './helm/index.js';
import { type GeneratedFiles, generateFiles } from './index.js';
import { BASE, LOCAL, PRODUCTION } from './k8s/kustomize.js';
import { githubWorkflow } from './workflow/github.js';

/**
 * What `slipway init` writes besides the image files (Dockerfile, .dockerignore): the outputs
 * `--with` names, else `[tool.slipway] outputs`, else Kustomize alone.
 */

export type OutputName = SlipwayConfig['outputs'][number];

/** Each output's files from the model; the image files come with every choice. */
const GENERATORS: Readonly<Partial<Record<OutputName, (model: ProjectModel) => Record<string, string>>>> = {
  kustomize: (model) => kustomizeFiles(generateFiles(model)),
  helm: helmChart,
  compose: composeFile,
  github: githubWorkflow,
};

/** The names `--with` accepts, in the order the help lists them. */
export const OUTPUT_NAMES: readonly OutputName[] = Object.keys(GENERATORS) as OutputName[];

const KUSTOMIZE_DIRS = [BASE, LOCAL, PRODUCTION].map((dir) => `${dir}/`);
const isKustomize = (path: string) => KUSTOMIZE_DIRS.some((dir) => path.startsWith(dir));

function kustomizeFiles(files: GeneratedFiles): Record<string, string> {
  return Object.fromEntries(Object.entries(files).filter(([path]) => isKustomize(path)));
}

/**
 * `--with kustomize,helm` (or several --with, or a list) as output names: deduplicated, in the
 * order given. An unknown or empty name is a UsageError (exit 2) naming the accepted ones.
 */
export function parseOutputs(given: string | readonly string[]): OutputName[] {
  const parts = (typeof given === 'string' ? [given] : given).flatMap((part) => part.split(','));
  const names = parts.map((part) => part.trim().toLowerCase());
  const accepted = OUTPUT_NAMES.join(', ');
  const unknown = names.filter((name) => !(OUTPUT_NAMES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    const what =
      unknown.filter(Boolean).length > 0
        ? `unknown output${unknown.length === 1 ? '' : 's'} ${unknown
            .filter(Boolean)
            .map((name) => JSON.stringify(name))
            .join(', ')}`
        : 'an empty output name';
    throw new UsageError(`--with: ${what}; slipway init writes ${accepted}`, {
      fix: `name one or more of them, comma-separated: --with ${OUTPUT_NAMES.slice(0, 2).join(',')}`,
    });
  }
  return [...new Set(names as OutputName[])];
}

/** The outputs a run writes: the ones given, else the project's [tool.slipway] outputs. */
export function chosenOutputs(
  model: ProjectModel,
  given: string | readonly string[] | undefined,
): OutputName[] {
  if (given !== undefined) return parseOutputs(given);
  const configured = [...model.config.outputs];
  const missing = configured.filter((name) => !GENERATORS[name]);
  if (missing.length > 0) {
    throw new UsageError(
      `[tool.slipway] outputs: this version of slipway cannot write ${missing.join(', ')}; it writes ${OUTPUT_NAMES.join(', ')}`,
      { fix: `remove ${missing.join(', ')} from [tool.slipway] outputs in pyproject.toml` },
    );
  }
  return configured;
}

/**
 * The generated files of the chosen outputs, with the image files that come with each: what
 * generateFiles writes outside deploy/k8s (the Dockerfile and its ignore file, or only the
 * .dockerignore beside a Dockerfile of the project's own). Keys sorted.
 */
export function outputFiles(model: ProjectModel, outputs: readonly OutputName[]): GeneratedFiles {
  const all = generateFiles(model);
  const files: Record<string, string> = Object.fromEntries(
    Object.entries(all).filter(([path]) => !isKustomize(path)),
  );
  for (const name of outputs) {
    const generator = GENERATORS[name];
    // chosenOutputs and parseOutputs let only known names through: anything else is a bug here.
    if (!generator) throw new Error(`no generator for the output ${name}`);
    Object.assign(files, generator(model));
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
