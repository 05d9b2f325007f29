import { type DockerfileFacts, expand, finalStage, inheritedSteps, type Step } from '../dockerfile/facts.js';
import { readUser } from '../policy/user.js';

/**
 * What a Dockerfile of the user's own says about the container it builds: the port its command
 * listens on, the user it runs as, the command itself and the health route its HEALTHCHECK asks.
 * The manifests slipway writes for such a project follow these, not slipway's own defaults.
 */
export interface OwnImage {
  /** The port the app listens on, and where that was read. */
  readonly port: { readonly value: number; readonly from: string } | undefined;
  readonly user: ImageUser;
  /** CMD / ENTRYPOINT as one line, for the summary. */
  readonly command: string | undefined;
  /** The path the HEALTHCHECK requests, when it requests one over HTTP. */
  readonly healthPath: string | undefined;
  /** The final stage's base image. */
  readonly base: string | undefined;
  /** What the Dockerfile COPYs / ADDs from the build context (a .dockerignore must not drop them). */
  readonly copies: readonly string[];
}

export type ImageUser =
  /** No USER, `USER root` or `USER 0`: the engine runs the process as root. */
  | { readonly kind: 'root'; readonly line: number | undefined }
  /** Numeric, or a name whose ids the Dockerfile's useradd / adduser gives. */
  | {
      readonly kind: 'ids';
      readonly uid: number;
      readonly gid: number | undefined;
      readonly spec: string;
      readonly line: number;
    }
  /** A name whose uid only the built image's /etc/passwd knows. */
  | { readonly kind: 'unresolved'; readonly name: string; readonly line: number };

export function ownImage(facts: DockerfileFacts): OwnImage {
  const stage = finalStage(facts);
  const steps = stage ? inheritedSteps(facts, stage) : [];
  const env = environment(facts, steps);
  const command = steps.filter((s) => s.keyword === 'ENTRYPOINT' || s.keyword === 'CMD');
  const entry = command.filter((s) => s.keyword === 'ENTRYPOINT').pop();
  const cmd = command.filter((s) => s.keyword === 'CMD').pop();
  const words = [...argv(entry, env), ...argv(cmd, env)];
  const shown = [entry, cmd].filter((s) => s !== undefined);
  return {
    port: commandPort(words, shown, facts.path) ?? exposedPort(steps, facts.path) ?? serverDefault(words),
    user: imageUser(steps, env),
    command: shown.length > 0 ? words.join(' ') : undefined,
    healthPath: healthPath(steps),
    base: stage?.image,
    copies: contextSources(facts),
  };
}

/** COPY / ADD sources from the build context (not from another stage or a URL). */
export function contextSources(facts: DockerfileFacts): string[] {
  return facts.stages
    .flatMap((stage) => stage.instructions)
    .filter((s) => (s.keyword === 'COPY' || s.keyword === 'ADD') && !s.flags.some((f) => f.name === 'from'))
    .flatMap((s) => (s.exec ?? s.args.split(/\s+/)).slice(0, -1))
    .filter((src) => src !== '' && !/^https?:/.test(src));
}

/** ARG defaults and ENV values in order, for `--port $PORT` and `USER ${APP_USER}`. */
function environment(facts: DockerfileFacts, steps: readonly Step[]): Map<string, string> {
  const env = new Map(facts.globalArgs);
  for (const step of steps) {
    if (step.keyword !== 'ENV' && step.keyword !== 'ARG') continue;
    for (const { name, value } of step.properties) {
      if (value !== undefined) env.set(name, expand(value, env));
      else if (!env.has(name)) env.set(name, '');
    }
  }
  return env;
}

