import type { DockerfileChoice } from '../adopt/dockerfile.js';
import type { ExampleValue } from '../adopt/env-example.js';
import type { SlipwayConfig } from '../config/schema.js';

export type { DockerfileChoice } from '../adopt/dockerfile.js';
export type { OwnImage } from '../adopt/image.js';

/**
 * What `analyze` knows about a project. Every later step (generate, check, build, verify, deploy)
 * takes this model and re-derives nothing that analyze already found.
 */
export interface ProjectModel {
  /** Absolute path of the project folder (the one holding pyproject.toml). */
  readonly root: string;
  readonly name: string;
  readonly version: string;
  readonly description: string | undefined;
  /** A build-system is declared and `[tool.uv] package` is not false: uv installs the project itself. */
  readonly packaged: boolean;
  /** `src` (src/<pkg>), `flat` (<pkg>/ or module.py beside pyproject). */
  readonly layout: 'src' | 'flat';
  /** Import roots relative to root: `src` for src layout, `.` for flat. */
  readonly sourceRoots: readonly string[];
  /** Top-level packages or modules of the project, relative to root (e.g. `src/app`, `main.py`). */
  readonly sourcePaths: readonly string[];
  /** `[project] readme` file relative to root; the build backend reads it when it builds the project. */
  readonly readme: string | undefined;
  /** Set when the project is a member of a uv workspace; the lock lives at the workspace root. */
  readonly workspace: WorkspaceInfo | undefined;
  readonly python: PythonInfo;
  readonly lock: LockInfo;
  /** Normalized names of the runtime dependencies (PEP 503). */
  readonly dependencies: readonly string[];
  readonly app: AppEntrypoint;
  /** Every route found in the sources, with router prefixes applied. */
  readonly routes: readonly RouteInfo[];
  readonly health: HealthRoutes;
  readonly settings: SettingsInfo;
  readonly native: NativeNeeds;
  /** Dependency groups and extras the image installs besides the project's dependencies. */
  readonly install?: InstallSelection;
  /**
   * Source paths (relative to root) the app imports that the project's wheel does not install
   * (setuptools `packages = ["core"]` with the app in `api/`): the final stage copies them.
   */
  readonly outsideWheel?: readonly string[];
  /** Files the app opens at run time that no copied source or wheel holds: the final stage copies them. */
  readonly runtimeFiles?: readonly RuntimeFile[];
  /**
   * `[tool.slipway]` with its defaults. `port`, `uid` and `gid` are the effective values: what
   * `[tool.slipway]` sets, else what the project's own Dockerfile says (see `dockerfile.image`),
   * else the defaults; so the manifests, check and verify follow the image that is built.
   */
  readonly config: SlipwayConfig;
  /**
   * The Dockerfile that builds the app: slipway's own, or one of the project's, kept and followed.
   * Absent (models made by hand): slipway's own, at the project's root.
   */
  readonly dockerfile?: DockerfileChoice;
  /**
   * Example values of settings from `.env.example` / `.env.sample` / the compose service's
   * `environment:` (never `.env`), by environment variable name.
   */
  readonly exampleEnv?: Readonly<Record<string, ExampleValue>>;
  /**
   * Credentials the uv sync steps need for private indexes (`[[tool.uv.index]]`), handed to them
   * as BuildKit secrets: `docker buildx build --secret id=<id>,env=<env>`. Never an ARG or ENV.
   */
  readonly buildSecrets?: readonly BuildSecret[];
  /** What analyze could not read for sure (an unresolved route prefix, a start command naming nothing). */
  readonly warnings?: readonly string[];
  /** Databases and caches the app needs to start (see src/analyze/services.ts); verify starts them. */
  readonly services?: readonly CompanionService[];
  /** How the project migrates its database before new pods serve; absent when it has no migrations. */
  readonly migrations?: MigrationStep;
}

export type ServiceKind = 'postgres' | 'mysql' | 'redis';

export interface CompanionService {
  readonly kind: ServiceKind;
  /** The image verify starts: the compose file's when it names one of this kind, else the pinned default. */
  readonly image: string;
  /** The port it listens on inside its container (5432, 3306, 6379). */
  readonly port: number;
  /** What says the app needs it: `setting DATABASE_URL (postgresql scheme)`, `compose.yaml services.db`. */
  readonly reasons: readonly string[];
  /** The compose service's name: the host name the project's own files use for it (e.g. `db`). */
  readonly composeName?: string;
  /** The compose service's healthcheck test, as written. */
  readonly composeHealthcheck?: readonly string[];
  /** The app's settings that carry the service's address and credentials. */
  readonly settings: readonly ServiceSetting[];
}

export interface ServiceSetting {
  /** Environment variable name, e.g. `POSTGRES_SERVER`. */
  readonly name: string;
  readonly role: 'url' | 'host' | 'port' | 'user' | 'password' | 'database';
  /** For a URL: the scheme its default (or type) uses, e.g. `postgresql+psycopg`. */
  readonly scheme?: string;
}

export interface MigrationStep {
  /** The program and its arguments, run in the image's working directory (no shell unless it names one). */
  readonly command: readonly string[];
  readonly source: 'slipway-config' | 'prestart-script' | 'alembic';
  /** Where it was found, for people: `scripts/prestart.sh (run by the Dockerfile's CMD)`. */
  readonly why: string;
  /** Project files the step needs in the image (relative to the root). */
  readonly files: readonly string[];
}

