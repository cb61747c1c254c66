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
export async function checkHeadsAgainstModel(modelDir: string, specs: HeadSpec[], opts: { noPooler?: boolean } = {}): Promise<void> {
  const config = await readBertConfig(await FsModelSource.open(modelDir));
  for (const spec of specs) {
    try {
      const head = createHead(spec, config, new SeededRng(0));
      head.dispose();
      // --no-pooler: a head applying the pooler would fail at its turn; say so now.
      if (opts.noPooler && head.spec.usePooler) throw new UsageError(`--no-pooler: head "${head.spec.type}" applies the pooler: pass --pooler off too, or drop --no-pooler`);
    } catch (err) {
      if (!(err instanceof MaxPoolBertError) || err instanceof UsageError) throw err;
      // "layers: head …" (the field, as inputError writes it) becomes "--layers: head …".
      const flag = err.field ? HEAD_FLAGS[err.field] : undefined;
      const message = flag && err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field!.length + 2) : err.message;
      throw new UsageError(`${flag ? `${flag}: ` : ''}${message}`, err);
    }
  }
}
