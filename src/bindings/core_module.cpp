// accel._core: the compiler and the jit dispatcher, for python/accel/_jit.py.

#include <llvm/Config/llvm-config.h>
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <optional>

#include "bindings/specialization_records.h"
#include "bindings/syntax_from_python.h"
#include "bindings/ufunc_bindings.h"
#include "dispatch/dispatcher.h"
#include "frontend/lower_syntax.h"
#include "jit/compiler.h"
#include "jit/engine.h"
#include "runtime/abi.h"
#include "types/type_text.h"

namespace nb = nanobind;
using namespace accel;

namespace {

// Set once from Python and kept for the process's life (no destructor at exit).
PyObject* compile_error_class = nullptr;
PyObject* compile_type_error_class = nullptr;
PyObject* parallel_warning_class = nullptr;

types::Kind kind_named(const std::string& name) {
  for (int k = 0; k <= static_cast<int>(types::Kind::Complex128); ++k)
    if (name == types::name(static_cast<types::Kind>(k))) return static_cast<types::Kind>(k);
  throw nb::value_error(("accel: no number kind is named " + name).c_str());
}

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
  } else if (kind == "none") {  // a default None, np.newaxis
    g.kind = K::None;
    g.type_name = "NoneType";
  } else if (kind == "number") {
    const types::Kind k = kind_named(nb::cast<std::string>(entry[1]));
    g.numpy_kind = static_cast<int>(k);
    if (types::is_float(k)) {
      g.kind = K::Float;
      g.float_value = nb::cast<double>(entry[2]);
    } else {
      g.kind = K::Int;  // a uint64 beyond int64 keeps its bits
      g.int_value = k == types::Kind::UInt64 ? static_cast<int64_t>(nb::cast<uint64_t>(entry[2]))
                                             : nb::cast<int64_t>(entry[2]);
    }
  } else if (kind == "module") {
    g.kind = K::Module;
    g.qualname = nb::cast<std::string>(entry[1]);
  } else if (kind == "builtin") {
    g.kind = K::Builtin;
    g.qualname = nb::cast<std::string>(entry[1]);
  } else if (kind == "function") {
    g.kind = K::Function;
    g.function_index = nb::cast<int>(entry[1]);
  } else if (kind == "exception") {
    g.kind = K::ExceptionClass;
    g.qualname = nb::cast<std::string>(entry[1]);
  } else if (kind == "overload") {  // ("overload", index, shown name)
    g.kind = K::Overload;
    g.function_index = nb::cast<int>(entry[1]);
    g.qualname = nb::cast<std::string>(entry[2]);
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
  if (dict.contains("fastmath"))
    for (const std::string& flag : nb::cast<std::vector<std::string>>(dict["fastmath"]))
      if (!options.fastmath.enable(flag)) throw nb::value_error(("accel: unknown fastmath flag " + flag).c_str());
  if (dict.contains("error_model")) {
    const std::string model = nb::cast<std::string>(dict["error_model"]);
    if (model != "python" && model != "numpy")
      throw nb::value_error(("accel: unknown error_model " + model).c_str());
    options.error_model = model == "numpy" ? frontend::ErrorModel::NumPy : frontend::ErrorModel::Python;
  }
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

// A declared return type from _signatures.py: an argument type code (a number or an
// array), "none", or a tuple of these.
types::Type declared_type(nb::handle description) {
  if (PyLong_Check(description.ptr())) {
    types::Type t = types::from_arg_code(nb::cast<uint32_t>(description));
    if (!t) throw nb::value_error("accel: unknown type code in a declared return type");
    return t;
  }
  if (nb::isinstance<nb::str>(description) && nb::cast<std::string>(description) == "none") return types::none();
  if (nb::isinstance<nb::tuple>(description)) {
    std::vector<types::Type> elements;
    for (nb::handle e : description) elements.push_back(declared_type(e));
    return types::tuple(std::move(elements));
  }
  throw nb::type_error("accel: a declared return type is a type code, \"none\" or a tuple of them");
}

// None: a lazily compiled call (no conversion); "inferred": a signature without a return
// type; otherwise the declared type (see declared_type).
std::optional<jit::DeclaredReturn> declared_return_from_python(nb::handle description) {
  if (description.is_none()) return std::nullopt;
  if (nb::isinstance<nb::str>(description) && nb::cast<std::string>(description) == "inferred")
    return jit::DeclaredReturn{};
  return jit::DeclaredReturn{declared_type(description)};
}

void check_dispatcher(nb::handle dispatcher, const char* function) {
  if (!PyObject_TypeCheck(dispatcher.ptr(), dispatch::dispatcher_type()))
    throw nb::type_error((std::string(function) + "() needs an accel._core.Dispatcher").c_str());
}

// One record per function: (tree, filename, first_line, lines, name, globals, defaults,
// settings, signatures), as _export.py's exporter builds them; signatures is None or
// [(argument codes, declared return)] for a function compiled from them. Unsupported
// syntax is raised here as a CompileError in that function's source.
frontend::FunctionSource function_from_python(nb::handle record_handle) {
  auto record = nb::borrow<nb::tuple>(record_handle);
  frontend::FunctionSource f;
  f.source = source_from_record(record);
  for (auto [name, descriptor] : nb::borrow<nb::dict>(record[5]))
    f.globals[nb::cast<std::string>(name)] = global_from_python(descriptor);
  for (nb::handle d : nb::borrow<nb::list>(record[6]))
    f.defaults.push_back(d.is_none() ? frontend::DefaultValue{} : frontend::DefaultValue{global_from_python(d)});
  f.options = options_from_python(record[7]);
  if (record.size() > 8 && !record[8].is_none())
    for (nb::handle entry : record[8]) {
      frontend::DeclaredSignature signature;
      signature.arg_codes = nb::cast<std::vector<uint32_t>>(entry[0]);
      if (auto declared = declared_return_from_python(entry[1]); declared && declared->type)
        signature.declared_return = types::to_text(declared->type);
      f.signatures.push_back(std::move(signature));
    }
  try {
    f.def = frontend::lower_function(bindings::syntax_from_python(record[0]));
  } catch (const frontend::CompileFailure& failure) {
    raise_compile_error(failure, f.source);
  }
  return f;
}

// The program compile_into and compile_ufunc_loop read through `exporter` (described
// below; it must outlive the program).
frontend::Program program_of(nb::object& exporter) {
  return frontend::Program(
      [&exporter](int index) { return function_from_python(exporter.attr("load")(index)); },
      [&exporter](int index, const std::vector<uint32_t>& call, std::string& why) {
        try {
          return nb::cast<int>(exporter.attr("choose")(index, nb::tuple(nb::cast(call))));
        } catch (nb::python_error& error) {
          if (!error.matches(PyExc_TypeError)) throw;
          why = nb::cast<std::string>(nb::str(error.value()));
          return -1;
        }
      },
      [&exporter](int overload, const std::vector<std::string>& args,
                  const std::vector<std::pair<std::string, std::string>>& keywords, std::string& why) {
        nb::dict named;
        for (const auto& [name, type] : keywords) named[nb::str(name.c_str())] = nb::str(type.c_str());
        try {
          return nb::cast<int>(exporter.attr("resolve_overload")(overload, nb::cast(args), named));
        } catch (nb::python_error& error) {
          if (!error.matches(PyExc_TypeError)) throw;
          why = nb::cast<std::string>(nb::str(error.value()));
          return -1;
        }
      });
}

// `exporter.load(index)` gives function index's record; inference asks for a callee's
// record only when it reaches a call to it (frontend::Program). `exporter.choose(index,
// codes)` picks the signature a call takes, for a callee compiled from signatures.
void compile_into(nb::handle dispatcher, nb::object exporter, int function_index, std::vector<uint32_t> codes,
                  nb::object declared_return) {
  if (!PyObject_TypeCheck(dispatcher.ptr(), dispatch::dispatcher_type()))
    throw nb::type_error("compile_into() needs an accel._core.Dispatcher");
  const std::optional<jit::DeclaredReturn> declared = declared_return_from_python(declared_return);
  std::optional<std::vector<types::Type>> arg_types = types::from_arg_codes(codes);
  if (!arg_types) throw nb::type_error("accel: unknown argument type code");
  frontend::Program program = program_of(exporter);
  // Infer, generate, optimize. Errors point into the function they concern.
  std::vector<frontend::Diagnostic> warnings;
  try {
    jit::CompiledFunction compiled = jit::compile(program, function_index, *arg_types, declared);
    warnings = std::move(compiled.warnings);
    dispatch::add_specialization(dispatcher.ptr(), std::move(compiled));
  } catch (const frontend::CompileFailure& failure) {
    const int where = failure.diagnostic().function_index;
    raise_compile_error(failure, program.function(where < 0 ? function_index : where).source);
  }
  for (const auto& warning : warnings) {
    const int where = warning.function_index < 0 ? function_index : warning.function_index;
    const std::string text = frontend::render(warning, program.function(where).source);
    if (PyErr_WarnEx(parallel_warning_class, text.c_str(), 1) < 0) throw nb::python_error();
  }
}

// compile_into's twin for the kernel of a ufunc loop (python/accel/_ufunc.py): returns a
// compiled loop; `layout` is described in bindings/ufunc_bindings.h.
nb::object compile_ufunc_loop(nb::object exporter, int function_index, nb::handle layout) {
  codegen::UFuncLoopLayout loop_layout = bindings::ufunc_layout_from_python(layout);
  frontend::Program program = program_of(exporter);
  try {
    return bindings::wrap_ufunc_loop(jit::compile_ufunc_loop(program, function_index, std::move(loop_layout)));
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
  m.def("compile_into", &compile_into, nb::arg("dispatcher"), nb::arg("exporter"),
        nb::arg("function_index"), nb::arg("codes"), nb::arg("declared_return").none() = nb::none(),
        "Compile function function_index for the argument type codes into the dispatcher; "
        "exporter.load(index) gives a function's record when compiling first reaches it, "
        "exporter.choose(index, codes) a signature for a call to it. declared_return "
        "(a signature's, see _signatures.py) converts the result numba's way.");
  m.def("arg_code", [](const std::string& kind, int ndim, const std::string& layout, bool readonly) {
    const types::Kind k = kind_named(kind);
    if (layout.empty()) return types::arg_code(types::scalar(k));
    if (types::is_python_scalar(k) || ndim < 0 || ndim > 15 || layout.size() != 1 ||
        std::string("CFA").find(layout[0]) == std::string::npos)
      throw nb::value_error("accel: arrays have a NumPy dtype, 0-15 dimensions and layout C, F or A");
    const types::Layout l = layout[0] == 'C' ? types::Layout::C : layout[0] == 'F' ? types::Layout::F : types::Layout::Any;
    return types::arg_code(types::array(k, ndim, l, readonly));
  }, nb::arg("kind"), nb::arg("ndim") = 0, nb::arg("layout") = "", nb::arg("readonly") = false,
        "The dispatcher's code for a number kind (types::name: 'int', 'float64', ...), or with a "
        "layout ('C', 'F', 'A') for an array of it.");
  m.def("arg_type", [](uint32_t code) -> nb::object {
    types::Type t = types::from_arg_code(code);
    if (!t) return nb::none();
    if (t->kind != types::Kind::Array) return nb::make_tuple(types::name(t->kind), 0, "", false);
    const char* layout = t->layout == types::Layout::C ? "C" : t->layout == types::Layout::F ? "F" : "A";
    return nb::make_tuple(types::name(t->dtype), t->ndim, layout, t->readonly);
  }, nb::arg("code"), "(kind, ndim, layout, readonly) for a code, layout '' for a number; None if it names none.");
  m.def("set_signature_resolver", [](nb::handle dispatcher, nb::handle resolver) {
    check_dispatcher(dispatcher, "set_signature_resolver");
    if (!dispatch::set_resolver(dispatcher.ptr(), resolver.ptr())) throw nb::python_error();
  }, nb::arg("dispatcher"), nb::arg("resolver"),
        "Make the dispatcher pick among its compiled signatures instead of compiling new ones.");
  m.def("signature_resolver", [](nb::handle dispatcher) -> nb::object {
    check_dispatcher(dispatcher, "signature_resolver");
    PyObject* r = dispatch::resolver(dispatcher.ptr());
    return r ? nb::borrow(r) : nb::none();
  }, nb::arg("dispatcher"), "The resolver set_signature_resolver gave the dispatcher, or None.");
  m.def("compile_signature", [](nb::handle dispatcher, std::vector<uint32_t> codes, nb::object declared_return) {
    check_dispatcher(dispatcher, "compile_signature");
    if (!dispatch::compile_signature(dispatcher.ptr(), codes, declared_return.ptr())) throw nb::python_error();
  }, nb::arg("dispatcher"), nb::arg("codes"), nb::arg("declared_return").none(),
        "Compile the dispatcher's specialization for these codes now, unless it has it.");
  m.def("compile_ufunc_loop", &compile_ufunc_loop, nb::arg("exporter"), nb::arg("function_index"),
        nb::arg("layout"), "Compile function function_index as the kernel of a ufunc loop.");
  bindings::define_ufunc_functions(m);
  m.def("set_error_classes", [](nb::object compile_error, nb::object compile_type_error, nb::object parallel_warning) {
    compile_error_class = compile_error.inc_ref().ptr();
    compile_type_error_class = compile_type_error.inc_ref().ptr();
    parallel_warning_class = parallel_warning.inc_ref().ptr();
  });
  m.def("set_exception_resolver", [](nb::object path_of_class, nb::object class_of_path) {
    dispatch::set_exception_resolver(class_of_path.ptr());
    dispatch::set_text_services(path_of_class.ptr(), class_of_path.ptr());
  }, nb::arg("exception_path"), nb::arg("exception_class"),
        "The callables that turn an exception class into its class path (runtime/abi.h) and back.");
  m.def("set_num_threads", [](int n) { runtime::set_num_threads(n); });
  m.def("get_num_threads", [] { return runtime::num_threads(); });
  m.def("live_array_blocks", [] { return runtime::live_array_blocks(); },
        "Array blocks made by compiled code and not yet freed (for leak tests).");
  m.def("lapack_symbols", [] { return runtime::lapack_symbols(); },
        "The LAPACK symbol (dgesv's) np.linalg calls in compiled code, or '' when the library's own run.");
  m.def("llvm_version", [] { return LLVM_VERSION_STRING; }, "The LLVM this module was built with.");
  m.def("host_cpu", [] { return jit::shared_engine().cpu_name(); }, "The CPU LLVM compiles for.");
  m.def("host_target", [] {
    const jit::Engine& engine = jit::shared_engine();
    return nb::make_tuple(engine.triple(), engine.cpu_name(), engine.features());
  }, "(triple, cpu, features): what compiled code here is made for and may use.");
  m.def("signature_names", [](std::vector<uint32_t> codes) {
    std::optional<std::vector<types::Type>> arg_types = types::from_arg_codes(codes);
    if (!arg_types) throw nb::value_error("accel: unknown argument type code");
    nb::list names;
    for (types::Type t : *arg_types) names.append(types::name(t));
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
