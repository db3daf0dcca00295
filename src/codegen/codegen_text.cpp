// Strings, f-strings, str() and print(). A string constant is {null block, the global
// text, its length}; formatting hands the values to the runtime as pieces
// (runtime/text.h) after all of them are evaluated, and CPython formats them.

#include "codegen/array_layout.h"
#include "codegen/function_emitter.h"

namespace accel::codegen {

using frontend::ExprKind;

llvm::Value* FunctionEmitter::string_constant(const std::string& text) {
  llvm::Type* t = module_.llvm_type(types::string());
  llvm::Value* out = llvm::UndefValue::get(t);
  out = builder_.CreateInsertValue(out, llvm::ConstantPointerNull::get(builder_.getPtrTy()), {0});
  out = builder_.CreateInsertValue(out, builder_.CreateGlobalStringPtr(text, "text"), {1});
  return builder_.CreateInsertValue(out, builder_.getInt64(static_cast<int64_t>(text.size())), {2});
}

void FunctionEmitter::text_piece(llvm::Value* v, Type t, const std::string& spec, int conversion) {
  llvm::Value* spec_text = builder_.CreateGlobalStringPtr(spec, "spec");
  llvm::Value* conv = builder_.getInt32(conversion);
  switch (t->kind) {
    case Kind::Str:
      builder_.CreateCall(module_.runtime(RT::accel_rt_text_string),
                          {builder_.CreateExtractValue(v, {1}), builder_.CreateExtractValue(v, {2}), spec_text, conv});
      return;
    case Kind::None: builder_.CreateCall(module_.runtime(RT::accel_rt_text_none), {spec_text, conv}); return;
    case Kind::Exception:
      builder_.CreateCall(module_.runtime(RT::accel_rt_text_exception), {v, spec_text, conv});
      return;
    case Kind::Tuple:
      builder_.CreateCall(module_.runtime(RT::accel_rt_text_tuple),
                          {builder_.getInt64(static_cast<int64_t>(t->elements.size())), spec_text, conv});
      for (unsigned i = 0; i < t->elements.size(); ++i)
        text_piece(builder_.CreateExtractValue(v, {i}), t->elements[i], "", 0);
      return;
    case Kind::List: {
      builder_.CreateCall(module_.runtime(RT::accel_rt_text_list), {list_size(v), spec_text, conv});
      if (!types::list_item(t)) return;  // `[]`, empty for good
      loop_nest({list_size(v)}, [&](const std::vector<llvm::Value*>& k) {
        text_piece(load_list_item(v, t, k[0]), types::list_item(t), "", 0);
      });
      return;
    }
    case Kind::Array: {
      llvm::AllocaInst* slot = entry_slot(module_.llvm_type(t), "printed");
      builder_.CreateStore(v, slot);
      llvm::Type* st = module_.llvm_type(t);
      builder_.CreateCall(module_.runtime(RT::accel_rt_text_array),
                          {builder_.CreateExtractValue(v, {kData}), builder_.CreateStructGEP(st, slot, kShape),
                           builder_.CreateStructGEP(st, slot, kStrides), builder_.getInt32(t->ndim),
                           builder_.getInt32(static_cast<int32_t>(t->dtype)), spec_text, conv});
      return;
    }
    default: break;
  }
  // A number: an integer widened to 64 bits, a float as a double's bits.
  llvm::Value* bits = nullptr;
  if (types::is_float(t->kind))
    bits = builder_.CreateBitCast(builder_.CreateFPExt(v, builder_.getDoubleTy()), builder_.getInt64Ty());
  else if (types::is_signed(t->kind) && !types::is_bool(t->kind))
    bits = builder_.CreateSExt(v, builder_.getInt64Ty());
  else
    bits = builder_.CreateZExt(v, builder_.getInt64Ty());
  builder_.CreateCall(module_.runtime(RT::accel_rt_text_number),
                      {builder_.getInt32(static_cast<int32_t>(t->kind)), bits, spec_text, conv});
}

llvm::Value* FunctionEmitter::text_finish() {
  llvm::AllocaInst* meminfo = entry_slot(builder_.getPtrTy(), "text.block");
  llvm::AllocaInst* data = entry_slot(builder_.getPtrTy(), "text.data");
  llvm::AllocaInst* size = entry_slot(builder_.getInt64Ty(), "text.size");
  llvm::Value* status = builder_.CreateCall(module_.runtime(RT::accel_rt_text_finish), {meminfo, data, size});
  propagate_if(builder_.CreateICmpNE(status, builder_.getInt32(0)));
  llvm::Value* out = llvm::UndefValue::get(module_.llvm_type(types::string()));
  out = builder_.CreateInsertValue(out, builder_.CreateLoad(builder_.getPtrTy(), meminfo), {0});
  out = builder_.CreateInsertValue(out, builder_.CreateLoad(builder_.getPtrTy(), data), {1});
  out = builder_.CreateInsertValue(out, builder_.CreateLoad(builder_.getInt64Ty(), size), {2});
  return own_temporary(out, types::string());
}

void FunctionEmitter::text_print() {
  llvm::Value* status = builder_.CreateCall(module_.runtime(RT::accel_rt_text_print));
  propagate_if(builder_.CreateICmpNE(status, builder_.getInt32(0)));
}

llvm::Value* FunctionEmitter::formatted_string(const Expr& e) {
  // Every value first: a call inside a field may format text of its own.
  std::vector<llvm::Value*> values;
  for (const auto& part : e.operands)
    values.push_back(part->kind == ExprKind::FormattedValue ? expr(*part->operands[0]) : nullptr);
  builder_.CreateCall(module_.runtime(RT::accel_rt_text_begin));
  for (size_t i = 0; i < e.operands.size(); ++i) {
    const Expr& part = *e.operands[i];
    if (part.kind == ExprKind::FormattedValue) {
      text_piece(values[i], type_of(*part.operands[0]), part.name, static_cast<int>(part.int_value));
    } else {
      llvm::Value* text = builder_.CreateGlobalStringPtr(part.name, "text");
      builder_.CreateCall(module_.runtime(RT::accel_rt_text_literal),
                          {text, builder_.getInt64(static_cast<int64_t>(part.name.size()))});
    }
  }
  return text_finish();
}

}  // namespace accel::codegen
