#pragma once
// accel._core's half of @accel.vectorize / @accel.guvectorize (python/accel/_ufunc.py):
// conversions between Python descriptions and codegen::UFuncLoopLayout, compiled loops
// as Python objects (capsules), and make_ufunc. Compiling a loop's kernel is in
// core_module.cpp, beside compile_into, since both read functions the same way.
//
// A layout from Python: (nin, generalized, operands), one operand per input then output:
//   (dtype: NumPy dtype name, or None for "what the kernel returns",
//    core_dims: tuple[int], as_array: bool, readonly: bool)
// A loop record, for pickling: (layout, entry: str, object_code: bytes, triple: str,
//   cpu: str, features: str).

#include <nanobind/nanobind.h>

#include "jit/compiler.h"

namespace accel::bindings {

codegen::UFuncLoopLayout ufunc_layout_from_python(nanobind::handle layout);
/// A compiled loop as a Python object (a capsule the functions below take).
nanobind::object wrap_ufunc_loop(jit::CompiledUFuncLoop loop);
/// Defines ufunc_loop_dtypes/_ir/_record, ufunc_loop_from_record and make_ufunc.
void define_ufunc_functions(nanobind::module_& m);

}  // namespace accel::bindings
