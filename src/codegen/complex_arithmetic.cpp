// Complex numbers in compiled code: {real, imag} structs of float (complex64) or double
// (complex128, Python's complex). + - * are the textbook formulas CPython and NumPy's
// scalars use (NumPy's array loops multiply with fused multiply-adds); division is CPython's algorithm for a Python complex (ZeroDivisionError on a zero
// divisor) and NumPy's (one reciprocal, inf/nan on zero) for NumPy's complex types and
// inside array expressions; powers and functions are the runtime's
// (runtime/complex_math.cpp), which follow the same split.

#include <llvm/IR/Intrinsics.h>

#include "codegen/function_emitter.h"

namespace accel::codegen {
namespace {

// The runtime takes a number's parts as doubles, whatever its precision.
llvm::Value* part_as_double(llvm::IRBuilder<>& b, llvm::Value* z, unsigned part) {
  return b.CreateFPExt(b.CreateExtractValue(z, {part}), b.getDoubleTy());
}

}  // namespace

llvm::Value* FunctionEmitter::complex_value(Kind kind, llvm::Value* re, llvm::Value* im) {
  llvm::Value* z = llvm::UndefValue::get(module_.llvm_type(types::scalar(kind)));
  z = builder_.CreateInsertValue(z, re, {0});
  return builder_.CreateInsertValue(z, im, {1});
}

llvm::Value* FunctionEmitter::complex_binary(Operator op, llvm::Value* l, llvm::Value* r, Kind kind) {
  llvm::Value* a = builder_.CreateExtractValue(l, {0});
  llvm::Value* b = builder_.CreateExtractValue(l, {1});
  llvm::Value* c = builder_.CreateExtractValue(r, {0});
  llvm::Value* d = builder_.CreateExtractValue(r, {1});
  switch (op) {
    case Operator::Add: return complex_value(kind, builder_.CreateFAdd(a, c), builder_.CreateFAdd(b, d));
    case Operator::Sub: return complex_value(kind, builder_.CreateFSub(a, c), builder_.CreateFSub(b, d));
    case Operator::Mult:
      if (numpy_semantics_) {
        // NumPy's array loops multiply with fused multiply-adds where the CPU has them
        // (re = fma(a, c, -b d), im = fma(a, d, b c)); fmuladd fuses exactly then.
        auto fused = [&](llvm::Value* x, llvm::Value* y, llvm::Value* z) {
          return builder_.CreateIntrinsic(llvm::Intrinsic::fmuladd, {x->getType()}, {x, y, z});
        };
        return complex_value(kind, fused(a, c, builder_.CreateFNeg(builder_.CreateFMul(b, d))),
                             fused(a, d, builder_.CreateFMul(b, c)));
      }
      return complex_value(kind, builder_.CreateFSub(builder_.CreateFMul(a, c), builder_.CreateFMul(b, d)),
                           builder_.CreateFAdd(builder_.CreateFMul(a, d), builder_.CreateFMul(b, c)));
    case Operator::Div: return complex_quotient(a, b, c, d, kind);
    case Operator::Pow: return complex_power(l, r, kind);
    default: throw std::logic_error("accel: not a complex operator (a compiler bug)");
  }
}

llvm::Value* FunctionEmitter::complex_quotient(llvm::Value* a, llvm::Value* b, llvm::Value* c, llvm::Value* d,
                                               Kind kind) {
  // Both of Smith's branches are computed and one is selected: no branch in loops.
  llvm::IRBuilder<>& B = builder_;
  llvm::Type* part = a->getType();
  llvm::Value* abs_c = B.CreateIntrinsic(llvm::Intrinsic::fabs, {part}, {c});
  llvm::Value* abs_d = B.CreateIntrinsic(llvm::Intrinsic::fabs, {part}, {d});
  llvm::Value* real_larger = B.CreateFCmpOGE(abs_c, abs_d);
  llvm::Value* one = llvm::ConstantFP::get(part, 1.0);
  // A zero divisor raises as for every number under error_model="python" (NumPy's
  // scalars too, docs/semantics.md #7); the algorithm is CPython's for its complex.
  if (!zero_division_gives_numpy_result())
    raise_if(B.CreateAnd(B.CreateFCmpOEQ(c, llvm::ConstantFP::get(part, 0.0)),
                         B.CreateFCmpOEQ(d, llvm::ConstantFP::get(part, 0.0))),
             ACCEL_ERROR_ZERO_DIVISION, "complex division by zero");
  if (kind == Kind::PyComplex && !zero_division_gives_numpy_result()) {
    // CPython's _Py_c_quot: divides by the denominator; NaN parts give nan+nanj.
    llvm::Value* ratio1 = B.CreateFDiv(d, c);
    llvm::Value* denominator1 = B.CreateFAdd(c, B.CreateFMul(d, ratio1));
    llvm::Value* re1 = B.CreateFDiv(B.CreateFAdd(a, B.CreateFMul(b, ratio1)), denominator1);
    llvm::Value* im1 = B.CreateFDiv(B.CreateFSub(b, B.CreateFMul(a, ratio1)), denominator1);
    llvm::Value* ratio2 = B.CreateFDiv(c, d);
    llvm::Value* denominator2 = B.CreateFAdd(B.CreateFMul(c, ratio2), d);
    llvm::Value* re2 = B.CreateFDiv(B.CreateFAdd(B.CreateFMul(a, ratio2), b), denominator2);
    llvm::Value* im2 = B.CreateFDiv(B.CreateFSub(B.CreateFMul(b, ratio2), a), denominator2);
    llvm::Value* imag_larger = B.CreateFCmpOGE(abs_d, abs_c);
    llvm::Value* nan = llvm::ConstantFP::getNaN(part);
    return complex_value(kind, B.CreateSelect(real_larger, re1, B.CreateSelect(imag_larger, re2, nan)),
                         B.CreateSelect(real_larger, im1, B.CreateSelect(imag_larger, im2, nan)));
  }
  // NumPy's complex divide loop: multiplies by one reciprocal; 0 gives inf or nan.
  llvm::Value* ratio1 = B.CreateFDiv(d, c);
  llvm::Value* scale1 = B.CreateFDiv(one, B.CreateFAdd(c, B.CreateFMul(d, ratio1)));
  llvm::Value* re1 = B.CreateFMul(B.CreateFAdd(a, B.CreateFMul(b, ratio1)), scale1);
  llvm::Value* im1 = B.CreateFMul(B.CreateFSub(b, B.CreateFMul(a, ratio1)), scale1);
  llvm::Value* ratio2 = B.CreateFDiv(c, d);
  llvm::Value* scale2 = B.CreateFDiv(one, B.CreateFAdd(d, B.CreateFMul(c, ratio2)));
  llvm::Value* re2 = B.CreateFMul(B.CreateFAdd(B.CreateFMul(a, ratio2), b), scale2);
  llvm::Value* im2 = B.CreateFMul(B.CreateFSub(B.CreateFMul(b, ratio2), a), scale2);
  llvm::Value* zero_divisor = B.CreateAnd(B.CreateFCmpOEQ(abs_c, llvm::ConstantFP::get(part, 0.0)),
                                          B.CreateFCmpOEQ(abs_d, llvm::ConstantFP::get(part, 0.0)));
  llvm::Value* re = B.CreateSelect(zero_divisor, B.CreateFDiv(a, abs_c), B.CreateSelect(real_larger, re1, re2));
  llvm::Value* im = B.CreateSelect(zero_divisor, B.CreateFDiv(b, abs_c), B.CreateSelect(real_larger, im1, im2));
  return complex_value(kind, re, im);
}

llvm::Value* FunctionEmitter::complex_power(llvm::Value* l, llvm::Value* r, Kind kind) {
  const bool python = kind == Kind::PyComplex && !zero_division_gives_numpy_result();
  const int32_t which = python ? ACCEL_COMPLEX_PYTHON
                        : kind == Kind::Complex64 ? ACCEL_COMPLEX_SINGLE
                                                  : ACCEL_COMPLEX_DOUBLE;
  auto* out_type = llvm::ArrayType::get(builder_.getDoubleTy(), 2);
  llvm::AllocaInst* out = entry_slot(out_type, "complex.power");
  auto wide = [&](llvm::Value* z, unsigned part) { return part_as_double(builder_, z, part); };
  llvm::Value* status = builder_.CreateCall(module_.runtime(RT::accel_rt_complex_power),
                                            {builder_.getInt32(which), wide(l, 0), wide(l, 1), wide(r, 0), wide(r, 1), out});
  if (python) propagate_if(builder_.CreateICmpNE(status, builder_.getInt32(0)));
  return complex_from_slot(out, kind);
}

llvm::Value* FunctionEmitter::complex_from_slot(llvm::Value* out, Kind kind) {
  auto* out_type = llvm::ArrayType::get(builder_.getDoubleTy(), 2);
  llvm::Type* part = module_.llvm_type(types::scalar(types::complex_part(kind)));
  auto load = [&](unsigned i) {
    return builder_.CreateFPTrunc(builder_.CreateLoad(builder_.getDoubleTy(), builder_.CreateConstInBoundsGEP2_64(out_type, out, 0, i)), part);
  };
  return complex_value(kind, load(0), load(1));
}

llvm::Value* FunctionEmitter::complex_function(int32_t function, llvm::Value* z, Kind kind) {
  auto* out_type = llvm::ArrayType::get(builder_.getDoubleTy(), 2);
  llvm::AllocaInst* out = entry_slot(out_type, "complex.function");
  builder_.CreateCall(module_.runtime(RT::accel_rt_complex_function),
                      {builder_.getInt32(function), builder_.getInt32(kind == Kind::Complex64),
                       part_as_double(builder_, z, 0), part_as_double(builder_, z, 1), out});
  return complex_from_slot(out, kind);
}

llvm::Value* FunctionEmitter::complex_abs(llvm::Value* z, Kind kind) {
  // hypot, as both CPython and NumPy; CPython raises where a finite number's is inf.
  llvm::Value* re = builder_.CreateExtractValue(z, {0});
  llvm::Value* im = builder_.CreateExtractValue(z, {1});
  llvm::Type* part = re->getType();
  auto callee = module_.module().getOrInsertFunction(part->isFloatTy() ? "hypotf" : "hypot",
                                                     llvm::FunctionType::get(part, {part, part}, false));
  if (auto* fn = llvm::dyn_cast<llvm::Function>(callee.getCallee())) fn->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::Value* magnitude = builder_.CreateCall(callee, {re, im});
  if (kind == Kind::PyComplex && !zero_division_gives_numpy_result()) {
    llvm::Value* inf = llvm::ConstantFP::getInfinity(part);
    auto finite = [&](llvm::Value* v) {
      return builder_.CreateFCmpOLT(builder_.CreateIntrinsic(llvm::Intrinsic::fabs, {part}, {v}), inf);
    };
    raise_if(builder_.CreateAnd(builder_.CreateFCmpOEQ(magnitude, inf), builder_.CreateAnd(finite(re), finite(im))),
             ACCEL_ERROR_OVERFLOW, "absolute value too large");
  }
  return magnitude;
}

llvm::Value* FunctionEmitter::complex_equal(Operator op, llvm::Value* l, llvm::Value* r) {
  llvm::Value* re_l = builder_.CreateExtractValue(l, {0});
  llvm::Value* im_l = builder_.CreateExtractValue(l, {1});
  llvm::Value* re_r = builder_.CreateExtractValue(r, {0});
  llvm::Value* im_r = builder_.CreateExtractValue(r, {1});
  if (op == Operator::Eq)
    return builder_.CreateAnd(builder_.CreateFCmpOEQ(re_l, re_r), builder_.CreateFCmpOEQ(im_l, im_r));
  return builder_.CreateOr(builder_.CreateFCmpUNE(re_l, re_r), builder_.CreateFCmpUNE(im_l, im_r));
}

}  // namespace accel::codegen
