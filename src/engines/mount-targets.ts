import { posix } from 'node:path';
import { DockerfileParser, From, type Instruction, ModifiableInstruction } from 'dockerfile-ast';
import { parseDockerfile, type Stage } from '../dockerfile/facts.js';

/** The keys BuildKit reads as a mount's target; it compares them lower-cased. */
const TARGET_KEYS = new Set(['target', 'dst', 'destination']);

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * The Dockerfile with every relative `RUN --mount` target made absolute against the WORKDIR in
 * effect, as BuildKit does; undefined when nothing needs to change or a WORKDIR cannot be known
 * without running the build (it names a variable). Base images' WORKDIR comes from `workdirOf`.
 * Stages and WORKDIRs are the shared reader's (src/dockerfile/facts.ts), so continuations, comments
 * inside them, heredoc bodies and the escape directive are read as BuildKit reads them; only the
 * places of the mount options in the text come from dockerfile-ast directly, as the facts have none.
 */
export async function absoluteMountTargets(
  text: string,
  workdirOf: (image: string) => Promise<string>,
): Promise<string | undefined> {
  const facts = parseDockerfile('Dockerfile', text);
  const byLine = new Map<number, Instruction>(
    DockerfileParser.parse(text)
      .getInstructions()
      .map((instruction) => [instruction.getRange().start.line + 1, instruction]),
  );
  // `FROM <stage>` starts where that stage's WORKDIR ended.
  const finalWorkdirs = new Map<number, string | undefined>();
  const offsets = lineOffsets(text);
  const edits: Edit[] = [];
  for (const stage of facts.stages) {
    let workdir = await baseWorkdir(stage, facts.stages, byLine, finalWorkdirs, workdirOf);
    for (const step of stage.instructions) {
      if (step.keyword === 'WORKDIR') {
        const path = step.args.trim();
        if (path.includes('$')) workdir = undefined;
        else if (path.startsWith('/')) workdir = posix.resolve(path);
        else workdir = workdir === undefined ? undefined : posix.resolve(workdir, path);
      } else if (step.keyword === 'RUN' && workdir !== undefined) {
        const instruction = byLine.get(step.line);
        if (instruction) edits.push(...targetEdits(instruction, workdir, offsets));
      }
    }
    finalWorkdirs.set(stage.index, workdir);
  }
  if (edits.length === 0) return undefined;
  let result = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}

async function baseWorkdir(
  stage: Stage,
  stages: readonly Stage[],
  byLine: ReadonlyMap<number, Instruction>,
  finalWorkdirs: ReadonlyMap<number, string | undefined>,
  workdirOf: (image: string) => Promise<string>,
): Promise<string | undefined> {
  const from = byLine.get(stage.line);
  const written = from instanceof From ? (from.getImage() ?? '') : stage.image;
  // A base named through an ARG: a --build-arg may change it, so its WORKDIR stays unknown until
  // a WORKDIR sets one.
  if (written.includes('$')) return undefined;
  if (stage.fromStage) {
    const parent = stages.find((s) => s.index < stage.index && s.name === stage.image.toLowerCase());
    return parent ? finalWorkdirs.get(parent.index) : undefined;
  }
  return workdirOf(stage.image);
}

/** The relative targets of a RUN's `--mount` flags, each to be replaced by its absolute path. */
function targetEdits(instruction: Instruction, workdir: string, offsets: readonly number[]): Edit[] {
  if (!(instruction instanceof ModifiableInstruction)) return [];
  return instruction
    .getFlags()
    .filter((flag) => flag.getName() === 'mount')
    .flatMap((flag) => flag.getOptions())
    .flatMap((option) => {
      const path = option.getValue() ?? '';
      const range = option.getValueRange();
      if (!TARGET_KEYS.has(option.getName().toLowerCase()) || !range || path === '') return [];
      if (path.startsWith('/') || path.includes('$')) return [];
      const at = (position: { line: number; character: number }) =>
        (offsets[position.line] ?? 0) + position.character;
      return [{ start: at(range.start), end: at(range.end), text: posix.resolve(workdir, path) }];
    });
}

/** Where each line starts in `text`, for dockerfile-ast's line/character positions. */
function lineOffsets(text: string): number[] {
  const offsets = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') offsets.push(i + 1);
  return offsets;
}
