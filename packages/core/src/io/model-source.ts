/**
 * Where a model folder's files come from. Core never touches the file system or the network:
 * backend-node implements this over `fs`, backend-web over fetch / File / IndexedDB, and tests
 * can use the in-memory one below.
 */
export interface ModelSource {
  /** Human-readable location (folder path or URL), used in error messages. */
  readonly location: string;
  /** Whether the folder has a file of that name. */
  has(name: string): Promise<boolean>;
  /** The whole file. */
  read(name: string): Promise<Uint8Array>;
  /** Size of the file in bytes. */
  size(name: string): Promise<number>;
  /**
   * Bytes [start, end) of the file. Large checkpoints are read through this, a tensor at a time,
   * so a 1.3 GB file never sits in memory next to its decoded copy.
   */
  readRange(name: string, start: number, end: number): Promise<Uint8Array>;
  /** The file as UTF-8 text. */
  readText(name: string): Promise<string>;
  /** Display path of one file in the folder, for messages. */
  pathOf(name: string): string;
}

/** A model folder held in memory (tests, and files a browser user picked). */
export class MemoryModelSource implements ModelSource {
  constructor(
    private readonly files: Map<string, Uint8Array>,
    readonly location = 'memory',
  ) {}

  async has(name: string): Promise<boolean> {
    return this.files.has(name);
  }

  async read(name: string): Promise<Uint8Array> {
    const data = this.files.get(name);
    if (!data) throw new Error(`${this.pathOf(name)}: no such file`);
    return data;
  }

  async size(name: string): Promise<number> {
    return (await this.read(name)).byteLength;
  }

  async readRange(name: string, start: number, end: number): Promise<Uint8Array> {
    return (await this.read(name)).subarray(start, end);
  }

  async readText(name: string): Promise<string> {
    return new TextDecoder().decode(await this.read(name));
  }

  pathOf(name: string): string {
    return `${this.location}/${name}`;
  }
}
