// Lists' methods (l.append(v), ...) and the builtins that make lists (list, sorted): each
// typing rule beside its lowering. A method's object is argument 0. The list's own
// representation and its inlined operations are codegen/codegen_list.cpp's.

#include "codegen/call_lowering.h"
#include "codegen/list_layout.h"
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

Type none() { return types::none(); }

void require_index(CallTyping& call, size_t i, Type t) {
  if (!types::is_integer(t->kind) && !types::is_bool(t->kind))
    fail(ErrorCode::TypeMismatch, call.argument_span(i),
         "'" + types::name(t) + "' object cannot be interpreted as an integer.");
}

/// The list's item type (a CompileError in the strict pass when never known).
Type item_of(CallTyping& call, Type list_type) { return call.typer().known_item(call.argument_expression(0), list_type); }

/// A value the method puts into the list: an empty list learns its item type from it.
Type put_in(CallTyping& call, Type list_type, Type value, frontend::Span where) {
  infer::FunctionTyper::require_list_item(value, where);
  if (!types::list_item(list_type)) {
    call.typer().widen_list(call.argument_expression(0), value);
    return item_of(call, list_type);
  }
  infer::require_list_store(value, types::list_item(list_type), where);
  return types::list_item(list_type);
}

// --- l.append(v), l.insert(i, v)
Type type_append(CallTyping& call) {
  auto args = call.method_arguments(1, 1);
  if (!args) return nullptr;
  if (!put_in(call, (*args)[0], (*args)[1], call.argument_span(1))) return nullptr;
  return call.result(none());
}

llvm::Value* lower_append(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::Value* list = call.argument(0);
  e.list_append(list, call.argument_type(0), call.argument(1), call.argument_type(1));
  return e.no_value();
}

Type type_insert(CallTyping& call) {
  auto args = call.method_arguments(2, 2);
  if (!args) return nullptr;
  require_index(call, 1, (*args)[1]);
  if (!put_in(call, (*args)[0], (*args)[2], call.argument_span(2))) return nullptr;
  return call.result(none());
}

llvm::Value* lower_insert(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  Type list_type = call.argument_type(0);
  llvm::Value* list = call.argument(0);
  llvm::Value* index = e.cast_kind(call.argument(1), call.argument_type(1)->kind, Kind::PyInt);
  llvm::Value* value = call.argument(2);
  llvm::Value* at = b.CreateCall(e.module().runtime(RT::accel_rt_list_open), {list, index, e.list_item_size(list_type)});
  e.propagate_if(b.CreateICmpSLT(at, b.getInt64(0)));
  e.store_list_item(list, list_type, at, value, call.argument_type(2));
  return e.no_value();
}

// --- l.extend(iterable): a list's items are copied at once (l.extend(l) included).
Type type_extend(CallTyping& call) {
  auto args = call.method_arguments(1, 1);
  if (!args) return nullptr;
  Type item = infer::item_type((*args)[1], call.argument_span(1));
  if (!put_in(call, (*args)[0], item, call.argument_span(1))) return nullptr;
  if ((*args)[1]->kind == Kind::List && (*args)[1] != types::list(item_of(call, (*args)[0])))
    fail(ErrorCode::TypeMismatch, call.argument_span(1),
         "a list of " + types::name(item_of(call, (*args)[0])) + " is extended by lists of the same items in compiled code.",
         "Convert the items in a loop: for v in other: l.append(v).");
  return call.result(none());
}

llvm::Value* lower_extend(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  Type list_type = call.argument_type(0);
  llvm::Value* list = call.argument(0);
  if (call.argument_type(1)->kind == Kind::List) {
    e.list_update(frontend::Operator::Add, list, list_type, call.argument(1), call.argument_type(1));
    return e.no_value();
  }
  e.for_each(*call.argument_expression(1), [&](llvm::Value* item, Type item_type, llvm::BasicBlock*, llvm::BasicBlock*) {
    e.list_append(list, list_type, item, item_type);
  });
  return e.no_value();
}

