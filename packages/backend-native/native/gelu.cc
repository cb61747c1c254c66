// Core's fused exact GELU, x·½·(1 + erf(x/√2)), and its gradient, each one pass over the
// activations (composed from ops they take 5 and ~10 passes over BERT's largest tensors).
// The forward uses the same float32 operations in the same order as core's composed GELU.
#include "gelu.h"

#include <omp.h>

#include "common.h"
#include "fast-math.h"

namespace mpb {

constexpr float kSqrtHalf = 0.7071067811865476f;
constexpr float kTwoOverSqrtPi = 1.1283791670955126f;

static Napi::Value Gelu(const Napi::CallbackInfo& info) {
  const int64_t n = Int(info, 3);
  const float* __restrict x = At<float>(info, 0, 1, n);
  float* __restrict out = At<float>(info, 0, 2, n);
  const int threads = ThreadsFor(n);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t i = 0; i < n; ++i) out[i] = (x[i] * 0.5f) * (1.f + FastErf(x[i] * kSqrtHalf));
  return info.Env().Undefined();
}

/** d/dx = ½(1 + erf(x/√2)) + x·½ · (2/√π)·exp(−x²/2) · (1/√2), times dy. */
static Napi::Value GeluGrad(const Napi::CallbackInfo& info) {
  const int64_t n = Int(info, 4);
  const float* __restrict dy = At<float>(info, 0, 1, n);
  const float* __restrict x = At<float>(info, 0, 2, n);
  float* __restrict out = At<float>(info, 0, 3, n);
  const int threads = ThreadsFor(n);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t i = 0; i < n; ++i) {
    const float u = x[i] * kSqrtHalf;
    const float cdf = 0.5f * (1.f + FastErf(u));
    const float pdf = (x[i] * 0.5f) * (kTwoOverSqrtPi * FastExp(-(u * u))) * kSqrtHalf;
    out[i] = dy[i] * (cdf + pdf);
  }
  return info.Env().Undefined();
}

void RegisterGelu(Napi::Env env, Napi::Object exports) {
  exports.Set("gelu", Napi::Function::New(env, Gelu));
  exports.Set("geluGrad", Napi::Function::New(env, GeluGrad));
}

}  // namespace mpb
