#include "bindings/specialization_records.h"

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <string>
#include <vector>

#include "dispatch/dispatcher.h"
#include "jit/compiler.h"
#include "types/type_text.h"

namespace nb = nanobind;

namespace accel::bindings {
namespace {

constexpr size_t kRecordSize = 7;

void check_dispatcher(nb::handle dispatcher) {
  if (!PyObject_TypeCheck(dispatcher.ptr(), dispatch::dispatcher_type()))
    throw nb::type_error("expected an accel._core.Dispatcher");
}

nb::tuple to_record(const jit::CompiledFunction& compiled) {
  return nb::make_tuple(nb::tuple(nb::cast(types::arg_codes(compiled.arg_types))), compiled.entry_name,
                        nb::bytes(compiled.object_code.data(), compiled.object_code.size()),
                        types::to_text(compiled.return_type), compiled.triple, compiled.cpu,
                        compiled.features);
}

jit::CompiledFunction from_record(nb::tuple record) {
  if (record.size() != kRecordSize || !nb::isinstance<nb::bytes>(record[2]))
    throw nb::value_error("not a compiled specialization record");
  jit::CompiledFunction compiled;
  std::optional<std::vector<types::Type>> arg_types = types::from_arg_codes(nb::cast<std::vector<uint32_t>>(record[0]));
  if (!arg_types) throw nb::value_error("a compiled specialization record names an unknown argument type");
  compiled.arg_types = std::move(*arg_types);
  compiled.entry_name = nb::cast<std::string>(record[1]);
  auto object = nb::borrow<nb::bytes>(record[2]);
  compiled.object_code.assign(object.c_str(), object.size());
  compiled.return_type = types::from_text(nb::cast<std::string>(record[3]));
  if (!compiled.return_type) throw nb::value_error("a compiled specialization record names an unknown return type");
  compiled.triple = nb::cast<std::string>(record[4]);
  compiled.cpu = nb::cast<std::string>(record[5]);
  compiled.features = nb::cast<std::string>(record[6]);
  return compiled;
}

}  // namespace

nb::list export_specializations(nb::handle dispatcher) {
  check_dispatcher(dispatcher);
  nb::list records;
  for (const jit::CompiledFunction& compiled : dispatch::compiled_specializations(dispatcher.ptr()))
    // Every specialization has object code and a return type with a text today; the
    // check keeps a future exception from breaking pickling.
    if (!compiled.object_code.empty() && !types::to_text(compiled.return_type).empty())
      records.append(to_record(compiled));
  return records;
}

bool import_specialization(nb::handle dispatcher, nb::tuple record) {
  check_dispatcher(dispatcher);
  jit::CompiledFunction compiled = from_record(record);
  if (dispatch::has_specialization(dispatcher.ptr(), compiled.arg_types)) return true;
  if (!jit::load_compiled(compiled)) return false;
  dispatch::add_specialization(dispatcher.ptr(), std::move(compiled));
  return true;
}

}  // namespace accel::bindings
