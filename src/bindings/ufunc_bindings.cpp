#include "bindings/ufunc_bindings.h"

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <memory>
#include <string>
#include <vector>

#include "dispatch/ufunc_object.h"

namespace nb = nanobind;

namespace accel::bindings {
namespace {

using types::Kind;

constexpr size_t kRecordSize = 6;

Kind kind_of_dtype(const std::string& name) {
  if (name == "bool") return Kind::Bool;
  for (Kind k : {Kind::Int8, Kind::Int16, Kind::Int32, Kind::Int64, Kind::UInt8, Kind::UInt16, Kind::UInt32,
                 Kind::UInt64, Kind::Float32, Kind::Float64})
    if (name == types::name(k)) return k;
  throw nb::value_error(("accel: ufunc loops take bool, int8-int64, uint8-uint64, float32 and float64, not " + name).c_str());
}

std::string dtype_of_kind(Kind k) { return k == Kind::Bool ? "bool" : types::name(k); }

nb::tuple layout_to_python(const codegen::UFuncLoopLayout& layout) {
  nb::list operands;
  for (const codegen::UFuncOperand& op : layout.operands)
    operands.append(nb::make_tuple(dtype_of_kind(op.dtype), nb::tuple(nb::cast(op.core_dims)), op.as_array, op.readonly));
  return nb::make_tuple(layout.nin, layout.generalized, nb::tuple(operands));
}

// A compiled loop travels in Python as a capsule holding it whole (so that it can be
// pickled), not as a nanobind class: loops live in module globals until the interpreter
// ends, where nanobind would report every one still alive as a leak.
constexpr const char* kLoopCapsule = "accel.ufunc_loop";

void free_loop(PyObject* capsule) {
  delete static_cast<jit::CompiledUFuncLoop*>(PyCapsule_GetPointer(capsule, kLoopCapsule));
}

const jit::CompiledUFuncLoop& loop_of(nb::handle capsule) {
  if (!PyCapsule_IsValid(capsule.ptr(), kLoopCapsule))
    throw nb::type_error("expected a compiled ufunc loop (from accel._core.compile_ufunc_loop)");
  return *static_cast<const jit::CompiledUFuncLoop*>(PyCapsule_GetPointer(capsule.ptr(), kLoopCapsule));
}

nb::tuple loop_dtypes(nb::handle capsule) {
  nb::list out;
  for (const codegen::UFuncOperand& op : loop_of(capsule).layout.operands) out.append(dtype_of_kind(op.dtype));
  return nb::tuple(out);
}

nb::tuple loop_record(nb::handle capsule) {
  const jit::CompiledUFuncLoop& loop = loop_of(capsule);
  const jit::CompiledFunction& code = loop.code;
  return nb::make_tuple(layout_to_python(loop.layout), code.entry_name,
                        nb::bytes(code.object_code.data(), code.object_code.size()), code.triple, code.cpu,
                        code.features);
}

// None when this machine cannot run the record's code (another triple, or a CPU feature
// missing): the caller compiles that loop from source instead.
nb::object ufunc_loop_from_record(nb::tuple record) {
  if (record.size() != kRecordSize || !nb::isinstance<nb::bytes>(record[2]))
    throw nb::value_error("not a compiled ufunc loop record");
  jit::CompiledUFuncLoop loop;
  loop.layout = ufunc_layout_from_python(record[0]);
  for (const codegen::UFuncOperand& op : loop.layout.operands)
    if (op.dtype == Kind::None) throw nb::value_error("a compiled ufunc loop record lacks an output dtype");
  jit::CompiledFunction& code = loop.code;
  code.arg_types = loop.layout.kernel_arg_types();
  code.entry_name = nb::cast<std::string>(record[1]);
  auto object = nb::borrow<nb::bytes>(record[2]);
  code.object_code.assign(object.c_str(), object.size());
  code.triple = nb::cast<std::string>(record[3]);
  code.cpu = nb::cast<std::string>(record[4]);
  code.features = nb::cast<std::string>(record[5]);
  if (!jit::load_compiled(code)) return nb::none();
  return wrap_ufunc_loop(std::move(loop));
}

}  // namespace

codegen::UFuncLoopLayout ufunc_layout_from_python(nb::handle description) {
  auto t = nb::borrow<nb::tuple>(description);
  if (t.size() != 3) throw nb::value_error("accel: a ufunc loop layout is (nin, generalized, operands)");
  codegen::UFuncLoopLayout layout;
  layout.nin = nb::cast<int>(t[0]);
  layout.generalized = nb::cast<bool>(t[1]);
  for (nb::handle entry : t[2]) {
    auto op = nb::borrow<nb::tuple>(entry);
    codegen::UFuncOperand operand;
    operand.dtype = op[0].is_none() ? Kind::None : kind_of_dtype(nb::cast<std::string>(op[0]));
    operand.core_dims = nb::cast<std::vector<int>>(op[1]);
    operand.as_array = nb::cast<bool>(op[2]);
    operand.readonly = nb::cast<bool>(op[3]);
    layout.operands.push_back(std::move(operand));
  }
  const size_t nargs = layout.operands.size();
  if (layout.nin < 0 || static_cast<size_t>(layout.nin) >= nargs || (!layout.generalized && nargs != static_cast<size_t>(layout.nin) + 1))
    throw nb::value_error("accel: a ufunc loop needs inputs and outputs (one output when not generalized)");
  for (size_t k = 0; k < nargs; ++k) {
    const bool output = k >= static_cast<size_t>(layout.nin);
    if (layout.operands[k].dtype == Kind::None && !(output && !layout.generalized))
      throw nb::value_error("accel: only the output of an elementwise loop may take the kernel's dtype");
  }
  return layout;
}

nb::object wrap_ufunc_loop(jit::CompiledUFuncLoop loop) {
  auto owned = std::make_unique<jit::CompiledUFuncLoop>(std::move(loop));
  PyObject* capsule = PyCapsule_New(owned.get(), kLoopCapsule, &free_loop);
  if (!capsule) throw nb::python_error();
  owned.release();
  return nb::steal(capsule);
}

void define_ufunc_functions(nb::module_& m) {
  m.def("ufunc_loop_dtypes", &loop_dtypes, nb::arg("loop"), "A compiled loop's operand dtypes, inputs then outputs.");
  m.def("ufunc_loop_ir", [](nb::handle loop) { return loop_of(loop).code.optimized_ir; }, nb::arg("loop"),
        "A compiled loop's LLVM IR after optimization (empty for a loop linked from a record).");
  m.def("ufunc_loop_record", &loop_record, nb::arg("loop"),
        "A picklable record of a compiled loop: another process links its object code.");
  m.def("ufunc_loop_from_record", &ufunc_loop_from_record, nb::arg("record"),
        "Link a record's object code into this process; None when this CPU cannot run it.");
  m.def("make_ufunc", [](std::string name, std::string doc, int nin, int nout, int identity, std::string core_signature,
                         std::vector<nb::handle> loops) {
    dispatch::UFuncDefinition definition{std::move(name), std::move(doc), nin, nout, identity, std::move(core_signature)};
    std::vector<dispatch::UFuncLoopEntry> entries;
    for (nb::handle capsule : loops) {
      const jit::CompiledUFuncLoop& loop = loop_of(capsule);
      if (loop.layout.nin != nin || loop.layout.operands.size() != static_cast<size_t>(nin + nout))
        throw nb::value_error("accel: a loop's operands do not match the ufunc's");
      dispatch::UFuncLoopEntry entry;
      for (const codegen::UFuncOperand& op : loop.layout.operands) {
        entry.dtypes.push_back(op.dtype);
        entry.core_dims.push_back(op.core_dims);
      }
      entry.function = reinterpret_cast<codegen::UFuncLoopFunction>(loop.code.entry);
      entries.push_back(std::move(entry));
    }
    PyObject* ufunc = dispatch::make_ufunc(definition, entries);
    if (!ufunc) throw nb::python_error();
    return nb::steal(ufunc);
  }, nb::arg("name"), nb::arg("doc"), nb::arg("nin"), nb::arg("nout"), nb::arg("identity"),
        nb::arg("core_signature"), nb::arg("loops"),
        "A new np.ufunc over these loops, in order. identity is NumPy's code: 0, 1, -1 (none) "
        "or -2 (reorderable, no identity); core_signature is empty for an elementwise ufunc.");
}

}  // namespace accel::bindings
