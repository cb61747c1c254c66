// BatchMatMul through oneDNN's sgemm: out[b] = op(a[b]) · op(b[b]), row-major, with the
// transposes passed to the library (never materialised) and NumPy broadcasting of the batch
// dimensions (a batch dimension of 1 repeats). tfjs's CPU and WASM kernels agree with this
// whenever one operand's batch is 1 or both are equal; for [2,1]·[1,5] they compute only 5 of
// the 10 products, this computes all 10.
#include "matmul.h"

#include <dnnl.h>
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "common.h"

namespace mpb {

/**
 * Products with at most this many rows (and at least twice as many columns) are computed
 * transposed: measured faster up to 128 rows, even at 256, slower beyond.
 */
constexpr int64_t kSwapMaxRows = 128;

/** Element offsets of each output batch's matrix in a and in b, broadcasting the batch dims. */
static void BatchOffsets(std::vector<int64_t> aDims, std::vector<int64_t> bDims, int64_t aMatrix, int64_t bMatrix,
                         std::vector<int64_t>& aOffsets, std::vector<int64_t>& bOffsets, const Napi::Env& env) {
  const size_t rank = std::max(aDims.size(), bDims.size());
  aDims.insert(aDims.begin(), rank - aDims.size(), 1);
  bDims.insert(bDims.begin(), rank - bDims.size(), 1);
  std::vector<int64_t> outDims(rank), aStride(rank), bStride(rank);
  int64_t as = aMatrix, bs = bMatrix;
  for (size_t i = rank; i-- > 0;) {
    if (aDims[i] != bDims[i] && aDims[i] != 1 && bDims[i] != 1) throw Napi::Error::New(env, "native BatchMatMul: batch dimensions do not broadcast");
    outDims[i] = aDims[i] == 1 ? bDims[i] : aDims[i];  // 1 broadcasts to the other size, also to 0
    aStride[i] = aDims[i] == 1 ? 0 : as;
    bStride[i] = bDims[i] == 1 ? 0 : bs;
    as *= aDims[i];
    bs *= bDims[i];
  }
  const int64_t batch = Product(outDims);
  aOffsets.resize(batch);
  bOffsets.resize(batch);
  std::vector<int64_t> index(rank, 0);
  for (int64_t b = 0; b < batch; ++b) {
    int64_t ao = 0, bo = 0;
    for (size_t i = 0; i < rank; ++i) {
      ao += index[i] * aStride[i];
      bo += index[i] * bStride[i];
    }
    aOffsets[b] = ao;
    bOffsets[b] = bo;
    for (size_t i = rank; i-- > 0;) {
      if (++index[i] < outDims[i]) break;
      index[i] = 0;
    }
  }
}

/**
 * One product out = op(a) · op(b) (+ bias[c] on every row, where bias is given) on the whole
 * pool, row-major. Few rows (a short input at inference: 1 × 16 tokens): oneDNN's sgemm splits
 * such a product badly across threads (19-50 GFLOP/s on 2 threads for 16 × 768 · 768 × 3072
 * here), so it computes the transpose, outᵀ = op(b)ᵀ · op(a)ᵀ, where the many rows are (126-130
 * GFLOP/s), and transposes that small result back, adding the bias as it writes. Otherwise one
 * sgemm on every thread by oneDNN's own partitioning (cutting it into blocks taken dynamically,
 * each a single-threaded sgemm, measured 10-25 % slower: every block packs its operands again),
 * then the bias in one pass over the rows.
 */
static dnnl_status_t PoolProduct(bool transA, bool transB, int64_t m, int64_t n, int64_t k, const float* a, const float* b, float* out, const float* bias) {
  const int64_t lda = transA ? m : k, ldb = transB ? k : n;
  const int threads = ThreadsFor(m * n);
  if (m <= kSwapMaxRows && n >= 2 * m) {
    thread_local std::vector<float> transposed;
    transposed.resize(static_cast<size_t>(m * n));
    float* t = transposed.data();
    const dnnl_status_t status = dnnl_sgemm(transB ? 'N' : 'T', transA ? 'N' : 'T', n, m, k, 1.f, b, ldb, a, lda, 0.f, t, m);
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t c = 0; c < n; ++c) {
      if (bias) {
        const float add = bias[c];
        for (int64_t r = 0; r < m; ++r) out[r * n + c] = t[c * m + r] + add;
      } else {  // no +0.f: it would turn a -0 product into +0
        for (int64_t r = 0; r < m; ++r) out[r * n + c] = t[c * m + r];
      }
    }
    return status;
  }
  const dnnl_status_t status = dnnl_sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', m, n, k, 1.f, a, lda, b, ldb, 0.f, out, n);
  if (bias) {
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t r = 0; r < m; ++r) {
      float* o = out + r * n;
      for (int64_t c = 0; c < n; ++c) o[c] = o[c] + bias[c];
    }
  }
  return status;
}

