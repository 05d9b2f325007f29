import { type DockerfileFacts, expand, mounts } from '../../../dockerfile/facts.js';
import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule, Violation } from '../../types.js';

/** Why an image reference moves under the same Dockerfile, or undefined when it is pinned. */
function unpinned(image: string): string | undefined {
  if (image.includes('@sha256:')) return undefined;
  // The tag is after the last colon that follows the last slash (a registry may have a port).
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon >= 0 ? image.slice(colon + 1) : '';
  if (tag === '') return 'has no tag, so it means latest';
  if (tag === 'latest') return 'uses the moving tag latest';
  return undefined;
}

/**
 * `--from` of COPY and of RUN --mount: a stage (by name or index), or an image pulled as it is
 * named. Variables without a default are left alone: the build decides them.
 */
function fromImages(dockerfile: DockerfileFacts): Violation[] {
  const out: Violation[] = [];
  dockerfile.stages.forEach((stage, index) => {
    const earlier = new Set(
      dockerfile.stages.slice(0, index).flatMap((s) => [String(s.index), ...(s.name ? [s.name] : [])]),
    );
    for (const step of stage.instructions) {
      const froms = [
        ...(step.keyword === 'COPY' ? step.flags.filter((f) => f.name === 'from').map((f) => f.value) : []),
        ...(step.keyword === 'RUN' ? mounts(step).flatMap((m) => m.get('from') ?? []) : []),
      ];
      for (const raw of froms) {
        const image = expand(raw, dockerfile.globalArgs, '\0');
        if (image.includes('\0') || earlier.has(image.toLowerCase())) continue;
        const problem = unpinned(image);
        const how = step.keyword === 'COPY' ? 'COPY --from' : 'RUN --mount=from';
        if (problem) out.push(at(dockerfile, step.line, `${how}=${image} ${problem}`));
      }
    }
  });
  return out;
}

/**
 * An unpinned image changes under the same Dockerfile: builds stop being repeatable. That holds for
 * base images and for the images COPY --from and RUN --mount=from pull.
 */
export const rule: DockerfileRule = {
  id: 'SLW-D001',
  docs: 'docs/rules/SLW-D001.md',
  title: 'Images pinned to a tag (FROM, COPY --from, RUN --mount=from)',
  severity: 'error',
  scope: 'dockerfile',
  hint: 'pin the image to a version tag (e.g. python:3.13-slim), optionally with @sha256:<digest>',
  run({ dockerfile }) {
    const bases = dockerfile.stages.flatMap((stage) => {
      // A FROM whose variable has no default names what the build's --build-arg says.
      if (stage.fromStage || stage.unresolved || stage.image === 'scratch') return [];
      const problem = unpinned(stage.image);
      return problem ? [at(dockerfile, stage.line, `FROM ${stage.image} ${problem}`)] : [];
    });
    return [...bases, ...fromImages(dockerfile)];
  },
};
