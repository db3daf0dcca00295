#pragma once
// The families of builtins that make the registry (registry.cpp): one file each, holding
// every builtin of the family with its typing rule beside its lowering.

#include <span>

#include "infer/builtin.h"

namespace accel::library {

using types::Kind;
using types::Type;

std::span<const infer::Builtin> python_builtins();  // python_builtins.cpp: range, len, abs, min, ...
std::span<const infer::Builtin> array_from_sequence();  // array_from_sequence.cpp: np.array, np.asarray
std::span<const infer::Builtin> lists();            // lists.cpp: l.append, l.pop, ..., list(), sorted()
std::span<const infer::Builtin> dicts();            // dicts.cpp: d.get, d.pop, s.add, ..., dict(), set()
std::span<const infer::Builtin> math_module();      // math_module.cpp: math.sqrt, ...
std::span<const infer::Builtin> numpy_ufuncs();     // numpy_ufuncs.cpp: np.sqrt, np.float32(x), np.where, ...
std::span<const infer::Builtin> numpy_random();     // numpy_random.cpp: np.random.seed, rand, normal, ...
std::span<const infer::Builtin> numpy_histogram();  // histogram.cpp: np.histogram
std::span<const infer::Builtin> complex_numbers();  // complex_numbers.cpp: complex(re, im), z.conjugate()
std::span<const infer::Builtin> lapack_routines();  // lapack.cpp: the LAPACK routines of the compiled library

}  // namespace accel::library
