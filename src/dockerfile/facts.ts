import { DockerfileParser, type Instruction } from 'dockerfile-ast';

/**
 * A Dockerfile as the rules see it: stages with their instructions, ARG defaults expanded in FROM,
 * flags split out, exec-form arguments decoded, and 1-based line numbers. The parsing itself is
 * dockerfile-ast's (continuations, comments inside them, heredocs, escape directive).
 */
export interface DockerfileFacts {
  readonly path: string;
  readonly text: string;
  readonly stages: readonly Stage[];
  /** Global ARGs (before the first FROM) with their defaults, for expansion in FROM. */
  readonly globalArgs: ReadonlyMap<string, string>;
  /** The instructions before the first FROM: global ARGs (anything else there is an error). */
  readonly preamble: readonly Step[];
}

export interface Stage {
  readonly index: number;
  /** `AS name`, lower-cased as BuildKit compares them. */
  readonly name: string | undefined;
  /** The image after ARG expansion, e.g. `python:3.13-slim`; a stage name when built on one. */
  readonly image: string;
  /** The FROM names an earlier stage (`FROM builder`), not an image. */
  readonly fromStage: boolean;
  /**
   * A variable in the FROM has no default (`FROM python:${PY}`, `FROM ${TARGET}`): the image, or
   * the stage, is only known with the build's --build-arg.
   */
  readonly unresolved: boolean;
  readonly line: number;
  /** Instructions after FROM, up to the next FROM. */
  readonly instructions: readonly Step[];
}

export interface Step {
  /** Upper-case keyword, e.g. `RUN`. */
  readonly keyword: string;
  readonly line: number;
  readonly endLine: number;
  /** Arguments without flags, continuations joined (heredoc bodies included). */
  readonly args: string;
  /** `--name=value` flags in order; a flag without value has value ''. */
  readonly flags: readonly { readonly name: string; readonly value: string }[];
  /** Exec-form (JSON array) arguments of RUN/CMD/ENTRYPOINT; undefined for the shell form. */
  readonly exec: readonly string[] | undefined;
  /** `KEY=value` pairs of ENV, LABEL and ARG (ARG without default: value undefined). */
  readonly properties: readonly { readonly name: string; readonly value: string | undefined }[];
}

const JSON_FORMS = new Set(['RUN', 'CMD', 'ENTRYPOINT']);
const PROPERTY_FORMS = new Set(['ENV', 'LABEL', 'ARG']);

export function parseDockerfile(path: string, text: string): DockerfileFacts {
  const parsed = DockerfileParser.parse(text);
  const globalArgs = new Map<string, string>();
  const preamble: Step[] = [];
  const stages: {
    index: number;
    name: string | undefined;
    image: string;
    fromStage: boolean;
    unresolved: boolean;
    line: number;
    instructions: Step[];
  }[] = [];
  for (const instruction of parsed.getInstructions()) {
    const step = toStep(instruction);
    if (step.keyword === 'FROM') {
      const words = step.args.split(/\s+/).filter(Boolean);
      const raw = words[0] ?? '';
      const image = expand(raw, globalArgs);
      const unresolved = expand(raw, globalArgs, '\0').includes('\0');
      const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
      const name = asIndex >= 0 ? words[asIndex + 1]?.toLowerCase() : undefined;
      const fromStage = stages.some(
        (stage) => stage.name !== undefined && stage.name === image.toLowerCase(),
      );
      stages.push({
        index: stages.length,
        name,
        image,
        fromStage,
        unresolved,
        line: step.line,
        instructions: [],
      });
      continue;
    }
    const current = stages[stages.length - 1];
    if (current) current.instructions.push(step);
    else {
      preamble.push(step);
      if (step.keyword === 'ARG') {
        for (const { name, value } of step.properties) globalArgs.set(name, value ?? '');
      }
    }
  }
  return { path, text, stages, globalArgs, preamble };
}

function toStep(instruction: Instruction): Step {
  const keyword = instruction.getKeyword().toUpperCase();
  const range = instruction.getRange();
  const withFlags = instruction as Instruction & {
    getFlags?: () => { getName(): string; getValue(): string | null }[];
  };
  const flags = (withFlags.getFlags?.() ?? []).map((flag) => ({
    name: flag.getName(),
    value: flag.getValue() ?? '',
  }));
  const args = argumentsText(instruction, flags.length);
  return {
    keyword,
    line: range.start.line + 1,
    endLine: range.end.line + 1,
    args,
    flags,
    exec: JSON_FORMS.has(keyword) ? execForm(instruction, args) : undefined,
    properties: PROPERTY_FORMS.has(keyword) ? properties(instruction) : [],
  };
}

/**
 * The arguments after the flags, as written: dockerfile-ast's content joins continuation lines and
 * drops the comment lines inside them, and keeps heredoc bodies line by line. It leaves the flags
 * out already; any left at its start are cut off there, never by splitting the text into words
 * (which would fold a heredoc body into one line).
 */
