// The LAPACK routines np.linalg calls, from the library NumPy loaded (runtime/loaded_blas.h),
// called as NumPy's linalg calls them: in float64 (NumPy computes in double whatever the
// input), on Fortran-ordered copies the caller made, with the workspace LAPACK asks for,
// so the results are NumPy's bits. Each returns LAPACK's info, ACCEL_NO_LAPACK when the
// process has no LAPACK (or lacks that routine), or ACCEL_LAPACK_NO_MEMORY.
//
// A matrix argument comes as (rows, cols, data, leading dimension), the compiled library's
// one way of passing a Fortran-ordered array (library/lapack.cpp).

#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/abi.h"
#include "runtime/loaded_blas.h"

namespace {

enum Routine { Gesv, Getrf, Potrf, Syevd, Gesdd, Geqrf, Orgqr, Gelsd, Geev, kRoutineCount };

constexpr const char* kRoutineNames[kRoutineCount] = {"dgesv",  "dgetrf", "dpotrf", "dsyevd", "dgesdd",
                                                      "dgeqrf", "dorgqr", "dgelsd", "dgeev"};

struct Lapack {
  std::string symbols;  // prefix + "dgesv" + suffix, as found
  void* routines[kRoutineCount] = {};
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
      Lapack candidate{std::string(c.prefix) + "dgesv" + c.suffix, {}, c.ilp64};
      for (int r = 0; r < kRoutineCount; ++r)
        candidate.routines[r] =
            accel::runtime::loaded_blas_symbol((std::string(c.prefix) + kRoutineNames[r] + c.suffix).c_str());
      // The factorizations the library falls back from must come together; the others
      // (older LAPACKs may lack one) answer ACCEL_NO_LAPACK alone.
      if (candidate.routines[Gesv] && candidate.routines[Getrf] && candidate.routines[Potrf]) {
        found = candidate;
        return;
      }
    }
  });
  return found;
}

// A workspace of `count` elements (at least 1: LAPACK rejects 0); false when it cannot be had.
template <typename T>
bool workspace(std::vector<T>& work, double count) {
  try {
    work.resize(count < 1 ? 1 : static_cast<size_t>(count));
    return true;
  } catch (...) {
    return false;
  }
}

// Fortran's calling convention: every argument by address, one character per option.
template <typename Int>
struct Calls {
  using Gesv = void (*)(const Int*, const Int*, double*, const Int*, Int*, double*, const Int*, Int*);
  using Getrf = void (*)(const Int*, const Int*, double*, const Int*, Int*, Int*);
  using Potrf = void (*)(const char*, const Int*, double*, const Int*, Int*);
  using Syevd = void (*)(const char*, const char*, const Int*, double*, const Int*, double*, double*, const Int*, Int*,
                         const Int*, Int*);
  using Gesdd = void (*)(const char*, const Int*, const Int*, double*, const Int*, double*, double*, const Int*,
                         double*, const Int*, double*, const Int*, Int*, Int*);
  using Geqrf = void (*)(const Int*, const Int*, double*, const Int*, double*, double*, const Int*, Int*);
  using Orgqr = void (*)(const Int*, const Int*, const Int*, double*, const Int*, const double*, double*, const Int*,
                         Int*);
  using Gelsd = void (*)(const Int*, const Int*, const Int*, double*, const Int*, double*, const Int*, double*,
                         const double*, Int*, double*, const Int*, Int*, Int*);
  using Geev = void (*)(const char*, const char*, const Int*, double*, const Int*, double*, double*, double*,
                        const Int*, double*, const Int*, double*, const Int*, Int*);

  template <typename F>
  static F routine(Routine r) {
    return reinterpret_cast<F>(lapack().routines[r]);
  }

