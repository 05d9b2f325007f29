import { describe, expect, it } from 'vitest';
import { runScheduled } from '../../../src/verify/schedule.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recorder() {
  const events: string[] = [];
  let running = 0;
  let peak = 0;
  return {
    events,
    peak: () => peak,
    run: (delays: Record<string, number>) => async (unit: { id: string }) => {
      running++;
      peak = Math.max(peak, running);
      events.push(`start ${unit.id}`);
      await tick(delays[unit.id] ?? 1);
      events.push(`end ${unit.id}`);
      running--;
    },
  };
}

describe('runScheduled', () => {
  it('starts a unit only after what it requires has finished', async () => {
    const r = recorder();
    const units = [{ id: 'starts' }, { id: 'size' }, { id: 'answers', requires: ['starts'] }];
    await runScheduled(units, 4, r.run({ starts: 30, size: 5, answers: 1 }));
    expect(r.events.indexOf('start answers')).toBeGreaterThan(r.events.indexOf('end starts'));
    // Independent units overlap.
    expect(r.events.indexOf('start size')).toBeLessThan(r.events.indexOf('end starts'));
  });

  it('never runs more than the limit at once, and runs everything', async () => {
    const r = recorder();
    const units = Array.from({ length: 9 }, (_, i) => ({ id: `u${i}` }));
    await runScheduled(units, 3, r.run({}));
    expect(r.peak()).toBe(3);
    expect(r.events.filter((e) => e.startsWith('end')).length).toBe(9);
  });

  it('runs one at a time with a limit of 1, in the order given', async () => {
    const r = recorder();
    await runScheduled([{ id: 'a' }, { id: 'b' }, { id: 'c' }], 1, r.run({ a: 5 }));
    expect(r.events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('treats a requirement that is not scheduled as met (the unit decides what that means)', async () => {
    const r = recorder();
    await runScheduled([{ id: 'answers', requires: ['starts'] }], 2, r.run({}));
    expect(r.events).toEqual(['start answers', 'end answers']);
  });

  it('refuses a requirement cycle instead of waiting forever', async () => {
    const r = recorder();
    await expect(
      runScheduled(
        [
          { id: 'a', requires: ['b'] },
          { id: 'b', requires: ['a'] },
        ],
        2,
        r.run({}),
      ),
    ).rejects.toThrow(/wait on each other: a, b/);
  });

  it('starts nothing new once stopped, and lets started units settle', async () => {
    const r = recorder();
    let stop = false;
    const units = [{ id: 'a' }, { id: 'b', requires: ['a'] }];
    await runScheduled(
      units,
      2,
      async (unit) => {
        await r.run({ a: 5 })(unit);
        stop = true;
      },
      () => stop,
    );
    expect(r.events).toEqual(['start a', 'end a']);
  });
});
