// Float32 element-wise binary kernels with broadcasting (Add, Sub, Mul, RealDiv,
// SquaredDifference, Maximum, Minimum), split across the thread pool by output rows.
#include "binary.h"

#include <omp.h>

#include <algorithm>
#include <cmath>

#include "broadcast.h"
#include "common.h"

namespace mpb {

enum BinaryOp { kAdd = 0, kSub, kMul, kDiv, kSquaredDifference, kMaximum, kMinimum };

/** One output row: n elements, with a and b contiguous (1) or broadcast (0) along it. */
template <typename F>
static inline void Row(F f, const float* __restrict a, int64_t sa, const float* __restrict b, int64_t sb,
                       float* __restrict out, int64_t n) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], b[i]);
  } else if (sa == 1) {
    const float y = b[0];
    for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], y);
  } else if (sb == 1) {
    const float x = a[0];
    for (int64_t i = 0; i < n; ++i) out[i] = f(x, b[i]);
  } else {
    const float v = f(a[0], b[0]);
    for (int64_t i = 0; i < n; ++i) out[i] = v;
  }
}

template <typename F>
static void Run(F f, const float* a, const float* b, float* out, const Broadcast& p) {
  const int rank = static_cast<int>(p.dims.size());
  const int64_t inner = p.dims[rank - 1];
  const int64_t rows = p.size / inner;
  const int64_t sa = p.aStride[rank - 1], sb = p.bStride[rank - 1];
  const int threads = ThreadsFor(p.size);
  if (rows == 1) {
    // One long row: split it.
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t c = 0; c < threads; ++c) {
      const int64_t lo = inner * c / threads, hi = inner * (c + 1) / threads;
      Row(f, a + lo * sa, sa, b + lo * sb, sb, out + lo, hi - lo);
    }
    return;
  }
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    int64_t ao = 0, bo = 0, rest = r;
    for (int d = rank - 2; d >= 0; --d) {
      const int64_t idx = rest % p.dims[d];
      rest /= p.dims[d];
      ao += idx * p.aStride[d];
      bo += idx * p.bStride[d];
    }
    Row(f, a + ao, sa, b + bo, sb, out + r * inner, inner);
  }
}

static Napi::Value Binary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int op = static_cast<int>(Int(info, 0));
  const std::vector<int64_t> aShape = Ints(info, 5), bShape = Ints(info, 6);
  const Broadcast p = MakeBroadcast(aShape, bShape);
  if (!p.ok) throw Napi::Error::New(env, "native binary kernel: shapes do not broadcast");
  const float* a = At<float>(info, 1, 2, Product(aShape));
  const float* b = At<float>(info, 1, 3, Product(bShape));
  float* out = At<float>(info, 1, 4, p.size);
  if (p.size == 0) return env.Undefined();
  switch (op) {
    case kAdd: Run([](float x, float y) { return x + y; }, a, b, out, p); break;
    case kSub: Run([](float x, float y) { return x - y; }, a, b, out, p); break;
    case kMul: Run([](float x, float y) { return x * y; }, a, b, out, p); break;
    case kDiv: Run([](float x, float y) { return x / y; }, a, b, out, p); break;
    case kSquaredDifference: Run([](float x, float y) { return (x - y) * (x - y); }, a, b, out, p); break;
    // NaN in either operand gives NaN, as tfjs's other backends do.
    case kMaximum: Run([](float x, float y) { return (x != x || y != y) ? NAN : (x > y ? x : y); }, a, b, out, p); break;
    case kMinimum: Run([](float x, float y) { return (x != x || y != y) ? NAN : (x < y ? x : y); }, a, b, out, p); break;
    default: throw Napi::Error::New(env, "native binary kernel: unknown op");
  }
  return env.Undefined();
}

void RegisterBinary(Napi::Env env, Napi::Object exports) { exports.Set("binary", Napi::Function::New(env, Binary)); }

}  // namespace mpb
