/**
 * Runs units that may depend on others, several at a time: a unit starts once every unit it
 * requires (among those given) has finished, in the order given, at most `limit` at once. What a
 * unit does with a failed requirement is its own business; the schedule only orders.
 */
export interface Schedulable {
  readonly id: string;
  readonly requires?: readonly string[];
}

export async function runScheduled<T extends Schedulable>(
  units: readonly T[],
  limit: number,
  run: (unit: T) => Promise<void>,
  stopped: () => boolean = () => false,
): Promise<void> {
  const known = new Set(units.map((unit) => unit.id));
  const done = new Set<string>();
  const waiting = [...units];
  const running = new Map<string, Promise<string>>();
  const ready = (unit: T) => (unit.requires ?? []).every((id) => done.has(id) || !known.has(id));
  while (waiting.length > 0 || running.size > 0) {
    if (stopped()) break;
    for (let i = 0; i < waiting.length && running.size < Math.max(1, limit); ) {
      const unit = waiting[i] as T;
      if (!ready(unit)) {
        i++;
        continue;
      }
      waiting.splice(i, 1);
      running.set(
        unit.id,
        run(unit).then(() => unit.id),
      );
    }
    if (running.size === 0) {
      // Only a requirement cycle leaves units waiting with nothing running.
      throw new Error(`verify checks wait on each other: ${waiting.map((unit) => unit.id).join(', ')}`);
    }
    const finished = await Promise.race(running.values());
    running.delete(finished);
    done.add(finished);
  }
  // Let units already started settle (an interrupt stops new ones only).
  await Promise.allSettled(running.values());
}
