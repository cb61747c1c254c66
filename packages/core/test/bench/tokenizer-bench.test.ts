// benchTokenizer: the structure of its record and that its token count is the real one
// (never its timings, which depend on the machine).
import { benchTokenizer } from '../../src/bench/index.js';
import { BertTokenizer } from '../../src/tokenizer/index.js';
import { robertaTokenizer } from '../tokenizer/bpe/roberta-fixture.js';
import { TINY_VOCAB_TEXT } from '../tokenizer/tiny-vocab.js';

const inputs = ['The cat sat.', { text: 'Hello world', textPair: 'the cat' }, ''];

describe('benchTokenizer', () => {
  it.each([
    ['wordpiece', () => BertTokenizer.fromVocabText(TINY_VOCAB_TEXT)],
    ['byte-level-bpe', robertaTokenizer],
  ] as const)('times %s over the same texts and counts its tokens', async (kind, make) => {
    const tokenizer = make();
    const r = await benchTokenizer('t', tokenizer, inputs, { runs: 2, warmup: 1 });
    const tokens = tokenizer.encodeBatch(inputs).reduce((n, e) => n + e.inputIds.length, 0);
    expect(r).toMatchObject({ name: 't', kind, texts: 3, chars: 12 + 11 + 7, tokens });
    expect(r.timing.samplesMs).toHaveLength(2);
    expect(r.timing.warmupMs).toHaveLength(1);
    expect(r.tokensPerSecond).toBeGreaterThan(0);
    expect(r.tokensPerSecond).toBeCloseTo(tokens / (r.timing.medianMs / 1000), 6);
  });
});
