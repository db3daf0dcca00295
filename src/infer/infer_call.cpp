#include "frontend/diagnostic.h"
#include "infer/builtin.h"
#include "infer/builtin_table.h"
#include "infer/call_typing.h"
#include "infer/function_typer.h"
#include "infer/operator_rules.h"
#include "types/declared_return.h"
#include "types/promotion.h"
#include "types/type_text.h"

#include <algorithm>

namespace accel::infer {

using frontend::ErrorCode;
using frontend::ExprKind;
using frontend::fail;
using frontend::GlobalValue;
using types::Kind;

namespace {

Type constant_type(const GlobalValue& g) {
  switch (g.kind) {
    case GlobalValue::Kind::Int: return types::scalar(constant_kind(g, Kind::PyInt));
    case GlobalValue::Kind::Float: return types::scalar(constant_kind(g, Kind::PyFloat));
    case GlobalValue::Kind::Bool: return types::scalar(Kind::PyBool);
    case GlobalValue::Kind::None: return types::none();
    default: return nullptr;
  }
}

// A call's positional arguments: its operands after the callee.
std::vector<const Expr*> positional_arguments(const Expr& call) {
  std::vector<const Expr*> out;
  for (size_t i = 1; i < call.operands.size(); ++i) out.push_back(call.operands[i].get());
  return out;
}

std::string short_name(const std::string& qualname) {
  return qualname.rfind("builtins.", 0) == 0 ? qualname.substr(9) : qualname;
}

}  // namespace

Type FunctionTyper::call(const Expr& e) {
  const Expr& callee = *e.operands[0];
  if (callee.kind == ExprKind::Attribute) {
    const Expr& receiver = *callee.operands[0];
    // l.append(v) on a list still empty `[]` (or s.add(v), d.setdefault(k, v)): the call
    // that tells what it holds.
    Type base = container_variable(receiver);
    if (!base) return nullptr;
    if (base->kind == Kind::Array) return array_method(e, *callee.operands[0], base, callee.name);
    if (base->kind == Kind::List) return list_method(e, receiver, base, callee.name);
    if (base->kind == Kind::Dict || base->kind == Kind::Set) return container_method(e, receiver, base, callee.name);
    if (types::is_scalar(base)) return number_method(e, *callee.operands[0], base, callee.name);
  }
  Type target = expr(callee);
  if (!target) return nullptr;
  if (target->kind == Kind::Function) return user_call(e, target->function_index);
  if (target->kind == Kind::Overload) return overload_call(e, target);
  if (target->kind == Kind::Builtin) return builtin_call(e, target->name);
  if (target->kind == Kind::ExceptionClass) {
    // An exception made to be raised: `raise ValueError(f"bad {x}")`. Its one argument is
    // its message (the raise statement checks where it is used).
    if (!e.keywords.empty() || e.operands.size() > 2)
      fail(ErrorCode::UnsupportedSyntax, e.span,
           "compiled code makes exceptions from one message at most.",
           "Format the values into the message: raise ValueError(f\"x is {x}\").");
    if (e.operands.size() == 2) message(*e.operands[1]);
    return record(e, target);
  }
  fail(ErrorCode::TypeMismatch, callee.span,
       "a " + types::name(target) + " is not callable in compiled code.");
}

Type FunctionTyper::user_call(const Expr& e, int function_index) {
  return bound_call(e, function_index, positional_arguments(e));
}

Type FunctionTyper::bound_call(const Expr& e, int function_index, const std::vector<const Expr*>& positional) {
  const auto& callee = inference_.program().function(function_index);
  const auto& params = callee.def.params;
  const size_t given = positional.size();
  if (given > params.size())
    fail(ErrorCode::BadCall, e.span,
         callee.def.name + "() takes " + std::to_string(params.size()) +
             " positional arguments but " + std::to_string(given) + " were given.");
  CallTarget target;
  target.arguments.assign(params.size(), nullptr);
  for (size_t i = 0; i < given; ++i) target.arguments[i] = positional[i];
  for (const auto& kw : e.keywords) {
    size_t i = 0;
    while (i < params.size() && params[i].name != kw.name) ++i;
    if (i == params.size())
      fail(ErrorCode::BadCall, kw.span,
           callee.def.name + "() got an unexpected keyword argument '" + kw.name + "'.");
    if (target.arguments[i])
      fail(ErrorCode::BadCall, kw.span,
           callee.def.name + "() got multiple values for argument '" + kw.name + "'.");
    target.arguments[i] = kw.value.get();
  }
  std::vector<Type> arg_types;
  bool unknown = false;
  for (size_t i = 0; i < params.size(); ++i) {
    Type t = nullptr;
    if (target.arguments[i]) {
      t = expr(*target.arguments[i]);
      if (t && (types::is_compile_time(t) || types::is_loop_only(t)))
        fail(ErrorCode::TypeMismatch, target.arguments[i]->span,
             "a " + types::name(t) + " cannot be passed to a compiled function.");
    } else if (i < callee.defaults.size() && callee.defaults[i]) {
      t = constant_type(*callee.defaults[i]);
      if (!t)
        fail(ErrorCode::BadCall, e.span,
             "the default value of parameter '" + params[i].name + "' of " + callee.def.name +
                 "() is not an int, float, bool or None; pass it explicitly.");
    } else {
      fail(ErrorCode::BadCall, e.span,
           callee.def.name + "() missing required argument '" + params[i].name + "'.");
    }
    unknown = unknown || !t;
    arg_types.push_back(t);
  }
  if (unknown) return nullptr;
  if (!callee.signatures.empty()) return signature_call(e, function_index, std::move(target), arg_types);
  Specialization& spec = inference_.request(function_index, arg_types);
  target.callee = &spec;
  spec_.calls[&e] = target;
  if (!spec.return_type && strict_)
    fail(ErrorCode::TypeMismatch, e.span,
         "cannot infer what " + callee.def.name + "() returns: every path of it calls itself.",
         "Give the recursion a base case that returns a value before the recursive call.");
  return record(e, spec.return_type);
}

Type FunctionTyper::overload_call(const Expr& e, Type overloaded) {
  return overload_call(e, overloaded->function_index, overloaded->name, positional_arguments(e));
}

Type FunctionTyper::overload_call(const Expr& e, int overload, const std::string& shown,
                                  const std::vector<const Expr*>& positional) {
  // The overload's typing function picks an implementation for these argument types; it
  // is then compiled like a plain function the user calls.
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> keywords;
  auto text_of = [&](const Expr& a) -> std::optional<std::string> {
    Type t = expr(a);
    if (!t) return std::nullopt;
    std::string text = types::to_text(t);
    if (text.empty())
      fail(ErrorCode::TypeMismatch, a.span, "a " + types::name(t) + " cannot be passed to " + shown + "().");
    return text;
  };
  bool unknown = false;
  for (const Expr* a : positional) {
    auto text = text_of(*a);
    unknown = unknown || !text;
    args.push_back(text.value_or(""));
  }
  for (const auto& kw : e.keywords) {
    auto text = text_of(*kw.value);
    unknown = unknown || !text;
    keywords.emplace_back(kw.name, text.value_or(""));
  }
  if (unknown) return nullptr;
  std::string why;
  const int index = inference_.program().resolve_overload(overload, args, keywords, why);
  if (index < 0) fail(ErrorCode::TypeMismatch, e.span, why);
  return bound_call(e, index, positional);
}

Type FunctionTyper::signature_call(const Expr& e, int function_index, CallTarget target,
                                   const std::vector<Type>& arg_types) {
  // A function compiled from signatures runs one of them, chosen as for a call from
  // Python: the arguments convert to its types and the result to its declared type.
  const auto& callee = inference_.program().function(function_index);
  std::vector<uint32_t> codes;
  for (size_t i = 0; i < arg_types.size(); ++i) {
    if (!types::is_scalar(arg_types[i]) && arg_types[i]->kind != Kind::Array)
      fail(ErrorCode::TypeMismatch, e.span,
           callee.def.name + "() was compiled from signatures, which take numbers and arrays, "
           "not a " + types::name(arg_types[i]) + ".");
    codes.push_back(types::arg_code(arg_types[i]));
  }
  std::string why;
  const int chosen = inference_.program().choose_signature(function_index, codes, why);
  if (chosen < 0) fail(ErrorCode::BadCall, e.span, why);
  const frontend::DeclaredSignature& signature = callee.signatures.at(static_cast<size_t>(chosen));
  std::vector<Type> parameters;
  for (uint32_t code : signature.arg_codes) parameters.push_back(types::from_arg_code(code));
  Specialization& spec = inference_.request(function_index, parameters);
  target.callee = &spec;
  if (!spec.return_type) return nullptr;  // a recursion still being solved
  Type result = spec.return_type;
  if (!signature.declared_return.empty()) {
    target.declared_result = types::from_text(signature.declared_return);
    const types::ReturnConversion conversion = types::declared_return(spec.return_type, target.declared_result);
    if (!conversion.problem.empty()) fail(ErrorCode::TypeMismatch, e.span, conversion.problem);
    result = target.declared_result;
  }
  spec_.calls[&e] = std::move(target);
  return record(e, result);
}

Type FunctionTyper::number_method(const Expr& e, const Expr& self, Type self_type, const std::string& method) {
  if ((method != "conjugate" && method != "conj") || e.operands.size() != 1 || !e.keywords.empty())
    fail(ErrorCode::UnsupportedSyntax, e.operands[0]->span,
         "the method ." + method + "() of a " + types::name(self_type) + " is not supported in compiled code.",
         "Supported: x.conjugate() (x.conj() for NumPy's), x.real, x.imag, abs(x).");
  const Builtin* entry = find_builtin("complex.conjugate");
  spec_.calls[&e] = CallTarget{std::string(entry->name), nullptr, {&self}, nullptr, entry, {}};
  return record(e, self_type->kind == Kind::PyBool ? types::scalar(Kind::PyInt) : self_type);
}

Type FunctionTyper::builtin_call(const Expr& e, const std::string& qualname) {
  if (const Builtin* entry = find_builtin(qualname)) {
    CallTyping call(*this, e, *entry, spec_.calls[&e]);
    Type result = entry->type(call);
    if (result) refuse_complex_arguments(e, *entry);
    return result;
  }
  // Families not in the registry yet (src/library/ will hold them all).
  if (qualname.rfind("numpy.", 0) == 0 && creation_parameters(qualname.substr(6)))
    return array_creation(e, qualname.substr(6));
  if (qualname.rfind("numpy.", 0) == 0 && is_array_function(qualname.substr(6)))
    return array_function(e, qualname.substr(6), nullptr, /*method=*/false);
  const std::string name = short_name(qualname);
  if (qualname == "builtins.print")
    fail(ErrorCode::UnsupportedName, e.span, "print() is not supported in compiled code.",
         "Return the values and print them in Python, or call f.py_func(...) to debug.");
  if (qualname.rfind("numpy.random.", 0) == 0)
    fail(ErrorCode::UnsupportedName, e.operands[0]->span, "np.random." + qualname.substr(13) + "() is not supported in compiled code.",
         "Supported: seed, rand, randn, random, random_sample, uniform, normal, randint.");
  if (qualname.rfind("math.", 0) == 0)
    fail(ErrorCode::UnsupportedName, e.operands[0]->span, name + "() is not supported in compiled code.");
  if (qualname.rfind("numpy.", 0) == 0)
    fail(ErrorCode::UnsupportedName, e.operands[0]->span, name + "() is not supported in compiled code.",
         "What compiles from NumPy is listed in docs/numpy-checklist.md; "
         "accel.overload(" + qualname + ") adds your own implementation.");
  fail(ErrorCode::UnsupportedName, e.operands[0]->span,
       name + "() is not supported in compiled code.",
       "Supported: range, len, abs, min, max, int, float, bool, round, the math module, "
       "NumPy scalar types and ufuncs on numbers, and your own functions.");
}

void FunctionTyper::refuse_complex_arguments(const Expr& e, const Builtin& entry) {
  // Builtins take real numbers unless they say otherwise; a complex argument is then
  // CPython's and NumPy's TypeError, raised when compiling. NumPy's ufuncs check their
  // own (numpy_ufuncs.cpp).
  static const std::string_view kTakeComplex[] = {"builtins.abs", "builtins.complex", "builtins.len",
                                                   "numpy.complex64", "numpy.complex128", "numpy.where"};
  const std::string qualname(entry.name);
  for (std::string_view name : kTakeComplex)
    if (name == qualname) return;
  if (qualname.rfind("numpy.", 0) == 0 && entry.element) return;
  auto refuse = [&](const Expr& a) {
    auto typed = spec_.expr_types.find(&a);
    Type t = typed == spec_.expr_types.end() ? nullptr : typed->second;
    if (t && types::is_complex(element_type(t)->kind))
      fail(ErrorCode::TypeMismatch, a.span,
           short_name(qualname) + "() does not take a " + types::name(t) + " in compiled code.",
           qualname == "builtins.float" || qualname == "builtins.int" ? "Take z.real, or abs(z)." : "");
  };
  for (size_t i = 1; i < e.operands.size(); ++i) refuse(*e.operands[i]);
  for (const auto& kw : e.keywords) refuse(*kw.value);
}

}  // namespace accel::infer