/** The words a CMD or ENTRYPOINT runs; `sh -c "..."` unwrapped, variables expanded. */
function argv(step: Step | undefined, env: ReadonlyMap<string, string>): string[] {
  if (!step) return [];
  let words = jsonArray(step.args) ?? step.exec ?? step.args.split(/\s+/).filter(Boolean);
  const shell = words.findIndex((w, i) => i > 0 && w === '-c' && /(^|\/)(ba)?sh$/.test(words[i - 1] ?? ''));
  if (shell >= 0) words = (words[shell + 1] ?? '').split(/\s+/).filter(Boolean);
  return words.map((word) => expand(word.replace(/^["']|["']$/g, ''), env));
}

/**
 * The exec form read as JSON: dockerfile-ast's decoded strings lose the spaces inside an element
 * (`"sh", "-c", "a && b"` comes back as `a&&b`), which matters for `sh -c` scripts.
 */
function jsonArray(args: string): string[] | undefined {
  if (!args.trimStart().startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

const PORT_FLAGS = new Set(['--port', '-p']);
const BIND_FLAGS = new Set(['--bind', '-b']);

/** uvicorn / fastapi run / granian `--port N`, gunicorn / hypercorn `--bind host:N`. */
function commandPort(
  words: readonly string[],
  steps: readonly Step[],
  path: string,
): OwnImage['port'] | undefined {
  const where = `${path}:${steps[steps.length - 1]?.line ?? 0}`;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const [flag, inline] = word.includes('=') ? word.split('=', 2) : [word, undefined];
    const value = inline ?? words[i + 1];
    if (flag === undefined || value === undefined) continue;
    let port: number | undefined;
    if (PORT_FLAGS.has(flag)) port = Number(value);
    else if (BIND_FLAGS.has(flag)) port = Number(/:(\d+)$/.exec(value)?.[1]);
    if (port !== undefined && Number.isInteger(port) && port > 0 && port < 65_536) {
      return { value: port, from: `${flag} ${port} in the command (${where})` };
    }
  }
  return undefined;
}

function exposedPort(steps: readonly Step[], path: string): OwnImage['port'] | undefined {
  for (const step of steps.filter((s) => s.keyword === 'EXPOSE')) {
    const port = Number(step.args.trim().split(/\s+/)[0]?.split('/')[0]);
    if (Number.isInteger(port) && port > 0)
      return { value: port, from: `EXPOSE ${port} (${path}:${step.line})` };
  }
  return undefined;
}

/** The port the server listens on when its command names none. */
function serverDefault(words: readonly string[]): OwnImage['port'] | undefined {
  const text = words.join(' ');
  if (/\bgunicorn\b/.test(text)) return { value: 8000, from: "gunicorn's default port" };
  if (/\bhypercorn\b/.test(text)) return { value: 8000, from: "hypercorn's default port" };
  if (/\bfastapi\b/.test(text)) return { value: 8000, from: "fastapi run's default port" };
  if (/\buvicorn\b/.test(text)) return { value: 8000, from: "uvicorn's default port" };
  return undefined;
}

function imageUser(steps: readonly Step[], env: ReadonlyMap<string, string>): ImageUser {
  const last = steps.filter((s) => s.keyword === 'USER').pop();
  if (!last) return { kind: 'root', line: undefined };
  const spec = expand(last.args.trim(), env);
  const verdict = readUser(spec);
  if (verdict.kind === 'unset') return { kind: 'root', line: last.line };
  if (verdict.kind === 'numeric')
    return verdict.uid === 0
      ? { kind: 'root', line: last.line }
      : { kind: 'ids', uid: verdict.uid, gid: verdict.gid, spec, line: last.line };
  if (verdict.kind === 'group-name')
    return { kind: 'ids', uid: verdict.uid, gid: undefined, spec, line: last.line };
  if (verdict.name === 'root') return { kind: 'root', line: last.line };
  const group = spec.split(':')[1];
  const ids = createdIds(steps, verdict.name, group);
  if (ids?.uid === undefined) return { kind: 'unresolved', name: verdict.name, line: last.line };
  return { kind: 'ids', uid: ids.uid, gid: ids.gid, spec, line: last.line };
}

/**
 * The uid and gid a RUN line gives a user it creates: `useradd -u 1000 -g app app`, `adduser
 * --uid 1000 app`, `groupadd -g 1000 app`, `addgroup -g 1000 -S app` (Alpine).
 */
export function createdIds(
  steps: readonly Step[],
  user: string,
  group: string | undefined,
): { uid: number | undefined; gid: number | undefined } | undefined {
  let uid: number | undefined;
  const groups = new Map<string, number>();
  let userGroup: string | undefined;
  let userGid: number | undefined;
  for (const step of steps.filter((s) => s.keyword === 'RUN')) {
    for (const command of step.args.split(/&&|;|\|\||\n/)) {
      const words = command.replace(/\\\s*/g, ' ').trim().split(/\s+/);
      const tool = words.findIndex((w) => /^(useradd|adduser|groupadd|addgroup)$/.test(w));
      if (tool < 0) continue;
      const args = words.slice(tool + 1);
      const name = args.filter((w, i) => !w.startsWith('-') && !isFlagValue(args, i)).pop();
      const flag = (...names: string[]) => {
        for (let i = 0; i < args.length; i++) {
          const [key, inline] = (args[i] ?? '').split('=', 2);
          if (key && names.includes(key)) return inline ?? args[i + 1];
        }
        return undefined;
      };
      if (/group/.test(words[tool] ?? '')) {
        const gid = Number(flag('-g', '--gid'));
        if (name && Number.isInteger(gid)) groups.set(name, gid);
      } else if (name === user) {
        const id = Number(flag('-u', '--uid'));
        if (Number.isInteger(id)) uid = id;
        const g = flag('-g', '--gid', '--ingroup', '-G');
        if (g !== undefined && /^\d+$/.test(g)) userGid = Number(g);
        else userGroup = g;
      }
    }
  }
  if (uid === undefined) return undefined;
  const wanted = group ?? userGroup ?? user;
  const gid = /^\d+$/.test(wanted) ? Number(wanted) : (groups.get(wanted) ?? userGid);
  return { uid, gid };
}

const VALUE_FLAGS =
  /^(-u|--uid|-g|--gid|-G|--groups|--ingroup|-d|--home|--home-dir|-s|--shell|-c|--comment|-h|-k|-K)$/;

function isFlagValue(args: readonly string[], index: number): boolean {
  const previous = args[index - 1];
  return previous !== undefined && VALUE_FLAGS.test(previous);
}

/** The path of `http://host:port/path` in the HEALTHCHECK, when it requests one. */
function healthPath(steps: readonly Step[]): string | undefined {
  const check = steps.filter((s) => s.keyword === 'HEALTHCHECK').pop();
  const url = check && /https?:\/\/[^/\s'"]+(\/[^\s'"]*)/.exec(check.args);
  return url?.[1];
}
