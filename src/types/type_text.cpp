#include "types/type_text.h"

#include <charconv>

namespace accel::types {
namespace {

// Reads one type at text[pos...], advancing pos; nullptr when the text is malformed.
Type parse(std::string_view text, size_t& pos) {
  if (pos >= text.size()) return nullptr;
  if (text[pos] == 'N') {
    ++pos;
    return none();
  }
  if (text[pos] == 'S') {
    ++pos;
    return string();
  }
  if (text[pos] == '[') {  // a list: "[item]"
    ++pos;
    Type item = parse(text, pos);
    if (!item || !is_plain_data(item) || pos >= text.size() || text[pos] != ']') return nullptr;
    ++pos;
    return list(item);
  }
  if (text[pos] == '(') {
    ++pos;
    std::vector<Type> elements;
    if (pos < text.size() && text[pos] == ')') {
      ++pos;
      return tuple({});
    }
    while (true) {
      Type element = parse(text, pos);
      if (!element || pos >= text.size()) return nullptr;
      elements.push_back(element);
      if (text[pos] == ')') {
        ++pos;
        return tuple(std::move(elements));
      }
      if (text[pos] != ',') return nullptr;
      ++pos;
    }
  }
  uint32_t code = 0;
  auto [end, error] = std::from_chars(text.data() + pos, text.data() + text.size(), code);
  if (error != std::errc() || end == text.data() + pos) return nullptr;
  pos = static_cast<size_t>(end - text.data());
  return from_arg_code(code);
}

}  // namespace

std::string to_text(Type t) {
  switch (t->kind) {
    case Kind::None: return "N";
    case Kind::Str: return "S";
    case Kind::Tuple: {
      std::string out = "(";
      for (size_t i = 0; i < t->elements.size(); ++i) {
        std::string element = to_text(t->elements[i]);
        if (element.empty()) return "";
        out += (i ? "," : "") + element;
      }
      return out + ")";
    }
    case Kind::Array: return std::to_string(arg_code(t));
    case Kind::List: {
      if (!list_item(t)) return "";
      std::string item = to_text(list_item(t));
      return item.empty() ? "" : "[" + item + "]";
    }
    default: return is_scalar(t) ? std::to_string(arg_code(t)) : "";
  }
}

Type from_text(std::string_view text) {
  size_t pos = 0;
  Type t = parse(text, pos);
  return pos == text.size() ? t : nullptr;
}

}  // namespace accel::types
