// LAPACK for the compiled NumPy library (python/accel/numpy_library/lapack.py): gesv,
// getrf, potrf and syevd on Fortran-ordered float32/float64 matrices the library made, lowered
// to the runtime's calls of NumPy's own LAPACK (runtime/lapack.cpp). Each gives LAPACK's
// info as an int, or the library's constant NO_LAPACK.

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

enum class Which { Gesv, Getrf, Potrf, Syevd };

struct Routine {
  std::string_view name;
  Which which;
};

constexpr Routine kRoutines[] = {
    {"accel.numpy_library.lapack.gesv", Which::Gesv},    // (a, b)
    {"accel.numpy_library.lapack.getrf", Which::Getrf},  // (a, int64 pivots)
    {"accel.numpy_library.lapack.potrf", Which::Potrf},  // (a)
    {"accel.numpy_library.lapack.syevd", Which::Syevd},  // (a, eigenvalues, vectors: bool)
};

Which routine_named(std::string_view name) {
  for (const auto& r : kRoutines)
    if (r.name == name) return r.which;
  throw std::logic_error("accel: LAPACK routine without a table row (a compiler bug)");
}

Type type_routine(CallTyping& call) {
  const Which which = routine_named(call.name());
  auto args = call.positional();
  if (!args) return nullptr;
  const size_t count = which == Which::Potrf ? 1 : which == Which::Syevd ? 3 : 2;
  call.require_count(args->size(), count, count);
  for (size_t i = 0; i < (which == Which::Gesv ? 2 : 1); ++i) {
    Type t = (*args)[i];
    if (t->kind != Kind::Array || t->ndim != 2 || (t->dtype != Kind::Float64 && t->dtype != Kind::Float32) ||
        t->dtype != (*args)[0]->dtype)
      fail(ErrorCode::TypeMismatch, call.argument_span(i), call.display() + "() takes float matrices of one dtype.");
  }
  if (which == Which::Getrf) {
    Type t = (*args)[1];
    if (t->kind != Kind::Array || t->ndim != 1 || t->dtype != Kind::Int64)
      fail(ErrorCode::TypeMismatch, call.argument_span(1), call.display() + "() takes int64 pivots.");
  }
  if (which == Which::Syevd) {
    Type w = (*args)[1];
    if (w->kind != Kind::Array || w->ndim != 1 || w->layout != types::Layout::C || w->dtype != (*args)[0]->dtype)
      fail(ErrorCode::TypeMismatch, call.argument_span(1), call.display() + "() takes a C vector of the matrix's dtype.");
    if (!types::is_bool((*args)[2]->kind))
      fail(ErrorCode::TypeMismatch, call.argument_span(2), call.display() + "() takes a bool: whether to make vectors.");
  }
  return call.result(types::scalar(Kind::PyInt));
}

// A Fortran-ordered matrix's data and leading dimension; LAPACK's arguments.
struct Columns {
  llvm::Value* data;
  llvm::Value* rows;
  llvm::Value* cols;
  llvm::Value* leading;
};

Columns columns_of(FunctionEmitter& e, llvm::Value* matrix, Type type) {
  llvm::IRBuilder<>& b = e.builder();
  llvm::Value* item = b.getInt64(static_cast<uint64_t>(types::item_size(type->dtype)));
  llvm::Value* rows = e.dimension(matrix, 0);
  llvm::Value* cols = e.dimension(matrix, 1);
  llvm::Value* one = b.getInt64(1);
  // Elements down a column must be adjacent; the library makes its copies that way.
  e.raise_if(b.CreateAnd(b.CreateICmpSGT(rows, one), b.CreateICmpNE(e.stride(matrix, type, 0), item)),
             ACCEL_ERROR_VALUE, "accel: LAPACK is given a matrix that is not Fortran-ordered (a bug in accel)");
  // LAPACK wants lda >= max(1, rows); a single column's stride says nothing.
  llvm::Value* rows_or_one = b.CreateSelect(b.CreateICmpSGT(rows, one), rows, one);
  llvm::Value* leading = b.CreateSelect(b.CreateICmpSGT(cols, one), b.CreateSDiv(e.stride(matrix, type, 1), item), rows_or_one);
  return {b.CreateExtractValue(matrix, {kData}), rows, cols, leading};
}

llvm::Value* lower_routine(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = e.builder();
  Type type = call.argument_type(0);
  llvm::Value* single = b.getInt32(type->dtype == Kind::Float32);
  const Columns a = columns_of(e, call.argument(0), type);
  switch (routine_named(call.name())) {
    case Which::Gesv: {
      const Columns rhs = columns_of(e, call.argument(1), call.argument_type(1));
      return b.CreateCall(e.module().runtime(RT::accel_rt_lapack_gesv),
                          {single, a.rows, rhs.cols, a.data, a.leading, rhs.data, rhs.leading});
    }
    case Which::Getrf: {
      llvm::Value* pivots = b.CreateExtractValue(call.argument(1), {kData});
      return b.CreateCall(e.module().runtime(RT::accel_rt_lapack_getrf), {single, a.rows, a.data, a.leading, pivots});
    }
    case Which::Potrf:
      return b.CreateCall(e.module().runtime(RT::accel_rt_lapack_potrf), {single, a.rows, a.data, a.leading});
    case Which::Syevd: {
      llvm::Value* w = b.CreateExtractValue(call.argument(1), {kData});
      llvm::Value* vectors = b.CreateZExt(call.argument(2), b.getInt32Ty());
      return b.CreateCall(e.module().runtime(RT::accel_rt_lapack_syevd), {single, vectors, a.rows, a.data, a.leading, w});
    }
  }
  throw std::logic_error("accel: unknown LAPACK routine (a compiler bug)");
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
