// np.histogram(a, bins=10 | edges, range=None): NumPy's counts and edges, by the
// runtime's two-correction binning (runtime/histogram.h), for data of any numeric dtype.

#include "codegen/array_layout.h"
#include "codegen/call_lowering.h"
#include "infer/call_typing.h"
#include "library/families.h"

namespace accel::library {
namespace {

using codegen::CallLowering;
using codegen::FunctionEmitter;
using codegen::kData;
using codegen::RT;
using frontend::ErrorCode;
using frontend::Expr;
using frontend::fail;
using infer::CallTyping;

struct HistogramCall {
  const Expr* data;
  const Expr* bins;   // nullptr: 10 bins
  const Expr* range;  // nullptr or None: the data's min and max
};

Type type_histogram(CallTyping& call) {
  static const std::vector<std::string_view> parameters = {"a", "bins", "range"};
  std::vector<const Expr*> bound = call.bind(parameters, 1);
  Type data = call.type_of(*bound[0]);
  if (data && (data->kind != Kind::Array || types::is_bool(data->dtype)))
    fail(ErrorCode::TypeMismatch, bound[0]->span, "np.histogram() takes a numeric array here.");
  if (const Expr* bins = bound[1]) {
    Type t = call.type_of(*bins);
    if (t && !(types::is_integer(t->kind) || (t->kind == Kind::Array && t->ndim == 1)))
      fail(ErrorCode::TypeMismatch, bins->span, "bins must be an integer or a 1-d array of edges.");
  }
  const Expr* range = bound[2];
  if (range) {
    Type t = call.type_of(*range);
    if (t && t->kind != Kind::None &&
        !(t->kind == Kind::Tuple && t->elements.size() == 2 && types::is_scalar(t->elements[0]) &&
          types::is_scalar(t->elements[1])))
      fail(ErrorCode::TypeMismatch, range->span, "range must be a (min, max) tuple of numbers.");
    if (t && t->kind == Kind::None) range = nullptr;
  }
  call.facts(HistogramCall{bound[0], bound[1], range});
  return call.result(types::tuple({types::array(Kind::Int64, 1, types::Layout::C),
                                   types::array(Kind::Float64, 1, types::Layout::C)}));
}

// The runtime reads float64 with a stride; anything else is converted once, in C order.
llvm::Value* as_float64_vector(FunctionEmitter& e, llvm::Value* array, Type type) {
  if (type->dtype == Kind::Float64 && type->ndim == 1) return array;
  llvm::IRBuilder<>& b = e.builder();
  llvm::Value* count = e.product(e.shape_of(array, type));
  Type flat = types::array(Kind::Float64, 1, types::Layout::C);
  llvm::Value* out = e.allocate_array(flat, {count});
  auto* position = e.entry_slot(b.getInt64Ty(), "position");
  b.CreateStore(b.getInt64(0), position);
  e.loop_nest(e.shape_of(array, type), [&](const std::vector<llvm::Value*>& index) {
    llvm::Value* k = b.CreateLoad(b.getInt64Ty(), position);
    llvm::Value* v = e.cast_kind(e.load_element(e.element_at(array, type, index), type->dtype), type->dtype, Kind::Float64);
    e.store_element(e.element_at(out, flat, {k}), v, Kind::Float64);
    b.CreateStore(b.CreateAdd(k, b.getInt64(1)), position);
  });
  return out;
}

llvm::Value* lower_histogram(CallLowering& call) {
  FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  const HistogramCall& facts = call.facts<HistogramCall>();
  Type result = call.result_type();
  Type counts_type = result->elements[0];
  Type edges_type = result->elements[1];
  llvm::Value* data = as_float64_vector(e, e.expr(*facts.data), e.type_of(*facts.data));
  Type data_type = types::array(Kind::Float64, 1, types::Layout::Any);
  llvm::Value* data_pointer = b.CreateExtractValue(data, {kData});
  llvm::Value* n = e.dimension(data, 0);
  llvm::Value* data_stride = e.stride(data, data_type, 0);
  llvm::Value *counts, *edges, *status;
  if (facts.bins && e.type_of(*facts.bins)->kind == Kind::Array) {
    // NumPy returns the edges as a new float64 array, never the caller's.
    Type given_type = e.type_of(*facts.bins);
    llvm::Value* given = e.expr(*facts.bins);
    edges = given_type->dtype == Kind::Float64 && given_type->ndim == 1 ? e.copy_array(given, given_type)
                                                                        : as_float64_vector(e, given, given_type);
    llvm::Value* n_edges = e.dimension(edges, 0);
    llvm::Value* n_counts = b.CreateSelect(b.CreateICmpSGT(n_edges, b.getInt64(0)), b.CreateSub(n_edges, b.getInt64(1)),
                                           b.getInt64(0));
    counts = e.allocate_array(counts_type, {n_counts});
    status = b.CreateCall(e.module().runtime(RT::accel_rt_histogram_edges),
                          {data_pointer, n, data_stride, b.CreateExtractValue(edges, {kData}), n_edges,
                           e.stride(edges, edges_type, 0), b.CreateExtractValue(counts, {kData})});
  } else {
    llvm::Value* bin_count =
        facts.bins ? e.cast_kind(e.expr(*facts.bins), e.type_of(*facts.bins)->kind, Kind::PyInt) : b.getInt64(10);
    e.raise_if(b.CreateICmpSLT(bin_count, b.getInt64(1)), ACCEL_ERROR_VALUE, "`bins` must be positive, when an integer");
    llvm::Value* has_range = b.getInt32(0);
    llvm::Value* low = e.float_constant(Kind::PyFloat, 0.0);
    llvm::Value* high = e.float_constant(Kind::PyFloat, 0.0);
    if (facts.range) {
      Type t = e.type_of(*facts.range);
      llvm::Value* pair = e.expr(*facts.range);
      low = e.cast_kind(b.CreateExtractValue(pair, {0u}), t->elements[0]->kind, Kind::PyFloat);
      high = e.cast_kind(b.CreateExtractValue(pair, {1u}), t->elements[1]->kind, Kind::PyFloat);
      has_range = b.getInt32(1);
    }
    counts = e.allocate_array(counts_type, {bin_count});
    edges = e.allocate_array(edges_type, {b.CreateAdd(bin_count, b.getInt64(1))});
    status = b.CreateCall(e.module().runtime(RT::accel_rt_histogram_uniform),
                          {data_pointer, n, data_stride, bin_count, has_range, low, high,
                           b.CreateExtractValue(counts, {kData}), b.CreateExtractValue(edges, {kData})});
  }
  e.propagate_if(b.CreateICmpNE(status, b.getInt32(0)));
  llvm::Value* pair = llvm::UndefValue::get(e.module().llvm_type(result));
  pair = b.CreateInsertValue(pair, counts, {0u});
  return b.CreateInsertValue(pair, edges, {1u});
}

const infer::Builtin kHistogram[] = {
    {"numpy.histogram", type_histogram, lower_histogram},
};

}  // namespace

std::span<const infer::Builtin> numpy_histogram() { return kHistogram; }

}  // namespace accel::library