export interface WorkspaceInfo {
  /** Absolute path of the workspace root (the folder with `[tool.uv.workspace]` and uv.lock). */
  readonly root: string;
  /** The member's path relative to the workspace root, with forward slashes. */
  readonly member: string;
  /** The member's package name, for `uv sync --package`. */
  readonly package: string;
  /** slipway was pointed at the workspace root and picked this member (the one using FastAPI). */
  readonly selected?: boolean;
}

export interface PythonInfo {
  /** `X.Y`, e.g. `3.13`. */
  readonly version: string;
  /** `default`: neither .python-version nor requires-python says (DEFAULT_PYTHON_VERSION in pins.ts). */
  readonly source: 'slipway-config' | '.python-version' | 'requires-python' | 'default';
  readonly requiresPython: string | undefined;
  /** The base image tag for both stages, e.g. `python:3.13-slim`. */
  readonly image: string;
}

export interface LockInfo {
  /** Absolute path of uv.lock (at the workspace root for workspace members). */
  readonly path: string;
  /** Number of `[[package]]` entries. */
  readonly packages: number;
  /** Matches pyproject.toml. Always true unless analyze was asked to allow a stale lock. */
  readonly fresh: boolean;
  /** How a stale lock differs from pyproject.toml; empty when fresh. */
  readonly problems: readonly string[];
}

export interface AppEntrypoint {
  /** Dotted module path, e.g. `inventory_api.main`. */
  readonly module: string;
  /** Attribute holding the app, or the factory function's name. */
  readonly attribute: string;
  /** uvicorn --factory: `attribute` is a function that returns the app. */
  readonly factory: boolean;
  readonly source: 'slipway-config' | 'fastapi-entrypoint' | 'start-command' | 'detected';
  /**
   * What decided, for people: `[tool.fastapi] entrypoint in …`, `Dockerfile CMD`, `compose.yaml
   * services.api.command`, `the only module-level app`, `mounts the others`.
   */
  readonly decidedBy?: string;
  /** File that defines it, relative to root; undefined when only configured. */
  readonly file: string | undefined;
  readonly line: number | undefined;
  /**
   * Where the app serves its OpenAPI document when `openapi_url` moves it
   * (`f"{settings.API_V1_STR}/openapi.json"` → `/api/v1/openapi.json`); null for `openapi_url=None`.
   * Absent: FastAPI's default, `/openapi.json`.
   */
  readonly openapiPath?: string | null;
}

export interface RouteInfo {
  readonly method: string;
  /** Full path with router and include prefixes applied. */
  readonly path: string;
  readonly file: string;
  readonly line: number;
  /**
   * Set when a router or include prefix on the way is an expression analyze could not read: that
   * expression with where it is written. `path` then holds only the known parts and is not served.
   */
  readonly unknownPrefix?: string;
}

export interface HealthRoutes {
  /** Path for the liveness (and startup) probe. */
  readonly liveness: string | undefined;
  /** Path for the readiness probe; equals liveness when the app has only one health route. */
  readonly readiness: string | undefined;
}

export interface SettingsInfo {
  readonly classes: readonly SettingsClass[];
  /** Every environment variable the app reads through its settings classes. */
  readonly env: readonly EnvVar[];
}

export interface SettingsClass {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly envPrefix: string;
  /** Defines `settings_customise_sources`: values may come from elsewhere than the environment. */
  readonly customSources?: boolean;
}

export interface EnvVar {
  /** The environment variable name (prefix + field, or alias), upper case. */
  readonly name: string;
  readonly field: string;
  /** The settings class, or the reader outside one: `os.environ`, `starlette Config`, `python-decouple`. */
  readonly settingsClass: string;
  /** Python annotation as written, e.g. `SecretStr`, `int | None`. */
  readonly type: string;
  /** No default: the app fails to start without it. */
  readonly required: boolean;
  /** The default as written in the source, when it is a literal; never for secrets. */
  readonly default: string | undefined;
  readonly secret: boolean;
}

export interface NativeNeeds {
  /** Debian packages for the builder stage (compilers, headers). */
  readonly build: readonly string[];
  /** Debian packages for the final stage (shared libraries). */
  readonly runtime: readonly string[];
  /** Why each package is there, e.g. `psycopg2 2.9.10 has no wheel: libpq-dev, gcc`. */
  readonly reasons: readonly string[];
}

export interface InstallSelection {
  /** `[tool.uv] default-groups` says more than uv's default `["dev"]`: `--no-default-groups` is needed. */
  readonly defaultsChanged: boolean;
  readonly groups: readonly string[];
  readonly extras: readonly string[];
  /** Why each group or extra is (or is not) there. */
  readonly reasons: readonly string[];
}

export interface RuntimeFile {
  /** Relative to the project root: `alembic.ini`, `migrations`, `webapp/dist`. */
  readonly path: string;
  /** What reads it, with where: `StaticFiles(directory=...) in app/main.py:12`. */
  readonly why: string;
  /** Found relative to a module's own folder (`Path(__file__).parent / ...`): package data. */
  readonly besideModule?: boolean;
}

export interface BuildSecret {
  /** BuildKit secret id, e.g. `uv-index-internal-password`; mounted at /run/secrets/<id>. */
  readonly id: string;
  /** The variable uv reads (`UV_INDEX_INTERNAL_PASSWORD`), and the one the build takes it from. */
  readonly env: string;
  /** Which index needs it and why: `index internal (https://…/simple): authenticate = "always"`. */
  readonly why: string;
}
