import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LineCounter } from 'yaml';
import { helmTemplate } from './helm.js';
import { templateLineMap } from './helm-origins.js';
import {
  fromOrigin,
  type ManifestObject,
  type ManifestSet,
  parseManifestFile,
  type YamlOrigin,
} from './objects.js';

/**
 * A chart's objects for check: rendered with real `helm template`, each one pointing at the
 * template file it came from (the `# Source:` comment helm writes above it), its lines mapped
 * back into that template, so findings and inline suppressions are the template's.
 */

export interface ChartSetOptions {
  /** The chart folder as messages and findings name it (relative to what is checked). */
  readonly shown: string;
  readonly kubeVersion?: string;
}

const SOURCE = /^# Source: (\S.*?)\s*$/m;

export async function chartManifestSet(
  helm: string,
  chart: string,
  options: ChartSetOptions,
): Promise<ManifestSet> {
  const rendered = await helmTemplate(helm, chart, {
    release: basename(chart),
    shown: options.shown,
    ...(options.kubeVersion ? { kubeVersion: options.kubeVersion } : {}),
  });
  const name = `${options.shown} (rendered by helm template)`;
  const origins = parseManifestFile({ path: name, text: rendered });
  const lines = rendered.split('\n');
  const objects = origins.map((origin, index): ManifestObject => {
    const end = origins[index + 1]?.startLine ?? lines.length + 1;
    const header = lines.slice(origin.startLine - 1, origin.line).join('\n');
    const source = SOURCE.exec(header)?.[1];
    return fromOrigin(
      source
        ? inTemplate(origin, chart, options.shown, source, lines.slice(origin.startLine - 1, end - 1))
        : origin,
    );
  });
  return { name: options.shown, objects };
}

/**
 * The rendered document re-pointed at its template: the same parsed document (rules walk the
 * rendered fields), the template's file name and text, and line numbers in the template.
 */
function inTemplate(
  origin: YamlOrigin,
  chart: string,
  shown: string,
  source: string,
  documentLines: readonly string[],
): YamlOrigin {
  // `<chart name>/templates/x.yaml`, or `<chart>/charts/<sub>/templates/x.yaml` for a subchart.
  const inChart = source.split('/').slice(1).join('/');
  const file = join(chart, inChart);
  const shownFile = `${shown}/${inChart}`;
  // A subchart packed as a .tgz has no template file on disk: the rendered lines stay.
  if (!existsSync(file)) return { ...origin, file: `${shownFile} (rendered)` };
  const template = readFileSync(file, 'utf8');
  const map = templateLineMap(template, documentLines, origin.startLine);
  const counter = new LineCounter();
  counter.linePos = (offset: number) => {
    const at = origin.lines.linePos(offset);
    return { line: map(at.line), col: at.col };
  };
  return {
    ...origin,
    file: shownFile,
    text: template,
    lines: counter,
    line: map(origin.line),
    // The template's leading comments hold the suppressions that apply to the whole object.
    startLine: 1,
  };
}
