#pragma once
#include <napi.h>

namespace mpb {
/** softmax(heap, xOffset, outOffset, rows, cols): softmax over the last axis. */
void RegisterSoftmax(Napi::Env env, Napi::Object exports);
}  // namespace mpb
