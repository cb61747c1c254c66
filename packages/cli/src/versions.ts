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

/** Node's and our packages' versions, as `maxpoolbert info` and benchmark results report them. */
export function collectVersions(): Record<string, string> {
  const versions: Record<string, string> = { node: process.versions.node };
  for (const pkg of ['@maxpoolbert/cli', '@maxpoolbert/core', '@maxpoolbert/heads', '@maxpoolbert/backend-node', '@maxpoolbert/backend-native', '@tensorflow/tfjs-core']) {
    versions[pkg] = packageVersion(pkg);
  }
  return versions;
}
