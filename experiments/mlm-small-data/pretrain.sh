#!/usr/bin/env bash
# Pre-trains the experiment's BERT-mini from random weights on corpus.txt (make-corpus.mjs).
# Resumable: run it again with the same OUT and it continues from the last checkpoint, bit for
# bit as if never stopped (a kill, a reboot, or the native-backend crash noted in the write-up).
#   bash experiments/mlm-small-data/pretrain.sh CORPUS OUT
set -euo pipefail
corpus=${1:?usage: pretrain.sh CORPUS OUT}
out=${2:?usage: pretrain.sh CORPUS OUT}
cli="$(dirname "$0")/../../packages/cli/bin/maxpoolbert.js"
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  if [ -d "$out/checkpoint" ]; then
    args=(--resume "$out")
  else
    # 2 passes over ~3.6 M tokens in blocks of 128; lr 5e-4 (a from-scratch model takes a far
    # larger rate than fine-tuning's 5e-5), 10 % warm-up; 1 % of the lines for validation,
    # measured (and checkpointed) every 100 steps.
    args=(--preset mini --text "$corpus" --out "$out" --epochs 2 --batch-size 32 --max-length 128
      --lr 5e-4 --validation-split 0.01 --eval-every 100 --seed 42 --json-log "$out.log.jsonl")
  fi
  status=0
  node "$cli" pretrain "${args[@]}" --backend native || status=$?
  if [ "$status" -eq 0 ]; then exit 0; fi
  echo "pretrain.sh: attempt $attempt ended with status $status; resuming from the last checkpoint" >&2
done
exit 1
