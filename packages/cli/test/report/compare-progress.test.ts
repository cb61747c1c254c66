import { CompareProgress, type CompareProgressOptions } from '../../src/report/compare-progress';

/** A compare progress on a fake clock, collecting every write. */
function setup(options: Partial<CompareProgressOptions> = {}) {
  let t = 0;
  const writes: string[] = [];
  const progress = new CompareProgress({ runs: 4, stepsPerRun: 100, isTty: false, write: (s) => writes.push(s), now: () => t, ...options });
  return {
    progress,
    writes,
    at(ms: number) {
      t = ms;
    },
  };
}

const CLEAR = '\r\x1b[K';

describe('CompareProgress (plain lines, not a terminal)', () => {
  it('prints the run in flight at its first step, then a line every 10 s', () => {
    const { progress, writes, at } = setup();
    progress.runStarted('a', 'cls seed 1');
    at(1000);
    progress.step('a', 1, 100);
    expect(writes).toEqual(['compare: 0% 0/4 runs done, in flight: cls seed 1 1/100; elapsed 0:01, ETA --:-- (whole compare)\n']);
    for (let s = 2; s <= 50; s++) {
      at(1000 + (s - 1) * 200); // 5 steps a second
      progress.step('a', s, 100);
    }
    expect(writes).toHaveLength(1); // 9.8 s since the first line
    at(11_200);
    progress.step('a', 51, 100);
    expect(writes).toHaveLength(2);
    // Recent rate: 50 steps in 10.2 s. ETA: 349 steps left (49 of this run, 3 runs of 100) at
    // the pace since the run started (51 steps in 11.2 s): 77 s.
    expect(writes[1]).toBe('compare: 12% 0/4 runs done, in flight: cls seed 1 51/100; 4.90 steps/s, elapsed 0:11, ETA 1:17 (whole compare)\n');
  });

  it('gives the ETA of the whole compare, over every run left, at the pace so far (evaluations included)', () => {
    const { progress, at } = setup({ quiet: true });
    progress.runStarted('a', 'cls seed 1');
    at(2_000); // loading the model
    progress.step('a', 1, 100);
    at(12_000);
    progress.step('a', 51, 100);
    expect(progress.rate()).toBeCloseTo(5, 10); // 50 steps in the last 10 s
    expect(progress.stepsLeft()).toBe(49 + 3 * 100);
    expect(progress.etaSeconds()).toBeCloseTo(349 / (51 / 12), 10); // 51 steps since the start, 12 s ago
    // The run ends early (early stopping): its steps are no longer left. An evaluation took 8 s.
    progress.runFinished('a', 'done');
    at(20_000);
    expect(progress.stepsLeft()).toBe(300);
    expect(progress.etaSeconds()).toBeCloseTo(300 / (51 / 20), 10);
  });

  it('counts runs found finished as done, and a resumed run from where it resumes', () => {
    const { progress, writes, at } = setup();
    progress.alreadyFinished('a', 'cls seed 1');
    progress.alreadyFinished('b', 'cls seed 2');
    progress.runStarted('c', 'mha seed 1', 60);
    expect(progress.stepsLeft()).toBe(40 + 100);
    at(500);
    progress.step('c', 61, 100);
    at(1500);
    progress.step('c', 71, 100);
    // 11 steps trained in this invocation (in 1.5 s), not 71.
    expect(progress.etaSeconds()).toBeCloseTo((29 + 100) / (11 / 1.5), 10);
    expect(writes[0]).toBe('compare: 65% 2/4 runs done, in flight: mha seed 1 61/100; elapsed 0:01, ETA --:-- (whole compare)\n');
  });

  it('shows every run in flight (--parallel), and prints finished runs as they come', () => {
    const { progress, writes, at } = setup();
    progress.runStarted('a', 'cls seed 1');
    progress.runStarted('b', 'cls seed 2');
    at(100);
    progress.step('b', 3, 100);
    expect(writes[0]).toContain('in flight: cls seed 1 0/100, cls seed 2 3/100;');
    progress.runFinished('a', '[1/4] cls seed 1: accuracy 0.8000 in 9.0s');
    expect(writes[1]).toBe('[1/4] cls seed 1: accuracy 0.8000 in 9.0s\n');
    progress.runStopped('b');
    at(20_000);
    progress.runStarted('c', 'mha seed 1');
    progress.step('c', 1, 100);
    expect(writes[2]).toContain('1/4 runs done, in flight: mha seed 1 1/100;');
  });

  it('prints nothing when quiet', () => {
    const { progress, writes } = setup({ quiet: true });
    progress.runStarted('a', 'cls seed 1');
    progress.step('a', 1, 100);
    progress.runFinished('a', 'done');
    progress.finish();
    expect(writes).toEqual([]);
  });
});

describe('CompareProgress on a terminal', () => {
  it('redraws one line in place, at most 10 times a second, and keeps it under printed lines', () => {
    const { progress, writes, at } = setup({ isTty: true });
    progress.runStarted('a', 'cls seed 1');
    at(0);
    progress.step('a', 1, 100);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(new RegExp(`^${CLEAR.replace(/[[\\]/g, '\\$&')}compare \\[>? *\\] 0% 0/4 runs done, in flight: cls seed 1 1/100  elapsed 0:00  ETA --:--$`));
    at(50);
    progress.step('a', 2, 100);
    expect(writes).toHaveLength(1); // too soon
    at(150);
    progress.step('a', 3, 100);
    expect(writes).toHaveLength(2);
    expect(writes[1]).toContain('cls seed 1 3/100');
    expect(writes[1]).toContain('steps/s');
    progress.message('[1/4] cls seed 1: accuracy 0.8000 in 9.0s');
    expect(writes[2]).toBe(`${CLEAR}[1/4] cls seed 1: accuracy 0.8000 in 9.0s\n`);
    expect(writes[3]!.startsWith(`${CLEAR}compare [`)).toBe(true);
    progress.finish();
    expect(writes[writes.length - 1]).toBe(CLEAR);
  });

  it('cuts the line to the terminal width', () => {
    const { progress, writes } = setup({ isTty: true, columns: 40 });
    progress.runStarted('a', 'a-very-long-plugin-head-name seed 12');
    progress.step('a', 1, 100);
    expect(writes[0]!.length).toBe(CLEAR.length + 39);
  });
});
