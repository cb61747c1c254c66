#pragma once
#include <napi.h>

namespace mpb {
/** batchMatMul(heap, aOffset, bOffset, outOffset, aBatchDims, bBatchDims, m, n, k, transposeA, transposeB). */
void RegisterMatMul(Napi::Env env, Napi::Object exports);
}  // namespace mpb
