#pragma once
// Converting a number from one kind to another (NumPy's casting; float to int
// saturates, NaN gives 0), shared by function bodies and the entry wrapper.

#include <llvm/IR/IRBuilder.h>

#include "types/type.h"

namespace accel::codegen {

/// `v` (of kind `from`) as kind `to`, whose LLVM type is `target`.
llvm::Value* cast_number(llvm::IRBuilder<>& b, llvm::Value* v, types::Kind from, types::Kind to,
                         llvm::Type* target);

}  // namespace accel::codegen
