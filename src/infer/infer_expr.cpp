#include <cmath>
#include <numbers>
#include <map>

#include "frontend/diagnostic.h"
#include "infer/function_typer.h"
#include "infer/operator_rules.h"
#include "types/promotion.h"

namespace accel::infer {

using frontend::ErrorCode;
using frontend::ExprKind;
using frontend::fail;
using frontend::GlobalValue;
using frontend::Operator;
using types::Kind;

namespace {

struct ModuleConstant {
  const char* qualname;
  double value;
};

const ModuleConstant kModuleConstants[] = {
    {"math.pi", std::numbers::pi},         {"math.e", std::numbers::e},          {"math.tau", 2 * std::numbers::pi},
    {"math.inf", INFINITY},    {"math.nan", NAN},        {"numpy.pi", std::numbers::pi},
    {"numpy.e", std::numbers::e},          {"numpy.inf", INFINITY},  {"numpy.nan", NAN},
    {"numpy.euler_gamma", 0.57721566490153286060},
};

std::string operand_names(Type left, Type right) {
  return "'" + types::name(left) + "' and '" + types::name(right) + "'";
}

}  // namespace

Type FunctionTyper::record(const Expr& e, Type t) {
  if (t) spec_.expr_types[&e] = t;
  return t;
}

Type FunctionTyper::constant(const Expr& e, Constant c) {
  spec_.constants[&e] = c;
  return record(e, types::scalar(c.kind));
}

Type FunctionTyper::expr(const Expr& e) {
  switch (e.kind) {
    case ExprKind::IntLit: return record(e, types::scalar(Kind::PyInt));
    case ExprKind::FloatLit: return record(e, types::scalar(Kind::PyFloat));
    case ExprKind::BoolLit: return record(e, types::scalar(Kind::PyBool));
    case ExprKind::NoneLit: return record(e, types::none());
    case ExprKind::ImagLit: return record(e, types::scalar(Kind::PyComplex));
    case ExprKind::EllipsisLit:
      fail(ErrorCode::UnsupportedSyntax, e.span, "'...' is only allowed in an array's index in compiled code.");
    case ExprKind::StrLit: return record(e, types::string());
    case ExprKind::FormattedString: {
      bool known = true;
      for (const auto& part : e.operands) {
        if (part->kind != ExprKind::FormattedValue) continue;
        Type t = expr(*part->operands[0]);
        if (!t) {
          known = false;
          continue;
        }
        require_printable(*part->operands[0], t);
      }
      return known ? record(e, types::string()) : nullptr;
    }
    case ExprKind::FormattedValue:
      fail(ErrorCode::UnsupportedSyntax, e.span, "a replacement field outside an f-string.");
    case ExprKind::Generator: return generator(e);
    case ExprKind::List: return list_display(e);
    case ExprKind::ListComp: return list_comprehension(e);
    case ExprKind::Dict: return dict_display(e);
    case ExprKind::Set: return set_display(e);
    case ExprKind::DictComp: case ExprKind::SetComp: return container_comprehension(e);
    case ExprKind::Name: return name(e);
    case ExprKind::Attribute: return attribute(e);
    case ExprKind::BinOp: {
      Type left = expr(*e.operands[0]);
      Type right = expr(*e.operands[1]);
      if (!left || !right) return nullptr;
      return record(e, binary(e, e.op, left, right));
    }
    case ExprKind::UnaryOp: return unary(e);
    case ExprKind::BoolOp: return boolean(e);
    case ExprKind::Compare: return compare(e);
    case ExprKind::IfExp: return conditional(e);
    case ExprKind::Call: return call(e);
    case ExprKind::Subscript: return subscript(e);
    case ExprKind::Tuple: return tuple(e);
    case ExprKind::Slice:
      fail(ErrorCode::UnsupportedSyntax, e.span, "a slice is only allowed inside [...].");
  }
  return nullptr;
}

Type FunctionTyper::generator(const Expr& e) {
  Type item = comprehension_item(e);
  if (!item) return nullptr;
  if (!types::is_scalar(item))
    fail(ErrorCode::TypeMismatch, e.operands[0]->span,
         "generator expressions in compiled code yield numbers, not a " + types::name(item) + ".",
         "Write a for loop for other items, or make a list: [f(v) for v in x].");
  return record(e, types::iterator("generator", {item}));
}

Type FunctionTyper::comprehension_item(const Expr& e) {
  for (const auto& g : e.generators) {
    std::set<std::string> targets;
    collect_names(*g.target, targets);
    locals_.insert(targets.begin(), targets.end());
    Type iterable = expr(*g.iter);
    if (!iterable) return nullptr;
    if (iterable->kind == Kind::Iterator && iterable->name == "generator")
      fail(ErrorCode::UnsupportedSyntax, g.iter->span, "a generator expression over another generator.",
           "Iterate over the inner generator's iterable directly.");
    assign(*g.target, item_type(iterable, g.iter->span), g.target->span);
    for (const auto& test : g.ifs) {
      Type t = expr(*test);
      if (!t) return nullptr;
      require_truth_value(*test, t);
    }
  }
  return expr(*e.operands[0]);
}

void FunctionTyper::require_printable(const Expr& e, Type t) {
  if (t->kind == Kind::Tuple) {
    for (Type element : t->elements) require_printable(e, element);
    return;
  }
  if (t->kind == Kind::List) {  // an empty `[]` prints without an item type
    if (Type item = types::list_item(t)) require_printable(e, item);
    return;
  }
  if (types::is_complex(element_type(t)->kind))
    fail(ErrorCode::UnsupportedSyntax, e.span, "complex numbers cannot be formatted in compiled code yet.",
         "Format z.real and z.imag, or return the value and print it in Python.");
  if (types::is_scalar(t) || t->kind == Kind::Str || t->kind == Kind::Array || t->kind == Kind::None ||
      t->kind == Kind::Exception)
    return;
  fail(ErrorCode::TypeMismatch, e.span, "a " + types::name(t) + " cannot be formatted in compiled code.",
       "Format numbers, strings, arrays, tuples and lists of them and caught exceptions.");
}

Type FunctionTyper::name(const Expr& e) {
  if (locals_.count(e.name)) {
    auto it = spec_.variables.find(e.name);
    if (it != spec_.variables.end() && it->second) {
      // An empty `[]` is not a value to use until an append says what it holds.
      if (it->second->kind == Kind::List && !types::list_item(it->second)) return known_item(e, it->second);
      if ((it->second->kind == Kind::Dict || it->second->kind == Kind::Set) && it->second->elements.empty())
        return known_container(e, it->second);
      return record(e, it->second);
    }
    if (strict_)
      fail(ErrorCode::TypeMismatch, e.span,
           "variable '" + e.name + "' is used before it is assigned a value.",
           "Assign it before the first use on every path.");
    return nullptr;
  }
  auto it = source_.globals.find(e.name);
  if (it == source_.globals.end())
    fail(ErrorCode::UnsupportedName, e.span, "name '" + e.name + "' is not defined.");
  return global(e, it->second);
}

std::optional<std::string> FunctionTyper::dotted_global(const Expr& e) const {
  if (e.kind == ExprKind::Name) {
    if (locals_.count(e.name)) return std::nullopt;
    return e.name;
  }
  if (e.kind != ExprKind::Attribute) return std::nullopt;
  auto base = dotted_global(*e.operands[0]);
  if (!base) return std::nullopt;
  return *base + "." + e.name;
}

Type FunctionTyper::global(const Expr& e, const GlobalValue& g) {
  switch (g.kind) {
    case GlobalValue::Kind::Int: return constant(e, Constant{constant_kind(g, Kind::PyInt), g.int_value, 0.0});
    case GlobalValue::Kind::Float: return constant(e, Constant{constant_kind(g, Kind::PyFloat), 0, g.float_value});
    case GlobalValue::Kind::Bool: return constant(e, Constant{Kind::PyBool, g.bool_value, 0.0});
    case GlobalValue::Kind::Module: return record(e, types::module(g.qualname));
    case GlobalValue::Kind::Builtin: return record(e, types::builtin(g.qualname));
    case GlobalValue::Kind::Function: return record(e, types::function(g.function_index));
    case GlobalValue::Kind::ExceptionClass: return record(e, types::exception_class(g.qualname));
    case GlobalValue::Kind::Overload: return record(e, types::overload(g.function_index, g.qualname));
    case GlobalValue::Kind::Missing:
      fail(ErrorCode::UnsupportedName, e.span, g.type_name + ".");
    case GlobalValue::Kind::None: return record(e, types::none());  // np.newaxis, a default None
    case GlobalValue::Kind::Unsupported: break;
  }
  fail(ErrorCode::UnsupportedName, e.span,
       "global '" + dotted_global(e).value_or(e.name) + "' is a " + g.type_name +
           ", which compiled code cannot use.",
       "Compiled code reads int, float and bool constants, the math and numpy modules, and "
       "functions; pass other values as arguments.");
}

Type FunctionTyper::attribute(const Expr& e) {
  // `np.random.rand`, `mylib.prange`: the Python side resolved the object each dotted
  // name reaches, so what counts is the object, not how it is spelled.
  if (auto dotted = dotted_global(e)) {
    auto it = source_.globals.find(*dotted);
    if (it != source_.globals.end()) return global(e, it->second);
  }
  Type base = expr(*e.operands[0]);
  if (!base) return nullptr;
  if (base->kind == Kind::Module) {
    const std::string qualname = base->name + "." + e.name;
    for (const auto& c : kModuleConstants)
      if (qualname == c.qualname) return constant(e, Constant{Kind::PyFloat, 0, c.value});
    if (qualname == "numpy.random") return record(e, types::module(qualname));
    return record(e, types::builtin(qualname));
  }
  if (base->kind == Kind::Array) {
    if (e.name == "shape")
      return record(e, types::tuple(std::vector<Type>(static_cast<size_t>(base->ndim),
                                                      types::scalar(Kind::PyInt))));
    if (e.name == "size" || e.name == "ndim" || e.name == "itemsize" || e.name == "nbytes")
      return record(e, types::scalar(Kind::PyInt));
    if (e.name == "T") return record(e, types::transposed(base));
    // x.real, x.imag of a complex array: views of the parts (every other float).
    if ((e.name == "real" || e.name == "imag") && types::is_complex(base->dtype))
      return record(e, types::array(types::complex_part(base->dtype), base->ndim, types::Layout::Any, base->readonly));
    if (e.name == "real") return record(e, base);  // a real array is its own real part
    // The element type is known when compiling: x.dtype is its NumPy scalar type, so it
    // goes wherever np.float64 goes (np.empty(n, x.dtype), dtype=x.dtype).
    if (e.name == "dtype") return record(e, types::builtin(std::string("numpy.") + types::name(base->dtype)));
    fail(ErrorCode::UnsupportedSyntax, e.span,
         "arrays have no attribute '" + e.name + "' in compiled code.",
         "Supported: x.shape, x.size, x.ndim, x.dtype, x.itemsize, x.nbytes, x.T, x.real, x.imag (complex), "
         "len(x), x[i, ...], and the "
         "methods in docs/jit.md.");
  }
  if (types::is_scalar(base) && (e.name == "real" || e.name == "imag"))
    return record(e, types::scalar(real_part_kind(base->kind)));
  fail(ErrorCode::TypeMismatch, e.span,
       "a " + types::name(base) + " has no attribute '" + e.name + "' in compiled code.");
}

Type FunctionTyper::matmul(const Expr& e, Type left, Type right) {
  // np.matmul of 1-d and 2-d arrays is np.dot's product; stacks of matrices are not yet.
  for (Type operand : {left, right}) {
    if (operand->kind != Kind::Array)
      fail(ErrorCode::TypeMismatch, e.span,
           "matmul: the operands of @ must be arrays, not " + operand_names(left, right) + ".",
           "NumPy refuses numbers too (\"Input operand does not have enough dimensions\"): use * for them.");
    if (operand->ndim < 1 || operand->ndim > 2)
      fail(ErrorCode::UnsupportedSyntax, e.span,
           "@ of " + std::to_string(operand->ndim) + "-d arrays is not supported in compiled code yet.",
           "Compiled code multiplies 1-d and 2-d arrays with @.");
    if (types::is_bool(operand->dtype))
      fail(ErrorCode::TypeMismatch, e.span, "@ of bool arrays is not supported in compiled code.");
  }
  return matrix_product_type(left, right);
}

Type matrix_product_type(Type a, Type b) {
  const Kind kind = types::promote(a->dtype, b->dtype);
  const int ndim = a->ndim + b->ndim - 2;
  return ndim == 0 ? types::scalar(kind) : types::array(kind, ndim, types::Layout::C);
}

Type FunctionTyper::binary(const Expr& e, Operator op, Type left, Type right) {
  if (op == Operator::MatMult) return matmul(e, left, right);
  if (left->kind == Kind::List || right->kind == Kind::List) return list_binary(e, op, left, right);
  if (left->kind == Kind::Set || right->kind == Kind::Set || left->kind == Kind::Dict || right->kind == Kind::Dict)
    return set_binary(e, op, left, right);
  Type result = binary_result(op, left, right);
  if (result && result->kind == Kind::Array && result->ndim == 0)
    fail(ErrorCode::UnsupportedSyntax, e.span, "arithmetic on 0-d arrays is not supported in compiled code.",
         "Pass the number itself (a[()] or float(a)) instead of a 0-d array.");
  if (result) return result;
  if (types::is_scalar(left) && types::is_scalar(right) &&
      types::promote(left->kind, right->kind) == Kind::Bool)
    fail(ErrorCode::TypeMismatch, e.span,
         "arithmetic '" + std::string(frontend::spelling(op)) + "' on two NumPy bools.",
         "Convert to int first, e.g. int(a) + int(b), or use | & ^ for logic.");
  fail(ErrorCode::TypeMismatch, e.span,
       "unsupported operand type(s) for " + std::string(frontend::spelling(op)) + ": " +
           operand_names(left, right) + ".");
}

Type FunctionTyper::unary(const Expr& e) {
  Type operand = expr(*e.operands[0]);
  if (!operand) return nullptr;
  if (e.op == Operator::Not) require_truth_value(*e.operands[0], operand);
  Type result = unary_result(e.op, operand);
  if (!result)
    fail(ErrorCode::TypeMismatch, e.span,
         "bad operand type for unary " + std::string(frontend::spelling(e.op)) + ": '" +
             types::name(operand) + "'.");
  return record(e, result);
}

Type FunctionTyper::boolean(const Expr& e) {
  Type result = nullptr;
  bool unknown = false;
  for (const auto& operand : e.operands) {
    Type t = expr(*operand);
    if (!t) {
      unknown = true;
      continue;
    }
    require_truth_value(*operand, t);
    if (!result) {
      result = t;
      continue;
    }
    Type merged = types::unify(result, t);
    if (!merged)
      fail(ErrorCode::TypeMismatch, e.span,
           "'" + std::string(frontend::spelling(e.op)) + "' between a " + types::name(result) +
               " and a " + types::name(t) + ": the result would have two types.",
           "Compare explicitly so both sides are bools.");
    result = merged;
  }
  return unknown ? nullptr : record(e, result);
}

Type FunctionTyper::compare(const Expr& e) {
  Type result = nullptr;
  std::vector<Type> operands;
  for (const auto& operand : e.operands) operands.push_back(expr(*operand));
  for (Type t : operands)
    if (!t) return nullptr;
  for (size_t i = 0; i + 1 < operands.size(); ++i) {
    Type left = operands[i], right = operands[i + 1];
    if ((e.compare_ops[i] == Operator::In || e.compare_ops[i] == Operator::NotIn) && right->kind == Kind::List) {
      Type item = known_item(*e.operands[i + 1], right);
      if (!item) return nullptr;
      if (!same_shape(left, item))
        fail(ErrorCode::TypeMismatch, e.span,
             "'" + std::string(frontend::spelling(e.compare_ops[i])) + "' compares a " + types::name(left) +
                 " with the items of a " + types::name(right) + ", which compiled code cannot do.");
      result = types::scalar(Kind::PyBool);
      continue;
    }
    if ((e.compare_ops[i] == Operator::In || e.compare_ops[i] == Operator::NotIn) &&
        (right->kind == Kind::Dict || right->kind == Kind::Set)) {
      if (!membership(*e.operands[i + 1], left, right)) return nullptr;
      result = types::scalar(Kind::PyBool);
      continue;
    }
    if ((e.compare_ops[i] == Operator::Eq || e.compare_ops[i] == Operator::NotEq) && left->kind == Kind::Set &&
        right->kind == Kind::Set) {
      if (!types::unify(left, right))
        fail(ErrorCode::TypeMismatch, e.span, "compiled code compares sets of one item type, not a " + types::name(left) +
                                                  " and a " + types::name(right) + ".");
      result = types::scalar(Kind::PyBool);
      continue;
    }
    if (e.compare_ops[i] == Operator::In || e.compare_ops[i] == Operator::NotIn) {
      bool numbers = right->kind == Kind::Tuple && types::is_scalar(left);
      for (Type element : right->kind == Kind::Tuple ? right->elements : std::vector<Type>{})
        numbers = numbers && types::is_scalar(element);
      if (!numbers)
        fail(ErrorCode::TypeMismatch, e.span,
             "'" + std::string(frontend::spelling(e.compare_ops[i])) +
                 "' tests whether a number is in a tuple of numbers in compiled code, not " + operand_names(left, right) + ".",
             right->kind == Kind::Array ? "For an array, write (x == a).any()." : "");
      result = types::scalar(Kind::PyBool);
      continue;
    }
    if (orders_complex(e.compare_ops[i], left, right))
      fail(ErrorCode::TypeMismatch, e.span,
           "'" + std::string(frontend::spelling(e.compare_ops[i])) + "' not supported between instances of " +
               operand_names(left, right) + ": complex numbers are not ordered.",
           "Compare their abs() or .real.");
    const bool arrays = left->kind == Kind::Array || right->kind == Kind::Array;
    if (arrays && e.compare_ops.size() > 1)
      fail(ErrorCode::TypeMismatch, e.span,
           "a chained comparison of arrays needs the truth value of an array, which is ambiguous.",
           "Combine the comparisons with &: (a < b) & (b < c).");
    if (arrays && (types::is_scalar(left) || left->kind == Kind::Array) &&
        (types::is_scalar(right) || right->kind == Kind::Array)) {
      result = compare_result(left, right);
      continue;
    }
    if (!types::is_scalar(left) || !types::is_scalar(right))
      fail(ErrorCode::TypeMismatch, e.span,
           "'" + std::string(frontend::spelling(e.compare_ops[i])) +
               "' compares numbers in compiled code, not " + operand_names(left, right) + ".",
           left->kind == Kind::Array || right->kind == Kind::Array
               ? "Compare elements, e.g. x[i] < y[i]."
               : "");
    Type t = compare_result(left, right);
    result = result ? types::unify(result, t) : t;
  }
  return record(e, result);
}

Type FunctionTyper::conditional(const Expr& e) {
  Type test = expr(*e.operands[0]);
  if (test) require_truth_value(*e.operands[0], test);
  Type then = expr(*e.operands[1]);
  Type otherwise = expr(*e.operands[2]);
  // `1 if n < 2 else n * f(n - 1)`: while the recursive branch is unknown, the other one
  // is the expression's type so far; the passes to the fixed point widen it.
  if (!then || !otherwise) return strict_ ? nullptr : record(e, then ? then : otherwise);
  Type merged = types::unify(then, otherwise);
  if (!merged)
    fail(ErrorCode::TypeMismatch, e.span,
         "the two branches give a " + types::name(then) + " and a " + types::name(otherwise) +
             ": the result would have two types.");
  return record(e, merged);
}

void FunctionTyper::require_truth_value(const Expr& e, Type t) {
  if (!t || types::is_scalar(t) || t->kind == Kind::None || t->kind == Kind::List || t->kind == Kind::Dict ||
      t->kind == Kind::Set)
    return;
  if (t->kind == Kind::Array)
    fail(ErrorCode::TypeMismatch, e.span,
         "the truth value of an array is ambiguous in compiled code.",
         "Test elements, or compare its size: len(x) > 0.");
  fail(ErrorCode::TypeMismatch, e.span,
       "a " + types::name(t) + " cannot be used as a condition in compiled code.");
}

int64_t FunctionTyper::constant_index(const Expr& e) {
  if (e.kind == ExprKind::IntLit) return e.int_value;
  if (e.kind == ExprKind::UnaryOp && e.op == Operator::USub &&
      e.operands[0]->kind == ExprKind::IntLit)
    return -e.operands[0]->int_value;
  fail(ErrorCode::TypeMismatch, e.span,
       "tuples are indexed by integer constants in compiled code.",
       "Unpack the tuple (a, b = t) or write t[0], t[1].");
}

Type FunctionTyper::subscript(const Expr& e) {
  Type base = expr(*e.operands[0]);
  std::vector<Type> indices;
  int slices = 0;
  for (size_t i = 1; i < e.operands.size(); ++i) {
    const Expr& index = *e.operands[i];
    if (index.kind == ExprKind::EllipsisLit) {
      indices.push_back(types::none());  // stands for the axes it spans; no value
      continue;
    }
    if (index.kind != ExprKind::Slice) {
      indices.push_back(expr(index));
      continue;
    }
    // A slice's parts are integers or None; the slice itself is no value.
    ++slices;
    indices.push_back(types::scalar(Kind::PyInt));
    for (const auto& part : index.operands) {
      if (!part) continue;
      Type t = expr(*part);
      if (t && t->kind != Kind::None && !types::is_integer(t->kind) && t->kind != Kind::PyBool)
        fail(ErrorCode::TypeMismatch, part->span,
             "slice indices must be integers or None, not " + types::name(t) + ".");
    }
  }
  if (!base) return nullptr;
  if (base->kind == Kind::List) return list_subscript(e, base, indices);
  if (base->kind == Kind::Dict) return dict_subscript(e, base);
  if (base->kind == Kind::Tuple) {
    if (indices.size() != 1)
      fail(ErrorCode::TypeMismatch, e.span, "tuples take one index.");
    if (slices) {
      auto taken = constant_tuple_slice(*e.operands[1], base->elements.size());
      if (!taken)
        fail(ErrorCode::UnsupportedSyntax, e.operands[1]->span,
             "a tuple is sliced by integer constants in compiled code (a tuple's length is part of its type).",
             "Write the bounds as numbers: t[1:], t[::-1], t[:3].");
      std::vector<Type> elements;
      for (size_t i : *taken) elements.push_back(base->elements[i]);
      return record(e, types::tuple(std::move(elements)));
    }
    if (!constant_int(*e.operands[1])) {
      // t[i] with i known only at run time: the elements' common type (docs/semantics.md #35).
      Type index_type = indices[0];
      if (!index_type) return nullptr;
      if (!types::is_integer(index_type->kind) && !types::is_bool(index_type->kind))
        fail(ErrorCode::TypeMismatch, e.operands[1]->span,
             "tuple indices must be integers, not " + types::name(index_type) + ".");
      return record(e, item_type(base, e.span));
    }
    int64_t index = constant_index(*e.operands[1]);
    const auto size = static_cast<int64_t>(base->elements.size());
    if (index < -size || index >= size)
      fail(ErrorCode::TypeMismatch, e.span,
           "tuple index " + std::to_string(index) + " out of range for a tuple of " +
               std::to_string(size) + ".");
    return record(e, base->elements[static_cast<size_t>(index < 0 ? index + size : index)]);
  }
  if (base->kind != Kind::Array)
    fail(ErrorCode::TypeMismatch, e.span,
         "a " + types::name(base) + " cannot be indexed in compiled code.");
  // NumPy's basic indexing: integers fix axes, slices narrow them, None (np.newaxis) adds
  // an axis of length 1 and one '...' stands for every axis the others leave out.
  int new_axes = 0;
  int ellipses = 0;
  for (size_t i = 0; i < indices.size(); ++i) {
    const Expr& index = *e.operands[i + 1];
    Type t = indices[i];
    if (!t) return nullptr;
    if (index.kind == ExprKind::EllipsisLit) {
      ++ellipses;
      continue;
    }
    if (t->kind == Kind::None) {
      ++new_axes;
      continue;
    }
    if (t->kind == Kind::Array) return advanced_subscript(e, base);
    if (!types::is_integer(t->kind))
      fail(ErrorCode::TypeMismatch, index.span,
           "array indices must be integers, slices, None, '...' or arrays of integers or booleans, not " +
               types::name(t) + ".",
           types::is_float(t->kind) ? "Convert with int(...)." : "");
  }
  if (ellipses > 1) fail(ErrorCode::TypeMismatch, e.span, "an index can only have a single ellipsis ('...').");
  const int consumed = static_cast<int>(indices.size()) - new_axes - ellipses;
  if (consumed > base->ndim)
    fail(ErrorCode::TypeMismatch, e.span,
         "too many indices for array: array is " + std::to_string(base->ndim) +
             "-dimensional, but " + std::to_string(consumed) + " were indexed.");
  const int integers = consumed - slices;
  const int ndim = base->ndim - integers + new_axes;
  // Every axis fixed: the element (also under '...', where NumPy gives a 0-d array;
  // docs/semantics.md #47).
  if (ndim == 0) return record(e, types::element(base));
  // Fixing leading axes of a C array leaves a C array, and so do added axes of length 1;
  // a slice may step over elements, and an integer after '...' fixes a trailing axis.
  const bool contiguous = base->layout == types::Layout::C && slices == 0 && (ellipses == 0 || integers == 0);
  return record(e, types::array(base->dtype, ndim, contiguous ? types::Layout::C : types::Layout::Any,
                                base->readonly));
}

Type FunctionTyper::tuple(const Expr& e) {
  std::vector<Type> elements;
  for (const auto& operand : e.operands) {
    Type t = expr(*operand);
    if (!t) return nullptr;
    if (types::is_compile_time(t) || types::is_loop_only(t))
      fail(ErrorCode::TypeMismatch, operand->span,
           "a " + types::name(t) + " cannot be put in a tuple in compiled code.");
    elements.push_back(t);
  }
  return record(e, types::tuple(std::move(elements)));
}

}  // namespace accel::infer
