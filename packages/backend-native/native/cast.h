#pragma once
#include <napi.h>

namespace mpb {
/** cast(heap, xOffset, outOffset, size, from, to), dtypes coded 0 float32, 1 int32, 2 bool (1 byte). */
void RegisterCast(Napi::Env env, Napi::Object exports);
}  // namespace mpb
