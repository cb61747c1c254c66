import { FsModelSource } from '@maxpoolbert/backend-node';
import { createHead, MaxPoolBertError, readBertConfig, SeededRng, type HeadSpec } from '@maxpoolbert/core';
import { UsageError } from '../command.js';

/** The flag that sets each head setting a head checks (resolveHeadSpec's `field`). */
const HEAD_FLAGS: Record<string, string> = { layers: '--layers', num_heads: '--num-heads', dropout: '--dropout', use_pooler: '--pooler' };

/**
 * Builds each head once against the model's config and throws it away, so a head setting the
 * model cannot take (k above its layer count, attention heads that do not divide its width)
 * fails before the first run of a compare, not hours later when that head's turn comes. Each
 * head checks its own settings (plugins too), exactly as training will. Needs a started backend.
 */
export async function checkHeadsAgainstModel(modelDir: string, specs: HeadSpec[]): Promise<void> {
  const config = await readBertConfig(await FsModelSource.open(modelDir));
  for (const spec of specs) {
    try {
      createHead(spec, config, new SeededRng(0)).dispose();
    } catch (err) {
      if (!(err instanceof MaxPoolBertError) || err instanceof UsageError) throw err;
      // "layers: head …" (the field, as inputError writes it) becomes "--layers: head …".
      const flag = err.field ? HEAD_FLAGS[err.field] : undefined;
      const message = flag && err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field!.length + 2) : err.message;
      throw new UsageError(`${flag ? `${flag}: ` : ''}${message}`, err);
    }
  }
}
