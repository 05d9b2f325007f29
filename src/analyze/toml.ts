import { readFile } from 'node:fs/promises';
import { parse, TomlError } from 'smol-toml';
import { ProjectError } from '../errors.js';

export type TomlTable = Record<string, unknown>;

/** Reads and parses a TOML file; a syntax error names the file, line and column. */
export async function readTomlFile(file: string): Promise<TomlTable> {
  const text = await readFile(file, 'utf8');
  try {
    return parse(text) as TomlTable;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // smol-toml appends a code excerpt to its message; the first line is the cause.
    const cause = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '');
    throw new ProjectError(`${file}: invalid TOML at line ${error.line}, column ${error.column}: ${cause}`, {
      fix: `correct the syntax of ${file} at line ${error.line}`,
      cause: error,
    });
  }
}

export function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function table(value: unknown): TomlTable | undefined {
  return isTable(value) ? value : undefined;
}

/** `tool.uv.workspace` style lookup; undefined as soon as one level is missing or not a table. */
export function getPath(root: TomlTable, path: string): unknown {
  let current: unknown = root;
  for (const key of path.split('.')) {
    if (!isTable(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A value that must be a string when present; anything else is an error naming its key. */
export function optionalString(root: TomlTable, path: string, file: string): string | undefined {
  const value = getPath(root, path);
  if (value === undefined || typeof value === 'string') return value;
  throw new ProjectError(`${file}: ${path}: expected a string`, { fix: `correct ${path} in ${file}` });
}

export function stringArray(root: TomlTable, path: string, file: string): string[] {
  const value = getPath(root, path);
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new ProjectError(`${file}: ${path}: expected an array of strings`, {
    fix: `correct ${path} in ${file}`,
  });
}
