#define ACCEL_IMPORTS_NUMPY
#include "dispatch/numpy_api.h"

#include <structmember.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "codegen/module_emitter.h"
#include "dispatch/argument_conversion.h"
#include "dispatch/dispatcher.h"
#include "types/type_text.h"
#include "runtime/abi.h"

namespace accel::dispatch {

using types::Kind;

namespace {

// More parameters than this take the slow path once, then fail with a clear message.
constexpr int kMaxArguments = 64;
// A call's type codes and slots, tuples' elements included (an array takes 3 slots).
constexpr int kMaxCodes = 256;
constexpr int kMaxSlots = 3 * kMaxCodes;
constexpr uint32_t kArrayBit = 1u << 15;
constexpr uint32_t kReadonlyBit = 1u << 14;

struct Specialization {
  std::vector<uint32_t> codes;
  codegen::EntryFunction entry;
  types::Type return_type;
  int result_slots;
  jit::CompiledFunction compiled;  // kept whole so it can be sent to other processes
};

// One argument of an alias whose slot changes representation (see argument_conversion.h).
struct ArgumentConversion {
  int argument;
  int slot;
  SlotConversion conversion;
  types::Kind parameter;
};

// Argument types a function compiled from signatures accepts by converting: calls with
// these codes run specializations[target] after rewriting the slots of `conversions`.
// Its signatures' resolver made it on the first such call.
struct Alias {
  std::vector<uint32_t> codes;
  size_t target;
  std::vector<ArgumentConversion> conversions;
};

struct Dispatcher {
  PyObject_HEAD
  vectorcallfunc vectorcall;
  PyObject* py_func;
  PyObject* hook;  // the Python side: compile(codes[, declared]), bind(args, kwargs), reduce()
  // Set for a function compiled from signatures (python/accel/_signatures.py): it never
  // compiles on a miss but picks a signature, resolve(codes) -> its codes, or raises;
  // refuse(args, index) raises the TypeError for an argument of no supported type.
  PyObject* resolver;
  PyObject* dict;
  PyObject* weakrefs;
  Py_ssize_t nparams;
  bool nogil;
  std::vector<Specialization>* specializations;
  std::vector<Alias>* aliases;
};

PyTypeObject* type_object = nullptr;

bool kind_of_descr(PyArray_Descr* descr, Kind& kind) {
  const int size = static_cast<int>(PyDataType_ELSIZE(descr));
  switch (descr->kind) {
    case 'b': kind = Kind::Bool; return size == 1;
    case 'i':
      kind = size == 1 ? Kind::Int8 : size == 2 ? Kind::Int16 : size == 4 ? Kind::Int32 : Kind::Int64;
      return size == 1 || size == 2 || size == 4 || size == 8;
    case 'u':
      kind = size == 1 ? Kind::UInt8 : size == 2 ? Kind::UInt16 : size == 4 ? Kind::UInt32 : Kind::UInt64;
      return size == 1 || size == 2 || size == 4 || size == 8;
    case 'f':
      kind = size == 4 ? Kind::Float32 : Kind::Float64;
      return size == 4 || size == 8;
    case 'c':
      kind = size == 8 ? Kind::Complex64 : Kind::Complex128;
      return size == 8 || size == 16;
    default: return false;
  }
}

// Fills the argument's type codes and its slots: Unsupported (no Python error set) when
// the type is not supported, TooLarge when tuples hold more than kMaxCodes values in
// all, Error with a Python error set (overflow).
enum class Classified { Ok, Unsupported, TooLarge, Error };

Classified classify(PyObject* arg, uint32_t* codes, int& ncodes, uint64_t* slots, int& slot) {
  if (ncodes >= kMaxCodes || slot + 3 > kMaxSlots) return Classified::TooLarge;
  uint32_t& code = codes[ncodes++];
  if (PyTuple_CheckExact(arg)) {  // its code, then its elements' (types::arg_codes)
    const Py_ssize_t size = PyTuple_GET_SIZE(arg);
    if (size > kMaxCodes) return Classified::TooLarge;
    code = types::kTupleCode | static_cast<uint32_t>(size);
    for (Py_ssize_t i = 0; i < size; ++i)
      if (Classified c = classify(PyTuple_GET_ITEM(arg, i), codes, ncodes, slots, slot); c != Classified::Ok)
        return c;
    return Classified::Ok;
  }
  if (PyLong_CheckExact(arg) || (PyLong_Check(arg) && !PyBool_Check(arg))) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(arg, &overflow);
    if (overflow) {
      PyErr_SetString(PyExc_OverflowError,
                      "Python int too large to convert to int64: compiled integers are 64-bit");
      return Classified::Error;
    }
    if (v == -1 && PyErr_Occurred()) return Classified::Error;
    code = static_cast<uint32_t>(Kind::PyInt);
    slots[slot++] = static_cast<uint64_t>(v);
    return Classified::Ok;
  }
  // np.float64 subclasses float: it must be seen as the NumPy scalar it is.
  if (PyFloat_CheckExact(arg) || (PyFloat_Check(arg) && !PyArray_IsScalar(arg, Generic))) {
    double v = PyFloat_AS_DOUBLE(arg);
    code = static_cast<uint32_t>(Kind::PyFloat);
    std::memcpy(&slots[slot++], &v, sizeof v);
    return Classified::Ok;
  }
  // np.complex128 subclasses complex, as np.float64 does float.
  if (PyComplex_CheckExact(arg) || (PyComplex_Check(arg) && !PyArray_IsScalar(arg, Generic))) {
    const double parts[2] = {PyComplex_RealAsDouble(arg), PyComplex_ImagAsDouble(arg)};
    code = static_cast<uint32_t>(Kind::PyComplex);
    std::memcpy(&slots[slot], parts, sizeof parts);
    slot += 2;
    return Classified::Ok;
  }
  if (PyBool_Check(arg)) {
    code = static_cast<uint32_t>(Kind::PyBool);
    slots[slot++] = arg == Py_True;
    return Classified::Ok;
  }
  if (PyArray_Check(arg)) {
    auto* array = reinterpret_cast<PyArrayObject*>(arg);
    Kind kind;
    const int ndim = PyArray_NDIM(array);
    if (!kind_of_descr(PyArray_DESCR(array), kind) || ndim > 15 || !PyArray_ISNOTSWAPPED(array) ||
        !PyArray_ISALIGNED(array))
      return Classified::Unsupported;
    // Matches types::array(): one dimension or none is always called C when contiguous.
    types::Layout layout = types::Layout::Any;
    if (PyArray_IS_C_CONTIGUOUS(array)) layout = types::Layout::C;
    else if (PyArray_IS_F_CONTIGUOUS(array)) layout = ndim <= 1 ? types::Layout::C : types::Layout::F;
    code = static_cast<uint32_t>(kind) | static_cast<uint32_t>(ndim) << 8 |
           static_cast<uint32_t>(layout) << 12 | (PyArray_ISWRITEABLE(array) ? 0 : kReadonlyBit) |
           kArrayBit;
    slots[slot++] = reinterpret_cast<uint64_t>(PyArray_DATA(array));
    slots[slot++] = reinterpret_cast<uint64_t>(PyArray_DIMS(array));
    slots[slot++] = reinterpret_cast<uint64_t>(PyArray_STRIDES(array));
    return Classified::Ok;
  }
  if (PyArray_IsScalar(arg, Generic)) {
    PyArray_Descr* descr = PyArray_DescrFromScalar(arg);
    Kind kind;
    const bool ok = kind_of_descr(descr, kind) && PyDataType_ISNOTSWAPPED(descr);
    Py_DECREF(descr);
    if (!ok) return Classified::Unsupported;
    if (types::is_complex(kind)) {  // two slots: the parts as doubles
      double parts[2];
      if (kind == Kind::Complex64) {
        npy_cfloat z;
        PyArray_ScalarAsCtype(arg, &z);
        float narrow[2];
        std::memcpy(narrow, &z, sizeof narrow);
        parts[0] = narrow[0];
        parts[1] = narrow[1];
      } else {
        npy_cdouble z;
        PyArray_ScalarAsCtype(arg, &z);
        std::memcpy(parts, &z, sizeof parts);
      }
      code = static_cast<uint32_t>(kind);
      std::memcpy(&slots[slot], parts, sizeof parts);
      slot += 2;
      return Classified::Ok;
    }
    union { npy_bool b; int8_t i8; int16_t i16; int32_t i32; int64_t i64; uint8_t u8;
            uint16_t u16; uint32_t u32; uint64_t u64; float f32; double f64; } v{};
    PyArray_ScalarAsCtype(arg, &v);
    uint64_t out = 0;
    double d;
    switch (kind) {
      case Kind::Bool: out = v.b != 0; break;
      case Kind::Int8: out = static_cast<uint64_t>(static_cast<int64_t>(v.i8)); break;
      case Kind::Int16: out = static_cast<uint64_t>(static_cast<int64_t>(v.i16)); break;
      case Kind::Int32: out = static_cast<uint64_t>(static_cast<int64_t>(v.i32)); break;
      case Kind::Int64: out = static_cast<uint64_t>(v.i64); break;
      case Kind::UInt8: out = v.u8; break;
      case Kind::UInt16: out = v.u16; break;
      case Kind::UInt32: out = v.u32; break;
      case Kind::UInt64: out = v.u64; break;
      case Kind::Float32: d = v.f32; std::memcpy(&out, &d, sizeof d); break;
      default: std::memcpy(&out, &v.f64, sizeof out); break;
    }
    code = static_cast<uint32_t>(kind);
    slots[slot++] = out;
    return Classified::Ok;
  }
  return Classified::Unsupported;
}

// The items of the list arguments of one call, each as the slots of its item after the
// other's: the entry copies them into the compiled lists (codegen/entry_wrapper.cpp).
using ListItems = std::vector<std::vector<uint64_t>>;

const char* python_type_name(PyObject* v) { return Py_TYPE(v)->tp_name; }

// A list argument (a reflected list, as numba's): its code, then its items' type codes,
// taken from the first item; every other item must have the same types. Two slots: the
// items' slots, and how many items there are. Error (with a TypeError set) for a list
// that compiled code cannot hold.
Classified classify_list(PyObject* arg, Py_ssize_t argument, uint32_t* codes, int& ncodes, uint64_t* slots, int& slot,
                         ListItems& lists) {
  if (ncodes + 2 > kMaxCodes || slot + 2 > kMaxSlots) return Classified::TooLarge;
  const Py_ssize_t n = PyList_GET_SIZE(arg);
  if (n == 0) {
    PyErr_Format(PyExc_TypeError,
                 "argument %zd is an empty list: compiled code cannot tell what it holds. Pass a list with "
                 "an item (a list made in the function learns its type from its appends), or an array.",
                 argument + 1);
    return Classified::Error;
  }
  codes[ncodes++] = types::kListCode;
  std::vector<uint64_t>& items = lists.emplace_back();
  items.reserve(static_cast<size_t>(n));
  // Lists of Python floats or ints, the common case, are read without classifying each
  // item; the first item of another type falls through to the general loop, which
  // reports it.
  Py_ssize_t k = 0;
  PyObject* head = PyList_GET_ITEM(arg, 0);
  if (PyFloat_CheckExact(head)) {
    for (; k < n && PyFloat_CheckExact(PyList_GET_ITEM(arg, k)); ++k) {
      double v = PyFloat_AS_DOUBLE(PyList_GET_ITEM(arg, k));
      uint64_t bits;
      std::memcpy(&bits, &v, sizeof bits);
      items.push_back(bits);
    }
  } else if (PyLong_CheckExact(head)) {
    for (; k < n && PyLong_CheckExact(PyList_GET_ITEM(arg, k)); ++k) {
      int overflow = 0;
      const long long v = PyLong_AsLongLongAndOverflow(PyList_GET_ITEM(arg, k), &overflow);
      if (overflow) break;  // the general loop raises the OverflowError
      items.push_back(static_cast<uint64_t>(v));
    }
  }
  if (k == n) {
    codes[ncodes++] = static_cast<uint32_t>(PyFloat_CheckExact(head) ? Kind::PyFloat : Kind::PyInt);
    slots[slot++] = reinterpret_cast<uint64_t>(items.data());
    slots[slot++] = static_cast<uint64_t>(n);
    return Classified::Ok;
  }
  items.clear();
  uint32_t first[kMaxCodes];
  int nfirst = 0;
  for (k = 0; k < n; ++k) {
    PyObject* item = PyList_GET_ITEM(arg, k);
    uint32_t item_codes[kMaxCodes];
    uint64_t item_slots[kMaxSlots];
    int ncodes_here = 0, nslots = 0;
    const Classified c = classify(item, item_codes, ncodes_here, item_slots, nslots);
    if (c == Classified::Error) return c;
    bool plain = c == Classified::Ok;
    for (int i = 0; plain && i < ncodes_here; ++i)
      plain = !(item_codes[i] & (kArrayBit | types::kListCode));
    if (!plain) {
      PyErr_Format(PyExc_TypeError,
                   "argument %zd (a list) holds an item of type '%s' at [%zd]: lists passed to compiled code hold "
                   "numbers or tuples of numbers. Pass arrays as arguments of their own, or stack them into one array.",
                   argument + 1, python_type_name(item), k);
      return Classified::Error;
    }
    if (k == 0) {
      std::copy(item_codes, item_codes + ncodes_here, first);
      nfirst = ncodes_here;
      if (ncodes + nfirst > kMaxCodes) return Classified::TooLarge;
      std::copy(first, first + nfirst, codes + ncodes);
      ncodes += nfirst;
    } else if (ncodes_here != nfirst || !std::equal(first, first + nfirst, item_codes)) {
      PyErr_Format(PyExc_TypeError,
                   "argument %zd (a list) holds an item of type '%s' at [%zd] and one of type '%s' at [0]: a list in "
                   "compiled code holds one type of item. Convert the items first, e.g. [float(v) for v in items].",
                   argument + 1, python_type_name(item), k, python_type_name(PyList_GET_ITEM(arg, 0)));
      return Classified::Error;
    }
    items.insert(items.end(), item_slots, item_slots + nslots);
  }
  slots[slot++] = reinterpret_cast<uint64_t>(items.data());
  slots[slot++] = static_cast<uint64_t>(n);
  return Classified::Ok;
}

std::string signature_text(const std::vector<types::Type>& arg_types) {
  std::string out = "(";
  for (size_t i = 0; i < arg_types.size(); ++i) out += (i ? ", " : "") + types::name(arg_types[i]);
  return out + ")";
}

// The element of a tuple argument that classify refuses, with where it is ("[1][0]").
PyObject* refused_element(PyObject* arg, std::string& where) {
  if (!PyTuple_CheckExact(arg)) return arg;
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(arg); ++i) {
    uint32_t codes[kMaxCodes];
    uint64_t slots[kMaxSlots];
    int ncodes = 0, nslots = 0;
    PyObject* item = PyTuple_GET_ITEM(arg, i);
    const Classified c = classify(item, codes, ncodes, slots, nslots);
    if (c == Classified::Error) PyErr_Clear();
    if (c == Classified::Unsupported) {
      where += "[" + std::to_string(i) + "]";
      return refused_element(item, where);
    }
  }
  return arg;
}

