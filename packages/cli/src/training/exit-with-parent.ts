/**
 * `compare --parallel` trains each run in a child `train` process. Killed with SIGKILL, the
 * compare cannot stop them, and they would train on for hours nobody waits for (and hold their
 * run folders). So each child is told its parent's pid and exits once it is no longer its child:
 * an orphan is re-parented (to init or a subreaper), which `process.ppid` shows at once.
 */

/** The environment variable through which a compare tells its children its pid. */
export const PARENT_PID_ENV = 'MAXPOOLBERT_PARENT_PID';

/** The exit status of a child that stopped because its compare was gone. */
export const PARENT_GONE_EXIT = 3;

/**
 * When `env` names a parent pid, checks every `everyMs` that the parent is still there and exits
 * the process when it is not (the exit handlers release the run folder's lock; the last
 * checkpoint stays for a resume). Returns a function that stops watching.
 */
export function exitWithParent(env: NodeJS.ProcessEnv = process.env, everyMs = 250): () => void {
  const parent = Number(env[PARENT_PID_ENV]);
  if (!Number.isInteger(parent) || parent <= 0) return () => undefined;
  const check = () => {
    if (process.ppid !== parent) process.exit(PARENT_GONE_EXIT);
  };
  check(); // the parent may be gone already
  const timer = setInterval(check, everyMs);
  timer.unref(); // never what keeps the process alive
  return () => clearInterval(timer);
}
