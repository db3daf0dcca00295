#include "dispatch/numpy_api.h"
#include "dispatch/dispatcher.h"
#include "codegen/module_emitter.h"
#include "runtime/abi.h"

#include <cstring>
#include <vector>

namespace accel::dispatch {

using types::Kind;

namespace {

// A NumPy scalar of the given kind from one result slot, made by its type's allocator
// and filled in place: PyArray_Scalar looks up a descriptor and copies through it, several
// times slower, which a list of 10**5 float64 items returned pays for each one.
template <class Scalar, class Value>
PyObject* new_scalar(PyTypeObject& type, Value value) {
  PyObject* out = type.tp_alloc(&type, 0);
  if (out) reinterpret_cast<Scalar*>(out)->obval = value;
  return out;
}

PyObject* numpy_scalar(Kind kind, uint64_t slot) {
  static_assert(sizeof(npy_long) == 8 && sizeof(npy_int) == 4, "int64 is npy_long on LP64 systems");
  double as_double;
  std::memcpy(&as_double, &slot, sizeof as_double);
  switch (kind) {
    case Kind::Bool: {
      PyObject* value = slot ? PyArrayScalar_True : PyArrayScalar_False;
      Py_INCREF(value);
      return value;
    }
    case Kind::Int8: return new_scalar<PyByteScalarObject>(PyByteArrType_Type, static_cast<npy_byte>(slot));
    case Kind::Int16: return new_scalar<PyShortScalarObject>(PyShortArrType_Type, static_cast<npy_short>(slot));
    case Kind::Int32: return new_scalar<PyIntScalarObject>(PyIntArrType_Type, static_cast<npy_int>(slot));
    case Kind::Int64: return new_scalar<PyLongScalarObject>(PyLongArrType_Type, static_cast<npy_long>(slot));
    case Kind::UInt8: return new_scalar<PyUByteScalarObject>(PyUByteArrType_Type, static_cast<npy_ubyte>(slot));
    case Kind::UInt16: return new_scalar<PyUShortScalarObject>(PyUShortArrType_Type, static_cast<npy_ushort>(slot));
    case Kind::UInt32: return new_scalar<PyUIntScalarObject>(PyUIntArrType_Type, static_cast<npy_uint>(slot));
    case Kind::UInt64: return new_scalar<PyULongScalarObject>(PyULongArrType_Type, static_cast<npy_ulong>(slot));
    case Kind::Float32: return new_scalar<PyFloatScalarObject>(PyFloatArrType_Type, static_cast<npy_float>(as_double));
    default: return new_scalar<PyDoubleScalarObject>(PyDoubleArrType_Type, as_double);
  }
}

}  // namespace

// Gives back the references of the arrays in a result that is not boxed (an earlier
// element failed): they would otherwise stay allocated forever.
void release_result(types::Type t, const uint64_t* slots, int& index) {
  if (t->kind == Kind::Tuple) {
    for (types::Type e : t->elements) release_result(e, slots, index);
    return;
  }
  if (t->kind == Kind::Array) {
    accel_rt_decref(reinterpret_cast<void*>(slots[index]));
    index += 2 + 2 * t->ndim;
    return;
  }
  if (t->kind == Kind::List) {
    accel_rt_list_decref(reinterpret_cast<AccelList*>(slots[index]));
    index += 2;
    return;
  }
  if (t->kind == Kind::Dict || t->kind == Kind::Set) {
    accel_rt_dict_decref(reinterpret_cast<AccelDict*>(slots[index]));
    index += 2;
    return;
  }
  index += codegen::slot_count(t);
}

namespace {

using ItemWriter = void (*)(AccelList* list, int64_t k, uint64_t* slots);

// A new Python list of a compiled list's items, each boxed as a result of the item type.
PyObject* boxed_items(const AccelList* list, ItemWriter writer, types::Type item, PyObject* const* args,
                      Py_ssize_t nargs) {
  if (!item) return PyList_New(0);  // an empty `[]` whose items were never known
  PyObject* out = PyList_New(static_cast<Py_ssize_t>(list->size));
  std::vector<uint64_t> item_slots(static_cast<size_t>(codegen::slot_count(item)) + 1);
  for (int64_t k = 0; out && k < list->size; ++k) {
    writer(const_cast<AccelList*>(list), k, item_slots.data());
    int at = 0;
    PyObject* boxed = box_result(item, item_slots.data(), at, args, nargs);
    if (!boxed) Py_CLEAR(out);
    else PyList_SET_ITEM(out, static_cast<Py_ssize_t>(k), boxed);
  }
  return out;
}

// A returned list: the caller's own Python list when it was an argument (written back
// already), else a new Python list. The reference compiled code gave the caller goes.
PyObject* box_list(types::Type t, const uint64_t* slots, int& index, PyObject* const* args, Py_ssize_t nargs) {
  auto* list = reinterpret_cast<AccelList*>(slots[index]);
  auto* writer = reinterpret_cast<ItemWriter>(slots[index + 1]);
  index += 2;
  PyObject* out = list->parent ? Py_NewRef(static_cast<PyObject*>(list->parent))
                               : boxed_items(list, writer, types::list_item(t), args, nargs);
  accel_rt_list_decref(list);
  return out;
}

using EntryWriter = void (*)(const char* entry, uint64_t* slots);

// A new Python dict or set of a compiled one's entries, in their order, each key (and
// value) boxed as a result of its type. The reference compiled code gave the caller goes.
PyObject* box_dict(types::Type t, const uint64_t* slots, int& index, PyObject* const* args, Py_ssize_t nargs) {
  auto* dict = reinterpret_cast<AccelDict*>(slots[index]);
  auto* writer = reinterpret_cast<EntryWriter>(slots[index + 1]);
  index += 2;
  const bool is_set = t->kind == Kind::Set;
  PyObject* out = is_set ? PySet_New(nullptr) : PyDict_New();
  int entry_slots = 0;
  for (types::Type e : t->elements) entry_slots += codegen::slot_count(e);
  std::vector<uint64_t> buffer(static_cast<size_t>(entry_slots) + 1);
  for (int64_t p = 0; out && p < dict->used; ++p) {
    const char* entry = accel_rt_dict_entry(dict, p);
    if (!entry) continue;
    writer(entry, buffer.data());
    int at = 0;
    PyObject* key = box_result(t->elements[0], buffer.data(), at, args, nargs);
    PyObject* value = key && !is_set ? box_result(t->elements[1], buffer.data(), at, args, nargs) : nullptr;
    const bool stored = key && (is_set ? PySet_Add(out, key) == 0 : value && PyDict_SetItem(out, key, value) == 0);
    Py_XDECREF(key);
    Py_XDECREF(value);
    if (!stored) Py_CLEAR(out);
  }
  accel_rt_dict_decref(dict);
  return out;
}

}  // namespace

bool write_back(const AccelList* list, uint64_t writer, types::Type list_type, PyObject* target) {
  PyObject* items = boxed_items(list, reinterpret_cast<ItemWriter>(writer), types::list_item(list_type), nullptr, 0);
  if (!items) return false;
  const int status = PyList_SetSlice(target, 0, PY_SSIZE_T_MAX, items);
  Py_DECREF(items);
  return status == 0;
}

PyObject* box_result(types::Type t, const uint64_t* slots, int& index, PyObject* const* args, Py_ssize_t nargs) {
  switch (t->kind) {
    case Kind::None: Py_RETURN_NONE;
    case Kind::PyInt: return PyLong_FromLongLong(static_cast<long long>(slots[index++]));
    case Kind::PyBool: return PyBool_FromLong(slots[index++] != 0);
    case Kind::PyFloat: {
      double v;
      std::memcpy(&v, &slots[index++], sizeof v);
      return PyFloat_FromDouble(v);
    }
    case Kind::PyComplex: case Kind::Complex64: case Kind::Complex128: {
      double parts[2];
      std::memcpy(parts, &slots[index], sizeof parts);
      index += 2;
      if (t->kind == Kind::PyComplex) return PyComplex_FromDoubles(parts[0], parts[1]);
      npy_cdouble wide;
      npy_cfloat narrow;
      std::memcpy(&wide, parts, sizeof wide);
      const float narrow_parts[2] = {static_cast<float>(parts[0]), static_cast<float>(parts[1])};
      std::memcpy(&narrow, narrow_parts, sizeof narrow);
      PyArray_Descr* descr = PyArray_DescrFromType(numpy_type_number(t->kind));
      PyObject* out = PyArray_Scalar(t->kind == Kind::Complex64 ? static_cast<void*>(&narrow) : &wide, descr, nullptr);
      Py_DECREF(descr);
      return out;
    }
    case Kind::Tuple: {
      PyObject* tuple = PyTuple_New(static_cast<Py_ssize_t>(t->elements.size()));
      if (!tuple) {
        release_result(t, slots, index);
        return nullptr;
      }
      for (size_t i = 0; i < t->elements.size(); ++i) {
        PyObject* item = box_result(t->elements[i], slots, index, args, nargs);
        if (!item) {
          for (size_t rest = i + 1; rest < t->elements.size(); ++rest) release_result(t->elements[rest], slots, index);
          Py_DECREF(tuple);
          return nullptr;
        }
        PyTuple_SET_ITEM(tuple, static_cast<Py_ssize_t>(i), item);
      }
      return tuple;
    }
    case Kind::Array: return box_array(t, slots, index, args, nargs);
    case Kind::List: return box_list(t, slots, index, args, nargs);
    case Kind::Dict: case Kind::Set: return box_dict(t, slots, index, args, nargs);
    case Kind::Str: {
      void* block = reinterpret_cast<void*>(slots[index]);
      const char* data = reinterpret_cast<const char*>(slots[index + 1]);
      const auto n = static_cast<Py_ssize_t>(slots[index + 2]);
      index += 3;
      PyObject* out = PyUnicode_DecodeUTF8(data, n, "strict");
      accel_rt_decref(block);  // the reference compiled code gave the caller
      return out;
    }
    default:
      if (types::is_scalar(t)) return numpy_scalar(t->kind, slots[index++]);
      PyErr_SetString(PyExc_SystemError, "accel: cannot return this type (a compiler bug)");
      return nullptr;
  }
}

}  // namespace accel::dispatch
