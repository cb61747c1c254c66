import { MaxPoolBertError } from '../errors.js';

/**
 * A name-keyed registry, the same pattern tfjs-core uses for kernels: packages register their
 * implementations on import, and core looks them up by name without importing them.
 */
export class Registry<T> {
  private readonly entries = new Map<string, T>();
  private readonly aliases = new Map<string, string>();

  constructor(private readonly kind: string) {}

  register(name: string, value: T, opts: { aliases?: string[]; override?: boolean } = {}): void {
    if (!name || /\s/.test(name)) throw new MaxPoolBertError(`${this.kind} name must be a non-empty word, got "${name}"`);
    if (this.entries.has(name) && !opts.override) {
      throw new MaxPoolBertError(`${this.kind} "${name}" is already registered (pass override: true to replace it)`);
    }
    this.entries.set(name, value);
    for (const alias of opts.aliases ?? []) this.aliases.set(alias, name);
  }

  unregister(name: string): boolean {
    for (const [alias, target] of this.aliases) if (target === name) this.aliases.delete(alias);
    return this.entries.delete(name);
  }

  has(name: string): boolean {
    return this.entries.has(this.aliases.get(name) ?? name);
  }

  /** The entry, or an error that lists what is registered. */
  get(name: string): T {
    const value = this.entries.get(this.aliases.get(name) ?? name);
    if (value === undefined) {
      const known = this.names();
      throw new MaxPoolBertError(
        `unknown ${this.kind} "${name}"; registered: ${known.length ? known.join(', ') : '(none)'}`,
      );
    }
    return value;
  }

  /** Canonical name of an entry or alias. */
  resolve(name: string): string {
    this.get(name);
    return this.aliases.get(name) ?? name;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }
}
