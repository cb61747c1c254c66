import { QUOTE_LIMIT, quoteInput } from '../src/errors';

describe('quoteInput: input text quoted in an error message', () => {
  it('quotes short text whole, JSON-escaped so it stays on one line', () => {
    expect(quoteInput('text')).toBe('"text"');
    expect(quoteInput('a\tb\nc "d"')).toBe('"a\\tb\\nc \\"d\\""');
    expect(quoteInput('x'.repeat(QUOTE_LIMIT))).toBe(`"${'x'.repeat(QUOTE_LIMIT)}"`);
  });

  it(`cuts longer text to ${QUOTE_LIMIT} characters with an ellipsis and says how long it was`, () => {
    const quoted = quoteInput('x'.repeat(1_000_000));
    expect(quoted).toBe(`"${'x'.repeat(QUOTE_LIMIT - 1)}…" (1000000 characters)`);
    expect(quoteInput('abcdef', 4)).toBe('"abc…" (6 characters)');
  });

  it('counts and cuts characters, not UTF-16 units (no half emoji)', () => {
    expect(quoteInput('😀'.repeat(5), 3)).toBe('"😀😀…" (5 characters)');
    expect(quoteInput('😀'.repeat(3), 3)).toBe('"😀😀😀"');
  });
});
