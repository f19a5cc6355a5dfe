// SPDX-License-Identifier: Apache-2.0
// The declaration's building blocks: the fluent setters and constructors of schema::Node,
// the distribution families, and the helpers the validator and the writers share.
#include "schema.hpp"

#include <algorithm>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "yaml_source.hpp"

namespace itsim::scenarios::schema {

// ---- builders ------------------------------------------------------------------------

Node Node::def(std::string yaml) && {
  default_yaml = std::move(yaml);
  return std::move(*this);
}
Node Node::require() && {
  required = true;
  return std::move(*this);
}
Node Node::require_unless(std::string other) && {
  required = true;
  required_unless = std::move(other);
  return std::move(*this);
}
Node Node::range_message(std::string message) && {
  range_error = std::move(message);
  return std::move(*this);
}
Node Node::min(double v, bool exclusive) && {
  minimum = v;
  exclusive_minimum = exclusive;
  return std::move(*this);
}
Node Node::max(double v, bool exclusive) && {
  maximum = v;
  exclusive_maximum = exclusive;
  return std::move(*this);
}
Node Node::calendar_time_only() && {
  business_time = false;
  return std::move(*this);
}
Node Node::items(std::size_t min_n, std::size_t max_n) && {
  min_items = min_n;
  max_items = max_n;
  return std::move(*this);
}
Node Node::accept(std::vector<std::string> words) && {
  keywords = std::move(words);
  return std::move(*this);
}
Node Node::keyed(std::string label) && {
  id_label = std::move(label);
  return std::move(*this);
}
Node Node::or_single() && {
  single_allowed = true;
  return std::move(*this);
}
Node Node::per(std::vector<std::string> allowed_entities) && {
  entities = std::move(allowed_entities);
  return std::move(*this);
}

namespace {

Node make(Type type, std::string description) {
  Node n;
  n.type = type;
  n.description = std::move(description);
  return n;
}

} // namespace

Node object(std::string description, std::vector<Field> fields) {
  Node n = make(Type::object, std::move(description));
  n.fields = std::move(fields);
  return n;
}
Node collection(std::string description, Node element) {
  Node n = make(Type::collection, std::move(description));
  n.element = std::make_shared<const Node>(std::move(element));
  return n;
}
Node list(std::string description, Node element) {
  Node n = make(Type::list, std::move(description));
  n.element = std::make_shared<const Node>(std::move(element));
  return n;
}
Node string(std::string description) {
  return make(Type::string, std::move(description));
}
Node identifier(std::string description) {
  return make(Type::identifier, std::move(description));
}
Node integer(std::string description) {
  return make(Type::integer, std::move(description));
}
Node number(std::string description) {
  return make(Type::number, std::move(description));
}
Node probability(std::string description) {
  return make(Type::number, std::move(description)).min(0).max(1);
}
Node boolean(std::string description) {
  return make(Type::boolean, std::move(description));
}
Node duration(std::string description) {
  return make(Type::duration, std::move(description));
}
Node rate(std::string description) {
  return make(Type::rate, std::move(description));
}
Node detail::choice_node(std::string description, std::vector<std::string> spellings) {
  Node n = make(Type::choice, std::move(description));
  n.choices = std::move(spellings);
  return n;
}
Node distribution(std::string description, Quantity quantity) {
  Node n = make(Type::distribution, std::move(description));
  n.quantity = quantity;
  return n;
}
Node clock(std::string description) {
  return make(Type::clock, std::move(description));
}

const std::vector<Family>& families() {
  using sim::Distribution;
  using V = const std::vector<double>&;
  static const std::vector<Family> all = {
      {"exponential", {{{"mean"}, [](V v) { return Distribution::exponential(v[0]); }}}},
      {"lognormal",
       {{{"mean", "cv"}, [](V v) { return Distribution::lognormal_mean_cv(v[0], v[1]); }},
        {{"median", "sigma"},
         [](V v) { return Distribution::lognormal_median_sigma(v[0], v[1]); }}}},
      {"gamma",
       {{{"mean", "cv"}, [](V v) { return Distribution::gamma_mean_cv(v[0], v[1]); }},
        {{"shape", "scale"}, [](V v) { return Distribution::gamma(v[0], v[1]); }}}},
      {"weibull", {{{"shape", "scale"}, [](V v) { return Distribution::weibull(v[0], v[1]); }}}},
      {"triangular",
       {{{"min", "mode", "max"}, [](V v) { return Distribution::triangular(v[0], v[1], v[2]); }}}},
      {"uniform", {{{"min", "max"}, [](V v) { return Distribution::uniform(v[0], v[1]); }}}},
      {"deterministic", {{{"value"}, [](V v) { return Distribution::deterministic(v[0]); }}}},
      {"empirical", {{{"values"}, [](V v) { return Distribution::empirical(v); }}}},
  };
  return all;
}

const Family& family(std::string_view name) {
  for (const Family& f : families())
    if (f.name == name) return f;
  throw std::out_of_range("no distribution family \"" + std::string(name) + "\"");
}

bool is_quantity_parameter(std::string_view name) {
  return name == "mean" || name == "median" || name == "scale" || name == "min" || name == "mode" ||
         name == "max" || name == "value" || name == "values";
}

bool is_identifier(std::string_view s) {
  if (s.empty() || s.size() > 64 || s.front() < 'a' || s.front() > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

namespace {

/// Sets every location in `tree` to `where` and marks it defaulted.
void relocate(Tree& tree, const Location& where) {
  tree.where = where;
  tree.defaulted = true;
  for (Tree::Entry& e : tree.entries) {
    e.key_where = where;
    relocate(e.value, where);
  }
  for (Tree& item : tree.items)
    relocate(item, where);
}

} // namespace

std::string detail::join(const std::vector<std::string>& words, std::string_view sep) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += sep;
    out += w;
  }
  return out;
}

Tree detail::parse_default(const std::string& yaml, const Location& where) {
  YamlDocument doc{"<default>", YAML::Load(yaml)};
  Tree tree = tree_from_yaml(doc);
  relocate(tree, where);
  return tree;
}

} // namespace itsim::scenarios::schema
