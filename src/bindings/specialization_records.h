#pragma once
// A dispatcher's compiled specializations as plain Python tuples, so pickle (and
// cloudpickle) can carry them to another process, which links the object code instead
// of compiling again. One record:
//   (arg_codes: tuple[int], entry: str, object_code: bytes, return_type: str,
//    triple: str, cpu: str, features: str)
// arg_codes are the dispatcher's type codes; return_type is types::to_text.

#include <nanobind/nanobind.h>

namespace accel::bindings {

/// One record per specialization the dispatcher holds.
nanobind::list export_specializations(nanobind::handle dispatcher);
/// Links one record's object code into this process and adds it to the dispatcher.
/// False when this machine cannot run it (another triple, or a CPU feature missing);
/// the dispatcher then compiles that signature from source at its first call.
bool import_specialization(nanobind::handle dispatcher, nanobind::tuple record);

}  // namespace accel::bindings
