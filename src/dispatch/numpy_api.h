#pragma once
// NumPy's C API, shared by the dispatch files: one import in dispatcher.cpp.

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define NPY_NO_DEPRECATED_API NPY_2_0_API_VERSION
#define PY_ARRAY_UNIQUE_SYMBOL accel_dispatch_ARRAY_API
#ifndef ACCEL_IMPORTS_NUMPY
#define NO_IMPORT_ARRAY
#endif
#include <numpy/arrayobject.h>
#include <numpy/arrayscalars.h>

#include "types/type.h"

namespace accel::dispatch {

/// NumPy's type number for one of our NumPy scalar kinds.
inline int numpy_type_number(types::Kind kind) {
  using types::Kind;
  switch (kind) {
    case Kind::Bool: return NPY_BOOL;
    case Kind::Int8: return NPY_INT8;
    case Kind::Int16: return NPY_INT16;
    case Kind::Int32: return NPY_INT32;
    case Kind::Int64: return NPY_INT64;
    case Kind::UInt8: return NPY_UINT8;
    case Kind::UInt16: return NPY_UINT16;
    case Kind::UInt32: return NPY_UINT32;
    case Kind::UInt64: return NPY_UINT64;
    case Kind::Float32: return NPY_FLOAT32;
    case Kind::Complex64: return NPY_COMPLEX64;
    case Kind::Complex128: return NPY_COMPLEX128;
    default: return NPY_FLOAT64;
  }
}

}  // namespace accel::dispatch
