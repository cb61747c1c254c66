// One AdamW update of one parameter in a single pass over p, m, v and g, with gradient
// clipping's factor applied as g is read (the op-by-op version reads and writes
// parameter-sized tensors ~20 times, clipping writes a scaled copy of every gradient). The float32 operations and their order
// are exactly those of core's AdamW (and PyTorch's single-tensor kernel), every constant rounded
// to float32 as a tfjs scalar is, and the file is compiled without FMA contraction, so the
// result is bit-identical to the composed ops.
#include "adamw.h"

#include <omp.h>

#include <cmath>

#include "common.h"

namespace mpb {

static Napi::Value AdamW(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t n = Int(info, 8);
  const float* p = At<float>(info, 0, 1, n);
  const float* m = At<float>(info, 0, 2, n);
  const float* v = At<float>(info, 0, 3, n);
  const float* g = At<float>(info, 0, 4, n);
  float* pOut = At<float>(info, 0, 5, n);
  float* mOut = At<float>(info, 0, 6, n);
  float* vOut = At<float>(info, 0, 7, n);
  const float oneMinusBeta1 = static_cast<float>(1.0 - Double(info, 9));
  const float beta2 = static_cast<float>(Double(info, 10));
  const float oneMinusBeta2 = static_cast<float>(1.0 - Double(info, 10));
  const float epsilon = static_cast<float>(Double(info, 11));
  const float negStepSize = static_cast<float>(-Double(info, 12));
  const float bc2Sqrt = static_cast<float>(Double(info, 13));
  const float decay = static_cast<float>(Double(info, 14));  // 1 − lr·wd, or 1 for no decay
  const bool decays = Double(info, 14) != 1.0;
  // Gradient clipping's factor (a float32 scalar tensor), or offset -1 for none.
  const bool scaled = Int(info, 15) >= 0;
  const float scale = scaled ? *At<float>(info, 0, 15, 1) : 1.f;
  const int threads = ThreadsFor(n);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t c = 0; c < threads; ++c) {
    const int64_t lo = n * c / threads, hi = n * (c + 1) / threads;
    for (int64_t i = lo; i < hi; ++i) {
      const float gi = scaled ? g[i] * scale : g[i];
      const float m1 = m[i] + (gi - m[i]) * oneMinusBeta1;
      const float v1 = v[i] * beta2 + (gi * oneMinusBeta2) * gi;
      const float update = (m1 * negStepSize) / (std::sqrt(v1) / bc2Sqrt + epsilon);
      pOut[i] = (decays ? p[i] * decay : p[i]) + update;
      mOut[i] = m1;
      vOut[i] = v1;
    }
  }
  return env.Undefined();
}

void RegisterAdamW(Napi::Env env, Napi::Object exports) { exports.Set("adamw", Napi::Function::New(env, AdamW)); }

}  // namespace mpb
