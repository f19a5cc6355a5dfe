// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_scenarios: the scenario format declared once, as data.
//
// One tree of schema::Node describes every key of the format: its type, unit, default,
// range, allowed values and meaning. From it come the validation of a scenario (with
// defaults filled in), `itsim schema` (JSON Schema draft-07) and the key table of
// docs/scenario-format.md, so the three cannot drift apart.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "itsim/scenarios/choice.hpp"
#include "itsim/scenarios/diagnostics.hpp"
#include "itsim/sim/distribution.hpp"
#include "tree.hpp"

namespace itsim::scenarios::schema {

enum class Type : std::uint8_t {
  object,       ///< a map with a fixed set of keys (fields)
  collection,   ///< a map keyed by id (`[a-z][a-z0-9_]*`), every value an `element`
  list,         ///< a sequence of `element`
  string,       ///< any scalar text
  identifier,   ///< an id `[a-z][a-z0-9_]*` (a reference to a collection entry, checked later)
  integer,      ///< a whole number
  number,       ///< a decimal number
  boolean,      ///< true or false
  duration,     ///< a number with a time unit ("15min", "3bd"), or one of `keywords`
  rate,         ///< events per time ("8/week", "0.55/employee/month")
  choice,       ///< one of `choices`
  distribution, ///< a bare quantity (deterministic) or `{dist: NAME, PARAM: ...}`
  clock,        ///< a time of day range "HH:MM-HH:MM"
};

/// What a distribution's location and scale parameters measure.
enum class Quantity : std::uint8_t {
  duration, ///< durations with units; the distribution is in hours
  money,    ///< plain numbers in the scenario's currency
};

struct Field;

/// What converting a bound value needs besides its text.
struct ReadContext {
  double business_day_h = 8; ///< hours in a business day (`bd`), from `business_day`
};

/// One key of the format (or the element of a collection or list).
struct Node {
  Type type = Type::string;
  std::string description;
  std::optional<std::string> default_yaml; ///< the default as YAML text
  bool required = false;
  std::string required_unless;            ///< required only when this sibling key is absent
  std::optional<double> minimum;          ///< numbers; durations in hours
  std::optional<double> maximum;          ///< numbers; durations in hours
  bool exclusive_minimum = false;         ///< minimum itself is not allowed
  bool exclusive_maximum = false;         ///< maximum itself is not allowed
  std::optional<std::string> range_error; ///< message for a value out of range (`, got X` added)
  bool business_time = true;              ///< durations: business units (bh, bd, bw) allowed
  std::vector<std::string> keywords;      ///< durations: words accepted instead of a duration
  std::vector<std::string> choices;       ///< choice: the allowed values
  std::vector<std::string> entities;      ///< rate: allowed `/ENTITY/` denominators
  Quantity quantity = Quantity::duration; ///< distribution
  std::optional<std::size_t> min_items;   ///< list
  std::optional<std::size_t> max_items;   ///< list
  bool single_allowed = false;            ///< list: one scalar stands for a list of one
  std::string id_label = "id";            ///< collection: what its keys name, for docs
  std::vector<Field> fields;              ///< object
  std::shared_ptr<const Node> element;    ///< collection, list
  /// choice: the value a spelling stands for, as an integer (from its Choices table).
  std::function<std::int64_t(std::string_view)> choice_value;
  /// A key bound to a struct member (into): the struct's type and how the value is stored.
  const std::type_info* bound_to = nullptr;
  std::function<void(void* out, const Tree& value, const ReadContext& context)> bind;

