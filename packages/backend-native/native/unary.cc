// Float32 element-wise unary kernels, split across the thread pool. Exp and Erf (GELU and its
// gradient, softmax) use the vectorised versions in fast-math.h; the rest are exact.
#include "unary.h"

#include <omp.h>

#include <cmath>

#include "common.h"
#include "fast-math.h"

namespace mpb {

enum UnaryOp { kExp = 0, kErf, kTanh, kSqrt, kRsqrt, kSquare, kNeg, kLog, kRelu, kReciprocal, kAbs, kSigmoid };

template <typename F>
static void Run(F f, const float* __restrict x, float* __restrict out, int64_t n) {
  const int threads = ThreadsFor(n);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t c = 0; c < threads; ++c) {
    const int64_t lo = n * c / threads, hi = n * (c + 1) / threads;
    for (int64_t i = lo; i < hi; ++i) out[i] = f(x[i]);
  }
}

static Napi::Value Unary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int op = static_cast<int>(Int(info, 0));
  const int64_t n = Int(info, 4);
  const float* x = At<float>(info, 1, 2, n);
  float* out = At<float>(info, 1, 3, n);
  switch (op) {
    case kExp: Run([](float v) { return FastExp(v); }, x, out, n); break;
    case kErf: Run([](float v) { return FastErf(v); }, x, out, n); break;
    case kTanh: Run([](float v) { return std::tanh(v); }, x, out, n); break;
    case kSqrt: Run([](float v) { return std::sqrt(v); }, x, out, n); break;
    case kRsqrt: Run([](float v) { return 1.f / std::sqrt(v); }, x, out, n); break;
    case kSquare: Run([](float v) { return v * v; }, x, out, n); break;
    case kNeg: Run([](float v) { return -v; }, x, out, n); break;
    case kLog: Run([](float v) { return std::log(v); }, x, out, n); break;
    case kRelu: Run([](float v) { return v != v ? v : (v > 0.f ? v : 0.f); }, x, out, n); break;
    case kReciprocal: Run([](float v) { return 1.f / v; }, x, out, n); break;
    case kAbs: Run([](float v) { return std::fabs(v); }, x, out, n); break;
    case kSigmoid: Run([](float v) { return 1.f / (1.f + FastExp(-v)); }, x, out, n); break;
    default: throw Napi::Error::New(env, "native unary kernel: unknown op");
  }
  return env.Undefined();
}

void RegisterUnary(Napi::Env env, Napi::Object exports) { exports.Set("unary", Napi::Function::New(env, Unary)); }

}  // namespace mpb