void unsupported_argument(Dispatcher* self, PyObject* const* args, Py_ssize_t n, Py_ssize_t index) {
  std::string where;
  PyObject* arg = refused_element(args[index], where);
  if (self->resolver) {  // its message lists the declared signatures
    PyObject* all = PyTuple_New(n);
    if (!all) return;
    for (Py_ssize_t i = 0; i < n; ++i) PyTuple_SET_ITEM(all, i, Py_NewRef(args[i]));
    PyObject* done = PyObject_CallMethod(self->resolver, "refuse", "(On)", all, index);
    Py_DECREF(all);
    if (!done) return;
    Py_DECREF(done);
  }
  const std::string type_name = "unsupported type '" + std::string(Py_TYPE(arg)->tp_name) + "'";
  std::string message = "argument " + std::to_string(index + 1) +
                        (where.empty() ? " has " + type_name
                                       : " (a tuple) holds an element of " + type_name + " at " + where);
  if (PyArray_Check(arg)) message += " (this dtype, byte order or alignment)";
  message +=
      ". Compiled functions accept int, float, complex, bool, NumPy scalars, aligned native-order "
      "NumPy arrays of bool, int8-int64, uint8-uint64, float32, float64, complex64 or complex128, "
      "tuples of these, and lists of numbers or of tuples of numbers.";
  if (!self->specializations->empty()) {
    message += " Compiled so far:";
    for (const auto& s : *self->specializations) message += " " + signature_text(s.compiled.arg_types);
  }
  PyErr_SetString(PyExc_TypeError, message.c_str());
}

