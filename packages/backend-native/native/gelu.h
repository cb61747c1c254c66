#pragma once
#include <napi.h>

namespace mpb {
/** gelu(heap, xOffset, outOffset, size) and geluGrad(heap, dyOffset, xOffset, outOffset, size): exact (erf) GELU. */
void RegisterGelu(Napi::Env env, Napi::Object exports);
}  // namespace mpb
