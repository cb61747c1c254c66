import { createReadStream, promises as fsp } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

/** A running static file server on 127.0.0.1 (a free port). */
export interface StaticServer {
  /** e.g. "http://localhost:41234" — "localhost" because WebGPU needs a secure context. */
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.jsonl': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Parses one "bytes=a-b" range (the only form fetch and our UrlModelSource send). */
function parseRange(header: string, size: number): [number, number] | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start <= end && start < size ? [start, end] : null;
}

/**
 * Serves folders under URL prefixes, e.g. `{ '/': distDir, '/fixtures/': sharedFixtures }`, with
 * Range and HEAD support, so browser tests load model folders the way a real site serves them.
 * Paths that escape a mounted folder are refused.
 */
export async function serveStatic(mounts: Record<string, string>): Promise<StaticServer> {
  // Longest prefix first, so '/fixtures/' wins over '/'.
  const entries = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      let pathname = decodeURIComponent(url.pathname);
      if (pathname.endsWith('/')) pathname += 'index.html';
      const mount = entries.find(([prefix]) => pathname.startsWith(prefix));
      if (!mount) return void res.writeHead(404).end('not found');
      const root = path.resolve(mount[1]);
      const file = path.resolve(root, '.' + pathname.slice(mount[0].length - 1));
      if (file !== root && !file.startsWith(root + path.sep)) return void res.writeHead(403).end('forbidden');
      const stat = await fsp.stat(file).catch(() => null);
      if (!stat?.isFile()) return void res.writeHead(404).end('not found');
      const headers: http.OutgoingHttpHeaders = {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'accept-ranges': 'bytes',
        'cache-control': 'no-store',
      };
      const range = req.headers.range ? parseRange(req.headers.range, stat.size) : null;
      if (req.headers.range && !range) return void res.writeHead(416, { 'content-range': `bytes */${stat.size}` }).end();
      const [start, end] = range ?? [0, stat.size - 1];
      headers['content-length'] = stat.size === 0 ? 0 : end - start + 1;
      if (range) headers['content-range'] = `bytes ${start}-${end}/${stat.size}`;
      res.writeHead(range ? 206 : 200, headers);
      if (req.method === 'HEAD' || stat.size === 0) return void res.end();
      createReadStream(file, { start, end }).pipe(res);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
