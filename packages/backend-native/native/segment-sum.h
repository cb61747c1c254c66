#pragma once
#include <napi.h>

namespace mpb {
/**
 * unsortedSegmentSum(heap, xOffset, idsOffset, outOffset, rows, inner, numSegments): float32 x
 * [rows, inner], int32 ids [rows] → out [numSegments, inner]; ids outside [0, numSegments) are
 * dropped, as TensorFlow does.
 */
void RegisterSegmentSum(Napi::Env env, Napi::Object exports);
}  // namespace mpb
