import { type CheckOutcome, fail, pass, skip, tail, type VerifyCheck } from '../check.js';
import { lastJson, pythonIn } from '../python.js';
import type { SettingsValue } from '../settings-values.js';

/**
 * Imports each settings class inside the running container, instantiates it the way the app does
 * (from the container's environment), and prints only sha256 digests of the fields. SecretStr is
 * unwrapped first; a validation error is reported by field and error type, never with its input.
 */
const SCRIPT = `
import hashlib, importlib, json, sys
out = []
for item in json.loads(sys.argv[1]):
    module, _, name = item['importPath'].partition(':')
    entry = {'importPath': item['importPath'], 'digests': {}}
    try:
        settings = getattr(importlib.import_module(module), name)()
    except Exception as error:
        detail = ''
        try: detail = '; '.join('.'.join(map(str, e.get('loc', ()))) + ' ' + str(e.get('type')) for e in error.errors())
        except Exception: pass
        entry['error'] = type(error).__name__ + (': ' + detail if detail else '')
        out.append(entry)
        continue
    for field in item['fields']:
        if not hasattr(settings, field):
            entry['digests'][field] = None
            continue
        value = getattr(settings, field)
        if hasattr(value, 'get_secret_value'): value = value.get_secret_value()
        if isinstance(value, bytes): value = value.decode('utf-8', 'replace')
        elif isinstance(value, bool): value = 'true' if value else 'false'
        else: value = str(value)
        entry['digests'][field] = hashlib.sha256(value.encode('utf-8')).hexdigest()
    out.append(entry)
print(json.dumps(out))
`;

interface Loaded {
  readonly importPath: string;
  readonly digests: Readonly<Record<string, string | null>>;
  readonly error?: string;
}

const short = (digest: string) => `sha256:${digest.slice(0, 12)}…`;

function compare(value: SettingsValue, loaded: Loaded | undefined): { ok: boolean; line: string } {
  const { variable } = value;
  const how = variable.secret ? 'secret, from the env-file' : `plain, env = ${value.value}`;
  const name = `${variable.name} (${how}) → ${loaded?.importPath ?? '?'}.${variable.field}`;
  if (!loaded) return { ok: false, line: `${name}: settings class not loaded` };
  if (loaded.error) return { ok: false, line: `${name}: ${loaded.error}` };
  const digest = loaded.digests[variable.field];
  if (digest === undefined || digest === null) return { ok: false, line: `${name}: no such attribute` };
  if (digest === value.digest) return { ok: true, line: `${name}: read back, ${short(digest)}` };
  return {
    ok: false,
    line: `${name}: the app holds another value (${short(digest)}, supplied ${short(value.digest)})`,
  };
}

export const envSecretsCheck: VerifyCheck = {
  id: 'verify.env-secrets',
  severity: 'error',
  docs: 'docs/commands/verify.md#verify.env-secrets',
  title: 'reads its settings from env and Secrets',
  requires: ['verify.starts'],
  hint:
    'read configuration through the settings class (pydantic-settings BaseSettings with the env prefix), ' +
    'not from files baked into the image or constants',
  async run(context): Promise<CheckOutcome> {
    const { settings, target } = context;
    if (target.settings.length === 0) return skip('no settings class is known for this image');
    const unsupplied = settings.unsupplied.map(
      ({ variable, why }) => `not supplied: ${variable.name} (${why}; its default stays)`,
    );
    if (settings.values.length === 0) return skip('no setting has a value verify can supply', unsupplied);
    const spec = target.settings.map((cls) => ({
      importPath: cls.importPath,
      fields: settings.values.filter((v) => v.importPath === cls.importPath).map((v) => v.variable.field),
    }));
    const app = await context.standard();
    const run = await pythonIn(context.engine, app.id, SCRIPT, [JSON.stringify(spec)]);
    const loaded = lastJson<Loaded[]>(run.stdout);
    const evidence = [`$ ${run.command}`];
    if (run.code !== 0 || !Array.isArray(loaded)) {
      return fail('could not load the settings inside the container', [
        ...evidence,
        `exit ${run.code}`,
        ...tail(run.stderr, 8),
      ]);
    }
    const lines = settings.values.map((value) =>
      compare(
        value,
        loaded.find((entry) => entry.importPath === value.importPath),
      ),
    );
    evidence.push(...lines.map((line) => `${line.ok ? 'ok' : 'FAILED'} ${line.line}`), ...unsupplied);
    const bad = lines.filter((line) => !line.ok).length;
    const secrets = settings.values.filter((value) => value.variable.secret).length;
    if (bad === 0) {
      return pass(`the app read all ${lines.length} supplied settings (${secrets} from a Secret)`, evidence);
    }
    return fail(`${bad} of ${lines.length} supplied settings did not reach the app`, evidence);
  },
};