bool same_codes(const std::vector<uint32_t>& a, const uint32_t* codes, Py_ssize_t n) {
  // An imported record may have been compiled for another number of arguments.
  if (a.size() != static_cast<size_t>(n)) return false;
  for (Py_ssize_t i = 0; i < n; ++i)
    if (a[static_cast<size_t>(i)] != codes[i]) return false;
  return true;
}

const Specialization* find(Dispatcher* self, const uint32_t* codes, Py_ssize_t n) {
  for (const auto& s : *self->specializations)
    if (same_codes(s.codes, codes, n)) return &s;
  return nullptr;
}

// The specialization for these codes, directly or through an alias (then `*alias` is set).
const Specialization* find_or_alias(Dispatcher* self, const uint32_t* codes, Py_ssize_t n, const Alias** alias) {
  *alias = nullptr;
  if (const Specialization* spec = find(self, codes, n)) return spec;
  for (const auto& a : *self->aliases)
    if (same_codes(a.codes, codes, n)) {
      *alias = &a;
      return &(*self->specializations)[a.target];
    }
  return nullptr;
}

// numba's names for the parameter a conversion failed for.
const char* parameter_name(types::Kind kind) {
  switch (kind) {
    case types::Kind::PyInt: return "int64";
    case types::Kind::PyFloat: return "float64";
    case types::Kind::PyBool: return "bool";
    default: return types::name(kind);
  }
}

