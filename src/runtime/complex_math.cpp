// Complex powers and functions for compiled code. A Python complex follows CPython's
// complex_pow (repeated squaring for small integer exponents, its own division, its
// errors); NumPy's complex64/complex128 follow NumPy's power loop (the same squaring with
// its own quotient, libm's cpow otherwise). The functions (exp, log, sqrt, ...) are
// libm's, which NumPy's complex ufuncs call too.

#include <cerrno>
#include <cmath>
#include <complex>

#include "runtime/abi.h"

namespace {

template <typename T>
std::complex<T> product(std::complex<T> a, std::complex<T> b) {  // no C99 Annex G rescue
  return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

// CPython's _Py_c_quot; `zero` is set for a zero divisor (ZeroDivisionError).
std::complex<double> python_quotient(std::complex<double> a, std::complex<double> b, bool& zero) {
  const double abs_real = std::fabs(b.real()), abs_imag = std::fabs(b.imag());
  if (abs_real >= abs_imag) {
    if (abs_real == 0.0) {
      zero = true;
      return {0.0, 0.0};
    }
    const double ratio = b.imag() / b.real();
    const double denominator = b.real() + b.imag() * ratio;
    return {(a.real() + a.imag() * ratio) / denominator, (a.imag() - a.real() * ratio) / denominator};
  }
  if (abs_imag >= abs_real) {
    const double ratio = b.real() / b.imag();
    const double denominator = b.real() * ratio + b.imag();
    return {(a.real() * ratio + a.imag()) / denominator, (a.imag() * ratio - a.real()) / denominator};
  }
  return {NAN, NAN};
}

// x ** n for n >= 0 by repeated squaring, from 1 (CPython's c_powu; NumPy's loop is the
// same but stops squaring once the mask passes n).
template <typename T>
std::complex<T> unsigned_power(std::complex<T> x, long n) {
  std::complex<T> r{1, 0}, p = x;
  for (long mask = 1; mask > 0 && n >= mask; mask <<= 1) {
    if (n & mask) r = product(r, p);
    if (n < (mask << 1)) break;
    p = product(p, p);
  }
  return r;
}

int32_t python_power(double ar, double ai, double br, double bi, double* out) {
  const std::complex<double> a{ar, ai};
  std::complex<double> r;
  bool zero_divisor = false;
  if (bi == 0.0 && br == std::floor(br) && std::fabs(br) <= 100.0) {
    const long n = static_cast<long>(br);
    r = n >= 0 ? unsigned_power(a, n) : python_quotient({1.0, 0.0}, unsigned_power(a, -n), zero_divisor);
  } else if (br == 0.0 && bi == 0.0) {
    r = {1.0, 0.0};
  } else if (ar == 0.0 && ai == 0.0) {
    zero_divisor = bi != 0.0 || br < 0.0;
    r = {0.0, 0.0};
  } else {
    const double magnitude = std::hypot(ar, ai);
    double length = std::pow(magnitude, br);
    const double angle = std::atan2(ai, ar);
    double phase = angle * br;
    if (bi != 0.0) {
      length /= std::exp(angle * bi);
      phase += bi * std::log(magnitude);
    }
    r = {length * std::cos(phase), length * std::sin(phase)};
  }
  if (zero_divisor) {
    accel_rt_raise(ACCEL_ERROR_ZERO_DIVISION, "0.0 to a negative or complex power");
    return 1;
  }
  if (std::isinf(r.real()) || std::isinf(r.imag())) {
    accel_rt_raise(ACCEL_ERROR_OVERFLOW, "complex exponentiation");
    return 1;
  }
  out[0] = r.real();
  out[1] = r.imag();
  return 0;
}

// NumPy's complex division (Smith's, multiplying by one reciprocal), as its divide loop
// and the emitter's complex_quotient compute it.
template <typename T>
std::complex<T> numpy_quotient(std::complex<T> a, std::complex<T> b) {
  const T abs_real = std::fabs(b.real()), abs_imag = std::fabs(b.imag());
  if (abs_real >= abs_imag) {
    if (abs_real == 0 && abs_imag == 0) return {a.real() / abs_real, a.imag() / abs_real};
    const T ratio = b.imag() / b.real();
    const T scale = T(1) / (b.real() + b.imag() * ratio);
    return {(a.real() + a.imag() * ratio) * scale, (a.imag() - a.real() * ratio) * scale};
  }
  const T ratio = b.real() / b.imag();
  const T scale = T(1) / (b.imag() + b.real() * ratio);
  return {(a.real() * ratio + a.imag()) * scale, (a.imag() * ratio - a.real()) * scale};
}

template <typename T>
std::complex<T> numpy_power(std::complex<T> a, std::complex<T> b) {
  const T ar = a.real(), ai = a.imag(), br = b.real(), bi = b.imag();
  if (br == 0 && bi == 0) return {1, 0};
  if (ar == 0 && ai == 0) {
    if (br > 0 && bi == 0) return {0, 0};
    return {NAN, NAN};
  }
  if (bi == 0 && br == static_cast<T>(static_cast<long>(br))) {
    long n = static_cast<long>(br);
    if (n == 1) return a;
    if (n == 2) return product(a, a);
    if (n == 3) return product(a, product(a, a));
    if (n > -100 && n < 100) {
      const std::complex<T> r = unsigned_power(a, n < 0 ? -n : n);
      return br < 0 ? numpy_quotient<T>({1, 0}, r) : r;
    }
  }
  return std::pow(a, b);
}

template <typename T>
std::complex<T> function_of(int32_t function, std::complex<T> z) {
  switch (function) {
    case ACCEL_COMPLEX_EXP: return std::exp(z);
    case ACCEL_COMPLEX_LOG: return std::log(z);
    case ACCEL_COMPLEX_SQRT: return std::sqrt(z);
    case ACCEL_COMPLEX_SIN: return std::sin(z);
    case ACCEL_COMPLEX_COS: return std::cos(z);
    case ACCEL_COMPLEX_TAN: return std::tan(z);
    case ACCEL_COMPLEX_SINH: return std::sinh(z);
    case ACCEL_COMPLEX_COSH: return std::cosh(z);
    default: return std::tanh(z);
  }
}

}  // namespace

extern "C" int32_t accel_rt_complex_power(int32_t kind, double ar, double ai, double br, double bi, double* out) {
  if (kind == ACCEL_COMPLEX_PYTHON) return python_power(ar, ai, br, bi, out);
  if (kind == ACCEL_COMPLEX_SINGLE) {
    const std::complex<float> r = numpy_power<float>({static_cast<float>(ar), static_cast<float>(ai)},
                                                     {static_cast<float>(br), static_cast<float>(bi)});
    out[0] = r.real();
    out[1] = r.imag();
    return 0;
  }
  const std::complex<double> r = numpy_power<double>({ar, ai}, {br, bi});
  out[0] = r.real();
  out[1] = r.imag();
  return 0;
}

extern "C" void accel_rt_complex_function(int32_t function, int32_t single, double re, double im, double* out) {
  if (single) {
    const std::complex<float> r = function_of<float>(function, {static_cast<float>(re), static_cast<float>(im)});
    out[0] = r.real();
    out[1] = r.imag();
    return;
  }
  const std::complex<double> r = function_of<double>(function, {re, im});
  out[0] = r.real();
  out[1] = r.imag();
}
