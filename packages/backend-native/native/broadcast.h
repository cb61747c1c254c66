// NumPy broadcasting of two operands into one output, reduced to as few dimensions as possible:
// the last dimension is then contiguous (stride 1) or broadcast (stride 0) in each operand, and
// the kernels loop over it with a tight, vectorised inner loop.
#pragma once
#include <cstdint>
#include <vector>

namespace mpb {

struct Broadcast {
  std::vector<int64_t> dims;     // output dims, collapsed
  std::vector<int64_t> aStride;  // element strides in a (0 where a broadcasts)
  std::vector<int64_t> bStride;
  int64_t size = 1;              // output elements
  bool ok = true;                // false when the shapes do not broadcast
};

inline Broadcast MakeBroadcast(std::vector<int64_t> a, std::vector<int64_t> b) {
  Broadcast r;
  const size_t rank = a.size() > b.size() ? a.size() : b.size();
  a.insert(a.begin(), rank - a.size(), 1);
  b.insert(b.begin(), rank - b.size(), 1);
  std::vector<int64_t> dims(rank), as(rank), bs(rank);
  int64_t sa = 1, sb = 1;
  for (size_t i = rank; i-- > 0;) {
    if (a[i] != b[i] && a[i] != 1 && b[i] != 1) {
      r.ok = false;
      return r;
    }
    dims[i] = a[i] == 1 ? b[i] : a[i];  // 1 broadcasts to the other size, also to 0
    as[i] = a[i] == 1 ? 0 : sa;
    bs[i] = b[i] == 1 ? 0 : sb;
    sa *= a[i];
    sb *= b[i];
  }
  for (size_t i = 0; i < rank; ++i) {
    if (dims[i] == 0) {
      r.size = 0;
      r.dims = {0};
      r.aStride = {0};
      r.bStride = {0};
      return r;
    }
    if (dims[i] == 1) continue;  // size-1 dims take no part
    if (!r.dims.empty()) {
      // Merge with the previous dim when both operands step through the two as through one.
      const size_t j = r.dims.size() - 1;
      if (r.aStride[j] == as[i] * dims[i] && r.bStride[j] == bs[i] * dims[i]) {
        r.dims[j] *= dims[i];
        r.aStride[j] = as[i];
        r.bStride[j] = bs[i];
        continue;
      }
    }
    r.dims.push_back(dims[i]);
    r.aStride.push_back(as[i]);
    r.bStride.push_back(bs[i]);
  }
  if (r.dims.empty()) {
    r.dims = {1};
    r.aStride = {0};
    r.bStride = {0};
  }
  r.size = 1;
  for (int64_t d : r.dims) r.size *= d;
  return r;
}

}  // namespace mpb
