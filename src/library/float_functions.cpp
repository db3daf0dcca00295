#include "library/float_functions.h"

#include <llvm/IR/Intrinsics.h>

#include <cmath>
#include <map>
#include <numbers>

using accel::frontend::Operator;

namespace accel::library {
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

llvm::Value* float_function(FunctionEmitter& emitter, const std::string& name, std::vector<llvm::Value*> args,
                            llvm::Type* type) {
  llvm::IRBuilder<>& b = emitter.builder();
  if (name == "degrees") return b.CreateFMul(args[0], llvm::ConstantFP::get(type, 180.0 / std::numbers::pi));
  if (name == "radians") return b.CreateFMul(args[0], llvm::ConstantFP::get(type, std::numbers::pi / 180.0));
  if (auto it = kIntrinsics.find(name); it != kIntrinsics.end())
    return b.CreateIntrinsic(it->second, {type}, args);
  const std::string symbol = kLibm.at(name) + (type->isFloatTy() ? "f" : "");
  std::vector<llvm::Type*> params(args.size(), type);
  auto callee = emitter.module().module().getOrInsertFunction(symbol, llvm::FunctionType::get(type, params, false));
  if (auto* fn = llvm::dyn_cast<llvm::Function>(callee.getCallee())) fn->addFnAttr(llvm::Attribute::NoUnwind);
  return b.CreateCall(callee, args);
}

llvm::Value* math_value(FunctionEmitter& emitter, const std::string& requested, std::vector<llvm::Value*> args,
                        const std::vector<Type>& arg_types, bool numpy, Kind result_kind) {
  llvm::IRBuilder<>& b = emitter.builder();
  std::string name = requested;
  if (numpy)
    if (auto it = kNumpyAliases.find(name); it != kNumpyAliases.end()) name = it->second;
  Type result = types::scalar(result_kind);

  if (name == "absolute" || name == "abs") {
    llvm::Value* v = emitter.cast(args[0], arg_types[0], result);
    if (types::is_float(result_kind)) return b.CreateIntrinsic(llvm::Intrinsic::fabs, {v->getType()}, {v});
    if (!types::is_signed(result_kind)) return v;
    return b.CreateIntrinsic(llvm::Intrinsic::abs, {v->getType()}, {v, b.getInt1(false)});
  }
  if (name == "minimum" || name == "maximum") {
    llvm::Value* a = emitter.cast(args[0], arg_types[0], result);
    llvm::Value* c = emitter.cast(args[1], arg_types[1], result);
    const bool is_min = name == "minimum";
    if (types::is_float(result_kind))  // NumPy propagates NaN
      return b.CreateIntrinsic(is_min ? llvm::Intrinsic::minimum : llvm::Intrinsic::maximum,
                                      {a->getType()}, {a, c});
    auto* less = emitter.compare_values(Operator::Lt, a, result, c, result);
    return is_min ? b.CreateSelect(less, a, c) : b.CreateSelect(less, c, a);
  }
  if (name == "isnan" || name == "isinf" || name == "isfinite") {
    if (!types::is_float(arg_types[0]->kind)) return b.getInt1(name == "isfinite");
    llvm::Value* v = args[0];
    if (name == "isnan") return b.CreateFCmpUNO(v, v);
    auto* magnitude = b.CreateIntrinsic(llvm::Intrinsic::fabs, {v->getType()}, {v});
    auto* inf = llvm::ConstantFP::getInfinity(v->getType());
    return name == "isinf" ? b.CreateFCmpOEQ(magnitude, inf) : b.CreateFCmpOLT(magnitude, inf);
  }
  if (numpy && (name == "floor" || name == "ceil" || name == "trunc") && !types::is_float(result_kind))
    return emitter.cast(args[0], arg_types[0], result);
  if (!numpy && (name == "floor" || name == "ceil" || name == "trunc")) {
    if (!types::is_float(arg_types[0]->kind)) return emitter.cast(args[0], arg_types[0], result);
    llvm::Value* v = float_function(emitter, name, {args[0]}, args[0]->getType());
    return to_int(emitter, v, arg_types[0]->kind);
  }

  // Float functions: math computes in double and returns a Python float; NumPy keeps
  // the input's float kind.
  const Kind work = numpy ? result_kind : Kind::PyFloat;
  Type work_type = types::scalar(work);
  for (size_t i = 0; i < args.size(); ++i) args[i] = emitter.cast(args[i], arg_types[i], work_type);
  llvm::Type* type = emitter.module().llvm_type(work_type);
  if (name == "log" && args.size() == 2) {
    llvm::Value* numerator = math_value(emitter, "log", {args[0]}, {work_type}, numpy, result_kind);
    llvm::Value* denominator = math_value(emitter, "log", {args[1]}, {work_type}, numpy, result_kind);
    emitter.raise_if(b.CreateFCmpOEQ(denominator, llvm::ConstantFP::get(type, 0.0)),
             ACCEL_ERROR_ZERO_DIVISION, "float division by zero");
    return b.CreateFDiv(numerator, denominator);
  }
  llvm::Value* out = float_function(emitter, name, args, type);
  if (numpy) return out;

  // CPython's math raises where C's libm returns NaN or infinity.
  llvm::Value* any_nan_in = b.getInt1(false);
  llvm::Value* all_finite_in = b.getInt1(true);
  auto* inf = llvm::ConstantFP::getInfinity(type);
  for (llvm::Value* a : args) {
    any_nan_in = b.CreateOr(any_nan_in, b.CreateFCmpUNO(a, a));
    auto* magnitude = b.CreateIntrinsic(llvm::Intrinsic::fabs, {type}, {a});
    all_finite_in = b.CreateAnd(all_finite_in, b.CreateFCmpOLT(magnitude, inf));
  }
  emitter.raise_if(b.CreateAnd(b.CreateFCmpUNO(out, out), b.CreateNot(any_nan_in)),
           ACCEL_ERROR_VALUE, "math domain error");
  auto* out_magnitude = b.CreateIntrinsic(llvm::Intrinsic::fabs, {type}, {out});
  auto* overflowed = b.CreateAnd(b.CreateFCmpOEQ(out_magnitude, inf), all_finite_in);
  if (infinity_is_domain_error(name)) {
    emitter.raise_if(overflowed, ACCEL_ERROR_VALUE, "math domain error");
  } else if (name == "gamma" || name == "pow") {
    // A pole (gamma at 0, -1, ...; pow of 0 to a negative power) is a domain error;
    // a large result overflows.
    auto* pole = name == "pow" ? b.CreateFCmpOEQ(args[0], llvm::ConstantFP::get(type, 0.0))
                               : b.CreateFCmpOLE(args[0], llvm::ConstantFP::get(type, 0.0));
    emitter.raise_if(b.CreateAnd(overflowed, pole), ACCEL_ERROR_VALUE, "math domain error");
    emitter.raise_if(overflowed, ACCEL_ERROR_OVERFLOW, "math range error");
  } else if (name == "fmod") {
    // fmod(inf, y) is NaN, caught above; fmod never overflows.
  } else {
    emitter.raise_if(overflowed, ACCEL_ERROR_OVERFLOW, "math range error");
  }
  return out;
}

llvm::Value* to_int(FunctionEmitter& emitter, llvm::Value* v, Kind from) {
  llvm::IRBuilder<>& b = emitter.builder();
  if (!types::is_float(from)) return emitter.cast_kind(v, from, Kind::PyInt);
  // int(x) truncates; Python refuses NaN and infinity, and int64 refuses the rest of
  // what does not fit (Python would give a big int).
  emitter.raise_if(b.CreateFCmpUNO(v, v), ACCEL_ERROR_VALUE, "cannot convert float NaN to integer");
  auto* magnitude = b.CreateIntrinsic(llvm::Intrinsic::fabs, {v->getType()}, {v});
  emitter.raise_if(b.CreateFCmpOEQ(magnitude, llvm::ConstantFP::getInfinity(v->getType())),
           ACCEL_ERROR_OVERFLOW, "cannot convert float infinity to integer");
  auto* wide = b.CreateFPExt(v, b.getDoubleTy());
  auto* too_big = b.CreateOr(b.CreateFCmpOGE(wide, llvm::ConstantFP::get(b.getDoubleTy(), 9223372036854775808.0)),
                                    b.CreateFCmpOLT(wide, llvm::ConstantFP::get(b.getDoubleTy(), -9223372036854775808.0)));
  emitter.raise_if(too_big, ACCEL_ERROR_OVERFLOW, "float too large to convert to a 64-bit integer");
  return b.CreateFPToSI(wide, b.getInt64Ty());
}

}  // namespace accel::library
