#pragma once
#include <napi.h>

namespace mpb {
/** unary(op, heap, xOffset, outOffset, size): float32 element-wise functions. */
void RegisterUnary(Napi::Env env, Napi::Object exports);
}  // namespace mpb
