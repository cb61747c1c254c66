#pragma once
#include <napi.h>

namespace mpb {
/** transpose(heap, xOffset, outOffset, shape, perm): 4-byte elements (float32, int32). */
void RegisterTranspose(Napi::Env env, Napi::Object exports);
}  // namespace mpb
