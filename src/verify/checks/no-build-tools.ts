import { fail, pass, type VerifyCheck } from '../check.js';
import { lastJson, pythonOnce } from '../python.js';

/**
 * Walks the whole filesystem of a one-off container (as root, so that /root is readable; no
 * network) and prints one JSON line. Mount points are not entered: they are the engine's, not the
 * image's. Caches are found by the CACHEDIR.TAG that uv and pip write, wherever they were put; uv
 * also tags every venv it makes (so backups skip it), and a folder with pyvenv.cfg is not a cache.
 */
const SCRIPT = String.raw`
import json, os, re, stat
TOOL = re.compile(r'^(uv|uvx|gcc|g\+\+|cc|c\+\+|make|gmake|clang|clang\+\+|ld|rustc|cargo)(-[0-9.]+)?$|^[a-z0-9_]+-linux-gnu-(gcc|g\+\+|ld)(-[0-9.]+)?$')
ENV = re.compile(r'^\.env(\..+)?$')
ENV_OK = re.compile(r'\.(example|sample|template|dist)$')
found, scanned = [], 0
def size(path):
    total = 0
    for root, dirs, files in os.walk(path):
        for name in files:
            try: total += os.lstat(os.path.join(root, name)).st_size
            except OSError: pass
    return total
def add(kind, path, bytes_=None):
    if len(found) < 200: found.append({'kind': kind, 'path': path, 'size': bytes_})
for root, dirs, files in os.walk('/'):
    if root == '/': dirs[:] = [d for d in dirs if d not in ('proc', 'sys', 'dev')]
    dirs[:] = [d for d in dirs if not os.path.ismount(os.path.join(root, d))]
    for d in list(dirs):
        path = os.path.join(root, d)
        if d == '.git': add('git folder', path, size(path)); dirs.remove(d)
        elif root.endswith('/.cache') and d in ('uv', 'pip'): add(d + ' cache', path, size(path)); dirs.remove(d)
    for name in files:
        scanned += 1
        path = os.path.join(root, name)
        try: st = os.lstat(path)
        except OSError: continue
        if TOOL.match(name) and (stat.S_ISLNK(st.st_mode) or st.st_mode & 0o111):
            add('build tool', path, st.st_size)
        elif name == 'CACHEDIR.TAG' and 'pyvenv.cfg' not in files:
            add('package cache', root, size(root))
        elif ENV.match(name) and not ENV_OK.search(name):
            add('.env file', path, st.st_size)
        elif root == '/var/lib/apt/lists' and name != 'lock' or root == '/var/lib/apt/lists/partial':
            add('apt lists', path, st.st_size)
        elif root.startswith('/var/cache/apt') and (name.endswith('.deb') or name.endswith('.bin')):
            add('apt cache', path, st.st_size)
print(json.dumps({'scanned': scanned, 'found': found}))
`;

interface Listing {
  readonly scanned: number;
  readonly found: readonly { kind: string; path: string; size: number | null }[];
}

const bytes = (size: number) =>
  size < 100_000 ? `${(size / 1e3).toFixed(1)} kB` : `${(size / 1e6).toFixed(1)} MB`;
const describe = (item: Listing['found'][number]) =>
  `${item.kind}: ${item.path}${item.size === null ? '' : ` (${bytes(item.size)})`}`;

/** Build tools, caches, VCS folders and .env files belong to the build, not the image that ships. */
export const noBuildToolsCheck: VerifyCheck = {
  id: 'verify.no-build-tools',
  severity: 'error',
  docs: 'docs/commands/verify.md#verify.no-build-tools',
  title: 'no build tools or caches in the final image',
  hint:
    'copy only the venv and the app into the final stage (COPY --from=builder), use cache mounts ' +
    'for uv and apt, `rm -rf /var/lib/apt/lists/*` after apt-get, and list .git and .env in .dockerignore',
  async run(context) {
    const run = await pythonOnce(context, SCRIPT, [], '0:0');
    const listing = lastJson<Listing>(run.stdout);
    const evidence = [`$ ${run.command}`];
    if (run.code !== 0 || !listing) {
      return fail('could not list the image filesystem', [
        ...evidence,
        `exit ${run.code}: ${(run.stderr || run.stdout).trim().slice(-400)}`,
      ]);
    }
    evidence.push(`scanned ${listing.scanned} files`);
    if (listing.found.length === 0) {
      return pass(`none of uv, compilers, caches, .git or .env among ${listing.scanned} files`, evidence);
    }
    const kinds = [...new Set(listing.found.map((item) => item.kind))];
    return fail(`found ${listing.found.length} leftovers of the build (${kinds.join(', ')})`, [
      ...evidence,
      ...listing.found.slice(0, 20).map(describe),
      ...(listing.found.length > 20 ? [`… and ${listing.found.length - 20} more`] : []),
    ]);
  },
};
