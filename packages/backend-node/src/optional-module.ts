import { createRequire } from 'node:module';

/** Resolves packages from this package's location (not the user's cwd), as Node would. */
const localRequire = createRequire(import.meta.url);

/** Whether an optional package is installed, without loading it (loading native ones is slow). */
export function isInstalled(name: string): boolean {
  try {
    localRequire.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** The installed version of a package, or "unknown". */
export function installedVersion(name: string): string {
  try {
    return (localRequire(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Loads an optional package; the error says how to install it. */
export async function loadOptional<T = unknown>(name: string, installHint: string): Promise<T> {
  if (!isInstalled(name)) {
    throw new Error(`${name} is not installed: ${installHint}`);
  }
  return (await import(name)) as T;
}
