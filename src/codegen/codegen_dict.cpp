// Dicts and sets in compiled code: a value is one pointer to the runtime's AccelDict (a
// set is a dict whose values have no bytes). Hashing, probing and growing are the
// runtime's (runtime/dict_memory.cpp); codegen lays a key out in a slot of its own,
// normalized so that equal numbers have equal bytes, and reads and writes values in the
// entry the runtime returns.

#include "codegen/dict_layout.h"
#include "codegen/function_emitter.h"

namespace accel::codegen {

using frontend::ExprKind;

namespace {

constexpr const char* kKeyError = "builtins:KeyError|builtins:LookupError|builtins:Exception|builtins:BaseException";

Type key_of(Type container) {
  // An empty `{}` or `set()` whose types are never needed (it is only made): any will do.
  return container->elements.empty() ? types::scalar(Kind::PyInt) : container->elements[0];
}

Type value_of(Type container) {
  if (container->kind != Kind::Dict) return nullptr;
  return container->elements.empty() ? types::scalar(Kind::PyInt) : container->elements[1];
}

}  // namespace

int64_t FunctionEmitter::byte_size(Type t) {
  return static_cast<int64_t>(module_.module().getDataLayout().getTypeAllocSize(module_.llvm_type(t)).getFixedValue());
}

llvm::Value* FunctionEmitter::dict_size(llvm::Value* dict) {
  return builder_.CreateLoad(builder_.getInt64Ty(), builder_.CreateConstInBoundsGEP1_64(builder_.getInt64Ty(), dict, kDictSize),
                             "dict.size");
}

llvm::Value* FunctionEmitter::dict_result(llvm::Value* dict, Type container) {
  propagate_if(builder_.CreateIsNull(dict));
  return own_temporary(dict, container);
}

llvm::Value* FunctionEmitter::dict_value_size(Type container) {
  Type value = value_of(container);
  return builder_.getInt64(value ? byte_size(value) : 0);
}

llvm::Value* FunctionEmitter::new_dict(Type container) {
  // An empty `{}` or `set()` is typed before the stores that tell its types: its sizes
  // come with its first insert (the variable it goes to has them).
  const bool unknown = container->elements.empty();
  llvm::Value* dict = builder_.CreateCall(module_.runtime(RT::accel_rt_dict_new),
                                          {builder_.getInt64(unknown ? -1 : byte_size(key_of(container))),
                                           unknown ? builder_.getInt64(0) : dict_value_size(container)});
  return dict_result(dict, container);
}

void FunctionEmitter::store_key_fields(llvm::Value* address, llvm::Value* key, Type t) {
  // Field by field: a store of a whole struct leaves its padding undefined, and keys are
  // compared by all their bytes. -0.0 becomes 0.0, which it equals.
  llvm::Type* type = module_.llvm_type(t);
  if (t->kind == Kind::Tuple || types::is_complex(t->kind)) {
    const unsigned n = t->kind == Kind::Tuple ? static_cast<unsigned>(t->elements.size()) : 2;
    for (unsigned i = 0; i < n; ++i) {
      Type part = t->kind == Kind::Tuple ? t->elements[i] : types::scalar(types::complex_part(t->kind));
      store_key_fields(builder_.CreateStructGEP(type, address, i), builder_.CreateExtractValue(key, {i}), part);
    }
    return;
  }
  if (types::is_float(t->kind)) {
    llvm::Value* zero = llvm::ConstantFP::get(type, 0.0);
    key = builder_.CreateSelect(builder_.CreateFCmpOEQ(key, zero), zero, key);
  }
  builder_.CreateStore(key, address);
}

llvm::Value* FunctionEmitter::key_address(Type container, llvm::Value* key, Type key_type) {
  Type k = key_of(container);
  llvm::Type* type = module_.llvm_type(k);
  llvm::BasicBlock& entry = function_->getEntryBlock();
  llvm::IRBuilder<> at_entry(&entry, entry.begin());
  llvm::AllocaInst* slot = at_entry.CreateAlloca(type, nullptr, "key");
  at_entry.CreateMemSet(slot, at_entry.getInt8(0), byte_size(k), slot->getAlign());  // padding stays zero
  store_key_fields(slot, cast(key, key_type, k), k);
  return slot;
}

llvm::Value* FunctionEmitter::dict_find(llvm::Value* dict, Type container, llvm::Value* key, Type key_type) {
  return builder_.CreateCall(module_.runtime(RT::accel_rt_dict_find), {dict, key_address(container, key, key_type)});
}

llvm::Value* FunctionEmitter::dict_insert(llvm::Value* dict, Type container, llvm::Value* key, Type key_type,
                                          llvm::Value* created) {
  llvm::Value* entry =
      builder_.CreateCall(module_.runtime(RT::accel_rt_dict_insert),
                          {dict, key_address(container, key, key_type),
                           created ? created : llvm::ConstantPointerNull::get(builder_.getPtrTy()),
                           builder_.getInt64(byte_size(key_of(container))), dict_value_size(container)});
  propagate_if(builder_.CreateIsNull(entry));
  return entry;
}

llvm::Value* FunctionEmitter::dict_value_address(llvm::Value* entry, Type container) {
  return builder_.CreateConstInBoundsGEP1_64(builder_.getInt8Ty(), entry,
                                             static_cast<uint64_t>(accel_dict_value_offset(byte_size(key_of(container)))));
}

llvm::Value* FunctionEmitter::load_dict_key(llvm::Value* entry, Type container) {
  return builder_.CreateLoad(module_.llvm_type(key_of(container)), entry);
}

llvm::Value* FunctionEmitter::load_dict_value(llvm::Value* entry, Type container) {
  return builder_.CreateLoad(module_.llvm_type(value_of(container)), dict_value_address(entry, container));
}

void FunctionEmitter::store_dict_value(llvm::Value* entry, Type container, llvm::Value* value, Type value_type) {
  builder_.CreateStore(cast(value, value_type, value_of(container)), dict_value_address(entry, container));
}

void FunctionEmitter::raise_key_error(llvm::Value* missing, llvm::Value* key, Type key_type) {
  raise_with_value(missing, kKeyError, key, key_type, "", true);
}

llvm::Value* FunctionEmitter::dict_display(const Expr& e) {
  Type container = type_of(e);
  llvm::Value* dict = new_dict(container);
  if (e.kind == ExprKind::Set) {
    for (const auto& item : e.operands) dict_insert(dict, container, expr(*item), type_of(*item));
    return dict;
  }
  for (size_t i = 0; i + 1 < e.operands.size(); i += 2) {  // key, then value, as CPython evaluates them
    const Expr& key = *e.operands[i];
    const Expr& value = *e.operands[i + 1];
    llvm::Value* k = expr(key);
    llvm::Value* v = expr(value);
    store_dict_value(dict_insert(dict, container, k, type_of(key)), container, v, type_of(value));
  }
  return dict;
}

llvm::Value* FunctionEmitter::container_comprehension(const Expr& e) {
  Type container = type_of(e);
  llvm::Value* dict = new_dict(container);
  auto* done = new_block("comprehension.done");
  generator_level(e, 0, [&](llvm::Value* key, Type key_type, llvm::BasicBlock*, llvm::BasicBlock*) {
    if (e.kind == ExprKind::SetComp) {
      dict_insert(dict, container, key, key_type);
      return;
    }
    begin_statement();  // the value after the key, as CPython evaluates them
    llvm::Value* value = expr(*e.operands[1]);
    store_dict_value(dict_insert(dict, container, key, key_type), container, value, type_of(*e.operands[1]));
    end_statement();
  }, done);
  if (!builder_.GetInsertBlock()->getTerminator()) builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  return dict;
}

std::pair<llvm::Value*, Type> FunctionEmitter::subscript_key(const Expr& subscript) {
  if (subscript.operands.size() == 2) return {expr(*subscript.operands[1]), type_of(*subscript.operands[1])};
  std::vector<Type> types;  // d[a, b]: the key (a, b)
  std::vector<llvm::Value*> values;
  for (size_t i = 1; i < subscript.operands.size(); ++i) {
    values.push_back(expr(*subscript.operands[i]));
    types.push_back(type_of(*subscript.operands[i]));
  }
  Type t = types::tuple(types);
  llvm::Value* key = llvm::UndefValue::get(module_.llvm_type(t));
  for (unsigned i = 0; i < values.size(); ++i) key = builder_.CreateInsertValue(key, values[i], {i});
  return {key, t};
}

llvm::Value* FunctionEmitter::dict_subscript(const Expr& e, llvm::Value* dict, Type container) {
  auto [key, key_type] = subscript_key(e);
  llvm::Value* entry = dict_find(dict, container, key, key_type);
  raise_key_error(builder_.CreateIsNull(entry), key, key_type);
  return load_dict_value(entry, container);
}

void FunctionEmitter::dict_store(const Expr& target, llvm::Value* value, Type value_type) {
  Type container = type_of(*target.operands[0]);
  llvm::Value* dict = expr(*target.operands[0]);
  auto [key, key_type] = subscript_key(target);
  store_dict_value(dict_insert(dict, container, key, key_type), container, value, value_type);
}

void FunctionEmitter::delete_stmt(const frontend::Stmt& s) {
  for (const auto& target : s.targets) {
    begin_statement();
    Type container = type_of(*target->operands[0]);
    llvm::Value* object = expr(*target->operands[0]);
    auto [key, key_type] = subscript_key(*target);
    if (container->kind == Kind::List) {
      llvm::Value* k = list_position(object, key, key_type->kind, "list assignment index out of range");
      builder_.CreateCall(module_.runtime(RT::accel_rt_list_close), {object, k, list_item_size(container)});
    } else {
      llvm::Value* removed = builder_.CreateCall(module_.runtime(RT::accel_rt_dict_remove),
                                                 {object, key_address(container, key, key_type)});
      raise_key_error(builder_.CreateICmpEQ(removed, builder_.getInt32(0)), key, key_type);
    }
    end_statement();
  }
}

llvm::Value* FunctionEmitter::membership(llvm::Value* item, Type item_type, llvm::Value* container, Type container_type) {
  return builder_.CreateIsNotNull(dict_find(container, container_type, item, item_type));
}

llvm::Value* FunctionEmitter::set_binary(Operator op, llvm::Value* l, llvm::Value* r, Type result) {
  auto call = [&](RT f, std::vector<llvm::Value*> args) {
    return dict_result(builder_.CreateCall(module_.runtime(f), args), result);
  };
  if (op == Operator::BitAnd) return call(RT::accel_rt_dict_filter, {l, r, builder_.getInt32(1)});
  if (op == Operator::Sub) return call(RT::accel_rt_dict_filter, {l, r, builder_.getInt32(0)});
  llvm::Value* out = op == Operator::BitOr ? call(RT::accel_rt_dict_copy, {l}) : call(RT::accel_rt_dict_filter, {l, r, builder_.getInt32(0)});
  llvm::Value* other = op == Operator::BitOr ? r : call(RT::accel_rt_dict_filter, {r, l, builder_.getInt32(0)});
  propagate_if(builder_.CreateICmpNE(builder_.CreateCall(module_.runtime(RT::accel_rt_dict_update), {out, other}),
                                     builder_.getInt32(0)));
  return out;
}

void FunctionEmitter::set_update(Operator op, llvm::Value* set, llvm::Value* other, Type set_type) {
  auto filter = [&](llvm::Value* keep_common) {
    builder_.CreateCall(module_.runtime(RT::accel_rt_dict_filter_in_place), {set, other, keep_common});
  };
  if (op == Operator::BitAnd) return filter(builder_.getInt32(1));
  if (op == Operator::Sub) return filter(builder_.getInt32(0));
  llvm::Value* added = other;
  if (op == Operator::BitXor) {  // what only `other` holds, computed before `set` changes
    added = dict_result(builder_.CreateCall(module_.runtime(RT::accel_rt_dict_filter), {other, set, builder_.getInt32(0)}),
                        set_type);
    filter(builder_.getInt32(0));
  }
  propagate_if(builder_.CreateICmpNE(builder_.CreateCall(module_.runtime(RT::accel_rt_dict_update), {set, added}),
                                     builder_.getInt32(0)));
}

FunctionEmitter::Iteration FunctionEmitter::dict_iteration(llvm::Value* dict, Type container, DictPart part) {
  // A cursor over entry positions, moved on to the next live entry at each step. CPython
  // raises when the dict changes size meanwhile; so does this.
  Iteration it;
  Type key = key_of(container);
  it.item_type = part == DictPart::Keys ? key : part == DictPart::Values ? value_of(container)
                                                                         : types::tuple({key, value_of(container)});
  llvm::AllocaInst* position = entry_slot(builder_.getInt64Ty(), "dict.position");
  builder_.CreateStore(builder_.getInt64(-1), position);
  llvm::Value* size_at_start = dict_size(dict);
  const char* message = container->kind == Kind::Set ? "Set changed size during iteration"
                                                     : "dictionary changed size during iteration";
  it.length = [this, dict] { return dict_size(dict); };
  it.more = [this, dict, position, size_at_start, message](llvm::Value*) {
    raise_class_if(builder_.CreateICmpNE(dict_size(dict), size_at_start),
                   "builtins:RuntimeError|builtins:Exception|builtins:BaseException", message);
    llvm::Value* from = builder_.CreateAdd(builder_.CreateLoad(builder_.getInt64Ty(), position), builder_.getInt64(1));
    llvm::Value* next = builder_.CreateCall(module_.runtime(RT::accel_rt_dict_next), {dict, from});
    builder_.CreateStore(next, position);
    return builder_.CreateICmpSGE(next, builder_.getInt64(0));
  };
  it.item = [this, dict, position, container, part, item_type = it.item_type](llvm::Value*) -> llvm::Value* {
    llvm::Value* entry = builder_.CreateCall(module_.runtime(RT::accel_rt_dict_entry),
                                             {dict, builder_.CreateLoad(builder_.getInt64Ty(), position)});
    if (part == DictPart::Keys) return load_dict_key(entry, container);
    if (part == DictPart::Values) return load_dict_value(entry, container);
    llvm::Value* pair = llvm::UndefValue::get(module_.llvm_type(item_type));
    pair = builder_.CreateInsertValue(pair, load_dict_key(entry, container), {0});
    return builder_.CreateInsertValue(pair, load_dict_value(entry, container), {1});
  };
  return it;
}

}  // namespace accel::codegen
