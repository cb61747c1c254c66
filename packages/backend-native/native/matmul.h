#pragma once
#include <napi.h>

namespace mpb {
/**
 * batchMatMul(heap, aOffset, bOffset, outOffset, aBatchDims, bBatchDims, m, n, k, transposeA, transposeB)
 * and dense(heap, xOffset, weightOffset, biasOffset, outOffset, m, n, k): x · Wᵀ + b.
 */
void RegisterMatMul(Napi::Env env, Napi::Object exports);
}  // namespace mpb
