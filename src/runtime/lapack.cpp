// The LAPACK routines np.linalg calls, from the library NumPy loaded (runtime/loaded_blas.h),
// called as NumPy's linalg calls them: on Fortran-ordered copies the caller made, so the
// results are NumPy's. Each returns LAPACK's info, or ACCEL_NO_LAPACK when the process
// has no LAPACK (the compiled library then computes the factorization itself).

#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/abi.h"
#include "runtime/loaded_blas.h"

namespace {

struct Lapack {
  std::string symbols;  // prefix + "dgesv" + suffix, as found
  void* dgesv = nullptr;
  void* sgesv = nullptr;
  void* dgetrf = nullptr;
  void* sgetrf = nullptr;
  void* dpotrf = nullptr;
  void* spotrf = nullptr;
  void* dsyevd = nullptr;
  void* ssyevd = nullptr;
  bool ilp64 = false;
};

struct Candidate {
  const char* prefix;
  const char* suffix;
  bool ilp64;
};

constexpr Candidate kCandidates[] = {
    {"scipy_", "_64_", true},  // NumPy's and SciPy's wheels (OpenBLAS, 64-bit integers)
    {"", "_64_", true},
    {"scipy_", "_", false},
    {"", "_", false},          // a system LAPACK (32-bit integers)
};

const Lapack& lapack() {
  static Lapack found;
  static std::once_flag once;
  std::call_once(once, [] {
    // ACCEL_LAPACK=0 leaves it unfound: the library's own factorizations then run (tested so).
    if (const char* setting = std::getenv("ACCEL_LAPACK"); setting && std::string(setting) == "0") return;
    for (const Candidate& c : kCandidates) {
      auto symbol = [&](const char* routine) {
        return accel::runtime::loaded_blas_symbol((std::string(c.prefix) + routine + c.suffix).c_str());
      };
      Lapack candidate{std::string(c.prefix) + "dgesv" + c.suffix, symbol("dgesv"), symbol("sgesv"), symbol("dgetrf"), symbol("sgetrf"),
                       symbol("dpotrf"), symbol("spotrf"), symbol("dsyevd"), symbol("ssyevd"), c.ilp64};
      if (candidate.dgesv && candidate.sgesv && candidate.dgetrf && candidate.sgetrf && candidate.dpotrf &&
          candidate.spotrf) {
        found = candidate;
        return;
      }
    }
  });
  return found;
}

// Fortran's calling convention: every argument by address.
template <typename Int>
using Gesv = void (*)(const Int*, const Int*, void*, const Int*, Int*, void*, const Int*, Int*);
template <typename Int>
using Getrf = void (*)(const Int*, const Int*, void*, const Int*, Int*, Int*);
template <typename Int>
using Potrf = void (*)(const char*, const Int*, void*, const Int*, Int*);
template <typename Int, typename T>
using Syevd = void (*)(const char*, const char*, const Int*, T*, const Int*, T*, T*, const Int*, Int*, const Int*, Int*);

// NumPy's eigh: dsyevd of the lower triangle, its workspace asked for first.
template <typename Int, typename T>
int64_t symmetric_eigen(void* routine, bool vectors, int64_t n, void* a, int64_t lda, void* w) {
  const char jobz = vectors ? 'V' : 'N', uplo = 'L';
  const Int n_ = static_cast<Int>(n), lda_ = static_cast<Int>(lda), query = -1;
  T work_size = 0;
  Int iwork_size = 0, info = 0;
  auto* syevd = reinterpret_cast<Syevd<Int, T>>(routine);
  syevd(&jobz, &uplo, &n_, static_cast<T*>(a), &lda_, static_cast<T*>(w), &work_size, &query, &iwork_size, &query,
        &info);
  if (info != 0) return info;
  std::vector<T> work;
  std::vector<Int> iwork;
  try {
    work.resize(static_cast<size_t>(work_size) + 1);
    iwork.resize(static_cast<size_t>(iwork_size) + 1);
  } catch (...) {
    return ACCEL_LAPACK_NO_MEMORY;
  }
  const Int lwork = static_cast<Int>(work.size()), liwork = static_cast<Int>(iwork.size());
  syevd(&jobz, &uplo, &n_, static_cast<T*>(a), &lda_, static_cast<T*>(w), work.data(), &lwork, iwork.data(),
        &liwork, &info);
  return info;
}

// Pivots as LAPACK's integers, handed back as int64 (1-based, as LAPACK's).
template <typename Int>
int64_t factor(void* routine, int64_t n, void* a, int64_t lda, int64_t* pivots, void* b, int64_t nrhs,
               int64_t ldb) {
  std::vector<Int> ipiv;
  try {
    ipiv.resize(static_cast<size_t>(n));
  } catch (...) {
    return ACCEL_NO_LAPACK;  // the caller's own factorization then reports the memory
  }
  const Int n_ = static_cast<Int>(n), lda_ = static_cast<Int>(lda);
  Int info = 0;
  if (b) {
    const Int nrhs_ = static_cast<Int>(nrhs), ldb_ = static_cast<Int>(ldb);
    reinterpret_cast<Gesv<Int>>(routine)(&n_, &nrhs_, a, &lda_, ipiv.data(), b, &ldb_, &info);
  } else {
    reinterpret_cast<Getrf<Int>>(routine)(&n_, &n_, a, &lda_, ipiv.data(), &info);
  }
  if (pivots)
    for (int64_t i = 0; i < n; ++i) pivots[i] = ipiv[static_cast<size_t>(i)];
  return info;
}

}  // namespace