// --- l.pop(i=-1)
Type type_pop(CallTyping& call) {
  auto args = call.method_arguments(0, 1);
  if (!args) return nullptr;
  if (args->size() == 2) require_index(call, 1, (*args)[1]);
  Type item = item_of(call, (*args)[0]);
  return item ? call.result(item) : nullptr;
}

llvm::Value* lower_pop(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  Type list_type = call.argument_type(0);
  llvm::Value* list = call.argument(0);
  e.raise_if(b.CreateICmpEQ(e.list_size(list), b.getInt64(0)), ACCEL_ERROR_INDEX, "pop from empty list");
  llvm::Value* index = call.argument_count() > 1 ? call.argument(1) : b.getInt64(-1);
  const Kind index_kind = call.argument_count() > 1 ? call.argument_type(1)->kind : Kind::PyInt;
  llvm::Value* k = e.list_position(list, index, index_kind, "pop index out of range");
  llvm::Value* item = e.load_list_item(list, list_type, k);
  b.CreateCall(e.module().runtime(RT::accel_rt_list_close), {list, k, e.list_item_size(list_type)});
  return item;
}

// --- l.remove(v), l.index(v[, start[, stop]]), l.count(v): items compared with ==.
Type type_search(CallTyping& call) {
  const bool index = call.name() == "list.index";
  auto args = call.method_arguments(1, index ? 3 : 1);
  if (!args) return nullptr;
  for (size_t i = 2; i < args->size(); ++i) require_index(call, i, (*args)[i]);
  Type item = item_of(call, (*args)[0]);
  if (!item) return nullptr;
  if (!infer::same_shape((*args)[1], item))
    fail(ErrorCode::TypeMismatch, call.argument_span(1),
         call.display() + "() compares a " + types::name((*args)[1]) + " with the items of a " +
             types::name((*args)[0]) + ", which compiled code cannot do.");
  return call.result(call.name() == "list.remove" ? none() : types::scalar(Kind::PyInt));
}

llvm::Value* lower_remove(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  Type list_type = call.argument_type(0);
  llvm::Value* list = call.argument(0);
  llvm::Value* k = e.list_find(list, list_type, call.argument(1), call.argument_type(1), b.getInt64(0));
  e.raise_if(b.CreateICmpSLT(k, b.getInt64(0)), ACCEL_ERROR_VALUE, "list.remove(x): x not in list");
  b.CreateCall(e.module().runtime(RT::accel_rt_list_close), {list, k, e.list_item_size(list_type)});
  return e.no_value();
}

llvm::Value* lower_index(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  Type list_type = call.argument_type(0);
  llvm::Value* list = call.argument(0);
  llvm::Value* value = call.argument(1);
  // start and stop clamp as slice bounds do (negative from the end).
  llvm::Value* size = e.list_size(list);
  auto bound = [&](size_t i, llvm::Value* missing) {
    if (call.argument_count() <= i) return missing;
    llvm::Value* v = e.cast_kind(call.argument(i), call.argument_type(i)->kind, Kind::PyInt);
    v = b.CreateSelect(b.CreateICmpSLT(v, b.getInt64(0)), b.CreateAdd(v, size), v);
    v = b.CreateSelect(b.CreateICmpSLT(v, b.getInt64(0)), b.getInt64(0), v);
    return b.CreateSelect(b.CreateICmpSGT(v, size), size, v);
  };
  llvm::Value* start = bound(2, b.getInt64(0));
  llvm::Value* stop = bound(3, size);
  llvm::Value* k = e.list_find(list, list_type, value, call.argument_type(1), start, stop);
  e.raise_not_in_list(b.CreateICmpSLT(k, b.getInt64(0)), value, call.argument_type(1));
  return k;
}

