// Matrix products (`a @ b`, np.dot of float arrays) through the BLAS that NumPy itself
// loaded into the process, as NumPy computes them: so the product is as fast as NumPy's
// and equal to it. The library is found at the first product by its CBLAS symbols
// (NumPy's wheels bundle OpenBLAS as scipy_cblas_dgemm64_; other builds export
// cblas_dgemm); where none is found, a loop computes the product.
//
// Why not scipy.linalg.cython_blas, as numba: importing scipy.linalg costs ~200 ms, more
// than a whole compilation, and NumPy's BLAS is in the process already.

#include <algorithm>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/abi.h"
#include "runtime/loaded_blas.h"

namespace {

enum CblasOrder { kRowMajor = 101 };
enum CblasTranspose { kNoTrans = 111, kTrans = 112 };

// CBLAS gemm, gemv and dot with 64-bit (ILP64) or 32-bit (LP64) integers. A product
// with one row or one column goes to gemv, as NumPy's does (gemm's set-up costs more
// than a small matrix-vector product: 4x at 50 x 50), a vector by a vector to dot.
template <typename Int, typename T>
using Gemm = void (*)(int, int, int, Int, Int, Int, T, const T*, Int, const T*, Int, T, T*, Int);
template <typename Int, typename T>
using Gemv = void (*)(int, int, Int, Int, T, const T*, Int, const T*, Int, T, T*, Int);
template <typename Int, typename T>
using Dot = T (*)(Int, const T*, Int, const T*, Int);

struct Blas {
  void* dgemm = nullptr;
  void* sgemm = nullptr;
  void* dgemv = nullptr;
  void* sgemv = nullptr;
  void* ddot = nullptr;
  void* sdot = nullptr;
  bool ilp64 = false;
};

struct Candidate {
  const char* prefix;  // before the routine's name
  const char* suffix;  // after it
  bool ilp64;
};

constexpr Candidate kCandidates[] = {
    {"scipy_cblas_", "64_", true},  // NumPy's and SciPy's wheels (OpenBLAS)
    {"cblas_", "64_", true},        // OpenBLAS built with a 64_ suffix
    {"scipy_cblas_", "", false},
    {"cblas_", "", false},          // a system BLAS (LP64)
};

const Blas& blas() {
  static Blas found;
  static std::once_flag once;
  std::call_once(once, [] {
    for (const Candidate& c : kCandidates) {
      auto symbol = [&](const char* routine) {
        return accel::runtime::loaded_blas_symbol((std::string(c.prefix) + routine + c.suffix).c_str());
      };
      Blas candidate{symbol("dgemm"), symbol("sgemm"), symbol("dgemv"), symbol("sgemv"), symbol("ddot"),
                     symbol("sdot"), c.ilp64};
      if (candidate.dgemm && candidate.sgemm) {  // gemv and dot are used when present
        found = candidate;
        return;
      }
    }
  });
  return found;
}

// How BLAS can read a rows x cols matrix with these byte strides: row- or column-major
// with a leading dimension, or not at all (then it is copied).
struct View {
  bool possible = false;
  bool transposed = false;  // column-major: CBLAS reads it as the transpose
  int64_t leading = 0;
};

View view_of(int64_t rows, int64_t cols, int64_t s0, int64_t s1, int64_t item) {
  auto whole = [item](int64_t s) { return s > 0 && s % item == 0; };
  if ((cols == 1 || s1 == item) && (rows == 1 || (whole(s0) && s0 / item >= cols)))
    return {true, false, rows == 1 ? cols : s0 / item};
  if ((rows == 1 || s0 == item) && (cols == 1 || (whole(s1) && s1 / item >= rows)))
    return {true, true, cols == 1 ? rows : s1 / item};
  return {};
}

template <typename T>
const T* contiguous_copy(const char* data, int64_t rows, int64_t cols, int64_t s0, int64_t s1,
                         std::vector<T>& storage) {
  storage.resize(static_cast<size_t>(rows * cols));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      storage[static_cast<size_t>(i * cols + j)] = *reinterpret_cast<const T*>(data + i * s0 + j * s1);
  return storage.data();
}

template <typename T>
void loop_product(int64_t m, int64_t n, int64_t k, const char* a, int64_t a0, int64_t a1, const char* b,
                  int64_t b0, int64_t b1, T* c) {
  for (int64_t i = 0; i < m * n; ++i) c[i] = 0;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t p = 0; p < k; ++p) {
      const T x = *reinterpret_cast<const T*>(a + i * a0 + p * a1);
      for (int64_t j = 0; j < n; ++j) c[i * n + j] += x * *reinterpret_cast<const T*>(b + p * b0 + j * b1);
    }
}

template <typename Int, typename T>
void call_gemm(void* gemm, int64_t m, int64_t n, int64_t k, const T* a, View va, const T* b, View vb, T* c) {
  reinterpret_cast<Gemm<Int, T>>(gemm)(kRowMajor, va.transposed ? kTrans : kNoTrans,
                                       vb.transposed ? kTrans : kNoTrans, static_cast<Int>(m),
                                       static_cast<Int>(n), static_cast<Int>(k), T(1), a,
                                       static_cast<Int>(va.leading), b, static_cast<Int>(vb.leading), T(0), c,
                                       static_cast<Int>(n));
}

