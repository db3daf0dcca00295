#include <llvm/IR/Intrinsics.h>

#include "codegen/function_emitter.h"
#include "infer/builtin_table.h"

namespace accel::codegen {

llvm::Value* FunctionEmitter::call(const Expr& e) {
  const infer::CallTarget& target = spec_.calls.at(&e);
  return target.callee ? user_call(e, target) : builtin_call(e, target);
}

llvm::Value* FunctionEmitter::user_call(const Expr& e, const infer::CallTarget& target) {
  const Specialization& callee = *target.callee;
  std::vector<llvm::Value*> args;
  for (size_t i = 0; i < target.arguments.size(); ++i) {
    const Expr* a = target.arguments[i];
    if (a) {
      args.push_back(cast(expr(*a), type_of(*a), callee.arg_types[i]));
      continue;
    }
    // A default converts to the parameter's type, which a signature may have declared.
    const auto& d = *callee.source->defaults.at(i);
    using GK = frontend::GlobalValue::Kind;
    if (d.kind == GK::Int) args.push_back(cast(int_constant(Kind::PyInt, d.int_value), types::scalar(Kind::PyInt), callee.arg_types[i]));
    else if (d.kind == GK::Float) args.push_back(cast(float_constant(Kind::PyFloat, d.float_value), types::scalar(Kind::PyFloat), callee.arg_types[i]));
    else args.push_back(cast(builder_.getInt1(d.bool_value), types::scalar(Kind::PyBool), callee.arg_types[i]));
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

llvm::Value* FunctionEmitter::to_int(llvm::Value* v, Kind from) {
  if (!types::is_float(from)) return cast_kind(v, from, Kind::PyInt);
  // int(x) truncates; Python refuses NaN and infinity, and int64 refuses the rest of
  // what does not fit (Python would give a big int).
  raise_if(builder_.CreateFCmpUNO(v, v), ACCEL_ERROR_VALUE, "cannot convert float NaN to integer");
  auto* magnitude = builder_.CreateIntrinsic(llvm::Intrinsic::fabs, {v->getType()}, {v});
  raise_if(builder_.CreateFCmpOEQ(magnitude, llvm::ConstantFP::getInfinity(v->getType())),
           ACCEL_ERROR_OVERFLOW, "cannot convert float infinity to integer");
  auto* wide = builder_.CreateFPExt(v, builder_.getDoubleTy());
  auto* too_big = builder_.CreateOr(builder_.CreateFCmpOGE(wide, llvm::ConstantFP::get(builder_.getDoubleTy(), 9223372036854775808.0)),
                                    builder_.CreateFCmpOLT(wide, llvm::ConstantFP::get(builder_.getDoubleTy(), -9223372036854775808.0)));
  raise_if(too_big, ACCEL_ERROR_OVERFLOW, "float too large to convert to a 64-bit integer");
  return builder_.CreateFPToSI(wide, builder_.getInt64Ty());
}

llvm::Value* FunctionEmitter::round_value(llvm::Value* v, Kind kind, const Expr* ndigits) {
  if (!ndigits) {
    if (!types::is_float(kind)) return cast_kind(v, kind, Kind::PyInt);
    // Python rounds halves to even.
    return to_int(builder_.CreateIntrinsic(llvm::Intrinsic::roundeven, {v->getType()}, {v}), kind);
  }
  if (!types::is_float(kind)) return cast_kind(v, kind, kind == Kind::PyBool ? Kind::PyInt : kind);
  // NumPy's algorithm (scale, round half to even, unscale); see docs/semantics.md.
  llvm::Value* digits = cast_kind(expr(*ndigits), type_of(*ndigits)->kind, Kind::PyFloat);
  auto* wide = builder_.CreateFPExt(v, builder_.getDoubleTy());
  auto* scale = float_function("pow", {llvm::ConstantFP::get(builder_.getDoubleTy(), 10.0), digits}, builder_.getDoubleTy());
  auto* scaled = builder_.CreateIntrinsic(llvm::Intrinsic::roundeven, {builder_.getDoubleTy()}, {builder_.CreateFMul(wide, scale)});
  return builder_.CreateFPCast(builder_.CreateFDiv(scaled, scale), v->getType());
}

llvm::Value* FunctionEmitter::min_max(const Expr& e, bool is_min, const infer::CallTarget& target) {
  Type result = type_of(e);
  std::vector<std::pair<llvm::Value*, Type>> values;
  if (target.arguments.size() == 1) {
    const Expr& only = *target.arguments[0];
    Type t = type_of(only);
    llvm::Value* v = expr(only);
    if (t->kind == Kind::Tuple) {
      for (unsigned i = 0; i < t->elements.size(); ++i)
        values.push_back({builder_.CreateExtractValue(v, {i}), t->elements[i]});
    } else {
      // min(array): Python iterates and keeps an item only when strictly smaller.
      llvm::Value* n = dimension(v, 0);
      raise_if(builder_.CreateICmpEQ(n, builder_.getInt64(0)), ACCEL_ERROR_VALUE,
               is_min ? "min() arg is an empty sequence" : "max() arg is an empty sequence");
      auto* slot = builder_.CreateAlloca(module_.llvm_type(result));
      builder_.CreateStore(view_at(v, t, {builder_.getInt64(0)}), slot);
      auto* before = builder_.GetInsertBlock();
      auto* loop = new_block("minmax.loop");
      auto* done = new_block("minmax.done");
      builder_.CreateCondBr(builder_.CreateICmpUGT(n, builder_.getInt64(1)), loop, done);
      builder_.SetInsertPoint(loop);
      auto* k = builder_.CreatePHI(builder_.getInt64Ty(), 2);
      k->addIncoming(builder_.getInt64(1), before);
      llvm::Value* item = view_at(v, t, {k});
      llvm::Value* best = builder_.CreateLoad(module_.llvm_type(result), slot);
      llvm::Value* better = compare_values(is_min ? Operator::Lt : Operator::Gt, item, result, best, result);
      builder_.CreateStore(builder_.CreateSelect(better, item, best), slot);
      auto* next = builder_.CreateAdd(k, builder_.getInt64(1));
      k->addIncoming(next, builder_.GetInsertBlock());
      builder_.CreateCondBr(builder_.CreateICmpULT(next, n), loop, done);
      builder_.SetInsertPoint(done);
      return builder_.CreateLoad(module_.llvm_type(result), slot);
    }
  } else {
    for (const Expr* a : target.arguments) values.push_back({expr(*a), type_of(*a)});
  }
  llvm::Value* best = cast(values[0].first, values[0].second, result);
  for (size_t i = 1; i < values.size(); ++i) {
    llvm::Value* item = cast(values[i].first, values[i].second, result);
    llvm::Value* better = compare_values(is_min ? Operator::Lt : Operator::Gt, item, result, best, result);
    best = builder_.CreateSelect(better, item, best);
  }
  return best;
}

llvm::Value* FunctionEmitter::builtin_call(const Expr& e, const infer::CallTarget& target) {
  const std::string& q = target.builtin;
  Type result = type_of(e);
  auto arg = [&](size_t i) { return expr(*target.arguments[i]); };
  auto arg_type = [&](size_t i) { return type_of(*target.arguments[i]); };
  if (q == "builtins.range" || q == "accel.prange")  // evaluated by the for loop itself
    return llvm::ConstantStruct::get(llvm::StructType::get(context_, {}), {});
  if (q == "builtins.len") return dimension(arg(0), 0);
  if (q.rfind("array.", 0) == 0) return array_function_call(e, target, q.substr(6));
  if (q.rfind("numpy.", 0) == 0 && infer::creation_parameters(q.substr(6)))
    return array_creation(e, target, q.substr(6));
  if (q.rfind("numpy.random.", 0) == 0) return random_call(e, target, q.substr(13));
  if (q == "numpy.histogram") return histogram_call(e, target);
  if (q == "builtins.abs") {
    llvm::Value* v = cast(arg(0), arg_type(0), result);
    if (types::is_float(result->kind))
      return builder_.CreateIntrinsic(llvm::Intrinsic::fabs, {v->getType()}, {v});
    if (!types::is_signed(result->kind)) return v;
    return builder_.CreateIntrinsic(llvm::Intrinsic::abs, {v->getType()}, {v, builder_.getInt1(false)});
  }
  if (q == "builtins.min" || q == "builtins.max") return min_max(e, q == "builtins.min", target);
  if (q == "builtins.int") return to_int(arg(0), arg_type(0)->kind);
  if (q == "builtins.float" || q == "builtins.bool") return cast(arg(0), arg_type(0), result);
  if (q == "builtins.round")
    return round_value(arg(0), arg_type(0)->kind, target.arguments.size() > 1 ? target.arguments[1] : nullptr);
  std::vector<llvm::Value*> values;
  std::vector<Type> value_types;
  for (size_t i = 0; i < target.arguments.size(); ++i) {
    values.push_back(arg(i));
    value_types.push_back(arg_type(i));
  }
  if (q.rfind("math.", 0) == 0) return math_call(q.substr(5), values, value_types, false, result->kind);
  if (q.rfind("numpy.", 0) == 0) {
    const std::string name = q.substr(6);
    Kind kind;
    if (infer::numpy_scalar_kind(name, kind))
      return values.empty() ? cast_kind(int_constant(Kind::PyInt, 0), Kind::PyInt, kind)
                            : checked_cast_kind(values[0], value_types[0]->kind, kind);
    return math_call(name, values, value_types, true, result->kind);
  }
  throw std::logic_error("accel: builtin without codegen: " + q + " (a compiler bug)");
}

}  // namespace accel::codegen
