import type { Lock } from './lock.js';
import type { BuildSecret } from './model.js';
import { getPath, type TomlTable, table } from './toml.js';

/**
 * Private package indexes (`[[tool.uv.index]]`) that uv must log in to while the image builds.
 * uv reads an index's credentials from UV_INDEX_<NAME>_USERNAME / _PASSWORD (the name upper-cased,
 * every other character an underscore); the Dockerfile hands them to the uv sync steps as BuildKit
 * secrets, so they never become an ARG, an ENV or a layer.
 */

export interface UvIndex {
  readonly name: string | undefined;
  readonly url: string;
  readonly authenticate: string | undefined;
}

// Hosted registries that always want credentials, matched on host and path.
const PRIVATE_REGISTRIES: readonly [RegExp, string][] = [
  [/(^|\.)pkg\.dev\//, 'Google Artifact Registry'],
  [/\.codeartifact\.[a-z0-9-]+\.amazonaws\.com\//, 'AWS CodeArtifact'],
  [/(^|\.)jfrog\.io\/|\/artifactory\//, 'JFrog Artifactory'],
  [/^pkgs\.dev\.azure\.com\/|(^|\.)pkgs\.visualstudio\.com\//, 'Azure Artifacts'],
  [/\/api\/v4\/(projects|groups)\/[^/]+\/packages\/pypi\b/, 'a GitLab package registry'],
  [/^pypi\.fury\.io\//, 'Gemfury'],
  [/(^|\.)cloudsmith\.io\//, 'Cloudsmith'],
  [/\/repository\/[^/]+\/simple\b/, 'a Nexus repository'],
];

/** The `[[tool.uv.index]]` entries of the project, then those of the workspace root it inherits. */
export function uvIndexes(tables: readonly TomlTable[]): UvIndex[] {
  const seen = new Set<string>();
  const out: UvIndex[] = [];
  for (const data of tables) {
    const raw = getPath(data, 'tool.uv.index');
    for (const entry of Array.isArray(raw) ? raw.map(table) : []) {
      if (!entry || typeof entry.url !== 'string') continue;
      const name = typeof entry.name === 'string' ? entry.name : undefined;
      const key = name ?? entry.url;
      if (seen.has(key)) continue;
      seen.add(key);
      const authenticate = typeof entry.authenticate === 'string' ? entry.authenticate : undefined;
      out.push({ name, url: entry.url, authenticate });
    }
  }
  return out;
}

/** `UV_INDEX_INTERNAL_PROXY` for an index named `internal-proxy`, as uv derives it. */
export function indexEnvPrefix(name: string): string {
  return `UV_INDEX_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The URL without credentials and trailing slash: how uv.lock records a registry source. */
function bare(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return url.replace(/\/+$/, '');
  }
}

/** Why the index needs credentials, or undefined when it does not (or says it never does). */
function needsCredentials(index: UvIndex): string | undefined {
  if (index.authenticate === 'never') return undefined;
  if (index.authenticate === 'always') return 'authenticate = "always"';
  let url: URL;
  try {
    url = new URL(index.url);
  } catch {
    return undefined;
  }
  if (url.username && !url.password) return `its URL names the user ${decodeURIComponent(url.username)}`;
  const where = `${url.hostname}${url.pathname}`;
  const kind = PRIVATE_REGISTRIES.find(([pattern]) => pattern.test(where))?.[1];
  return kind ? `${kind}, which wants credentials` : undefined;
}

export interface IndexFindings {
  readonly secrets: BuildSecret[];
  readonly warnings: string[];
}

/**
 * The build secrets the uv sync steps need: one per credential of each index that wants them and
 * that some locked package comes from (uv only contacts an index for what it downloads).
 */
export function indexSecrets(indexes: readonly UvIndex[], lock: Lock, file: string): IndexFindings {
  const secrets: BuildSecret[] = [];
  const warnings: string[] = [];
  const registries = new Set(
    lock.packages
      .map((p) => p.source.registry)
      .filter((r): r is string => typeof r === 'string')
      .map(bare),
  );
  for (const index of indexes) {
    const label = index.name ?? index.url;
    let embedded = false;
    try {
      embedded = new URL(index.url).password !== '';
    } catch {}
    if (embedded) {
      warnings.push(
        `index ${label}: its URL in ${file} holds a password, committed with the project; define the index without it and set ${index.name ? `${indexEnvPrefix(index.name)}_PASSWORD` : 'UV_INDEX_<NAME>_PASSWORD'} instead`,
      );
      continue;
    }
    const why = needsCredentials(index);
    if (!why || !registries.has(bare(index.url))) continue;
    if (!index.name) {
      warnings.push(
        `index ${index.url} needs credentials (${why}) but has no name, so uv cannot read them from UV_INDEX_<NAME>_*: give it name = "..." in ${file}`,
      );
      continue;
    }
    const prefix = indexEnvPrefix(index.name);
    const id = `uv-index-${index.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    const where = `index ${index.name} (${bare(index.url)}): ${why}`;
    if (!new URL(index.url).username)
      secrets.push({ id: `${id}-username`, env: `${prefix}_USERNAME`, why: where });
    secrets.push({ id: `${id}-password`, env: `${prefix}_PASSWORD`, why: where });
  }
  return { secrets, warnings };
}
