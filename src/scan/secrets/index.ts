/**
 * Secret scanning over every layer, deleted files included: the visitor sees each file of each
 * layer as the layers are walked, and a hit records the layer that holds it. Findings never
 * carry the secret: a short prefix, its length and a sha256 prefix are enough to recognise it.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { ScanFinding } from '../finding.js';
import type { FileSystem, ImageFile, LayerVisitor } from '../layers.js';
import type { TarHeader } from '../tar.js';
import { resultSeverity, type ScanSeverity } from '../vulns/severity.js';
import { CONTENT_RULES, FILE_RULES, type SecretRule } from './rules.js';

/** Larger files are data (wheels, databases, bundles) rather than config a secret sits in. */
export const MAX_SCANNED_BYTES = 1024 * 1024;

export interface SecretHit {
  readonly rule: SecretRule;
  readonly path: string;
  readonly layer: number;
  /** Redacted values, one per distinct secret in the file. */
  readonly redacted: readonly string[];
}

/** `ghp_…` style: a prefix of at most 4 characters (a quarter of a short value), the length, a hash prefix. */
export function redact(secret: string): string {
  if (secret === '') return '(the file itself)';
  const shown = secret.slice(0, Math.min(4, Math.floor(secret.length / 4)));
  const hash = createHash('sha256').update(secret).digest('hex').slice(0, 12);
  return `${shown}… (${secret.length} chars, sha256:${hash})`;
}

function isText(content: Buffer): boolean {
  return !content.subarray(0, 8192).includes(0);
}

function skipped(rule: SecretRule, path: string, value: string): boolean {
  return (rule.skip ?? []).some(
    (skip) =>
      (skip.path === undefined || skip.path.test(path)) &&
      (skip.value === undefined || skip.value.test(value)),
  );
}

export class SecretScanner implements LayerVisitor {
  readonly hits: SecretHit[] = [];
  /** Text files read, for the report. */
  scanned = 0;

  want(header: TarHeader): boolean {
    return header.size > 0 && header.size <= MAX_SCANNED_BYTES;
  }

  onFile(file: ImageFile, content: Buffer | undefined): void {
    if (!content || !isText(content)) return;
    this.scanned++;
    const rules = [
      ...FILE_RULES.filter((rule) => rule.path?.test(file.path)),
      ...CONTENT_RULES.filter((rule) => (rule.hints ?? []).some((hint) => content.includes(hint))),
    ];
    if (rules.length === 0) return;
    const text = content.toString('utf8');
    // A token in a credentials file is one finding (the file rule's), not two.
    const reported = new Set<string>();
    for (const rule of rules) {
      const values = [...new Set(rule.find(text))].filter(
        (value) => !skipped(rule, file.path, value) && !reported.has(value),
      );
      if (values.length === 0) continue;
      for (const value of values) reported.add(value);
      const path = rule.id === 'git-folder' ? posix.dirname(file.path) : file.path;
      this.hits.push({ rule, path, layer: file.layer, redacted: values.map(redact) });
    }
  }
}

/** Whether the file the hit came from is what the final image shows, or was deleted/replaced later. */
function fate(hit: SecretHit, fs: FileSystem): string {
  const source = hit.rule.id === 'git-folder' ? `${hit.path}/HEAD` : hit.path;
  const current = fs.files.get(source);
  if (current?.layer === hit.layer) return 'present in the final filesystem';
  const hidden = fs.hidden.find((h) => h.file.path === source && h.file.layer === hit.layer);
  const how = hidden?.how === 'replaced' ? 'replaced' : 'deleted';
  const by = hidden ? ` in layer ${hidden.hiddenBy}` : '';
  return `${how}${by}, but still readable from layer ${hit.layer} of the image`;
}

export function secretFindings(
  hits: readonly SecretHit[],
  fs: FileSystem,
  layerStep: (layer: number) => string | undefined,
): ScanFinding[] {
  return hits.map((hit) => {
    const severity: ScanSeverity = hit.rule.severity;
    const status = fate(hit, fs);
    const step = layerStep(hit.layer);
    const result = {
      id: `scan.secret.${hit.rule.id}`,
      title: hit.rule.title,
      status: 'fail',
      severity: resultSeverity(severity),
      message: `${hit.rule.title} in /${hit.path} (layer ${hit.layer}): ${status}`,
      hint: hit.rule.hint,
      evidence: [
        `severity: ${severity}`,
        `path: /${hit.path}`,
        `layer: ${hit.layer}${step ? ` (${step})` : ''}`,
        ...hit.redacted.map((value) => `secret: ${value}`),
      ],
      docs: 'docs/scan.md#secrets',
    } as const;
    return { result, severity };
  });
}
