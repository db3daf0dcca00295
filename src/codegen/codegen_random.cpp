// np.random's legacy functions and np.histogram: calls into the runtime's NumPy-exact
// implementations (runtime/legacy_random.h, runtime/histogram.h).

#include "codegen/array_layout.h"
#include "codegen/function_emitter.h"

namespace accel::codegen {

llvm::Value* FunctionEmitter::as_float64_vector(llvm::Value* array, Type type) {
  // The runtime reads float64 with a stride; anything else is converted once, in C order.
  if (type->dtype == Kind::Float64 && type->ndim == 1) return array;
  llvm::Value* count = product(shape_of(array, type));
  Type flat = types::array(Kind::Float64, 1, types::Layout::C);
  llvm::Value* out = allocate_array(flat, {count});
  auto* position = entry_slot(builder_.getInt64Ty(), "position");
  builder_.CreateStore(builder_.getInt64(0), position);
  loop_nest(shape_of(array, type), [&](const std::vector<llvm::Value*>& index) {
    llvm::Value* k = builder_.CreateLoad(builder_.getInt64Ty(), position);
    llvm::Value* v = cast_kind(load_element(element_at(array, type, index), type->dtype), type->dtype, Kind::Float64);
    store_element(element_at(out, flat, {k}), v, Kind::Float64);
    builder_.CreateStore(builder_.CreateAdd(k, builder_.getInt64(1)), position);
  });
  return out;
}

llvm::Value* FunctionEmitter::random_call(const Expr& e, const infer::CallTarget& target, const std::string& fn) {
  Type result = type_of(e);
  auto* f64 = builder_.getDoubleTy();
  auto argument = [&](size_t i) -> const Expr* {
    return i < target.arguments.size() ? target.arguments[i] : nullptr;
  };
  auto number = [&](const Expr* a, Kind kind, llvm::Value* fallback) {
    return a ? cast_kind(expr(*a), type_of(*a)->kind, kind) : fallback;
  };
  if (fn == "seed") {
    if (const Expr* seed = argument(0)) {
      llvm::Value* status = builder_.CreateCall(module_.runtime(RT::accel_rt_random_seed), {number(seed, Kind::PyInt, nullptr)});
      propagate_if(builder_.CreateICmpNE(status, builder_.getInt32(0)));
    } else {
      builder_.CreateCall(module_.runtime(RT::accel_rt_random_seed_entropy));
    }
    return llvm::ConstantStruct::get(llvm::StructType::get(context_, {}), {});
  }
  // One draw, as the generator's function for it produces it.
  std::function<llvm::Value*()> draw;
  if (fn == "rand" || fn == "random" || fn == "random_sample") {
    draw = [&] { return builder_.CreateCall(module_.runtime(RT::accel_rt_random_sample)); };
  } else if (fn == "randn") {
    draw = [&] { return builder_.CreateCall(module_.runtime(RT::accel_rt_random_gauss)); };
  } else {
    const bool is_randint = fn == "randint";
    // uniform(low=0, high=1), normal(loc=0, scale=1), randint(low, high=None).
    llvm::Value* a = number(argument(0), is_randint ? Kind::PyInt : Kind::PyFloat, float_constant(Kind::PyFloat, 0.0));
    llvm::Value* b = number(argument(1), is_randint ? Kind::PyInt : Kind::PyFloat,
                            is_randint ? nullptr : float_constant(Kind::PyFloat, 1.0));
    if (is_randint && !b) {  // randint(high) draws from [0, high)
      b = a;
      a = builder_.getInt64(0);
    }
    RT function = is_randint ? RT::accel_rt_random_randint : fn == "uniform" ? RT::accel_rt_random_uniform
                                                                                     : RT::accel_rt_random_normal;
    llvm::Type* out_type = is_randint ? builder_.getInt64Ty() : f64;
    auto* out = entry_slot(out_type, "draw");
    draw = [=, this] {
      llvm::Value* status = builder_.CreateCall(module_.runtime(function), {a, b, out});
      propagate_if(builder_.CreateICmpNE(status, builder_.getInt32(0)));
      return builder_.CreateLoad(out_type, out);
    };
  }
  if (result->kind != Kind::Array) return draw();
  // Arrays: the shape from the dimensions (rand, randn) or size=, filled in C order.
  std::vector<llvm::Value*> shape;
  if (fn == "rand" || fn == "randn") {
    for (const Expr* a : target.arguments) shape.push_back(number(a, Kind::PyInt, nullptr));
  } else {
    shape = shape_values(*target.arguments.back());
  }
  llvm::Value* array = allocate_array(result, shape);
  if (fn == "rand" || fn == "randn" || fn == "random" || fn == "random_sample") {
    llvm::Value* count = product(shape);
    builder_.CreateCall(module_.runtime(fn == "randn" ? RT::accel_rt_random_fill_gauss : RT::accel_rt_random_fill_sample),
                        {builder_.CreateExtractValue(array, {kData}), count});
    return array;
  }
  loop_nest(shape, [&](const std::vector<llvm::Value*>& index) {
    store_element(element_at(array, result, index), draw(), result->dtype);
  });
  return array;
}

llvm::Value* FunctionEmitter::histogram_call(const Expr& e, const infer::CallTarget& target) {
  Type result = type_of(e);
  Type counts_type = result->elements[0];
  Type edges_type = result->elements[1];
  const Expr& data_expr = *target.arguments[0];
  llvm::Value* data = as_float64_vector(expr(data_expr), type_of(data_expr));
  Type data_type = types::array(Kind::Float64, 1, types::Layout::Any);
  llvm::Value* data_pointer = builder_.CreateExtractValue(data, {kData});
  llvm::Value* n = dimension(data, 0);
  llvm::Value* data_stride = stride(data, data_type, 0);
  const Expr* bins = target.arguments[1];
  llvm::Value *counts, *edges, *status;
  if (bins && type_of(*bins)->kind == Kind::Array) {
    // NumPy returns the edges as a new float64 array, never the caller's.
    llvm::Value* given = expr(*bins);
    edges = type_of(*bins)->dtype == Kind::Float64 && type_of(*bins)->ndim == 1 ? copy_array(given, type_of(*bins))
                                                                                 : as_float64_vector(given, type_of(*bins));
    llvm::Value* n_edges = dimension(edges, 0);
    llvm::Value* n_counts = builder_.CreateSelect(builder_.CreateICmpSGT(n_edges, builder_.getInt64(0)),
                                                  builder_.CreateSub(n_edges, builder_.getInt64(1)), builder_.getInt64(0));
    counts = allocate_array(counts_type, {n_counts});
    status = builder_.CreateCall(module_.runtime(RT::accel_rt_histogram_edges),
                                 {data_pointer, n, data_stride, builder_.CreateExtractValue(edges, {kData}), n_edges,
                                  stride(edges, edges_type, 0), builder_.CreateExtractValue(counts, {kData})});
  } else {
    llvm::Value* bin_count = bins ? cast_kind(expr(*bins), type_of(*bins)->kind, Kind::PyInt) : builder_.getInt64(10);
    raise_if(builder_.CreateICmpSLT(bin_count, builder_.getInt64(1)), ACCEL_ERROR_VALUE,
             "`bins` must be positive, when an integer");
    llvm::Value* has_range = builder_.getInt32(0);
    llvm::Value* low = float_constant(Kind::PyFloat, 0.0);
    llvm::Value* high = float_constant(Kind::PyFloat, 0.0);
    if (const Expr* range = target.arguments[2]; range && type_of(*range)->kind == Kind::Tuple) {
      Type t = type_of(*range);
      llvm::Value* pair = expr(*range);
      low = cast_kind(builder_.CreateExtractValue(pair, {0u}), t->elements[0]->kind, Kind::PyFloat);
      high = cast_kind(builder_.CreateExtractValue(pair, {1u}), t->elements[1]->kind, Kind::PyFloat);
      has_range = builder_.getInt32(1);
    }
    counts = allocate_array(counts_type, {bin_count});
    edges = allocate_array(edges_type, {builder_.CreateAdd(bin_count, builder_.getInt64(1))});
    status = builder_.CreateCall(module_.runtime(RT::accel_rt_histogram_uniform),
                                 {data_pointer, n, data_stride, bin_count, has_range, low, high,
                                  builder_.CreateExtractValue(counts, {kData}), builder_.CreateExtractValue(edges, {kData})});
  }
  propagate_if(builder_.CreateICmpNE(status, builder_.getInt32(0)));
  llvm::Value* pair = llvm::UndefValue::get(module_.llvm_type(result));
  pair = builder_.CreateInsertValue(pair, counts, {0u});
  return builder_.CreateInsertValue(pair, edges, {1u});
}

}  // namespace accel::codegen
