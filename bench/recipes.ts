import { join } from 'node:path';
import type { BaseName } from '../src/generate/dockerfile-bases.js';

export type RecipeName =
  | 'slipway'
  | 'slipway-distroless'
  | 'slipway-no-bytecode'
  | 'full-pip'
  | 'slim-uv-single'
  | 'multistage-uv';

export interface Recipe {
  readonly name: RecipeName;
  readonly title: string;
  /**
   * Dockerfile relative to the bench folder; undefined = slipway's: the backend's committed one, or
   * (with `base`) the one slipway generates for the backend with that `[tool.slipway] base`.
   */
  readonly dockerfile: string | undefined;
  /** slipway's Dockerfile generated at run time with this base (slipway recipes only). */
  readonly base?: BaseName;
  /** false: slipway's generated Dockerfile with uv's bytecode compilation off, to weigh what it costs and gains. */
  readonly bytecode?: false;
  /** Text of the build step that installs the dependencies (to see whether it came from the cache). */
  readonly depsStep: string;
  /** The recipe installs from an exported requirements.txt rather than from uv.lock. */
  readonly usesRequirements: boolean;
}

/** slipway first: every ratio in the report is against it. */
export const RECIPES: readonly Recipe[] = [
  {
    name: 'slipway',
    title: "slipway's generated Dockerfile",
    dockerfile: undefined,
    depsStep: 'uv sync --locked --no-install-project',
    usesRequirements: false,
  },
  {
    name: 'slipway-distroless',
    title: 'slipway\'s Dockerfile with `base = "distroless"`',
    dockerfile: undefined,
    base: 'distroless',
    depsStep: 'uv sync --locked --no-install-project',
    usesRequirements: false,
  },
  {
    name: 'slipway-no-bytecode',
    title: "slipway's Dockerfile with `UV_COMPILE_BYTECODE=0`",
    dockerfile: undefined,
    base: 'slim',
    bytecode: false,
    depsStep: 'uv sync --locked --no-install-project',
    usesRequirements: false,
  },
  {
    name: 'full-pip',
    title: 'python:3.13, pip -r requirements.txt',
    dockerfile: join('recipes', 'full-pip', 'Dockerfile'),
    depsStep: 'pip install',
    usesRequirements: true,
  },
  {
    name: 'slim-uv-single',
    title: 'python:3.13-slim, uv sync after COPY . .',
    dockerfile: join('recipes', 'slim-uv-single', 'Dockerfile'),
    depsStep: 'uv sync',
    usesRequirements: false,
  },
  {
    name: 'multistage-uv',
    title: 'multi-stage uv, named user, no .pyc',
    dockerfile: join('recipes', 'multistage-uv', 'Dockerfile'),
    depsStep: 'uv sync --locked --no-install-project',
    usesRequirements: false,
  },
];
