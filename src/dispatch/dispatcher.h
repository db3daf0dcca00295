#pragma once
// The callable behind @accel.jit: a CPython type with vectorcall. It turns the argument
// types into a fingerprint, finds the native entry compiled for it, and calls it —
// without running Python code on the hot path. A miss calls back into Python once to
// compile that signature.

#include <Python.h>

#include <vector>

#include "jit/compiler.h"
#include "runtime/abi.h"

struct AccelList;  // runtime/abi.h

namespace accel::dispatch {

/// Imports NumPy's C API and readies the type; false with a Python error set on failure.
bool initialize();

/// The type object `accel._core.Dispatcher`.
PyTypeObject* dispatcher_type();

/// Adds a compiled specialization to a dispatcher (a borrowed reference). One it
/// already has for these argument types is kept, and `compiled` dropped.
void add_specialization(PyObject* dispatcher, jit::CompiledFunction compiled);
/// Whether the dispatcher has a specialization for exactly these argument types.
bool has_specialization(PyObject* dispatcher, const std::vector<types::Type>& arg_types);
/// Copies of every specialization, with object code, for sending to another process.
std::vector<jit::CompiledFunction> compiled_specializations(PyObject* dispatcher);
/// Compiles the specialization a call with these arguments (a tuple, and a dict or
/// nullptr) would use, if it is missing, without running it. False with a Python error
/// set when the arguments do not bind or cannot be compiled.
bool ensure_compiled(PyObject* dispatcher, PyObject* args, PyObject* kwargs);

/// Makes the dispatcher one compiled from signatures (a borrowed reference to it): a call
/// whose types have no specialization asks `resolver.resolve(codes)` for the codes of the
/// one to run, converting arguments, instead of compiling. False with a Python error set
/// when it has one already.
bool set_resolver(PyObject* dispatcher, PyObject* resolver);
/// The resolver set_resolver gave it (borrowed), or nullptr.
PyObject* resolver(PyObject* dispatcher);
/// Compiles the specialization for these argument codes through the dispatcher's hook
/// (hook.compile(codes, declared_return)) unless it has it. False with a Python error set
/// on failure.
bool compile_signature(PyObject* dispatcher, const std::vector<uint32_t>& codes, PyObject* declared_return);

/// Raises the calling thread's pending runtime error (left by compiled code that
/// returned status 1) as its Python exception; returns nullptr.
PyObject* raise_pending();
/// What turns a class path (runtime/abi.h) raised in compiled code into its class: a
/// Python callable, kept for the process's life.
void set_exception_resolver(PyObject* resolver);
/// Lets compiled code format and print through CPython (text_renderer.cpp); the two
/// callables turn an exception class into its class path and back.
void set_text_services(PyObject* exception_path, PyObject* exception_class);

/// Box a result of type t read from the entry's result slots (boxing.cpp). Arrays that
/// view an argument's memory keep that argument (one of args) alive.
/// An instance of exception class `cls` for a pending error of compiled code: its message,
/// or the value it carries (KeyError(key)).
PyObject* exception_instance(PyObject* cls, const runtime::PendingError& error);
PyObject* box_result(types::Type t, const uint64_t* slots, int& index, PyObject* const* args, Py_ssize_t nargs);
/// Releases what a result that is not boxed holds (its arrays' and lists' references).
void release_result(types::Type t, const uint64_t* slots, int& index);
/// Rewrites the Python list `target` with the items of a compiled list (its item writer
/// from the entry's result); false with a Python error set when an item cannot be boxed.
bool write_back(const AccelList* list, uint64_t writer, types::Type list_type, PyObject* target);

/// An ndarray over an array value returned by compiled code (array_block.cpp).
PyObject* box_array(types::Type t, const uint64_t* slots, int& index, PyObject* const* args, Py_ssize_t nargs);
bool initialize_array_blocks();

}  // namespace accel::dispatch
