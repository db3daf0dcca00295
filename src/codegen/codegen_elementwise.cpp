// Array expressions, fused: `a * b + c / 2` is one loop that computes each element from
// the leaves (arrays and numbers evaluated once before it), with no temporary arrays.
// NumPy's broadcasting decides the shape; NumPy's rules decide the arithmetic.

#include <llvm/Analysis/ValueTracking.h>

#include "codegen/array_layout.h"
#include "codegen/call_lowering.h"
#include "codegen/function_emitter.h"
#include "infer/builtin.h"
#include "infer/builtin_table.h"
#include "infer/operator_rules.h"
#include "types/promotion.h"

namespace accel::codegen {

using frontend::ExprKind;


bool FunctionEmitter::is_elementwise(const Expr& e) const {
  if (type_of(e)->kind != Kind::Array) return false;
  switch (e.kind) {
    case ExprKind::BinOp:
      return e.op != Operator::MatMult;
    case ExprKind::UnaryOp:
    case ExprKind::Compare:
      return true;
    case ExprKind::Call: {
      auto it = spec_.calls.find(&e);
      if (it == spec_.calls.end() || it->second.callee) return false;
      return it->second.entry && it->second.entry->element;
    }
    default:
      return false;
  }
}

std::vector<const Expr*> FunctionEmitter::elementwise_operands(const Expr& e) const {
  if (e.kind == ExprKind::Call) return spec_.calls.at(&e).arguments;
  std::vector<const Expr*> out;
  for (const auto& operand : e.operands) out.push_back(operand.get());
  return out;
}

bool FunctionEmitter::may_write_arrays(const Expr& e) const {
  if (auto call = spec_.calls.find(&e); call != spec_.calls.end()) {
    if (call->second.callee) return true;  // a user function or an overload written in Python
    for (const auto& keyword : e.keywords)
      if (keyword.name == "out") return true;
  }
  for (const auto& operand : e.operands)
    if (operand && may_write_arrays(*operand)) return true;
  for (const auto& keyword : e.keywords)
    if (may_write_arrays(*keyword.value)) return true;
  return false;
}

void FunctionEmitter::collect_leaves(const Expr& e, ElementwisePlan& plan) {
  if (is_elementwise(e)) {
    // Python computes `x * 2` before it calls h in `x * 2 + h(x)`; fused, the loop would
    // read x after h wrote it. So an operand that is itself an array expression and comes
    // before a call that may write arrays is computed on its own first, as Python does.
    const std::vector<const Expr*> operands = elementwise_operands(e);
    size_t last_writer = 0;
    for (size_t i = 0; i < operands.size(); ++i)
      if (operands[i] && may_write_arrays(*operands[i])) last_writer = i;
    for (size_t i = 0; i < operands.size(); ++i) {
      if (i < last_writer && is_elementwise(*operands[i])) add_leaf(*operands[i], plan);
      else collect_leaves(*operands[i], plan);
    }
    return;
  }
  add_leaf(e, plan);
}

void FunctionEmitter::add_leaf(const Expr& e, ElementwisePlan& plan) {
  if (plan.leaves.count(&e)) return;
  Leaf leaf;
  leaf.type = type_of(e);
  leaf.value = expr(e);
  plan.leaves[&e] = leaf;
  plan.order.push_back(&e);
}

std::vector<llvm::Value*> FunctionEmitter::broadcast_shape(const ElementwisePlan& plan, int ndim) {
  // Axes align on the right; an extent of 1 stretches, anything else must agree.
  std::vector<llvm::Value*> shape(static_cast<size_t>(ndim), builder_.getInt64(1));
  llvm::Value* mismatch = builder_.getInt1(false);
  each_array_axis(plan, ndim, [&](const Leaf& leaf, int k, size_t axis) {
    llvm::Value*& extent = shape[axis];
    llvm::Value* d = dimension(leaf.value, k);
    auto* one = builder_.getInt64(1);
    mismatch = builder_.CreateOr(mismatch, builder_.CreateAnd(builder_.CreateAnd(builder_.CreateICmpNE(d, one),
                                                                                 builder_.CreateICmpNE(extent, one)),
                                                              builder_.CreateICmpNE(d, extent)));
    extent = builder_.CreateSelect(builder_.CreateICmpEQ(d, one), extent, d);
  });
  raise_if(mismatch, ACCEL_ERROR_VALUE, "operands could not be broadcast together");
  return shape;
}

void FunctionEmitter::bind_strides(ElementwisePlan& plan, const std::vector<llvm::Value*>& shape, StrideMode mode) {
  const bool contiguous = mode == StrideMode::Contiguous;
  const int ndim = static_cast<int>(shape.size());
  for (const Expr* e : plan.order) {
    Leaf& leaf = plan.leaves.at(e);
    leaf.strides.assign(shape.size(), builder_.getInt64(0));
    if (leaf.type->kind != Kind::Array) continue;
    const int offset = ndim - leaf.type->ndim;
    if (contiguous) {
      // Same shape as the result and C order: strides are constants times extents.
      llvm::Value* s = builder_.getInt64(static_cast<uint64_t>(types::item_size(leaf.type->dtype)));
      for (int k = ndim - 1; k >= 0; --k) {
        leaf.strides[static_cast<size_t>(k)] = s;
        s = builder_.CreateMul(s, shape[static_cast<size_t>(k)]);
      }
      continue;
    }
    for (int k = 0; k < leaf.type->ndim; ++k) {
      llvm::Value* d = dimension(leaf.value, k);
      llvm::Value*& s = leaf.strides[static_cast<size_t>(offset + k)];
      if (mode == StrideMode::Unstretched)
        s = known_one(leaf.value, k) ? builder_.getInt64(0) : stride(leaf.value, leaf.type, k);
      else
        s = builder_.CreateSelect(builder_.CreateICmpEQ(d, builder_.getInt64(1)), builder_.getInt64(0),
                                  stride(leaf.value, leaf.type, k));
    }
  }
}

void FunctionEmitter::each_array_axis(const ElementwisePlan& plan, int ndim,
                                      const std::function<void(const Leaf&, int, size_t)>& visit) {
  for (const Expr* e : plan.order) {
    const Leaf& leaf = plan.leaves.at(e);
    if (leaf.type->kind != Kind::Array) continue;
    const int offset = ndim - leaf.type->ndim;
    for (int k = 0; k < leaf.type->ndim; ++k) visit(leaf, k, static_cast<size_t>(offset + k));
  }
}

bool FunctionEmitter::known_one(llvm::Value* array, int axis) {
  // Looks through the insertvalues that built a view in this function.
  llvm::Value* extent = llvm::FindInsertedValue(array, {kShape, static_cast<unsigned>(axis)});
  auto* constant = llvm::dyn_cast_or_null<llvm::ConstantInt>(extent);
  return constant && constant->isOne();
}

llvm::Value* FunctionEmitter::element_value(const Expr& e, const ElementwisePlan& plan,
                                            const std::vector<llvm::Value*>& index) {
  if (auto it = plan.leaves.find(&e); it != plan.leaves.end()) {
    const Leaf& leaf = it->second;
    if (leaf.type->kind != Kind::Array) return leaf.value;
    llvm::Value* offset = builder_.getInt64(0);
    for (size_t k = 0; k < index.size(); ++k)
      offset = builder_.CreateAdd(offset, builder_.CreateMul(index[k], leaf.strides[k]));
    return load_element(builder_.CreateGEP(builder_.getInt8Ty(), builder_.CreateExtractValue(leaf.value, {kData}), offset),
                        leaf.type->dtype);
  }
  const Type result = types::element(type_of(e));
  const std::vector<const Expr*> operands = elementwise_operands(e);
  std::vector<llvm::Value*> values;
  std::vector<Type> value_types;
  for (const Expr* operand : operands) {
    values.push_back(element_value(*operand, plan, index));
    value_types.push_back(infer::element_type(type_of(*operand)));
  }
  switch (e.kind) {
    case ExprKind::BinOp:
      return binary(e.op, values[0], value_types[0], values[1], value_types[1]);
    case ExprKind::UnaryOp:
      return unary_value(e.op, values[0], value_types[0], infer::unary_result(e.op, value_types[0]));
    case ExprKind::Compare:
      return compare_values(e.compare_ops[0], values[0], value_types[0], values[1], value_types[1]);
    default: {
      const infer::Builtin& entry = *spec_.calls.at(&e).entry;
      ElementLowering element(*this, entry.name, std::move(values), std::move(value_types), result);
      return entry.element(element);
    }
  }
}

void FunctionEmitter::run_elementwise(llvm::Value* dest, Type dest_type, const Expr& value, ElementwisePlan& plan,
                                      std::optional<Operator> in_place) {
  if (!parallel_arrays_ || dest_type->ndim == 0) {
    elementwise_loops(dest, dest_type, value, plan, in_place, nullptr, nullptr);
    return;
  }
  // parallel=True: big results are cut along their first axis into chunks that the
  // runtime's threads compute; small ones are not worth waking the threads for.
  llvm::Value* count = product(shape_of(dest, dest_type));
  auto* threaded = new_block("elementwise.threads");
  auto* serial = new_block("elementwise.serial");
  auto* done = new_block("elementwise.joined");
  builder_.CreateCondBr(builder_.CreateICmpSGE(count, builder_.getInt64(kParallelElements)), threaded, serial);
  builder_.SetInsertPoint(serial);
  elementwise_loops(dest, dest_type, value, plan, in_place, nullptr, nullptr);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(threaded);
  std::vector<llvm::Type*> fields = {module_.llvm_type(dest_type)};
  for (const Expr* e : plan.order) fields.push_back(module_.llvm_type(plan.leaves.at(e).type));
  auto* context_type = llvm::StructType::get(context_, fields);
  auto* context = builder_.CreateAlloca(context_type);
  builder_.CreateStore(dest, builder_.CreateStructGEP(context_type, context, 0));
  for (size_t i = 0; i < plan.order.size(); ++i)
    builder_.CreateStore(plan.leaves.at(plan.order[i]).value,
                         builder_.CreateStructGEP(context_type, context, static_cast<unsigned>(i + 1)));
  llvm::Function* chunk = emit_elementwise_chunk(dest_type, value, plan, in_place, context_type);
  llvm::Value* rows = dimension(dest, 0);
  llvm::Value* chunks = builder_.CreateCall(module_.runtime(RT::accel_rt_parallel_chunks), {rows});
  llvm::Value* status = builder_.CreateCall(module_.runtime(RT::accel_rt_parallel_for), {rows, chunks, chunk, context});
  propagate_if(builder_.CreateICmpNE(status, builder_.getInt32(0)));
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

llvm::Function* FunctionEmitter::emit_elementwise_chunk(Type dest_type, const Expr& value, const ElementwisePlan& plan,
                                                        std::optional<Operator> in_place, llvm::StructType* context_type) {
  auto* i64 = builder_.getInt64Ty();
  auto* type = llvm::FunctionType::get(builder_.getInt32Ty(), {i64, i64, i64, builder_.getPtrTy()}, false);
  auto* fn = llvm::Function::Create(type, llvm::Function::InternalLinkage, spec_.symbol + ".elementwise", module_.module());
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  FunctionEmitter chunk(module_, spec_);
  chunk.function_ = fn;
  chunk.parallel_arrays_ = false;
  llvm::IRBuilder<>& b = chunk.builder_;
  b.SetInsertPoint(chunk.new_block("entry"));
  chunk.fail_block_ = chunk.new_block("fail");
  chunk.exit_block_ = chunk.new_block("exit");
  llvm::Value* context = fn->getArg(3);
  llvm::Value* dest = b.CreateLoad(context_type->getElementType(0), b.CreateStructGEP(context_type, context, 0));
  ElementwisePlan rows;
  for (size_t i = 0; i < plan.order.size(); ++i) {
    Leaf leaf = plan.leaves.at(plan.order[i]);
    const Expr& e = *plan.order[i];
    const bool literal = e.kind == ExprKind::IntLit || e.kind == ExprKind::FloatLit || e.kind == ExprKind::BoolLit ||
                         spec_.constants.count(&e);
    // Constants stay constants in the chunk, so LLVM can fold them (x ** 2 is x * x).
    leaf.value = literal ? chunk.expr(e)
                         : b.CreateLoad(context_type->getElementType(static_cast<unsigned>(i + 1)),
                                        b.CreateStructGEP(context_type, context, static_cast<unsigned>(i + 1)));
    rows.leaves[plan.order[i]] = leaf;
    rows.order.push_back(plan.order[i]);
  }
  chunk.elementwise_loops(dest, dest_type, value, rows, in_place, fn->getArg(0), fn->getArg(1));
  b.CreateBr(chunk.exit_block_);
  chunk.finish_exits(/*leave_recursion=*/false);
  return fn;
}

void FunctionEmitter::elementwise_loops(llvm::Value* dest, Type dest_type, const Expr& value, ElementwisePlan& plan,
                                        std::optional<Operator> in_place, llvm::Value* first_row, llvm::Value* end_row) {
  const std::vector<llvm::Value*> shape = shape_of(dest, dest_type);
  // With a row range, the outermost loop runs over [first_row, end_row) only.
  std::vector<llvm::Value*> extents = shape;
  if (first_row) extents[0] = builder_.CreateSub(end_row, first_row);
  auto body = [&](const std::vector<llvm::Value*>& loop_index) {
    std::vector<llvm::Value*> index = loop_index;
    if (first_row) index[0] = builder_.CreateAdd(index[0], first_row);
    llvm::Value* pointer = element_at(dest, dest_type, index);
    llvm::Value* v = element_value(value, plan, index);
    Type v_type = infer::element_type(type_of(value));
    if (in_place) {
      Type element = types::element(dest_type);
      v = binary(*in_place, load_element(pointer, dest_type->dtype), element, v, v_type);
      v_type = infer::binary_result(*in_place, element, v_type);
    }
    store_element(pointer, cast_kind(v, v_type->kind, dest_type->dtype), dest_type->dtype);
  };
  // (1) When every array has the destination's shape and all are C-ordered, constant
  // strides let LLVM vectorize; otherwise strides come from the arrays (0 to broadcast).
  bool may_be_contiguous = dest_type->layout == types::Layout::C;
  llvm::Value* same_shapes = builder_.getInt1(true);
  for (const Expr* e : plan.order) {
    const Leaf& leaf = plan.leaves.at(e);
    if (leaf.type->kind != Kind::Array) continue;
    may_be_contiguous = may_be_contiguous && leaf.type->layout == types::Layout::C && leaf.type->ndim == dest_type->ndim;
    for (int k = 0; k < leaf.type->ndim && may_be_contiguous; ++k)
      same_shapes = builder_.CreateAnd(same_shapes, builder_.CreateICmpEQ(dimension(leaf.value, k), shape[static_cast<size_t>(k)]));
  }
  // (2) Otherwise, when no operand's extent is stretched at run time (an axis of length
  // 1 that None added is known when compiling), each keeps its own strides: a view such as
  // a[:, None] then has constant ones, and LLVM vectorizes. NumPy's general broadcasting
  // is the last version.
  llvm::Value* unstretched = builder_.getInt1(true);
  each_array_axis(plan, dest_type->ndim, [&](const Leaf& leaf, int k, size_t axis) {
    if (!known_one(leaf.value, k))
      unstretched = builder_.CreateAnd(unstretched, builder_.CreateICmpEQ(dimension(leaf.value, k), shape[axis]));
  });
  const bool saved = numpy_semantics_;
  numpy_semantics_ = true;
  auto version = [&](llvm::Value* condition, StrideMode mode, auto otherwise) {
    auto* taken = new_block("elementwise.version");
    auto* rest = new_block("elementwise.other");
    auto* done = new_block("elementwise.done");
    builder_.CreateCondBr(condition, taken, rest);
    builder_.SetInsertPoint(taken);
    bind_strides(plan, shape, mode);
    loop_nest(extents, body);
    builder_.CreateBr(done);
    builder_.SetInsertPoint(rest);
    otherwise();
    builder_.CreateBr(done);
    builder_.SetInsertPoint(done);
  };
  auto broadcast = [&] {
    bind_strides(plan, shape, StrideMode::Broadcast);
    loop_nest(extents, body);
  };
  if (may_be_contiguous)
    version(same_shapes, StrideMode::Contiguous, broadcast);
  else
    version(unstretched, StrideMode::Unstretched, broadcast);
  numpy_semantics_ = saved;
}

llvm::Value* FunctionEmitter::materialize(const Expr& e) {
  ElementwisePlan plan;
  collect_leaves(e, plan);
  Type type = type_of(e);
  llvm::Value* out = allocate_array(type, broadcast_shape(plan, type->ndim));
  run_elementwise(out, type, e, plan, std::nullopt);
  return out;
}

void FunctionEmitter::assign_elements(llvm::Value* dest, Type dest_type, const Expr& value,
                                      std::optional<Operator> in_place) {
  if (dest_type->readonly) {  // x[...] = v, x += v and x.fill(v) alike, before v is evaluated
    raise_readonly();
    return;
  }
  ElementwisePlan plan;
  collect_leaves(value, plan);
  // (1) Every array must broadcast to the destination's shape.
  std::vector<llvm::Value*> shape = shape_of(dest, dest_type);
  llvm::Value* mismatch = builder_.getInt1(false);
  llvm::Value* overlap = builder_.getInt1(false);
  each_array_axis(plan, dest_type->ndim, [&](const Leaf& leaf, int k, size_t axis) {
    llvm::Value* d = dimension(leaf.value, k);
    mismatch = builder_.CreateOr(mismatch, builder_.CreateAnd(builder_.CreateICmpNE(d, builder_.getInt64(1)),
                                                              builder_.CreateICmpNE(d, shape[axis])));
  });
  for (const Expr* e : plan.order) {
    const Leaf& leaf = plan.leaves.at(e);
    if (leaf.type->kind != Kind::Array) continue;
    overlap = builder_.CreateOr(overlap, overlaps_unsafely(dest, dest_type, leaf.value, leaf.type));
  }
  raise_if(mismatch, ACCEL_ERROR_VALUE, "could not broadcast input array into the destination's shape");
  // (2) If a source shares memory with the destination other than element for element
  // (a[1:] = a[:-1]), compute into a temporary first, as NumPy does.
  auto* direct = new_block("assign.direct");
  auto* buffered = new_block("assign.buffered");
  auto* done = new_block("assign.done");
  builder_.CreateCondBr(overlap, buffered, direct);
  builder_.SetInsertPoint(direct);
  run_elementwise(dest, dest_type, value, plan, in_place);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(buffered);
  {
    Type temp_type = types::array(types::numpy_kind(infer::element_type(type_of(value))->kind), dest_type->ndim,
                                  types::Layout::C);
    llvm::Value* temp = allocate_array(temp_type, shape);
    run_elementwise(temp, temp_type, value, plan, std::nullopt);
    const bool saved = numpy_semantics_;
    numpy_semantics_ = true;
    loop_nest(shape, [&](const std::vector<llvm::Value*>& index) {
      llvm::Value* pointer = element_at(dest, dest_type, index);
      llvm::Value* v = load_element(element_at(temp, temp_type, index), temp_type->dtype);
      Type v_type = types::element(temp_type);
      if (in_place) {
        Type element = types::element(dest_type);
        v = binary(*in_place, load_element(pointer, dest_type->dtype), element, v, v_type);
        v_type = infer::binary_result(*in_place, element, v_type);
      }
      store_element(pointer, cast_kind(v, v_type->kind, dest_type->dtype), dest_type->dtype);
    });
    numpy_semantics_ = saved;
  }
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

llvm::Value* FunctionEmitter::byte_bounds(llvm::Value* array, Type type, llvm::Value*& high) {
  llvm::Value* low = builder_.CreatePtrToInt(builder_.CreateExtractValue(array, {kData}), builder_.getInt64Ty());
  high = low;
  for (int k = 0; k < type->ndim; ++k) {
    llvm::Value* span = builder_.CreateMul(builder_.CreateSub(dimension(array, k), builder_.getInt64(1)), stride(array, type, k));
    auto* negative = builder_.CreateICmpSLT(span, builder_.getInt64(0));
    low = builder_.CreateAdd(low, builder_.CreateSelect(negative, span, builder_.getInt64(0)));
    high = builder_.CreateAdd(high, builder_.CreateSelect(negative, builder_.getInt64(0), span));
  }
  high = builder_.CreateAdd(high, builder_.getInt64(static_cast<uint64_t>(types::item_size(type->dtype))));
  return low;
}

llvm::Value* FunctionEmitter::overlaps_unsafely(llvm::Value* dest, Type dest_type, llvm::Value* source, Type source_type) {
  llvm::Value *dest_high, *source_high;
  llvm::Value* dest_low = byte_bounds(dest, dest_type, dest_high);
  llvm::Value* source_low = byte_bounds(source, source_type, source_high);
  llvm::Value* intersect = builder_.CreateAnd(builder_.CreateICmpULT(dest_low, source_high),
                                              builder_.CreateICmpULT(source_low, dest_high));
  // Exactly the same elements in the same order (x += 1, out[...] = out * 2) is safe.
  llvm::Value* same = builder_.getInt1(dest_type->ndim == source_type->ndim && dest_type->dtype == source_type->dtype);
  if (dest_type->ndim == source_type->ndim && dest_type->dtype == source_type->dtype) {
    same = builder_.CreateICmpEQ(builder_.CreateExtractValue(dest, {kData}), builder_.CreateExtractValue(source, {kData}));
    for (int k = 0; k < dest_type->ndim; ++k) {
      same = builder_.CreateAnd(same, builder_.CreateICmpEQ(dimension(dest, k), dimension(source, k)));
      same = builder_.CreateAnd(same, builder_.CreateICmpEQ(stride(dest, dest_type, k), stride(source, source_type, k)));
    }
  }
  return builder_.CreateAnd(intersect, builder_.CreateNot(same));
}

}  // namespace accel::codegen
