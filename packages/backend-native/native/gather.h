#pragma once
#include <napi.h>

namespace mpb {
/**
 * gather(heap, xOffset, indicesOffset, outOffset, outer, axisSize, inner, count): x as
 * [outer, axisSize, inner] (4-byte elements), int32 indices → [outer, count, inner]. Returns -1, or
 * the position of the first index outside [0, axisSize) (nothing is written then).
 */
void RegisterGather(Napi::Env env, Napi::Object exports);
}  // namespace mpb
