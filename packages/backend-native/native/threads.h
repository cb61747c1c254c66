#pragma once
#include <napi.h>

namespace mpb {
/** setThreads(n), getThreads(), libraryInfo(): the one thread pool (OpenMP's, shared with oneDNN). */
void RegisterThreads(Napi::Env env, Napi::Object exports);
}  // namespace mpb
