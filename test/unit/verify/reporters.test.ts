import { afterEach, describe, expect, it } from 'vitest';
import { renderChecklist } from '../../../src/report/checklist.js';
import { renderJson } from '../../../src/report/json.js';
import { renderJunit, xmlEscape } from '../../../src/report/junit.js';
import { summarize, wantsColor } from '../../../src/report/summary.js';
import type { Result } from '../../../src/result.js';

const results: Result[] = [
  {
    id: 'verify.size',
    title: 'image size',
    status: 'pass',
    severity: 'error',
    message: '120 MB',
    durationMs: 12,
  },
  {
    id: 'verify.non-root',
    title: 'non-root',
    status: 'fail',
    severity: 'error',
    message: 'User "app" is a name <&>',
    hint: 'use USER 10001:10001',
    evidence: ['image config User: "app"', 'log: \u001b[31mred\u001b[0m \u0000 done'],
    durationMs: 1500,
  },
  {
    id: 'verify.answers',
    title: 'answers',
    status: 'skip',
    severity: 'error',
    message: 'skipped: verify.starts failed',
    durationMs: 0,
  },
  {
    id: 'SLW-D001',
    title: 'pinned base',
    status: 'fail',
    severity: 'warning',
    message: 'unpinned',
    location: { file: 'Dockerfile', line: 3 },
    suppressed: { by: 'config', reason: 'stand-in base' },
  },
];

describe('reporters', () => {
  const noColor = process.env.NO_COLOR;
  afterEach(() => {
    if (noColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = noColor;
  });

  it('counts the same way everywhere', () => {
    expect(summarize(results)).toEqual({
      total: 4,
      passed: 1,
      failed: 1,
      skipped: 1,
      suppressed: 1,
      durationMs: 1512,
      ok: false,
    });
  });

  it('renders a checklist with marks, timings, evidence and hint under failures, and a summary', () => {
    const text = renderChecklist(results, { color: false, durationMs: 7400 });
    expect(text).toBe(
      [
        '✓ verify.size      image size  12 ms',
        '✗ verify.non-root  non-root  1.5 s',
        '    User "app" is a name <&>',
        '      image config User: "app"',
        '      log: \u001b[31mred\u001b[0m \u0000 done',
        '    hint: use USER 10001:10001',
        '- verify.answers   answers  0 ms',
        '    skipped: verify.starts failed',
        '- SLW-D001         pinned base Dockerfile:3',
        '    unpinned',
        '    suppressed (config): stand-in base',
        '',
        '1 passed, 1 failed, 1 skipped, 1 suppressed in 7.4 s',
        '',
      ].join('\n'),
    );
  });

  it('uses no colour with NO_COLOR or without a TTY', () => {
    process.env.NO_COLOR = '1';
    expect(wantsColor({ isTTY: true })).toBe(false);
    delete process.env.NO_COLOR;
    expect(wantsColor({ isTTY: false })).toBe(false);
    expect(wantsColor({ isTTY: true })).toBe(true);
    expect(renderChecklist(results, { color: true })).toContain('\u001b[31m✗\u001b[0m verify.non-root');
  });

  it('renders JSON with a version, the summary and the results as they are', () => {
    const doc = JSON.parse(renderJson(results, { meta: { command: 'verify', image: 'x:1' } }));
    expect(doc).toMatchObject({
      version: 1,
      command: 'verify',
      image: 'x:1',
      ok: false,
      summary: { failed: 1 },
    });
    expect(doc.results).toEqual(results);
  });

  it('renders valid, escaped JUnit XML with one testcase per result', () => {
    const xml = renderJunit(results, {
      suiteName: 'slipway verify',
      durationMs: 7400,
      timestamp: new Date(0),
    });
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="slipway verify" tests="4" failures="1" errors="0" skipped="2" time="7.400">/,
    );
    expect(xml).toContain(
      '<testsuite name="slipway verify" tests="4" failures="1" errors="0" skipped="2" time="7.400" timestamp="1970-01-01T00:00:00">',
    );
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain(
      '<failure message="User &quot;app&quot; is a name &lt;&amp;&gt;" type="verify.non-root">',
    );
    expect(xml).toContain('hint: use USER 10001:10001</failure>');
    expect(xml).toContain('<skipped message="suppressed: stand-in base"/>');
    expect(xml).toContain('classname="Dockerfile"');
    // ESC and NUL are not allowed anywhere in XML 1.0.
    expect(xml.includes('\u0000') || xml.includes('\u001b')).toBe(false);
    expect(xmlEscape(`a'b"c`)).toBe('a&apos;b&quot;c');
  });
});
