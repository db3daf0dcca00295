#include "frontend/program.h"

#include <stdexcept>

namespace accel::frontend {

const FunctionSource& Program::function(int index) const {
  auto it = functions_.find(index);
  if (it != functions_.end()) return *it->second;
  if (!loader_ || index < 0) throw std::out_of_range("accel: no function " + std::to_string(index) + " in the program");
  auto made = std::make_unique<FunctionSource>(loader_(index));
  return *functions_.emplace(index, std::move(made)).first->second;
}

int Program::add(FunctionSource f) {
  const int index = functions_.empty() ? 0 : functions_.rbegin()->first + 1;
  functions_.emplace(index, std::make_unique<FunctionSource>(std::move(f)));
  return index;
}

int Program::choose_signature(int index, const std::vector<uint32_t>& codes, std::string& why) const {
  if (chooser_) return chooser_(index, codes, why);
  const auto& signatures = function(index).signatures;
  for (size_t i = 0; i < signatures.size(); ++i)
    if (signatures[i].arg_codes == codes) return static_cast<int>(i);
  why = "no signature of " + function(index).def.name + "() takes these argument types.";
  return -1;
}

int Program::resolve_overload(int overload, const std::vector<std::string>& args,
                              const std::vector<std::pair<std::string, std::string>>& keywords,
                              std::string& why) const {
  std::string key = std::to_string(overload);
  for (const auto& a : args) key += ";" + a;
  for (const auto& [name, type] : keywords) key += ";" + name + "=" + type;
  auto it = resolved_.find(key);
  if (it == resolved_.end()) {
    std::string reason = "no implementation is registered for this overloaded function.";
    const int index = resolver_ ? resolver_(overload, args, keywords, reason) : -1;
    it = resolved_.emplace(key, std::pair{index, reason}).first;
  }
  why = it->second.second;
  return it->second.first;
}

FunctionSource& Program::at(int index) {
  auto it = functions_.find(index);
  if (it == functions_.end()) throw std::out_of_range("accel: function " + std::to_string(index) + " is not loaded");
  return *it->second;
}

}  // namespace accel::frontend