llvm::Value* lower_count(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  Type list_type = call.argument_type(0);
  llvm::Value* list = call.argument(0);
  llvm::Value* value = call.argument(1);
  auto* slot = b.CreateAlloca(b.getInt64Ty());
  b.CreateStore(b.getInt64(0), slot);
  e.loop_nest({e.list_size(list)}, [&](const std::vector<llvm::Value*>& k) {
    llvm::Value* equal = e.items_equal(e.load_list_item(list, list_type, k[0]), types::list_item(list_type), value,
                                       call.argument_type(1));
    b.CreateStore(b.CreateAdd(b.CreateLoad(b.getInt64Ty(), slot), b.CreateZExt(equal, b.getInt64Ty())), slot);
  });
  return b.CreateLoad(b.getInt64Ty(), slot);
}

// --- l.sort(reverse=False), sorted(iterable, reverse=False): numbers, NaN last. reverse
// is keyword-only, as in CPython; key= is refused.
void require_sortable(CallTyping& call, Type item, frontend::Span where) {
  if (!types::is_scalar(item) || types::is_complex(item->kind))
    fail(ErrorCode::TypeMismatch, where,
         types::is_complex(item->kind) ? "'<' not supported between instances of 'complex' and 'complex'."
                                        : call.display() + "() in compiled code sorts lists of real numbers, not of " +
                                              types::name(item) + ".",
         "Sort an array of keys with np.argsort instead.");
}

/// Binds reverse= after the `positional` arguments CPython allows; false while unknown.
bool bind_sort(CallTyping& call, std::vector<std::string_view> parameters) {
  const Expr& e = call.expression();
  const size_t positional = parameters.size();
  if (e.operands.size() - 1 != positional)
    fail(ErrorCode::BadCall, call.span(),
         call.display() + "() takes " + std::to_string(positional) + " positional argument" + (positional == 1 ? "" : "s") +
             ", " + std::to_string(e.operands.size() - 1) + " given.");
  for (const auto& keyword : e.keywords)
    if (keyword.name == "key")
      fail(ErrorCode::BadCall, keyword.span, call.display() + "() takes no key= in compiled code.",
           "Sort an array of keys with np.argsort, then take the items in that order.");
  parameters.push_back("reverse");
  auto bound = call.bind(parameters, positional);
  const Expr* reverse = bound.back();
  if (!reverse) return true;
  Type t = call.type_of(*reverse);
  if (t && !types::is_scalar(t)) fail(ErrorCode::TypeMismatch, reverse->span, "reverse must be a bool, not " + types::name(t) + ".");
  return t != nullptr;
}

Type type_sort(CallTyping& call) {
  if (!bind_sort(call, {})) return nullptr;
  Type item = item_of(call, call.self_type());
  if (!item) return nullptr;
  require_sortable(call, item, call.argument_span(0));
  return call.result(none());
}

/// Sorts a list in place, then reverses it when argument `reverse` of the call is true.
void sort_in_place(CallLowering& call, llvm::Value* list, Type list_type, size_t reverse) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  llvm::Value* data = b.CreateLoad(b.getPtrTy(), e.list_field(list, codegen::kListData));
  const Kind kind = types::numpy_kind(types::list_item(list_type)->kind);
  b.CreateCall(e.module().runtime(RT::accel_rt_sort), {data, e.list_size(list), b.getInt32(codegen::sort_element(kind))});
  e.mark_changed(list);
  if (!call.argument_expression(reverse)) return;
  llvm::Value* flip_it = e.truth(call.argument(reverse), call.argument_type(reverse));
  auto* flip = e.new_block("sort.reverse");
  auto* done = e.new_block("sort.done");
  b.CreateCondBr(flip_it, flip, done);
  b.SetInsertPoint(flip);
  b.CreateCall(e.module().runtime(RT::accel_rt_list_reverse), {list, e.list_item_size(list_type)});
  b.CreateBr(done);
  b.SetInsertPoint(done);
}

llvm::Value* lower_sort(CallLowering& call) {
  sort_in_place(call, call.argument(0), call.argument_type(0), 1);
  return call.emitter().no_value();
}