  // Fluent setters used by the declaration in scenario_schema.cpp.
  Node def(std::string yaml) &&;
  Node require() &&;
  /// Required unless the enclosing object has key `other` (e.g. a model's `routes` may come
  /// from its `preset`).
  Node require_unless(std::string other) &&;
  Node min(double v, bool exclusive = false) &&;
  Node max(double v, bool exclusive = false) &&;
  /// The message for a value outside [minimum, maximum] instead of `must be >= N`.
  Node range_message(std::string message) &&;
  Node calendar_time_only() &&;
  Node items(std::size_t min_n, std::size_t max_n) &&;
  Node accept(std::vector<std::string> words) &&;
  Node per(std::vector<std::string> allowed_entities) &&;
  Node or_single() &&;
  Node keyed(std::string label) &&;
  /// Binds the key to `member` of T: View::read (schema_view.hpp) stores its value there,
  /// converted by the key's type: numbers, durations in hours, rates per hour, integers,
  /// booleans, text, choices through their table.
  template <class T, class M> Node into(M T::*member) &&;
  /// Binds the key to element `index` of an array member of T.
  template <class T, class M, std::size_t N>
  Node into(std::array<M, N> T::*member, std::size_t index) &&;
};

struct Field {
  std::string key;
  Node node;
};

Node object(std::string description, std::vector<Field> fields);
Node collection(std::string description, Node element);
Node list(std::string description, Node element);
Node string(std::string description);
Node identifier(std::string description);
Node integer(std::string description);
Node number(std::string description);
/// A number in [0, 1].
Node probability(std::string description);
Node boolean(std::string description);
Node duration(std::string description);
Node rate(std::string description);
/// A choice among the spellings of `table` (choices.hpp).
template <class E, std::size_t N> Node choice(std::string description, const Choices<E, N>& table);
/// A choice among the spellings of `table` whose default is `default_value`.
template <class E, std::size_t N>
Node choice(std::string description, const Choices<E, N>& table, E default_value);
Node distribution(std::string description, Quantity quantity);
Node clock(std::string description);

/// Significant digits of a range limit in messages, the JSON Schema and docs: enough to
/// keep every limit as written (1000000, not 1e+06).
inline constexpr int limit_digits = 15;

/// Whether `s` is an id: `[a-z][a-z0-9_]*`, at most 64 bytes.
bool is_identifier(std::string_view s);

/// One way to give a distribution family's parameters, and how it becomes a distribution.
struct Parametrisation {
  std::vector<std::string> parameters; ///< names, e.g. {mean, cv}
  /// Makes the distribution from the parameters' values in the order of `parameters` (for
  /// `values`: every value), quantities in hours or money. Throws ModelError for values
  /// out of range.
  sim::Distribution (*make)(const std::vector<double>& values);
};

/// A distribution family a scenario may name (`dist:`), declared once: its spelling and
/// its parametrisations, each bound to the sim::Distribution factory it calls.
struct Family {
  std::string name;
  std::vector<Parametrisation> parametrisations;
};
const std::vector<Family>& families();
/// The family spelled `name`; throws std::out_of_range for a name families() lacks (the
/// schema has checked it).
const Family& family(std::string_view name);
/// Whether parameter `name` is measured in the distribution's quantity (mean, median,
/// scale, min, mode, max, value, values) rather than a plain shape number (cv, sigma,
/// shape).
bool is_quantity_parameter(std::string_view name);

/// The schema of the whole scenario format.
const Node& scenario();

/// Checks `tree` against `schema`, reporting every problem to `diags` with `path` as the
/// key path of `tree`, and fills in defaults: a missing field with a default gets it
/// (marked defaulted, located at its parent), a missing object that is not required is
/// created and filled. `parent` is where a missing required key is reported.
void validate(const Node& schema, Tree& tree, const std::string& path, Diagnostics& diags);

/// Whether dotted `key_path` names a key of the format under `root` (collection ids match
/// any id).
bool knows(const Node& root, std::string_view key_path);

/// JSON Schema (draft-07) of `root`, pretty-printed, ending in a newline.
std::string json_schema(const Node& root);

/// A Markdown table of every key under `root`: key path, type and unit, default, meaning.
std::string markdown_table(const Node& root);

// ---- shared by the parts of the schema (schema_*.cpp, json_schema.cpp) -------------------

namespace detail {
/// The `mechanisms:` section (mechanisms_schema.cpp).
Node mechanisms();
/// One reorganisation path of the `paths:` section (paths_schema.cpp).
Node path();
/// One lever of the `levers:` section (levers_schema.cpp).
Node lever();
Node choice_node(std::string description, std::vector<std::string> spellings);
/// `words` joined by `sep`: "a, b, c".
std::string join(const std::vector<std::string>& words, std::string_view sep = ", ");
/// A default's YAML text as a tree located at `where`, every node marked defaulted.
/// Defaults are our own text, parsed by yaml-cpp directly; a bad one is a bug caught by
/// the schema tests.
Tree parse_default(const std::string& yaml, const Location& where);
} // namespace detail

template <class E, std::size_t N> Node choice(std::string description, const Choices<E, N>& table) {
  Node n = detail::choice_node(std::move(description), spellings_of(table));
  // Tables are constants with static storage: the reference stays valid.
  n.choice_value = [&table](std::string_view spelling) {
    return static_cast<std::int64_t>(find_choice(table, spelling).value());
  };
  return n;
}

namespace detail {
bool bool_value(const Tree& t);
std::int64_t integer_value(const Tree& t);
/// A number, a duration in hours or a rate per hour, as `type` reads it.
double number_value(Type type, const Tree& t, const ReadContext& context);

/// The value of a checked scalar `t` as a member of type M.
template <class M>
M value_as(Type type, const std::function<std::int64_t(std::string_view)>& choice_value,
           const Tree& t, const ReadContext& context) {
  if constexpr (std::is_enum_v<M>) {
    return static_cast<M>(choice_value(t.text));
  } else if constexpr (std::is_same_v<M, bool>) {
    return bool_value(t);
  } else if constexpr (std::is_same_v<M, std::string>) {
    return t.text;
  } else if constexpr (std::is_integral_v<M>) {
    return static_cast<M>(integer_value(t));
  } else {
    static_assert(std::is_same_v<M, double>, "a bound member is a number, text, bool or enum");
    return number_value(type, t, context);
  }
}
} // namespace detail

template <class T, class M> Node Node::into(M T::*member) && {
  bound_to = &typeid(T);
  bind = [member, t = type, choices = choice_value](void* out, const Tree& value,
                                                    const ReadContext& context) {
    static_cast<T*>(out)->*member = detail::value_as<M>(t, choices, value, context);
  };
  return std::move(*this);
}

template <class T, class M, std::size_t N>
Node Node::into(std::array<M, N> T::*member, std::size_t index) && {
  bound_to = &typeid(T);
  bind = [member, index, t = type, choices = choice_value](void* out, const Tree& value,
                                                           const ReadContext& context) {
    (static_cast<T*>(out)->*member).at(index) = detail::value_as<M>(t, choices, value, context);
  };
  return std::move(*this);
}

template <class E, std::size_t N>
Node choice(std::string description, const Choices<E, N>& table, E default_value) {
  return choice(std::move(description), table).def(std::string(spelling_of(table, default_value)));
}

} // namespace itsim::scenarios::schema
