import { fileURLToPath } from 'node:url';

/**
 * The bert-base-uncased WordPiece vocabulary (Apache-2.0, from Google's BERT release), shipped so
 * `init` and `demo` work offline. Resolved relative to this module: src/ and dist/ are both one
 * level below the package root.
 */
export const BUILTIN_VOCAB = fileURLToPath(new URL('../assets/bert-base-uncased-vocab.txt', import.meta.url));
