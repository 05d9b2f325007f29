import { fail, pass, type VerifyCheck } from '../check.js';

const MB = 1_000_000;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** The image's uncompressed size against the budget, with the largest layers as evidence. */
export const sizeCheck: VerifyCheck = {
  id: 'verify.size',
  severity: 'error',
  docs: 'docs/commands/verify.md#verify.size',
  title: 'image size is under the budget',
  hint: 'keep build tools in the builder stage, install with --no-dev, and start FROM a slim base',
  async run({ engine, image, imageInfo, target }) {
    const budget = target.sizeBudgetMb * MB;
    const layers = await engine.history(image).catch(() => []);
    const largest = [...layers]
      .filter((layer) => !layer.empty)
      .sort((a, b) => b.size - a.size)
      .slice(0, 3)
      .map(
        (layer) => `layer ${mb(layer.size)}: ${layer.createdBy.slice(0, 120) || '(base image, imported)'}`,
      );
    const evidence = [
      `size ${mb(imageInfo.size)} (${imageInfo.size} bytes), budget ${target.sizeBudgetMb} MB`,
      ...largest,
    ];
    if (imageInfo.size <= budget) {
      return pass(`${mb(imageInfo.size)}, under the ${target.sizeBudgetMb} MB budget`, evidence);
    }
    return fail(
      `${mb(imageInfo.size)} is over the ${target.sizeBudgetMb} MB budget by ${mb(imageInfo.size - budget)}`,
      evidence,
    );
  },
};
