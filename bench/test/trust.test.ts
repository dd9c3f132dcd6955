import { describe, expect, it } from 'vitest';
import { type MachineProbe, settledRunContext } from '../machine.ts';
import { median, refusals, tooWide } from '../trust.ts';

describe('the rule of trust.ts', () => {
  it('accepts every round within ±15 % of the median, refuses one outside', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(tooWide([0.86, 1, 1, 1, 1.14])).toBeUndefined();
    expect(tooWide([0.84, 1, 1, 1, 1])).toContain('min below 0.85 × median');
    expect(tooWide([1, 1, 1, 1, 1.16])).toContain('max above 1.15 × median');
    expect(tooWide([1, Number.NaN, 1, 1, 1])).toContain('not a positive finite figure');
  });

  it('refuses a load average above the CPU count, and accepts one equal to it', () => {
    const measured = { rounds: 5, pinned: true, errors: 0, ratios: [{ label: 'x', values: [1] }] };
    expect(refusals({ load: 2, cpus: 2 }, measured)).toEqual([]);
    expect(refusals({ load: 2.01, cpus: 2 }, measured)).toHaveLength(1);
    expect(refusals({ load: 0.2, cpus: 2 }, { ...measured, ratios: [] })).toEqual([
      'no ratio was measured',
    ]);
  });

  it('reads the load once it has settled, waiting a bounded time', async () => {
    const loads = [4, 3, 1.5, 9];
    let slept = 0;
    const probe: MachineProbe = {
      loadavg: () => [loads.shift() ?? 9, 0, 0],
      cpus: () => 2,
      model: () => 'Test CPU',
      sleep: async () => {
        slept++;
      },
      now: () => new Date(0),
    };
    const run = await settledRunContext(60, probe);
    expect(slept).toBe(2);
    expect(run.load).toBe(1.5); // the last reading, when the run begins
    expect(run.loadAverages).toEqual([1.5, 0, 0]);
    const stuck = { ...probe, loadavg: () => [5, 5, 5] };
    expect((await settledRunContext(0, stuck)).load).toBe(5);
  });
});
