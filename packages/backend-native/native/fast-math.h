// Vectorisable float32 exp and erf: the compiler turns loops over these into AVX-512/AVX2 code,
// where the C library's expf/erff stay scalar (GELU's erf over bert-base's 37.7 M
// intermediate activations per forward took longer than a layer's matmuls with erff).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace mpb {

/** exp(x), Cephes' single-precision method (range reduction by ln 2, degree-5 polynomial): ≤ 2 ulp. */
static inline float FastExp(float x) {
  const float hi = 88.3762626647949f, lo = -87.3365478515625f;
  const float xc = x > hi ? hi : (x < lo ? lo : x);
  const float n = std::nearbyint(xc * 1.44269504088896341f);
  float r = xc - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float y = p * r * r + r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  float e = y * scale;
  e = x > 88.72283935546875f ? INFINITY : e;
  e = x < -103.972084045410f ? 0.0f : e;
  return x != x ? x : e;
}

/**
 * erf(x), the rational approximation Eigen and TensorFlow use (odd degree-13 over even degree-8
 * polynomial on [-4, 4], ±1 outside): absolute error below 1e-7.
 */
static inline float FastErf(float x) {
  const float xc = x > 4.f ? 4.f : (x < -4.f ? -4.f : x);
  const float x2 = xc * xc;
  float p = -2.72614225801306e-10f;
  p = p * x2 + 2.77068142495902e-08f;
  p = p * x2 + -2.10102402082508e-06f;
  p = p * x2 + -5.69250639462346e-05f;
  p = p * x2 + -7.34990630326855e-04f;
  p = p * x2 + -2.95459980854025e-03f;
  p = p * x2 + -1.60960333262415e-02f;
  p = p * xc;
  float q = -1.45660718464996e-05f;
  q = q * x2 + -2.13374055278905e-04f;
  q = q * x2 + -1.68282697438203e-03f;
  q = q * x2 + -7.37332916720468e-03f;
  q = q * x2 + -1.42647390514189e-02f;
  return x != x ? x : p / q;
}

}  // namespace mpb
