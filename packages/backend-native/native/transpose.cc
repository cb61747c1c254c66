// Transpose of 4-byte elements. Input axes that stay neighbours under the permutation are merged
// first ([B, T, heads, d] → [B, heads, T, d] becomes a copy of contiguous d-rows); a plain 2-D
// transpose runs in cache-sized tiles.
#include "transpose.h"

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "common.h"

namespace mpb {

static void Tiled2D(const uint32_t* __restrict x, uint32_t* __restrict out, int64_t rows, int64_t cols, int threads) {
  constexpr int64_t T = 32;
  const int64_t tilesR = (rows + T - 1) / T, tilesC = (cols + T - 1) / T;
#pragma omp parallel for num_threads(threads) schedule(static) collapse(2)
  for (int64_t tr = 0; tr < tilesR; ++tr) {
    for (int64_t tc = 0; tc < tilesC; ++tc) {
      const int64_t r1 = std::min(rows, (tr + 1) * T), c1 = std::min(cols, (tc + 1) * T);
      for (int64_t c = tc * T; c < c1; ++c)
        for (int64_t r = tr * T; r < r1; ++r) out[c * rows + r] = x[r * cols + c];
    }
  }
}

static Napi::Value Transpose(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::vector<int64_t> shape = Ints(info, 3), perm = Ints(info, 4);
  const int64_t size = Product(shape);
  const uint32_t* x = At<uint32_t>(info, 0, 1, size);
  uint32_t* out = At<uint32_t>(info, 0, 2, size);
  if (perm.size() != shape.size()) throw Napi::Error::New(env, "native Transpose: perm and shape differ in rank");
  if (size == 0) return env.Undefined();
  // Drop size-1 axes, then merge runs of input axes that stay consecutive in the output.
  std::vector<int64_t> keep;  // input axes kept, in output order
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(shape.size())) throw Napi::Error::New(env, "native Transpose: bad perm");
    if (shape[p] != 1) keep.push_back(p);
  }
  std::vector<int64_t> inAxes;  // kept input axes in input order
  for (size_t a = 0; a < shape.size(); ++a)
    if (shape[a] != 1) inAxes.push_back(static_cast<int64_t>(a));
  // Groups: maximal runs of keep[] that are consecutive kept input axes.
  std::vector<int64_t> groupDims, groupFirstAxis;
  for (size_t i = 0; i < keep.size(); ++i) {
    const bool joins = i > 0 && [&] {
      for (size_t k = 0; k + 1 < inAxes.size(); ++k)
        if (inAxes[k] == keep[i - 1]) return inAxes[k + 1] == keep[i];
      return false;
    }();
    if (joins) {
      groupDims.back() *= shape[keep[i]];
    } else {
      groupDims.push_back(shape[keep[i]]);
      groupFirstAxis.push_back(keep[i]);
    }
  }
  const int g = static_cast<int>(groupDims.size());
  const int threads = ThreadsFor(size);
  if (g <= 1) {
    std::memcpy(out, x, sizeof(uint32_t) * size);
    return env.Undefined();
  }
  // Input order of the groups gives each group's input stride.
  std::vector<int> order(g);
  for (int i = 0; i < g; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](int l, int r) { return groupFirstAxis[l] < groupFirstAxis[r]; });
  std::vector<int64_t> inStride(g);
  int64_t s = 1;
  for (int k = g; k-- > 0;) {
    inStride[order[k]] = s;
    s *= groupDims[order[k]];
  }
  if (g == 2) {
    // Output [d0, d1] with input [d1, d0]: a 2-D transpose of the input's rows × cols.
    Tiled2D(x, out, groupDims[1], groupDims[0], threads);
    return env.Undefined();
  }
  const int64_t inner = groupDims[g - 1], innerStride = inStride[g - 1];
  const int64_t rows = size / inner;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    int64_t offset = 0, rest = r;
    for (int d = g - 2; d >= 0; --d) {
      offset += (rest % groupDims[d]) * inStride[d];
      rest /= groupDims[d];
    }
    const uint32_t* __restrict src = x + offset;
    uint32_t* __restrict dst = out + r * inner;
    if (innerStride == 1) {
      std::memcpy(dst, src, sizeof(uint32_t) * inner);
    } else {
      for (int64_t i = 0; i < inner; ++i) dst[i] = src[i * innerStride];
    }
  }
  return env.Undefined();
}

void RegisterTranspose(Napi::Env env, Napi::Object exports) { exports.Set("transpose", Napi::Function::New(env, Transpose)); }

}  // namespace mpb
