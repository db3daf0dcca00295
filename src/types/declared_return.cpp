#include "types/declared_return.h"

namespace accel::types {
namespace {

// numba's spelling, since the declared type was written in it: int64 for a Python int.
std::string numba_name(Type t) {
  switch (t->kind) {
    case Kind::PyInt: return "int64";
    case Kind::PyFloat: return "float64";
    case Kind::PyComplex: return "complex128";
    case Kind::PyBool: case Kind::Bool: return "bool";
    case Kind::None: return "none";
    case Kind::Tuple: {
      std::string out = "Tuple(";
      for (size_t i = 0; i < t->elements.size(); ++i) out += (i ? ", " : "") + numba_name(t->elements[i]);
      return out + ")";
    }
    default: return name(t);
  }
}

// Empty when a value of type `from` converts to `to`; otherwise why not.
std::string refusal(Type from, Type to) {
  if (to->kind == Kind::None)
    return from->kind == Kind::None ? "" : "a function declared to return none (void) must not return a value";
  if (is_scalar(to)) {
    if (!is_scalar(from)) return "only a number converts to a number";
    return is_complex(from->kind) && !is_complex(to->kind) ? "a complex number does not convert to a real one" : "";
  }
  if (to->kind == Kind::Array) {
    if (from->kind != Kind::Array) return "only an array converts to an array";
    if (from->dtype != to->dtype) return "the dtypes differ (arrays are not converted)";
    if (from->ndim != to->ndim) return "the numbers of dimensions differ";
    if (to->layout != Layout::Any && from->layout != to->layout)
      return std::string("the result is not known to be ") +
             (to->layout == Layout::C ? "C-contiguous" : "Fortran-contiguous");
    if (from->readonly && !to->readonly) return "the result is read-only";
    return "";
  }
  if (to->kind == Kind::Tuple) {
    if (from->kind != Kind::Tuple) return "only a tuple converts to a tuple";
    if (from->elements.size() != to->elements.size()) return "the tuples have different lengths";
    for (size_t i = 0; i < to->elements.size(); ++i) {
      std::string why = refusal(from->elements[i], to->elements[i]);
      if (!why.empty()) return "element " + std::to_string(i) + ": " + why;
    }
    return "";
  }
  return "this type cannot be declared as a result";
}

}  // namespace

Type as_python_scalars(Type t) {
  if (t->kind == Kind::Tuple) {
    std::vector<Type> elements;
    for (Type e : t->elements) elements.push_back(as_python_scalars(e));
    return tuple(std::move(elements));
  }
  if (!is_scalar(t) || t->kind == Kind::UInt64) return t;
  if (is_bool(t->kind)) return scalar(Kind::PyBool);
  if (is_complex(t->kind)) return scalar(Kind::PyComplex);
  return scalar(is_float(t->kind) ? Kind::PyFloat : Kind::PyInt);
}

ReturnConversion declared_return(Type inferred, Type declared) {
  if (!declared) return {as_python_scalars(inferred), ""};
  std::string why = refusal(inferred, declared);
  if (!why.empty())
    return {nullptr, "the function returns " + numba_name(inferred) + ", which cannot be the declared " +
                         numba_name(declared) + ": " + why + "."};
  return {as_python_scalars(declared), ""};
}

}  // namespace accel::types