// Rewrites the slots an alias converts; false with a Python error set when one cannot be.
bool convert_arguments(const Alias& alias, uint64_t* slots) {
  for (const ArgumentConversion& c : alias.conversions) {
    const ConversionFailure failure = convert_slot(c.conversion, slots[c.slot]);
    if (failure == ConversionFailure::None) continue;
    const std::string where = " (argument " + std::to_string(c.argument + 1) + ", declared " +
                              parameter_name(c.parameter) + ")";
    switch (failure) {
      case ConversionFailure::NotANumber:
        PyErr_SetString(PyExc_ValueError, ("cannot convert float NaN to integer" + where).c_str());
        break;
      case ConversionFailure::Infinite:
        PyErr_SetString(PyExc_OverflowError, ("cannot convert float infinity to integer" + where).c_str());
        break;
      case ConversionFailure::Negative:
        PyErr_SetString(PyExc_OverflowError, ("can't convert negative number to unsigned" + where).c_str());
        break;
      default:
        PyErr_SetString(PyExc_OverflowError,
                        ("number too large to convert to a 64-bit integer" + where).c_str());
        break;
    }
    return false;
  }
  return true;
}

// Registers an alias from the call's codes to the specialization with `target` codes;
// false with a Python error set when there is none or the types cannot convert.
bool add_alias(Dispatcher* self, const uint32_t* codes, Py_ssize_t n, const std::vector<uint32_t>& target) {
  if (static_cast<Py_ssize_t>(target.size()) != n) {
    PyErr_SetString(PyExc_SystemError, "accel: a resolved signature has another number of arguments");
    return false;
  }
  const Specialization* spec = find(self, target.data(), n);
  if (!spec) {
    PyErr_SetString(PyExc_SystemError, "accel: a resolved signature was not compiled");
    return false;
  }
  Alias alias{{codes, codes + n}, static_cast<size_t>(spec - self->specializations->data()), {}};
  int slot = 0;
  for (Py_ssize_t i = 0; i < n; ++i) {
    types::Type from = types::from_arg_code(codes[i]);
    types::Type to = spec->compiled.arg_types[static_cast<size_t>(i)];
    const bool arrays = from && from->kind == types::Kind::Array;
    if (!from || arrays != (to->kind == types::Kind::Array) ||
        (arrays && (from->dtype != to->dtype || from->ndim != to->ndim))) {
      PyErr_SetString(PyExc_SystemError, "accel: a resolved signature does not fit the call's types");
      return false;
    }
    if (!arrays) {
      const SlotConversion conversion = slot_conversion(from->kind, to->kind);
      if (conversion != SlotConversion::None)
        alias.conversions.push_back({static_cast<int>(i), slot, conversion, to->kind});
    }
    slot += arrays ? 3 : types::is_complex(from->kind) ? 2 : 1;
  }
  self->aliases->push_back(std::move(alias));
  return true;
}

