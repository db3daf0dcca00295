// np.ufunc objects over compiled loops.
//
// Every loop is given to NumPy twice. (1) As a legacy loop (PyUFunc_FromFuncAndData...):
// that is what `ufunc.types` lists and what NumPy's type resolution searches, so a call
// with int32 inputs finds a float64 loop the way NumPy's own ufuncs find theirs. (2) As an
// ArrayMethod for the loop's exact dtypes (PyUFunc_AddLoopFromSpec), which NumPy prefers
// over wrapping the legacy loop: its strided loop returns -1 with a Python exception set,
// and NumPy checks that status. A legacy loop cannot report an error: NumPy looks at
// PyErr_Occurred() after one only when the loop needs the Python API, which a loop over
// numbers never does.

#define NPY_TARGET_VERSION NPY_2_0_API_VERSION  // the ArrayMethod API
#include "dispatch/numpy_api.h"

#define PY_UFUNC_UNIQUE_SYMBOL accel_dispatch_UFUNC_API
#include <numpy/ufuncobject.h>

#include <cstring>
#include <memory>

#include "dispatch/dispatcher.h"
#include "dispatch/ufunc_object.h"
#include "runtime/abi.h"

namespace accel::dispatch {
namespace {

constexpr const char* kStorageCapsule = "accel.ufunc_storage";

// One loop as NumPy sees it. `aux` comes first: a pointer to it is the ArrayMethod's
// auxdata, which NumPy passes back to the strided loop.
struct LoopData {
  NpyAuxData aux;
  codegen::UFuncLoopFunction function;
  std::vector<int> type_numbers;
};

// Everything the ufunc points into, owned by a capsule in the ufunc's `obj` field
// (NumPy releases that with the ufunc). NumPy keeps the name, doc and arrays by pointer.
struct UFuncStorage {
  std::string name, doc, core_signature;
  int identity = PyUFunc_None;
  std::vector<std::unique_ptr<LoopData>> loops;  // stable addresses
  std::vector<PyUFuncGenericFunction> functions;
  std::vector<void*> data;
  std::vector<char> types;
};

// The loop's auxdata lives as long as the ufunc, so NumPy's free and clone do nothing.
void keep_auxdata(NpyAuxData*) {}
NpyAuxData* same_auxdata(NpyAuxData* aux) { return aux; }

// A failed loop: the kernel's error, pending in this thread's runtime state, becomes the
// Python exception. NumPy may have released the GIL around the loop.
void raise_with_gil() {
  PyGILState_STATE gil = PyGILState_Ensure();
  raise_pending();
  PyGILState_Release(gil);
}

int strided_loop(PyArrayMethod_Context*, char* const* data, const npy_intp* dimensions, const npy_intp* strides,
                 NpyAuxData* aux) {
  auto* loop = reinterpret_cast<LoopData*>(aux);
  if (loop->function(const_cast<char**>(data), dimensions, strides, nullptr) == 0) return 0;
  raise_with_gil();
  return -1;
}

// Only reached if NumPy ever runs the legacy loop itself: the error is set, but NumPy
// does not look, so CPython reports a SystemError whose cause is the kernel's error —
// loud, never a silently wrong result.
void legacy_loop(char** args, const npy_intp* dimensions, const npy_intp* steps, void* data) {
  auto* loop = static_cast<LoopData*>(data);
  if (loop->function(args, dimensions, steps, nullptr) != 0) raise_with_gil();
}

UFuncStorage* storage_of(PyObject* caller) {
  if (!caller || !PyObject_TypeCheck(caller, &PyUFunc_Type)) return nullptr;
  PyObject* obj = reinterpret_cast<PyUFuncObject*>(caller)->obj;
  if (!obj || !PyCapsule_IsValid(obj, kStorageCapsule)) return nullptr;
  return static_cast<UFuncStorage*>(PyCapsule_GetPointer(obj, kStorageCapsule));
}

LoopData* loop_for(PyArrayMethod_Context* context, UFuncStorage* storage) {
  for (auto& loop : storage->loops) {
    bool same = true;
    for (size_t k = 0; k < loop->type_numbers.size() && same; ++k)
      same = context->descriptors[k]->type_num == loop->type_numbers[k];
    if (same) return loop.get();
  }
  return nullptr;
}

int get_loop(PyArrayMethod_Context* context, int /*aligned*/, int /*move_references*/, const npy_intp* /*strides*/,
             PyArrayMethod_StridedLoop** out_loop, NpyAuxData** out_auxdata, NPY_ARRAYMETHOD_FLAGS* flags) {
  UFuncStorage* storage = storage_of(context->caller);
  LoopData* loop = storage ? loop_for(context, storage) : nullptr;
  if (!loop) {
    PyErr_SetString(PyExc_RuntimeError, "accel: a compiled ufunc loop was used outside its ufunc");
    return -1;
  }
  *out_loop = &strided_loop;
  *out_auxdata = &loop->aux;
  *flags = static_cast<NPY_ARRAYMETHOD_FLAGS>(0);  // no Python API; floating-point flags are checked
  return 0;
}

template <class T>
void store_identity(void* initial, int identity) {
  const T value = static_cast<T>(identity == PyUFunc_One ? 1 : 0);
  std::memcpy(initial, &value, sizeof value);
}

// Where a reduction starts (for identity 0 or 1): that value in the loop's dtype.
int reduction_initial(PyArrayMethod_Context* context, npy_bool /*reduction_is_empty*/, void* initial) {
  UFuncStorage* storage = storage_of(context->caller);
  if (!storage || (storage->identity != PyUFunc_Zero && storage->identity != PyUFunc_One)) return 0;
  const int identity = storage->identity;
  switch (context->descriptors[0]->type_num) {
    case NPY_BOOL: store_identity<npy_bool>(initial, identity); return 1;
    case NPY_INT8: store_identity<int8_t>(initial, identity); return 1;
    case NPY_INT16: store_identity<int16_t>(initial, identity); return 1;
    case NPY_INT32: store_identity<int32_t>(initial, identity); return 1;
    case NPY_INT64: store_identity<int64_t>(initial, identity); return 1;
    case NPY_UINT8: store_identity<uint8_t>(initial, identity); return 1;
    case NPY_UINT16: store_identity<uint16_t>(initial, identity); return 1;
    case NPY_UINT32: store_identity<uint32_t>(initial, identity); return 1;
    case NPY_UINT64: store_identity<uint64_t>(initial, identity); return 1;
    case NPY_FLOAT32: store_identity<float>(initial, identity); return 1;
    case NPY_FLOAT64: store_identity<double>(initial, identity); return 1;
    default: return 0;
  }
}

bool import_ufunc_api() {
  static const bool imported = _import_umath() == 0;
  if (!imported && !PyErr_Occurred())
    PyErr_SetString(PyExc_ImportError, "accel: NumPy's ufunc C API is not available");
  return imported;
}

void free_storage(PyObject* capsule) {
  delete static_cast<UFuncStorage*>(PyCapsule_GetPointer(capsule, kStorageCapsule));
}

// (2) of the file comment: the loop as an ArrayMethod for its exact dtypes.
bool add_array_method(PyObject* ufunc, const UFuncStorage& storage, const LoopData& loop, int nin, int nout) {
  std::vector<PyArray_DTypeMeta*> dtypes;
  for (int type_number : loop.type_numbers) {
    PyArray_Descr* descr = PyArray_DescrFromType(type_number);
    if (!descr) return false;
    dtypes.push_back(NPY_DTYPE(descr));  // a builtin DType: it outlives the descriptor
    Py_DECREF(descr);
  }
  const bool has_initial = storage.identity == PyUFunc_Zero || storage.identity == PyUFunc_One;
  PyType_Slot slots[] = {
      {NPY_METH_get_loop, reinterpret_cast<void*>(&get_loop)},
      {has_initial ? NPY_METH_get_reduction_initial : 0, has_initial ? reinterpret_cast<void*>(&reduction_initial) : nullptr},
      {0, nullptr},
  };
  // As for NumPy's legacy ufuncs: with an identity (or "reorderable"), reductions may
  // run over several axes at once.
  int flags = 0;
  if (storage.identity != PyUFunc_None && storage.core_signature.empty() && nin == 2 && nout == 1)
    flags |= NPY_METH_IS_REORDERABLE;
  const std::string name = "accel_loop_" + storage.name;
  PyArrayMethod_Spec spec{};
  spec.name = name.c_str();
  spec.nin = nin;
  spec.nout = nout;
  spec.casting = NPY_NO_CASTING;
  spec.flags = static_cast<NPY_ARRAYMETHOD_FLAGS>(flags);
  spec.dtypes = dtypes.data();
  spec.slots = slots;
  return PyUFunc_AddLoopFromSpec(ufunc, &spec) == 0;
}

// Whether each loop reads the core dimensions NumPy hands it: the loop finds operand k's
// sizes at dimensions[1 + core_dims[k][j]], NumPy puts them at its own indices.
bool same_core_dimensions(const PyUFuncObject* ufunc, const std::vector<UFuncLoopEntry>& loops) {
  for (const UFuncLoopEntry& entry : loops)
    for (size_t k = 0; k < entry.core_dims.size(); ++k) {
      const std::vector<int>& dims = entry.core_dims[k];
      if (dims.empty()) continue;  // "()", or an elementwise ufunc
      if (!ufunc->core_enabled || static_cast<int>(dims.size()) != ufunc->core_num_dims[k]) return false;
      for (size_t j = 0; j < dims.size(); ++j)
        if (dims[j] != ufunc->core_dim_ixs[ufunc->core_offsets[k] + static_cast<int>(j)]) return false;
    }
  return true;
}

}  // namespace

PyObject* make_ufunc(const UFuncDefinition& definition, const std::vector<UFuncLoopEntry>& loops) {
  if (!import_ufunc_api()) return nullptr;
  auto storage = std::make_unique<UFuncStorage>();
  storage->name = definition.name;
  storage->doc = definition.doc;
  storage->core_signature = definition.core_signature;
  storage->identity = definition.identity;
  const size_t nargs = static_cast<size_t>(definition.nin + definition.nout);
  for (const UFuncLoopEntry& entry : loops) {
    if (entry.dtypes.size() != nargs) {
      PyErr_SetString(PyExc_ValueError, "accel: a ufunc loop has the wrong number of dtypes");
      return nullptr;
    }
    auto loop = std::make_unique<LoopData>();
    loop->aux.free = &keep_auxdata;
    loop->aux.clone = &same_auxdata;
    loop->function = entry.function;
    for (types::Kind kind : entry.dtypes) {
      loop->type_numbers.push_back(numpy_type_number(kind));
      storage->types.push_back(static_cast<char>(numpy_type_number(kind)));
    }
    storage->functions.push_back(&legacy_loop);
    storage->data.push_back(loop.get());
    storage->loops.push_back(std::move(loop));
  }
  // The ufunc is made without loops, (2) every loop is added as an ArrayMethod, and
  // only then (1) the legacy loops are set: given to the constructor, NumPy would wrap
  // them into ArrayMethods of its own for the same dtypes, and ours could not be added.
  PyObject* ufunc = PyUFunc_FromFuncAndDataAndSignatureAndIdentity(
      nullptr, nullptr, nullptr, 0, definition.nin, definition.nout, definition.identity, storage->name.c_str(),
      storage->doc.c_str(), 0, storage->core_signature.empty() ? nullptr : storage->core_signature.c_str(), nullptr);
  if (!ufunc) return nullptr;
  UFuncStorage* kept = storage.get();
  PyObject* capsule = PyCapsule_New(storage.get(), kStorageCapsule, &free_storage);
  if (!capsule) {
    Py_DECREF(ufunc);
    return nullptr;
  }
  storage.release();
  auto* object = reinterpret_cast<PyUFuncObject*>(ufunc);
  object->obj = capsule;  // released by the ufunc's dealloc
  if (!same_core_dimensions(object, loops)) {
    Py_DECREF(ufunc);
    PyErr_Format(PyExc_SystemError, "accel: the loops of %s number its core dimensions unlike NumPy",
                 definition.name.c_str());
    return nullptr;
  }
  for (const auto& loop : kept->loops)
    if (!add_array_method(ufunc, *kept, *loop, definition.nin, definition.nout)) {
      Py_DECREF(ufunc);
      return nullptr;
    }
  object->functions = kept->functions.data();
  object->data = kept->data.data();
  object->types = kept->types.data();
  object->ntypes = static_cast<int>(kept->loops.size());
  return ufunc;
}

}  // namespace accel::dispatch
