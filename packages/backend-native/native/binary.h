#pragma once
#include <napi.h>

namespace mpb {
/** binary(op, heap, aOffset, bOffset, outOffset, aShape, bShape): float32 element-wise with broadcasting. */
void RegisterBinary(Napi::Env env, Napi::Object exports);
}  // namespace mpb
