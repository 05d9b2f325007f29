import { fail, pass, type VerifyCheck } from '../check.js';
import { lastJson, pythonOnce } from '../python.js';

/**
 * Runs as the runtime user and asks the kernel (os.access W_OK) about every file and folder the app
 * loads code from: the working directory (uvicorn puts it first on sys.path), the venv, and the
 * app's own package. A writable folder there is as bad as a writable module: a new file in it is
 * imported. Writable data files are listed but not a failure.
 */
const SCRIPT = String.raw`
import importlib.util, json, os, re, sys
CODE = re.compile(r'\.(py|pyc|pth|so)$')
roots = []
def root(path):
    path = os.path.realpath(path)
    if path not in ('/', '/tmp') and path not in roots: roots.append(path)
root(os.getcwd())
if sys.prefix != sys.base_prefix: root(sys.prefix)
module = sys.argv[1] if len(sys.argv) > 1 else ''
if module:
    spec = importlib.util.find_spec(module.split('.')[0])
    if spec and spec.submodule_search_locations: [root(p) for p in spec.submodule_search_locations]
    elif spec and spec.origin and os.path.isabs(spec.origin): root(spec.origin)
# A root inside another (the venv inside the working dir) is walked once, as part of the outer one.
roots = [r for r in roots if not any(r != o and r.startswith(o + '/') for o in roots)]
writable, data, checked = [], [], 0
def test(path, code):
    global checked
    checked += 1
    if os.access(path, os.W_OK, follow_symlinks=False):
        (writable if code else data).append(path)
for top in roots:
    if os.path.isfile(top): test(top, True); continue
    for base, dirs, files in os.walk(top):
        test(base, True)
        for name in files:
            path = os.path.join(base, name)
            if os.path.islink(path): continue
            test(path, bool(CODE.search(name)) or os.access(path, os.X_OK))
        if checked > 200000: break
print(json.dumps({'uid': os.getuid(), 'gid': os.getgid(), 'roots': roots, 'checked': checked,
                  'writable': writable[:50], 'writableCount': len(writable), 'data': data[:10]}))
`;

interface Access {
  readonly uid: number;
  readonly gid: number;
  readonly roots: readonly string[];
  readonly checked: number;
  readonly writable: readonly string[];
  readonly writableCount: number;
  readonly data: readonly string[];
}

export const codeReadOnlyCheck: VerifyCheck = {
  id: 'verify.code-read-only',
  severity: 'error',
  docs: 'docs/commands/verify.md#verify.code-read-only',
  title: "the app's code is not writable by the runtime user",
  hint:
    'leave the venv and the app owned by root (COPY without --chown, no chmod) so the runtime user ' +
    'can read but not change them; write only to /tmp or a mounted volume',
  async run(context) {
    const args = context.target.appModule ? [context.target.appModule] : [];
    const run = await pythonOnce(context, SCRIPT, args, context.runtimeUser);
    const access = lastJson<Access>(run.stdout);
    const evidence = [`$ ${run.command}`];
    if (run.code !== 0 || !access) {
      return fail(`could not test the app's files as ${context.runtimeUser}`, [
        ...evidence,
        `exit ${run.code}: ${(run.stderr || run.stdout).trim().slice(-400)}`,
      ]);
    }
    evidence.push(
      `as uid ${access.uid} gid ${access.gid}: ${access.checked} paths under ${access.roots.join(', ') || '(none)'}`,
    );
    if (access.data.length > 0) evidence.push(`writable data files (allowed): ${access.data.join(', ')}`);
    if (access.roots.length === 0) {
      return fail(
        'found no app code to test (no venv, no working directory, app module not found)',
        evidence,
      );
    }
    if (access.writableCount === 0) {
      return pass(`none of ${access.checked} code paths is writable by ${context.runtimeUser}`, evidence);
    }
    return fail(`${access.writableCount} code paths are writable by ${context.runtimeUser}`, [
      ...evidence,
      ...access.writable.slice(0, 15).map((path) => `writable: ${path}`),
    ]);
  },
};
