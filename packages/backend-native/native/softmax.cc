// Softmax over the last axis (attention probabilities): the row's max is subtracted first, as
// every tfjs backend does, then exp (vectorised) and one division per row.
#include "softmax.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "common.h"
#include "fast-math.h"

namespace mpb {

static Napi::Value Softmax(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t rows = Int(info, 3), cols = Int(info, 4);
  const float* x = At<float>(info, 0, 1, rows * cols);
  float* out = At<float>(info, 0, 2, rows * cols);
  const int threads = ThreadsFor(rows * cols * 4);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * cols;
    float* __restrict o = out + r * cols;
    float m = -std::numeric_limits<float>::infinity();
#pragma omp simd reduction(max : m)
    for (int64_t i = 0; i < cols; ++i) m = std::max(m, xr[i]);
    float s = 0.f;
#pragma omp simd reduction(+ : s)
    for (int64_t i = 0; i < cols; ++i) {
      o[i] = FastExp(xr[i] - m);
      s += o[i];
    }
    const float inv = 1.f / s;
    for (int64_t i = 0; i < cols; ++i) o[i] *= inv;
  }
  return env.Undefined();
}

void RegisterSoftmax(Napi::Env env, Napi::Object exports) { exports.Set("softmax", Napi::Function::New(env, Softmax)); }

}  // namespace mpb