// Asks the resolver which signature takes these codes and aliases them to it.
bool resolve(Dispatcher* self, const uint32_t* codes, Py_ssize_t n) {
  PyObject* code_tuple = PyTuple_New(n);
  if (!code_tuple) return false;
  for (Py_ssize_t i = 0; i < n; ++i) PyTuple_SET_ITEM(code_tuple, i, PyLong_FromUnsignedLong(codes[i]));
  PyObject* target = PyObject_CallMethod(self->resolver, "resolve", "(O)", code_tuple);
  Py_DECREF(code_tuple);
  if (!target) return false;
  std::vector<uint32_t> target_codes;
  PyObject* sequence = PySequence_Fast(target, "resolve() must return a tuple of type codes");
  Py_DECREF(target);
  if (!sequence) return false;
  for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(sequence); ++i)
    target_codes.push_back(static_cast<uint32_t>(PyLong_AsUnsignedLong(PySequence_Fast_GET_ITEM(sequence, i))));
  Py_DECREF(sequence);
  if (PyErr_Occurred()) return false;
  return add_alias(self, codes, n, target_codes);
}

}  // namespace

namespace {
PyObject* exception_resolver = nullptr;
}  // namespace

void set_exception_resolver(PyObject* resolver) {
  Py_XINCREF(resolver);
  exception_resolver = resolver;
}

PyObject* exception_instance(PyObject* cls, const runtime::PendingError& error) {
  if (!error.argument_type.empty()) {  // KeyError(key): the value itself
    types::Type t = types::from_text(error.argument_type);
    int index = 0;
    PyObject* argument = t ? box_result(t, error.argument.data(), index, nullptr, 0) : nullptr;
    if (!argument) return nullptr;
    PyObject* out = PyObject_CallOneArg(cls, argument);
    Py_DECREF(argument);
    return out;
  }
  return error.has_message ? PyObject_CallFunction(cls, "s", error.message.c_str()) : PyObject_CallNoArgs(cls);
}

PyObject* raise_pending() {
  runtime::PendingError error = runtime::take_error();
  if (error.kind == ACCEL_ERROR_CLASS) {
    if (!exception_resolver) {
      PyErr_SetString(PyExc_SystemError, "accel: no exception resolver is set");
      return nullptr;
    }
    PyObject* cls = PyObject_CallFunction(exception_resolver, "s", error.class_path.c_str());
    if (!cls) return nullptr;
    PyObject* instance = exception_instance(cls, error);
    if (instance) {
      PyErr_SetObject(cls, instance);
      Py_DECREF(instance);
    }
    Py_DECREF(cls);
    return nullptr;
  }
  PyObject* type = PyExc_SystemError;
  switch (error.kind) {
    case ACCEL_ERROR_ZERO_DIVISION: type = PyExc_ZeroDivisionError; break;
    case ACCEL_ERROR_INDEX: type = PyExc_IndexError; break;
    case ACCEL_ERROR_VALUE: type = PyExc_ValueError; break;
    case ACCEL_ERROR_OVERFLOW: type = PyExc_OverflowError; break;
    case ACCEL_ERROR_RECURSION: type = PyExc_RecursionError; break;
    case ACCEL_ERROR_MEMORY: type = PyExc_MemoryError; break;
    case ACCEL_ERROR_RANGE:
      errno = ERANGE;
      PyErr_SetFromErrno(PyExc_OverflowError);
      return nullptr;
    default: break;
  }
  PyErr_SetString(type, error.message.c_str());
  return nullptr;
}

