// The Python object that keeps an array block made in compiled code alive: NumPy holds
// it as the returned array's base, and releasing it releases the block.

#include "dispatch/numpy_api.h"
#include "dispatch/dispatcher.h"
#include "runtime/abi.h"

namespace accel::dispatch {
namespace {

struct ArrayBlock {
  PyObject_HEAD
  void* meminfo;
};

void array_block_dealloc(PyObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  accel_rt_decref(reinterpret_cast<ArrayBlock*>(self)->meminfo);
  type->tp_free(self);
  Py_DECREF(type);
}

PyType_Slot array_block_slots[] = {
    {Py_tp_dealloc, reinterpret_cast<void*>(array_block_dealloc)},
    {Py_tp_doc, const_cast<char*>("Memory of an array made by compiled code.")},
    {0, nullptr},
};

PyType_Spec array_block_spec = {"accel._core.ArrayBlock", sizeof(ArrayBlock), 0, Py_TPFLAGS_DEFAULT,
                                array_block_slots};

PyTypeObject* array_block_type = nullptr;

// Whether `data` lies inside the memory an argument array spans.
bool inside(PyArrayObject* array, const char* data) {
  const char* low = PyArray_BYTES(array);
  const char* high = low;
  for (int k = 0; k < PyArray_NDIM(array); ++k) {
    const npy_intp extent = (PyArray_DIM(array, k) - 1) * PyArray_STRIDE(array, k);
    if (PyArray_DIM(array, k) == 0) continue;
    (extent < 0 ? low : high) += extent;
  }
  return data >= low && data <= high + PyArray_ITEMSIZE(array);
}

// The argument array (or array in a tuple argument) whose memory holds `data`.
PyObject* owner_among(PyObject* const* args, Py_ssize_t nargs, const char* data) {
  for (Py_ssize_t i = 0; i < nargs; ++i) {
    if (PyArray_Check(args[i]) && inside(reinterpret_cast<PyArrayObject*>(args[i]), data)) return args[i];
    if (PyTuple_CheckExact(args[i]))
      if (PyObject* owner = owner_among(&PyTuple_GET_ITEM(args[i], 0), PyTuple_GET_SIZE(args[i]), data))
        return owner;
  }
  return nullptr;
}

}  // namespace

bool initialize_array_blocks() {
  array_block_type = reinterpret_cast<PyTypeObject*>(PyType_FromSpec(&array_block_spec));
  return array_block_type != nullptr;
}

PyObject* box_array(types::Type t, const uint64_t* slots, int& index, PyObject* const* args, Py_ssize_t nargs) {
  void* meminfo = reinterpret_cast<void*>(slots[index++]);
  char* data = reinterpret_cast<char*>(slots[index++]);
  npy_intp shape[NPY_MAXDIMS], strides[NPY_MAXDIMS];
  for (int k = 0; k < t->ndim; ++k) shape[k] = static_cast<npy_intp>(slots[index++]);
  for (int k = 0; k < t->ndim; ++k) strides[k] = static_cast<npy_intp>(slots[index++]);
  // (1) Who keeps the memory alive: our block, or the argument the array is a view of.
  PyObject* base = nullptr;
  if (meminfo) {
    auto* block = PyObject_New(ArrayBlock, array_block_type);
    if (!block) {
      accel_rt_decref(meminfo);
      return nullptr;
    }
    block->meminfo = meminfo;
    base = reinterpret_cast<PyObject*>(block);
  } else {
    base = owner_among(args, nargs, data);
    Py_XINCREF(base);
    bool empty = false;
    for (int k = 0; k < t->ndim; ++k) empty = empty || shape[k] == 0;
    if (!base && empty)  // a view with no elements may point anywhere (x[::-1] of an empty x)
      return PyArray_SimpleNew(t->ndim, shape, numpy_type_number(t->dtype));
    if (!base) {
      PyErr_SetString(PyExc_SystemError, "accel: a returned array has no owner (a compiler bug)");
      return nullptr;
    }
  }
  // (2) The ndarray over that memory, without a copy.
  PyArray_Descr* descr = PyArray_DescrFromType(numpy_type_number(t->dtype));
  PyObject* array = PyArray_NewFromDescr(&PyArray_Type, descr, t->ndim, shape, strides, data,
                                         t->readonly ? 0 : NPY_ARRAY_WRITEABLE, nullptr);
  if (!array) {
    Py_DECREF(base);
    return nullptr;
  }
  if (PyArray_SetBaseObject(reinterpret_cast<PyArrayObject*>(array), base) < 0) {
    Py_DECREF(array);
    return nullptr;
  }
  PyArray_UpdateFlags(reinterpret_cast<PyArrayObject*>(array),
                      NPY_ARRAY_C_CONTIGUOUS | NPY_ARRAY_F_CONTIGUOUS | NPY_ARRAY_ALIGNED);
  return array;
}

}  // namespace accel::dispatch
