import { formatClock, formatRate, formatSignificant, ProgressReporter, renderBar, type ProgressOptions } from '../../src/report/progress';

/** A reporter on a fake clock, collecting every write. */
function setup(options: Partial<ProgressOptions> = {}) {
  let t = 0;
  const writes: string[] = [];
  const reporter = new ProgressReporter({ total: 100, label: 'train', isTty: true, write: (s) => writes.push(s), now: () => t, ...options });
  return {
    reporter,
    writes,
    at(ms: number) {
      t = ms;
    },
    /** Everything written, joined. */
    get output() {
      return writes.join('');
    },
  };
}

const CLEAR = '\r\x1b[K';

describe('formatting helpers', () => {
  it('draws a 24-cell bar', () => {
    expect(renderBar(0)).toBe(`[>${' '.repeat(23)}]`);
    expect(renderBar(0.5)).toBe(`[${'='.repeat(12)}>${' '.repeat(11)}]`);
    expect(renderBar(1)).toBe(`[${'='.repeat(24)}]`);
    expect(renderBar(2)).toBe(renderBar(1));
    expect(renderBar(NaN)).toBe(renderBar(0));
    for (const f of [0, 0.1, 0.37, 0.99, 1]) expect(renderBar(f)).toHaveLength(26);
  });

  it('prints numbers to 4 significant digits', () => {
    expect(formatSignificant(0.43124)).toBe('0.4312');
    expect(formatSignificant(12.3456)).toBe('12.35');
    expect(formatSignificant(0.5)).toBe('0.5');
    expect(formatSignificant(3)).toBe('3');
    expect(formatSignificant(12345.678)).toBe('12350');
    expect(formatSignificant(0.0000123456)).toBe('1.235e-5');
    expect(formatSignificant(NaN)).toBe('NaN');
  });

  it('prints a rate as units/s, or s/unit below one a second', () => {
    expect(formatRate(12.34)).toBe('12.3 steps/s');
    expect(formatRate(3.456)).toBe('3.46 steps/s');
    expect(formatRate(250.4)).toBe('250 steps/s');
    expect(formatRate(0.4)).toBe('2.50 s/step');
    expect(formatRate(0.05)).toBe('20.0 s/step');
    expect(formatRate(2, 'batch')).toBe('2.00 batchs/s');
  });

  it('prints times as m:ss or h:mm:ss', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(83)).toBe('1:23');
    expect(formatClock(599.6)).toBe('10:00');
    expect(formatClock(3723)).toBe('1:02:03');
    expect(formatClock(Infinity)).toBe('--:--');
  });
});

describe('ProgressReporter on a TTY', () => {
  it('redraws one line in place with bar, count, percent, fields, rate, elapsed and ETA', () => {
    const p = setup();
    p.reporter.update(0, { epoch: '1/3' });
    p.at(1000);
    p.reporter.update(10, { epoch: '1/3', loss: 0.431234 });
    const last = p.writes[p.writes.length - 1];
    expect(last.startsWith(CLEAR)).toBe(true);
    expect(last).not.toContain('\n');
    expect(last).toContain(`train [${'='.repeat(2)}>${' '.repeat(21)}] 10/100 10%`);
    expect(last).toContain('epoch=1/3 loss=0.4312');
    expect(last).toContain('10.0 steps/s');
    expect(last).toContain('elapsed 0:01');
    expect(last).toContain('ETA 0:09'); // 90 steps left at 10 steps/s
  });

  it('draws at most ~10 times a second, but always the first and the final update', () => {
    const p = setup();
    for (let step = 0; step <= 100; step++) {
      p.at(step * 7); // an update every 7 ms
      p.reporter.update(step, {});
    }
    // 700 ms of updates: the first, then one per >= 100 ms, then the final one.
    expect(p.writes.length).toBeGreaterThanOrEqual(7);
    expect(p.writes.length).toBeLessThanOrEqual(9);
    expect(p.writes[0]).toContain(' 0/100 0%');
    expect(p.writes[p.writes.length - 1]).toContain(' 100/100 100%');
  });

  it('shows s/step for slow work and formats long ETAs as h:mm:ss', () => {
    const p = setup({ total: 2000 });
    p.reporter.update(0);
    p.at(2500);
    p.reporter.update(1);
    const last = p.writes[p.writes.length - 1];
    expect(last).toContain('2.50 s/step');
    expect(last).toContain(`ETA ${formatClock(1999 * 2.5)}`);
    expect(formatClock(1999 * 2.5)).toBe('1:23:18');
  });

  it('takes rate and ETA from recent updates, so a resumed run shows a sane rate', () => {
    const p = setup({ total: 1000 });
    // Resumed at step 500: the first update already says 500.
    p.at(60_000);
    p.reporter.update(500);
    expect(p.reporter.rate()).toBeUndefined();
    expect(p.writes[0]).toContain('ETA --:--');
    for (let i = 1; i <= 10; i++) {
      p.at(60_000 + i * 1000);
      p.reporter.update(500 + i);
    }
    expect(p.reporter.rate()).toBeCloseTo(1, 10);
    expect(p.reporter.etaSeconds()).toBeCloseTo(490, 6);
    expect(p.writes[p.writes.length - 1]).toContain('1.00 steps/s');
    expect(p.writes[p.writes.length - 1]).toContain('ETA 8:10');
  });

  it('follows a change of speed within the window', () => {
    const p = setup({ total: 10_000 });
    let t = 0;
    let step = 0;
    for (let i = 0; i < 30; i++) {
      p.at((t += 1000));
      p.reporter.update(++step);
    }
    expect(p.reporter.rate()).toBeCloseTo(1, 6);
    for (let i = 0; i < 25; i++) {
      p.at((t += 100));
      p.reporter.update(++step);
    }
    // The last 20 updates were all at 10 steps/s.
    expect(p.reporter.rate()).toBeCloseTo(10, 6);
  });

  it('seeds the window with `initial` for a resumed run', () => {
    const p = setup({ total: 1000, initial: 500 });
    p.at(2000);
    p.reporter.update(504);
    expect(p.reporter.rate()).toBeCloseTo(2, 10);
  });

  it('prints a message without breaking the bar: clear, message, redraw', () => {
    const p = setup();
    p.reporter.update(0);
    p.at(500);
    p.reporter.update(5, { loss: 0.5 });
    const before = p.writes.length;
    p.reporter.message('epoch 1 done: dev accuracy 0.8123');
    const after = p.writes.slice(before).join('');
    expect(after.startsWith(`${CLEAR}epoch 1 done: dev accuracy 0.8123\n${CLEAR}train [`)).toBe(true);
    expect(after).toContain('5/100 5% loss=0.5');
    expect(after.endsWith('\n')).toBe(false);
  });

  it('prints a message as a plain line before any bar is drawn', () => {
    const p = setup();
    p.reporter.message('loading model');
    expect(p.output).toBe('loading model\n');
  });

  it('finish prints the final state and a newline, once', () => {
    const p = setup();
    p.reporter.update(0);
    p.at(50);
    p.reporter.update(100); // final: drawn despite the throttle
    expect(p.writes[p.writes.length - 1]).toContain('100/100 100%');
    p.at(60);
    p.reporter.finish();
    const last = p.writes[p.writes.length - 1];
    expect(last.startsWith(CLEAR)).toBe(true);
    expect(last.endsWith('\n')).toBe(true);
    expect(last).toContain(`[${'='.repeat(24)}] 100/100 100%`);
    expect(last).not.toContain('ETA');
    const n = p.writes.length;
    p.reporter.finish();
    p.reporter.update(100);
    expect(p.writes).toHaveLength(n);
  });

  it('cuts the line to the terminal width', () => {
    const p = setup({ columns: 40 });
    p.reporter.update(3, { loss: 0.25, lr: 0.00002 });
    expect(p.writes[0].length).toBe(CLEAR.length + 39);
  });
});

