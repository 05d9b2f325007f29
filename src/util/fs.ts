import { existsSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Whether a path is an existing folder (a project), as opposed to an image reference or nothing. */
export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** Whether a path is an existing regular file (a Dockerfile or manifest given on its own). */
export function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
