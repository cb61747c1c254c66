import { nativeUnavailableReason } from '@maxpoolbert/backend-native';

/**
 * Whether the native backend loads here. Outside CI a machine without its addon (no
 * libdnnl-dev) skips the CLI's native tests, saying why; in CI (.ci/run installs it) that is a
 * failure.
 */
function nativeMissingReason(): string | null {
  const reason = nativeUnavailableReason();
  if (!reason) return null;
  if (process.env.CI) throw new Error(`the native addon is missing (${reason}): CI must test the native backend`);
  console.warn(`skipping the CLI's native backend tests: ${reason}`);
  return reason;
}

const missing = nativeMissingReason();

/** `it` where the native backend loads, `it.skip` (with a printed reason) elsewhere. */
export const itNative: jest.It = missing === null ? it : it.skip;