  static int64_t factor(int64_t n, double* a, int64_t lda, int64_t* pivots, double* b, int64_t nrhs, int64_t ldb) {
    std::vector<Int> ipiv;
    // Without memory for the pivots the library's own factorization runs, and reports it.
    if (!workspace(ipiv, static_cast<double>(n))) return ACCEL_NO_LAPACK;
    const Int n_ = static_cast<Int>(n), lda_ = static_cast<Int>(lda);
    Int info = 0;
    if (b) {
      const Int nrhs_ = static_cast<Int>(nrhs), ldb_ = static_cast<Int>(ldb);
      routine<Gesv>(Routine::Gesv)(&n_, &nrhs_, a, &lda_, ipiv.data(), b, &ldb_, &info);
    } else {
      routine<Getrf>(Routine::Getrf)(&n_, &n_, a, &lda_, ipiv.data(), &info);
    }
    if (pivots)
      for (int64_t i = 0; i < n; ++i) pivots[i] = ipiv[static_cast<size_t>(i)];
    return info;
  }

  static int64_t cholesky(int64_t n, double* a, int64_t lda) {
    const char lower = 'L';
    const Int n_ = static_cast<Int>(n), lda_ = static_cast<Int>(lda);
    Int info = 0;
    routine<Potrf>(Routine::Potrf)(&lower, &n_, a, &lda_, &info);
    return info;
  }

  // NumPy's eigh: dsyevd of the lower triangle, its workspace asked for first.
  static int64_t symmetric_eigen(bool vectors, int64_t n, double* a, int64_t lda, double* w) {
    const char jobz = vectors ? 'V' : 'N', uplo = 'L';
    const Int n_ = static_cast<Int>(n), lda_ = static_cast<Int>(lda), query = -1;
    double work_size = 0;
    Int iwork_size = 0, info = 0;
    auto syevd = routine<Syevd>(Routine::Syevd);
    syevd(&jobz, &uplo, &n_, a, &lda_, w, &work_size, &query, &iwork_size, &query, &info);
    if (info != 0) return info;
    std::vector<double> work;
    std::vector<Int> iwork;
    if (!workspace(work, work_size + 1) || !workspace(iwork, static_cast<double>(iwork_size) + 1))
      return ACCEL_LAPACK_NO_MEMORY;
    const Int lwork = static_cast<Int>(work.size()), liwork = static_cast<Int>(iwork.size());
    syevd(&jobz, &uplo, &n_, a, &lda_, w, work.data(), &lwork, iwork.data(), &liwork, &info);
    return info;
  }

  // NumPy's svd: dgesdd, jobz 'N', 'S' or 'A', an integer workspace of 8 min(m, n).
  static int64_t singular_values(char jobz, int64_t m, int64_t n, double* a, int64_t lda, double* s, double* u,
                                 int64_t ldu, double* vt, int64_t ldvt) {
    const Int m_ = static_cast<Int>(m), n_ = static_cast<Int>(n), lda_ = static_cast<Int>(lda),
              ldu_ = static_cast<Int>(ldu), ldvt_ = static_cast<Int>(ldvt), query = -1;
    std::vector<Int> iwork;
    if (!workspace(iwork, 8.0 * static_cast<double>(m < n ? m : n))) return ACCEL_LAPACK_NO_MEMORY;
    double work_size = 0;
    Int info = 0;
    auto gesdd = routine<Gesdd>(Routine::Gesdd);
    gesdd(&jobz, &m_, &n_, a, &lda_, s, u, &ldu_, vt, &ldvt_, &work_size, &query, iwork.data(), &info);
    if (info != 0) return info;
    std::vector<double> work;
    if (!workspace(work, static_cast<double>(static_cast<Int>(work_size)))) return ACCEL_LAPACK_NO_MEMORY;
    const Int lwork = static_cast<Int>(work.size());
    gesdd(&jobz, &m_, &n_, a, &lda_, s, u, &ldu_, vt, &ldvt_, work.data(), &lwork, iwork.data(), &info);
    return info;
  }

