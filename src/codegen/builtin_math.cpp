#include <llvm/IR/Intrinsics.h>

#include <cmath>
#include <map>
#include <numbers>

#include "codegen/function_emitter.h"

namespace accel::codegen {
namespace {

// NumPy spells some functions differently from math; both reach one implementation.
const std::map<std::string, std::string> kNumpyAliases = {
    {"arcsin", "asin"},   {"arccos", "acos"},   {"arctan", "atan"},   {"arcsinh", "asinh"},
    {"arccosh", "acosh"}, {"arctanh", "atanh"}, {"arctan2", "atan2"}, {"power", "pow"},
};

const std::map<std::string, llvm::Intrinsic::ID> kIntrinsics = {
    {"sqrt", llvm::Intrinsic::sqrt},   {"exp", llvm::Intrinsic::exp},
    {"exp2", llvm::Intrinsic::exp2},   {"log", llvm::Intrinsic::log},
    {"log2", llvm::Intrinsic::log2},   {"log10", llvm::Intrinsic::log10},
    {"sin", llvm::Intrinsic::sin},     {"cos", llvm::Intrinsic::cos},
    {"fabs", llvm::Intrinsic::fabs},   {"floor", llvm::Intrinsic::floor},
    {"ceil", llvm::Intrinsic::ceil},   {"trunc", llvm::Intrinsic::trunc},
    {"rint", llvm::Intrinsic::rint},   {"pow", llvm::Intrinsic::pow},
    {"copysign", llvm::Intrinsic::copysign},
};

// libm names for what has no LLVM intrinsic.
const std::map<std::string, std::string> kLibm = {
    {"tan", "tan"},     {"asin", "asin"},   {"acos", "acos"},   {"atan", "atan"},
    {"sinh", "sinh"},   {"cosh", "cosh"},   {"tanh", "tanh"},   {"asinh", "asinh"},
    {"acosh", "acosh"}, {"atanh", "atanh"}, {"log1p", "log1p"}, {"expm1", "expm1"},
    {"erf", "erf"},     {"erfc", "erfc"},   {"gamma", "tgamma"}, {"lgamma", "lgamma"},
    {"cbrt", "cbrt"},   {"atan2", "atan2"}, {"hypot", "hypot"}, {"fmod", "fmod"},
};

// Where CPython's math reports an infinite result from finite input as a domain error
// (ValueError) rather than a range error (OverflowError).
bool infinity_is_domain_error(const std::string& name) {
  return name == "log" || name == "log2" || name == "log10" || name == "log1p" ||
         name == "lgamma" || name == "atanh" || name == "acosh";
}

}  // namespace

llvm::Value* FunctionEmitter::float_function(const std::string& name, std::vector<llvm::Value*> args,
                                             llvm::Type* type) {
  if (name == "degrees") return builder_.CreateFMul(args[0], llvm::ConstantFP::get(type, 180.0 / std::numbers::pi));
  if (name == "radians") return builder_.CreateFMul(args[0], llvm::ConstantFP::get(type, std::numbers::pi / 180.0));
  if (auto it = kIntrinsics.find(name); it != kIntrinsics.end())
    return builder_.CreateIntrinsic(it->second, {type}, args);
  const std::string symbol = kLibm.at(name) + (type->isFloatTy() ? "f" : "");
  std::vector<llvm::Type*> params(args.size(), type);
  auto callee = module_.module().getOrInsertFunction(symbol, llvm::FunctionType::get(type, params, false));
  if (auto* fn = llvm::dyn_cast<llvm::Function>(callee.getCallee())) fn->addFnAttr(llvm::Attribute::NoUnwind);
  return builder_.CreateCall(callee, args);
}

llvm::Value* FunctionEmitter::math_call(const std::string& requested, std::vector<llvm::Value*> args,
                                        const std::vector<Type>& arg_types, bool numpy, Kind result_kind) {
  std::string name = requested;
  if (numpy)
    if (auto it = kNumpyAliases.find(name); it != kNumpyAliases.end()) name = it->second;
  Type result = types::scalar(result_kind);

  if (name == "absolute" || name == "abs") {
    llvm::Value* v = cast(args[0], arg_types[0], result);
    if (types::is_float(result_kind)) return builder_.CreateIntrinsic(llvm::Intrinsic::fabs, {v->getType()}, {v});
    if (!types::is_signed(result_kind)) return v;
    return builder_.CreateIntrinsic(llvm::Intrinsic::abs, {v->getType()}, {v, builder_.getInt1(false)});
  }
  if (name == "minimum" || name == "maximum") {
    llvm::Value* a = cast(args[0], arg_types[0], result);
    llvm::Value* b = cast(args[1], arg_types[1], result);
    const bool is_min = name == "minimum";
    if (types::is_float(result_kind))  // NumPy propagates NaN
      return builder_.CreateIntrinsic(is_min ? llvm::Intrinsic::minimum : llvm::Intrinsic::maximum,
                                      {a->getType()}, {a, b});
    auto* less = compare_values(Operator::Lt, a, result, b, result);
    return is_min ? builder_.CreateSelect(less, a, b) : builder_.CreateSelect(less, b, a);
  }
  if (name == "isnan" || name == "isinf" || name == "isfinite") {
    if (!types::is_float(arg_types[0]->kind)) return builder_.getInt1(name == "isfinite");
    llvm::Value* v = args[0];
    if (name == "isnan") return builder_.CreateFCmpUNO(v, v);
    auto* magnitude = builder_.CreateIntrinsic(llvm::Intrinsic::fabs, {v->getType()}, {v});
    auto* inf = llvm::ConstantFP::getInfinity(v->getType());
    return name == "isinf" ? builder_.CreateFCmpOEQ(magnitude, inf) : builder_.CreateFCmpOLT(magnitude, inf);
  }
  if (numpy && (name == "floor" || name == "ceil" || name == "trunc") && !types::is_float(result_kind))
    return cast(args[0], arg_types[0], result);
  if (!numpy && (name == "floor" || name == "ceil" || name == "trunc")) {
    if (!types::is_float(arg_types[0]->kind)) return cast(args[0], arg_types[0], result);
    llvm::Value* v = float_function(name, {args[0]}, args[0]->getType());
    return to_int(v, arg_types[0]->kind);
  }

  // Float functions: math computes in double and returns a Python float; NumPy keeps
  // the input's float kind.
  const Kind work = numpy ? result_kind : Kind::PyFloat;
  Type work_type = types::scalar(work);
  for (size_t i = 0; i < args.size(); ++i) args[i] = cast(args[i], arg_types[i], work_type);
  llvm::Type* type = module_.llvm_type(work_type);
  if (name == "log" && args.size() == 2) {
    llvm::Value* numerator = math_call("log", {args[0]}, {work_type}, numpy, result_kind);
    llvm::Value* denominator = math_call("log", {args[1]}, {work_type}, numpy, result_kind);
    raise_if(builder_.CreateFCmpOEQ(denominator, llvm::ConstantFP::get(type, 0.0)),
             ACCEL_ERROR_ZERO_DIVISION, "float division by zero");
    return builder_.CreateFDiv(numerator, denominator);
  }
  llvm::Value* out = float_function(name, args, type);
  if (numpy) return out;

  // CPython's math raises where C's libm returns NaN or infinity.
  llvm::Value* any_nan_in = builder_.getInt1(false);
  llvm::Value* all_finite_in = builder_.getInt1(true);
  auto* inf = llvm::ConstantFP::getInfinity(type);
  for (llvm::Value* a : args) {
    any_nan_in = builder_.CreateOr(any_nan_in, builder_.CreateFCmpUNO(a, a));
    auto* magnitude = builder_.CreateIntrinsic(llvm::Intrinsic::fabs, {type}, {a});
    all_finite_in = builder_.CreateAnd(all_finite_in, builder_.CreateFCmpOLT(magnitude, inf));
  }
  raise_if(builder_.CreateAnd(builder_.CreateFCmpUNO(out, out), builder_.CreateNot(any_nan_in)),
           ACCEL_ERROR_VALUE, "math domain error");
  auto* out_magnitude = builder_.CreateIntrinsic(llvm::Intrinsic::fabs, {type}, {out});
  auto* overflowed = builder_.CreateAnd(builder_.CreateFCmpOEQ(out_magnitude, inf), all_finite_in);
  if (infinity_is_domain_error(name)) {
    raise_if(overflowed, ACCEL_ERROR_VALUE, "math domain error");
  } else if (name == "gamma" || name == "pow") {
    // A pole (gamma at 0, -1, ...; pow of 0 to a negative power) is a domain error;
    // a large result overflows.
    auto* pole = name == "pow" ? builder_.CreateFCmpOEQ(args[0], llvm::ConstantFP::get(type, 0.0))
                               : builder_.CreateFCmpOLE(args[0], llvm::ConstantFP::get(type, 0.0));
    raise_if(builder_.CreateAnd(overflowed, pole), ACCEL_ERROR_VALUE, "math domain error");
    raise_if(overflowed, ACCEL_ERROR_OVERFLOW, "math range error");
  } else if (name == "fmod") {
    // fmod(inf, y) is NaN, caught above; fmod never overflows.
  } else {
    raise_if(overflowed, ACCEL_ERROR_OVERFLOW, "math range error");
  }
  return out;
}

}  // namespace accel::codegen
