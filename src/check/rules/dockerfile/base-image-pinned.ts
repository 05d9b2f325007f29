import { at } from '../../dockerfile/violation.js';
import type { DockerfileRule } from '../../types.js';

/** An unpinned base image changes under the same Dockerfile: builds stop being repeatable. */
export const rule: DockerfileRule = {
  id: 'SLW-D001',
  docs: 'docs/rules/SLW-D001.md',
  title: 'Base image tag pinned',
  severity: 'error',
  scope: 'dockerfile',
  hint: 'pin the base image to a version tag (e.g. python:3.13-slim), optionally with @sha256:<digest>',
  run({ dockerfile }) {
    return dockerfile.stages.flatMap((stage) => {
      if (stage.fromStage || stage.image === 'scratch') return [];
      const image = stage.image;
      if (image.includes('@sha256:')) return [];
      // The tag is after the last colon that follows the last slash (a registry may have a port).
      const lastSlash = image.lastIndexOf('/');
      const colon = image.indexOf(':', lastSlash + 1);
      const tag = colon >= 0 ? image.slice(colon + 1) : '';
      if (tag === '') return [at(dockerfile, stage.line, `FROM ${image} has no tag, so it means latest`)];
      if (tag === 'latest') return [at(dockerfile, stage.line, `FROM ${image} uses the moving tag latest`)];
      return [];
    });
  },
};
