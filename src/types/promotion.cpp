#include "types/promotion.h"

#include <algorithm>

namespace accel::types {
namespace {

Kind signed_kind(int bits) {
  switch (bits) {
    case 8: return Kind::Int8;
    case 16: return Kind::Int16;
    case 32: return Kind::Int32;
    default: return Kind::Int64;
  }
}

Kind unsigned_kind(int bits) {
  switch (bits) {
    case 8: return Kind::UInt8;
    case 16: return Kind::UInt16;
    case 32: return Kind::UInt32;
    default: return Kind::UInt64;
  }
}

// np.promote_types for two NumPy kinds.
Kind promote_strong(Kind a, Kind b) {
  if (a == b) return a;
  if (a == Kind::Bool) return b;
  if (b == Kind::Bool) return a;
  if (is_complex(a) || is_complex(b)) {
    // The parts promote as reals: complex64 + int32 is complex128, + int16 complex64.
    const Kind parts = promote_strong(is_complex(a) ? complex_part(a) : a, is_complex(b) ? complex_part(b) : b);
    return complex_of(parts);
  }
  const bool fa = is_float(a), fb = is_float(b);
  if (fa && fb) return std::max(bit_width(a), bit_width(b)) == 64 ? Kind::Float64 : Kind::Float32;
  if (fa || fb) {
    const Kind f = fa ? a : b, i = fa ? b : a;
    // float32 holds 8- and 16-bit integers exactly, wider ones need float64.
    return f == Kind::Float32 && bit_width(i) <= 16 ? Kind::Float32 : Kind::Float64;
  }
  const bool sa = is_signed(a), sb = is_signed(b);
  const int wa = bit_width(a), wb = bit_width(b);
  if (sa == sb) return sa ? signed_kind(std::max(wa, wb)) : unsigned_kind(std::max(wa, wb));
  const int ws = sa ? wa : wb, wu = sa ? wb : wa;
  if (ws > wu) return signed_kind(ws);
  if (wu == 64) return Kind::Float64;  // no integer type holds both int64 and uint64
  return signed_kind(wu * 2);
}

}  // namespace

Kind promote(Kind a, Kind b) {
  const bool weak_a = is_python_scalar(a), weak_b = is_python_scalar(b);
  if (weak_a && weak_b) return std::max(a, b);  // PyBool < PyInt < PyFloat
  if (!weak_a && !weak_b) return promote_strong(a, b);
  const Kind weak = weak_a ? a : b, strong = weak_a ? b : a;
  switch (weak) {
    case Kind::PyBool: return strong;
    case Kind::PyInt: return strong == Kind::Bool ? Kind::Int64 : strong;
    case Kind::PyFloat: return is_float(strong) || is_complex(strong) ? strong : Kind::Float64;
    default: return is_complex(strong) ? strong : complex_of(strong == Kind::Float32 ? Kind::Float32 : Kind::Float64);
  }
}

Type unify(Type a, Type b) {
  if (a == b) return a;
  if (is_scalar(a) && is_scalar(b)) return scalar(promote(a->kind, b->kind));
  if (a->kind == Kind::Array && b->kind == Kind::Array) {
    if (a->dtype != b->dtype || a->ndim != b->ndim) return nullptr;
    const Layout layout = a->layout == b->layout ? a->layout : Layout::Any;
    return array(a->dtype, a->ndim, layout, a->readonly || b->readonly);
  }
  if (a->kind == Kind::List && b->kind == Kind::List) {
    // An empty `[]` takes the other's item type. Lists of two item types do not merge:
    // converting one would copy it, and the copy would no longer be the list the code
    // changes through its other names (docs/semantics.md).
    if (!list_item(a)) return b;
    if (!list_item(b)) return a;
    return nullptr;
  }
  if ((a->kind == Kind::Dict || a->kind == Kind::Set) && a->kind == b->kind) {  // as lists
    if (a->elements.empty()) return b;
    if (b->elements.empty()) return a;
    return nullptr;
  }
  if (a->kind == Kind::Tuple && b->kind == Kind::Tuple &&
      a->elements.size() == b->elements.size()) {
    std::vector<Type> elements;
    for (size_t i = 0; i < a->elements.size(); ++i) {
      Type e = unify(a->elements[i], b->elements[i]);
      if (!e) return nullptr;
      elements.push_back(e);
    }
    return tuple(std::move(elements));
  }
  return nullptr;
}

bool can_cast_same_kind(Kind from, Kind to) {
  // Order of kinds: bool < integer < float < complex; within a kind any size goes.
  auto rank = [](Kind k) { return is_bool(k) ? 0 : is_complex(k) ? 3 : is_float(k) ? 2 : 1; };
  return rank(from) <= rank(to);
}

Kind numpy_kind(Kind k) {
  switch (k) {
    case Kind::PyBool: return Kind::Bool;
    case Kind::PyInt: return Kind::Int64;
    case Kind::PyFloat: return Kind::Float64;
    case Kind::PyComplex: return Kind::Complex128;
    default: return k;
  }
}

Kind float_result(Kind kind) {
  if (is_complex(kind)) return kind;
  if (is_python_scalar(kind)) return Kind::PyFloat;
  if (kind == Kind::Float32) return Kind::Float32;
  return Kind::Float64;
}

}  // namespace accel::types
