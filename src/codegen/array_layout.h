#pragma once
// How an array value is laid out in compiled code.

namespace accel::codegen {

/// { ptr meminfo, ptr data, [ndim x i64] shape, [ndim x i64] strides in bytes }.
/// meminfo is the reference-counted block of an array made in compiled code, or null
/// for memory NumPy owns (arguments, and views of them).
enum ArrayField : unsigned { kMeminfo = 0, kData = 1, kShape = 2, kStrides = 3 };

}  // namespace accel::codegen