static Napi::Value BatchMatMul(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::vector<int64_t> aDims = Ints(info, 4), bDims = Ints(info, 5);
  const int64_t m = Int(info, 6), n = Int(info, 7), k = Int(info, 8);
  const bool transA = Bool(info, 9), transB = Bool(info, 10);
  std::vector<int64_t> aOffsets, bOffsets;
  BatchOffsets(aDims, bDims, m * k, k * n, aOffsets, bOffsets, env);
  const int64_t batch = static_cast<int64_t>(aOffsets.size());
  const float* a = At<float>(info, 0, 1, Product(aDims) * m * k);
  const float* b = At<float>(info, 0, 2, Product(bDims) * k * n);
  float* out = At<float>(info, 0, 3, batch * m * n);
  if (batch == 0 || m == 0 || n == 0) return env.Undefined();
  if (k == 0) {
    std::memset(out, 0, sizeof(float) * batch * m * n);
    return env.Undefined();
  }
  const int threads = omp_get_max_threads();
  dnnl_status_t failed = dnnl_success;
  if (threads > 1 && batch >= threads) {
    // Many small products (attention: batch × heads of T×T): one per thread, each sgemm
    // single-threaded (oneDNN runs sequentially inside a parallel region).
    const char ta = transA ? 'T' : 'N', tb = transB ? 'T' : 'N';
    const int64_t lda = transA ? m : k, ldb = transB ? k : n;
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t i = 0; i < batch; ++i) {
      const dnnl_status_t s = dnnl_sgemm(ta, tb, m, n, k, 1.f, a + aOffsets[i], lda, b + bOffsets[i], ldb, 0.f, out + i * m * n, n);
      if (s != dnnl_success) failed = s;
    }
  } else {
    // A few products (the dense layers and their gradients) one after another, each on the pool.
    for (int64_t i = 0; i < batch && failed == dnnl_success; ++i) {
      failed = PoolProduct(transA, transB, m, n, k, a + aOffsets[i], b + bOffsets[i], out + i * m * n, nullptr);
    }
  }
  if (failed != dnnl_success) throw Napi::Error::New(env, "native BatchMatMul: dnnl_sgemm failed");
  return env.Undefined();
}

/**
 * Core's dense kernel: out = x · Wᵀ + b for x [m, k], W [n, k] (PyTorch's Linear layout), b [n]:
 * the product BatchMatMul computes with transposeB (so the same numbers as a matmul followed by
 * an add), with the bias added as the result is written.
 */
static Napi::Value Dense(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t m = Int(info, 5), n = Int(info, 6), k = Int(info, 7);
  const float* x = At<float>(info, 0, 1, m * k);
  const float* w = At<float>(info, 0, 2, n * k);
  const float* bias = At<float>(info, 0, 3, n);
  float* out = At<float>(info, 0, 4, m * n);
  if (m == 0 || n == 0) return env.Undefined();
  if (k == 0) {
#pragma omp parallel for num_threads(ThreadsFor(m * n)) schedule(static)
    for (int64_t r = 0; r < m; ++r) std::memcpy(out + r * n, bias, sizeof(float) * n);
    return env.Undefined();
  }
  if (PoolProduct(false, true, m, n, k, x, w, out, bias) != dnnl_success) throw Napi::Error::New(env, "native dense: dnnl_sgemm failed");
  return env.Undefined();
}

void RegisterMatMul(Napi::Env env, Napi::Object exports) {
  exports.Set("batchMatMul", Napi::Function::New(env, BatchMatMul));
  exports.Set("dense", Napi::Function::New(env, Dense));
}

}  // namespace mpb
