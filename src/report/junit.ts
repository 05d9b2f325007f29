import type { Result } from '../result.js';
import { summarize } from './summary.js';

export interface JunitOptions {
  /** @default slipway */
  readonly suiteName?: string;
  /** Wall time of the run; the sum of the results' durations otherwise. */
  readonly durationMs?: number;
  /** @default now */
  readonly timestamp?: Date;
}

/** XML 1.0 allows no control characters besides tab, newline and return (container logs have ESC). */
function xmlChars(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      code >= 0x10000;
    if (allowed) out += char;
  }
  return out;
}

export function xmlEscape(text: string): string {
  return xmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

/** `verify.size` → `verify`; a rule with a location → its file; otherwise the id. */
function classname(result: Result): string {
  if (result.location) return result.location.file;
  const dot = result.id.indexOf('.');
  return dot > 0 ? result.id.slice(0, dot) : result.id;
}

function testcase(result: Result): string {
  const attrs = `classname="${xmlEscape(classname(result))}" name="${xmlEscape(`${result.id}: ${result.title}`)}" time="${seconds(result.durationMs)}"`;
  const evidence = (result.evidence ?? []).join('\n');
  const body: string[] = [];
  if (result.status === 'fail' && result.suppressed) {
    body.push(`<skipped message="${xmlEscape(`suppressed: ${result.suppressed.reason}`)}"/>`);
  } else if (result.status === 'fail') {
    const text = [evidence, result.hint ? `hint: ${result.hint}` : ''].filter(Boolean).join('\n');
    body.push(
      `<failure message="${xmlEscape(result.message)}" type="${xmlEscape(result.id)}">${xmlEscape(text)}</failure>`,
    );
  } else if (result.status === 'skip') {
    body.push(`<skipped message="${xmlEscape(result.message)}"/>`);
  }
  if (result.status !== 'fail' && evidence)
    body.push(`<system-out>${xmlEscape(`${result.message}\n${evidence}`)}</system-out>`);
  if (body.length === 0) return `    <testcase ${attrs}/>`;
  return [`    <testcase ${attrs}>`, ...body.map((line) => `      ${line}`), '    </testcase>'].join('\n');
}

/** JUnit XML as CI servers read it: one testsuite, one testcase per result. */
export function renderJunit(results: readonly Result[], options: JunitOptions = {}): string {
  const summary = summarize(results);
  const name = xmlEscape(options.suiteName ?? 'slipway');
  const time = seconds(options.durationMs ?? summary.durationMs);
  const skipped = summary.skipped + summary.suppressed;
  const counts = `tests="${summary.total}" failures="${summary.failed}" errors="0" skipped="${skipped}" time="${time}"`;
  const stamp = (options.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, '');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${name}" ${counts}>`,
    `  <testsuite name="${name}" ${counts} timestamp="${stamp}">`,
    ...results.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
