#include "bindings/syntax_from_python.h"

namespace nb = nanobind;

namespace accel::bindings {
namespace {

using frontend::SyntaxValue;

int int_attribute(nb::handle node, const char* name) {
  nb::object value = nb::getattr(node, name, nb::none());
  return value.is_none() ? 0 : nb::cast<int>(value);
}

SyntaxValue value_from_python(nb::handle value, nb::handle ast_class) {
  SyntaxValue out;
  if (value.is_none()) return out;
  if (PyBool_Check(value.ptr())) {
    out.kind = SyntaxValue::Kind::Bool;
    out.bool_value = value.ptr() == Py_True;
  } else if (PyLong_CheckExact(value.ptr())) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (overflow) {
      out.kind = SyntaxValue::Kind::BigInt;
      out.text = nb::cast<std::string>(nb::str(value));
    } else {
      out.kind = SyntaxValue::Kind::Int;
      out.int_value = v;
    }
  } else if (PyFloat_CheckExact(value.ptr())) {
    out.kind = SyntaxValue::Kind::Float;
    out.float_value = PyFloat_AS_DOUBLE(value.ptr());
  } else if (PyComplex_CheckExact(value.ptr())) {
    out.kind = SyntaxValue::Kind::Complex;
    out.float_value = PyComplex_RealAsDouble(value.ptr());
    out.imag_value = PyComplex_ImagAsDouble(value.ptr());
  } else if (PyUnicode_Check(value.ptr())) {
    out.kind = SyntaxValue::Kind::String;
    out.text = nb::cast<std::string>(value);
  } else if (PyList_Check(value.ptr())) {
    out.kind = SyntaxValue::Kind::List;
    for (nb::handle item : nb::borrow<nb::list>(value)) out.list.push_back(value_from_python(item, ast_class));
  } else if (PyObject_IsInstance(value.ptr(), ast_class.ptr()) == 1) {
    out.kind = SyntaxValue::Kind::Node;
    out.node = std::make_unique<frontend::SyntaxNode>(syntax_from_python(value));
  } else {
    out.kind = SyntaxValue::Kind::Other;
    out.text = nb::cast<std::string>(nb::str(nb::type_name(value.type())));
  }
  return out;
}

}  // namespace

frontend::SyntaxNode syntax_from_python(nb::handle node) {
  // Kept for the process's life: a static nb::object would be released after finalization.
  static nb::handle ast_class = nb::object(nb::module_::import_("ast").attr("AST")).release();
  frontend::SyntaxNode out;
  out.kind = nb::cast<std::string>(node.type().attr("__name__"));
  out.span = {int_attribute(node, "lineno"), int_attribute(node, "col_offset"),
              int_attribute(node, "end_lineno"), int_attribute(node, "end_col_offset")};
  for (nb::handle field : nb::borrow<nb::tuple>(node.attr("_fields"))) {
    const std::string name = nb::cast<std::string>(field);
    out.fields.emplace_back(name, value_from_python(nb::getattr(node, field, nb::none()), ast_class));
  }
  return out;
}

}  // namespace accel::bindings