  // NumPy's qr: dgeqrf, then dorgqr for q; each workspace at least max(1, n) as NumPy's.
  static int64_t householder(int64_t m, int64_t n, double* a, int64_t lda, double* tau) {
    const Int m_ = static_cast<Int>(m), n_ = static_cast<Int>(n), lda_ = static_cast<Int>(lda), query = -1;
    double work_size = 0;
    Int info = 0;
    auto geqrf = routine<Geqrf>(Routine::Geqrf);
    geqrf(&m_, &n_, a, &lda_, tau, &work_size, &query, &info);
    if (info != 0) return info;
    std::vector<double> work;
    const double floor = static_cast<double>(n > 1 ? n : 1);
    if (!workspace(work, work_size > floor ? work_size : floor)) return ACCEL_LAPACK_NO_MEMORY;
    const Int lwork = static_cast<Int>(work.size());
    geqrf(&m_, &n_, a, &lda_, tau, work.data(), &lwork, &info);
    return info;
  }

  static int64_t orthogonal_factor(int64_t m, int64_t mc, double* q, int64_t ldq, const double* tau, int64_t k,
                                   int64_t n) {
    const Int m_ = static_cast<Int>(m), mc_ = static_cast<Int>(mc), k_ = static_cast<Int>(k),
              ldq_ = static_cast<Int>(ldq), query = -1;
    double work_size = 0;
    Int info = 0;
    auto orgqr = routine<Orgqr>(Routine::Orgqr);
    orgqr(&m_, &mc_, &k_, q, &ldq_, tau, &work_size, &query, &info);
    if (info != 0) return info;
    std::vector<double> work;
    const double floor = static_cast<double>(n > 1 ? n : 1);
    if (!workspace(work, work_size > floor ? work_size : floor)) return ACCEL_LAPACK_NO_MEMORY;
    const Int lwork = static_cast<Int>(work.size());
    orgqr(&m_, &mc_, &k_, q, &ldq_, tau, work.data(), &lwork, &info);
    return info;
  }

  // NumPy's lstsq: dgelsd, b holding max(m, n) rows; the rank it found into *rank.
  static int64_t least_squares(int64_t m, int64_t n, int64_t nrhs, double* a, int64_t lda, double* b, int64_t ldb,
                               double* s, double rcond, int64_t* rank) {
    const Int m_ = static_cast<Int>(m), n_ = static_cast<Int>(n), nrhs_ = static_cast<Int>(nrhs),
              lda_ = static_cast<Int>(lda), ldb_ = static_cast<Int>(ldb), query = -1;
    double work_size = 0;
    Int iwork_size = 0, rank_ = 0, info = 0;
    auto gelsd = routine<Gelsd>(Routine::Gelsd);
    gelsd(&m_, &n_, &nrhs_, a, &lda_, b, &ldb_, s, &rcond, &rank_, &work_size, &query, &iwork_size, &info);
    if (info != 0) return info;
    std::vector<double> work;
    std::vector<Int> iwork;
    if (!workspace(work, static_cast<double>(static_cast<Int>(work_size))) ||
        !workspace(iwork, static_cast<double>(iwork_size)))
      return ACCEL_LAPACK_NO_MEMORY;
    const Int lwork = static_cast<Int>(work.size());
    gelsd(&m_, &n_, &nrhs_, a, &lda_, b, &ldb_, s, &rcond, &rank_, work.data(), &lwork, iwork.data(), &info);
    *rank = rank_;
    return info;
  }

  // NumPy's eig and eigvals: dgeev, right eigenvectors only ('N', 'V') or none.
  static int64_t general_eigen(bool vectors, int64_t n, double* a, int64_t lda, double* wr, double* wi, double* vr,
                               int64_t ldvr) {
    const char jobvl = 'N', jobvr = vectors ? 'V' : 'N';
    const Int n_ = static_cast<Int>(n), lda_ = static_cast<Int>(lda), ldvr_ = static_cast<Int>(ldvr), ldvl = 1,
              query = -1;
    double work_size = 0, unused_vl = 0;
    Int info = 0;
    auto geev = routine<Geev>(Routine::Geev);
    geev(&jobvl, &jobvr, &n_, a, &lda_, wr, wi, &unused_vl, &ldvl, vr, &ldvr_, &work_size, &query, &info);
    if (info != 0) return info;
    std::vector<double> work;
    if (!workspace(work, static_cast<double>(static_cast<size_t>(work_size)))) return ACCEL_LAPACK_NO_MEMORY;
    const Int lwork = static_cast<Int>(work.size());
    geev(&jobvl, &jobvr, &n_, a, &lda_, wr, wi, &unused_vl, &ldvl, vr, &ldvr_, work.data(), &lwork, &info);
    return info;
  }
};

