{
  # The native kernels of the `native` tfjs backend: a Node-API addon that runs matrix products
  # with oneDNN (Debian's libdnnl-dev) and element-wise work, reductions, softmax and transposes
  # in OpenMP loops. oneDNN is built on the same OpenMP runtime (libgomp), so there is one
  # thread pool for everything.
  "targets": [
    {
      "target_name": "maxpoolbert_native",
      "sources": [
        "native/addon.cc",
        "native/threads.cc",
        "native/matmul.cc",
        "native/binary.cc",
        "native/unary.cc",
        "native/reduce.cc",
        "native/softmax.cc",
        "native/transpose.cc",
        "native/adamw.cc",
        "native/gather.cc",
        "native/gelu.cc",
        "native/layer-norm.cc",
        "native/cast.cc",
        "native/segment-sum.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-O3", "-fopenmp", "-fno-math-errno", "-fexceptions", "-ffp-contract=off", "<!(node scripts/march.mjs)"],
      "cflags_cc!": ["-fno-exceptions"],
      "libraries": ["-ldnnl", "-fopenmp"]
    }
  ]
}