describe('ProgressReporter elsewhere (not a TTY)', () => {
  it('prints the first update, then one line per interval, then the last; no escape codes', () => {
    const p = setup({ isTty: false, total: 60, plainEverySeconds: 10 });
    for (let step = 0; step <= 60; step++) {
      p.at(step * 1000); // one step a second
      p.reporter.update(step, { epoch: '1/1' });
    }
    p.at(61_000);
    p.reporter.finish();
    const lines = p.output.split('\n').filter(Boolean);
    expect(p.output).not.toMatch(/[\r\x1b]/);
    expect(p.writes.every((w) => w.endsWith('\n'))).toBe(true);
    // steps 0, 10, 20, ..., 60 (the last coincides with an interval): no duplicate at finish.
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['0/60', '10/60', '20/60', '30/60', '40/60', '50/60', '60/60']);
    expect(lines[0]).toBe('train: 0/60 (0%) epoch=1/1 elapsed 0:00 ETA --:--');
    expect(lines[3]).toBe('train: 30/60 (50%) epoch=1/1 1.00 steps/s elapsed 0:30 ETA 0:30');
    expect(lines[6]).toBe('train: 60/60 (100%) epoch=1/1 1.00 steps/s elapsed 1:00');
  });

  it('always prints the last update even between intervals', () => {
    const p = setup({ isTty: false, total: 5 });
    for (let step = 0; step <= 5; step++) {
      p.at(step * 100);
      p.reporter.update(step);
    }
    const lines = p.output.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('5/5 (100%)');
  });

  it('finish prints the final state when the last update was not printed', () => {
    const p = setup({ isTty: false, total: 100 });
    p.reporter.update(0);
    p.at(3000);
    p.reporter.update(40, { loss: 1.5 });
    p.at(4000);
    p.reporter.finish(); // e.g. stopped early
    const lines = p.output.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('train: 40/100 (40%) loss=1.5 13.3 steps/s elapsed 0:04 ETA 0:05');
  });

  it('prints messages as plain lines', () => {
    const p = setup({ isTty: false });
    p.reporter.update(1);
    p.reporter.message('checkpoint saved');
    expect(p.writes[p.writes.length - 1]).toBe('checkpoint saved\n');
  });
});

describe('quiet', () => {
  it.each([true, false])('writes nothing (isTty %s)', (isTty) => {
    const p = setup({ isTty, quiet: true });
    p.reporter.update(0);
    p.at(100_000);
    p.reporter.update(50, { loss: 1 });
    p.reporter.message('hello');
    p.reporter.update(100);
    p.reporter.finish();
    expect(p.writes).toEqual([]);
    // ... but still tracks the rate, for callers that log it themselves.
    expect(p.reporter.rate()).toBeCloseTo(1, 10); // 100 steps in 100 s
  });
});