// Runs `call` with LAPACK's integer width, or answers ACCEL_NO_LAPACK without the routine.
template <typename Call>
int64_t with_routine(Routine r, Call call) {
  const Lapack& l = lapack();
  if (!l.routines[r]) return ACCEL_NO_LAPACK;
  return l.ilp64 ? call(Calls<int64_t>{}) : call(Calls<int32_t>{});
}

}  // namespace

extern "C" int64_t accel_rt_lapack_gesv(int64_t n, int64_t, double* a, int64_t lda, int64_t, int64_t nrhs, double* b,
                                        int64_t ldb) {
  return with_routine(Gesv, [&](auto calls) { return calls.factor(n, a, lda, nullptr, b, nrhs, ldb); });
}

extern "C" int64_t accel_rt_lapack_getrf(int64_t n, int64_t, double* a, int64_t lda, int64_t* pivots) {
  return with_routine(Getrf, [&](auto calls) { return calls.factor(n, a, lda, pivots, nullptr, 0, 0); });
}

extern "C" int64_t accel_rt_lapack_potrf(int64_t n, int64_t, double* a, int64_t lda) {
  return with_routine(Potrf, [&](auto calls) { return calls.cholesky(n, a, lda); });
}

extern "C" int64_t accel_rt_lapack_syevd(int64_t n, int64_t, double* a, int64_t lda, double* w, int32_t vectors) {
  return with_routine(Syevd, [&](auto calls) { return calls.symmetric_eigen(vectors != 0, n, a, lda, w); });
}

extern "C" int64_t accel_rt_lapack_gesdd(int64_t m, int64_t n, double* a, int64_t lda, double* s, int64_t, int64_t,
                                         double* u, int64_t ldu, int64_t, int64_t, double* vt, int64_t ldvt,
                                         int64_t job) {
  const char jobz = job == 0 ? 'N' : job == 1 ? 'S' : 'A';
  return with_routine(Gesdd, [&](auto calls) { return calls.singular_values(jobz, m, n, a, lda, s, u, ldu, vt, ldvt); });
}

extern "C" int64_t accel_rt_lapack_geqrf(int64_t m, int64_t n, double* a, int64_t lda, double* tau) {
  return with_routine(Geqrf, [&](auto calls) { return calls.householder(m, n, a, lda, tau); });
}

extern "C" int64_t accel_rt_lapack_orgqr(int64_t m, int64_t mc, double* q, int64_t ldq, double* tau, int64_t k,
                                         int64_t n) {
  return with_routine(Orgqr, [&](auto calls) { return calls.orthogonal_factor(m, mc, q, ldq, tau, k, n); });
}

extern "C" int64_t accel_rt_lapack_gelsd(int64_t m, int64_t n, double* a, int64_t lda, int64_t, int64_t nrhs,
                                         double* b, int64_t ldb, double* s, double rcond, int64_t* rank) {
  return with_routine(Gelsd, [&](auto calls) { return calls.least_squares(m, n, nrhs, a, lda, b, ldb, s, rcond, rank); });
}

extern "C" int64_t accel_rt_lapack_geev(int64_t n, int64_t, double* a, int64_t lda, double* wr, double* wi, int64_t,
                                        int64_t, double* vr, int64_t ldvr, int32_t vectors) {
  return with_routine(Geev, [&](auto calls) { return calls.general_eigen(vectors != 0, n, a, lda, wr, wi, vr, ldvr); });
}

namespace accel::runtime {

std::string lapack_symbols() { return lapack().symbols; }

}  // namespace accel::runtime
