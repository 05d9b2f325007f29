import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Example values for the app's settings, from the files projects keep for that purpose
 * (`.env.example`, `.env.sample`, ...) and from the compose service's `environment:`. Never from
 * `.env` itself: that file holds real values, secrets among them.
 */
export const EXAMPLE_ENV_FILES = ['.env.example', '.env.sample', '.env.template', '.env.dist', 'example.env'];

export interface ExampleValue {
  readonly value: string;
  /** Where it was read, e.g. `.env.example:4` or `compose.yaml`. */
  readonly from: string;
}

/** `KEY=value` lines; `export`, quotes and trailing comments as dotenv reads them. */
export function parseEnvFile(text: string): { name: string; value: string; line: number }[] {
  const out: { name: string; value: string; line: number }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(raw);
    if (!match) return;
    let value = (match[2] ?? '').trim();
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    else value = value.replace(/\s+#.*$/, '');
    out.push({ name: match[1] as string, value, line: index + 1 });
  });
  return out;
}

/** The first example value found for each name: the project's files first, then compose. */
export function exampleValues(
  dirs: readonly string[],
  base: string,
  compose: Readonly<Record<string, string>>,
): Record<string, ExampleValue> {
  const values: Record<string, ExampleValue> = {};
  for (const dir of [...new Set(dirs)]) {
    for (const name of EXAMPLE_ENV_FILES) {
      const file = join(dir, name);
      if (!existsSync(file)) continue;
      const shown = relative(base, file) || name;
      for (const entry of parseEnvFile(readFileSync(file, 'utf8'))) {
        // An empty example says nothing about the value.
        if (entry.value === '' || values[entry.name]) continue;
        values[entry.name] = { value: entry.value, from: `${shown}:${entry.line}` };
      }
    }
  }
  for (const [name, value] of Object.entries(compose)) {
    if (!values[name] && value !== '') values[name] = { value, from: 'the compose service environment' };
  }
  return values;
}
