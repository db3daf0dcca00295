// Arrays made in compiled code: np.empty/zeros/ones/full/arange/linspace, the *_like
// functions and x.copy(). Each is a fresh C-contiguous block owned by a temporary.

#include <llvm/IR/Intrinsics.h>

#include "codegen/array_layout.h"
#include "codegen/function_emitter.h"
#include "infer/builtin_table.h"

namespace accel::codegen {


void FunctionEmitter::loop_nest(const std::vector<llvm::Value*>& extents,
                                const std::function<void(const std::vector<llvm::Value*>&)>& body) {
  // Outer axes first, so a C-contiguous walk touches memory in order.
  std::vector<llvm::Value*> indices;
  std::function<void(size_t)> level = [&](size_t axis) {
    if (axis == extents.size()) {
      body(indices);
      return;
    }
    auto* before = builder_.GetInsertBlock();
    auto* header = new_block("nest.test");
    auto* inner = new_block("nest.body");
    auto* done = new_block("nest.done");
    builder_.CreateBr(header);
    builder_.SetInsertPoint(header);
    auto* i = builder_.CreatePHI(builder_.getInt64Ty(), 2);
    i->addIncoming(builder_.getInt64(0), before);
    builder_.CreateCondBr(builder_.CreateICmpULT(i, extents[axis]), inner, done);
    builder_.SetInsertPoint(inner);
    indices.push_back(i);
    level(axis + 1);
    indices.pop_back();
    auto* next = builder_.CreateAdd(i, builder_.getInt64(1), "", true, true);
    i->addIncoming(next, builder_.GetInsertBlock());
    builder_.CreateBr(header);
    builder_.SetInsertPoint(done);
  };
  level(0);
}

llvm::Value* FunctionEmitter::allocate_array(Type type, const std::vector<llvm::Value*>& shape) {
  // (1) The size, refusing negative dimensions and sizes beyond int64 as NumPy does.
  llvm::Value* negative = builder_.getInt1(false);
  for (llvm::Value* extent : shape)
    negative = builder_.CreateOr(negative, builder_.CreateICmpSLT(extent, builder_.getInt64(0)));
  raise_if(negative, ACCEL_ERROR_VALUE, "negative dimensions are not allowed");
  const auto item_size = static_cast<uint64_t>(types::item_size(type->dtype));
  llvm::Value* too_big = nullptr;
  llvm::Value* nbytes = checked_product(shape, too_big, item_size);
  raise_if(too_big, ACCEL_ERROR_VALUE,
           "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.");
  // (2) The block; a failed allocation has set MemoryError.
  llvm::Value* data_slot = entry_slot(builder_.getPtrTy(), "data");
  llvm::Value* meminfo = builder_.CreateCall(module_.runtime(RT::accel_rt_array_alloc), {nbytes, data_slot});
  propagate_if(builder_.CreateIsNull(meminfo));
  // (3) C strides.
  llvm::Value* array = llvm::UndefValue::get(module_.llvm_type(type));
  array = builder_.CreateInsertValue(array, meminfo, {kMeminfo});
  array = builder_.CreateInsertValue(array, builder_.CreateLoad(builder_.getPtrTy(), data_slot), {kData});
  llvm::Value* stride = builder_.getInt64(static_cast<uint64_t>(types::item_size(type->dtype)));
  for (int k = type->ndim - 1; k >= 0; --k) {
    array = builder_.CreateInsertValue(array, shape[static_cast<size_t>(k)], {kShape, static_cast<unsigned>(k)});
    array = builder_.CreateInsertValue(array, stride, {kStrides, static_cast<unsigned>(k)});
    stride = builder_.CreateMul(stride, shape[static_cast<size_t>(k)]);
  }
  return own_temporary(array, type);
}

std::vector<llvm::Value*> FunctionEmitter::shape_values(const Expr& shape) {
  Type t = type_of(shape);
  llvm::Value* v = expr(shape);
  if (t->kind != Kind::Tuple) return {cast_kind(v, t->kind, Kind::PyInt)};
  std::vector<llvm::Value*> out;
  for (unsigned i = 0; i < t->elements.size(); ++i)
    out.push_back(cast_kind(builder_.CreateExtractValue(v, {i}), t->elements[i]->kind, Kind::PyInt));
  return out;
}

llvm::Value* FunctionEmitter::product(const std::vector<llvm::Value*>& extents) {
  llvm::Value* out = builder_.getInt64(1);
  for (llvm::Value* extent : extents) out = builder_.CreateMul(out, extent);
  return out;
}

llvm::Value* FunctionEmitter::checked_product(const std::vector<llvm::Value*>& extents, llvm::Value*& overflowed,
                                              uint64_t scale) {
  // NumPy's test: the product of the non-zero extents must fit, even when one extent
  // is zero and the true product is 0.
  llvm::Value* out = builder_.getInt64(scale);
  llvm::Value* nonzero = builder_.getInt64(scale);
  overflowed = builder_.getInt1(false);
  for (llvm::Value* extent : extents) {
    out = builder_.CreateMul(out, extent);
    llvm::Value* factor =
        builder_.CreateSelect(builder_.CreateICmpEQ(extent, builder_.getInt64(0)), builder_.getInt64(1), extent);
    llvm::Value* step = builder_.CreateBinaryIntrinsic(llvm::Intrinsic::smul_with_overflow, nonzero, factor);
    nonzero = builder_.CreateExtractValue(step, {0});
    overflowed = builder_.CreateOr(overflowed, builder_.CreateExtractValue(step, {1}));
  }
  return out;
}

std::vector<llvm::Value*> FunctionEmitter::shape_of(llvm::Value* array, Type type) {
  std::vector<llvm::Value*> out;
  for (int k = 0; k < type->ndim; ++k) out.push_back(dimension(array, k));
  return out;
}

void FunctionEmitter::fill_array(llvm::Value* array, Type type, llvm::Value* value) {
  loop_nest(shape_of(array, type), [&](const std::vector<llvm::Value*>& idx) {
    store_element(element_at(array, type, idx), value, type->dtype);
  });
}

llvm::Value* FunctionEmitter::element_at(llvm::Value* array, Type type, const std::vector<llvm::Value*>& indices) {
  llvm::Value* offset = builder_.getInt64(0);
  for (size_t k = 0; k < indices.size(); ++k)
    offset = builder_.CreateAdd(offset, builder_.CreateMul(indices[k], stride(array, type, static_cast<int>(k))));
  return builder_.CreateGEP(builder_.getInt8Ty(), builder_.CreateExtractValue(array, {kData}), offset);
}

llvm::Value* FunctionEmitter::copy_array(llvm::Value* source, Type source_type) {
  return cast_copy(source, source_type, source_type->dtype);
}

llvm::Value* FunctionEmitter::cast_copy(llvm::Value* source, Type source_type, Kind dtype) {
  Type type = types::array(dtype, source_type->ndim, types::Layout::C);
  llvm::Value* out = allocate_array(type, shape_of(source, source_type));
  loop_nest(shape_of(source, source_type), [&](const std::vector<llvm::Value*>& idx) {
    llvm::Value* value = load_element(element_at(source, source_type, idx), source_type->dtype);
    if (dtype != source_type->dtype) value = cast_kind(value, source_type->dtype, dtype);
    store_element(element_at(out, type, idx), value, dtype);
  });
  return out;
}

llvm::Value* FunctionEmitter::array_creation(const Expr& e, const infer::CallTarget& target, const std::string& fn) {
  Type type = type_of(e);
  const auto& parameters = *infer::creation_parameters(fn);
  auto argument = [&](std::string_view name) -> const Expr* {
    for (size_t i = 0; i < parameters.size(); ++i)
      if (parameters[i] == name) return target.arguments[i];
    return nullptr;
  };
  auto scalar = [&](const Expr* a, Kind to) { return cast_kind(expr(*a), type_of(*a)->kind, to); };
  const Kind dtype = type->dtype;

  if (fn == "empty" || fn == "zeros" || fn == "ones" || fn == "full") {
    std::vector<llvm::Value*> shape = shape_values(*argument("shape"));
    llvm::Value* fill = fn == "full" ? checked_cast_kind(expr(*argument("fill_value")),
                                                         type_of(*argument("fill_value"))->kind, dtype)
                                     : nullptr;
    llvm::Value* array = allocate_array(type, shape);
    if (fn == "zeros") {
      llvm::Value* count = product(shape);
      builder_.CreateMemSet(builder_.CreateExtractValue(array, {kData}), builder_.getInt8(0),
                            builder_.CreateMul(count, builder_.getInt64(static_cast<uint64_t>(types::item_size(dtype)))),
                            llvm::MaybeAlign(64));
    } else if (fn == "ones") {
      fill_array(array, type, cast_kind(int_constant(Kind::PyInt, 1), Kind::PyInt, dtype));
    } else if (fn == "full") {
      fill_array(array, type, fill);
    }
    return array;
  }
  if (fn.size() > 5 && fn.substr(fn.size() - 5) == "_like") {
    const Expr& like = *argument("a");
    llvm::Value* source = expr(like);
    llvm::Value* fill = fn == "full_like" ? cast_kind(expr(*argument("fill_value")),
                                                      type_of(*argument("fill_value"))->kind, dtype)
                                          : nullptr;
    llvm::Value* array = allocate_array(type, shape_of(source, type_of(like)));
    if (fn == "zeros_like") fill_array(array, type, cast_kind(int_constant(Kind::PyInt, 0), Kind::PyInt, dtype));
    if (fn == "ones_like") fill_array(array, type, cast_kind(int_constant(Kind::PyInt, 1), Kind::PyInt, dtype));
    if (fn == "full_like") fill_array(array, type, fill);
    return array;
  }
  if (fn == "arange") {
    // NumPy: length ceil((stop - start) / step), values start + i * step.
    const bool floating = types::is_float(dtype);
    const Kind work = floating ? Kind::PyFloat : Kind::PyInt;
    const Expr* first = argument("start");
    const Expr* second = argument("stop");
    llvm::Value* start = second ? scalar(first, work) : (floating ? float_constant(work, 0.0) : int_constant(work, 0));
    llvm::Value* stop = second ? scalar(second, work) : scalar(first, work);
    llvm::Value* step = argument("step") ? scalar(argument("step"), work)
                                         : (floating ? float_constant(work, 1.0) : int_constant(work, 1));
    llvm::Value* length;
    if (floating) {
      raise_if(builder_.CreateFCmpOEQ(step, float_constant(work, 0.0)), ACCEL_ERROR_ZERO_DIVISION, "division by zero");
      llvm::Value* span = builder_.CreateFDiv(builder_.CreateFSub(stop, start), step);
      llvm::Value* ceiling = builder_.CreateIntrinsic(llvm::Intrinsic::ceil, {span->getType()}, {span});
      // NumPy: a NaN length cannot be computed, one beyond int64 exceeds the maximum size.
      raise_if(builder_.CreateFCmpUNO(ceiling, ceiling), ACCEL_ERROR_VALUE, "arange: cannot compute length");
      raise_if(builder_.CreateFCmpOGE(ceiling, float_constant(work, 9223372036854775808.0)), ACCEL_ERROR_VALUE,
               "Maximum allowed size exceeded");
      length = builder_.CreateFPToSI(builder_.CreateIntrinsic(llvm::Intrinsic::maxnum, {span->getType()},
                                                              {ceiling, float_constant(work, 0.0)}),
                                     builder_.getInt64Ty());
    } else {
      raise_if(builder_.CreateICmpEQ(step, builder_.getInt64(0)), ACCEL_ERROR_ZERO_DIVISION, "division by zero");
      // ceil((stop - start) / step) with Python's floor division: -((start - stop) // step).
      llvm::Value* q = binary(Operator::FloorDiv, builder_.CreateSub(start, stop), types::scalar(Kind::PyInt), step,
                              types::scalar(Kind::PyInt));
      llvm::Value* n = builder_.CreateNeg(q);
      length = builder_.CreateSelect(builder_.CreateICmpSGT(n, builder_.getInt64(0)), n, builder_.getInt64(0));
    }
    llvm::Value* array = allocate_array(type, {length});
    loop_nest({length}, [&](const std::vector<llvm::Value*>& idx) {
      llvm::Value* i = floating ? builder_.CreateSIToFP(idx[0], module_.llvm_type(types::scalar(work))) : idx[0];
      llvm::Value* value = floating ? builder_.CreateFAdd(start, builder_.CreateFMul(i, step))
                                    : builder_.CreateAdd(start, builder_.CreateMul(i, step));
      store_element(element_at(array, type, idx), cast_kind(value, work, dtype), dtype);
    });
    return array;
  }
  // linspace: y[i] = i * step + start with step = (stop - start) / (num - 1); y[-1] = stop.
  llvm::Value* start = scalar(argument("start"), Kind::PyFloat);
  llvm::Value* stop = scalar(argument("stop"), Kind::PyFloat);
  llvm::Value* num = argument("num") ? scalar(argument("num"), Kind::PyInt) : builder_.getInt64(50);
  llvm::Value* endpoint = argument("endpoint") ? truth(expr(*argument("endpoint")), type_of(*argument("endpoint")))
                                               : builder_.getInt1(true);
  raise_if(builder_.CreateICmpSLT(num, builder_.getInt64(0)), ACCEL_ERROR_VALUE,
           "Number of samples, -1, must be non-negative.");
  llvm::Value* div = builder_.CreateSelect(endpoint, builder_.CreateSub(num, builder_.getInt64(1)), num);
  llvm::Value* delta = builder_.CreateFSub(stop, start);
  llvm::Value* div_f = builder_.CreateSIToFP(div, builder_.getDoubleTy());
  llvm::Value* step = builder_.CreateFDiv(delta, div_f);
  llvm::Value* array = allocate_array(type, {num});
  loop_nest({num}, [&](const std::vector<llvm::Value*>& idx) {
    llvm::Value* i = builder_.CreateSIToFP(idx[0], builder_.getDoubleTy());
    // NumPy divides first when the step underflows to zero, and multiplies by delta
    // when there is nothing to divide by.
    llvm::Value* scaled = builder_.CreateSelect(
        builder_.CreateICmpSGT(div, builder_.getInt64(0)),
        builder_.CreateSelect(builder_.CreateFCmpOEQ(step, float_constant(Kind::PyFloat, 0.0)),
                              builder_.CreateFMul(builder_.CreateFDiv(i, div_f), delta), builder_.CreateFMul(i, step)),
        builder_.CreateFMul(i, delta));
    llvm::Value* value = builder_.CreateFAdd(scaled, start);
    llvm::Value* is_last = builder_.CreateAnd(builder_.CreateAnd(endpoint, builder_.CreateICmpSGT(num, builder_.getInt64(1))),
                                              builder_.CreateICmpEQ(idx[0], builder_.CreateSub(num, builder_.getInt64(1))));
    value = builder_.CreateSelect(is_last, stop, value);
    store_element(element_at(array, type, idx), cast_kind(value, Kind::PyFloat, dtype), dtype);
  });
  return array;
}

}  // namespace accel::codegen
