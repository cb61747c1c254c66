#pragma once
#include <napi.h>

namespace mpb {
/** adamw(heap, pOffset, mOffset, vOffset, gOffset, pOut, mOut, vOut, size, beta1, beta2, epsilon, stepSize, bc2Sqrt, decayFactor, scaleOffset or -1). */
void RegisterAdamW(Napi::Env env, Napi::Object exports);
}  // namespace mpb
