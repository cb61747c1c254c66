import { errorMessage, MaxPoolBertError, type ModelSource } from '@maxpoolbert/core';
import type { ModelCache } from './model-cache.js';

/** Download progress of one file, and of everything this source has fetched so far. */
export interface DownloadProgress {
  /** File name inside the folder, e.g. "model.safetensors". */
  file: string;
  /** Bytes of this file received so far. */
  loaded: number;
  /** This file's size, or null while the server has not said (no Content-Length). */
  total: number | null;
  /** Bytes received for every file of the folder so far. */
  loadedAll: number;
  /**
   * Sum of the sizes of every file started so far, or null while one of them is unknown. It
   * grows as the loader moves on to the next file: the folder's file list is not known up front.
   */
  totalAll: number | null;
  /** Set on the single event of a file that came from the cache (loaded = total). */
  fromCache?: boolean;
}

export interface UrlModelSourceOptions {
  /** Called as bytes arrive (and once per file read from the cache). */
  onProgress?: (p: DownloadProgress) => void;
  /** Where downloaded files are kept: a hit needs no network, a miss downloads and stores the file. */
  cache?: ModelCache;
  /** The fetch to use (default: the global one), e.g. to add credentials or count requests. */
  fetch?: typeof fetch;
  /** The folder's files, when known: `has()` then answers without HEAD requests. */
  files?: string[];
  /** Extra request headers, e.g. `{ Authorization: 'Bearer …' }` for a private model. */
  headers?: Record<string, string>;
  /** Where notes go (a cache that could not store a file); default console.warn. */
  log?: (message: string) => void;
}

const FOLDER_HINT = 'is this a model folder URL (config.json, vocab.txt, model.safetensors)?';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  408: 'Request Timeout', 410: 'Gone', 416: 'Range Not Satisfiable', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

function statusLine(status: number, statusText: string): string {
  return `${status} ${statusText || STATUS_TEXT[status] || 'HTTP error'}`;
}

/** "<status> <text> for <url>: <what to check>" */
function httpError(status: number, statusText: string, url: string): MaxPoolBertError {
  const hint =
    status === 404 || status === 410 ? FOLDER_HINT
    : status === 401 || status === 403 ? 'the server refused access: check that the files are public, or pass the headers it needs (e.g. an Authorization token)'
    : status === 429 ? 'the server is rate limiting requests: wait and retry'
    : status >= 500 ? 'the server failed: retry later, or check its logs'
    : 'check the URL and the server';
  return new MaxPoolBertError(`${statusLine(status, statusText)} for ${url}: ${hint}`, { file: url });
}

/** The body's size when the server states it (not when it is compressed: then it is the wire size). */
function contentLength(res: Response): number | null {
  const encoding = res.headers.get('content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') return null;
  const value = res.headers.get('content-length');
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}

/** Start and total size from "Content-Range: bytes a-b/total" (total may be "*"). */
function contentRange(res: Response): { start: number; total: number | null } | null {
  const m = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(res.headers.get('content-range')?.trim() ?? '');
  return m ? { start: Number(m[1]), total: m[3] === '*' ? null : Number(m[3]) } : null;
}

