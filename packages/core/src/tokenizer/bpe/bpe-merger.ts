/**
 * Byte-pair encoding of one pre-tokenised piece: the pair of adjacent symbols with the lowest
 * rank is merged everywhere it occurs (left to right, non-overlapping), then the next, until no
 * adjacent pair has a rank. That is HF's slow `bpe()` loop exactly; here it runs on a linked list
 * with a heap, so a long piece (a 100 kB run of letters) costs O(n log n), not O(n^2).
 */
import { PAIR_SEPARATOR } from './merges.js';

/** Pieces remembered by the cache before it starts over; longer pieces are not cached. */
const CACHE_LIMIT = 50_000;
const CACHE_MAX_PIECE = 256;

interface Candidate {
  rank: number;
  /** Index of the left symbol; also the tie-break, so equal ranks merge left to right. */
  left: number;
  a: string;
  b: string;
}

const before = (x: Candidate, y: Candidate) => x.rank < y.rank || (x.rank === y.rank && x.left < y.left);

export class BpeMerger {
  private readonly cache = new Map<string, readonly string[]>();

  /** @param ranks "left right" -> rank (lower merges first), see rankMerges */
  constructor(private readonly ranks: ReadonlyMap<string, number>) {}

  /** The BPE tokens of `piece` (byte-level characters). */
  apply(piece: string): readonly string[] {
    const hit = this.cache.get(piece);
    if (hit !== undefined) return hit;
    const tokens = this.merge(Array.from(piece));
    if (piece.length <= CACHE_MAX_PIECE) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(piece, tokens);
    }
    return tokens;
  }

  private merge(sym: string[]): string[] {
    const n = sym.length;
    if (n < 2) return sym;
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    const heap: Candidate[] = [];
    const offer = (left: number) => {
      const right = next[left]!;
      if (right < 0) return;
      const a = sym[left]!;
      const b = sym[right]!;
      const rank = this.ranks.get(a + PAIR_SEPARATOR + b);
      if (rank !== undefined) push(heap, { rank, left, a, b });
    };
    // A candidate is stale once either symbol has changed (merged away or grown).
    const valid = (c: Candidate) => sym[c.left] === c.a && next[c.left]! >= 0 && sym[next[c.left]!] === c.b;
    const mergeAt = (left: number) => {
      const right = next[left]!;
      sym[left] += sym[right]!;
      sym[right] = '';
      const after = next[right]!;
      next[left] = after;
      if (after >= 0) prev[after] = left;
    };

    for (let i = 0; i + 1 < n; i++) offer(i);
    const merged: number[] = [];
    while (heap.length) {
      const first = pop(heap);
      if (!valid(first)) continue;
      // One round: every occurrence of this pair, left to right. Pairs the round creates are
      // offered only afterwards, as HF recomputes the pairs only after a whole pass.
      merged.length = 0;
      mergeAt(first.left);
      merged.push(first.left);
      while (heap.length && heap[0]!.rank === first.rank) {
        const c = pop(heap);
        if (valid(c)) {
          mergeAt(c.left);
          merged.push(c.left);
        }
      }
      for (const left of merged) {
        if (prev[left]! >= 0) offer(prev[left]!);
        offer(left);
      }
    }
    const out: string[] = [];
    for (let i = 0; i >= 0; i = next[i]!) out.push(sym[i]!);
    return out;
  }
}

function push(heap: Candidate[], c: Candidate): void {
  let i = heap.length;
  heap.push(c);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(c, heap[parent]!)) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = c;
}

function pop(heap: Candidate[]): Candidate {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length) {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const child = r < heap.length && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
  return top;
}
