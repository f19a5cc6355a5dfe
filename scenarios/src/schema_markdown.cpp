// SPDX-License-Identifier: Apache-2.0
// The Markdown key table of docs/scenario-format.md, written from the schema tree.
#include "schema.hpp"

#include "itsim/sim/format.hpp"
#include "yaml_source.hpp"

namespace itsim::scenarios::schema {

namespace {

std::string type_text(const Node& s) {
  auto range = [&](const std::string& unit) {
    std::string r;
    if (s.minimum)
      r += std::string(s.exclusive_minimum ? " > " : " >= ") +
           format_double(*s.minimum, limit_digits) + unit;
    if (s.maximum)
      r += std::string(s.minimum ? "," : "") + (s.exclusive_maximum ? " < " : " <= ") +
           format_double(*s.maximum, limit_digits) + unit;
    return r;
  };
  switch (s.type) {
  case Type::object:
    return "map";
  case Type::collection:
    return "map of " + s.id_label + " to " +
           (s.element->type == Type::object ? std::string("entry") : type_text(*s.element));
  case Type::list:
    return (s.single_allowed ? type_text(*s.element) + " or list of " : "list of ") +
           type_text(*s.element) +
           (s.min_items && s.max_items && *s.min_items == *s.max_items
                ? " (" + std::to_string(*s.min_items) + ")"
                : "");
  case Type::string:
    return "text";
  case Type::identifier:
    return "id";
  case Type::integer:
    return "integer" + range("");
  case Type::number:
    return "number" + range("");
  case Type::boolean:
    return "true/false";
  case Type::duration: {
    std::string t = s.business_time ? "duration" : "calendar duration";
    t += range("h");
    for (const std::string& k : s.keywords)
      t += " or `" + k + "`";
    return t;
  }
  case Type::rate: {
    std::string t = "rate (N/UNIT";
    for (const std::string& e : s.entities)
      t += " or N/" + e + "/UNIT";
    return t + ")" + range("/h");
  }
  case Type::choice: {
    std::string t = "one of ";
    for (std::size_t i = 0; i < s.choices.size(); ++i)
      t += (i == 0 ? "`" : ", `") + s.choices[i] + "`";
    return t;
  }
  case Type::distribution:
    return s.quantity == Quantity::duration ? "distribution of durations" : "distribution of money";
  case Type::clock:
    return "time range HH:MM-HH:MM";
  }
  return "";
}

std::string cell(std::string text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

void table_rows(const Node& s, const std::string& path, std::string& out) {
  if (!path.empty()) {
    std::string def = s.required ? "required" : "";
    if (s.required && !s.required_unless.empty()) def += " unless `" + s.required_unless + "`";
    if (s.default_yaml) {
      std::string d = *s.default_yaml;
      while (!d.empty() && (d.back() == '\n' || d.back() == ' '))
        d.pop_back();
      def = "`" + d + "`";
    }
    out += "| `" + path + "` | " + cell(type_text(s)) + " | " + cell(def) + " | " +
           cell(s.description) + " |\n";
  }
  if (s.type == Type::object) {
    for (const Field& f : s.fields)
      table_rows(f.node, key_path_join(path, f.key), out);
  } else if (s.type == Type::collection && s.element->type == Type::object) {
    table_rows(*s.element, path + ".<" + s.id_label + ">", out);
  } else if (s.type == Type::list && s.element->type == Type::object) {
    table_rows(*s.element, path + "[]", out);
  }
}
} // namespace

std::string markdown_table(const Node& root) {
  std::string out = "| key | type | default | meaning |\n|---|---|---|---|\n";
  table_rows(root, "", out);
  return out;
}
} // namespace itsim::scenarios::schema
