// The runtime's text renderer (runtime/text.h): CPython's format() of each piece, NumPy's
// printing of arrays, under the GIL (compiled code may run with it released).

#include "dispatch/numpy_api.h"
#include "dispatch/dispatcher.h"
#include "runtime/text.h"

namespace accel::dispatch {
namespace {

using runtime::PendingError;
using runtime::TextPiece;

PyObject* path_of_class = nullptr;  // _export.exception_path
PyObject* class_of_path = nullptr;  // _export.exception_class

// The exception compiled code caught, as the object Python would have made.
PyObject* exception_object(const PendingError& error) {
  PyObject* cls = PyObject_CallFunction(class_of_path, "s", runtime::class_path_of(error).c_str());
  if (!cls) return nullptr;
  PyObject* out = exception_instance(cls, error);
  Py_DECREF(cls);
  return out;
}

// The value of the piece at `i` (advanced past it and a tuple's elements).
PyObject* value_of(const std::vector<TextPiece>& pieces, size_t& i) {
  const TextPiece& piece = pieces[i++];
  switch (piece.kind) {
    case TextPiece::Kind::Literal:
    case TextPiece::Kind::String:
      return PyUnicode_DecodeUTF8(piece.text.data(), static_cast<Py_ssize_t>(piece.text.size()), "replace");
    case TextPiece::Kind::Number: {
      int index = 0;
      return box_result(types::scalar(static_cast<types::Kind>(piece.number_kind)), &piece.bits, index, nullptr, 0);
    }
    case TextPiece::Kind::None: Py_RETURN_NONE;
    case TextPiece::Kind::Exception: return exception_object(piece.error);
    case TextPiece::Kind::Array: {
      PyArray_Descr* descr = PyArray_DescrFromType(numpy_type_number(static_cast<types::Kind>(piece.number_kind)));
      std::vector<npy_intp> shape(piece.shape.begin(), piece.shape.end());
      std::vector<npy_intp> strides(piece.strides.begin(), piece.strides.end());
      // A read-only view of the compiled code's array, alive for this statement.
      return PyArray_NewFromDescr(&PyArray_Type, descr, static_cast<int>(shape.size()), shape.data(), strides.data(),
                                  const_cast<char*>(piece.data), 0, nullptr);
    }
    case TextPiece::Kind::Tuple:
    case TextPiece::Kind::List: {
      const bool is_list = piece.kind == TextPiece::Kind::List;
      const auto n = static_cast<Py_ssize_t>(piece.count);
      PyObject* out = is_list ? PyList_New(n) : PyTuple_New(n);
      if (!out) return nullptr;
      for (Py_ssize_t k = 0; k < n; ++k) {
        PyObject* item = value_of(pieces, i);
        if (!item) {
          Py_DECREF(out);
          return nullptr;
        }
        if (is_list) PyList_SET_ITEM(out, k, item);
        else PyTuple_SET_ITEM(out, k, item);
      }
      return out;
    }
  }
  PyErr_SetString(PyExc_SystemError, "accel: unknown text piece (a compiler bug)");
  return nullptr;
}

// format(value!conversion, spec), as an f-string's field.
PyObject* formatted(PyObject* value, const TextPiece& piece) {
  if (piece.kind == TextPiece::Kind::Literal) {
    Py_INCREF(value);
    return value;
  }
  PyObject* converted = value;
  Py_INCREF(converted);
  if (piece.conversion) {
    Py_DECREF(converted);
    converted = piece.conversion == 'r' ? PyObject_Repr(value) : piece.conversion == 'a' ? PyObject_ASCII(value)
                                                                                            : PyObject_Str(value);
    if (!converted) return nullptr;
  }
  PyObject* spec = PyUnicode_FromStringAndSize(piece.spec.data(), static_cast<Py_ssize_t>(piece.spec.size()));
  if (!spec) {
    Py_DECREF(converted);
    return nullptr;
  }
  PyObject* out = PyObject_Format(converted, spec);
  Py_DECREF(spec);
  Py_DECREF(converted);
  return out;
}

// The Python error now set, as the runtime's pending error (cleared in Python).
void take_python_error(PendingError& error) {
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  error.kind = ACCEL_ERROR_CLASS;
  error.class_path = "builtins:RuntimeError|builtins:Exception|builtins:BaseException";
  if (PyObject* path = type ? PyObject_CallFunctionObjArgs(path_of_class, type, nullptr) : nullptr) {
    if (const char* text = PyUnicode_AsUTF8(path)) error.class_path = text;
    Py_DECREF(path);
  }
  PyErr_Clear();
  if (PyObject* text = value ? PyObject_Str(value) : nullptr) {
    if (const char* utf8 = PyUnicode_AsUTF8(text)) error.message = utf8;
    Py_DECREF(text);
  }
  PyErr_Clear();
  Py_XDECREF(type);
  Py_XDECREF(value);
  Py_XDECREF(traceback);
}

bool render(const std::vector<TextPiece>& pieces, bool print, std::string& out, PendingError& error) {
  PyGILState_STATE gil = PyGILState_Ensure();
  bool ok = true;
  for (size_t i = 0; ok && i < pieces.size();) {
    const TextPiece& piece = pieces[i];
    PyObject* value = value_of(pieces, i);
    PyObject* text = value ? formatted(value, piece) : nullptr;
    Py_XDECREF(value);
    Py_ssize_t n = 0;
    const char* utf8 = text ? PyUnicode_AsUTF8AndSize(text, &n) : nullptr;
    if (utf8) out.append(utf8, static_cast<size_t>(n));
    Py_XDECREF(text);
    ok = utf8 != nullptr;
  }
  if (ok && print) {
    // print() writes to whatever sys.stdout is now (pytest's capture, a redirect).
    PyObject* stdout_object = PySys_GetObject("stdout");
    if (stdout_object && stdout_object != Py_None) {
      PyObject* text = PyUnicode_DecodeUTF8(out.data(), static_cast<Py_ssize_t>(out.size()), "replace");
      ok = text && PyFile_WriteObject(text, stdout_object, Py_PRINT_RAW) == 0;
      Py_XDECREF(text);
    }
  }
  if (!ok) take_python_error(error);
  PyGILState_Release(gil);
  return ok;
}

}  // namespace

void set_text_services(PyObject* exception_path, PyObject* exception_class) {
  Py_XINCREF(exception_path);
  Py_XINCREF(exception_class);
  path_of_class = exception_path;
  class_of_path = exception_class;
  runtime::set_text_renderer(&render);
}

}  // namespace accel::dispatch
