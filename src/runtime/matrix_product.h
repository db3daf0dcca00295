#pragma once
// The BLAS behind accel_rt_matrix_product (runtime/abi_functions.h).

namespace accel::runtime {

/// Whether the process has a BLAS for matrix products (looked for once, at the first ask).
bool blas_found();

}  // namespace accel::runtime
