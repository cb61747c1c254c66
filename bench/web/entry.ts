// One benchmark in a browser page, with core's backend-agnostic bench code: opened as
// `/?backend=webgpu&preset=mini&mode=train&head=cls&batch=8&seq=128&warmup=1&runs=3`.
// The record (or the error) is left on `window.__bench` for run-web-bench to collect.
import { useWebBackend } from '@maxpoolbert/backend-web';
import { runBench, type BenchRecord, type BertPreset } from '@maxpoolbert/core';
import '@maxpoolbert/heads';

const page = window as unknown as { __bench?: { record?: BenchRecord & { backend: string; device: string }; error?: string } };

async function main() {
  const q = new URLSearchParams(location.search);
  const int = (name: string, fallback: number) => Number(q.get(name) ?? fallback);
  const info = await useWebBackend({ prefer: q.get('backend') ?? 'webgpu', wasmPaths: '/wasm/' });
  const record = await runBench({
    mode: q.get('mode') === 'train' ? 'train' : 'inference',
    preset: (q.get('preset') ?? 'mini') as BertPreset,
    head: { type: q.get('head') ?? 'cls' },
    batch: int('batch', 8),
    seq: int('seq', 128),
    warmup: int('warmup', 1),
    runs: int('runs', 3),
    onRun: ({ index, warmup, ms }) => console.log(`${warmup ? 'warm-up' : 'run'} ${index}: ${ms.toFixed(0)} ms`),
  });
  return { ...record, backend: `chromium-${info.name}`, device: info.device };
}

main().then(
  (record) => void (page.__bench = { record }),
  (err: Error) => void (page.__bench = { error: err.stack ?? String(err) }),
);
