// SPDX-License-Identifier: Apache-2.0
#include "schema.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "itsim/scenarios/units.hpp"
#include "itsim/sim/format.hpp"
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
Node Node::max(double v) && {
  maximum = v;
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

// ---- validation ----------------------------------------------------------------------

bool is_identifier(std::string_view s) {
  if (s.empty() || s.size() > 64 || s.front() < 'a' || s.front() > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

namespace {

std::string join(const std::vector<std::string>& words, std::string_view sep = ", ") {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += sep;
    out += w;
  }
  return out;
}

std::string with_suggestion(std::string message, std::string_view unknown,
                            const std::vector<std::string>& candidates) {
  const std::string guess = did_you_mean(unknown, candidates);
  if (!guess.empty()) message += " (did you mean \"" + guess + "\"?)";
  return message;
}

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

/// A default's YAML text as a tree located at `where`. Defaults are our own text, parsed
/// by yaml-cpp directly; a bad one is a bug caught by the schema tests.
Tree parse_default(const std::string& yaml, const Location& where) {
  YamlDocument doc{"<default>", YAML::Load(yaml)};
  Tree tree = tree_from_yaml(doc);
  relocate(tree, where);
  return tree;
}

std::string expected_noun(const Node& s) {
  switch (s.type) {
  case Type::object:
  case Type::collection:
    return "a map";
  case Type::list:
    return "a sequence";
  case Type::string:
    return "a string";
  case Type::identifier:
    return "an id";
  case Type::integer:
    return "an integer";
  case Type::number:
    return "a number";
  case Type::boolean:
    return "true or false";
  case Type::duration:
    return "a duration";
  case Type::rate:
    return "a rate";
  case Type::choice:
    return "one of " + join(s.choices);
  case Type::distribution:
    return s.quantity == Quantity::duration ? "a duration or a distribution"
                                            : "a number or a distribution";
  case Type::clock:
    return "a time range";
  }
  return "a value";
}

std::string got(const Tree& t) {
  if (t.is_null()) return "nothing (null)";
  if (t.is_scalar()) return quote(t.text);
  return std::string("a ") + t.kind_name();
}

class Validator {
public:
  explicit Validator(Diagnostics& diags) : diags_(diags) {}

  void check(const Node& s, Tree& t, const std::string& path) {
    switch (s.type) {
    case Type::object:
      check_object(s, t, path);
      return;
    case Type::collection:
      check_collection(s, t, path);
      return;
    case Type::list:
      check_list(s, t, path);
      return;
    case Type::distribution:
      check_distribution(s, t, path);
      return;
    default:
      break;
    }
    if (!t.is_scalar()) {
      error(t, path, "expected " + expected_noun(s) + ", got " + got(t));
      return;
    }
    check_scalar(s, t, path);
  }

private:
  void error(const Tree& t, const std::string& path, std::string message) {
    diags_.error(t.where, path, std::move(message));
  }

  /// A null written for a map or a sequence (`units:` with nothing under it) is an empty
  /// one; anything else that is not `kind` is an error.
  bool expect_container(const Node& s, Tree& t, const std::string& path, Tree::Kind kind) {
    if (t.is_null() && !t.quoted) {
      t.kind = kind;
      return true;
    }
    if (t.kind == kind) return true;
    error(t, path, "expected " + expected_noun(s) + ", got " + got(t));
    return false;
  }

  static bool fills_itself(const Node& s) {
    if (s.type != Type::object) return false;
    return std::none_of(s.fields.begin(), s.fields.end(),
                        [](const Field& f) { return f.node.required; });
  }

  void check_object(const Node& s, Tree& t, const std::string& path) {
    if (!expect_container(s, t, path, Tree::Kind::map)) return;
    std::vector<std::string> keys;
    keys.reserve(s.fields.size());
    for (const Field& f : s.fields)
      keys.push_back(f.key);
    for (Tree::Entry& e : t.entries) {
      const auto it = std::find_if(s.fields.begin(), s.fields.end(),
                                   [&](const Field& f) { return f.key == e.key; });
      const std::string child = key_path_join(path, e.key);
      if (it == s.fields.end()) {
        std::string message = with_suggestion("unknown key " + quote(e.key), e.key, keys);
        if (message.find("did you mean") == std::string::npos && keys.size() <= 12)
          message += "; expected one of: " + join(keys);
        diags_.error(e.key_where, child, std::move(message));
        continue;
      }
      check(it->node, e.value, child);
    }
    for (const Field& f : s.fields) {
      if (t.find(f.key) != nullptr) continue;
      if (f.node.required && !f.node.required_unless.empty() &&
          t.find(f.node.required_unless) != nullptr)
        continue;
      if (f.node.required) {
        error(t, path, "missing required key " + quote(f.key));
      } else if (f.node.default_yaml) {
        Tree& added = t.set(f.key, parse_default(*f.node.default_yaml, t.where), t.where);
        check(f.node, added, key_path_join(path, f.key));
      } else if (fills_itself(f.node)) {
        Tree empty = Tree::map(t.where);
        empty.defaulted = true;
        Tree& added = t.set(f.key, std::move(empty), t.where);
        check(f.node, added, key_path_join(path, f.key));
      }
    }
    // The resolved scenario lists keys in the format's order, whatever the file's order.
    auto rank = [&s](const Tree::Entry& e) {
      return std::find_if(s.fields.begin(), s.fields.end(),
                          [&](const Field& f) { return f.key == e.key; }) -
             s.fields.begin();
    };
    std::stable_sort(t.entries.begin(), t.entries.end(),
                     [&](const Tree::Entry& a, const Tree::Entry& b) { return rank(a) < rank(b); });
  }

  void check_collection(const Node& s, Tree& t, const std::string& path) {
    if (!expect_container(s, t, path, Tree::Kind::map)) return;
    for (Tree::Entry& e : t.entries) {
      const std::string child = key_path_join(path, e.key);
      if (!is_identifier(e.key)) {
        diags_.error(e.key_where, child,
                     "invalid id " + quote(e.key) +
                         ": use lower-case letters, digits and '_', starting with a letter "
                         "(at most 64)");
        continue;
      }
      check(*s.element, e.value, child);
    }
  }

  void check_list(const Node& s, Tree& t, const std::string& path) {
    if (s.single_allowed && t.is_scalar()) {
      Tree one = std::move(t);
      t = Tree::sequence(one.where);
      t.items.push_back(std::move(one));
    }
    if (!expect_container(s, t, path, Tree::Kind::sequence)) return;
    const std::size_t n = t.items.size();
    if (s.min_items && s.max_items && *s.min_items == *s.max_items && n != *s.min_items) {
      error(t, path,
            "expected " + std::to_string(*s.min_items) + " values, got " + std::to_string(n));
    } else if (s.min_items && n < *s.min_items) {
      error(t, path,
            "expected at least " + std::to_string(*s.min_items) + " values, got " +
                std::to_string(n));
    } else if (s.max_items && n > *s.max_items) {
      error(t, path,
            "expected at most " + std::to_string(*s.max_items) + " values, got " +
                std::to_string(n));
    }
    for (std::size_t i = 0; i < n; ++i)
      check(*s.element, t.items[i], key_path_index(path, i));
  }

  /// Checks `v` (written as `text`) against the node's range.
  void check_range(const Node& s, const Tree& t, const std::string& path, double v,
                   const std::string& unit_suffix = "") {
    const bool below = s.minimum && (s.exclusive_minimum ? !(v > *s.minimum) : !(v >= *s.minimum));
    if (s.range_error && (below || (s.maximum && !(v <= *s.maximum)))) {
      error(t, path, *s.range_error + ", got " + quote(t.text));
      return;
    }
    if (s.minimum) {
      const bool bad = s.exclusive_minimum ? !(v > *s.minimum) : !(v >= *s.minimum);
      if (bad) {
        error(t, path,
              std::string("must be ") + (s.exclusive_minimum ? "> " : ">= ") +
                  format_double(*s.minimum, limit_digits) + unit_suffix + ", got " + quote(t.text));
        return;
      }
    }
    if (s.maximum && !(v <= *s.maximum))
      error(t, path,
            "must be <= " + format_double(*s.maximum, limit_digits) + unit_suffix + ", got " +
                quote(t.text));
  }

  /// A plain (unquoted) scalar is required where YAML would read a number or boolean.
  bool reject_quoted(const Node& s, const Tree& t, const std::string& path) {
    if (!t.quoted) return false;
    error(t, path, "expected " + expected_noun(s) + ", got the quoted string " + quote(t.text));
    return true;
  }

  void check_scalar(const Node& s, Tree& t, const std::string& path) {
    switch (s.type) {
    case Type::string:
      return;
    case Type::identifier:
      if (!is_identifier(t.text))
        error(t, path,
              "expected an id (lower-case letters, digits and '_', starting with a letter), "
              "got " +
                  quote(t.text));
      return;
    case Type::integer: {
      if (reject_quoted(s, t, path)) return;
      const auto r = parse_integer(t.text);
      if (const auto* e = std::get_if<ParseError>(&r)) return error(t, path, e->message);
      check_range(s, t, path, static_cast<double>(std::get<std::int64_t>(r)));
      return;
    }
    case Type::number: {
      if (reject_quoted(s, t, path)) return;
      const auto r = parse_number(t.text);
      if (const auto* e = std::get_if<ParseError>(&r)) return error(t, path, e->message);
      check_range(s, t, path, std::get<double>(r));
      return;
    }
    case Type::boolean: {
      if (reject_quoted(s, t, path)) return;
      const auto r = parse_bool(t.text);
      if (const auto* e = std::get_if<ParseError>(&r)) error(t, path, e->message);
      return;
    }
    case Type::duration:
      check_duration(s, t, path);
      return;
    case Type::rate:
      check_rate(s, t, path);
      return;
    case Type::choice:
      if (std::find(s.choices.begin(), s.choices.end(), t.text) == s.choices.end())
        error(t, path,
              with_suggestion("unknown value " + quote(t.text), t.text, s.choices) +
                  "; expected one of: " + join(s.choices));
      return;
    case Type::clock:
      check_clock(t, path);
      return;
    default:
      return;
    }
  }

  /// Parses a duration scalar; reports and returns nullopt when it is not one.
  std::optional<Duration> duration_of(const Tree& t, const std::string& path, bool business_time) {
    if (!t.is_scalar()) {
      error(t, path, "expected a duration, got " + got(t));
      return std::nullopt;
    }
    const auto r = parse_duration(t.text);
    if (const auto* e = std::get_if<ParseError>(&r)) {
      error(t, path, e->message);
      return std::nullopt;
    }
    const Duration d = std::get<Duration>(r);
    if (!business_time && d.base == TimeBase::business) {
      error(t, path,
            "expected calendar time (" + join_units(calendar_duration_units) +
                "), got business time " + quote(t.text));
      return std::nullopt;
    }
    return d;
  }

  void check_duration(const Node& s, const Tree& t, const std::string& path) {
    if (std::find(s.keywords.begin(), s.keywords.end(), t.text) != s.keywords.end()) return;
    const auto d = duration_of(t, path, s.business_time);
    if (d) check_range(s, t, path, d->amount, "h");
  }

  void check_rate(const Node& s, const Tree& t, const std::string& path) {
    const auto r = parse_rate(t.text);
    if (const auto* e = std::get_if<ParseError>(&r)) return error(t, path, e->message);
    const Rate rate = std::get<Rate>(r);
    if (!rate.per.empty() &&
        std::find(s.entities.begin(), s.entities.end(), rate.per) == s.entities.end()) {
      std::string allowed;
      for (const std::string& e : s.entities)
        allowed += ", N/" + e + "/UNIT";
      error(t, path,
            with_suggestion("unknown entity " + quote(rate.per) + " in a rate", rate.per,
                            s.entities) +
                "; expected N/UNIT" + allowed);
      return;
    }
    check_range(s, t, path, rate.per_hour, "/h");
  }

  void check_clock(const Tree& t, const std::string& path) {
    int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
    char tail = 0;
    const bool shape =
        t.text.size() == 11 && t.text[2] == ':' && t.text[5] == '-' && t.text[8] == ':' &&
        std::sscanf(t.text.c_str(), "%2d:%2d-%2d:%2d%c", &h1, &m1, &h2, &m2, &tail) == 4;
    const int a = h1 * 60 + m1;
    const int b = h2 * 60 + m2;
    if (!shape || m1 > 59 || m2 > 59 || h1 > 23 || b > 24 * 60 || !(a < b)) {
      error(t, path,
            "expected a time range within one day such as \"09:00-17:00\" (start before "
            "end, at most 24:00), got " +
                quote(t.text));
    }
  }

  void check_distribution(const Node& s, Tree& t, const std::string& path) {
    if (t.is_scalar()) {
      check_quantity(s.quantity, t, path);
      return;
    }
    if (!t.is_map()) {
      error(t, path, "expected " + expected_noun(s) + ", got " + got(t));
      return;
    }
    const Tree* name = t.find("dist");
    if (name == nullptr) {
      error(t, path, "missing required key \"dist\" (one of: " + family_names() + ")");
      return;
    }
    const std::string dist_path = key_path_join(path, "dist");
    const auto family = std::find_if(families().begin(), families().end(),
                                     [&](const Family& f) { return f.name == name->text; });
    if (!name->is_scalar() || family == families().end()) {
      std::vector<std::string> names;
      for (const Family& f : families())
        names.push_back(f.name);
      error(*name, dist_path,
            with_suggestion("unknown distribution " + got(*name), name->text, names) +
                "; expected one of: " + family_names());
      return;
    }
    // Parameters: every key known to the family, then one parametrisation exactly.
    std::vector<std::string> known;
    for (const Parametrisation& p : family->parametrisations)
      for (const std::string& k : p.parameters)
        if (std::find(known.begin(), known.end(), k) == known.end()) known.push_back(k);
    std::set<std::string> given;
    bool ok = true;
    for (Tree::Entry& e : t.entries) {
      if (e.key == "dist") continue;
      const std::string child = key_path_join(path, e.key);
      if (std::find(known.begin(), known.end(), e.key) == known.end()) {
        diags_.error(e.key_where, child,
                     with_suggestion("unknown parameter " + quote(e.key) + " of " + family->name,
                                     e.key, known) +
                         "; " + family->name + " takes " + parametrisations(*family));
        ok = false;
        continue;
      }
      given.insert(e.key);
      if (!check_parameter(s.quantity, e.key, e.value, child)) ok = false;
    }
    if (!ok) return;
    const auto match = std::find_if(family->parametrisations.begin(),
                                    family->parametrisations.end(), [&](const Parametrisation& p) {
                                      return std::set<std::string>(p.parameters.begin(),
                                                                   p.parameters.end()) == given;
                                    });
    if (match == family->parametrisations.end()) {
      error(t, path,
            family->name + " takes " + parametrisations(*family) + ", got {" +
                join(std::vector<std::string>(given.begin(), given.end())) + "}");
      return;
    }
    check_family_constraints(*family, t, path);
  }

  static std::string family_names() {
    std::vector<std::string> names;
    for (const Family& f : families())
      names.push_back(f.name);
    return join(names);
  }

  static std::string parametrisations(const Family& f) {
    std::vector<std::string> forms;
    for (const Parametrisation& p : f.parametrisations)
      forms.push_back("{" + join(p.parameters) + "}");
    return join(forms, " or ");
  }

  /// A value of the distribution's quantity: a duration or an amount of money (>= 0).
  bool check_quantity(Quantity q, const Tree& t, const std::string& path) {
    if (q == Quantity::duration) return duration_of(t, path, true).has_value();
    if (!t.is_scalar() || t.quoted) {
      error(t, path, "expected a number, got " + got(t));
      return false;
    }
    const auto r = parse_number(t.text);
    if (const auto* e = std::get_if<ParseError>(&r)) {
      error(t, path, e->message);
      return false;
    }
    if (std::get<double>(r) < 0) {
      error(t, path, "must be >= 0, got " + quote(t.text));
      return false;
    }
    return true;
  }

  bool check_parameter(Quantity q, const std::string& key, Tree& t, const std::string& path) {
    if (key == "values") {
      if (!t.is_sequence() || t.items.empty()) {
        error(t, path, "expected a non-empty sequence of values, got " + got(t));
        return false;
      }
      bool ok = true;
      for (std::size_t i = 0; i < t.items.size(); ++i)
        ok = check_quantity(q, t.items[i], key_path_index(path, i)) && ok;
      return ok;
    }
    if (is_quantity_parameter(key)) return check_quantity(q, t, path);
    // cv, sigma, shape: plain positive numbers.
    if (!t.is_scalar() || t.quoted) {
      error(t, path, "expected a number, got " + got(t));
      return false;
    }
    const auto r = parse_number(t.text);
    if (const auto* e = std::get_if<ParseError>(&r)) {
      error(t, path, e->message);
      return false;
    }
    if (!(std::get<double>(r) > 0)) {
      error(t, path, "must be > 0, got " + quote(t.text));
      return false;
    }
    return true;
  }

  /// The value of a validated quantity parameter in hours or money, and its time base.
  static double amount(const Tree& t, TimeBase* base = nullptr) {
    const auto d = parse_duration(t.text);
    if (const auto* v = std::get_if<Duration>(&d)) {
      if (base != nullptr) *base = v->base;
      return v->amount;
    }
    return std::get<double>(parse_number(t.text));
  }

  void check_family_constraints(const Family& f, const Tree& t, const std::string& path) {
    // Durations of one distribution share a time base: "1h" to "2bd" has no meaning.
    std::optional<TimeBase> base;
    for (const Tree::Entry& e : t.entries) {
      if (!is_quantity_parameter(e.key)) continue;
      const bool listed = e.key == "values";
      const std::vector<Tree> one{e.value};
      const std::vector<Tree>& values = listed ? e.value.items : one;
      for (std::size_t i = 0; i < values.size(); ++i) {
        const Tree& v = values[i];
        const auto d = parse_duration(v.text);
        const auto* dur = std::get_if<Duration>(&d);
        if (dur == nullptr) continue;
        if (base && *base != dur->base) {
          const std::string key = key_path_join(path, e.key);
          error(v, listed ? key_path_index(key, i) : key,
                "mixes business time and calendar time in one distribution");
          return;
        }
        base = dur->base;
      }
    }
    auto value = [&](const char* key) { return amount(*t.find(key)); };
    for (const char* key : {"mean", "median", "scale"}) {
      const Tree* v = t.find(key);
      if (v != nullptr && !(value(key) > 0))
        error(*v, key_path_join(path, key), "must be > 0, got " + quote(v->text));
    }
    if (f.name == "triangular") {
      const double lo = value("min"), mode = value("mode"), hi = value("max");
      if (!(lo <= mode && mode <= hi && lo < hi))
        error(t, path, "triangular needs min <= mode <= max and min < max");
    }
    if (f.name == "uniform" && !(value("min") < value("max")))
      error(t, path, "uniform needs min < max");
  }

  Diagnostics& diags_;
};

// ---- key paths -----------------------------------------------------------------------

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    const std::size_t end = dot == std::string_view::npos ? path.size() : dot;
    out.emplace_back(path.substr(start, end - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

// ---- JSON Schema ---------------------------------------------------------------------

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
    if (s.maximum) j.key("maximum").raw(format_double(*s.maximum, limit_digits));
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

// ---- Markdown ------------------------------------------------------------------------

std::string type_text(const Node& s) {
  auto range = [&](const std::string& unit) {
    std::string r;
    if (s.minimum)
      r += std::string(s.exclusive_minimum ? " > " : " >= ") +
           format_double(*s.minimum, limit_digits) + unit;
    if (s.maximum)
      r += std::string(s.minimum ? "," : "") + " <= " + format_double(*s.maximum, limit_digits) +
           unit;
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

void validate(const Node& schema, Tree& tree, const std::string& path, Diagnostics& diags) {
  Validator(diags).check(schema, tree, path);
}

bool knows(const Node& root, std::string_view key_path) {
  const Node* s = &root;
  for (const std::string& segment : split_path(key_path)) {
    if (segment.empty()) return false;
    if (s->type == Type::object) {
      const auto it = std::find_if(s->fields.begin(), s->fields.end(),
                                   [&](const Field& f) { return f.key == segment; });
      if (it == s->fields.end()) return false;
      s = &it->node;
    } else if (s->type == Type::collection) {
      if (!is_identifier(segment)) return false;
      s = s->element.get();
    } else if (s->type == Type::distribution) {
      if (segment == "dist") return true;
      for (const Family& f : families())
        for (const Parametrisation& p : f.parametrisations)
          if (std::find(p.parameters.begin(), p.parameters.end(), segment) != p.parameters.end())
            return true;
      return false;
    } else {
      return false;
    }
  }
  return true;
}

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

std::string markdown_table(const Node& root) {
  std::string out = "| key | type | default | meaning |\n|---|---|---|---|\n";
  table_rows(root, "", out);
  return out;
}

} // namespace itsim::scenarios::schema