namespace {

// The specialization for these arguments, compiled now if it is missing (or, for a
// function compiled from signatures, the one its resolver picks, with `*alias` set to
// the conversions its slots need); their slots go to `slots` (kMaxSlots).
// nullptr with a Python error set on failure.
const Specialization* specialization_for(Dispatcher* self, PyObject* const* args, Py_ssize_t nargs, uint64_t* slots,
                                         const Alias** alias, ListItems& lists) {
  if (nargs > kMaxArguments) {
    PyErr_Format(PyExc_TypeError, "compiled functions take at most %d arguments", kMaxArguments);
    return nullptr;
  }
  uint32_t codes[kMaxCodes];
  int n = 0, slot = 0;
  for (Py_ssize_t i = 0; i < nargs; ++i) {
    const Classified c = PyList_CheckExact(args[i]) ? classify_list(args[i], i, codes, n, slots, slot, lists)
                                                    : classify(args[i], codes, n, slots, slot);
    switch (c) {
      case Classified::Ok: break;
      case Classified::Unsupported: unsupported_argument(self, args, nargs, i); return nullptr;
      case Classified::TooLarge:
        PyErr_Format(PyExc_TypeError,
                     "argument %zd: the arguments of a call to a compiled function hold at most %d numbers, "
                     "arrays and tuples in all (tuples' elements counted)", i + 1, kMaxCodes);
        return nullptr;
      case Classified::Error: return nullptr;
    }
  }
  const Specialization* spec = find_or_alias(self, codes, n, alias);
  if (!spec && self->resolver) {
    // (1) First call with these types to a function compiled from signatures: one of
    // them takes it, converting (numba's rules), or the call is refused.
    if (!resolve(self, codes, n)) return nullptr;
    spec = find_or_alias(self, codes, n, alias);
  }
  if (!spec) {
    // (1) First call with these types: Python exports the function, C++ compiles it.
    PyObject* code_tuple = PyTuple_New(n);
    if (!code_tuple) return nullptr;
    for (Py_ssize_t i = 0; i < n; ++i) PyTuple_SET_ITEM(code_tuple, i, PyLong_FromUnsignedLong(codes[i]));
    PyObject* done = PyObject_CallMethod(self->hook, "compile", "(O)", code_tuple);
    Py_DECREF(code_tuple);
    if (!done) return nullptr;
    Py_DECREF(done);
    spec = find_or_alias(self, codes, n, alias);
    if (!spec) {
      PyErr_SetString(PyExc_SystemError, "accel: compiled code was not registered");
      return nullptr;
    }
  }
  return spec;
}

// After a call with list arguments: each compiled list the entry handed back learns its
// Python list (so returning it returns that object), is written back into it when the
// call changed it (also when the call then raised: CPython's changes stay too), and is
// released. False with a Python error set when writing back failed.
bool finish_lists(const Specialization& spec, PyObject* const* args, Py_ssize_t n, const uint64_t* result,
                  bool boxed) {
  int at = codegen::slot_count(spec.return_type);
  bool ok = true;
  for (Py_ssize_t i = 0; i < n; ++i) {
    if (!PyList_CheckExact(args[i])) continue;
    auto* list = reinterpret_cast<AccelList*>(result[at]);
    const auto writer = result[at + 1];
    at += 2;
    if (!list) continue;  // it could not be made (the call raised MemoryError)
    if (!boxed) {
      list->parent = args[i];
      if (ok && list->changed) ok = write_back(list, writer, spec.compiled.arg_types[static_cast<size_t>(i)], args[i]);
      continue;
    }
    accel_rt_list_decref(list);
  }
  return ok;
}

PyObject* call_positional(Dispatcher* self, PyObject* const* args, Py_ssize_t n) {
  uint64_t slots[kMaxSlots];
  const Alias* alias;
  ListItems lists;
  const Specialization* spec = specialization_for(self, args, n, slots, &alias, lists);
  if (!spec) return nullptr;
  if (alias && !convert_arguments(*alias, slots)) return nullptr;
  const codegen::EntryFunction entry = spec->entry;
  const types::Type return_type = spec->return_type;
  uint64_t small_result[16];
  std::vector<uint64_t> large_result;
  uint64_t* result = small_result;
  if (spec->result_slots > 16) {
    large_result.resize(static_cast<size_t>(spec->result_slots));
    result = large_result.data();
  }
  int32_t status;
  if (self->nogil) {
    Py_BEGIN_ALLOW_THREADS
    status = entry(slots, result);
    Py_END_ALLOW_THREADS
  } else {
    status = entry(slots, result);
  }
  if (lists.empty()) {
    if (status != 0) return raise_pending();
    int index = 0;
    return box_result(return_type, result, index, args, n);
  }
  const bool written = finish_lists(*spec, args, n, result, false);
  PyObject* out = nullptr;
  if (status != 0) {
    if (written) out = raise_pending();
    else runtime::take_error();  // the write-back's error is the one raised
  } else if (written) {
    int index = 0;
    out = box_result(return_type, result, index, args, n);
  } else {
    int index = 0;
    release_result(return_type, result, index);
  }
  finish_lists(*spec, args, n, result, true);
  return out;
}

// The arguments as the original function would bind them (keywords, defaults): a tuple,
// or nullptr with the TypeError Python raises for a bad call.
PyObject* bind_arguments(Dispatcher* self, PyObject* positional, PyObject* keywords) {
  return PyObject_CallMethod(self->hook, "bind", "(OO)", positional, keywords);
}

PyObject* dispatcher_vectorcall(PyObject* callable, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  auto* self = reinterpret_cast<Dispatcher*>(callable);
  const Py_ssize_t n = PyVectorcall_NARGS(nargsf);
  if ((!kwnames || PyTuple_GET_SIZE(kwnames) == 0) && n == self->nparams)
    return call_positional(self, args, n);
  // Keywords, defaults or a wrong count: Python binds them like the original function.
  PyObject* positional = PyTuple_New(n);
  if (!positional) return nullptr;
  for (Py_ssize_t i = 0; i < n; ++i) {
    Py_INCREF(args[i]);
    PyTuple_SET_ITEM(positional, i, args[i]);
  }
  PyObject* keywords = PyDict_New();
  if (kwnames)
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); ++i)
      PyDict_SetItem(keywords, PyTuple_GET_ITEM(kwnames, i), args[n + i]);
  PyObject* bound = bind_arguments(self, positional, keywords);
  Py_DECREF(positional);
  Py_DECREF(keywords);
  if (!bound) return nullptr;
  PyObject* out = call_positional(self, &PyTuple_GET_ITEM(bound, 0), PyTuple_GET_SIZE(bound));
  Py_DECREF(bound);
  return out;
}

