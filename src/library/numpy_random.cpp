// np.random's legacy functions: the same numbers as NumPy's global RandomState for the
// same seed, drawn by the runtime's MT19937 (runtime/legacy_random.h) on the calling thread.

#include "codegen/array_layout.h"
#include "codegen/call_lowering.h"
#include "infer/call_typing.h"
#include "library/families.h"

namespace accel::library {
namespace {

using codegen::CallLowering;
using codegen::RT;
using frontend::ErrorCode;
using frontend::Expr;
using frontend::fail;
using infer::CallTyping;

enum class Draw { Seed, Sample, Gauss, Randint, Uniform, Normal };

// What a call asks for: the typing binds NumPy's parameters, the lowering reads them here.
struct RandomCall {
  Draw draw;
  const Expr* first = nullptr;   // seed, low or loc
  const Expr* second = nullptr;  // high or scale
  const Expr* size = nullptr;    // size=, a shape
  std::vector<const Expr*> dimensions;  // rand(2, 3), randn(4)
};

struct RandomFunction {
  std::string_view name;
  Draw draw;
  std::vector<std::string_view> parameters;  // empty for rand/randn, which take dimensions
  size_t required;
};

const RandomFunction kFunctions[] = {
    {"numpy.random.seed", Draw::Seed, {"seed"}, 0},
    {"numpy.random.rand", Draw::Sample, {}, 0},
    {"numpy.random.randn", Draw::Gauss, {}, 0},
    {"numpy.random.random", Draw::Sample, {"size"}, 0},
    {"numpy.random.random_sample", Draw::Sample, {"size"}, 0},
    {"numpy.random.uniform", Draw::Uniform, {"low", "high", "size"}, 0},
    {"numpy.random.normal", Draw::Normal, {"loc", "scale", "size"}, 0},
    {"numpy.random.randint", Draw::Randint, {"low", "high", "size"}, 1},
};

const RandomFunction& function_named(std::string_view name) {
  for (const auto& f : kFunctions)
    if (f.name == name) return f;
  throw std::logic_error("accel: np.random function without a table row (a compiler bug)");
}

Type type_random(CallTyping& call) {
  const RandomFunction& f = function_named(call.name());
  const bool integral = f.draw == Draw::Randint || f.draw == Draw::Seed;
  bool unknown = false;
  auto number = [&](const Expr* a, bool whole) {
    Type t = call.type_of(*a);
    if (t && (!types::is_scalar(t) || (whole && types::is_float(t->kind))))
      fail(ErrorCode::TypeMismatch, a->span, call.display() + "() takes " + (whole ? "an integer" : "a number") +
                                                 " here, not a " + types::name(t) + ".");
    unknown = unknown || !t;
  };
  RandomCall facts{f.draw};
  int ndim = 0;
  if (f.parameters.empty()) {  // rand(d0, d1, ...), randn(...)
    auto args = call.positional();
    if (!args) return nullptr;
    for (size_t i = 0; i < args->size(); ++i) {
      const Expr* dimension = call.expression().operands[i + 1].get();
      number(dimension, true);
      facts.dimensions.push_back(dimension);
    }
    ndim = static_cast<int>(facts.dimensions.size());
  } else {
    std::vector<const Expr*> bound = call.bind(f.parameters, f.required);
    for (size_t i = 0; i < f.parameters.size(); ++i) {
      const Expr* a = bound[i];
      if (!a) continue;
      if (f.parameters[i] == "size") {
        facts.size = a;
        ndim = call.shape_rank(*a);
        unknown = unknown || ndim < 0;
      } else {
        number(a, integral);
        (i == 0 ? facts.first : facts.second) = a;
      }
    }
  }
  if (unknown) return nullptr;
  call.facts(std::move(facts));
  if (f.draw == Draw::Seed) return call.result(types::none());
  if (ndim == 0) return call.result(types::scalar(f.draw == Draw::Randint ? Kind::PyInt : Kind::PyFloat));
  return call.result(types::array(f.draw == Draw::Randint ? Kind::Int64 : Kind::Float64, ndim, types::Layout::C));
}

llvm::Value* lower_random(CallLowering& call) {
  codegen::FunctionEmitter& e = call.emitter();
  llvm::IRBuilder<>& b = call.builder();
  const RandomCall& facts = call.facts<RandomCall>();
  Type result = call.result_type();
  auto number = [&](const Expr* a, Kind kind, llvm::Value* fallback) {
    return a ? e.cast_kind(e.expr(*a), e.type_of(*a)->kind, kind) : fallback;
  };
  if (facts.draw == Draw::Seed) {
    if (facts.first) {
      llvm::Value* status = b.CreateCall(e.module().runtime(RT::accel_rt_random_seed), {number(facts.first, Kind::PyInt, nullptr)});
      e.propagate_if(b.CreateICmpNE(status, b.getInt32(0)));
    } else {
      b.CreateCall(e.module().runtime(RT::accel_rt_random_seed_entropy));
    }
    return e.no_value();
  }
  // One draw, as the generator's function for it produces it.
  std::function<llvm::Value*()> draw;
  if (facts.draw == Draw::Sample) {
    draw = [&] { return b.CreateCall(e.module().runtime(RT::accel_rt_random_sample)); };
  } else if (facts.draw == Draw::Gauss) {
    draw = [&] { return b.CreateCall(e.module().runtime(RT::accel_rt_random_gauss)); };
  } else {
    const bool is_randint = facts.draw == Draw::Randint;
    // uniform(low=0, high=1), normal(loc=0, scale=1), randint(low, high=None).
    llvm::Value* low = number(facts.first, is_randint ? Kind::PyInt : Kind::PyFloat, e.float_constant(Kind::PyFloat, 0.0));
    llvm::Value* high = number(facts.second, is_randint ? Kind::PyInt : Kind::PyFloat,
                               is_randint ? nullptr : e.float_constant(Kind::PyFloat, 1.0));
    if (is_randint && !high) {  // randint(high) draws from [0, high)
      high = low;
      low = b.getInt64(0);
    }
    const RT function = is_randint ? RT::accel_rt_random_randint
                        : facts.draw == Draw::Uniform ? RT::accel_rt_random_uniform
                                                      : RT::accel_rt_random_normal;
    llvm::Type* out_type = is_randint ? b.getInt64Ty() : b.getDoubleTy();
    auto* out = e.entry_slot(out_type, "draw");
    draw = [&e, &b, low, high, out, out_type, function] {
      llvm::Value* status = b.CreateCall(e.module().runtime(function), {low, high, out});
      e.propagate_if(b.CreateICmpNE(status, b.getInt32(0)));
      return b.CreateLoad(out_type, out);
    };
  }
  if (result->kind != Kind::Array) return draw();
  // Arrays: the shape from the dimensions (rand, randn) or size=, filled in C order.
  std::vector<llvm::Value*> shape;
  for (const Expr* d : facts.dimensions) shape.push_back(number(d, Kind::PyInt, nullptr));
  if (facts.size) shape = e.shape_values(*facts.size);
  llvm::Value* array = e.allocate_array(result, shape);
  if (facts.draw == Draw::Sample || facts.draw == Draw::Gauss) {
    b.CreateCall(e.module().runtime(facts.draw == Draw::Gauss ? RT::accel_rt_random_fill_gauss : RT::accel_rt_random_fill_sample),
                 {b.CreateExtractValue(array, {codegen::kData}), e.product(shape)});
    return array;
  }
  e.loop_nest(shape, [&](const std::vector<llvm::Value*>& index) {
    e.store_element(e.element_at(array, result, index), draw(), result->dtype);
  });
  return array;
}

const std::vector<infer::Builtin>& entries() {
  static const std::vector<infer::Builtin> out = [] {
    std::vector<infer::Builtin> made;
    for (const auto& f : kFunctions) made.push_back({f.name, type_random, lower_random});
    return made;
  }();
  return out;
}

}  // namespace

std::span<const infer::Builtin> numpy_random() { return entries(); }

}  // namespace accel::library
