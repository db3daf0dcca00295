// Reference counting of arrays made in compiled code. The rules:
//  - an expression's array value is *borrowed*: valid until the end of its statement;
//  - a new array (np.zeros, an array expression, a call returning one) is owned by a
//    temporary slot, released at the end of the statement that made it, or when the
//    same place in the code makes the next one (a loop inside one statement, as in
//    x.var(axis=1)); a test (if, while) releases its temporaries before it branches, so
//    a `continue` or the next turn of a `while` leaves nothing behind;
//  - a variable owns one reference to what it holds; assignment retains the new value,
//    then releases the old one;
//  - a returned value gets one reference for the caller; both ways out of a function
//    (exit and fail) release every variable and temporary, which hold null when empty.

#include "codegen/array_layout.h"
#include "codegen/function_emitter.h"

namespace accel::codegen {

bool has_arrays(Type t) {
  // A str made in compiled code lives in a block like an array's (its meminfo comes first).
  if (t->kind == Kind::Array || t->kind == Kind::Str || t->kind == Kind::List || t->kind == Kind::Dict ||
      t->kind == Kind::Set)
    return true;
  if (t->kind == Kind::Tuple)
    for (Type e : t->elements)
      if (has_arrays(e)) return true;
  return false;
}

void FunctionEmitter::reference(llvm::Value* value, Type type, RT runtime_function) {
  if (type->kind == Kind::List) {
    builder_.CreateCall(module_.runtime(runtime_function == RT::accel_rt_incref ? RT::accel_rt_list_incref
                                                                                  : RT::accel_rt_list_decref),
                        {value});
    return;
  }
  if (type->kind == Kind::Dict || type->kind == Kind::Set) {
    builder_.CreateCall(module_.runtime(runtime_function == RT::accel_rt_incref ? RT::accel_rt_dict_incref
                                                                                  : RT::accel_rt_dict_decref),
                        {value});
    return;
  }
  if (type->kind == Kind::Array || type->kind == Kind::Str) {
    builder_.CreateCall(module_.runtime(runtime_function), {builder_.CreateExtractValue(value, {kMeminfo})});
    return;
  }
  if (type->kind == Kind::Tuple)
    for (unsigned i = 0; i < type->elements.size(); ++i)
      if (has_arrays(type->elements[i]))
        reference(builder_.CreateExtractValue(value, {i}), type->elements[i], runtime_function);
}

void FunctionEmitter::retain(llvm::Value* value, Type type) {
  if (has_arrays(type)) reference(value, type, RT::accel_rt_incref);
}

void FunctionEmitter::release(llvm::Value* value, Type type) {
  if (has_arrays(type)) reference(value, type, RT::accel_rt_decref);
}

llvm::AllocaInst* FunctionEmitter::entry_slot(llvm::Type* type, const char* name) {
  llvm::BasicBlock& entry = function_->getEntryBlock();
  llvm::IRBuilder<> at_entry(&entry, entry.begin());
  auto* slot = at_entry.CreateAlloca(type, nullptr, name);
  at_entry.CreateStore(llvm::Constant::getNullValue(type), slot);
  return slot;
}

llvm::Value* FunctionEmitter::own_temporary(llvm::Value* value, Type type) {
  if (!has_arrays(type)) return value;
  llvm::Type* t = module_.llvm_type(type);
  llvm::AllocaInst* slot = entry_slot(t, "temporary");
  temporaries_.push_back({slot, type});
  if (!statement_temporaries_.empty()) statement_temporaries_.back().push_back({slot, type});
  // The slot is new, but the code storing into it may run again before the statement
  // ends (a loop the lowering emits); what it held is released first.
  release(builder_.CreateLoad(t, slot), type);
  builder_.CreateStore(value, slot);
  return value;
}

void FunctionEmitter::release_slot(llvm::AllocaInst* slot, Type type) {
  llvm::Type* t = module_.llvm_type(type);
  release(builder_.CreateLoad(t, slot), type);
  builder_.CreateStore(llvm::Constant::getNullValue(t), slot);
}

void FunctionEmitter::begin_statement() { statement_temporaries_.emplace_back(); }

void FunctionEmitter::end_statement() {
  auto temporaries = std::move(statement_temporaries_.back());
  statement_temporaries_.pop_back();
  if (builder_.GetInsertBlock()->getTerminator()) return;
  for (auto& [slot, type] : temporaries) release_slot(slot, type);
}

llvm::Value* FunctionEmitter::condition(const Expr& test) {
  begin_statement();
  llvm::Value* truth_value = truth(expr(test), type_of(test));
  end_statement();
  return truth_value;
}

void FunctionEmitter::release_everything() {
  for (const auto& name : owned_variables_) {
    Type type = spec_.variables.at(name);
    if (has_arrays(type)) release_slot(llvm::cast<llvm::AllocaInst>(variables_.at(name)), type);
  }
  for (auto& [slot, type] : temporaries_) release_slot(slot, type);
}

void FunctionEmitter::store_variable(const std::string& name, llvm::Value* value, Type value_type) {
  Type variable = spec_.variables.at(name);
  llvm::Value* converted = cast(value, value_type, variable);
  llvm::Value* slot = variables_.at(name);
  if (has_arrays(variable)) {
    retain(converted, variable);
    release(builder_.CreateLoad(module_.llvm_type(variable), slot), variable);
  }
  builder_.CreateStore(converted, slot);
}

}  // namespace accel::codegen
