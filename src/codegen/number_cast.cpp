#include "codegen/number_cast.h"

#include <llvm/IR/Intrinsics.h>

namespace accel::codegen {

using types::Kind;

llvm::Value* cast_number(llvm::IRBuilder<>& b, llvm::Value* v, Kind from, Kind to, llvm::Type* target) {
  if (from == to) return v;
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
