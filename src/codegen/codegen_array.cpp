#include "codegen/array_layout.h"
#include "codegen/function_emitter.h"
#include "infer/operator_rules.h"

namespace accel::codegen {

using frontend::ExprKind;


llvm::Value* FunctionEmitter::dimension(llvm::Value* array, int axis) {
  return builder_.CreateExtractValue(array, {kShape, static_cast<unsigned>(axis)}, "dim");
}

llvm::Value* FunctionEmitter::stride(llvm::Value* array, Type array_type, int axis) {
  // For a contiguous layout the strides follow from the shape; constants let LLVM
  // vectorize, loaded strides would not.
  const int n = array_type->ndim;
  const int64_t size = types::item_size(array_type->dtype);
  if (array_type->layout == types::Layout::C) {
    llvm::Value* s = builder_.getInt64(size);
    for (int k = n - 1; k > axis; --k) s = builder_.CreateMul(s, dimension(array, k));
    return s;
  }
  if (array_type->layout == types::Layout::F) {
    llvm::Value* s = builder_.getInt64(size);
    for (int k = 0; k < axis; ++k) s = builder_.CreateMul(s, dimension(array, k));
    return s;
  }
  return builder_.CreateExtractValue(array, {kStrides, static_cast<unsigned>(axis)}, "stride");
}

llvm::Value* FunctionEmitter::checked_index(llvm::Value* index, Kind index_kind, llvm::Value* size, int axis) {
  // Negative indices count from the end, as in NumPy; then one unsigned compare
  // catches both ends. Hoistable out of loops when the index is an induction variable.
  llvm::Value* i = cast_kind(index, index_kind, Kind::Int64);
  llvm::Value* wrapped = i;
  if (types::is_signed(index_kind)) {
    auto* negative = builder_.CreateICmpSLT(i, builder_.getInt64(0));
    wrapped = builder_.CreateSelect(negative, builder_.CreateAdd(i, size), i);
  }
  if (!boundscheck_) return wrapped;
  auto* out_of_bounds = builder_.CreateICmpUGE(wrapped, size);
  auto* error = new_block("index.error");
  auto* ok = new_block("index.ok");
  builder_.CreateCondBr(out_of_bounds, error, ok);
  builder_.SetInsertPoint(error);
  builder_.CreateCall(module_.runtime(RT::accel_rt_index_error), {i, builder_.getInt64(axis), size});
  builder_.CreateBr(fail_block_);
  builder_.SetInsertPoint(ok);
  return wrapped;
}

llvm::Value* FunctionEmitter::view_at(llvm::Value* array, Type array_type,
                                      const std::vector<llvm::Value*>& indices) {
  // `indices` are already in range. A full index gives the element; fewer give a view.
  llvm::Value* pointer = element_at(array, array_type, indices);
  const int remaining = array_type->ndim - static_cast<int>(indices.size());
  if (remaining == 0) return load_element(pointer, array_type->dtype);
  Type view_type = types::array(array_type->dtype, remaining,
                                array_type->layout == types::Layout::C ? types::Layout::C : types::Layout::Any,
                                array_type->readonly);
  llvm::Value* view = llvm::UndefValue::get(module_.llvm_type(view_type));
  view = builder_.CreateInsertValue(view, builder_.CreateExtractValue(array, {kMeminfo}), {kMeminfo});
  view = builder_.CreateInsertValue(view, pointer, {kData});
  for (int k = 0; k < remaining; ++k) {
    const int axis = static_cast<int>(indices.size()) + k;
    view = builder_.CreateInsertValue(view, dimension(array, axis), {kShape, static_cast<unsigned>(k)});
    view = builder_.CreateInsertValue(view, stride(array, array_type, axis), {kStrides, static_cast<unsigned>(k)});
  }
  return view;
}

llvm::Value* FunctionEmitter::element_pointer(const Expr& e, llvm::Value* array, Type array_type) {
  // Every axis has an integer; a '...' among them stands for no axis.
  std::vector<llvm::Value*> indices;
  for (size_t k = 1; k < e.operands.size(); ++k) {
    const Expr& index = *e.operands[k];
    if (index.kind == ExprKind::EllipsisLit) continue;
    const int axis = static_cast<int>(indices.size());
    indices.push_back(checked_index(expr(index), type_of(index)->kind, dimension(array, axis), axis));
  }
  return element_at(array, array_type, indices);
}

llvm::Value* FunctionEmitter::slice_view(const Expr& e, llvm::Value* array, Type array_type) {
  // Walks the indices axis by axis: an integer fixes an axis (checked, dropped), a slice
  // narrows it (Python's normalisation), None adds an axis of length 1, '...' keeps the
  // axes the other indices leave, and the axes after the last index are kept.
  Type result = type_of(e);
  llvm::Value* offset = builder_.getInt64(0);
  llvm::Value* view = llvm::UndefValue::get(module_.llvm_type(result));
  unsigned out_axis = 0;
  int axis = 0;
  auto zero = builder_.getInt64(0);
  auto keep_axis = [&] {
    view = builder_.CreateInsertValue(view, dimension(array, axis), {kShape, out_axis});
    view = builder_.CreateInsertValue(view, stride(array, array_type, axis), {kStrides, out_axis});
    ++axis;
    ++out_axis;
  };
  int consumed = 0;
  for (size_t k = 1; k < e.operands.size(); ++k) {
    const Expr& index = *e.operands[k];
    consumed += index.kind == ExprKind::Slice ||
                (index.kind != ExprKind::EllipsisLit && type_of(index)->kind != Kind::None);
  }
  for (size_t k = 1; k < e.operands.size(); ++k) {
    const Expr& index = *e.operands[k];
    if (index.kind == ExprKind::EllipsisLit) {
      for (int spanned = array_type->ndim - consumed; spanned > 0; --spanned) keep_axis();
      continue;
    }
    if (index.kind != ExprKind::Slice && type_of(index)->kind == Kind::None) {
      view = builder_.CreateInsertValue(view, builder_.getInt64(1), {kShape, out_axis});
      view = builder_.CreateInsertValue(view, zero, {kStrides, out_axis});
      ++out_axis;
      continue;
    }
    llvm::Value* n = dimension(array, axis);
    llvm::Value* s = stride(array, array_type, axis);
    if (index.kind != ExprKind::Slice) {
      llvm::Value* i = checked_index(expr(index), type_of(index)->kind, n, axis);
      offset = builder_.CreateAdd(offset, builder_.CreateMul(i, s));
      ++axis;
      continue;
    }
    auto part = [&](size_t p) -> llvm::Value* {
      const Expr* x = index.operands[p].get();
      if (!x || type_of(*x)->kind == Kind::None) return nullptr;
      return cast_kind(expr(*x), type_of(*x)->kind, Kind::PyInt);
    };
    llvm::Value* start = part(0);
    llvm::Value* stop = part(1);
    llvm::Value* step = part(2);
    if (step)
      raise_if(builder_.CreateICmpEQ(step, zero), ACCEL_ERROR_VALUE, "slice step cannot be zero");
    else
      step = builder_.getInt64(1);
    auto* backwards = builder_.CreateICmpSLT(step, zero);
    auto* minus_one = builder_.getInt64(static_cast<uint64_t>(-1));
    auto* upper = builder_.CreateSelect(backwards, builder_.CreateSub(n, builder_.getInt64(1)), n);
    auto* lower = builder_.CreateSelect(backwards, minus_one, zero);
    // Python's PySlice_AdjustIndices.
    auto adjust = [&](llvm::Value* v, llvm::Value* missing) -> llvm::Value* {
      if (!v) return missing;
      auto* negative = builder_.CreateICmpSLT(v, zero);
      auto* shifted = builder_.CreateAdd(v, n);
      auto* from_end = builder_.CreateSelect(builder_.CreateICmpSLT(shifted, zero), lower, shifted);
      auto* from_start = builder_.CreateSelect(builder_.CreateICmpSGE(v, n), upper, v);
      return builder_.CreateSelect(negative, from_end, from_start);
    };
    start = adjust(start, builder_.CreateSelect(backwards, builder_.CreateSub(n, builder_.getInt64(1)), zero));
    stop = adjust(stop, builder_.CreateSelect(backwards, minus_one, n));
    auto* forward_length = builder_.CreateSelect(
        builder_.CreateICmpSLT(start, stop),
        builder_.CreateAdd(builder_.CreateSDiv(builder_.CreateSub(builder_.CreateSub(stop, start), builder_.getInt64(1)), step),
                           builder_.getInt64(1)),
        zero);
    auto* backward_length = builder_.CreateSelect(
        builder_.CreateICmpSLT(stop, start),
        builder_.CreateAdd(builder_.CreateSDiv(builder_.CreateSub(builder_.CreateSub(start, stop), builder_.getInt64(1)),
                                               builder_.CreateNeg(step)),
                           builder_.getInt64(1)),
        zero);
    llvm::Value* length = builder_.CreateSelect(backwards, backward_length, forward_length);
    // An empty slice may start outside the array; it then stays at the array's start so
    // the view never points outside its owner's memory.
    auto* empty = builder_.CreateICmpEQ(length, zero);
    offset = builder_.CreateAdd(offset, builder_.CreateSelect(empty, zero, builder_.CreateMul(start, s)));
    view = builder_.CreateInsertValue(view, length, {kShape, out_axis});
    view = builder_.CreateInsertValue(view, builder_.CreateMul(s, step), {kStrides, out_axis});
    ++axis;
    ++out_axis;
  }
  while (axis < array_type->ndim) keep_axis();
  view = builder_.CreateInsertValue(view, builder_.CreateExtractValue(array, {kMeminfo}), {kMeminfo});
  view = builder_.CreateInsertValue(
      view, builder_.CreateGEP(builder_.getInt8Ty(), builder_.CreateExtractValue(array, {kData}), offset), {kData});
  return view;
}

llvm::Value* FunctionEmitter::tuple_item(llvm::Value* tuple, Type tuple_type, llvm::Value* index, Kind index_kind,
                                         Type item_type) {
  // The elements, converted to their common type, in a stack array.
  llvm::Type* item = module_.llvm_type(item_type);
  auto* items = llvm::ArrayType::get(item, tuple_type->elements.size());
  llvm::AllocaInst* slot = entry_slot(items, "tuple.items");
  for (unsigned i = 0; i < tuple_type->elements.size(); ++i)
    builder_.CreateStore(cast(builder_.CreateExtractValue(tuple, {i}), tuple_type->elements[i], item_type),
                         builder_.CreateConstInBoundsGEP2_64(items, slot, 0, i));
  llvm::Value* size = builder_.getInt64(static_cast<int64_t>(tuple_type->elements.size()));
  llvm::Value* i = cast_kind(index, index_kind, Kind::PyInt);
  i = builder_.CreateSelect(builder_.CreateICmpSLT(i, builder_.getInt64(0)), builder_.CreateAdd(i, size), i);
  raise_if(builder_.CreateICmpUGE(i, size), ACCEL_ERROR_INDEX, "tuple index out of range");
  return builder_.CreateLoad(item, builder_.CreateInBoundsGEP(items, slot, {builder_.getInt64(0), i}));
}

llvm::Value* FunctionEmitter::subscript(const Expr& e) {
  // x[mask], x[indices]: the library's operator.getitem (infer_advanced_index.cpp).
  if (auto found = spec_.calls.find(&e); found != spec_.calls.end()) return user_call(e, found->second);
  Type base = type_of(*e.operands[0]);
  llvm::Value* value = expr(*e.operands[0]);
  if (base->kind == Kind::Array && type_of(e)->kind == Kind::Array) return slice_view(e, value, base);
  if (base->kind == Kind::List) return list_subscript(e, value, base);
  if (base->kind == Kind::Dict) return dict_subscript(e, value, base);
  if (base->kind == Kind::Tuple) {
    const Expr& index = *e.operands[1];
    if (index.kind == ExprKind::Slice) {
      Type result = type_of(e);
      llvm::Value* out = llvm::UndefValue::get(module_.llvm_type(result));
      const auto taken = *infer::constant_tuple_slice(index, base->elements.size());
      for (unsigned i = 0; i < taken.size(); ++i)
        out = builder_.CreateInsertValue(out, builder_.CreateExtractValue(value, {static_cast<unsigned>(taken[i])}), {i});
      return out;
    }
    if (!infer::constant_int(index)) return tuple_item(value, base, expr(index), type_of(index)->kind, type_of(e));
    // Inference checked the constant index; normalise a negative one.
    int64_t i = index.kind == ExprKind::IntLit ? index.int_value : -index.operands[0]->int_value;
    if (i < 0) i += static_cast<int64_t>(base->elements.size());
    return builder_.CreateExtractValue(value, {static_cast<unsigned>(i)});
  }
  // Every axis has an integer index: one element.
  return load_element(element_pointer(e, value, base), base->dtype);
}

llvm::Value* FunctionEmitter::load_element(llvm::Value* pointer, Kind dtype) {
  llvm::Value* raw = builder_.CreateLoad(module_.storage_type(dtype), pointer);
  if (types::is_bool(dtype)) return builder_.CreateICmpNE(raw, builder_.getInt8(0));
  return raw;
}

void FunctionEmitter::store_element(llvm::Value* pointer, llvm::Value* value, Kind dtype) {
  if (types::is_bool(dtype)) value = builder_.CreateZExt(value, builder_.getInt8Ty());
  builder_.CreateStore(value, pointer);
}

llvm::Value* FunctionEmitter::transposed(llvm::Value* array, Type type) {
  llvm::Value* out = array;
  for (int k = 0; k < type->ndim; ++k) {
    const unsigned to = static_cast<unsigned>(type->ndim - 1 - k);
    out = builder_.CreateInsertValue(out, dimension(array, k), {kShape, to});
    out = builder_.CreateInsertValue(out, stride(array, type, k), {kStrides, to});
  }
  return out;
}

llvm::Value* FunctionEmitter::array_attribute(const Expr& e, llvm::Value* array, Type array_type) {
  if (e.name == "ndim") return builder_.getInt64(static_cast<uint64_t>(array_type->ndim));
  if (e.name == "T") return transposed(array, array_type);
  if (e.name == "real" && !types::is_complex(array_type->dtype)) return array;
  if (e.name == "real" || e.name == "imag") {
    // A view of the parts: the same strides, the data moved to the imaginary part.
    llvm::Value* view = llvm::UndefValue::get(module_.llvm_type(type_of(e)));
    view = builder_.CreateInsertValue(view, builder_.CreateExtractValue(array, {kMeminfo}), {kMeminfo});
    llvm::Value* data = builder_.CreateExtractValue(array, {kData});
    if (e.name == "imag")
      data = builder_.CreateConstGEP1_64(builder_.getInt8Ty(), data,
                                         static_cast<uint64_t>(types::item_size(types::complex_part(array_type->dtype))));
    view = builder_.CreateInsertValue(view, data, {kData});
    for (int k = 0; k < array_type->ndim; ++k) {
      view = builder_.CreateInsertValue(view, dimension(array, k), {kShape, static_cast<unsigned>(k)});
      view = builder_.CreateInsertValue(view, stride(array, array_type, k), {kStrides, static_cast<unsigned>(k)});
    }
    return view;
  }
  if (e.name == "size") return product(shape_of(array, array_type));
  if (e.name == "itemsize" || e.name == "nbytes") {
    const int bits = types::bit_width(array_type->dtype);
    llvm::Value* itemsize = builder_.getInt64(static_cast<uint64_t>(bits == 1 ? 1 : bits / 8));
    return e.name == "itemsize" ? itemsize : builder_.CreateMul(itemsize, product(shape_of(array, array_type)));
  }
  // shape
  llvm::Value* shape = llvm::UndefValue::get(module_.llvm_type(type_of(e)));
  for (int k = 0; k < array_type->ndim; ++k)
    shape = builder_.CreateInsertValue(shape, dimension(array, k), {static_cast<unsigned>(k)});
  return shape;
}

void FunctionEmitter::raise_readonly() {
  raise_now(ACCEL_ERROR_VALUE, "assignment destination is read-only");
  start_dead_block();
}

}  // namespace accel::codegen
