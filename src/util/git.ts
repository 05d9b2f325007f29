import { exec } from './exec.js';

export interface GitInfo {
  readonly shortSha: string;
  readonly sha: string;
  readonly remote: string | undefined;
  readonly dirty: boolean;
}

/** The commit the folder is at, or undefined outside a repository (or without git). */
export async function gitInfo(dir: string): Promise<GitInfo | undefined> {
  const run = async (args: string[]) => {
    try {
      const result = await exec('git', ['-C', dir, ...args], { allowFailure: true, timeoutMs: 10_000 });
      return result.code === 0 ? result.stdout.trim() : undefined;
    } catch {
      return undefined; // git not installed
    }
  };
  const sha = await run(['rev-parse', 'HEAD']);
  if (!sha) return undefined;
  const remote = await run(['config', '--get', 'remote.origin.url']);
  const status = await run(['status', '--porcelain', '--', '.']);
  return { sha, shortSha: sha.slice(0, 7), remote: remote || undefined, dirty: Boolean(status) };
}
