#include "codegen/number_cast.h"

#include <llvm/IR/Intrinsics.h>

namespace accel::codegen {

using types::Kind;

llvm::Value* cast_number(llvm::IRBuilder<>& b, llvm::Value* v, Kind from, Kind to, llvm::Type* target) {
  if (from == to) return v;
  if (types::is_complex(to)) {
    // {real, imag}: a real number gets imaginary part 0.
    llvm::Type* part = llvm::cast<llvm::StructType>(target)->getElementType(0);
    const Kind part_kind = types::complex_part(to);
    llvm::Value* re = types::is_complex(from) ? b.CreateExtractValue(v, {0}) : v;
    llvm::Value* im = types::is_complex(from) ? b.CreateExtractValue(v, {1}) : llvm::ConstantFP::get(part, 0.0);
    re = cast_number(b, re, types::is_complex(from) ? types::complex_part(from) : from, part_kind, part);
    if (types::is_complex(from)) im = b.CreateFPCast(im, part);
    llvm::Value* out = b.CreateInsertValue(llvm::UndefValue::get(target), re, {0});
    return b.CreateInsertValue(out, im, {1});
  }
  if (types::is_complex(from)) {
    llvm::Value* re = b.CreateExtractValue(v, {0});
    if (types::is_bool(to)) {
      llvm::Value* zero = llvm::ConstantFP::get(re->getType(), 0.0);
      return b.CreateOr(b.CreateFCmpUNE(re, zero), b.CreateFCmpUNE(b.CreateExtractValue(v, {1}), zero));
    }
    // NumPy's cast to a real type keeps the real part (and warns ComplexWarning).
    return cast_number(b, re, types::complex_part(from), to, target);
  }
  if (types::is_bool(to)) {
    if (types::is_bool(from)) return v;
    return types::is_float(from) ? b.CreateFCmpUNE(v, llvm::ConstantFP::get(v->getType(), 0.0))
                                 : b.CreateICmpNE(v, llvm::ConstantInt::get(v->getType(), 0));
  }
  const bool from_float = types::is_float(from), to_float = types::is_float(to);
  if (from_float && to_float) return b.CreateFPCast(v, target);
  if (to_float) return types::is_signed(from) ? b.CreateSIToFP(v, target) : b.CreateUIToFP(v, target);
  if (from_float) {
    // fptosi of an out-of-range value is poison in LLVM; the saturating form is defined.
    auto id = types::is_signed(to) ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat;
    return b.CreateIntrinsic(id, {target, v->getType()}, {v});
  }
  return b.CreateIntCast(v, target, types::is_signed(from) && !types::is_bool(from));
}

}  // namespace accel::codegen
