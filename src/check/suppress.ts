import type { Suppression } from '../result.js';

// `# slipway-ignore SLW-D003: reason` or `# slipway-ignore SLW-K002, SLW-K003: reason`.
const INLINE = /#\s*slipway-ignore\s+([A-Z]+-[A-Z]\d{3}(?:\s*,\s*[A-Z]+-[A-Z]\d{3})*)\s*:\s*(\S.*?)\s*$/;

function parse(line: string): { ids: string[]; reason: string } | undefined {
  const match = INLINE.exec(line);
  if (!match?.[1] || !match[2]) return undefined;
  return { ids: match[1].split(',').map((id) => id.trim()), reason: match[2] };
}

function isComment(line: string): boolean {
  return line.trimStart().startsWith('#');
}

/**
 * An inline suppression of rule `id` for a finding on `line` (1-based): a comment on that line
 * (YAML), in the run of comment lines just above it, or among the leading comments of the YAML
 * document that starts at `scopeLine` (then it holds for the whole object). A comment without a
 * reason suppresses nothing: the report must say why a finding is accepted.
 */
export function inlineSuppression(
  text: string,
  id: string,
  line: number | undefined,
  scopeLine?: number,
): Suppression | undefined {
  const lines = text.split(/\r?\n/);
  const candidates: string[] = [];
  if (line !== undefined) {
    candidates.push(lines[line - 1] ?? '');
    for (let i = line - 2; i >= 0 && isComment(lines[i] ?? ''); i -= 1) candidates.push(lines[i] ?? '');
  }
  if (scopeLine !== undefined) {
    const header = (text: string) => isComment(text) || ['', '---'].includes(text.trim());
    for (let i = scopeLine - 1; i < lines.length && header(lines[i] ?? ''); i += 1) {
      candidates.push(lines[i] ?? '');
    }
  }
  for (const candidate of candidates) {
    const found = parse(candidate);
    if (found?.ids.includes(id)) return { by: 'inline', reason: found.reason };
  }
  return undefined;
}

/** `[tool.slipway] ignore = [{ id = "SLW-D009", reason = "..." }]`: the whole rule, everywhere. */
export function configSuppression(
  ignore: readonly { readonly id: string; readonly reason: string }[],
  id: string,
): Suppression | undefined {
  const entry = ignore.find((item) => item.id === id);
  return entry ? { by: 'config', reason: entry.reason } : undefined;
}
