import type { BuildOutcome } from '../build/image.js';
import type { ProgressEvent } from '../build/progress.js';

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

function truncate(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/** The image id, size, tags and a table of layers (size, the instruction that made it). */
export function renderBuildSummary(outcome: BuildOutcome): string {
  const lines = [
    `image    ${outcome.tags.join(', ')}`,
    `id       ${outcome.imageId}`,
    `size     ${formatBytes(outcome.size)}`,
    `built in ${(outcome.durationMs / 1000).toFixed(1)}s, ${outcome.steps.cached}/${outcome.steps.total} steps from cache`,
    '',
    `${'SIZE'.padStart(10)}  CREATED BY`,
  ];
  for (const layer of outcome.layers) {
    if (layer.empty) continue;
    lines.push(
      `${formatBytes(layer.size).padStart(10)}  ${truncate(layer.createdBy || '(base image)', 100)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Live build progress. On a terminal the running step's line updates in place with its elapsed
 * time; elsewhere each step prints one line when it finishes.
 */
export function progressPrinter(stream: NodeJS.WriteStream, tty: boolean) {
  let current: { name: string; started: number } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const redraw = () => {
    if (!current) return;
    const seconds = ((Date.now() - current.started) / 1000).toFixed(1);
    const width = (stream.columns ?? 100) - 12;
    stream.write(`\r\u001b[K  ${seconds.padStart(5)}s ${truncate(current.name, width)}`);
  };
  return {
    onStep(event: ProgressEvent): void {
      const { step } = event;
      if (event.kind === 'start') {
        current = { name: step.name, started: Date.now() };
        if (tty) {
          redraw();
          timer ??= setInterval(redraw, 200);
        }
        return;
      }
      const status =
        step.status === 'cached' ? 'cached' : step.status === 'error' ? 'FAILED' : `${step.seconds ?? 0}s`;
      const line = `  ${status.padStart(6)} ${truncate(step.name, tty ? 110 : 400)}`;
      stream.write(tty ? `\r\u001b[K${line}\n` : `${line}\n`);
      if (current?.name === step.name) current = undefined;
    },
    stop(): void {
      if (timer) clearInterval(timer);
      if (tty && current) stream.write('\r\u001b[K');
    },
  };
}
