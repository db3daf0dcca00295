#include "types/type.h"

#include <map>
#include <memory>
#include <mutex>

namespace accel::types {
namespace {

std::mutex intern_mutex;

Type intern(TypeNode node) {
  static std::map<std::string, std::unique_ptr<TypeNode>> table;
  std::string key = std::to_string(static_cast<int>(node.kind)) + "/" +
                    std::to_string(static_cast<int>(node.dtype)) + "/" +
                    std::to_string(node.ndim) + "/" +
                    std::to_string(static_cast<int>(node.layout)) + "/" +
                    std::to_string(node.readonly) + "/" + std::to_string(node.function_index) + "/" +
                    node.name + "/";
  for (Type e : node.elements) key += std::to_string(reinterpret_cast<uintptr_t>(e)) + ",";
  std::lock_guard lock(intern_mutex);
  auto& slot = table[key];
  if (!slot) slot = std::make_unique<TypeNode>(std::move(node));
  return slot.get();
}

constexpr uint32_t kArrayBit = 1u << 15;
constexpr uint32_t kReadonlyBit = 1u << 14;

}  // namespace

Type scalar(Kind kind) { return intern(TypeNode{.kind = kind}); }
Type none() { return intern(TypeNode{.kind = Kind::None}); }
Type range() { return intern(TypeNode{.kind = Kind::Range}); }

Type array(Kind dtype, int ndim, Layout layout, bool readonly) {
  // One dimension is C and F at once; calling it C keeps one specialization.
  if (ndim <= 1 && layout == Layout::F) layout = Layout::C;
  return intern(TypeNode{.kind = Kind::Array, .dtype = dtype, .ndim = ndim, .layout = layout,
                         .readonly = readonly});
}

Type tuple(std::vector<Type> elements) {
  return intern(TypeNode{.kind = Kind::Tuple, .elements = std::move(elements)});
}

Type module(const std::string& qualname) {
  return intern(TypeNode{.kind = Kind::Module, .name = qualname});
}

Type builtin(const std::string& qualname) {
  return intern(TypeNode{.kind = Kind::Builtin, .name = qualname});
}

Type function(int index) {
  return intern(TypeNode{.kind = Kind::Function, .name = std::to_string(index),
                         .function_index = index});
}

Type exception_class(const std::string& class_path) {
  return intern(TypeNode{.kind = Kind::ExceptionClass, .name = class_path});
}

Type exception() { return intern(TypeNode{.kind = Kind::Exception}); }

Type list(Type item) {
  std::vector<Type> elements;
  if (item) elements.push_back(item);
  return intern(TypeNode{.kind = Kind::List, .elements = std::move(elements)});
}

Type dict(Type key, Type value) {
  std::vector<Type> elements;
  if (key && value) elements = {key, value};
  return intern(TypeNode{.kind = Kind::Dict, .elements = std::move(elements)});
}

Type set(Type item) {
  std::vector<Type> elements;
  if (item) elements.push_back(item);
  return intern(TypeNode{.kind = Kind::Set, .elements = std::move(elements)});
}

bool is_plain_data(Type t) {
  if (is_scalar(t)) return true;
  if (t->kind != Kind::Tuple) return false;
  for (Type e : t->elements)
    if (!is_plain_data(e)) return false;
  return true;
}

Type string() { return intern(TypeNode{.kind = Kind::Str}); }

Type iterator(const std::string& name, std::vector<Type> elements) {
  return intern(TypeNode{.kind = Kind::Iterator, .elements = std::move(elements), .name = name});
}

std::string class_name(const std::string& class_path) {
  std::string first = class_path.substr(0, class_path.find('|'));
  if (first.rfind("builtins:", 0) == 0) return first.substr(9);
  const size_t colon = first.find(':');
  if (colon != std::string::npos) first[colon] = '.';
  return first;
}

Type overload(int index, const std::string& shown) {
  return intern(TypeNode{.kind = Kind::Overload, .name = shown, .function_index = index});
}

bool is_scalar(Kind kind) { return kind <= Kind::Complex128; }
bool is_python_scalar(Kind kind) { return kind <= Kind::PyComplex; }
bool is_bool(Kind kind) { return kind == Kind::PyBool || kind == Kind::Bool; }
bool is_integer(Kind kind) {
  return kind == Kind::PyInt || (kind >= Kind::Int8 && kind <= Kind::UInt64);
}
bool is_signed(Kind kind) {
  return kind == Kind::PyInt || (kind >= Kind::Int8 && kind <= Kind::Int64);
}
bool is_float(Kind kind) {
  return kind == Kind::PyFloat || kind == Kind::Float32 || kind == Kind::Float64;
}

bool is_complex(Kind kind) {
  return kind == Kind::PyComplex || kind == Kind::Complex64 || kind == Kind::Complex128;
}

Kind complex_part(Kind kind) { return kind == Kind::Complex64 ? Kind::Float32 : Kind::Float64; }

Kind complex_of(Kind real) {
  if (is_complex(real)) return real;
  if (is_python_scalar(real)) return Kind::PyComplex;
  return real == Kind::Float32 ? Kind::Complex64 : Kind::Complex128;
}

int bit_width(Kind kind) {
  switch (kind) {
    case Kind::PyBool: case Kind::Bool: return 1;
    case Kind::Int8: case Kind::UInt8: return 8;
    case Kind::Int16: case Kind::UInt16: return 16;
    case Kind::Int32: case Kind::UInt32: case Kind::Float32: return 32;
    case Kind::PyComplex: case Kind::Complex128: return 128;
    default: return 64;
  }
}

int64_t item_size(Kind kind) {
  const int bits = bit_width(kind);
  return bits == 1 ? 1 : bits / 8;
}

Type row_of(Type array_type) {
  if (array_type->ndim <= 1) return element(array_type);
  // Dropping the first axis of a C array keeps it C; of an F array it does not.
  Layout layout = array_type->layout == Layout::C ? Layout::C : Layout::Any;
  return array(array_type->dtype, array_type->ndim - 1, layout, array_type->readonly);
}

Type transposed(Type array_type) {
  const Layout layout = array_type->layout == Layout::C   ? Layout::F
                        : array_type->layout == Layout::F ? Layout::C
                                                          : Layout::Any;
  return array(array_type->dtype, array_type->ndim, layout, array_type->readonly);
}

bool is_compile_time(Type t) {
  return t->kind == Kind::Module || t->kind == Kind::Builtin || t->kind == Kind::Function ||
         t->kind == Kind::ExceptionClass || t->kind == Kind::Overload;
}

const char* name(Kind kind) {
  switch (kind) {
    case Kind::PyBool: return "bool";
    case Kind::PyInt: return "int";
    case Kind::PyFloat: return "float";
    case Kind::PyComplex: return "complex";
    case Kind::Complex64: return "complex64";
    case Kind::Complex128: return "complex128";
    case Kind::Bool: return "bool_";
    case Kind::Int8: return "int8";
    case Kind::Int16: return "int16";
    case Kind::Int32: return "int32";
    case Kind::Int64: return "int64";
    case Kind::UInt8: return "uint8";
    case Kind::UInt16: return "uint16";
    case Kind::UInt32: return "uint32";
    case Kind::UInt64: return "uint64";
    case Kind::Float32: return "float32";
    case Kind::Float64: return "float64";
    case Kind::None: return "None";
    case Kind::Array: return "array";
    case Kind::Tuple: return "tuple";
    case Kind::Range: return "range";
    case Kind::Module: return "module";
    case Kind::Builtin: return "builtin";
    case Kind::Function: return "function";
    case Kind::ExceptionClass: return "exception class";
    case Kind::Exception: return "exception";
    case Kind::Overload: return "overloaded function";
    case Kind::Str: return "str";
    case Kind::Iterator: return "iterator";
    case Kind::List: return "list";
    case Kind::Dict: return "dict";
    case Kind::Set: return "set";
  }
  return "?";
}

std::string name(Type t) {
  switch (t->kind) {
    case Kind::Array: {
      const char* layout = t->layout == Layout::C ? "C" : t->layout == Layout::F ? "F" : "A";
      std::string dtype = t->dtype == Kind::Bool ? "bool" : name(t->dtype);
      return "array(" + dtype + ", " + std::to_string(t->ndim) + "d, " + layout +
             (t->readonly ? ", readonly)" : ")");
    }
    case Kind::Tuple: {
      std::string out = "tuple(";
      for (size_t i = 0; i < t->elements.size(); ++i)
        out += (i ? ", " : "") + name(t->elements[i]);
      return out + ")";
    }
    case Kind::List: return t->elements.empty() ? "list (of items not known yet)" : "list(" + name(t->elements[0]) + ")";
    case Kind::Dict:
      return t->elements.empty() ? "dict (of keys and values not known yet)"
                                 : "dict(" + name(t->elements[0]) + " -> " + name(t->elements[1]) + ")";
    case Kind::Set: return t->elements.empty() ? "set (of items not known yet)" : "set(" + name(t->elements[0]) + ")";
    case Kind::Module: return "module " + t->name;
    case Kind::Builtin: return t->name;
    case Kind::Function: return "function #" + t->name;
    case Kind::ExceptionClass: return "class " + class_name(t->name);
    case Kind::Overload: return t->name;
    case Kind::Iterator: return t->name;
    default: return name(t->kind);
  }
}

uint32_t arg_code(Type t) {
  if (t->kind != Kind::Array) return static_cast<uint32_t>(t->kind);
  return static_cast<uint32_t>(t->dtype) | static_cast<uint32_t>(t->ndim) << 8 |
         static_cast<uint32_t>(t->layout) << 12 | (t->readonly ? kReadonlyBit : 0) | kArrayBit;
}

Type from_arg_code(uint32_t code) {
  const auto kind = static_cast<Kind>(code & 0xff);
  if (!is_scalar(kind)) return nullptr;
  if (!(code & kArrayBit)) return (code >> 8) ? nullptr : scalar(kind);
  if (is_python_scalar(kind)) return nullptr;
  const int ndim = static_cast<int>((code >> 8) & 0xf);
  const auto layout = static_cast<Layout>((code >> 12) & 0x3);
  if (layout > Layout::Any) return nullptr;
  return array(kind, ndim, layout, (code & kReadonlyBit) != 0);
}

namespace {

void append_codes(Type t, std::vector<uint32_t>& out) {
  if (t->kind == Kind::List) {
    out.push_back(kListCode);
    append_codes(list_item(t), out);
    return;
  }
  if (t->kind != Kind::Tuple) {
    out.push_back(arg_code(t));
    return;
  }
  out.push_back(kTupleCode | static_cast<uint32_t>(t->elements.size()));
  for (Type e : t->elements) append_codes(e, out);
}

// Reads one argument type at codes[pos...], advancing pos; nullptr when malformed.
Type read_codes(const std::vector<uint32_t>& codes, size_t& pos, int depth) {
  if (pos >= codes.size() || depth > 32) return nullptr;
  const uint32_t code = codes[pos++];
  if (code == kListCode) {
    Type item = read_codes(codes, pos, depth + 1);
    return item && is_plain_data(item) ? list(item) : nullptr;
  }
  if (!(code & kTupleCode)) return from_arg_code(code);
  if (code & ~(kTupleCode | 0xffffu)) return nullptr;
  std::vector<Type> elements;
  for (uint32_t i = 0; i < (code & 0xffffu); ++i) {
    Type e = read_codes(codes, pos, depth + 1);
    if (!e) return nullptr;
    elements.push_back(e);
  }
  return tuple(std::move(elements));
}

}  // namespace

std::vector<uint32_t> arg_codes(const std::vector<Type>& types) {
  std::vector<uint32_t> out;
  for (Type t : types) append_codes(t, out);
  return out;
}

std::optional<std::vector<Type>> from_arg_codes(const std::vector<uint32_t>& codes) {
  std::vector<Type> out;
  for (size_t pos = 0; pos < codes.size();) {
    Type t = read_codes(codes, pos, 0);
    if (!t) return std::nullopt;
    out.push_back(t);
  }
  return out;
}

}  // namespace accel::types
