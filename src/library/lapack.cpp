// LAPACK for the compiled NumPy library (python/accel/numpy_library/lapack.py), lowered to
// the runtime's calls of NumPy's own LAPACK (runtime/lapack.cpp). Each routine is one
// table row: its name and its arguments as letters, which say both how an argument is
// typed and how it is passed, so adding a routine is a row here, a declaration in
// runtime/abi_functions.h and its function in runtime/lapack.cpp. Each gives LAPACK's info
// as an int, or the library's constants NO_LAPACK and NO_MEMORY.

#include "codegen/array_layout.h"
#include "codegen/call_lowering.h"
#include "infer/call_typing.h"
#include "library/families.h"

namespace accel::library {
namespace {

using codegen::CallLowering;
using codegen::FunctionEmitter;
using codegen::kData;
using codegen::RT;
using frontend::ErrorCode;
using frontend::fail;
using infer::CallTyping;

// Argument letters:
//   M  a Fortran-ordered float64 matrix: passed as rows, cols, data, leading dimension
//   V  a C-contiguous float64 vector: its data
//   I  a C-contiguous int64 vector: its data
//   B  a bool: an int32
//   N  an int: an int64
//   F  a float: a double
struct Routine {
  std::string_view name;
  std::string_view arguments;
  RT function;
};

constexpr Routine kRoutines[] = {
    {"accel.numpy_library.lapack.gesv", "MM", RT::accel_rt_lapack_gesv},      // (a, b)
    {"accel.numpy_library.lapack.getrf", "MI", RT::accel_rt_lapack_getrf},    // (a, pivots)
    {"accel.numpy_library.lapack.potrf", "M", RT::accel_rt_lapack_potrf},     // (a)
    {"accel.numpy_library.lapack.syevd", "MVB", RT::accel_rt_lapack_syevd},   // (a, w, vectors)
    {"accel.numpy_library.lapack.gesdd", "MVMMN", RT::accel_rt_lapack_gesdd}, // (a, s, u, vt, job)
    {"accel.numpy_library.lapack.geqrf", "MV", RT::accel_rt_lapack_geqrf},    // (a, tau)
    {"accel.numpy_library.lapack.orgqr", "MVNN", RT::accel_rt_lapack_orgqr},  // (q, tau, k, n)
    {"accel.numpy_library.lapack.gelsd", "MMVFI", RT::accel_rt_lapack_gelsd}, // (a, b, s, rcond, rank)
    {"accel.numpy_library.lapack.geev", "MVVMB", RT::accel_rt_lapack_geev},   // (a, wr, wi, vr, vectors)
};

const Routine& routine_named(std::string_view name) {
  for (const auto& r : kRoutines)
    if (r.name == name) return r;
  throw std::logic_error("accel: LAPACK routine without a table row (a compiler bug)");
}

bool takes(char letter, Type t) {
  const bool array = t->kind == Kind::Array;
  switch (letter) {
    case 'M': return array && t->ndim == 2 && t->dtype == Kind::Float64;
    case 'V': return array && t->ndim == 1 && t->layout == types::Layout::C && t->dtype == Kind::Float64;
    case 'I': return array && t->ndim == 1 && t->layout == types::Layout::C && t->dtype == Kind::Int64;
    case 'B': return types::is_bool(t->kind);
    case 'N': return types::is_integer(t->kind);
    case 'F': return types::is_float(t->kind);
  }
  return false;
}

constexpr std::string_view what_it_takes(char letter) {
  switch (letter) {
    case 'M': return "a float64 matrix";
    case 'V': return "a C-contiguous float64 vector";
    case 'I': return "a C-contiguous int64 vector";
    case 'B': return "a bool";
    case 'N': return "an int";
  }
  return "a float";
}

Type type_routine(CallTyping& call) {
  const Routine& routine = routine_named(call.name());
  auto args = call.positional();
  if (!args) return nullptr;
  call.require_count(args->size(), routine.arguments.size(), routine.arguments.size());
  for (size_t i = 0; i < args->size(); ++i)
    if (!takes(routine.arguments[i], (*args)[i]))
      fail(ErrorCode::TypeMismatch, call.argument_span(i),
           call.display() + "() takes " + std::string(what_it_takes(routine.arguments[i])) + " as argument " +
               std::to_string(i + 1) + ".");
  return call.result(types::scalar(Kind::PyInt));
}

// A Fortran-ordered matrix as LAPACK takes it: rows, cols, data, leading dimension.
void push_columns(FunctionEmitter& e, llvm::Value* matrix, Type type, std::vector<llvm::Value*>& out) {
  llvm::IRBuilder<>& b = e.builder();
  llvm::Value* item = b.getInt64(8);
  llvm::Value* rows = e.dimension(matrix, 0);
  llvm::Value* cols = e.dimension(matrix, 1);
  llvm::Value* one = b.getInt64(1);
  // Elements down a column must be adjacent; the library makes its copies that way.
  e.raise_if(b.CreateAnd(b.CreateICmpSGT(rows, one), b.CreateICmpNE(e.stride(matrix, type, 0), item)),
             ACCEL_ERROR_VALUE, "accel: LAPACK is given a matrix that is not Fortran-ordered (a bug in accel)");
  // LAPACK wants lda >= max(1, rows); a single column's stride says nothing, nor does an
  // empty matrix's (0).
  llvm::Value* rows_or_one = b.CreateSelect(b.CreateICmpSGT(rows, one), rows, one);
  llvm::Value* column_step = b.CreateSDiv(e.stride(matrix, type, 1), item);
  llvm::Value* leading = b.CreateSelect(b.CreateAnd(b.CreateICmpSGT(cols, one), b.CreateICmpSGE(column_step, one)),
                                        column_step, rows_or_one);
  out.insert(out.end(), {rows, cols, b.CreateExtractValue(matrix, {kData}), leading});
}

llvm::Value* lower_routine(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = e.builder();
  const Routine& routine = routine_named(call.name());
  std::vector<llvm::Value*> values;
  for (size_t i = 0; i < routine.arguments.size(); ++i) {
    llvm::Value* v = call.argument(i);
    Type t = call.argument_type(i);
    switch (routine.arguments[i]) {
      case 'M': push_columns(e, v, t, values); break;
      case 'V':
      case 'I': values.push_back(b.CreateExtractValue(v, {kData})); break;
      case 'B': values.push_back(b.CreateZExt(v, b.getInt32Ty())); break;
      case 'N': values.push_back(e.cast(v, t, types::scalar(Kind::Int64))); break;
      case 'F': values.push_back(e.cast(v, t, types::scalar(Kind::Float64))); break;
    }
  }
  return b.CreateCall(e.module().runtime(routine.function), values);
}

const std::vector<infer::Builtin>& entries() {
  static const std::vector<infer::Builtin> out = [] {
    std::vector<infer::Builtin> made;
    for (const auto& r : kRoutines) made.push_back({r.name, type_routine, lower_routine});
    return made;
  }();
  return out;
}

}  // namespace

std::span<const infer::Builtin> lapack_routines() { return entries(); }

}  // namespace accel::library
