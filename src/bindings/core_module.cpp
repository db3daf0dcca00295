// accel._core: the compiler and the jit dispatcher, for python/accel/_jit.py.

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings/specialization_records.h"
#include "bindings/syntax_from_python.h"
#include "dispatch/dispatcher.h"
#include "frontend/lower_syntax.h"
#include "jit/compiler.h"
#include "jit/engine.h"
#include "runtime/abi.h"

namespace nb = nanobind;
using namespace accel;

namespace {

// Set once from Python and kept for the process's life (no destructor at exit).
PyObject* compile_error_class = nullptr;
PyObject* compile_type_error_class = nullptr;

frontend::GlobalValue global_from_python(nb::handle descriptor) {
  // (kind, value) tuples made by _jit.py's exporter.
  auto entry = nb::borrow<nb::tuple>(descriptor);
  const std::string kind = nb::cast<std::string>(entry[0]);
  frontend::GlobalValue g;
  using K = frontend::GlobalValue::Kind;
  if (kind == "int") {
    g.kind = K::Int;
    g.int_value = nb::cast<int64_t>(entry[1]);
  } else if (kind == "float") {
    g.kind = K::Float;
    g.float_value = nb::cast<double>(entry[1]);
  } else if (kind == "bool") {
    g.kind = K::Bool;
    g.bool_value = nb::cast<bool>(entry[1]);
  } else if (kind == "module") {
    g.kind = K::Module;
    g.qualname = nb::cast<std::string>(entry[1]);
  } else if (kind == "builtin") {
    g.kind = K::Builtin;
    g.qualname = nb::cast<std::string>(entry[1]);
  } else if (kind == "function") {
    g.kind = K::Function;
    g.function_index = nb::cast<int>(entry[1]);
  } else if (kind == "missing") {
    g.kind = K::Missing;
    g.type_name = nb::cast<std::string>(entry[1]);
  } else {
    g.kind = K::Unsupported;
    g.type_name = nb::cast<std::string>(entry[1]);
  }
  return g;
}

// The function's compile options: the settings dict of @accel.jit (boundscheck, nogil,
// parallel); a key that is missing keeps its default.
frontend::CompileOptions options_from_python(nb::handle settings) {
  auto dict = nb::borrow<nb::dict>(settings);
  frontend::CompileOptions options;
  if (dict.contains("boundscheck")) options.boundscheck = nb::cast<bool>(dict["boundscheck"]);
  if (dict.contains("nogil")) options.nogil = nb::cast<bool>(dict["nogil"]);
  if (dict.contains("parallel")) options.parallel = nb::cast<bool>(dict["parallel"]);
  return options;
}

frontend::SourceText source_from_record(const nb::tuple& record) {
  frontend::SourceText source;
  source.filename = nb::cast<std::string>(record[1]);
  source.first_line = nb::cast<int>(record[2]);
  source.lines = nb::cast<std::vector<std::string>>(record[3]);
  source.function_name = nb::cast<std::string>(record[4]);
  return source;
}

[[noreturn]] void raise_compile_error(const frontend::CompileFailure& failure, const frontend::SourceText& source) {
  const auto& d = failure.diagnostic();
  nb::handle cls = frontend::is_type_error(d.code) ? compile_type_error_class : compile_error_class;
  nb::object error = cls(frontend::render(d, source));
  error.attr("filename") = source.filename;
  error.attr("lineno") = d.span.line;
  error.attr("col") = d.span.col + 1;
  error.attr("reason") = d.message;
  PyErr_SetObject(cls.ptr(), error.ptr());
  throw nb::python_error();
}

// One record per function: (tree, filename, first_line, lines, name, globals, defaults,
// settings), as _jit.py's exporter builds them. Unsupported syntax is raised here as a
// CompileError in that function's source.
frontend::FunctionSource function_from_python(nb::handle record_handle) {
  auto record = nb::borrow<nb::tuple>(record_handle);
  frontend::FunctionSource f;
  f.source = source_from_record(record);
  for (auto [name, descriptor] : nb::borrow<nb::dict>(record[5]))
    f.globals[nb::cast<std::string>(name)] = global_from_python(descriptor);
  for (nb::handle d : nb::borrow<nb::list>(record[6]))
    f.defaults.push_back(d.is_none() ? frontend::DefaultValue{} : frontend::DefaultValue{global_from_python(d)});
  f.options = options_from_python(record[7]);
  try {
    f.def = frontend::lower_function(bindings::syntax_from_python(record[0]));
  } catch (const frontend::CompileFailure& failure) {
    raise_compile_error(failure, f.source);
  }
  return f;
}

// `load(index)` gives function index's record; inference asks for a callee's record only
// when it reaches a call to it (frontend::Program).
void compile_into(nb::handle dispatcher, nb::callable load, int function_index, std::vector<uint32_t> codes) {
  if (!PyObject_TypeCheck(dispatcher.ptr(), dispatch::dispatcher_type()))
    throw nb::type_error("compile_into() needs an accel._core.Dispatcher");
  std::vector<types::Type> arg_types;
  for (uint32_t code : codes) {
    types::Type t = types::from_arg_code(code);
    if (!t) throw nb::type_error("accel: unknown argument type code");
    arg_types.push_back(t);
  }
  frontend::Program program([&load](int index) { return function_from_python(load(index)); });
  // Infer, generate, optimize. Errors point into the function they concern.
  try {
    dispatch::add_specialization(dispatcher.ptr(), jit::compile(program, function_index, arg_types));
  } catch (const frontend::CompileFailure& failure) {
    const int where = failure.diagnostic().function_index;
    raise_compile_error(failure, program.function(where < 0 ? function_index : where).source);
  }
}

}  // namespace