function resolveBase(baseUrl: string): URL {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  let url: URL;
  try {
    url = new URL(baseUrl, page);
  } catch {
    throw new MaxPoolBertError(
      `not a valid model folder URL: "${baseUrl}" (give an absolute URL such as https://example.com/models/bert/, or a path relative to the page)`,
      { file: baseUrl },
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.hash = '';
  return url;
}

interface HeadInfo {
  exists: boolean;
  size: number | null;
  status: number;
  statusText: string;
}

/**
 * A model folder on a web server (or CDN, or Hugging Face `resolve/main/` URL). Small files are
 * fetched whole with progress; large checkpoints are read a tensor at a time with Range
 * requests, unless a cache is given: then every file is downloaded once, whole, and stored in
 * IndexedDB, and later loads need no network at all.
 */
export class UrlModelSource implements ModelSource {
  /** The folder's URL, without the trailing slash. */
  readonly location: string;
  private readonly base: URL;
  private readonly fetchImpl: typeof fetch;
  private readonly log: (message: string) => void;
  /** HEAD answers, one request per file. */
  private readonly heads = new Map<string, Promise<HeadInfo>>();
  /** Whole files in flight. */
  private readonly pending = new Map<string, Promise<Uint8Array>>();
  /** Whole files received (or read from the cache): later reads and ranges are slices. */
  private readonly loaded = new Map<string, Uint8Array>();
  /** File sizes learnt from HEAD, Content-Range or the cache. */
  private readonly sizes = new Map<string, number>();
  private readonly progress = new Map<string, { loaded: number; total: number | null }>();

  private constructor(base: URL, private readonly opts: UrlModelSourceOptions) {
    this.base = base;
    this.location = `${base.origin}${base.pathname.replace(/\/$/, '')}${base.search}`;
    // Called through a wrapper: a bare `fetch` stored on an object throws "Illegal invocation".
    this.fetchImpl = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.log = opts.log ?? ((m: string) => console.warn(m));
  }

  /**
   * A source for the folder at `baseUrl` (with or without a trailing slash; relative URLs are
   * resolved against the page). Nothing is fetched until a file is asked for.
   */
  static async open(baseUrl: string, opts: UrlModelSourceOptions = {}): Promise<UrlModelSource> {
    return new UrlModelSource(resolveBase(baseUrl), opts);
  }

  /** The file's URL. */
  pathOf(name: string): string {
    const url = new URL(name.split('/').map(encodeURIComponent).join('/'), this.base);
    url.search = this.base.search;
    return url.href;
  }

  async has(name: string): Promise<boolean> {
    if (this.opts.files) return this.opts.files.includes(name);
    if (this.loaded.has(name)) return true;
    const cache = this.opts.cache;
    if (cache) {
      const known = await cache.lookup(this.location, name).catch(() => undefined);
      if (known !== undefined) return known !== 'missing';
    }
    const { exists } = await this.head(name);
    // Remember absent optional files (tokenizer.json...) too, so a cached model loads offline.
    if (!exists && cache) await cache.putMissing(this.location, name).catch(() => undefined);
    return exists;
  }

  async size(name: string): Promise<number> {
    const data = this.loaded.get(name);
    if (data) return data.byteLength;
    const known = this.sizes.get(name) ?? (await this.cachedSize(name));
    if (known !== undefined) return known;
    const head = await this.head(name);
    if (!head.exists) throw httpError(head.status, head.statusText, this.pathOf(name));
    if (head.size !== null) return head.size;
    // The server does not say (compressed, or no Content-Length): count the bytes.
    return (await this.read(name)).byteLength;
  }

  async read(name: string): Promise<Uint8Array> {
    const done = this.loaded.get(name);
    if (done) return done;
    let inFlight = this.pending.get(name);
    if (!inFlight) {
      inFlight = this.fetchWhole(name);
      this.pending.set(name, inFlight);
      inFlight.then(
        (data) => {
          this.loaded.set(name, data);
          this.sizes.set(name, data.byteLength);
          this.pending.delete(name);
        },
        () => this.pending.delete(name),
      );
    }
    return inFlight;
  }

  async readText(name: string): Promise<string> {
    return new TextDecoder().decode(await this.read(name));
  }

  async readRange(name: string, start: number, end: number): Promise<Uint8Array> {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) {
      throw new MaxPoolBertError(`bad byte range [${start}, ${end}) for ${this.pathOf(name)}`, { file: this.pathOf(name) });
    }
    if (start === end) return new Uint8Array(0);
    // Whole in memory, on its way, or to be read through the cache (which stores whole files).
    if (this.loaded.has(name) || this.pending.has(name) || this.opts.cache) return (await this.read(name)).subarray(start, end);

    const url = this.pathOf(name);
    const res = await this.request(url, { headers: { Range: `bytes=${start}-${end - 1}` } });
    if (res.status === 206) {
      const range = contentRange(res);
      if (range && range.start !== start) {
        await res.body?.cancel().catch(() => undefined);
        throw new MaxPoolBertError(`${url}: asked for bytes from ${start}, the server sent bytes from ${range.start} (a proxy that mangles Range requests?)`, { file: url });
      }
      if (range?.total != null) this.sizes.set(name, range.total);
      const total = this.sizes.get(name) ?? null;
      const state = this.progressOf(name, total);
      const bytes = await this.receive(url, res, end - start, (n) => this.report(name, (state.loaded += n), total));
      if (bytes.byteLength !== end - start) {
        throw new MaxPoolBertError(`${url}: asked for bytes ${start}-${end - 1}, received ${bytes.byteLength} bytes (the file is shorter than expected: download it again)`, { file: url });
      }
      return bytes;
    }
    if (res.status === 200) {
      // The server ignores Range: take the whole body once and slice it for every later read.
      const data = await this.receiveWhole(name, url, res);
      this.loaded.set(name, data);
      this.sizes.set(name, data.byteLength);
      return data.subarray(start, end);
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.status === 416) {
      throw new MaxPoolBertError(`${statusLine(res.status, res.statusText)} for ${url}: bytes ${start}-${end - 1} lie past the end of the file (it is truncated: download it again)`, { file: url });
    }
    throw httpError(res.status, res.statusText, url);
  }

  /**
   * Lets go of the whole files held in memory (after a model is loaded, its weights live in
   * tfjs). Later reads fetch them again, or read them from the cache.
   */
  release(): void {
    this.loaded.clear();
  }

  // ---------------------------------------------------------------------------------------------

  private async fetchWhole(name: string): Promise<Uint8Array> {
    const cache = this.opts.cache;
    if (cache) {
      const hit = await cache.get(this.location, name).catch((err: unknown) => {
        this.log(`note: could not read ${name} from the model cache (${errorMessage(err)}); downloading it`);
        return undefined;
      });
      if (hit) {
        this.report(name, hit.byteLength, hit.byteLength, true);
        return hit;
      }
    }
    const url = this.pathOf(name);
    const res = await this.request(url);
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw httpError(res.status, res.statusText, url);
    }
    const data = await this.receiveWhole(name, url, res);
    if (cache) {
      // A full quota must not stop the model from loading: it is only downloaded again next time.
      await cache.put(this.location, name, data).catch((err: unknown) => {
        this.log(`note: ${errorMessage(err)}; the model still loads, but will be downloaded again next time`);
      });
    }
    return data;
  }

  /** A whole-file response body, with progress from 0 to its size. */
  private async receiveWhole(name: string, url: string, res: Response): Promise<Uint8Array> {
    const total = contentLength(res);
    const state = { loaded: 0, total };
    this.progress.set(name, state);
    this.report(name, 0, total);
    // More bytes than stated: the body was compressed on the wire (a cross-origin response
    // hides Content-Encoding), so its size is unknown until the end.
    const data = await this.receive(url, res, total, (n) => {
      state.loaded += n;
      this.report(name, state.loaded, total !== null && state.loaded > total ? null : total);
    });
    // Sizes the server did not state (or misstated) are known now.
    if (data.byteLength !== total) this.report(name, data.byteLength, data.byteLength);
    return data;
  }

  /** Reads a body through its stream reader, calling `onChunk` with each chunk's size. */
  private async receive(url: string, res: Response, sizeHint: number | null, onChunk: (bytes: number) => void): Promise<Uint8Array> {
    try {
      const reader = res.body?.getReader();
      if (!reader) {
        const all = new Uint8Array(await res.arrayBuffer());
        onChunk(all.byteLength);
        return all;
      }
      let out = new Uint8Array(sizeHint ?? 1 << 16);
      let length = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (length + value.byteLength > out.length) {
          const grown = new Uint8Array(Math.max(out.length * 2, length + value.byteLength));
          grown.set(out.subarray(0, length));
          out = grown;
        }
        out.set(value, length);
        length += value.byteLength;
        onChunk(value.byteLength);
      }
      // A body cut short by the network makes fetch's reader throw; a length that differs from
      // the stated one is the caller's to judge (ranges must match, compressed bodies may not).
      return length === out.length ? out : out.slice(0, length);
    } catch (err) {
      if (err instanceof MaxPoolBertError) throw err;
      throw new MaxPoolBertError(`the download of ${url} broke off (${errorMessage(err)}): check the connection and retry`, { file: url });
    }
  }

  private head(name: string): Promise<HeadInfo> {
    let info = this.heads.get(name);
    if (!info) {
      info = this.probe(name);
      this.heads.set(name, info);
      info.then(
        (h) => { if (h.size !== null) this.sizes.set(name, h.size); },
        () => this.heads.delete(name), // failures (network, 500) are not remembered: ask again next time
      );
    }
    return info;
  }

  private async probe(name: string): Promise<HeadInfo> {
    const url = this.pathOf(name);
    let res = await this.request(url, { method: 'HEAD' });
    if (res.status === 405 || res.status === 501) {
      // Some servers refuse HEAD: ask for the first byte instead.
      res = await this.request(url, { headers: { Range: 'bytes=0-0' } });
      await res.body?.cancel().catch(() => undefined);
      if (res.status === 206) return { exists: true, size: contentRange(res)?.total ?? null, status: 206, statusText: res.statusText };
    }
    if (res.status === 404 || res.status === 410) return { exists: false, size: null, status: res.status, statusText: res.statusText };
    if (!res.ok) throw httpError(res.status, res.statusText, url);
    return { exists: true, size: res.status === 200 ? contentLength(res) : null, status: res.status, statusText: res.statusText };
  }

  private async cachedSize(name: string): Promise<number | undefined> {
    if (!this.opts.cache) return undefined;
    return this.opts.cache.sizeOf(this.location, name).catch(() => undefined);
  }

  private async request(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    try {
      return await this.fetchImpl(url, { ...init, headers: { ...this.opts.headers, ...init.headers } });
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      const why = cause ? `${errorMessage(err)}: ${errorMessage(cause)}` : errorMessage(err);
      throw new MaxPoolBertError(
        `could not fetch ${url} (${why}): check the URL and that the server is up; a model on another origin must be served with CORS headers (Access-Control-Allow-Origin)`,
        { file: url },
      );
    }
  }

  private progressOf(name: string, total: number | null): { loaded: number; total: number | null } {
    let state = this.progress.get(name);
    if (!state) {
      state = { loaded: 0, total };
      this.progress.set(name, state);
    }
    state.total = total;
    return state;
  }

  private report(name: string, loaded: number, total: number | null, fromCache = false): void {
    const state = this.progress.get(name);
    if (state) {
      state.loaded = loaded;
      state.total = total;
    } else {
      this.progress.set(name, { loaded, total });
    }
    const onProgress = this.opts.onProgress;
    if (!onProgress) return;
    let loadedAll = 0;
    let totalAll: number | null = 0;
    for (const p of this.progress.values()) {
      loadedAll += p.loaded;
      totalAll = totalAll === null || p.total === null ? null : totalAll + p.total;
    }
    onProgress({ file: name, loaded, total, loadedAll, totalAll, ...(fromCache ? { fromCache: true } : {}) });
  }
}
