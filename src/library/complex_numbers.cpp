// Python's complex(real, imag) and the methods of complex numbers (z.conjugate(),
// NumPy's z.conj()); the arithmetic is the emitter's (codegen/complex_arithmetic.cpp).

#include "codegen/call_lowering.h"
#include "infer/call_typing.h"
#include "library/families.h"

namespace accel::library {
namespace {

using codegen::CallLowering;
using frontend::ErrorCode;
using frontend::fail;
using infer::CallTyping;

// --- complex(), complex(x), complex(real, imag) of numbers: a Python complex.
Type type_complex(CallTyping& call) {
  auto args = call.positional();
  if (!args) return nullptr;
  call.require_count(args->size(), 0, 2);
  for (size_t i = 0; i < args->size(); ++i) {
    call.require_scalar(i, (*args)[i]);
    if (args->size() == 2 && types::is_complex((*args)[i]->kind))
      fail(ErrorCode::UnsupportedSyntax, call.argument_span(i),
           "complex(real, imag) takes real numbers in compiled code.", "Write real + imag * 1j.");
  }
  return call.result(types::scalar(Kind::PyComplex));
}

llvm::Value* lower_complex(CallLowering& call) {
  codegen::FunctionEmitter& e = call.emitter();
  const Type result = types::scalar(Kind::PyComplex);
  if (call.argument_count() == 0) return e.cast_kind(e.float_constant(Kind::PyFloat, 0.0), Kind::PyFloat, Kind::PyComplex);
  if (call.argument_count() == 1) return e.cast(call.argument(0), call.argument_type(0), result);
  const Type part = types::scalar(Kind::PyFloat);
  llvm::Value* re = e.cast(call.argument(0), call.argument_type(0), part);
  llvm::Value* im = e.cast(call.argument(1), call.argument_type(1), part);
  return e.complex_value(Kind::PyComplex, re, im);
}

// --- x.conjugate(), x.conj(): typed by FunctionTyper::number_method.
Type type_conjugate(CallTyping& call) {
  fail(ErrorCode::UnsupportedSyntax, call.span(), "conjugate is a method: write z.conjugate().");
}

llvm::Value* lower_conjugate(CallLowering& call) {
  codegen::FunctionEmitter& e = call.emitter();
  const Kind kind = call.result_type()->kind;
  llvm::Value* z = call.argument(0);
  if (!types::is_complex(kind)) return e.cast(z, call.argument_type(0), call.result_type());  // a real's own value
  return e.complex_value(kind, call.builder().CreateExtractValue(z, {0}),
                         call.builder().CreateFNeg(call.builder().CreateExtractValue(z, {1})));
}

const infer::Builtin kEntries[] = {
    {"builtins.complex", type_complex, lower_complex},
    {"complex.conjugate", type_conjugate, lower_conjugate},
};

}  // namespace

std::span<const infer::Builtin> complex_numbers() { return kEntries; }

}  // namespace accel::library
