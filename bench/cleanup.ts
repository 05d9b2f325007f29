/** Containers the bench starts carry `io.slipway.bench=<pid>`, so that cleanup finds them all. */
export const BENCH_LABEL = 'io.slipway.bench';

/**
 * Everything the bench creates (containers, images, temp folders) registers its removal here;
 * it runs once, at the end or on Ctrl-C, newest first, and one failing step does not stop the rest.
 */
export class Cleanup {
  private readonly tasks: { readonly what: string; readonly run: () => Promise<void> }[] = [];
  private done: Promise<void> | undefined;
  /** Set once a signal arrived: the errors that follow are the interruption, not failures. */
  interrupted = false;

  add(what: string, run: () => Promise<void>): void {
    this.tasks.push({ what, run });
  }

  run(): Promise<void> {
    this.done ??= (async () => {
      for (const task of [...this.tasks].reverse()) {
        try {
          await task.run();
        } catch (error) {
          process.stderr.write(`bench: could not remove ${task.what}: ${String(error)}\n`);
        }
      }
    })();
    return this.done;
  }

  /** Ctrl-C (or a TERM from a CI runner) still removes what was created, then exits 130. */
  exitOnSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        this.interrupted = true;
        process.stderr.write(`bench: ${signal}, removing what the bench created\n`);
        void this.run().finally(() => process.exit(130));
      });
    }
  }
}