PyObject* dispatcher_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  static const char* keywords[] = {"py_func", "hook", "nparams", "nogil", nullptr};
  PyObject *py_func, *hook;
  Py_ssize_t nparams;
  int nogil = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOn|p", const_cast<char**>(keywords), &py_func,
                                   &hook, &nparams, &nogil))
    return nullptr;
  auto* self = reinterpret_cast<Dispatcher*>(type->tp_alloc(type, 0));
  if (!self) return nullptr;
  self->vectorcall = dispatcher_vectorcall;
  Py_INCREF(py_func);
  self->py_func = py_func;
  Py_INCREF(hook);
  self->hook = hook;
  self->nparams = nparams;
  self->nogil = nogil != 0;
  self->specializations = new std::vector<Specialization>();
  self->aliases = new std::vector<Alias>();
  return reinterpret_cast<PyObject*>(self);
}

int dispatcher_traverse(PyObject* op, visitproc visit, void* arg) {
  auto* self = reinterpret_cast<Dispatcher*>(op);
  Py_VISIT(self->py_func);
  Py_VISIT(self->hook);
  Py_VISIT(self->resolver);
  Py_VISIT(self->dict);
  Py_VISIT(Py_TYPE(op));
  return 0;
}

int dispatcher_clear(PyObject* op) {
  auto* self = reinterpret_cast<Dispatcher*>(op);
  Py_CLEAR(self->py_func);
  Py_CLEAR(self->hook);
  Py_CLEAR(self->resolver);
  Py_CLEAR(self->dict);
  return 0;
}

void dispatcher_dealloc(PyObject* op) {
  auto* self = reinterpret_cast<Dispatcher*>(op);
  PyTypeObject* type = Py_TYPE(op);
  PyObject_GC_UnTrack(op);
  if (self->weakrefs) PyObject_ClearWeakRefs(op);
  dispatcher_clear(op);
  delete self->specializations;  // the machine code stays in the JIT; it is small
  delete self->aliases;
  type->tp_free(op);
  Py_DECREF(type);
}

PyObject* get_py_func(PyObject* op, void*) {
  PyObject* f = reinterpret_cast<Dispatcher*>(op)->py_func;
  Py_INCREF(f);
  return f;
}

PyObject* get_signatures(PyObject* op, void*) {
  auto* self = reinterpret_cast<Dispatcher*>(op);
  PyObject* list = PyList_New(0);
  for (const auto& s : *self->specializations) {
    const auto& arg_types = s.compiled.arg_types;
    PyObject* signature = PyTuple_New(static_cast<Py_ssize_t>(arg_types.size()));
    for (size_t i = 0; i < arg_types.size(); ++i)
      PyTuple_SET_ITEM(signature, static_cast<Py_ssize_t>(i),
                       PyUnicode_FromString(types::name(arg_types[i]).c_str()));
    PyList_Append(list, signature);
    Py_DECREF(signature);
  }
  return list;
}

const std::string loaded_without_ir = "; compiled in another process and loaded as object code: no IR here\n";

PyObject* inspect_llvm(PyObject* op, PyObject*) {
  auto* self = reinterpret_cast<Dispatcher*>(op);
  PyObject* dict = PyDict_New();
  for (const auto& s : *self->specializations) {
    // Code loaded from another process came as an object file, without its IR.
    const std::string& text = s.compiled.optimized_ir.empty() && !s.compiled.object_code.empty()
                                  ? loaded_without_ir
                                  : s.compiled.optimized_ir;
    PyObject* ir = PyUnicode_FromStringAndSize(text.data(), static_cast<Py_ssize_t>(text.size()));
    PyDict_SetItemString(dict, signature_text(s.compiled.arg_types).c_str(), ir);
    Py_DECREF(ir);
  }
  return dict;
}

PyObject* reduce(PyObject* op, PyObject*) {
  return PyObject_CallMethod(reinterpret_cast<Dispatcher*>(op)->hook, "reduce", nullptr);
}

PyObject* repr(PyObject* op) {
  PyObject* name = PyObject_GetAttrString(reinterpret_cast<Dispatcher*>(op)->py_func, "__qualname__");
  if (!name) return nullptr;
  PyObject* out = PyUnicode_FromFormat("<accel.jit function %U>", name);
  Py_DECREF(name);
  return out;
}

PyObject* descriptor_get(PyObject* op, PyObject* instance, PyObject*) {
  // Like a plain function: looked up on an instance, it binds it as the first argument.
  if (!instance || instance == Py_None) {
    Py_INCREF(op);
    return op;
  }
  return PyMethod_New(op, instance);
}

PyGetSetDef getset[] = {
    {"py_func", get_py_func, nullptr, "The original Python function.", nullptr},
    {"signatures", get_signatures, nullptr, "The argument types compiled so far.", nullptr},
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

PyMethodDef methods[] = {
    {"inspect_llvm", inspect_llvm, METH_NOARGS, "Optimized LLVM IR per compiled signature."},
    {"__reduce__", reduce, METH_NOARGS, nullptr},
    {nullptr, nullptr, 0, nullptr},
};

PyMemberDef members[] = {
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(Dispatcher, vectorcall), READONLY, nullptr},
    {"__dictoffset__", T_PYSSIZET, offsetof(Dispatcher, dict), READONLY, nullptr},
    {"__weaklistoffset__", T_PYSSIZET, offsetof(Dispatcher, weakrefs), READONLY, nullptr},
    {nullptr, 0, 0, 0, nullptr},
};

