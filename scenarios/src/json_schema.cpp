// SPDX-License-Identifier: Apache-2.0
// The JSON Schema (draft-07) of the scenario format, written from the schema tree:
// `itsim schema`, for editors and for the independent check of shipped scenarios.
#include "schema.hpp"

#include <algorithm>
#include <cstdio>

#include "itsim/scenarios/units.hpp"
#include "itsim/sim/format.hpp"

namespace itsim::scenarios::schema {

using detail::join;
using detail::parse_default;

namespace {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += ch;
      }
    }
  }
  return out + "\"";
}

/// A tiny pretty-printing JSON writer: objects and arrays as nested members.
class Json {
public:
  Json& open(char bracket) {
    separate();
    out_ += bracket;
    stack_.push_back(true);
    return *this;
  }
  Json& close(char bracket) {
    const bool empty = stack_.back();
    stack_.pop_back();
    if (!empty) newline();
    out_ += bracket;
    return *this;
  }
  Json& key(std::string_view k) {
    separate();
    out_ += json_string(k) + ": ";
    pending_key_ = true;
    return *this;
  }
  Json& raw(std::string_view v) {
    separate();
    out_ += v;
    return *this;
  }
  Json& str(std::string_view v) { return raw(json_string(v)); }
  std::string text() const { return out_ + "\n"; }

private:
  void separate() {
    if (pending_key_) {
      pending_key_ = false;
      return;
    }
    if (stack_.empty()) return;
    if (!stack_.back()) out_ += ',';
    stack_.back() = false;
    newline();
  }
  void newline() {
    out_ += '\n';
    out_.append(2 * stack_.size(), ' ');
  }
  std::string out_;
  std::vector<bool> stack_; // per open container: still empty
  bool pending_key_ = false;
};

constexpr const char* number_regex = R"(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?)";

std::string duration_pattern(bool business_time) {
  std::vector<std::string> units(calendar_duration_units.begin(), calendar_duration_units.end());
  if (business_time)
    units.insert(units.end(), business_duration_units.begin(), business_duration_units.end());
  return std::string(R"(^\s*)") + number_regex + R"(\s*()" + join(units, "|") + R"()\s*$)";
}

std::string rate_pattern(const std::vector<std::string>& entities) {
  std::string entity;
  if (!entities.empty()) entity = R"((()" + join(entities, "|") + R"()\s*/\s*)?)";
  return std::string(R"(^\s*)") + number_regex + R"(\s*/\s*)" + entity + "(" +
         join(std::vector<std::string>(rate_units.begin(), rate_units.end()), "|") + R"()\s*$)";
}

constexpr const char* clock_pattern =
    R"(^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]$)";

/// The default, converted from YAML to JSON guided by the schema.
void write_value(Json& j, const Node& s, const Tree& t) {
  switch (s.type) {
  case Type::object:
  case Type::collection: {
    j.open('{');
    for (const Tree::Entry& e : t.entries) {
      const Node* child = s.element.get();
      if (s.type == Type::object) {
        const auto it = std::find_if(s.fields.begin(), s.fields.end(),
                                     [&](const Field& f) { return f.key == e.key; });
        child = it == s.fields.end() ? nullptr : &it->node;
      }
      j.key(e.key);
      if (child != nullptr) {
        write_value(j, *child, e.value);
      } else {
        j.str(e.value.text);
      }
    }
    j.close('}');
    return;
  }
  case Type::list:
    j.open('[');
    for (const Tree& item : t.items)
      write_value(j, *s.element, item);
    j.close(']');
    return;
  case Type::integer:
  case Type::number:
  case Type::boolean:
    j.raw(t.text);
    return;
  default:
    if (t.is_null()) {
      j.raw("null");
    } else {
      j.str(t.text);
    }
  }
}

void write_quantity(Json& j, Quantity q) {
  j.open('{');
  if (q == Quantity::duration) {
    j.key("type").str("string");
    j.key("pattern").str(duration_pattern(true));
  } else {
    j.key("type").str("number");
    j.key("minimum").raw("0");
  }
  j.close('}');
}

void write_schema(Json& j, const Node& s, bool strict);

/// The schema of a key's value in `s`: in a layer (`strict` false) the value may also be
/// null, which removes the key from what the layer builds on.
void write_value_schema(Json& j, const Node& s, bool strict) {
  if (strict) {
    write_schema(j, s, strict);
    return;
  }
  j.open('{').key("anyOf").open('[');
  j.open('{').key("type").str("null").close('}');
  write_schema(j, s, strict);
  j.close(']').close('}');
}