extern "C" int64_t accel_rt_lapack_gesv(int32_t single, int64_t n, int64_t nrhs, void* a, int64_t lda, void* b,
                                        int64_t ldb) {
  const Lapack& l = lapack();
  if (!l.dgesv) return ACCEL_NO_LAPACK;
  void* routine = single ? l.sgesv : l.dgesv;
  return l.ilp64 ? factor<int64_t>(routine, n, a, lda, nullptr, b, nrhs, ldb)
                 : factor<int32_t>(routine, n, a, lda, nullptr, b, nrhs, ldb);
}

extern "C" int64_t accel_rt_lapack_getrf(int32_t single, int64_t n, void* a, int64_t lda, int64_t* pivots) {
  const Lapack& l = lapack();
  if (!l.dgetrf) return ACCEL_NO_LAPACK;
  void* routine = single ? l.sgetrf : l.dgetrf;
  return l.ilp64 ? factor<int64_t>(routine, n, a, lda, pivots, nullptr, 0, 0)
                 : factor<int32_t>(routine, n, a, lda, pivots, nullptr, 0, 0);
}

extern "C" int64_t accel_rt_lapack_syevd(int32_t single, int32_t vectors, int64_t n, void* a, int64_t lda, void* w) {
  const Lapack& l = lapack();
  if (!l.dsyevd || !l.ssyevd) return ACCEL_NO_LAPACK;
  if (single)
    return l.ilp64 ? symmetric_eigen<int64_t, float>(l.ssyevd, vectors, n, a, lda, w)
                   : symmetric_eigen<int32_t, float>(l.ssyevd, vectors, n, a, lda, w);
  return l.ilp64 ? symmetric_eigen<int64_t, double>(l.dsyevd, vectors, n, a, lda, w)
                 : symmetric_eigen<int32_t, double>(l.dsyevd, vectors, n, a, lda, w);
}

extern "C" int64_t accel_rt_lapack_potrf(int32_t single, int64_t n, void* a, int64_t lda) {
  const Lapack& l = lapack();
  if (!l.dpotrf) return ACCEL_NO_LAPACK;
  void* routine = single ? l.spotrf : l.dpotrf;
  const char lower = 'L';
  if (l.ilp64) {
    const int64_t n_ = n, lda_ = lda;
    int64_t info = 0;
    reinterpret_cast<Potrf<int64_t>>(routine)(&lower, &n_, a, &lda_, &info);
    return info;
  }
  const int32_t n_ = static_cast<int32_t>(n), lda_ = static_cast<int32_t>(lda);
  int32_t info = 0;
  reinterpret_cast<Potrf<int32_t>>(routine)(&lower, &n_, a, &lda_, &info);
  return info;
}

namespace accel::runtime {

std::string lapack_symbols() { return lapack().symbols; }

}  // namespace accel::runtime
