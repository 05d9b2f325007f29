import { stat } from 'node:fs/promises';

/** Whether a path is an existing folder (a project), as opposed to an image reference or nothing. */
export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
