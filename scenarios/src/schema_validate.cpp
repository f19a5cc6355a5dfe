// SPDX-License-Identifier: Apache-2.0
// Validation of a scenario tree against the schema (every problem reported, defaults
// filled in) and `knows`, which --set and sweeps use to check key paths.
#include "schema.hpp"

#include "itsim/scenarios/key_info.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "itsim/scenarios/units.hpp"
#include "itsim/sim/format.hpp"
#include "yaml_source.hpp"

namespace itsim::scenarios::schema {

using detail::join;
using detail::parse_default;

namespace {

std::string with_suggestion(std::string message, std::string_view unknown,
                            const std::vector<std::string>& candidates) {
  const std::string guess = did_you_mean(unknown, candidates);
  if (!guess.empty()) message += " (did you mean \"" + guess + "\"?)";
  return message;
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
    const bool above = s.maximum && (s.exclusive_maximum ? !(v < *s.maximum) : !(v <= *s.maximum));
    if (s.range_error && (below || above)) {
      error(t, path, *s.range_error + ", got " + quote(t.text));
      return;
    }
    if (below) {
      error(t, path,
            std::string("must be ") + (s.exclusive_minimum ? "> " : ">= ") +
                format_double(*s.minimum, limit_digits) + unit_suffix + ", got " + quote(t.text));
      return;
    }
    if (above)
      error(t, path,
            std::string("must be ") + (s.exclusive_maximum ? "< " : "<= ") +
                format_double(*s.maximum, limit_digits) + unit_suffix + ", got " + quote(t.text));
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
} // namespace itsim::scenarios::schema

namespace itsim::scenarios {

std::optional<KeyInfo> key_info(std::string_view key_path) {
  using schema::Type;
  const schema::Node* s = &schema::scenario();
  for (const std::string& segment : schema::split_path(key_path)) {
    if (s->type == Type::object) {
      const auto it = std::find_if(s->fields.begin(), s->fields.end(),
                                   [&](const schema::Field& f) { return f.key == segment; });
      if (it == s->fields.end()) return std::nullopt;
      s = &it->node;
    } else if (s->type == Type::collection && schema::is_identifier(segment)) {
      s = s->element.get();
    } else {
      return std::nullopt;
    }
  }
  return KeyInfo{s->description, s->default_yaml};
}

} // namespace itsim::scenarios
