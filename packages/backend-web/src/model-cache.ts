import { MaxPoolBertError } from '@maxpoolbert/core';

/** One cached file, as `list()` reports it. */
export interface CachedFile {
  /** The model folder's URL (`UrlModelSource.location`). */
  url: string;
  file: string;
  bytes: number;
}

interface EntryRecord extends CachedFile {
  /** When it was stored (ms since the epoch). */
  storedAt: number;
  /** A file the folder does not have (remembered so an offline load does not ask again). */
  missing?: boolean;
}

const DATA = 'files';
const ENTRIES = 'entries';
const VERSION = 1;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException('transaction aborted', 'AbortError'));
  });
}

/** A view of exactly these bytes, as an ArrayBuffer IndexedDB can store (no copy when it already is one). */
function ownBuffer(data: Uint8Array): ArrayBuffer {
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && Object.prototype.toString.call(data.buffer) === '[object ArrayBuffer]') return data.buffer as ArrayBuffer;
  return data.slice().buffer as ArrayBuffer;
}

/**
 * Downloaded model files kept in IndexedDB, so a page loads a model from the network once.
 * The bytes live in one object store keyed by [url, file]; a second, small store holds the
 * sizes, so `list()` never reads the bytes back.
 */
export class ModelCache {
  private constructor(
    private readonly db: IDBDatabase,
    /** The IndexedDB database name. */
    readonly name: string,
  ) {
    // Another tab upgrading the database must not wait on us forever.
    db.onversionchange = () => db.close();
  }

  /**
   * Opens (creating when needed) the cache database. `idb` defaults to the page's `indexedDB`;
   * pass another IDBFactory (e.g. fake-indexeddb's) where there is none.
   */
  static async open(dbName = 'maxpoolbert-models', idb?: IDBFactory): Promise<ModelCache> {
    const factory = idb ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (!factory) {
      throw new MaxPoolBertError('IndexedDB is not available here, so models cannot be cached (load without a cache, or pass an IDBFactory to ModelCache.open)');
    }
    const req = factory.open(dbName, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(DATA)) db.createObjectStore(DATA);
      if (!db.objectStoreNames.contains(ENTRIES)) db.createObjectStore(ENTRIES, { keyPath: ['url', 'file'] });
    };
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new MaxPoolBertError(`the model cache "${dbName}" is being upgraded by another tab: close the other tabs of this page and reload`));
    }).catch((err: unknown) => {
      if (err instanceof MaxPoolBertError) throw err;
      const e = err as DOMException | null;
      throw new MaxPoolBertError(`could not open the model cache "${dbName}" in IndexedDB (${e?.name ?? 'Error'}: ${e?.message ?? String(err)}): private browsing or blocked site data can disable IndexedDB`);
    });
    return new ModelCache(db, dbName);
  }

  /** The cached bytes of one file, or undefined. */
  async get(url: string, file: string): Promise<Uint8Array | undefined> {
    const tx = this.db.transaction(DATA, 'readonly');
    const value = (await request(tx.objectStore(DATA).get([url, file]))) as ArrayBuffer | Uint8Array | undefined;
    if (value === undefined) return undefined;
    return ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(value);
  }

  /** The size of one cached file without reading it, or undefined when it is not cached. */
  async sizeOf(url: string, file: string): Promise<number | undefined> {
    const entry = await this.entry(url, file);
    return entry && !entry.missing ? entry.bytes : undefined;
  }

  /**
   * What the cache knows of one file: its size, "missing" (the folder has no such file, see
   * `putMissing`), or undefined (nothing known).
   */
  async lookup(url: string, file: string): Promise<{ bytes: number } | 'missing' | undefined> {
    const entry = await this.entry(url, file);
    if (!entry) return undefined;
    return entry.missing ? 'missing' : { bytes: entry.bytes };
  }

  /** Remembers that the folder at `url` has no `file` (optional files such as tokenizer.json). */
  async putMissing(url: string, file: string): Promise<void> {
    const tx = this.db.transaction(ENTRIES, 'readwrite');
    const finished = done(tx);
    const entry: EntryRecord = { url, file, bytes: 0, storedAt: Date.now(), missing: true };
    tx.objectStore(ENTRIES).put(entry);
    await finished;
  }

  private async entry(url: string, file: string): Promise<EntryRecord | undefined> {
    const tx = this.db.transaction(ENTRIES, 'readonly');
    return (await request(tx.objectStore(ENTRIES).get([url, file]))) as EntryRecord | undefined;
  }

  /** Stores one file (replacing an older copy). Rejects with a clear message when the quota is full. */
  async put(url: string, file: string, data: Uint8Array): Promise<void> {
    try {
      const tx = this.db.transaction([DATA, ENTRIES], 'readwrite');
      const finished = done(tx);
      tx.objectStore(DATA).put(ownBuffer(data), [url, file]);
      const entry: EntryRecord = { url, file, bytes: data.byteLength, storedAt: Date.now() };
      tx.objectStore(ENTRIES).put(entry); // replaces a "missing" record too
      await finished;
    } catch (err) {
      const e = err as DOMException | null;
      const quota = e?.name === 'QuotaExceededError';
      throw new MaxPoolBertError(
        `could not cache ${file} of ${url} (${data.byteLength} bytes) in IndexedDB: ${e?.name ?? 'Error'}: ${e?.message ?? String(err)}` +
          (quota ? ' (the storage quota is full: delete cached models or free site data)' : ''),
        { file: url },
      );
    }
  }

  /** Every cached file, with its size. */
  async list(): Promise<CachedFile[]> {
    const tx = this.db.transaction(ENTRIES, 'readonly');
    const entries = (await request(tx.objectStore(ENTRIES).getAll())) as EntryRecord[];
    return entries.filter((e) => !e.missing).map(({ url, file, bytes }) => ({ url, file, bytes }));
  }

  /** Forgets every file of one model folder URL. */
  async delete(url: string): Promise<void> {
    // The entries store is small (one record per file), so its keys are listed and filtered
    // rather than deleted through an IDBKeyRange (which would tie this to the page's IndexedDB).
    const tx = this.db.transaction([DATA, ENTRIES], 'readwrite');
    const finished = done(tx);
    const entries = tx.objectStore(ENTRIES);
    const keys = (await request(entries.getAllKeys())) as IDBValidKey[];
    for (const key of keys) {
      if (Array.isArray(key) && key[0] === url) {
        tx.objectStore(DATA).delete(key);
        entries.delete(key);
      }
    }
    await finished;
  }

  /** Forgets everything. */
  async clear(): Promise<void> {
    const tx = this.db.transaction([DATA, ENTRIES], 'readwrite');
    const finished = done(tx);
    tx.objectStore(DATA).clear();
    tx.objectStore(ENTRIES).clear();
    await finished;
  }

  close(): void {
    this.db.close();
  }
}