PyType_Slot slots[] = {
    {Py_tp_new, reinterpret_cast<void*>(dispatcher_new)},
    {Py_tp_dealloc, reinterpret_cast<void*>(dispatcher_dealloc)},
    {Py_tp_traverse, reinterpret_cast<void*>(dispatcher_traverse)},
    {Py_tp_clear, reinterpret_cast<void*>(dispatcher_clear)},
    {Py_tp_call, reinterpret_cast<void*>(PyVectorcall_Call)},
    {Py_tp_repr, reinterpret_cast<void*>(repr)},
    {Py_tp_descr_get, reinterpret_cast<void*>(descriptor_get)},
    {Py_tp_getset, getset},
    {Py_tp_methods, methods},
    {Py_tp_members, members},
    {0, nullptr},
};

PyType_Spec spec = {
    "accel._core.Dispatcher",
    sizeof(Dispatcher),
    0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    slots,
};

}  // namespace

bool initialize() {
  if (PyArray_ImportNumPyAPI() < 0) return false;
  if (!initialize_array_blocks()) return false;
  type_object = reinterpret_cast<PyTypeObject*>(PyType_FromSpec(&spec));
  return type_object != nullptr;
}

PyTypeObject* dispatcher_type() { return type_object; }

void add_specialization(PyObject* dispatcher, jit::CompiledFunction compiled) {
  auto* self = reinterpret_cast<Dispatcher*>(dispatcher);
  Specialization s;
  s.codes = types::arg_codes(compiled.arg_types);
  if (find(self, s.codes.data(), static_cast<Py_ssize_t>(s.codes.size()))) return;
  s.entry = reinterpret_cast<codegen::EntryFunction>(compiled.entry);
  s.return_type = compiled.return_type;
  // The result's slots, then two for each list argument (codegen/module_emitter.h).
  s.result_slots = codegen::slot_count(s.return_type);
  for (types::Type t : compiled.arg_types)
    if (t->kind == types::Kind::List) s.result_slots += 2;
  s.compiled = std::move(compiled);
  self->specializations->push_back(std::move(s));
}

bool has_specialization(PyObject* dispatcher, const std::vector<types::Type>& arg_types) {
  const std::vector<uint32_t> codes = types::arg_codes(arg_types);
  return find(reinterpret_cast<Dispatcher*>(dispatcher), codes.data(), static_cast<Py_ssize_t>(codes.size()));
}

std::vector<jit::CompiledFunction> compiled_specializations(PyObject* dispatcher) {
  std::vector<jit::CompiledFunction> out;
  for (const auto& s : *reinterpret_cast<Dispatcher*>(dispatcher)->specializations) out.push_back(s.compiled);
  return out;
}

bool ensure_compiled(PyObject* dispatcher, PyObject* args, PyObject* kwargs) {
  auto* self = reinterpret_cast<Dispatcher*>(dispatcher);
  PyObject* bound;
  if ((kwargs && PyDict_GET_SIZE(kwargs) > 0) || PyTuple_GET_SIZE(args) != self->nparams) {
    PyObject* keywords = kwargs ? Py_NewRef(kwargs) : PyDict_New();
    if (!keywords) return false;
    bound = bind_arguments(self, args, keywords);
    Py_DECREF(keywords);
    if (!bound) return false;
  } else {
    bound = Py_NewRef(args);
  }
  uint64_t slots[kMaxSlots];
  const Alias* alias;
  ListItems lists;
  const bool ok =
      specialization_for(self, &PyTuple_GET_ITEM(bound, 0), PyTuple_GET_SIZE(bound), slots, &alias, lists) != nullptr;
  Py_DECREF(bound);
  return ok;
}

}  // namespace accel::dispatch

namespace accel::dispatch {

bool set_resolver(PyObject* dispatcher, PyObject* resolver) {
  auto* self = reinterpret_cast<Dispatcher*>(dispatcher);
  if (self->resolver) {
    PyErr_SetString(PyExc_RuntimeError, "this accel.jit function has its signatures already");
    return false;
  }
  self->resolver = Py_NewRef(resolver);
  return true;
}

PyObject* resolver(PyObject* dispatcher) { return reinterpret_cast<Dispatcher*>(dispatcher)->resolver; }

bool compile_signature(PyObject* dispatcher, const std::vector<uint32_t>& codes, PyObject* declared_return) {
  auto* self = reinterpret_cast<Dispatcher*>(dispatcher);
  if (find(self, codes.data(), static_cast<Py_ssize_t>(codes.size()))) return true;
  PyObject* code_tuple = PyTuple_New(static_cast<Py_ssize_t>(codes.size()));
  if (!code_tuple) return false;
  for (size_t i = 0; i < codes.size(); ++i)
    PyTuple_SET_ITEM(code_tuple, static_cast<Py_ssize_t>(i), PyLong_FromUnsignedLong(codes[i]));
  PyObject* done = PyObject_CallMethod(self->hook, "compile", "(OO)", code_tuple, declared_return);
  Py_DECREF(code_tuple);
  if (!done) return false;
  Py_DECREF(done);
  return true;
}

}  // namespace accel::dispatch
