#include <llvm/IR/Intrinsics.h>

#include "codegen/call_lowering.h"
#include "codegen/function_emitter.h"
#include "infer/builtin.h"
#include "infer/builtin_table.h"

namespace accel::codegen {

llvm::Value* FunctionEmitter::call(const Expr& e) {
  const infer::CallTarget& target = spec_.calls.at(&e);
  return target.callee ? user_call(e, target) : builtin_call(e, target);
}

llvm::Value* FunctionEmitter::user_call(const Expr& e, const infer::CallTarget& target, bool last_first) {
  const Specialization& callee = *target.callee;
  std::vector<llvm::Value*> args(target.arguments.size());
  auto argument = [&](size_t i) {
    const Expr* a = target.arguments[i];
    if (a) args[i] = cast(expr(*a), type_of(*a), callee.arg_types[i]);
  };
  if (last_first && !args.empty()) argument(args.size() - 1);
  for (size_t i = 0; i < args.size(); ++i) {
    if (target.arguments[i]) {
      if (!(last_first && i + 1 == args.size())) argument(i);
      continue;
    }
    // A default converts to the parameter's type, which a signature may have declared.
    const auto& d = *callee.source->defaults.at(i);
    using GK = frontend::GlobalValue::Kind;
    if (d.kind == GK::Int) {
      const Kind k = infer::constant_kind(d, Kind::PyInt);
      args[i] = cast(int_constant(k, d.int_value), types::scalar(k), callee.arg_types[i]);
    } else if (d.kind == GK::Float) {
      const Kind k = infer::constant_kind(d, Kind::PyFloat);
      args[i] = cast(float_constant(k, d.float_value), types::scalar(k), callee.arg_types[i]);
    }
    else if (d.kind == GK::Bool) args[i] = cast(builder_.getInt1(d.bool_value), types::scalar(Kind::PyBool), callee.arg_types[i]);
    else args[i] = llvm::ConstantStruct::get(llvm::StructType::get(context_, {}), {});  // None
  }
  llvm::Type* result_type = module_.llvm_type(callee.return_type);
  // The slot is allocated in the entry block so loops do not grow the stack.
  llvm::IRBuilder<> entry_builder(&function_->getEntryBlock(), function_->getEntryBlock().begin());
  auto* slot = entry_builder.CreateAlloca(result_type);
  args.push_back(slot);
  auto* status = builder_.CreateCall(module_.function_for(callee), args);
  propagate_if(builder_.CreateICmpNE(status, builder_.getInt32(0)));
  (void)e;
  llvm::Value* result = own_temporary(builder_.CreateLoad(result_type, slot), callee.return_type);
  if (!target.declared_result) return result;
  return module_.convert_result(builder_, result, callee.return_type, target.declared_result);
}


llvm::Value* FunctionEmitter::builtin_call(const Expr& e, const infer::CallTarget& target) {
  if (target.entry) {
    CallLowering call(*this, e, target);
    return target.entry->lower(call);
  }
  // Families not in the registry yet (src/library/ will hold them all).
  const std::string& q = target.builtin;
  if (q.rfind("array.", 0) == 0) return array_function_call(e, target, q.substr(6));
  if (q.rfind("numpy.", 0) == 0 && infer::creation_parameters(q.substr(6)))
    return array_creation(e, target, q.substr(6));
  throw std::logic_error("accel: builtin without codegen: " + q + " (a compiler bug)");
}

llvm::Value* FunctionEmitter::no_value() { return llvm::ConstantStruct::get(llvm::StructType::get(context_, {}), {}); }

}  // namespace accel::codegen
