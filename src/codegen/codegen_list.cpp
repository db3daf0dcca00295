// Lists in compiled code: a list value is one pointer to the runtime's AccelList. Reading
// and writing an item and appending into spare capacity are inlined; growing, moving and
// copying items call runtime/list_memory.cpp. Items are plain data, stored as their LLVM
// types lay out in memory.

#include <llvm/IR/MDBuilder.h>

#include "codegen/function_emitter.h"
#include "codegen/list_layout.h"
#include "types/type_text.h"

namespace accel::codegen {

using frontend::ExprKind;

namespace {

// Type-based alias information: a list's header (size, capacity, data, changed) and its
// items never overlap, so a loop storing items (flags[j] = False) keeps the size and the
// data pointer in registers and sets `changed` once, after the loop. Other accesses carry
// no tag and so may alias anything, as before.
template <class Access>
Access* tagged(Access* access, bool header) {
  llvm::MDBuilder md(access->getContext());
  llvm::MDNode* root = md.createTBAARoot("accel lists");
  llvm::MDNode* type = md.createTBAAScalarTypeNode(header ? "list header" : "list item", root);
  access->setMetadata(llvm::LLVMContext::MD_tbaa, md.createTBAAStructTagNode(type, type, 0));
  return access;
}

Type item_of(Type list_type) {
  Type item = types::list_item(list_type);
  // An empty `[]` before its item type is known holds nothing: any item size will do.
  return item ? item : types::scalar(Kind::PyInt);
}

}  // namespace

llvm::Value* FunctionEmitter::list_item_size(Type list_type) {
  llvm::Type* item = module_.llvm_type(item_of(list_type));
  return builder_.getInt64(module_.module().getDataLayout().getTypeAllocSize(item).getFixedValue());
}

llvm::Value* FunctionEmitter::list_field(llvm::Value* list, unsigned field) {
  auto* i64 = builder_.getInt64Ty();
  auto* header = llvm::StructType::get(context_, {i64, i64, i64, builder_.getPtrTy(), i64, builder_.getPtrTy()});
  return builder_.CreateStructGEP(header, list, field);
}

void FunctionEmitter::mark_changed(llvm::Value* list) {
  tagged(builder_.CreateStore(builder_.getInt64(1), list_field(list, kListChanged)), true);
}

llvm::Value* FunctionEmitter::list_size(llvm::Value* list) {
  return tagged(builder_.CreateLoad(builder_.getInt64Ty(), list_field(list, kListSize), "list.size"), true);
}

void FunctionEmitter::set_list_size(llvm::Value* list, llvm::Value* size) {
  tagged(builder_.CreateStore(size, list_field(list, kListSize)), true);
  mark_changed(list);
}

llvm::Value* FunctionEmitter::list_result(llvm::Value* list, Type list_type) {
  propagate_if(builder_.CreateIsNull(list));
  return own_temporary(list, list_type);
}

llvm::Value* FunctionEmitter::new_list(Type list_type, llvm::Value* size) {
  return list_result(builder_.CreateCall(module_.runtime(RT::accel_rt_list_new), {size, list_item_size(list_type)}),
                     list_type);
}

llvm::Value* FunctionEmitter::list_item_address(llvm::Value* list, Type list_type, llvm::Value* k) {
  // The data pointer is read each time: an append may have moved the items.
  llvm::Value* data = tagged(builder_.CreateLoad(builder_.getPtrTy(), list_field(list, kListData), "list.data"), true);
  return builder_.CreateInBoundsGEP(module_.llvm_type(item_of(list_type)), data, {k});
}

llvm::Value* FunctionEmitter::load_list_item(llvm::Value* list, Type list_type, llvm::Value* k) {
  return tagged(builder_.CreateLoad(module_.llvm_type(item_of(list_type)), list_item_address(list, list_type, k)), false);
}

void FunctionEmitter::store_list_item(llvm::Value* list, Type list_type, llvm::Value* k, llvm::Value* value,
                                      Type value_type) {
  tagged(builder_.CreateStore(cast(value, value_type, item_of(list_type)), list_item_address(list, list_type, k)), false);
  mark_changed(list);
}

void FunctionEmitter::list_append(llvm::Value* list, Type list_type, llvm::Value* value, Type value_type) {
  // Into spare capacity inline; the runtime grows the buffer when it is full.
  llvm::Value* size = list_size(list);
  llvm::Value* capacity = tagged(builder_.CreateLoad(builder_.getInt64Ty(), list_field(list, kListCapacity)), true);
  auto* grow = new_block("append.grow");
  auto* store = new_block("append.store");
  builder_.CreateCondBr(builder_.CreateICmpSLT(size, capacity), store, grow);
  builder_.SetInsertPoint(grow);
  llvm::Value* opened = builder_.CreateCall(module_.runtime(RT::accel_rt_list_open), {list, size, list_item_size(list_type)});
  propagate_if(builder_.CreateICmpSLT(opened, builder_.getInt64(0)));
  builder_.CreateBr(store);
  builder_.SetInsertPoint(store);
  set_list_size(list, builder_.CreateAdd(size, builder_.getInt64(1)));  // what the runtime counted too
  store_list_item(list, list_type, size, value, value_type);
}

llvm::Value* FunctionEmitter::list_position(llvm::Value* list, llvm::Value* index, Kind index_kind, const char* message) {
  llvm::Value* size = list_size(list);
  llvm::Value* i = cast_kind(index, index_kind, Kind::PyInt);
  if (types::is_integer(index_kind) && !types::is_signed(index_kind)) {
    raise_if(builder_.CreateICmpUGE(i, size), ACCEL_ERROR_INDEX, message);
    return i;
  }
  i = builder_.CreateSelect(builder_.CreateICmpSLT(i, builder_.getInt64(0)), builder_.CreateAdd(i, size), i);
  raise_if(builder_.CreateICmpUGE(i, size), ACCEL_ERROR_INDEX, message);
  return i;
}

llvm::Value* FunctionEmitter::items_equal(llvm::Value* a, Type at, llvm::Value* b, Type bt) {
  if (at->kind != Kind::Tuple) return compare_values(Operator::Eq, a, at, b, bt);
  llvm::Value* equal = builder_.getTrue();
  for (unsigned i = 0; i < at->elements.size(); ++i)
    equal = builder_.CreateAnd(equal, items_equal(builder_.CreateExtractValue(a, {i}), at->elements[i],
                                                  builder_.CreateExtractValue(b, {i}), bt->elements[i]));
  return equal;
}

llvm::Value* FunctionEmitter::list_find(llvm::Value* list, Type list_type, llvm::Value* value, Type value_type,
                                        llvm::Value* start, llvm::Value* stop) {
  // Items are compared with ==, so the scan has no side effects and may stop early.
  auto* before = builder_.GetInsertBlock();
  auto* header = new_block("find.test");
  auto* body = new_block("find.item");
  auto* next = new_block("find.next");
  auto* done = new_block("find.done");
  builder_.CreateBr(header);
  builder_.SetInsertPoint(header);
  auto* k = builder_.CreatePHI(builder_.getInt64Ty(), 2, "k");
  k->addIncoming(start, before);
  builder_.CreateCondBr(builder_.CreateICmpSLT(k, stop ? stop : list_size(list)), body, done);
  builder_.SetInsertPoint(body);
  llvm::Value* equal = items_equal(load_list_item(list, list_type, k), item_of(list_type), value, value_type);
  auto* matched = builder_.GetInsertBlock();
  builder_.CreateCondBr(equal, done, next);
  builder_.SetInsertPoint(next);
  k->addIncoming(builder_.CreateAdd(k, builder_.getInt64(1)), next);
  builder_.CreateBr(header);
  builder_.SetInsertPoint(done);
  auto* found = builder_.CreatePHI(builder_.getInt64Ty(), 2, "found");
  found->addIncoming(builder_.getInt64(-1), header);
  found->addIncoming(k, matched);
  return found;
}

void FunctionEmitter::raise_with_value(llvm::Value* failed, const char* class_path, llvm::Value* value, Type value_type,
                                       const char* suffix, bool value_is_argument) {
  auto* error = new_block("error.value");
  auto* ok = new_block("ok");
  builder_.CreateCondBr(failed, error, ok);
  builder_.SetInsertPoint(error);
  builder_.CreateCall(module_.runtime(RT::accel_rt_text_begin));
  text_piece(value, value_type, "", 'r');
  if (*suffix) text_piece(string_constant(suffix), types::string(), "", 0);
  llvm::Value* text = text_finish();
  builder_.CreateCall(module_.runtime(RT::accel_rt_raise_class_text),
                      {message_constant(class_path), builder_.CreateExtractValue(text, {1}),
                       builder_.CreateExtractValue(text, {2}), builder_.getInt32(1)});
  if (value_is_argument) {  // the value as Python will see it: KeyError(key)
    const int n = slot_count(value_type);
    llvm::AllocaInst* slots = entry_slot(llvm::ArrayType::get(builder_.getInt64Ty(), static_cast<uint64_t>(std::max(n, 1))),
                                         "error.argument");
    int index = 0;
    module_.store_result(builder_, slots, value, value_type, index);
    builder_.CreateCall(module_.runtime(RT::accel_rt_error_argument),
                        {slots, builder_.getInt64(n), message_constant(types::to_text(value_type).c_str())});
  }
  builder_.CreateBr(fail_block_);
  builder_.SetInsertPoint(ok);
}

void FunctionEmitter::raise_not_in_list(llvm::Value* missing, llvm::Value* value, Type value_type) {
  raise_with_value(missing, "builtins:ValueError|builtins:Exception|builtins:BaseException", value, value_type,
                   " is not in list");
}

llvm::Value* FunctionEmitter::list_display(const Expr& e) {
  Type list_type = type_of(e);
  llvm::Value* list = new_list(list_type, builder_.getInt64(static_cast<int64_t>(e.operands.size())));
  for (size_t i = 0; i < e.operands.size(); ++i)
    store_list_item(list, list_type, builder_.getInt64(static_cast<int64_t>(i)), expr(*e.operands[i]),
                    type_of(*e.operands[i]));
  return list;
}

llvm::Value* FunctionEmitter::list_comprehension(const Expr& e) {
  Type list_type = type_of(e);
  llvm::Value* list = new_list(list_type, builder_.getInt64(0));
  auto* done = new_block("listcomp.done");
  generator_level(e, 0, [&](llvm::Value* item, Type item_type, llvm::BasicBlock*, llvm::BasicBlock*) {
    list_append(list, list_type, item, item_type);
  }, done);
  if (!builder_.GetInsertBlock()->getTerminator()) builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
  return list;
}

llvm::Value* FunctionEmitter::list_subscript(const Expr& e, llvm::Value* list, Type list_type) {
  const Expr& index = *e.operands[1];
  if (index.kind != ExprKind::Slice)
    return load_list_item(list, list_type, list_position(list, expr(index), type_of(index)->kind, "list index out of range"));
  llvm::Value* bounds[3] = {builder_.getInt64(0), builder_.getInt64(0), builder_.getInt64(1)};
  int32_t given = 0;
  for (unsigned part = 0; part < 3; ++part) {
    const auto& operand = index.operands[part];
    if (!operand || type_of(*operand)->kind == Kind::None) continue;
    bounds[part] = cast_kind(expr(*operand), type_of(*operand)->kind, Kind::PyInt);
    if (part < 2) given |= 1 << part;
  }
  llvm::Value* sliced = builder_.CreateCall(module_.runtime(RT::accel_rt_list_slice),
                                            {list, bounds[0], bounds[1], bounds[2], builder_.getInt32(given),
                                             list_item_size(list_type)});
  return list_result(sliced, list_type);
}

void FunctionEmitter::list_store(const Expr& target, llvm::Value* value, Type value_type) {
  Type list_type = type_of(*target.operands[0]);
  llvm::Value* list = expr(*target.operands[0]);
  const Expr& index = *target.operands[1];
  llvm::Value* k = list_position(list, expr(index), type_of(index)->kind, "list assignment index out of range");
  store_list_item(list, list_type, k, value, value_type);
}

llvm::Value* FunctionEmitter::list_binary(Operator op, llvm::Value* l, Type lt, llvm::Value* r, Type rt, Type result) {
  if (op == Operator::Add)
    return list_result(builder_.CreateCall(module_.runtime(RT::accel_rt_list_concat), {l, r, list_item_size(result)}),
                       result);
  // list * n and n * list
  const bool list_first = lt->kind == Kind::List;
  llvm::Value* n = list_first ? cast_kind(r, rt->kind, Kind::PyInt) : cast_kind(l, lt->kind, Kind::PyInt);
  llvm::Value* list = list_first ? l : r;
  return list_result(builder_.CreateCall(module_.runtime(RT::accel_rt_list_repeat), {list, n, list_item_size(result)}),
                     result);
}

void FunctionEmitter::list_update(Operator op, llvm::Value* list, Type list_type, llvm::Value* value, Type value_type) {
  llvm::Value* failed;
  if (op == Operator::Add) {
    failed = builder_.CreateCall(module_.runtime(RT::accel_rt_list_extend), {list, value, list_item_size(list_type)});
  } else {
    llvm::Value* n = cast_kind(value, value_type->kind, Kind::PyInt);
    failed = builder_.CreateCall(module_.runtime(RT::accel_rt_list_repeat_in_place), {list, n, list_item_size(list_type)});
  }
  propagate_if(builder_.CreateICmpNE(failed, builder_.getInt32(0)));
}

}  // namespace accel::codegen