function argumentsText(instruction: Instruction, flagCount: number): string {
  const content = instruction.getArgumentsContent() ?? '';
  if (flagCount === 0) return content;
  const flags = /^(?:--[^\s=]+(?:=\S*)?[ \t]+)*/.exec(content)?.[0] ?? '';
  return content.slice(flags.length);
}

/** Exec form when the arguments are a JSON array of strings, as BuildKit decides; `[]` included. */
function execForm(instruction: Instruction, args: string): string[] | undefined {
  const json = instruction as Instruction & { getJSONStrings?: () => { getJSONValue(): string }[] };
  const strings = json.getJSONStrings?.() ?? [];
  if (strings.length > 0) return strings.map((item) => item.getJSONValue());
  // An empty array resets the inherited ENTRYPOINT/CMD: exec form with no words.
  return /^\[\s*\]$/.test(args.trim()) ? [] : undefined;
}

function properties(instruction: Instruction): { name: string; value: string | undefined }[] {
  const withProps = instruction as Instruction & {
    getProperties?: () => { getName(): string; getValue(): string | null }[];
  };
  return (withProps.getProperties?.() ?? []).map((property) => ({
    name: property.getName(),
    value: property.getValue() ?? undefined,
  }));
}

/**
 * `${NAME}`, `$NAME`, `${NAME:-default}` with the global ARG defaults; unknown names become
 * `unknown` (empty by default).
 */
export function expand(value: string, args: ReadonlyMap<string, string>, unknown = ''): string {
  return value.replace(
    /\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g,
    (_, braced: string, fallback: string, bare: string) => {
      const name = braced ?? bare;
      const found = args.get(name);
      return found !== undefined && found !== '' ? found : (fallback ?? unknown);
    },
  );
}

/**
 * The variables a step of `stage` runs with, as far as the Dockerfile says: ENV, and ARG with a
 * value (its own default, or the global one it re-declares), of the stage and the stages it is
 * built on, set before the step. An ARG without any default comes from --build-arg: unknown, left out.
 */
export function environmentAt(facts: DockerfileFacts, stage: Stage, step: Step): Map<string, string> {
  const env = new Map<string, string>();
  for (const current of lineage(facts, stage)) {
    for (const earlier of current.instructions) {
      if (earlier === step) return env;
      if (earlier.keyword !== 'ENV' && earlier.keyword !== 'ARG') continue;
      for (const { name, value } of earlier.properties) {
        const resolved = value ?? (earlier.keyword === 'ARG' ? facts.globalArgs.get(name) : undefined);
        if (resolved !== undefined && resolved !== '') env.set(name, resolved.replace(/^["']|["']$/g, ''));
      }
    }
  }
  return env;
}

/** uv's and pip's reading of a boolean variable: 1, true, yes, on (any case). */
export function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on|y|t)$/i.test(value.trim());
}

/** The stage that becomes the image: the last one (no --target is known at check time). */
export function finalStage(facts: DockerfileFacts): Stage | undefined {
  return facts.stages[facts.stages.length - 1];
}

/**
 * A stage and the stages it is built FROM (`FROM builder AS final`): USER, EXPOSE and LABEL are
 * inherited, so the final image's settings may come from an ancestor stage.
 */
export function lineage(facts: DockerfileFacts, stage: Stage): Stage[] {
  const chain = [stage];
  let current = stage;
  while (current.fromStage) {
    const parent = facts.stages.find(
      (s) => s.index < current.index && s.name === current.image.toLowerCase(),
    );
    if (!parent) break;
    chain.unshift(parent);
    current = parent;
  }
  return chain;
}

/** Instructions of a stage including those it inherits, oldest first. */
export function inheritedSteps(facts: DockerfileFacts, stage: Stage): Step[] {
  return lineage(facts, stage).flatMap((s) => s.instructions);
}

/** The text a RUN executes: shell form and heredocs as written, exec form joined by spaces. */
export function commandText(step: Step): string {
  return step.exec ? step.exec.join(' ') : step.args;
}

/** `--mount=type=cache,target=/x` flags, as key/value maps. */
export function mounts(step: Step): Map<string, string>[] {
  return step.flags
    .filter((flag) => flag.name === 'mount')
    .map((flag) => new Map(flag.value.split(',').map((part) => splitOnce(part, '='))));
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * What a COPY or ADD names: its sources and destination, from the shell form or the JSON form
 * (`COPY ["a b", "/x/"]`); undefined with fewer than two arguments (an unbuildable instruction).
 * Heredoc sources (`COPY <<EOF /x`) count as one source.
 */
export function copyArguments(step: Step): { sources: string[]; destination: string } | undefined {
  const text = step.args.split('\n')[0]?.trim() ?? '';
  let words: string[];
  try {
    const parsed: unknown = text.startsWith('[') ? JSON.parse(text) : undefined;
    words = Array.isArray(parsed) ? parsed.map(String) : text.split(/\s+/).filter(Boolean);
  } catch {
    words = text.split(/\s+/).filter(Boolean);
  }
  if (words.length < 2) return undefined;
  return { sources: words.slice(0, -1), destination: words[words.length - 1] as string };
}
