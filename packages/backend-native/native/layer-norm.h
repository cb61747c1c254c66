#pragma once
#include <napi.h>

namespace mpb {
/**
 * layerNorm(heap, x, gamma, beta, out, rows, cols, epsilon) and
 * layerNormGrad(heap, dy, x, gamma, out, wrt, rows, cols, epsilon): core's fused LayerNorm over
 * the last axis and one of its gradients (wrt 0: dx, 1: dγ, 2: dβ).
 */
void RegisterLayerNorm(Napi::Env env, Napi::Object exports);
}  // namespace mpb
