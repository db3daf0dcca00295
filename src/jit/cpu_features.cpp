#include "jit/cpu_features.h"

#include <set>
#include <string_view>

namespace accel::jit {
namespace {

std::set<std::string_view> enabled(std::string_view features) {
  std::set<std::string_view> out;
  while (!features.empty()) {
    const size_t comma = features.find(',');
    std::string_view item = features.substr(0, comma);
    if (item.size() > 1 && item.front() == '+') out.insert(item.substr(1));
    features = comma == std::string_view::npos ? std::string_view() : features.substr(comma + 1);
  }
  return out;
}

}  // namespace

std::vector<std::string> missing_features(const std::string& needed, const std::string& host) {
  const std::set<std::string_view> available = enabled(host);
  std::vector<std::string> missing;
  for (std::string_view feature : enabled(needed))
    if (!available.count(feature)) missing.emplace_back(feature);
  return missing;
}

}  // namespace accel::jit
