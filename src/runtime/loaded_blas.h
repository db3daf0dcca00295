#pragma once
// The BLAS and LAPACK that NumPy itself loaded into the process (its wheels bundle
// OpenBLAS with symbols such as scipy_cblas_dgemm64_ and scipy_dgesv_64_; other builds
// export cblas_dgemm and dgesv_). Found once, by symbol, without loading anything new.

namespace accel::runtime {

/// The address of `name` in the global scope or in a loaded library whose path names
/// "blas" (Python loads extension modules and their libraries RTLD_LOCAL); null if none.
void* loaded_blas_symbol(const char* name);

}  // namespace accel::runtime
