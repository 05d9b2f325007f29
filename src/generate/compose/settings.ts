import type { EnvVar, ProjectModel } from '../../analyze/model.js';
import { envValue } from '../k8s/configmap.js';
import type { Companion } from './companions.js';
import { literal, required } from './yaml.js';

/**
 * What the app's container is told, split as the pod splits it: plain settings written out,
 * secret ones never. A plain setting takes, in order: the address of the companion service it
 * points at, the project's example value (`.env.example`, a local run is what that file is for),
 * the literal default the ConfigMap carries; a required one with none of these is interpolated
 * with `:?`, so compose refuses to start naming it. Secret settings come from `.env` (env_file),
 * except those a companion supplies (its password, a URL holding it), interpolated from there.
 */
export interface AppSettings {
  /** `environment:` of the app and its migration, by variable name, sorted. */
  readonly environment: Readonly<Record<string, string>>;
  /** Secret settings read from .env (env_file): none means no env_file. */
  readonly fromDotenv: readonly EnvVar[];
  /** Required plain settings with no value anywhere: .env (or the shell) must set them. */
  readonly unset: readonly string[];
}

const byName = (a: EnvVar, b: EnvVar) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function plainValue(model: ProjectModel, setting: EnvVar): string | undefined {
  const example = model.exampleEnv?.[setting.name]?.value;
  if (example !== undefined && example !== '') return literal(example);
  const fromDefault = setting.default === undefined ? undefined : envValue(setting.default);
  if (fromDefault !== undefined) return literal(fromDefault);
  return undefined;
}

export function appSettings(model: ProjectModel, services: readonly Companion[]): AppSettings {
  const supplied: Record<string, string> = Object.assign({}, ...services.map((s) => s.appEnv));
  const environment: Record<string, string> = {};
  const fromDotenv: EnvVar[] = [];
  const unset: string[] = [];
  const seen = new Set<string>();
  for (const setting of [...model.settings.env].sort(byName)) {
    // Two settings classes may read one variable: the first (by name) decides, once.
    if (seen.has(setting.name)) continue;
    seen.add(setting.name);
    const service = supplied[setting.name];
    if (service !== undefined) {
      environment[setting.name] = service;
      continue;
    }
    if (setting.secret) {
      fromDotenv.push(setting);
      continue;
    }
    const value = plainValue(model, setting);
    if (value !== undefined) environment[setting.name] = value;
    else if (setting.required) {
      environment[setting.name] = required(setting.name, `set ${setting.name} in .env: the app needs it`);
      unset.push(setting.name);
    }
  }
  // A service setting the settings scan did not list (from [tool.slipway] services) still goes in.
  for (const [name, value] of Object.entries(supplied)) if (!seen.has(name)) environment[name] = value;
  const sorted = Object.fromEntries(Object.entries(environment).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { environment: sorted, fromDotenv, unset };
}
