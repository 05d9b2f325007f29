import { type DockerfileFacts, parseDockerfile } from '../dockerfile/facts.js';
import { DEFAULT_KUBE_VERSION, parseKubeVersion } from '../kube/pod-security.js';
import { podSecurityNotes } from '../kube/pod-security-level.js';
import type { Result } from '../result.js';
import { RULES } from './registry.js';
import { configSuppression, inlineSuppression } from './suppress.js';
import type { CheckInput, CheckReport, Rule, Violation } from './types.js';

interface Tagged {
  readonly rule: Rule;
  readonly violation: Violation;
  readonly set: string | undefined;
}

/**
 * Runs every registered rule over files already in memory: no disk, no network, no clock but the
 * duration. checkProject (project.ts) reads the files and renders the overlays for it.
 */
export function checkFiles(input: CheckInput): CheckReport {
  const started = performance.now();
  const kubeVersion = parseKubeVersion(input.kubeVersion ?? DEFAULT_KUBE_VERSION);
  const dockerfiles = input.dockerfiles.map((file) => parseDockerfile(file.path, file.text));
  const tagged: Tagged[] = [];
  for (const rule of RULES) {
    if (rule.scope === 'dockerfile') {
      for (const dockerfile of dockerfiles) {
        for (const violation of rule.run({ dockerfile, model: input.model }))
          tagged.push({ rule, violation, set: undefined });
      }
    } else if (rule.scope === 'manifest') {
      for (const set of input.manifests) {
        for (const violation of rule.run({ set, model: input.model, kubeVersion }))
          tagged.push({ rule, violation, set: set.name });
      }
    } else {
      const context = {
        dockerfiles,
        dockerignore: input.dockerignore,
        manifests: input.manifests,
        model: input.model,
        lock: input.lock,
      };
      for (const violation of rule.run(context)) tagged.push({ rule, violation, set: undefined });
    }
  }
  const texts = fileTexts(input, dockerfiles);
  const ignore = input.ignore ?? input.model?.config.ignore ?? [];
  const findings = merge(tagged, input.manifests.length > 1).map(({ rule, violation, sets }) =>
    toResult(rule, violation, sets, texts.get(violation.location.file), ignore),
  );
  findings.sort(compare);
  const files = [
    ...input.dockerfiles.map((f) => f.path),
    ...(input.dockerignore ? [input.dockerignore.path] : []),
    ...new Set(
      input.manifests.flatMap((set) => set.objects.flatMap((o) => o.origins.map((origin) => origin.file))),
    ),
  ];
  return {
    findings,
    rules: RULES.map((rule) => rule.id),
    files: [...new Set(files)],
    notes: podSecurityNotes(input.manifests),
    durationMs: performance.now() - started,
  };
}

function fileTexts(input: CheckInput, dockerfiles: readonly DockerfileFacts[]): Map<string, string> {
  const texts = new Map<string, string>();
  for (const dockerfile of dockerfiles) texts.set(dockerfile.path, dockerfile.text);
  if (input.dockerignore) texts.set(input.dockerignore.path, input.dockerignore.text);
  for (const set of input.manifests) {
    for (const object of set.objects)
      for (const origin of object.origins) texts.set(origin.file, origin.text);
  }
  return texts;
}

/**
 * The base's Deployment rendered into two overlays is one object in one file: its finding is
 * reported once, naming the overlays it appears in.
 */
function merge(
  tagged: readonly Tagged[],
  nameSets: boolean,
): { rule: Rule; violation: Violation; sets: string[] }[] {
  const byKey = new Map<string, { rule: Rule; violation: Violation; sets: string[] }>();
  for (const { rule, violation, set } of tagged) {
    const key = [rule.id, violation.location.file, violation.location.line, violation.message].join('\0');
    const existing = byKey.get(key);
    if (existing) {
      if (set && !existing.sets.includes(set)) existing.sets.push(set);
    } else byKey.set(key, { rule, violation, sets: set && nameSets ? [set] : [] });
  }
  return [...byKey.values()];
}

function toResult(
  rule: Rule,
  violation: Violation,
  sets: readonly string[],
  text: string | undefined,
  ignore: readonly { readonly id: string; readonly reason: string }[],
): Result {
  const evidence = [
    ...(violation.evidence ?? []),
    ...(sets.length > 0 ? [`rendered in ${sets.join(', ')}`] : []),
  ];
  const suppressed =
    (text === undefined
      ? undefined
      : inlineSuppression(text, rule.id, violation.location.line, violation.scopeLine)) ??
    configSuppression(ignore, rule.id);
  return {
    id: rule.id,
    title: rule.title,
    status: 'fail',
    severity: rule.severity,
    message: violation.message,
    hint: violation.hint ?? rule.hint,
    ...(evidence.length > 0 ? { evidence } : {}),
    location: violation.location,
    docs: rule.docs,
    ...(suppressed ? { suppressed } : {}),
  };
}

function compare(a: Result, b: Result): number {
  const fa = a.location?.file ?? '';
  const fb = b.location?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const la = a.location?.line ?? 0;
  const lb = b.location?.line ?? 0;
  if (la !== lb) return la - lb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
