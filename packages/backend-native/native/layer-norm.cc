// Core's fused LayerNorm over the last axis, y = ((x − mean) · 1/√(var + ε)) · γ + β with the
// biased variance, and its gradient, rows in parallel. Means and variances accumulate in
// double; the normalisation itself uses the composed formula's float32 operations in its order.
//
// Gradient, per row with x̂ = (x − mean)·rstd and g = dy·γ:
//   dx = rstd · (g − mean(g) − x̂ · mean(g·x̂)),  dγ = Σ_rows dy·x̂,  dβ = Σ_rows dy.
#include "layer-norm.h"

#include <omp.h>

#include <cmath>
#include <vector>

#include "common.h"

namespace mpb {

struct RowStats {
  float mean;
  float rstd;
};

static inline RowStats Stats(const float* __restrict x, int64_t cols, float eps) {
  double s = 0.0;
#pragma omp simd reduction(+ : s)
  for (int64_t j = 0; j < cols; ++j) s += x[j];
  const float mean = static_cast<float>(s / static_cast<double>(cols));
  double v = 0.0;
#pragma omp simd reduction(+ : v)
  for (int64_t j = 0; j < cols; ++j) {
    const float c = x[j] - mean;
    v += static_cast<double>(c * c);
  }
  const float var = static_cast<float>(v / static_cast<double>(cols));
  return {mean, 1.f / std::sqrt(var + eps)};
}

static Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  const int64_t rows = Int(info, 5), cols = Int(info, 6);
  const float eps = static_cast<float>(Double(info, 7));
  const float* x = At<float>(info, 0, 1, rows * cols);
  const float* gamma = At<float>(info, 0, 2, cols);
  const float* beta = At<float>(info, 0, 3, cols);
  float* out = At<float>(info, 0, 4, rows * cols);
  const int threads = ThreadsFor(rows * cols * 3);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const float* __restrict xr = x + r * cols;
    float* __restrict o = out + r * cols;
    const RowStats s = Stats(xr, cols, eps);
    for (int64_t j = 0; j < cols; ++j) o[j] = ((xr[j] - s.mean) * s.rstd) * gamma[j] + beta[j];
  }
  return info.Env().Undefined();
}

static Napi::Value LayerNormGrad(const Napi::CallbackInfo& info) {
  const int wrt = static_cast<int>(Int(info, 5));
  const int64_t rows = Int(info, 6), cols = Int(info, 7);
  const float eps = static_cast<float>(Double(info, 8));
  const float* dy = At<float>(info, 0, 1, rows * cols);
  const float* x = At<float>(info, 0, 2, rows * cols);
  const float* gamma = At<float>(info, 0, 3, cols);
  if (wrt < 0 || wrt > 2) throw Napi::Error::New(info.Env(), "native LayerNorm gradient: wrt must be 0, 1 or 2");
  float* out = At<float>(info, 0, 4, wrt == 0 ? rows * cols : cols);
  const int threads = ThreadsFor(rows * cols * 4);
  if (wrt == 0) {
#pragma omp parallel num_threads(threads)
    {
      std::vector<float> xhat(static_cast<size_t>(cols)), g(static_cast<size_t>(cols));
#pragma omp for schedule(static)
      for (int64_t r = 0; r < rows; ++r) {
        const float* __restrict xr = x + r * cols;
        const float* __restrict dyr = dy + r * cols;
        float* __restrict dxr = out + r * cols;
        const RowStats s = Stats(xr, cols, eps);
        double sg = 0.0, sgx = 0.0;
        for (int64_t j = 0; j < cols; ++j) {
          xhat[j] = (xr[j] - s.mean) * s.rstd;
          g[j] = dyr[j] * gamma[j];
          sg += g[j];
          sgx += static_cast<double>(g[j] * xhat[j]);
        }
        const float mg = static_cast<float>(sg / static_cast<double>(cols));
        const float mgx = static_cast<float>(sgx / static_cast<double>(cols));
        for (int64_t j = 0; j < cols; ++j) dxr[j] = s.rstd * (g[j] - mg - xhat[j] * mgx);
      }
    }
    return info.Env().Undefined();
  }
  // dγ = Σ_rows dy·x̂, dβ = Σ_rows dy: each thread sums its rows in double, then the threads' sums are added.
  std::vector<double> partial(static_cast<size_t>(threads) * cols, 0.0);
#pragma omp parallel num_threads(threads)
  {
    double* __restrict p = partial.data() + static_cast<size_t>(omp_get_thread_num()) * cols;
#pragma omp for schedule(static)
    for (int64_t r = 0; r < rows; ++r) {
      const float* __restrict dyr = dy + r * cols;
      if (wrt == 2) {
        for (int64_t j = 0; j < cols; ++j) p[j] += dyr[j];
      } else {
        const float* __restrict xr = x + r * cols;
        const RowStats s = Stats(xr, cols, eps);
        for (int64_t j = 0; j < cols; ++j) p[j] += static_cast<double>(dyr[j] * ((xr[j] - s.mean) * s.rstd));
      }
    }
  }
  for (int64_t j = 0; j < cols; ++j) {
    double sum = 0.0;
    for (int t = 0; t < threads; ++t) sum += partial[static_cast<size_t>(t) * cols + j];
    out[j] = static_cast<float>(sum);
  }
  return info.Env().Undefined();
}

void RegisterLayerNorm(Napi::Env env, Napi::Object exports) {
  exports.Set("layerNorm", Napi::Function::New(env, LayerNorm));
  exports.Set("layerNormGrad", Napi::Function::New(env, LayerNormGrad));
}

}  // namespace mpb