/// Writes the schema of `s`. With `strict` false, required keys are not required anywhere
/// and a distribution may name only some of its parameters: the schema of a file that
/// `extends` others, whose missing keys come from its bases.
void write_schema(Json& j, const Node& s, bool strict) {
  j.open('{');
  if (!s.description.empty()) j.key("description").str(s.description);
  if (s.default_yaml) {
    j.key("default");
    write_value(j, s, parse_default(*s.default_yaml, {}));
  }
  switch (s.type) {
  case Type::object: {
    j.key("type").str("object");
    j.key("properties").open('{');
    for (const Field& f : s.fields) {
      j.key(f.key);
      write_value_schema(j, f.node, strict);
    }
    j.close('}');
    std::vector<std::string> required;
    std::vector<const Field*> alternatives; // required unless another key is there
    for (const Field& f : s.fields) {
      if (!strict || !f.node.required) continue;
      if (f.node.required_unless.empty()) {
        required.push_back(f.key);
      } else {
        alternatives.push_back(&f);
      }
    }
    if (!required.empty()) {
      j.key("required").open('[');
      for (const std::string& r : required)
        j.str(r);
      j.close(']');
    }
    if (!alternatives.empty()) {
      j.key("allOf").open('[');
      for (const Field* f : alternatives) {
        j.open('{').key("anyOf").open('[');
        j.open('{').key("required").open('[').str(f->key).close(']').close('}');
        j.open('{').key("required").open('[').str(f->node.required_unless).close(']').close('}');
        j.close(']').close('}');
      }
      j.close(']');
    }
    j.key("additionalProperties").raw("false");
    break;
  }
  case Type::collection:
    j.key("type").str("object");
    j.key("propertyNames").open('{').key("pattern").str("^[a-z][a-z0-9_]{0,63}$").close('}');
    j.key("additionalProperties");
    write_value_schema(j, *s.element, strict);
    break;
  case Type::list:
    if (s.single_allowed) {
      j.key("anyOf").open('[');
      write_schema(j, *s.element, strict);
      j.open('{');
    }
    j.key("type").str("array");
    if (s.min_items) j.key("minItems").raw(std::to_string(*s.min_items));
    if (s.max_items) j.key("maxItems").raw(std::to_string(*s.max_items));
    j.key("items");
    write_schema(j, *s.element, strict);
    if (s.single_allowed) j.close('}').close(']');
    break;
  case Type::string:
    j.key("type").str("string");
    break;
  case Type::identifier:
    j.key("type").str("string");
    j.key("pattern").str("^[a-z][a-z0-9_]{0,63}$");
    break;
  case Type::integer:
  case Type::number:
    j.key("type").str(s.type == Type::integer ? "integer" : "number");
    if (s.minimum) {
      j.key(s.exclusive_minimum ? "exclusiveMinimum" : "minimum")
          .raw(format_double(*s.minimum, limit_digits));
    }
    if (s.maximum) {
      j.key(s.exclusive_maximum ? "exclusiveMaximum" : "maximum")
          .raw(format_double(*s.maximum, limit_digits));
    }
    break;
  case Type::boolean:
    j.key("type").str("boolean");
    break;
  case Type::duration:
    j.key("type").str("string");
    if (s.keywords.empty()) {
      j.key("pattern").str(duration_pattern(s.business_time));
    } else {
      j.key("anyOf").open('[');
      j.open('{').key("pattern").str(duration_pattern(s.business_time)).close('}');
      j.open('{').key("enum").open('[');
      for (const std::string& k : s.keywords)
        j.str(k);
      j.close(']').close('}');
      j.close(']');
    }
    break;
  case Type::rate:
    j.key("type").str("string");
    j.key("pattern").str(rate_pattern(s.entities));
    break;
  case Type::choice:
    j.key("enum").open('[');
    for (const std::string& c : s.choices)
      j.str(c);
    j.close(']');
    break;
  case Type::clock:
    j.key("type").str("string");
    j.key("pattern").str(clock_pattern);
    break;
  case Type::distribution:
    // Strict: exactly one parametrisation. Relaxed: a part of one (a file that extends
    // another may change only `mean`), which several families may match.
    j.key(strict ? "oneOf" : "anyOf").open('[');
    write_quantity(j, s.quantity);
    for (const Family& f : families()) {
      for (const Parametrisation& form : f.parametrisations) {
        const std::vector<std::string>& p = form.parameters;
        j.open('{');
        j.key("type").str("object");
        j.key("properties").open('{');
        j.key("dist").open('{').key("const").str(f.name).close('}');
        for (const std::string& param : p) {
          j.key(param);
          if (param == "values") {
            j.open('{').key("type").str("array").key("minItems").raw("1").key("items");
            write_quantity(j, s.quantity);
            j.close('}');
          } else if (is_quantity_parameter(param)) {
            write_quantity(j, s.quantity);
          } else {
            j.open('{').key("type").str("number").key("exclusiveMinimum").raw("0").close('}');
          }
        }
        j.close('}');
        if (strict) {
          j.key("required").open('[').str("dist");
          for (const std::string& param : p)
            j.str(param);
          j.close(']');
        }
        j.key("additionalProperties").raw("false");
        j.close('}');
      }
    }
    j.close(']');
    break;
  }
  j.close('}');
}
} // namespace

std::string json_schema(const Node& root) {
  Json j;
  j.open('{');
  j.key("$schema").str("http://json-schema.org/draft-07/schema#");
  j.key("$id").str("https://itsim.dev/schema/scenario-1.json");
  j.key("title").str("itsim scenario");
  // A file that extends others is a layer: what it leaves out comes from its bases, so
  // only the shapes of the keys it writes can be checked here (`itsim validate` checks
  // the merged scenario).
  j.key("if").open('{').key("required").open('[').str("extends").close(']').close('}');
  j.key("then");
  write_schema(j, root, false);
  j.key("else");
  write_schema(j, root, true);
  j.close('}');
  return j.text();
}
} // namespace itsim::scenarios::schema
