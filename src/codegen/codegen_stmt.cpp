#include "codegen/function_emitter.h"
#include "infer/function_typer.h"
#include "infer/operator_rules.h"

namespace accel::codegen {

using frontend::ExprKind;
using frontend::Stmt;
using frontend::StmtKind;

void FunctionEmitter::start_dead_block() {
  // Code after return/break/continue is unreachable; it still needs a block to go in.
  builder_.SetInsertPoint(new_block("unreachable"));
}

void FunctionEmitter::block(const frontend::Block& b) {
  for (const auto& s : b) stmt(*s);
}

void FunctionEmitter::stmt(const Stmt& s) {
  begin_statement();
  statement_body(s);
  end_statement();
}

void FunctionEmitter::statement_body(const Stmt& s) {
  switch (s.kind) {
    case StmtKind::Assign: {
      // x[mask] = v, x[indices] = v: the library's operator.setitem (infer_advanced_index.cpp).
      if (auto found = spec_.calls.find(s.targets[0].get()); found != spec_.calls.end()) {
        user_call(*s.targets[0], found->second, /*last_first=*/true);
        return;
      }
      // out[1:-1] = expr writes straight into the view: no temporary for the right side.
      if (s.targets.size() == 1 && s.targets[0]->kind == ExprKind::Subscript &&
          type_of(*s.targets[0])->kind == Kind::Array) {
        llvm::Value* view = expr(*s.targets[0]);
        assign_elements(view, type_of(*s.targets[0]), *s.value, std::nullopt);
        return;
      }
      llvm::Value* value = expr(*s.value);
      for (const auto& target : s.targets) assign(*target, value, type_of(*s.value));
      return;
    }
    case StmtKind::AugAssign: aug_assign(s); return;
    case StmtKind::ExprStmt: expr(*s.value); return;
    case StmtKind::If: if_stmt(s); return;
    case StmtKind::While: while_stmt(s); return;
    case StmtKind::For: {
      const Expr& iterable = *s.value;
      Type t = type_of(iterable);
      if (t->kind == Kind::Range && parallel_plans_ && parallel_plans_->count(&s))
        for_prange(s, iterable, parallel_plans_->at(&s));
      else if (t->kind == Kind::Range)
        for_range(s, iterable);
      else if (t->kind == Kind::Array)
        for_array(s, expr(iterable), t);
      else
        for_iteration(s);
      return;
    }
    case StmtKind::Return:
      if (s.value)
        return_value(expr(*s.value), type_of(*s.value));
      else
        return_value(nullptr, types::none());
      return;
    case StmtKind::Break:
      builder_.CreateBr(loops_.back().break_block);
      start_dead_block();
      return;
    case StmtKind::Continue:
      builder_.CreateBr(loops_.back().continue_block);
      start_dead_block();
      return;
    case StmtKind::Pass: return;
    case StmtKind::Raise: raise_stmt(s); return;
    case StmtKind::Assert: assert_stmt(s); return;
    case StmtKind::Try: try_stmt(s); return;
    case StmtKind::Delete: delete_stmt(s); return;
  }
}

void FunctionEmitter::assign(const Expr& target, llvm::Value* value, Type value_type) {
  switch (target.kind) {
    case ExprKind::Name:
      store_variable(target.name, value, value_type);
      return;
    case ExprKind::Tuple:
      for (unsigned i = 0; i < target.operands.size(); ++i)
        assign(*target.operands[i], builder_.CreateExtractValue(value, i), value_type->elements[i]);
      return;
    case ExprKind::Subscript: {
      if (type_of(*target.operands[0])->kind == Kind::List) {
        list_store(target, value, value_type);
        return;
      }
      if (type_of(*target.operands[0])->kind == Kind::Dict) {
        dict_store(target, value, value_type);
        return;
      }
      Type array_type = type_of(*target.operands[0]);
      llvm::Value* array = expr(*target.operands[0]);
      if (type_of(target)->kind == Kind::Array)
        throw std::logic_error("accel: slice targets are assigned by statement (a compiler bug)");
      llvm::Value* pointer = element_pointer(target, array, array_type);
      if (array_type->readonly) {
        raise_readonly();
        return;
      }
      // NumPy casts whatever is stored to the array's dtype (unsafe casting).
      store_element(pointer, checked_cast_kind(value, value_type->kind, array_type->dtype), array_type->dtype);
      return;
    }
    default: throw std::logic_error("accel: bad assignment target (a compiler bug)");
  }
}

void FunctionEmitter::aug_assign(const Stmt& s) {
  const Expr& target = *s.targets[0];
  Type value_type = type_of(*s.value);
  if (type_of(target)->kind == Kind::Array) {
    // Arrays update in place (NumPy's __iadd__ and friends).
    assign_elements(expr(target), type_of(target), *s.value, s.op);
    return;
  }
  if (type_of(target)->kind == Kind::List) {
    // In place, as list.__iadd__: every name of the list sees the change.
    list_update(s.op, expr(target), type_of(target), expr(*s.value), value_type);
    return;
  }
  if (type_of(target)->kind == Kind::Set) {  // in place, as set.__ior__ and friends
    set_update(s.op, expr(target), expr(*s.value), type_of(target));
    return;
  }
  if (target.kind == ExprKind::Subscript && type_of(*target.operands[0])->kind == Kind::Dict) {
    // d[k] += v: KeyError when k is missing, as in Python; the key is evaluated once.
    Type dict_type = type_of(*target.operands[0]);
    llvm::Value* dict = expr(*target.operands[0]);
    auto [k, key_type] = subscript_key(target);
    llvm::Value* entry = dict_find(dict, dict_type, k, key_type);
    raise_key_error(builder_.CreateIsNull(entry), k, key_type);
    Type item = type_of(target);
    llvm::Value* result = binary(s.op, load_dict_value(entry, dict_type), item, expr(*s.value), value_type);
    // A call on the right may have changed the dict, moving its entries: look the key up again.
    if (infer::contains_call(*s.value)) entry = dict_insert(dict, dict_type, k, key_type);
    store_dict_value(entry, dict_type, result, infer::binary_result(s.op, item, value_type));
    return;
  }
  if (target.kind == ExprKind::Subscript && type_of(*target.operands[0])->kind == Kind::List) {
    // Index once: l[f(i)] += 1 evaluates f(i) a single time, as in Python.
    Type list_type = type_of(*target.operands[0]);
    llvm::Value* list = expr(*target.operands[0]);
    const Expr& index = *target.operands[1];
    llvm::Value* k = list_position(list, expr(index), type_of(index)->kind, "list index out of range");
    Type item = type_of(target);
    llvm::Value* result = binary(s.op, load_list_item(list, list_type, k), item, expr(*s.value), value_type);
    store_list_item(list, list_type, k, result, infer::binary_result(s.op, item, value_type));
    return;
  }
  if (target.kind == ExprKind::Subscript) {
    // Index once: x[f(i)] += 1 evaluates f(i) a single time, as in Python.
    Type array_type = type_of(*target.operands[0]);
    llvm::Value* array = expr(*target.operands[0]);
    llvm::Value* pointer = element_pointer(target, array, array_type);
    Type element = types::element(array_type);
    llvm::Value* current = load_element(pointer, array_type->dtype);
    llvm::Value* value = expr(*s.value);
    llvm::Value* result = binary(s.op, current, element, value, value_type);
    if (array_type->readonly) {
      raise_readonly();
      return;
    }
    Type result_type = infer::binary_result(s.op, element, value_type);
    store_element(pointer, cast_kind(result, result_type->kind, array_type->dtype), array_type->dtype);
    return;
  }
  Type current_type = type_of(target);
  llvm::Value* current = expr(target);
  llvm::Value* value = expr(*s.value);
  llvm::Value* result = binary(s.op, current, current_type, value, value_type);
  assign(target, result, infer::binary_result(s.op, current_type, value_type));
}

void FunctionEmitter::if_stmt(const Stmt& s) {
  llvm::Value* test = condition(*s.value);
  auto* then_block = new_block("if.then");
  auto* else_block = new_block("if.else");
  auto* done = new_block("if.done");
  builder_.CreateCondBr(test, then_block, else_block);
  builder_.SetInsertPoint(then_block);
  block(s.body);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(else_block);
  block(s.orelse);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

void FunctionEmitter::while_stmt(const Stmt& s) {
  auto* header = new_block("while.test");
  auto* body = new_block("while.body");
  auto* orelse = new_block("while.else");
  auto* done = new_block("while.done");
  builder_.CreateBr(header);
  builder_.SetInsertPoint(header);
  builder_.CreateCondBr(condition(*s.value), body, orelse);
  builder_.SetInsertPoint(body);
  loops_.push_back({header, done});
  block(s.body);
  loops_.pop_back();
  builder_.CreateBr(header);
  builder_.SetInsertPoint(orelse);
  block(s.orelse);  // runs when the test fails, not after a break
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

void FunctionEmitter::loop_over(const Stmt& s, llvm::Value* trip_count,
                                const std::function<void(llvm::Value*)>& bind_target) {
  // A counted loop k = 0 .. trip_count-1: the form LLVM's vectorizer and bounds-check
  // elimination understand best.
  auto* i64 = builder_.getInt64Ty();
  auto* before = builder_.GetInsertBlock();
  auto* header = new_block("for.test");
  auto* body = new_block("for.body");
  auto* latch = new_block("for.next");
  auto* orelse = new_block("for.else");
  auto* done = new_block("for.done");
  builder_.CreateBr(header);
  builder_.SetInsertPoint(header);
  auto* k = builder_.CreatePHI(i64, 2, "k");
  k->addIncoming(builder_.getInt64(0), before);
  builder_.CreateCondBr(builder_.CreateICmpULT(k, trip_count), body, orelse);
  builder_.SetInsertPoint(body);
  bind_target(k);
  loops_.push_back({latch, done});
  block(s.body);
  loops_.pop_back();
  builder_.CreateBr(latch);
  builder_.SetInsertPoint(latch);
  auto* next = builder_.CreateAdd(k, builder_.getInt64(1), "k.next", true, true);
  k->addIncoming(next, latch);
  builder_.CreateBr(header);
  builder_.SetInsertPoint(orelse);
  block(s.orelse);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

FunctionEmitter::RangeBounds FunctionEmitter::range_bounds(const Expr& range_call) {
  const auto& args = spec_.calls.at(&range_call).arguments;
  std::vector<llvm::Value*> values;
  for (const Expr* a : args) values.push_back(cast_kind(expr(*a), type_of(*a)->kind, Kind::PyInt));
  llvm::Value* start = values.size() == 1 ? builder_.getInt64(0) : values[0];
  llvm::Value* stop = values.size() == 1 ? values[0] : values[1];
  llvm::Value* step = values.size() == 3 ? values[2] : builder_.getInt64(1);
  if (values.size() == 3)
    raise_if(builder_.CreateICmpEQ(step, builder_.getInt64(0)), ACCEL_ERROR_VALUE,
             "range() arg 3 must not be zero");
  // Trip count in unsigned arithmetic: stop - start cannot overflow there.
  auto* zero = builder_.getInt64(0);
  auto* up = builder_.CreateICmpSGT(step, zero);
  auto* span_up = builder_.CreateSub(stop, start);
  auto* span_down = builder_.CreateSub(start, stop);
  auto* magnitude = builder_.CreateSelect(up, step, builder_.CreateNeg(step));
  auto* has_items = builder_.CreateSelect(up, builder_.CreateICmpSLT(start, stop),
                                          builder_.CreateICmpSGT(start, stop));
  auto* span = builder_.CreateSelect(up, span_up, span_down);
  auto* count = builder_.CreateAdd(
      builder_.CreateUDiv(builder_.CreateSub(span, builder_.getInt64(1)), magnitude),
      builder_.getInt64(1));
  return {start, step, builder_.CreateSelect(has_items, count, zero)};
}

void FunctionEmitter::for_range(const Stmt& s, const Expr& range_call) { serial_range(s, range_bounds(range_call)); }

void FunctionEmitter::serial_range(const Stmt& s, const RangeBounds& range) {
  const Expr& target = *s.targets[0];
  loop_over(s, range.trip_count, [&](llvm::Value* k) {
    llvm::Value* value = builder_.CreateAdd(range.start, builder_.CreateMul(k, range.step));
    assign(target, value, types::scalar(Kind::PyInt));
  });
}

void FunctionEmitter::for_array(const Stmt& s, llvm::Value* array, Type array_type) {
  llvm::Value* length = dimension(array, 0);
  const Expr& target = *s.targets[0];
  loop_over(s, length, [&](llvm::Value* k) {
    Type item = types::row_of(array_type);
    assign(target, view_at(array, array_type, {k}), item);
  });
}

void FunctionEmitter::return_value(llvm::Value* value, Type type) {
  Type result = spec_.return_type;
  if (result->kind != Kind::None) {
    llvm::Value* converted = cast(value, type, result);
    retain(converted, result);  // the caller's reference
    builder_.CreateStore(converted, result_pointer_);
  }
  builder_.CreateBr(exit_block_);
  start_dead_block();
}

}  // namespace accel::codegen
