// Reductions (sum, mean, min, ...), with or without an axis, and the shape functions
// (reshape, transpose, ravel), np.dot, np.cumsum and np.sort.

#include <llvm/IR/Intrinsics.h>

#include "codegen/array_layout.h"
#include "codegen/function_emitter.h"

namespace accel::codegen {

// The runtime's name for an element type it sorts (runtime/abi.h).
int32_t sort_element(Kind kind) {
  switch (kind) {
    case Kind::Bool: case Kind::UInt8: return ACCEL_SORT_UINT8;
    case Kind::UInt16: return ACCEL_SORT_UINT16;
    case Kind::UInt32: return ACCEL_SORT_UINT32;
    case Kind::UInt64: return ACCEL_SORT_UINT64;
    case Kind::Int8: return ACCEL_SORT_INT8;
    case Kind::Int16: return ACCEL_SORT_INT16;
    case Kind::Int32: return ACCEL_SORT_INT32;
    case Kind::Int64: return ACCEL_SORT_INT64;
    case Kind::Float32: return ACCEL_SORT_FLOAT32;
    case Kind::Float64: return ACCEL_SORT_FLOAT64;
    default: throw std::logic_error("accel: np.sort of an element type the runtime does not sort (a compiler bug)");
  }
}




llvm::Value* FunctionEmitter::reduce_line(const std::string& fn, llvm::Value* data, llvm::Value* n, llvm::Value* step,
                                          Kind dtype, Kind result, bool pairwise, llvm::Value* ddof) {
  auto element = [&](llvm::Value* i) {
    return load_element(builder_.CreateGEP(builder_.getInt8Ty(), data, builder_.CreateMul(i, step)), dtype);
  };
  Type element_type = types::scalar(dtype);
  Type result_type = types::scalar(result);
  // fastmath with reassoc: float sums are a plain loop that LLVM reorders and vectorizes
  // (numba's fastmath changes its sums too), instead of NumPy's pairwise order.
  const bool reorder = builder_.getFastMathFlags().allowReassoc();
  const bool float_sum = types::is_float(result) && pairwise && !reorder;
  auto sum_of = [&](llvm::Value* base, Kind kind) -> llvm::Value* {
    // NumPy sums floats pairwise along a contiguous line; integers in order.
    if (types::is_float(kind) && float_sum && kind == dtype)
      return builder_.CreateCall(module_.runtime(kind == Kind::Float32 ? RT::accel_rt_pairwise_sum_f32 : RT::accel_rt_pairwise_sum_f64),
                                 {base, n, step});
    if (types::is_complex(kind) && pairwise && !reorder && kind == dtype) {
      llvm::AllocaInst* parts = entry_slot(llvm::ArrayType::get(builder_.getDoubleTy(), 2), "complex.sum");
      builder_.CreateCall(module_.runtime(RT::accel_rt_pairwise_sum_complex),
                          {builder_.getInt32(kind == Kind::Complex64), base, n, step, parts});
      return complex_from_slot(parts, kind);
    }
    auto* slot = entry_slot(module_.llvm_type(types::scalar(kind)), "sum");
    builder_.CreateStore(cast_kind(int_constant(Kind::PyInt, 0), Kind::PyInt, kind), slot);
    loop_nest({n}, [&](const std::vector<llvm::Value*>& i) {
      llvm::Value* v = cast_kind(element(i[0]), dtype, kind);
      llvm::Value* total = builder_.CreateLoad(module_.llvm_type(types::scalar(kind)), slot);
      builder_.CreateStore(binary(Operator::Add, total, types::scalar(kind), v, types::scalar(kind)), slot);
    });
    return builder_.CreateLoad(module_.llvm_type(types::scalar(kind)), slot);
  };
  const bool saved = numpy_semantics_;
  numpy_semantics_ = true;
  llvm::Value* out = nullptr;
  if (fn == "sum") {
    out = sum_of(data, result);
  } else if (fn == "mean" && types::is_complex(result)) {
    // NumPy's complex mean: the sum divided by the count (an int64, so complex64 divides
    // as complex128), then cast back.
    llvm::Value* count = cast_kind(n, Kind::Int64, Kind::Complex128);
    llvm::Value* total = cast_kind(sum_of(data, result), result, Kind::Complex128);
    out = cast_kind(complex_binary(Operator::Div, total, count, Kind::Complex128), Kind::Complex128, result);
  } else if (fn == "mean" || fn == "var" || fn == "std") {
    // Floats are summed pairwise in their own kind; integers are added as float64.
    llvm::Value* count = builder_.CreateSIToFP(n, module_.llvm_type(result_type));
    llvm::Value* total = sum_of(data, result);
    llvm::Value* mean = builder_.CreateFDiv(total, count);
    out = mean;
    if (fn != "mean") {
      // NumPy: the squared deviations, summed (pairwise when contiguous), over n - ddof.
      llvm::Type* float_type = module_.llvm_type(result_type);
      llvm::Value* sum = nullptr;
      if (reorder) {  // a loop LLVM may reorder, with no array of squares
        auto* slot = entry_slot(float_type, "squares");
        builder_.CreateStore(llvm::ConstantFP::get(float_type, 0.0), slot);
        loop_nest({n}, [&](const std::vector<llvm::Value*>& i) {
          llvm::Value* d = builder_.CreateFSub(cast_kind(element(i[0]), dtype, result), mean);
          builder_.CreateStore(builder_.CreateFAdd(builder_.CreateLoad(float_type, slot), builder_.CreateFMul(d, d)), slot);
        });
        sum = builder_.CreateLoad(float_type, slot);
      } else {
        Type squares_type = types::array(result, 1, types::Layout::C);
        llvm::Value* squares = allocate_array(squares_type, {n});
        loop_nest({n}, [&](const std::vector<llvm::Value*>& i) {
          llvm::Value* d = builder_.CreateFSub(cast_kind(element(i[0]), dtype, result), mean);
          store_element(element_at(squares, squares_type, {i[0]}), builder_.CreateFMul(d, d), result);
        });
        llvm::Value* squares_data = builder_.CreateExtractValue(squares, {kData});
        sum = builder_.CreateCall(
            module_.runtime(result == Kind::Float32 ? RT::accel_rt_pairwise_sum_f32 : RT::accel_rt_pairwise_sum_f64),
            {squares_data, n, builder_.getInt64(static_cast<uint64_t>(types::item_size(result)))});
      }
      llvm::Value* degrees = builder_.CreateSub(n, ddof ? ddof : builder_.getInt64(0));
      degrees = builder_.CreateSelect(builder_.CreateICmpSLT(degrees, builder_.getInt64(0)), builder_.getInt64(0), degrees);
      out = builder_.CreateFDiv(sum, builder_.CreateSIToFP(degrees, module_.llvm_type(result_type)));
      if (fn == "std") out = builder_.CreateIntrinsic(llvm::Intrinsic::sqrt, {out->getType()}, {out});
    }
  } else if (fn == "prod") {
    auto* slot = entry_slot(module_.llvm_type(result_type), "prod");
    builder_.CreateStore(cast_kind(int_constant(Kind::PyInt, 1), Kind::PyInt, result), slot);
    // NumPy reduces a line with its scalar loop, but rows (an axis before the last) with
    // the array loop, which fuses complex products: the same choice here.
    numpy_semantics_ = !(types::is_complex(result) && pairwise);
    loop_nest({n}, [&](const std::vector<llvm::Value*>& i) {
      llvm::Value* v = cast_kind(element(i[0]), dtype, result);
      builder_.CreateStore(binary(Operator::Mult, builder_.CreateLoad(module_.llvm_type(result_type), slot), result_type, v, result_type), slot);
    });
    numpy_semantics_ = true;
    out = builder_.CreateLoad(module_.llvm_type(result_type), slot);
  } else if (fn == "any" || fn == "all") {
    auto* slot = entry_slot(builder_.getInt1Ty(), "truth");
    builder_.CreateStore(builder_.getInt1(fn == "all"), slot);
    loop_nest({n}, [&](const std::vector<llvm::Value*>& i) {
      llvm::Value* t = truth(element(i[0]), element_type);
      llvm::Value* so_far = builder_.CreateLoad(builder_.getInt1Ty(), slot);
      builder_.CreateStore(fn == "all" ? builder_.CreateAnd(so_far, t) : builder_.CreateOr(so_far, t), slot);
    });
    out = builder_.CreateLoad(builder_.getInt1Ty(), slot);
  } else {
    // min, max, argmin, argmax: the first element, then NumPy's rules (NaN wins, first
    // occurrence for ties).
    const bool is_min = fn == "min" || fn == "amin" || fn == "argmin";
    const bool is_arg = fn == "argmin" || fn == "argmax";
    std::string message = is_arg ? std::string("attempt to get ") + fn + " of an empty sequence"
                                 : std::string("zero-size array to reduction operation ") + (is_min ? "minimum" : "maximum") +
                                       " which has no identity";
    raise_if(builder_.CreateICmpEQ(n, builder_.getInt64(0)), ACCEL_ERROR_VALUE, message.c_str());
    llvm::Type* t = module_.llvm_type(element_type);
    auto* best = entry_slot(t, "best");
    auto* where = entry_slot(builder_.getInt64Ty(), "where");
    builder_.CreateStore(element(builder_.getInt64(0)), best);
    if (!is_arg && types::is_float(dtype)) {
      // IEEE minimum/maximum: a NaN wins, as in NumPy, and LLVM vectorizes the reduction
      // (a select on compares it does not: 3x slower). Ties of -0.0 and 0.0 differ
      // from NumPy's (docs/semantics.md #51).
      const auto id = is_min ? llvm::Intrinsic::minimum : llvm::Intrinsic::maximum;
      loop_nest({n}, [&](const std::vector<llvm::Value*>& i) {
        builder_.CreateStore(builder_.CreateBinaryIntrinsic(id, builder_.CreateLoad(t, best), element(i[0])), best);
      });
      numpy_semantics_ = saved;
      return builder_.CreateLoad(t, best);
    }
    builder_.CreateStore(builder_.getInt64(0), where);
    loop_nest({n}, [&](const std::vector<llvm::Value*>& i) {
      llvm::Value* v = element(i[0]);
      llvm::Value* b = builder_.CreateLoad(t, best);
      llvm::Value* better = compare_values(is_min ? Operator::Lt : Operator::Gt, v, element_type, b, element_type);
      if (types::is_float(dtype))  // a NaN is taken (first one), and then kept
        better = builder_.CreateAnd(builder_.CreateOr(better, builder_.CreateFCmpUNO(v, v)),
                                    builder_.CreateNot(builder_.CreateFCmpUNO(b, b)));
      builder_.CreateStore(builder_.CreateSelect(better, v, b), best);
      builder_.CreateStore(builder_.CreateSelect(better, i[0], builder_.CreateLoad(builder_.getInt64Ty(), where)), where);
    });
    out = is_arg ? builder_.CreateLoad(builder_.getInt64Ty(), where) : builder_.CreateLoad(t, best);
  }
  numpy_semantics_ = saved;
  return out;
}

llvm::Value* FunctionEmitter::reduction(const Expr& e, const infer::CallTarget& target, const std::string& fn, int axis) {
  const Expr& array_expr = *target.arguments[0];
  Type type = type_of(array_expr);
  llvm::Value* array = expr(array_expr);
  Type result = type_of(e);
  const Kind result_kind = result->kind == Kind::Array ? result->dtype : result->kind;
  llvm::Value* ddof = nullptr;
  if (fn == "std" || fn == "var")
    if (const Expr* d = target.arguments.size() > 4 ? target.arguments[4] : nullptr)
      ddof = cast_kind(expr(*d), type_of(*d)->kind, Kind::PyInt);
  if (axis < 0) {
    // Everything: a C array is one contiguous line; otherwise copy it into one first.
    llvm::Value* line = type->layout == types::Layout::C ? array : copy_array(array, type);
    llvm::Value* count = product(shape_of(array, type));
    return reduce_line(fn, builder_.CreateExtractValue(line, {kData}), count,
                       builder_.getInt64(static_cast<uint64_t>(types::item_size(type->dtype))), type->dtype, result_kind,
                       /*pairwise=*/true, ddof);
  }
  // One axis: a result element per position of the other axes. NumPy sums pairwise only
  // along the last axis (contiguous); along others it adds rows in order.
  std::vector<llvm::Value*> shape = shape_of(array, type);
  std::vector<llvm::Value*> out_shape;
  for (int k = 0; k < type->ndim; ++k)
    if (k != axis) out_shape.push_back(shape[static_cast<size_t>(k)]);
  llvm::Value* out = allocate_array(result, out_shape);
  loop_nest(out_shape, [&](const std::vector<llvm::Value*>& index) {
    std::vector<llvm::Value*> full;
    size_t j = 0;
    for (int k = 0; k < type->ndim; ++k) full.push_back(k == axis ? builder_.getInt64(0) : index[j++]);
    llvm::Value* start = element_at(array, type, full);
    llvm::Value* value = reduce_line(fn, start, shape[static_cast<size_t>(axis)], stride(array, type, axis), type->dtype,
                                     result_kind, /*pairwise=*/axis == type->ndim - 1, ddof);
    store_element(element_at(out, result, index), value, result_kind);
  });
  return out;
}

llvm::Value* FunctionEmitter::array_function_call(const Expr& e, const infer::CallTarget& target, const std::string& name) {
  const size_t at = name.find('@');
  const std::string fn = name.substr(0, at);
  const int axis = at == std::string::npos ? -1 : std::stoi(name.substr(at + 1));
  const Expr& array_expr = *target.arguments[0];
  Type type = type_of(array_expr);
  Type result = type_of(e);
  if (fn == "astype") return cast_copy(expr(array_expr), type, result->dtype);
  if (fn == "fill") {
    assign_elements(expr(array_expr), type, *target.arguments[1], std::nullopt);
    return no_value();
  }
  if (fn == "item") {
    llvm::Value* array = expr(array_expr);
    raise_if(builder_.CreateICmpNE(product(shape_of(array, type)), builder_.getInt64(1)), ACCEL_ERROR_VALUE,
             "can only convert an array of size 1 to a Python scalar");
    llvm::Value* element = load_element(builder_.CreateExtractValue(array, {kData}), type->dtype);
    return cast_kind(element, type->dtype, result->kind);
  }
  if (fn == "copy" || fn == "flatten") {
    llvm::Value* copy = copy_array(expr(array_expr), type);
    if (fn == "copy") return copy;
    Type copy_type = types::array(type->dtype, type->ndim, types::Layout::C);
    return reshaped(copy, copy_type, result, {product(shape_of(copy, copy_type))});
  }
  if (fn == "transpose") return transposed(expr(array_expr), type);
  if (fn == "ravel" || fn == "reshape") {
    llvm::Value* array = expr(array_expr);
    std::vector<llvm::Value*> shape;
    if (fn == "ravel") {
      llvm::Value* count = product(shape_of(array, type));
      shape.push_back(count);
    } else if (target.arguments.size() > 2) {
      for (size_t i = 1; i < target.arguments.size(); ++i) shape.push_back(shape_values(*target.arguments[i])[0]);
    } else {
      shape = shape_values(*target.arguments[1]);
    }
    // A C array is reshaped in place (a view); anything else is copied first, as NumPy
    // copies when no view can have the new shape.
    if (type->layout != types::Layout::C) {
      array = copy_array(array, type);
      type = types::array(type->dtype, type->ndim, types::Layout::C);
    }
    return reshaped(array, type, result, shape);
  }
  if (fn == "dot")
    return dot(expr(array_expr), type, expr(*target.arguments[1]), type_of(*target.arguments[1]), result,
               "shapes not aligned for np.dot");
  if (fn == "cumsum") {
    llvm::Value* array = expr(array_expr);
    llvm::Value* line = type->layout == types::Layout::C ? array : copy_array(array, type);
    llvm::Value* count = product(shape_of(array, type));
    llvm::Value* out = allocate_array(result, {count});
    Type line_type = types::array(type->dtype, 1, types::Layout::C);
    Type kind = types::scalar(result->dtype);
    auto* total = entry_slot(module_.llvm_type(kind), "running");
    builder_.CreateStore(cast_kind(int_constant(Kind::PyInt, 0), Kind::PyInt, result->dtype), total);
    const bool saved = numpy_semantics_;
    numpy_semantics_ = true;
    loop_nest({count}, [&](const std::vector<llvm::Value*>& i) {
      llvm::Value* v = cast_kind(load_element(element_at(line, line_type, i), type->dtype), type->dtype, result->dtype);
      llvm::Value* next = binary(Operator::Add, builder_.CreateLoad(module_.llvm_type(kind), total), kind, v, kind);
      builder_.CreateStore(next, total);
      store_element(element_at(out, result, i), next, result->dtype);
    });
    numpy_semantics_ = saved;
    return out;
  }
  if (fn == "sort") {
    llvm::Value* out = copy_array(expr(array_expr), type);
    std::vector<llvm::Value*> shape = shape_of(out, result);
    llvm::Value* length = shape.back();
    shape.pop_back();
    loop_nest(shape, [&](const std::vector<llvm::Value*>& index) {
      std::vector<llvm::Value*> full = index;
      full.push_back(builder_.getInt64(0));
      builder_.CreateCall(module_.runtime(RT::accel_rt_sort),
                          {element_at(out, result, full), length, builder_.getInt32(sort_element(result->dtype))});
    });
    return out;
  }
  return reduction(e, target, fn, axis);
}

llvm::Value* FunctionEmitter::reshaped(llvm::Value* array, Type type, Type result, std::vector<llvm::Value*> shape) {
  // One -1 takes what is left; the total must not change.
  llvm::Value* total = product(shape_of(array, type));
  llvm::Value* unknowns = builder_.getInt64(0);
  std::vector<llvm::Value*> known_extents;
  for (llvm::Value* extent : shape) {
    auto* is_unknown = builder_.CreateICmpEQ(extent, builder_.getInt64(static_cast<uint64_t>(-1)));
    known_extents.push_back(builder_.CreateSelect(is_unknown, builder_.getInt64(1), extent));
    unknowns = builder_.CreateAdd(unknowns, builder_.CreateZExt(is_unknown, builder_.getInt64Ty()));
  }
  // A shape whose size overflows can wrap around to the array's size: refused too.
  llvm::Value* overflowed = nullptr;
  llvm::Value* known = checked_product(known_extents, overflowed);
  raise_if(builder_.CreateICmpUGT(unknowns, builder_.getInt64(1)), ACCEL_ERROR_VALUE, "can only specify one unknown dimension");
  auto* safe_known = builder_.CreateSelect(builder_.CreateICmpEQ(known, builder_.getInt64(0)), builder_.getInt64(1), known);
  llvm::Value* inferred = builder_.CreateSDiv(total, safe_known);
  llvm::Value* product = builder_.getInt64(1);
  for (llvm::Value*& extent : shape) {
    extent = builder_.CreateSelect(builder_.CreateICmpEQ(extent, builder_.getInt64(static_cast<uint64_t>(-1))), inferred, extent);
    product = builder_.CreateMul(product, extent);
  }
  llvm::Value* bad = builder_.CreateOr(builder_.CreateICmpNE(product, total), overflowed);
  for (llvm::Value* extent : shape) bad = builder_.CreateOr(bad, builder_.CreateICmpSLT(extent, builder_.getInt64(0)));
  raise_if(bad, ACCEL_ERROR_VALUE, "cannot reshape array into the requested shape: the number of elements differs");
  llvm::Value* out = llvm::UndefValue::get(module_.llvm_type(result));
  out = builder_.CreateInsertValue(out, builder_.CreateExtractValue(array, {kMeminfo}), {kMeminfo});
  out = builder_.CreateInsertValue(out, builder_.CreateExtractValue(array, {kData}), {kData});
  llvm::Value* s = builder_.getInt64(static_cast<uint64_t>(types::item_size(type->dtype)));
  for (int k = result->ndim - 1; k >= 0; --k) {
    out = builder_.CreateInsertValue(out, shape[static_cast<size_t>(k)], {kShape, static_cast<unsigned>(k)});
    out = builder_.CreateInsertValue(out, s, {kStrides, static_cast<unsigned>(k)});
    s = builder_.CreateMul(s, shape[static_cast<size_t>(k)]);
  }
  return out;
}

llvm::Value* FunctionEmitter::blas_product(llvm::Value* a, Type a_type, llvm::Value* b, Type b_type, Type result) {
  // As a (m x k) @ b (k x n) matrix product: a vector on the left is one row, on the right
  // one column (its stride on the other axis never matters).
  llvm::Value* zero = builder_.getInt64(0);
  llvm::Value* one = builder_.getInt64(1);
  const bool a_matrix = a_type->ndim == 2, b_matrix = b_type->ndim == 2;
  llvm::Value* m = a_matrix ? dimension(a, 0) : one;
  llvm::Value* k = dimension(a, a_type->ndim - 1);
  llvm::Value* n = b_matrix ? dimension(b, 1) : one;
  llvm::Value* a0 = a_matrix ? stride(a, a_type, 0) : zero;
  llvm::Value* a1 = stride(a, a_type, a_type->ndim - 1);
  llvm::Value* b0 = stride(b, b_type, 0);
  llvm::Value* b1 = b_matrix ? stride(b, b_type, 1) : zero;
  const Kind kind = result->kind == Kind::Array ? result->dtype : result->kind;
  llvm::Value* out;
  llvm::Value* destination;
  if (result->kind == Kind::Array) {
    std::vector<llvm::Value*> shape;
    if (a_matrix) shape.push_back(m);
    if (b_matrix) shape.push_back(n);
    out = allocate_array(result, shape);
    destination = builder_.CreateExtractValue(out, {kData});
  } else {
    destination = entry_slot(module_.llvm_type(result), "product");
    out = nullptr;
  }
  auto* status = builder_.CreateCall(
      module_.runtime(RT::accel_rt_matrix_product),
      {builder_.getInt32(kind == Kind::Float32 ? 1 : 0), m, n, k, builder_.CreateExtractValue(a, {kData}), a0, a1,
       builder_.CreateExtractValue(b, {kData}), b0, b1, destination});
  propagate_if(builder_.CreateICmpNE(status, builder_.getInt32(0)));
  return out ? out : builder_.CreateLoad(module_.llvm_type(result), destination);
}

llvm::Value* FunctionEmitter::dot(llvm::Value* a, Type a_type, llvm::Value* b, Type b_type, Type result,
                                  const char* mismatch) {
  // Sums of products in order; NumPy's BLAS may round differently in the last bits.
  const Kind kind = result->kind == Kind::Array ? result->dtype : result->kind;
  Type k_type = types::scalar(kind);
  llvm::Value* inner_a = dimension(a, a_type->ndim - 1);
  llvm::Value* inner_b = dimension(b, 0);
  raise_if(builder_.CreateICmpNE(inner_a, inner_b), ACCEL_ERROR_VALUE, mismatch);
  if ((kind == Kind::Float64 || kind == Kind::Float32) && a_type->dtype == kind && b_type->dtype == kind)
    return blas_product(a, a_type, b, b_type, result);
  const bool saved = numpy_semantics_;
  numpy_semantics_ = true;
  auto product_sum = [&](const std::vector<llvm::Value*>& a_prefix, const std::vector<llvm::Value*>& b_suffix) {
    auto* slot = entry_slot(module_.llvm_type(k_type), "dot");
    builder_.CreateStore(cast_kind(int_constant(Kind::PyInt, 0), Kind::PyInt, kind), slot);
    loop_nest({inner_a}, [&](const std::vector<llvm::Value*>& k) {
      std::vector<llvm::Value*> ai = a_prefix, bi = {k[0]};
      ai.push_back(k[0]);
      bi.insert(bi.end(), b_suffix.begin(), b_suffix.end());
      llvm::Value* x = cast_kind(load_element(element_at(a, a_type, ai), a_type->dtype), a_type->dtype, kind);
      llvm::Value* y = cast_kind(load_element(element_at(b, b_type, bi), b_type->dtype), b_type->dtype, kind);
      llvm::Value* total = builder_.CreateLoad(module_.llvm_type(k_type), slot);
      builder_.CreateStore(binary(Operator::Add, total, k_type, binary(Operator::Mult, x, k_type, y, k_type), k_type), slot);
    });
    return builder_.CreateLoad(module_.llvm_type(k_type), slot);
  };
  llvm::Value* out;
  if (result->kind != Kind::Array) {
    out = product_sum({}, {});
  } else {
    std::vector<llvm::Value*> shape;
    if (a_type->ndim == 2) shape.push_back(dimension(a, 0));
    if (b_type->ndim == 2) shape.push_back(dimension(b, 1));
    out = allocate_array(result, shape);
    loop_nest(shape, [&](const std::vector<llvm::Value*>& index) {
      std::vector<llvm::Value*> a_prefix, b_suffix;
      size_t j = 0;
      if (a_type->ndim == 2) a_prefix.push_back(index[j++]);
      if (b_type->ndim == 2) b_suffix.push_back(index[j++]);
      store_element(element_at(out, result, index), product_sum(a_prefix, b_suffix), kind);
    });
  }
  numpy_semantics_ = saved;
  return out;
}

}  // namespace accel::codegen