// --- l.reverse(), l.clear(), l.copy()
Type type_plain_method(CallTyping& call) {
  auto args = call.method_arguments(0, 0);
  if (!args) return nullptr;
  if (call.name() == "list.copy") return call.result((*args)[0]);
  return call.result(none());
}

llvm::Value* lower_reverse(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  call.builder().CreateCall(e.module().runtime(RT::accel_rt_list_reverse),
                            {call.argument(0), e.list_item_size(call.argument_type(0))});
  return e.no_value();
}

llvm::Value* lower_clear(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  e.set_list_size(call.argument(0), call.builder().getInt64(0));
  return e.no_value();
}

/// A new list of the items of any iterable (a list's are copied at once).
llvm::Value* list_of(FunctionEmitter& e, const Expr& iterable, Type list_type) {
  llvm::IRBuilder<>& b = e.builder();
  if (e.type_of(iterable)->kind == Kind::List) {
    llvm::Value* copy = b.CreateCall(e.module().runtime(RT::accel_rt_list_slice),
                                     {e.expr(iterable), b.getInt64(0), b.getInt64(0), b.getInt64(1), b.getInt32(0),
                                      e.list_item_size(list_type)});
    return e.list_result(copy, list_type);
  }
  llvm::Value* list = e.new_list(list_type, b.getInt64(0));
  e.for_each(iterable, [&](llvm::Value* item, Type item_type, llvm::BasicBlock*, llvm::BasicBlock*) {
    e.list_append(list, list_type, item, item_type);
  });
  return list;
}

llvm::Value* lower_copy(CallLowering& call) {
  return list_of(call.emitter(), *call.argument_expression(0), call.argument_type(0));
}

// --- list(), list(iterable), sorted(iterable, reverse=False)
Type type_list(CallTyping& call) {
  auto args = call.positional();
  if (!args) return nullptr;
  call.require_count(args->size(), 0, 1);
  if (args->empty()) return call.result(types::list(nullptr));
  if ((*args)[0]->kind == Kind::List) return call.result((*args)[0]);
  Type item = infer::item_type((*args)[0], call.argument_span(0));
  return call.result(types::list(infer::FunctionTyper::require_list_item(item, call.argument_span(0))));
}

llvm::Value* lower_list(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  if (call.argument_count() == 0) return e.new_list(call.result_type(), call.builder().getInt64(0));
  return list_of(e, *call.argument_expression(0), call.result_type());
}

Type type_sorted(CallTyping& call) {
  if (!bind_sort(call, {"iterable"})) return nullptr;
  const Expr& iterable_expr = call.argument_expression(0);
  Type iterable = call.type_of(iterable_expr);
  if (!iterable) return nullptr;
  Type item = iterable->kind == Kind::List ? call.typer().known_item(iterable_expr, iterable)
                                           : infer::item_type(iterable, iterable_expr.span);
  if (!item) return nullptr;
  require_sortable(call, item, iterable_expr.span);
  return call.result(types::list(item));
}

llvm::Value* lower_sorted(CallLowering& call) {
  llvm::Value* list = list_of(call.emitter(), *call.argument_expression(0), call.result_type());
  sort_in_place(call, list, call.result_type(), 1);
  return list;
}

const infer::Builtin kLists[] = {
    {"list.append", type_append, lower_append},
    {"list.insert", type_insert, lower_insert},
    {"list.extend", type_extend, lower_extend},
    {"list.pop", type_pop, lower_pop},
    {"list.remove", type_search, lower_remove},
    {"list.index", type_search, lower_index},
    {"list.count", type_search, lower_count},
    {"list.sort", type_sort, lower_sort},
    {"list.reverse", type_plain_method, lower_reverse},
    {"list.clear", type_plain_method, lower_clear},
    {"list.copy", type_plain_method, lower_copy},
    {"builtins.list", type_list, lower_list},
    {"builtins.sorted", type_sorted, lower_sorted},
};

}  // namespace

std::span<const infer::Builtin> lists() { return kLists; }

}  // namespace accel::library
