/** How a server batches, limits and guards; every field has a default but the model. */
export interface ServerLimits {
  /** Inputs per forward pass at most. Default 32. */
  maxBatch: number;
  /** How long the first input of a batch waits for others. Default 5 ms. */
  maxWaitMs: number;
  /** Inputs waiting for a batch at most; a request that does not fit gets 503 + Retry-After. Default 1024. */
  maxQueue: number;
  /** Inputs in one request at most (400 beyond). Default 256. */
  maxInputs: number;
  /** Request body size at most, in bytes (413 beyond). Default 1 MiB. */
  bodyLimit: number;
  /** Truncate every input to this many tokens. Default: the model's trained max length, else max_position_embeddings. */
  maxLength?: number;
}

export const DEFAULT_LIMITS: ServerLimits = { maxBatch: 32, maxWaitMs: 5, maxQueue: 1024, maxInputs: 256, bodyLimit: 1 << 20 };

/** The Retry-After a full queue answers with, in seconds: long enough for a few batches to run. */
export const RETRY_AFTER_SECONDS = 1;

/** Says what is wrong with the limits, one problem per line (empty when they are fine). */
export function checkLimits(l: ServerLimits): string[] {
  const problems: string[] = [];
  const int = (name: string, v: number | undefined, min: number) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min)) problems.push(`${name} must be an integer >= ${min}, got ${v}`);
  };
  int('maxBatch', l.maxBatch, 1);
  int('maxQueue', l.maxQueue, 1);
  int('maxInputs', l.maxInputs, 1);
  int('bodyLimit', l.bodyLimit, 1);
  int('maxLength', l.maxLength, 3);
  if (!(Number.isFinite(l.maxWaitMs) && l.maxWaitMs >= 0)) problems.push(`maxWaitMs must be a number >= 0, got ${l.maxWaitMs}`);
  if (l.maxInputs > l.maxQueue) problems.push(`maxInputs (${l.maxInputs}) must not exceed maxQueue (${l.maxQueue}): such a request could never be queued`);
  return problems;
}
