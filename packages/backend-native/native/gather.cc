// GatherV2 (embedding lookups: word, position and token-type rows): whole rows copied in
// parallel. tfjs-backend-wasm 4.22 took 40 ms to gather 1024 rows of a [2, 768] table.
#include "gather.h"

#include <omp.h>

#include <cstring>

#include "common.h"

namespace mpb {

static Napi::Value Gather(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t outer = Int(info, 4), axisSize = Int(info, 5), inner = Int(info, 6), count = Int(info, 7);
  const uint32_t* x = At<uint32_t>(info, 0, 1, outer * axisSize * inner);
  const int32_t* indices = At<int32_t>(info, 0, 2, count);
  uint32_t* out = At<uint32_t>(info, 0, 3, outer * count * inner);
  for (int64_t i = 0; i < count; ++i) {
    if (indices[i] < 0 || indices[i] >= axisSize) return Napi::Number::New(env, static_cast<double>(i));
  }
  const int threads = ThreadsFor(outer * count * inner);
#pragma omp parallel for num_threads(threads) schedule(static) collapse(2)
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < count; ++i) {
      std::memcpy(out + (o * count + i) * inner, x + (o * axisSize + indices[i]) * inner, sizeof(uint32_t) * inner);
    }
  }
  return Napi::Number::New(env, -1);
}

void RegisterGather(Napi::Env env, Napi::Object exports) { exports.Set("gather", Napi::Function::New(env, Gather)); }

}  // namespace mpb
