// UnsortedSegmentSum: the embedding gradient (the gradient of gather) adds each token's row into
// its word's row. Threads split the columns, so two threads never add into the same place.
#include "segment-sum.h"

#include <omp.h>

#include <cstring>

#include "common.h"

namespace mpb {

static Napi::Value SegmentSum(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t rows = Int(info, 4), inner = Int(info, 5), segments = Int(info, 6);
  const float* x = At<float>(info, 0, 1, rows * inner);
  const int32_t* ids = At<int32_t>(info, 0, 2, rows);
  float* out = At<float>(info, 0, 3, segments * inner);
  std::memset(out, 0, sizeof(float) * segments * inner);
  const int threads = inner >= 64 ? ThreadsFor(rows * inner) : 1;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int c = 0; c < threads; ++c) {
    const int64_t lo = inner * c / threads, hi = inner * (c + 1) / threads;
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t s = ids[r];
      if (s < 0 || s >= segments) continue;
      const float* __restrict src = x + r * inner;
      float* __restrict dst = out + s * inner;
      for (int64_t j = lo; j < hi; ++j) dst[j] += src[j];
    }
  }
  return env.Undefined();
}

void RegisterSegmentSum(Napi::Env env, Napi::Object exports) { exports.Set("unsortedSegmentSum", Napi::Function::New(env, SegmentSum)); }

}  // namespace mpb
