// Typing of np.random's legacy functions and np.histogram in compiled code.

#include "frontend/diagnostic.h"
#include "infer/builtin_table.h"
#include "infer/function_typer.h"

namespace accel::infer {

using frontend::ErrorCode;
using frontend::fail;
using types::Kind;

namespace {

// rand and randn take dimensions as separate arguments instead.
const NumpySignature kRandom[] = {
    {"seed", {"seed"}, 0},
    {"random", {"size"}, 0},
    {"random_sample", {"size"}, 0},
    {"uniform", {"low", "high", "size"}, 0},
    {"normal", {"loc", "scale", "size"}, 0},
    {"randint", {"low", "high", "size"}, 1},
};

}  // namespace

CallTarget FunctionTyper::bind_arguments(const Expr& e, const std::string& display,
                                         const std::vector<std::string_view>& parameters, size_t required) {
  CallTarget target{"", nullptr, std::vector<const Expr*>(parameters.size(), nullptr)};
  const size_t given = e.operands.size() - 1;
  if (given > parameters.size())
    fail(ErrorCode::BadCall, e.span, display + "() takes at most " + std::to_string(parameters.size()) +
                                         " arguments, " + std::to_string(given) + " given.");
  for (size_t i = 0; i < given; ++i) target.arguments[i] = e.operands[i + 1].get();
  for (const auto& kw : e.keywords) {
    size_t i = 0;
    while (i < parameters.size() && parameters[i] != kw.name) ++i;
    if (i == parameters.size())
      fail(ErrorCode::BadCall, kw.span, display + "() got an unsupported keyword argument '" + kw.name + "'.");
    if (target.arguments[i]) fail(ErrorCode::BadCall, kw.span, display + "() got multiple values for '" + kw.name + "'.");
    target.arguments[i] = kw.value.get();
  }
  for (size_t i = 0; i < required; ++i)
    if (!target.arguments[i])
      fail(ErrorCode::BadCall, e.span, display + "() missing required argument '" + std::string(parameters[i]) + "'.");
  return target;
}

Type FunctionTyper::numpy_random(const Expr& e, const std::string& fn) {
  const std::string display = "np.random." + fn;
  auto number = [&](const Expr* a, bool integral) {
    Type t = expr(*a);
    if (t && (!types::is_scalar(t) || (integral && types::is_float(t->kind))))
      fail(ErrorCode::TypeMismatch, a->span, display + "() takes " + (integral ? "an integer" : "a number") +
                                                 " here, not a " + types::name(t) + ".");
    return t;
  };
  if (fn == "rand" || fn == "randn") {
    if (!e.keywords.empty()) fail(ErrorCode::BadCall, e.keywords[0].span, display + "() takes no keyword arguments.");
    CallTarget target{"numpy.random." + fn, nullptr, {}};
    for (size_t i = 1; i < e.operands.size(); ++i) {
      number(e.operands[i].get(), true);
      target.arguments.push_back(e.operands[i].get());
    }
    spec_.calls[&e] = target;
    if (target.arguments.empty()) return record(e, types::scalar(Kind::PyFloat));
    return record(e, types::array(Kind::Float64, static_cast<int>(target.arguments.size()), types::Layout::C));
  }
  const NumpySignature* signature = nullptr;
  for (const auto& s : kRandom)
    if (s.name == fn) signature = &s;
  if (!signature)
    fail(ErrorCode::UnsupportedName, e.operands[0]->span, display + "() is not supported in compiled code.",
         "Supported: seed, rand, randn, random, random_sample, uniform, normal, randint.");
  CallTarget target = bind_arguments(e, display, signature->parameters, signature->required);
  target.builtin = "numpy.random." + fn;
  int ndim = 0;
  for (size_t i = 0; i < signature->parameters.size(); ++i) {
    const Expr* a = target.arguments[i];
    if (!a) continue;
    if (signature->parameters[i] == "size")
      ndim = shape_argument(*a);
    else
      number(a, fn == "randint" || fn == "seed");
  }
  spec_.calls[&e] = target;
  if (fn == "seed") return record(e, types::none());
  const Kind kind = fn == "randint" ? Kind::Int64 : Kind::Float64;
  if (ndim == 0) return record(e, types::scalar(fn == "randint" ? Kind::PyInt : Kind::PyFloat));
  return record(e, types::array(kind, ndim, types::Layout::C));
}

Type FunctionTyper::histogram(const Expr& e) {
  static const std::vector<std::string_view> parameters = {"a", "bins", "range"};
  CallTarget target = bind_arguments(e, "np.histogram", parameters, 1);
  target.builtin = "numpy.histogram";
  Type data = expr(*target.arguments[0]);
  if (data && (data->kind != Kind::Array || types::is_bool(data->dtype)))
    fail(ErrorCode::TypeMismatch, target.arguments[0]->span, "np.histogram() takes a numeric array here.");
  if (const Expr* bins = target.arguments[1]) {
    Type t = expr(*bins);
    if (t && !(types::is_integer(t->kind) || (t->kind == Kind::Array && t->ndim == 1)))
      fail(ErrorCode::TypeMismatch, bins->span, "bins must be an integer or a 1-d array of edges.");
  }
  if (const Expr* range = target.arguments[2]) {
    Type t = expr(*range);
    if (t && t->kind != Kind::None &&
        !(t->kind == Kind::Tuple && t->elements.size() == 2 && types::is_scalar(t->elements[0]) &&
          types::is_scalar(t->elements[1])))
      fail(ErrorCode::TypeMismatch, range->span, "range must be a (min, max) tuple of numbers.");
  }
  spec_.calls[&e] = target;
  return record(e, types::tuple({types::array(Kind::Int64, 1, types::Layout::C),
                                 types::array(Kind::Float64, 1, types::Layout::C)}));
}

}  // namespace accel::infer
