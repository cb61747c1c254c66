import type { LoadedClassifier, ModelSource } from '@maxpoolbert/core';

/** The model Classify uses, where it came from, and how to read its folder again. */
export interface CurrentModel {
  loaded: LoadedClassifier;
  /** The folder it was loaded from (a fine-tuned model: its folder in memory); fine-tuning starts from it. */
  source: ModelSource;
  /** Where it came from, for the summary (a URL, "3 picked files", "fine-tuned in this page"…). */
  origin: string;
  /** The tfjs backend its tensors live on. */
  backend: string;
}

interface Entry {
  model: CurrentModel;
  users: number;
  replaced: boolean;
}

/**
 * Holds the current model. Replacing it disposes the old one's tensors, but only once every
 * operation still using it (`use`) has finished, so a classification in flight never sees
 * disposed weights.
 */
export class ModelStore extends EventTarget {
  private entry: Entry | null = null;

  get current(): CurrentModel | null {
    return this.entry?.model ?? null;
  }

  set(model: CurrentModel): void {
    const old = this.entry;
    this.entry = { model, users: 0, replaced: false };
    if (old) {
      old.replaced = true;
      if (old.users === 0) old.model.loaded.model.dispose();
    }
    this.dispatchEvent(new Event('change'));
  }

  /** Runs `fn` with the current model, keeping it alive until `fn` settles. */
  async use<T>(fn: (model: CurrentModel) => Promise<T>): Promise<T> {
    const entry = this.entry;
    if (!entry) throw new Error('load a model first (section 1), or fine-tune one (section 3)');
    entry.users++;
    try {
      return await fn(entry.model);
    } finally {
      entry.users--;
      if (entry.replaced && entry.users === 0) entry.model.loaded.model.dispose();
    }
  }
}
