/**
 * Runs `tasks` with at most `limit` at a time; resolves with their results in input order.
 * After a task fails no new one starts, and `signal` (given to every task) is aborted so those
 * still running can stop early; the pool then rejects with the first failure once they settled
 * (nothing is left running behind the caller's back).
 */
export async function runPool<T>(tasks: ((signal: AbortSignal) => Promise<T>)[], limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  const failed = new AbortController();
  let failure: { error: unknown } | undefined;
  let next = 0;
  const worker = async () => {
    while (next < tasks.length && !failure) {
      const i = next++;
      try {
        results[i] = await tasks[i](failed.signal);
      } catch (error) {
        failure ??= { error };
        failed.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}
