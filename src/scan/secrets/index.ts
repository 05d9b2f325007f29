/**
 * Secret scanning over every layer, deleted files included: the visitor sees each file of each
 * layer as the layers are walked, and a hit records the layer that holds it. Findings never
 * carry the secret: a short prefix, its length and a sha256 prefix are enough to recognise it.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { ScanFinding } from '../finding.js';
import type { FileSystem, ImageFile, LayerVisitor } from '../layers.js';
import { HEAD_BYTES, type TarHeader } from '../tar.js';
import { resultSeverity, type ScanSeverity } from '../vulns/severity.js';
import { CONTENT_SOURCE, contentEngine, kindOf } from './content.js';
import { FILE_RULES, type SecretKind } from './rules.js';

/** Larger files are data (wheels, databases, bundles) rather than config a secret sits in. */
export const MAX_SCANNED_BYTES = 1024 * 1024;

export interface SecretHit {
  readonly rule: SecretKind;
  readonly path: string;
  readonly layer: number;
  /** Redacted values, one per distinct secret in the file. */
  readonly redacted: readonly string[];
  /** Line of each secret, in the same order (0: the file itself, or not found as written). */
  readonly lines: readonly number[];
  /** The content rules that found them (gitleaks' ids), for the evidence; none for a file rule. */
  readonly detectors: readonly string[];
}

/** `ghp_…` style: a prefix of at most 4 characters (a quarter of a short value), the length, a hash prefix. */
export function redact(secret: string): string {
  if (secret === '') return '(the file itself)';
  const shown = secret.slice(0, Math.min(4, Math.floor(secret.length / 4)));
  const hash = createHash('sha256').update(secret).digest('hex').slice(0, 12);
  return `${shown}… (${secret.length} chars, sha256:${hash})`;
}

/** A NUL in the first bytes: what git and gitleaks take for a binary file. */
function isText(content: Buffer): boolean {
  return !content.subarray(0, HEAD_BYTES).includes(0);
}

function skipped(kind: SecretKind, path: string, value: string): boolean {
  return (kind.skip ?? []).some(
    (skip) =>
      (skip.path === undefined || skip.path.test(path)) &&
      (skip.value === undefined || skip.value.test(value)),
  );
}

function lineOf(text: string, value: string): number {
  const at = value === '' ? -1 : text.indexOf(value);
  return at < 0 ? 0 : text.slice(0, at).split('\n').length;
}

interface Found {
  readonly kind: SecretKind;
  readonly value: string;
  readonly line: number;
  readonly detector?: string;
}

export class SecretScanner implements LayerVisitor {
  readonly hits: SecretHit[] = [];
  /** Text files read, for the report. */
  scanned = 0;
  private readonly engine = contentEngine();

  want(header: TarHeader): boolean {
    return header.size > 0 && header.size <= MAX_SCANNED_BYTES;
  }

  /** A binary file is read no further than its head: only its path can make it a finding. */
  isBinary(head: Buffer): boolean {
    return !isText(head);
  }

  onFile(file: ImageFile, content: Buffer | undefined): void {
    if (!content) return;
    // A .p12 is the finding whatever it holds, and it is binary: its rule needs the path alone.
    const found: Found[] = this.engine
      .detectPath(file.path)
      .map((d) => ({ kind: kindOf(d.ruleId), value: '', line: 0, detector: d.ruleId }));
    if (isText(content)) {
      this.scanned++;
      const fileRules = FILE_RULES.filter((rule) => rule.path.test(file.path));
      const text = fileRules.length > 0 ? content.toString('utf8') : '';
      for (const rule of fileRules) {
        for (const value of rule.run(text)) found.push({ kind: rule, value, line: lineOf(text, value) });
      }
      for (const d of this.engine.detect(file.path, content)) {
        found.push({ kind: kindOf(d.ruleId), value: d.secret, line: d.line, detector: d.ruleId });
      }
    }
    this.record(file, found);
  }

  private record(file: ImageFile, found: readonly Found[]): void {
    // A token in a credentials file is one finding (the file rule's, which comes first), not
    // two; nor is a password already reported as part of the URL or the line that holds it.
    const reported: string[] = [];
    const byKind = new Map<string, Found[]>();
    for (const f of found) {
      if (skipped(f.kind, file.path, f.value)) continue;
      if (reported.some((r) => r === f.value || (f.value !== '' && r.includes(f.value)))) continue;
      reported.push(f.value);
      byKind.set(f.kind.id, [...(byKind.get(f.kind.id) ?? []), f]);
    }
    for (const group of byKind.values()) {
      const kind = (group[0] as Found).kind;
      const path = kind.id === 'git-folder' ? posix.dirname(file.path) : file.path;
      this.hits.push({
        rule: kind,
        path,
        layer: file.layer,
        redacted: group.map((f) => redact(f.value)),
        lines: group.map((f) => f.line),
        detectors: [...new Set(group.flatMap((f) => (f.detector ? [f.detector] : [])))],
      });
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
        ...(hit.lines.some((line) => line > 0) ? [`lines: ${hit.lines.join(', ')}`] : []),
        ...(hit.detectors.length > 0 ? [`rule: ${CONTENT_SOURCE} ${hit.detectors.join(', ')}`] : []),
      ],
      docs: 'docs/scan.md#secrets',
    } as const;
    return { result, severity };
  });
}
