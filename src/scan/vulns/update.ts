/**
 * Fresh vulnerability data: `slipway scan --update-db` fetches OSV's per-ecosystem exports
 * (`<mirror>/<ecosystem>/all.zip`, the layout of OSV's public bucket) into a cache, one folder per
 * ecosystem with the archive and what is known of it. A download is written beside the old one
 * and checked before it replaces it, so a broken or partial download leaves the old data whole.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { EnvironmentError } from '../../errors.js';

/** OSV's public bucket; a mirror with the same layout can stand in for it. */
export const OSV_BUCKET = 'https://osv-vulnerabilities.storage.googleapis.com';

/** Data older than this is reported as stale on every scan. */
export const STALE_AFTER_DAYS = 7;

export function defaultOsvCache(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'slipway', 'osv');
}

export interface OsvCacheEntry {
  readonly ecosystem: string;
  /** The cached all.zip. */
  readonly archive: string;
  readonly url: string;
  readonly fetchedAt: string;
  readonly bytes: number;
  /** OSV records (JSON entries) in the archive. */
  readonly records: number;
}

export interface UpdateOptions {
  /** OSV ecosystems, e.g. `PyPI`, `Debian:13`. */
  readonly ecosystems: readonly string[];
  /** @default OSV_BUCKET, or SLIPWAY_OSV_MIRROR */
  readonly mirror?: string;
  /** @default defaultOsvCache() */
  readonly cacheDir?: string;
  /** Per download. @default 300000 */
  readonly timeoutMs?: number;
  readonly onProgress?: (line: string) => void;
}

/** A folder name for an ecosystem (`Debian:13` → `Debian_13`). */
function folderOf(ecosystem: string): string {
  return ecosystem.replace(/[^A-Za-z0-9.-]/g, '_');
}

/** Downloads every ecosystem's export; returns what the cache holds for them afterwards. */
export async function updateOsvData(options: UpdateOptions): Promise<OsvCacheEntry[]> {
  const mirror = (options.mirror ?? process.env.SLIPWAY_OSV_MIRROR ?? OSV_BUCKET).replace(/\/+$/, '');
  const cacheDir = options.cacheDir ?? defaultOsvCache();
  const entries: OsvCacheEntry[] = [];
  for (const ecosystem of options.ecosystems) {
    const url = `${mirror}/${ecosystem.split('/').map(encodeURIComponent).join('/')}/all.zip`;
    options.onProgress?.(`fetching ${url}`);
    const body = await download(url, options.timeoutMs ?? 300_000);
    const records = countRecords(body, url);
    const dir = join(cacheDir, folderOf(ecosystem));
    await mkdir(dir, { recursive: true });
    const entry: OsvCacheEntry = {
      ecosystem,
      archive: join(dir, 'all.zip'),
      url,
      fetchedAt: new Date().toISOString(),
      bytes: body.length,
      records,
    };
    // Written beside, then renamed over: a reader never sees a half-written archive.
    await replaceFile(entry.archive, body);
    await replaceFile(join(dir, 'meta.json'), `${JSON.stringify(entry, null, 2)}\n`);
    options.onProgress?.(`${ecosystem}: ${records} records, ${(body.length / 1e6).toFixed(1)} MB`);
    entries.push(entry);
  }
  return entries;
}

async function download(url: string, timeoutMs: number): Promise<Buffer> {
  const controller = new AbortController();
  // A ref'd timer: AbortSignal.timeout's is unref'd, and the process would exit mid-download.
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${timeoutMs / 1000} s`)),
    timeoutMs,
  );
  try {
    const response = await fetch(url, { signal: controller.signal });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    return Buffer.from(await response.arrayBuffer());
  } catch (error) {
    const cause =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    throw new EnvironmentError(`could not fetch OSV data from ${url}: ${cause}`, {
      fix: 'check the network, or point SLIPWAY_OSV_MIRROR (or --osv-mirror) at a mirror of the OSV bucket; the cached data was kept',
    });
  } finally {
    clearTimeout(timer);
  }
}

/** The number of OSV records in an export; a download that is not a whole zip is refused. */
function countRecords(body: Buffer, url: string): number {
  let records = 0;
  try {
    // Only counted, not kept: the filter sees each name and decompresses nothing.
    unzipSync(body, {
      filter: (file) => {
        if (file.name.endsWith('.json')) records += 1;
        return false;
      },
    });
  } catch (error) {
    throw new EnvironmentError(
      `the OSV data from ${url} is not a whole zip archive (${error instanceof Error ? error.message : String(error)})`,
      { fix: 'run slipway scan --update-db again; the cached data was kept' },
    );
  }
  if (records === 0) {
    throw new EnvironmentError(`the OSV data from ${url} holds no records`, {
      fix: 'check that the mirror serves OSV exports (<ecosystem>/all.zip); the cached data was kept',
    });
  }
  return records;
}

async function replaceFile(path: string, content: Buffer | string): Promise<void> {
  const temporary = `${path}.${process.pid}.partial`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
}

export interface CachedOsv extends OsvCacheEntry {
  readonly ageDays: number;
  readonly stale: boolean;
}

/** What the cache holds, each ecosystem with its age; an empty list when nothing was fetched. */
export async function cachedOsvData(cacheDir = defaultOsvCache(), now = Date.now()): Promise<CachedOsv[]> {
  const folders = await readdir(cacheDir).catch(() => [] as string[]);
  const found: CachedOsv[] = [];
  for (const folder of folders.sort()) {
    try {
      const meta = JSON.parse(await readFile(join(cacheDir, folder, 'meta.json'), 'utf8')) as OsvCacheEntry;
      await stat(meta.archive);
      const ageDays = (now - Date.parse(meta.fetchedAt)) / 86_400_000;
      found.push({ ...meta, ageDays, stale: ageDays > STALE_AFTER_DAYS });
    } catch {
      // a folder without its metadata or archive is not usable data
    }
  }
  return found;
}

/** `PyPI: 2.1 days old (12,345 records)`, with a warning past STALE_AFTER_DAYS. */
export function describeAge(entry: CachedOsv): string {
  const age = entry.ageDays < 1 ? `${Math.round(entry.ageDays * 24)} h` : `${entry.ageDays.toFixed(1)} days`;
  const line = `${entry.ecosystem}: fetched ${age} ago (${entry.records} records)`;
  return entry.stale ? `${line}; older than ${STALE_AFTER_DAYS} days: run slipway scan --update-db` : line;
}

/**
 * The OSV data a scan uses: what `--osv` names, else everything `--update-db` has cached (with
 * its age, for the report); no sources when neither exists.
 */
export async function osvSources(
  osv: string | undefined,
  cacheDir = defaultOsvCache(),
): Promise<{ sources: string[]; cached: CachedOsv[] }> {
  if (osv) return { sources: [osv], cached: [] };
  const cached = await cachedOsvData(cacheDir);
  return { sources: cached.map((entry) => entry.archive), cached };
}
