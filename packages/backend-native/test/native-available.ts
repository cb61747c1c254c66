import { nativeUnavailableReason } from '../src/index';

/**
 * Whether this machine has the native addon. Outside CI a machine without it (no libdnnl-dev)
 * skips the native tests, saying why; in CI (.ci/run installs it) that is a failure.
 */
export function nativeMissing(): string | null {
  const reason = nativeUnavailableReason();
  if (!reason) return null;
  if (process.env.CI) throw new Error(`the native addon is missing (${reason}): CI must test the native backend`);
  console.warn(`skipping the native backend tests: ${reason}`);
  return reason;
}
