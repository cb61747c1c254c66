#pragma once
#include <napi.h>

namespace mpb {
/**
 * reduce(op, heap, xOffset, outOffset, outer, n, inner): x viewed as [outer, n, inner] reduced
 * over its middle axis into [outer, inner] (Sum, Mean, Max, Min).
 */
void RegisterReduce(Napi::Env env, Napi::Object exports);
}  // namespace mpb
