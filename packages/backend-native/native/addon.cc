// The addon's entry point: one function per kernel family (see each file).
#include <napi.h>

#include "adamw.h"
#include "binary.h"
#include "cast.h"
#include "gather.h"
#include "gelu.h"
#include "layer-norm.h"
#include "matmul.h"
#include "reduce.h"
#include "segment-sum.h"
#include "softmax.h"
#include "threads.h"
#include "transpose.h"
#include "unary.h"

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  mpb::RegisterThreads(env, exports);
  mpb::RegisterMatMul(env, exports);
  mpb::RegisterBinary(env, exports);
  mpb::RegisterUnary(env, exports);
  mpb::RegisterReduce(env, exports);
  mpb::RegisterSoftmax(env, exports);
  mpb::RegisterTranspose(env, exports);
  mpb::RegisterAdamW(env, exports);
  mpb::RegisterGather(env, exports);
  mpb::RegisterGelu(env, exports);
  mpb::RegisterLayerNorm(env, exports);
  mpb::RegisterCast(env, exports);
  mpb::RegisterSegmentSum(env, exports);
  return exports;
}

NODE_API_MODULE(maxpoolbert_native, Init)