NB_MODULE(_core, m) {
  m.attr("__version__") = ACCEL_VERSION;
  if (!dispatch::initialize()) throw nb::python_error();
  m.attr("Dispatcher") = nb::borrow(reinterpret_cast<PyObject*>(dispatch::dispatcher_type()));
  m.def("compile_into", &compile_into, nb::arg("dispatcher"), nb::arg("load"),
        nb::arg("function_index"), nb::arg("codes"),
        "Compile function function_index for the argument type codes into the dispatcher; "
        "load(index) gives a function's record when compiling first reaches it.");
  m.def("set_error_classes", [](nb::object compile_error, nb::object compile_type_error) {
    compile_error_class = compile_error.inc_ref().ptr();
    compile_type_error_class = compile_type_error.inc_ref().ptr();
  });
  m.def("set_num_threads", [](int n) { runtime::set_num_threads(n); });
  m.def("get_num_threads", [] { return runtime::num_threads(); });
  m.def("live_array_blocks", [] { return runtime::live_array_blocks(); },
        "Array blocks made by compiled code and not yet freed (for leak tests).");
  m.def("host_cpu", [] { return jit::shared_engine().cpu_name(); }, "The CPU LLVM compiles for.");
  m.def("host_target", [] {
    const jit::Engine& engine = jit::shared_engine();
    return nb::make_tuple(engine.triple(), engine.cpu_name(), engine.features());
  }, "(triple, cpu, features): what compiled code here is made for and may use.");
  m.def("signature_names", [](std::vector<uint32_t> codes) {
    nb::list names;
    for (uint32_t code : codes) {
      types::Type t = types::from_arg_code(code);
      if (!t) throw nb::value_error("accel: unknown argument type code");
      names.append(types::name(t));
    }
    return nb::tuple(names);
  }, nb::arg("codes"), "The type names of argument type codes, as Dispatcher.signatures spells them.");
  m.def("export_specializations", &bindings::export_specializations, nb::arg("dispatcher"),
        "The dispatcher's compiled specializations as picklable records with object code.");
  m.def("import_specialization", &bindings::import_specialization, nb::arg("dispatcher"),
        nb::arg("record"),
        "Link one exported record into this process; False when this CPU cannot run it.");
  m.def("compile_for_arguments", [](nb::handle dispatcher, nb::tuple args, nb::object kwargs) {
    if (!PyObject_TypeCheck(dispatcher.ptr(), dispatch::dispatcher_type()))
      throw nb::type_error("compile_for_arguments() needs an accel._core.Dispatcher");
    if (!kwargs.is_none() && !PyDict_Check(kwargs.ptr()))
      throw nb::type_error("compile_for_arguments() takes keyword arguments as a dict");
    if (!dispatch::ensure_compiled(dispatcher.ptr(), args.ptr(), kwargs.is_none() ? nullptr : kwargs.ptr()))
      throw nb::python_error();
  }, nb::arg("dispatcher"), nb::arg("args"), nb::arg("kwargs").none() = nb::none(),
        "Compile the specialization a call with these arguments would use, without calling.");
}
