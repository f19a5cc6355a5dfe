// SPDX-License-Identifier: Apache-2.0
// Reading a validated tree through its schema: checked lookups by key and the keys bound
// to Scenario members (Node::into).
#include "schema_view.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <variant>

#include "itsim/scenarios/units.hpp"

namespace itsim::scenarios::schema {

namespace {

const Node* field_of(const Node& object, std::string_view key) {
  if (object.type != Type::object) return nullptr;
  const auto it = std::find_if(object.fields.begin(), object.fields.end(),
                               [&](const Field& f) { return f.key == key; });
  return it == object.fields.end() ? nullptr : &it->node;
}

} // namespace

std::optional<View> View::find(std::string_view key) const {
  const Node* field = field_of(*node_, key);
  if (field == nullptr)
    throw std::logic_error("the scenario loader reads key \"" + std::string(key) +
                           "\", which the schema does not declare there");
  const Tree* value = tree_->find(key);
  if (value == nullptr) return std::nullopt;
  return View(*field, *value);
}

View View::operator[](std::string_view key) const {
  const std::optional<View> v = find(key);
  if (!v)
    throw std::logic_error("the scenario loader expects key \"" + std::string(key) +
                           "\" to be required or defaulted");
  return *v;
}

void View::read_bound(const Node& node, const Tree& tree, const std::type_info& type, void* out,
                      const ReadContext& context) {
  for (const Field& f : node.fields) {
    const Tree* value = tree.find(f.key);
    if (value == nullptr) continue;
    if (f.node.bind) {
      if (*f.node.bound_to == type) f.node.bind(out, *value, context);
    } else if (f.node.type == Type::object) {
      read_bound(f.node, *value, type, out, context);
    }
  }
}

// ---- conversions of bound keys (values the schema has checked) -----------------------

bool detail::bool_value(const Tree& t) {
  return std::get<bool>(parse_bool(t.text));
}

std::int64_t detail::integer_value(const Tree& t) {
  return std::get<std::int64_t>(parse_integer(t.text));
}

double detail::number_value(Type type, const Tree& t, const ReadContext& context) {
  switch (type) {
  case Type::duration:
    return std::get<Duration>(parse_duration(t.text, context.business_day_h)).amount;
  case Type::rate:
    return std::get<Rate>(parse_rate(t.text)).per_hour;
  default:
    return std::get<double>(parse_number(t.text));
  }
}

} // namespace itsim::scenarios::schema
