// One thread pool for the whole backend: OpenMP's. oneDNN (Debian builds it with the OpenMP
// runtime) and our loops both run on it, so they never oversubscribe the cores. Its size comes
// from OMP_NUM_THREADS when the user set it (OpenMP reads it itself; we never override it),
// otherwise from setThreads (default: every core this process may use).
#include "threads.h"

#include <dnnl.h>
#include <omp.h>

#include <string>

#include "common.h"

namespace mpb {

int ThreadsFor(int64_t work) { return work < kParallelGrain ? 1 : omp_get_max_threads(); }

static Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  const int64_t n = Int(info, 0);
  if (n < 1 || n > 4096) throw Napi::RangeError::New(info.Env(), "threads must be between 1 and 4096");
  omp_set_num_threads(static_cast<int>(n));
  return Napi::Number::New(info.Env(), omp_get_max_threads());
}

static Napi::Value GetThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), omp_get_max_threads()); }

static Napi::Value LibraryInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const dnnl_version_t* v = dnnl_version();
  Napi::Object o = Napi::Object::New(env);
  o.Set("library", std::string("oneDNN ") + std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch));
  o.Set("cpuRuntime", v->cpu_runtime == DNNL_RUNTIME_OMP ? "OpenMP" : v->cpu_runtime == DNNL_RUNTIME_SEQ ? "sequential" : "other");
  o.Set("threads", omp_get_max_threads());
  o.Set("cores", omp_get_num_procs());
  return o;
}

void RegisterThreads(Napi::Env env, Napi::Object exports) {
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("getThreads", Napi::Function::New(env, GetThreads));
  exports.Set("libraryInfo", Napi::Function::New(env, LibraryInfo));
}

}  // namespace mpb
