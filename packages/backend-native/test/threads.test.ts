import { configureThreads, loadNativeAddon, type NativeAddon } from '../src/index';
import { nativeMissing } from './native-available';

/** An addon whose pool is only a number, to test the choice without touching the real pool. */
function fakeAddon(cores: number, current: number): NativeAddon & { pool: number } {
  const fake = {
    pool: current,
    setThreads: (n: number) => (fake.pool = n),
    getThreads: () => fake.pool,
    libraryInfo: () => ({ library: 'oneDNN test', cpuRuntime: 'OpenMP', threads: fake.pool, cores }),
  };
  return fake as unknown as NativeAddon & { pool: number };
}

describe('the thread pool size', () => {
  it('is every core by default', () => {
    const addon = fakeAddon(16, 3);
    expect(configureThreads(addon, undefined, {})).toEqual({ threads: 16, source: 'default' });
    expect(addon.pool).toBe(16);
  });

  it('is the requested count', () => {
    const addon = fakeAddon(16, 16);
    expect(configureThreads(addon, 4, {})).toEqual({ threads: 4, source: 'option' });
    expect(addon.pool).toBe(4);
  });

  it('respects OMP_NUM_THREADS and never overrides it, saying so when a request differs', () => {
    const addon = fakeAddon(16, 2); // OpenMP read OMP_NUM_THREADS=2 when it started
    expect(configureThreads(addon, undefined, { OMP_NUM_THREADS: '2' })).toEqual({ threads: 2, source: 'environment' });
    const choice = configureThreads(addon, 8, { OMP_NUM_THREADS: '2' });
    expect(choice).toEqual({ threads: 2, source: 'environment', note: 'threads 8 not applied: OMP_NUM_THREADS=2 is set and is respected' });
    expect(addon.pool).toBe(2);
  });

  it('rejects a count that is not a whole number ≥ 1', () => {
    expect(() => configureThreads(fakeAddon(2, 2), 0, {})).toThrow('threads must be a whole number ≥ 1 (got 0)');
    expect(() => configureThreads(fakeAddon(2, 2), 1.5, {})).toThrow(/got 1.5/);
  });

  (nativeMissing() ? it.skip : it)('resizes the real pool (OpenMP’s, shared with oneDNN)', () => {
    const addon = loadNativeAddon()!;
    const before = addon.getThreads();
    try {
      expect(addon.setThreads(1)).toBe(1);
      expect(addon.getThreads()).toBe(1);
      expect(addon.libraryInfo()).toMatchObject({ library: expect.stringMatching(/^oneDNN \d+\.\d+/), cpuRuntime: 'OpenMP', threads: 1 });
      expect(() => addon.setThreads(0)).toThrow('threads must be between 1 and 4096');
    } finally {
      addon.setThreads(before);
    }
  });
});
