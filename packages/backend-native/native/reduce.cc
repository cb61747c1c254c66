// Reductions over one block of contiguous axes: x as [outer, n, inner] → [outer, inner].
// inner == 1 (LayerNorm's means, softmax-like row sums) reduces contiguous rows with SIMD
// partial sums; inner > 1 (bias and LayerNorm gradients: sums over all tokens) adds whole rows
// into the output, vectorised along inner, with each thread summing its own slice of rows
// or columns.
#include "reduce.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "common.h"

namespace mpb {

enum ReduceOp { kSum = 0, kMean, kMax, kMin };

static float ReduceRow(int op, const float* __restrict x, int64_t n) {
  if (op == kSum || op == kMean) {
    double s = 0.0;  // in double, like the column sums
#pragma omp simd reduction(+ : s)
    for (int64_t i = 0; i < n; ++i) s += x[i];
    return static_cast<float>(op == kMean ? s / static_cast<double>(n) : s);
  }
  float m = op == kMax ? -std::numeric_limits<float>::infinity() : std::numeric_limits<float>::infinity();
  bool nan = false;
  if (op == kMax) {
#pragma omp simd reduction(max : m) reduction(| : nan)
    for (int64_t i = 0; i < n; ++i) {
      m = std::max(m, x[i]);
      nan |= x[i] != x[i];
    }
  } else {
#pragma omp simd reduction(min : m) reduction(| : nan)
    for (int64_t i = 0; i < n; ++i) {
      m = std::min(m, x[i]);
      nan |= x[i] != x[i];
    }
  }
  return nan ? NAN : m;
}

/**
 * out[lo..hi) = reduction over n rows of x (row stride inner) of columns [lo, hi). Sums
 * accumulate in double: a bias gradient adds up every token's value (1024 rows at 8×128), where
 * float32 accumulation would lose ~1e-5 relative.
 */
static void ReduceColumns(int op, const float* __restrict x, int64_t n, int64_t inner, float* __restrict out, int64_t lo, int64_t hi) {
  float* __restrict o = out + lo;
  const int64_t w = hi - lo;
  if (op == kSum || op == kMean) {
    std::vector<double> acc(static_cast<size_t>(w), 0.0);
    double* __restrict s = acc.data();
    for (int64_t r = 0; r < n; ++r) {
      const float* __restrict row = x + r * inner + lo;
      for (int64_t j = 0; j < w; ++j) s[j] += row[j];
    }
    const double scale = op == kMean ? 1.0 / static_cast<double>(n) : 1.0;
    for (int64_t j = 0; j < w; ++j) o[j] = static_cast<float>(s[j] * scale);
    return;
  }
  const float* row = x + lo;
  for (int64_t j = 0; j < w; ++j) o[j] = row[j];
  for (int64_t r = 1; r < n; ++r) {
    row = x + r * inner + lo;
    if (op == kMax) {
      for (int64_t j = 0; j < w; ++j) o[j] = (o[j] != o[j] || row[j] != row[j]) ? NAN : std::max(o[j], row[j]);
    } else {
      for (int64_t j = 0; j < w; ++j) o[j] = (o[j] != o[j] || row[j] != row[j]) ? NAN : std::min(o[j], row[j]);
    }
  }
}

static Napi::Value Reduce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int op = static_cast<int>(Int(info, 0));
  const int64_t outer = Int(info, 4), n = Int(info, 5), inner = Int(info, 6);
  if (op < kSum || op > kMin) throw Napi::Error::New(env, "native reduce kernel: unknown op");
  const float* x = At<float>(info, 1, 2, outer * n * inner);
  float* out = At<float>(info, 1, 3, outer * inner);
  if (outer * inner == 0) return env.Undefined();
  if (n == 0) {
    // An empty reduction: the identity of the operation (mean of nothing is NaN, as in NumPy).
    const float v = op == kSum ? 0.f : op == kMean ? NAN : op == kMax ? -INFINITY : INFINITY;
    std::fill(out, out + outer * inner, v);
    return env.Undefined();
  }
  const int threads = ThreadsFor(outer * n * inner);
  if (inner == 1) {
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t o = 0; o < outer; ++o) out[o] = ReduceRow(op, x + o * n, n);
    return env.Undefined();
  }
  if (outer >= threads) {
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t o = 0; o < outer; ++o) ReduceColumns(op, x + o * n * inner, n, inner, out + o * inner, 0, inner);
    return env.Undefined();
  }
  // Few outer blocks (a bias gradient: outer = 1): split the columns when there are enough of
  // them, otherwise let each thread sum a slice of the rows and add the partial sums.
  for (int64_t o = 0; o < outer; ++o) {
    const float* xo = x + o * n * inner;
    float* oo = out + o * inner;
    if (inner >= 64 * threads || (op != kSum && op != kMean)) {
#pragma omp parallel for num_threads(threads) schedule(static)
      for (int64_t c = 0; c < threads; ++c) {
        // Column slices in multiples of 16 floats (a cache line) so threads never share one.
        const int64_t lo = (inner * c / threads) & ~int64_t{15}, hi = c == threads - 1 ? inner : (inner * (c + 1) / threads) & ~int64_t{15};
        if (hi > lo) ReduceColumns(op, xo, n, inner, oo, lo, hi);
      }
    } else {
      // Each thread sums a slice of the rows (in double), then the slices are added.
      std::vector<double> partial(static_cast<size_t>(threads) * inner, 0.0);
#pragma omp parallel for num_threads(threads) schedule(static)
      for (int64_t c = 0; c < threads; ++c) {
        double* __restrict s = partial.data() + c * inner;
        for (int64_t r = n * c / threads; r < n * (c + 1) / threads; ++r) {
          const float* __restrict row = xo + r * inner;
          for (int64_t j = 0; j < inner; ++j) s[j] += row[j];
        }
      }
      for (int64_t j = 0; j < inner; ++j) {
        double s = 0.0;
        for (int c = 0; c < threads; ++c) s += partial[c * inner + j];
        oo[j] = static_cast<float>(op == kMean ? s / static_cast<double>(n) : s);
      }
    }
  }
  return env.Undefined();
}

void RegisterReduce(Napi::Env env, Napi::Object exports) { exports.Set("reduce", Napi::Function::New(env, Reduce)); }

}  // namespace mpb
