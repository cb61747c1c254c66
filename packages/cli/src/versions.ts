import { createRequire } from 'node:module';

const localRequire = createRequire(import.meta.url);

/** Version of an installed package as this CLI resolves it, or "not installed". */
export function packageVersion(name: string): string {
  try {
    return (localRequire(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}
