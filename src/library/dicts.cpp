// Dicts' and sets' methods (d.get(k, v), s.add(v), ...) and the builtins that make them
// (dict, set): each typing rule beside its lowering. A method's object is argument 0.
// The representation and the inlined operations are codegen/codegen_dict.cpp's.

#include "codegen/call_lowering.h"
#include "infer/call_typing.h"
#include "infer/function_typer.h"
#include "library/families.h"
#include "runtime/abi.h"
#include "types/promotion.h"

namespace accel::library {
namespace {

using codegen::CallLowering;
using codegen::FunctionEmitter;
using codegen::RT;
using frontend::ErrorCode;
using frontend::Expr;
using frontend::fail;
using infer::CallTyping;

constexpr const char* kKeyError = "builtins:KeyError|builtins:LookupError|builtins:Exception|builtins:BaseException";

Type none() { return types::none(); }

/// The container type when known (a CompileError in the strict pass when never known).
Type known(CallTyping& call, Type container) { return call.typer().known_container(call.argument_expression(0), container); }

/// A key the method is given: converted to the key type, or teaching an empty container it.
bool take_key(CallTyping& call, Type container, Type key, Type value = nullptr) {
  infer::FunctionTyper::require_key(key, call.argument_span(1));
  if (container->elements.empty()) {
    if (container->kind == Kind::Set || value) call.typer().widen_container(call.argument_expression(0), key, value);
    return known(call, container) != nullptr;
  }
  infer::require_key_of(key, container, call.argument_span(1));
  return true;
}

/// What d.get(k, default) and d.pop(k, default) give: the value type, widened to hold the default.
Type value_or(CallTyping& call, Type dict_type, Type fallback, size_t fallback_index) {
  Type value = types::dict_value(dict_type);
  if (!value) return fallback;  // while the dict is still empty `{}`: what its stores will say
  Type merged = types::is_scalar(value) && types::is_scalar(fallback) ? types::unify(value, fallback)
                                                                       : (value == fallback ? value : nullptr);
  if (!merged)
    fail(ErrorCode::TypeMismatch, call.argument_span(fallback_index),
         "the default is a " + types::name(fallback) + " and the dict's values are " + types::name(value) +
             ": the result would have two types in compiled code.",
         "Give a default of the values' type.");
  return merged;
}

/// `value_type` when the entry is null (missing), else the entry's value; both as `result`.
llvm::Value* value_or_default(FunctionEmitter& e, llvm::Value* entry, Type dict_type, llvm::Value* fallback,
                              Type fallback_type, Type result) {
  llvm::IRBuilder<>& b = e.builder();
  auto* found = e.new_block("dict.found");
  auto* missing = e.new_block("dict.missing");
  auto* done = e.new_block("dict.value");
  b.CreateCondBr(b.CreateIsNull(entry), missing, found);
  b.SetInsertPoint(found);
  llvm::Value* value = e.cast(e.load_dict_value(entry, dict_type), types::dict_value(dict_type), result);
  auto* found_end = b.GetInsertBlock();
  b.CreateBr(done);
  b.SetInsertPoint(missing);
  llvm::Value* other = e.cast(fallback, fallback_type, result);
  auto* missing_end = b.GetInsertBlock();
  b.CreateBr(done);
  b.SetInsertPoint(done);
  auto* phi = b.CreatePHI(e.module().llvm_type(result), 2);
  phi->addIncoming(value, found_end);
  phi->addIncoming(other, missing_end);
  return phi;
}

// --- d.get(k, default)
Type type_get(CallTyping& call) {
  auto args = call.method_arguments(1, 2);
  if (!args) return nullptr;
  if (args->size() == 2)
    fail(ErrorCode::BadCall, call.span(),
         "d.get(key) gives None for a missing key, which compiled code cannot mix with the values.",
         "Give a default of the values' type: d.get(key, 0).");
  Type dict_type = (*args)[0];
  infer::FunctionTyper::require_key((*args)[1], call.argument_span(1));
  if (dict_type->elements.empty()) {
    // Still `{}`: the default's type, until the stores say what the values are.
    known(call, dict_type);
    return call.result((*args)[2]);
  }
  infer::require_key_of((*args)[1], dict_type, call.argument_span(1));
  return call.result(value_or(call, dict_type, (*args)[2], 2));
}

llvm::Value* lower_get(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  Type dict_type = call.argument_type(0);
  llvm::Value* dict = call.argument(0);
  llvm::Value* key = call.argument(1);
  llvm::Value* fallback = call.argument(2);
  llvm::Value* entry = e.dict_find(dict, dict_type, key, call.argument_type(1));
  return value_or_default(e, entry, dict_type, fallback, call.argument_type(2), call.result_type());
}

// --- d.setdefault(k, default): the default is stored when k is missing.
Type type_setdefault(CallTyping& call) {
  auto args = call.method_arguments(2, 2);
  if (!args) return nullptr;
  Type dict_type = (*args)[0];
  infer::FunctionTyper::require_dict_value((*args)[2], call.argument_span(2));
  if (!take_key(call, dict_type, (*args)[1], (*args)[2])) return nullptr;
  dict_type = known(call, dict_type);
  infer::require_value_of((*args)[2], dict_type, call.argument_span(2));
  return call.result(types::dict_value(dict_type));
}

llvm::Value* lower_setdefault(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  Type dict_type = call.argument_type(0);
  llvm::Value* dict = call.argument(0);
  llvm::Value* key = call.argument(1);
  llvm::Value* fallback = call.argument(2);
  llvm::AllocaInst* created = e.entry_slot(b.getInt32Ty(), "created");
  llvm::Value* entry = e.dict_insert(dict, dict_type, key, call.argument_type(1), created);
  auto* store = e.new_block("setdefault.store");
  auto* done = e.new_block("setdefault.done");
  b.CreateCondBr(b.CreateICmpNE(b.CreateLoad(b.getInt32Ty(), created), b.getInt32(0)), store, done);
  b.SetInsertPoint(store);
  e.store_dict_value(entry, dict_type, fallback, call.argument_type(2));
  b.CreateBr(done);
  b.SetInsertPoint(done);
  return e.load_dict_value(entry, dict_type);
}

// --- d.pop(k[, default]), d.popitem()
Type type_pop(CallTyping& call) {
  auto args = call.method_arguments(1, 2);
  if (!args) return nullptr;
  Type dict_type = known(call, (*args)[0]);
  if (!dict_type) return nullptr;
  infer::require_key_of((*args)[1], dict_type, call.argument_span(1));
  return call.result(args->size() == 3 ? value_or(call, dict_type, (*args)[2], 2) : types::dict_value(dict_type));
}

llvm::Value* lower_pop(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  Type dict_type = call.argument_type(0);
  llvm::Value* dict = call.argument(0);
  llvm::Value* key = call.argument(1);
  llvm::Value* fallback = call.argument_count() > 2 ? call.argument(2) : nullptr;
  llvm::Value* entry = e.dict_find(dict, dict_type, key, call.argument_type(1));
  if (!fallback) e.raise_key_error(b.CreateIsNull(entry), key, call.argument_type(1));
  llvm::Value* value = fallback ? value_or_default(e, entry, dict_type, fallback, call.argument_type(2), call.result_type())
                                : e.load_dict_value(entry, dict_type);
  // Removed after its value is read; a missing key removes nothing.
  b.CreateCall(e.module().runtime(RT::accel_rt_dict_remove), {dict, e.key_address(dict_type, key, call.argument_type(1))});
  return value;
}

Type type_popitem(CallTyping& call) {
  auto args = call.method_arguments(0, 0);
  if (!args) return nullptr;
  Type dict_type = known(call, (*args)[0]);
  if (!dict_type) return nullptr;
  return call.result(types::tuple({types::dict_key(dict_type), types::dict_value(dict_type)}));
}

/// Takes the last entry out: (key, value) for a dict, the item for a set; KeyError(message) when empty.
llvm::Value* take_last(CallLowering& call, const char* message) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  Type container = call.argument_type(0);
  llvm::Value* dict = call.argument(0);
  llvm::Value* entry = b.CreateCall(e.module().runtime(RT::accel_rt_dict_last), {dict});
  e.raise_class_if(b.CreateIsNull(entry), kKeyError, message);
  llvm::Value* out = e.load_dict_key(entry, container);
  if (container->kind == Kind::Dict) {
    llvm::Value* pair = llvm::UndefValue::get(e.module().llvm_type(call.result_type()));
    pair = b.CreateInsertValue(pair, out, {0});
    out = b.CreateInsertValue(pair, e.load_dict_value(entry, container), {1});
  }
  b.CreateCall(e.module().runtime(RT::accel_rt_dict_remove), {dict, entry});  // the entry's key is stored normalized
  return out;
}

llvm::Value* lower_popitem(CallLowering& call) { return take_last(call, "popitem(): dictionary is empty"); }

// --- d.keys(), d.values(), d.items(): iterated (for loops, list(), sum(), ...), never stored.
Type type_view(CallTyping& call) {
  auto args = call.method_arguments(0, 0);
  if (!args) return nullptr;
  Type dict_type = known(call, (*args)[0]);
  if (!dict_type) return nullptr;
  const std::string_view method = call.name().substr(5);
  return call.result(types::iterator("dict_" + std::string(method), {dict_type}));
}

llvm::Value* lower_view(CallLowering& call) { return call.emitter().no_value(); }

// --- clear(), copy() of both
Type type_plain(CallTyping& call) {
  auto args = call.method_arguments(0, 0);
  if (!args) return nullptr;
  if (call.name().ends_with(".copy")) return call.result((*args)[0]);
  return call.result(none());
}

llvm::Value* lower_clear(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  call.builder().CreateCall(e.module().runtime(RT::accel_rt_dict_clear), {call.argument(0)});
  return e.no_value();
}

llvm::Value* lower_copy(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  return e.dict_result(call.builder().CreateCall(e.module().runtime(RT::accel_rt_dict_copy), {call.argument(0)}),
                       call.result_type());
}

// --- d.update(other), s.update(iterable): another of the same types, or (sets) any iterable.
Type type_update(CallTyping& call) {
  auto args = call.method_arguments(1, 1);
  if (!args) return nullptr;
  Type self = (*args)[0], other = (*args)[1];
  if (other->kind == self->kind) {
    if (!types::unify(self, other))
      fail(ErrorCode::TypeMismatch, call.argument_span(1),
           "a " + types::name(self) + " is updated from one of the same types in compiled code, not a " + types::name(other) + ".");
    if (self->elements.empty() && !other->elements.empty())
      call.typer().widen_container(call.argument_expression(0), other->elements[0],
                                   self->kind == Kind::Dict ? other->elements[1] : nullptr);
    return call.result(none());
  }
  if (self->kind == Kind::Dict)
    fail(ErrorCode::TypeMismatch, call.argument_span(1), "d.update() in compiled code takes a dict, not a " + types::name(other) + ".");
  if (!take_key(call, self, infer::item_type(other, call.argument_span(1)))) return nullptr;
  return call.result(none());
}

llvm::Value* lower_update(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  Type self_type = call.argument_type(0);
  llvm::Value* self = call.argument(0);
  if (call.argument_type(1)->kind == self_type->kind) {
    llvm::Value* failed = b.CreateCall(e.module().runtime(RT::accel_rt_dict_update), {self, call.argument(1)});
    e.propagate_if(b.CreateICmpNE(failed, b.getInt32(0)));
    return e.no_value();
  }
  e.for_each(*call.argument_expression(1), [&](llvm::Value* item, Type item_type, llvm::BasicBlock*, llvm::BasicBlock*) {
    e.dict_insert(self, self_type, item, item_type);
  });
  return e.no_value();
}

// --- s.add(v), s.discard(v), s.remove(v), s.pop()
Type type_set_item_method(CallTyping& call) {
  auto args = call.method_arguments(1, 1);
  if (!args) return nullptr;
  if (call.name() == "set.add") {
    if (!take_key(call, (*args)[0], (*args)[1])) return nullptr;
    return call.result(none());
  }
  Type set_type = known(call, (*args)[0]);
  if (!set_type) return nullptr;
  infer::require_key_of((*args)[1], set_type, call.argument_span(1));
  return call.result(none());
}

llvm::Value* lower_add(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::Value* set = call.argument(0);
  e.dict_insert(set, call.argument_type(0), call.argument(1), call.argument_type(1));
  return e.no_value();
}

llvm::Value* lower_discard(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  llvm::Value* set = call.argument(0);
  llvm::Value* item = call.argument(1);
  llvm::Value* removed = b.CreateCall(e.module().runtime(RT::accel_rt_dict_remove),
                                      {set, e.key_address(call.argument_type(0), item, call.argument_type(1))});
  if (call.name() == "set.remove") e.raise_key_error(b.CreateICmpEQ(removed, b.getInt32(0)), item, call.argument_type(1));
  return e.no_value();
}

Type type_set_pop(CallTyping& call) {
  auto args = call.method_arguments(0, 0);
  if (!args) return nullptr;
  Type set_type = known(call, (*args)[0]);
  return set_type ? call.result(types::set_item(set_type)) : nullptr;
}

llvm::Value* lower_set_pop(CallLowering& call) { return take_last(call, "pop from an empty set"); }

// --- s.union(t), s.intersection(t), s.difference(t): s | t, s & t, s - t of two sets.
Type type_set_algebra(CallTyping& call) {
  auto args = call.method_arguments(1, 1);
  if (!args) return nullptr;
  Type merged = (*args)[1]->kind == Kind::Set ? types::unify((*args)[0], (*args)[1]) : nullptr;
  if (!merged)
    fail(ErrorCode::TypeMismatch, call.argument_span(1),
         call.display() + "() in compiled code takes a set of the same items, not a " + types::name((*args)[1]) + ".",
         "Make a set of it first: set(...).");
  return call.result(merged);
}

llvm::Value* lower_set_algebra(CallLowering& call) {
  const std::string_view method = call.name();
  const frontend::Operator op = method == "set.union"          ? frontend::Operator::BitOr
                                : method == "set.intersection" ? frontend::Operator::BitAnd
                                                               : frontend::Operator::Sub;
  llvm::Value* left = call.argument(0);
  llvm::Value* right = call.argument(1);
  return call.emitter().set_binary(op, left, right, call.result_type());
}

// --- dict(), dict(d), dict(pairs); set(), set(iterable)
Type type_make(CallTyping& call) {
  auto args = call.positional();
  if (!args) return nullptr;
  call.require_count(args->size(), 0, 1);
  const bool is_set = call.name() == "builtins.set";
  if (args->empty()) return call.result(is_set ? types::set(nullptr) : types::dict(nullptr, nullptr));
  Type from = (*args)[0];
  if (from->kind == (is_set ? Kind::Set : Kind::Dict)) return call.result(from);
  Type item = infer::item_type(from, call.argument_span(0));
  if (is_set) return call.result(types::set(infer::FunctionTyper::require_key(item, call.argument_span(0))));
  if (item->kind != Kind::Tuple || item->elements.size() != 2)
    fail(ErrorCode::TypeMismatch, call.argument_span(0),
         "dict() in compiled code is made from (key, value) pairs, not from " + types::name(item) + " items.",
         "Pair them up: dict(zip(keys, values)).");
  return call.result(types::dict(infer::FunctionTyper::require_key(item->elements[0], call.argument_span(0)),
                                 infer::FunctionTyper::require_dict_value(item->elements[1], call.argument_span(0))));
}

llvm::Value* lower_make(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  Type result = call.result_type();
  if (call.argument_count() == 1 && call.argument_type(0)->kind == result->kind)
    return e.dict_result(b.CreateCall(e.module().runtime(RT::accel_rt_dict_copy), {call.argument(0)}), result);
  llvm::Value* dict = e.new_dict(result);
  if (call.argument_count() == 0) return dict;
  e.for_each(*call.argument_expression(0), [&](llvm::Value* item, Type item_type, llvm::BasicBlock*, llvm::BasicBlock*) {
    if (result->kind == Kind::Set) {
      e.dict_insert(dict, result, item, item_type);
      return;
    }
    llvm::Value* entry = e.dict_insert(dict, result, b.CreateExtractValue(item, {0}), item_type->elements[0]);
    e.store_dict_value(entry, result, b.CreateExtractValue(item, {1}), item_type->elements[1]);
  });
  return dict;
}

const infer::Builtin kDicts[] = {
    {"dict.get", type_get, lower_get},
    {"dict.setdefault", type_setdefault, lower_setdefault},
    {"dict.pop", type_pop, lower_pop},
    {"dict.popitem", type_popitem, lower_popitem},
    {"dict.keys", type_view, lower_view},
    {"dict.values", type_view, lower_view},
    {"dict.items", type_view, lower_view},
    {"dict.clear", type_plain, lower_clear},
    {"dict.copy", type_plain, lower_copy},
    {"dict.update", type_update, lower_update},
    {"set.add", type_set_item_method, lower_add},
    {"set.discard", type_set_item_method, lower_discard},
    {"set.remove", type_set_item_method, lower_discard},
    {"set.pop", type_set_pop, lower_set_pop},
    {"set.clear", type_plain, lower_clear},
    {"set.copy", type_plain, lower_copy},
    {"set.update", type_update, lower_update},
    {"set.union", type_set_algebra, lower_set_algebra},
    {"set.intersection", type_set_algebra, lower_set_algebra},
    {"set.difference", type_set_algebra, lower_set_algebra},
    {"builtins.dict", type_make, lower_make},
    {"builtins.set", type_make, lower_make},
};

}  // namespace

std::span<const infer::Builtin> dicts() { return kDicts; }

}  // namespace accel::library
