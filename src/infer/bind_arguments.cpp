// Binding a call's arguments to NumPy's parameter names.

#include "frontend/diagnostic.h"
#include "infer/builtin_table.h"
#include "infer/function_typer.h"

namespace accel::infer {

using frontend::ErrorCode;
using frontend::fail;
using types::Kind;

CallTarget FunctionTyper::bind_arguments(const Expr& e, const std::string& display,
                                         const std::vector<std::string_view>& parameters, size_t required) {
  CallTarget target{"", nullptr, std::vector<const Expr*>(parameters.size(), nullptr)};
  const size_t given = e.operands.size() - 1;
  if (given > parameters.size())
    fail(ErrorCode::BadCall, e.span, display + "() takes at most " + std::to_string(parameters.size()) +
                                         " arguments, " + std::to_string(given) + " given.");
  for (size_t i = 0; i < given; ++i) target.arguments[i] = e.operands[i + 1].get();
  for (const auto& kw : e.keywords) {
    size_t i = 0;
    while (i < parameters.size() && parameters[i] != kw.name) ++i;
    if (i == parameters.size())
      fail(ErrorCode::BadCall, kw.span, display + "() got an unsupported keyword argument '" + kw.name + "'.");
    if (target.arguments[i]) fail(ErrorCode::BadCall, kw.span, display + "() got multiple values for '" + kw.name + "'.");
    target.arguments[i] = kw.value.get();
  }
  for (size_t i = 0; i < required; ++i)
    if (!target.arguments[i])
      fail(ErrorCode::BadCall, e.span, display + "() missing required argument '" + std::string(parameters[i]) + "'.");
  return target;
}

}  // namespace accel::infer
