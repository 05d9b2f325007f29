import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { ProjectError } from '../errors.js';
import { markerState, withMarker } from './marker.js';

export { checksum, markerState, withMarker } from './marker.js';

/**
 * Writing generated files: plan first (what each file would become), refuse on hand edits before
 * touching anything, then replace files atomically so that an interrupted run never leaves half a
 * Dockerfile behind.
 */

export type PlanAction =
  /** The file does not exist. */
  | 'create'
  /** slipway's own untouched output, with different content now. */
  | 'update'
  /** Already exactly what would be written. */
  | 'unchanged'
  /** Exists without a slipway marker, or was edited by hand since it was generated. */
  | 'conflict'
  /** A file of the user's own (no marker), kept as it is: written with `keepOwn`. */
  | 'keep';

export interface FilePlan {
  /** Relative to the project root, forward slashes. */
  readonly path: string;
  readonly action: PlanAction;
  /** Why a conflict is one, for the message. */
  readonly reason: string | undefined;
  /** What is on disk now; undefined when the file does not exist. */
  readonly current: string | undefined;
  /** What would be written, marker included. */
  readonly next: string;
}

export interface WriteOptions {
  /** Overwrite conflicting files (hand edits are lost). @default false */
  readonly force?: boolean;
  /** Plan only; write nothing. @default false */
  readonly dryRun?: boolean;
  /**
   * Keep files of the user's own (no slipway marker) and write the others, instead of refusing;
   * `force` still replaces them. Files slipway generated and someone edited still refuse.
   * @default false
   */
  readonly keepOwn?: boolean;
}

export interface WriteResult {
  readonly plan: readonly FilePlan[];
  /** Paths written (created or replaced); empty on a dry run. */
  readonly written: readonly string[];
}

/** Resolves a generated path inside root; a path that would leave it is a bug in the generator. */
function target(root: string, path: string): string {
  const clean = normalize(path);
  if (isAbsolute(clean) || clean === '..' || clean.startsWith(`..${sep}`)) {
    throw new Error(`generated path ${JSON.stringify(path)} is outside the project`);
  }
  return join(root, clean);
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Compares each generated file (with its marker) with what is on disk. Reads only. */
export async function planWrite(
  root: string,
  files: Readonly<Record<string, string>>,
  options: Pick<WriteOptions, 'keepOwn'> = {},
): Promise<FilePlan[]> {
  const paths = Object.keys(files).sort();
  return Promise.all(
    paths.map(async (path): Promise<FilePlan> => {
      const next = withMarker(files[path] ?? '');
      const current = await readIfExists(target(root, path));
      const plan = (action: PlanAction, reason?: string): FilePlan => ({
        path,
        action,
        reason,
        current,
        next,
      });
      if (current === undefined) return plan('create');
      if (current === next) return plan('unchanged');
      const state = markerState(current);
      if (state === 'absent') {
        return options.keepOwn
          ? plan('keep', 'yours: no slipway marker')
          : plan('conflict', 'it has no slipway marker (a file of your own)');
      }
      if (state === 'edited') return plan('conflict', 'it was edited by hand since slipway generated it');
      // Same content with only CRLF line ends (e.g. a Windows checkout) is not worth rewriting.
      if (current.replace(/\r\n/g, '\n') === next) return plan('unchanged');
      return plan('update');
    }),
  );
}

/** Temp file in the same folder (same file system) + rename: readers see the old or the new file. */
async function writeAtomic(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = join(
    dirname(file),
    `.${basename(file)}.slipway-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temp, content, { encoding: 'utf8', mode: 0o644 });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Writes the generated files under root. With a conflict and no force, throws before writing
 * anything, so a run never leaves some files new and others old.
 */
export async function writeFiles(
  root: string,
  files: Readonly<Record<string, string>>,
  options: WriteOptions = {},
): Promise<WriteResult> {
  const plan = await planWrite(root, files, options);
  const conflicts = plan.filter((entry) => entry.action === 'conflict');
  if (conflicts.length > 0 && !options.force && !options.dryRun) {
    const list = conflicts.map((entry) => `  ${entry.path}: ${entry.reason}`).join('\n');
    throw new ProjectError(
      `slipway init would overwrite ${conflicts.length === 1 ? 'a file' : `${conflicts.length} files`} it does not own; nothing was written:\n${list}`,
      {
        fix: 'see the difference with `slipway init --diff`, then re-run with --force to overwrite (your edits are lost)',
      },
    );
  }
  if (options.dryRun) return { plan, written: [] };
  const changes = plan.filter(
    (entry) => entry.action !== 'unchanged' && (entry.action !== 'keep' || options.force),
  );
  for (const entry of changes) await writeAtomic(target(root, entry.path), entry.next);
  return { plan, written: changes.map((entry) => entry.path) };
}

/** Unified diffs (current → generated) of every file that would change, in path order. */
export function renderDiff(plan: readonly FilePlan[]): string {
  return plan
    .filter((entry) => entry.action !== 'unchanged')
    .map((entry) =>
      createTwoFilesPatch(
        entry.current === undefined ? '/dev/null' : `a/${entry.path}`,
        `b/${entry.path}`,
        entry.current ?? '',
        entry.next,
        undefined,
        undefined,
        { context: 3 },
      ),
    )
    .join('');
}
