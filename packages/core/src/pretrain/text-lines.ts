/**
 * The documents of a plain-text corpus: one per line, as Hugging Face's `text` dataset loader
 * reads a file (`load_dataset("text", ...)`: a line without its line break). Lines end at `\n`,
 * `\r\n` or a lone `\r`. Blank lines (empty or only whitespace) are left out: `run_mlm.py` drops
 * them in `--line_by_line` mode, and in its default (grouping) mode they would only add a
 * `[CLS] [SEP]` pair to the stream, so they carry no text to learn from in either mode.
 */
export interface TextLine {
  text: string;
  /** 1-based line number in its file, for messages. */
  line: number;
}

export function textLines(text: string): TextLine[] {
  const out: TextLine[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  // A final line break ends the last line; it does not start an (empty) extra one.
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!;
    if (t.trim() !== '') out.push({ text: t, line: i + 1 });
  }
  return out;
}
