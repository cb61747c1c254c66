// Shared helpers of the native kernels: reading arguments and finding tensors in the WASM heap.
//
// Every tensor of the `native` backend lives in the heap of tfjs's WASM module (the backend is
// tfjs-backend-wasm with its heavy kernels replaced), so a kernel receives that heap's
// ArrayBuffer and byte offsets into it: no copies between JavaScript and C++.
#pragma once
#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mpb {

/** Tensors up to this rank (tfjs's WASM backend supports the same). */
constexpr int kMaxRank = 8;

/** Below this many elements a kernel runs on the calling thread: waking the pool costs more. */
constexpr int64_t kParallelGrain = 1 << 15;

inline int64_t Int(const Napi::CallbackInfo& info, size_t i) {
  return static_cast<int64_t>(info[i].As<Napi::Number>().DoubleValue());
}

inline double Double(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().DoubleValue(); }

inline bool Bool(const Napi::CallbackInfo& info, size_t i) { return info[i].ToBoolean().Value(); }

/** An Int32Array argument (a shape, strides or a permutation) as a vector. */
inline std::vector<int64_t> Ints(const Napi::CallbackInfo& info, size_t i) {
  Napi::Int32Array a = info[i].As<Napi::Int32Array>();
  std::vector<int64_t> v(a.ElementLength());
  for (size_t k = 0; k < v.size(); ++k) v[k] = a[k];
  if (v.size() > static_cast<size_t>(kMaxRank)) throw Napi::RangeError::New(info.Env(), "native kernel: rank above 8");
  return v;
}

/**
 * A typed pointer `count` elements long at `byteOffset` in the heap (argument `heapArg`), checked
 * to lie inside it: a wrong offset is an exception, never a write outside the heap.
 */
template <typename T>
T* At(const Napi::CallbackInfo& info, size_t heapArg, size_t offsetArg, int64_t count) {
  Napi::ArrayBuffer heap = info[heapArg].As<Napi::ArrayBuffer>();
  const int64_t offset = Int(info, offsetArg);
  const int64_t bytes = count * static_cast<int64_t>(sizeof(T));
  if (offset < 0 || count < 0 || offset % static_cast<int64_t>(alignof(T)) != 0 ||
      offset + bytes > static_cast<int64_t>(heap.ByteLength())) {
    throw Napi::RangeError::New(info.Env(), "native kernel: tensor outside the WASM heap");
  }
  return reinterpret_cast<T*>(static_cast<uint8_t*>(heap.Data()) + offset);
}

inline int64_t Product(const std::vector<int64_t>& dims) {
  int64_t p = 1;
  for (int64_t d : dims) p *= d;
  return p;
}

/** Threads to use for `work` elements of cheap work: 1 below the grain, else the pool's size. */
int ThreadsFor(int64_t work);

}  // namespace mpb
