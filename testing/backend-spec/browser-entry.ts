// The backend spec as a page: bundled by backend-web's Chromium test, opened as
// `/?backend=webgpu&tolerance=1e-4`, fixtures fetched from `/fixtures/` (the shared folder).
// The outcome is left on `window.__backendSpec` for the test to read.
import { UrlModelSource, useWebBackend } from '@maxpoolbert/backend-web';
import type { BackendInfo } from '@maxpoolbert/core';
import { backendSpecCases, runBackendSpec, type SpecResult } from './spec-cases';
import { HEADS_FIXTURE_NAMES, type SpecFixtures } from './spec-fixtures';

interface BackendSpecPage {
  info?: BackendInfo;
  results?: SpecResult[];
  error?: string;
}

const page = window as unknown as { __backendSpec?: BackendSpecPage };

async function main(): Promise<BackendSpecPage> {
  const params = new URLSearchParams(location.search);
  const backend = params.get('backend') ?? 'webgpu';
  const tolerance = Number(params.get('tolerance') ?? '1e-4');
  const info = await useWebBackend({ prefer: backend, wasmPaths: '/wasm/' });
  const open = (path: string) => UrlModelSource.open(new URL(path, location.href).href);
  const fixtures: SpecFixtures = {
    tinyBert: await open('/fixtures/tiny-bert/'),
    tinyBertMlm: await open('/fixtures/tiny-bert-mlm/'),
    tinyRoberta: await open('/fixtures/tiny-roberta/'),
    tinyDistilbert: await open('/fixtures/tiny-distilbert/'),
    heads: await Promise.all(HEADS_FIXTURE_NAMES.map(async (name) => ({ name, source: await open(`/fixtures/heads/${name}/`) }))),
  };
  const results = await runBackendSpec(backendSpecCases({ tolerance }, HEADS_FIXTURE_NAMES), fixtures, (r) => {
    console.log(`[${info.name}] ${r.ok ? 'ok' : 'FAILED'} ${r.name}: ${r.ms} ms, ${r.detail}`);
  });
  return { info, results };
}

main().then(
  (outcome) => void (page.__backendSpec = outcome),
  (err: Error) => void (page.__backendSpec = { error: err.stack ?? String(err) }),
);
