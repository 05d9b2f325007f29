import { describe, expect, it } from 'vitest';
import { templateLineMap } from '../../../src/kube/helm-origins.js';

/** Rendered lines back to template lines, without helm: the template and its output side by side. */
const TEMPLATE = [
  '# header comment', // 1
  'apiVersion: v1', // 2
  'kind: Service',
  'metadata:',
  '  name: {{ .Release.Name }}', // 5
  '  labels: {{- include "labels" . | nindent 4 }}',
  'spec:',
  '  ports:',
  '    - name: http',
  '      port: {{ .Values.port }}', // 10
  '    - name: metrics',
  '      port: 9090',
  '{{- if .Values.extra }}',
  '  type: NodePort',
  '{{- end }}', // 15
].join('\n');

// What helm writes for it, from line 3 of its output (after `---` and `# Source:`).
const RENDERED = [
  '# header comment', // 3
  'apiVersion: v1',
  'kind: Service', // 5
  'metadata:',
  '  name: shop',
  '  labels:',
  '    app: shop',
  '    tier: web', // 10
  'spec:',
  '  ports:',
  '    - name: http',
  '      port: 8000',
  '    - name: metrics', // 15
  '      port: 9090',
  '  type: NodePort',
];

describe('templateLineMap', () => {
  const map = templateLineMap(TEMPLATE, RENDERED, 3);

  it('maps literal lines and lines with a value to their own template line', () => {
    expect(map(4)).toBe(2); // apiVersion
    expect(map(7)).toBe(5); // name: {{ .Release.Name }}
    expect(map(13)).toBe(9); // - name: http
    expect(map(17)).toBe(14); // type: NodePort, inside an if block
  });

  it('tells repeated keys apart by their order under the same parents', () => {
    expect(map(14)).toBe(10); // the first port: a template value
    expect(map(16)).toBe(12); // the second port: literal 9090
  });

  it('maps what a function wrote (include | nindent) to the line holding the function', () => {
    expect(map(9)).toBe(6);
    expect(map(10)).toBe(6);
  });

  it('maps comments to the line above them, and a line before any key to the first YAML line', () => {
    expect(map(3)).toBe(2);
    expect(map(2)).toBe(2);
  });
});