template <typename Int, typename T>
void call_gemv(void* gemv, int64_t m, int64_t n, int64_t k, const T* a, View va, const T* b, View vb, T* c) {
  // One column (n == 1): c = A x with x b's column; one row (m == 1): c = B^T x with x a's
  // row. The matrix is read row-major, or as the transpose when stored by columns.
  const bool column = n == 1;
  const T* matrix = column ? a : b;
  const View vm = column ? va : vb;
  const T* vector = column ? b : a;
  const int64_t step = column ? (vb.transposed ? 1 : vb.leading) : (va.transposed ? va.leading : 1);
  const int64_t rows = column ? m : k, cols = column ? k : n;  // of the matrix as the product reads it
  // Row-major storage of a rows x cols matrix is read as is for A x and as the transpose
  // for B^T x; storage by columns is the other way around.
  const bool trans = column ? vm.transposed : !vm.transposed;
  const int64_t stored_rows = vm.transposed ? cols : rows, stored_cols = vm.transposed ? rows : cols;
  reinterpret_cast<Gemv<Int, T>>(gemv)(kRowMajor, trans ? kTrans : kNoTrans, static_cast<Int>(stored_rows),
                                       static_cast<Int>(stored_cols), T(1), matrix, static_cast<Int>(vm.leading),
                                       vector, static_cast<Int>(step), T(0), c, 1);
}

template <typename T>
void product(int64_t m, int64_t n, int64_t k, const char* a, int64_t a0, int64_t a1, const char* b, int64_t b0,
             int64_t b1, T* c) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    for (int64_t i = 0; i < m * n; ++i) c[i] = 0;
    return;
  }
  const Blas& found = blas();
  void* gemm = sizeof(T) == 8 ? found.dgemm : found.sgemm;
  if (!gemm) {
    loop_product<T>(m, n, k, a, a0, a1, b, b0, b1, c);
    return;
  }
  std::vector<T> a_copy, b_copy;
  View va = view_of(m, k, a0, a1, sizeof(T));
  const T* a_data = reinterpret_cast<const T*>(a);
  if (!va.possible) {
    a_data = contiguous_copy<T>(a, m, k, a0, a1, a_copy);
    va = {true, false, k};
  }
  View vb = view_of(k, n, b0, b1, sizeof(T));
  const T* b_data = reinterpret_cast<const T*>(b);
  if (!vb.possible) {
    b_data = contiguous_copy<T>(b, k, n, b0, b1, b_copy);
    vb = {true, false, n};
  }
  constexpr int64_t kInt32Max = 2147483647;
  if (!found.ilp64 && std::max({m, n, k, va.leading, vb.leading}) > kInt32Max) {  // beyond LP64's ints
    loop_product<T>(m, n, k, a, a0, a1, b, b0, b1, c);
    return;
  }
  void* gemv = sizeof(T) == 8 ? found.dgemv : found.sgemv;
  void* dot = sizeof(T) == 8 ? found.ddot : found.sdot;
  if (m == 1 && n == 1 && dot) {
    // A row's elements are va.leading apart when it is stored as a column, 1 otherwise.
    const int64_t a_step = va.transposed ? va.leading : 1, b_step = vb.transposed ? 1 : vb.leading;
    c[0] = found.ilp64 ? reinterpret_cast<Dot<int64_t, T>>(dot)(k, a_data, a_step, b_data, b_step)
                       : reinterpret_cast<Dot<int32_t, T>>(dot)(static_cast<int32_t>(k), a_data,
                                                                static_cast<int32_t>(a_step), b_data,
                                                                static_cast<int32_t>(b_step));
    return;
  }
  if ((m == 1 || n == 1) && gemv) {
    if (found.ilp64)
      call_gemv<int64_t, T>(gemv, m, n, k, a_data, va, b_data, vb, c);
    else
      call_gemv<int32_t, T>(gemv, m, n, k, a_data, va, b_data, vb, c);
    return;
  }
  if (found.ilp64)
    call_gemm<int64_t, T>(gemm, m, n, k, a_data, va, b_data, vb, c);
  else
    call_gemm<int32_t, T>(gemm, m, n, k, a_data, va, b_data, vb, c);
}

}  // namespace

extern "C" int32_t accel_rt_matrix_product(int32_t single, int64_t m, int64_t n, int64_t k, const char* a,
                                           int64_t a_stride0, int64_t a_stride1, const char* b,
                                           int64_t b_stride0, int64_t b_stride1, void* out) {
  return accel::runtime::without_exceptions([&] {
    if (single)
      product<float>(m, n, k, a, a_stride0, a_stride1, b, b_stride0, b_stride1, static_cast<float*>(out));
    else
      product<double>(m, n, k, a, a_stride0, a_stride1, b, b_stride0, b_stride1, static_cast<double*>(out));
    return 0;
  });
}

