// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_scenarios: the scenario as a plain tree of values, each node and
// each map key with its file:line:col. yaml-cpp only parses; composition (extends, --set),
// schema validation, defaults and `itsim show --resolved` all work on this tree, so that a
// node keeps the file it came from after files are merged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "itsim/scenarios/diagnostics.hpp"

namespace itsim::scenarios {

struct YamlDocument;

/// One YAML value: null, a scalar (kept as its text), a map (entries in file order) or a
/// sequence.
struct Tree {
  enum class Kind : std::uint8_t { null, scalar, map, sequence };
  struct Entry;

  Kind kind = Kind::null;
  std::string text;           ///< scalar text as written (after YAML unquoting)
  bool quoted = false;        ///< scalar written quoted or as a block scalar: always a string
  std::vector<Entry> entries; ///< map entries in file order (keys unique after loading)
  std::vector<Tree> items;    ///< sequence elements
  Location where;             ///< where the value starts; line 0 for a node built in code
  bool defaulted = false;     ///< filled in from a schema default, not written by the user

  bool is_null() const { return kind == Kind::null; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_map() const { return kind == Kind::map; }
  bool is_sequence() const { return kind == Kind::sequence; }

  /// The value of map entry `key`, or nullptr (also when this is not a map).
  const Tree* find(std::string_view key) const;
  Tree* find(std::string_view key);
  /// The map entry `key`, or nullptr.
  const Entry* find_entry(std::string_view key) const;
  /// Sets map entry `key` (appending it when absent) and returns the stored value. Turns a
  /// null node into an empty map first.
  Tree& set(std::string key, Tree value, Location key_where = {});
  /// Removes map entry `key`; true when it was there.
  bool erase(std::string_view key);

  /// "map", "sequence", "scalar" or "null", for messages such as `expected a map, got a
  /// sequence`.
  const char* kind_name() const;

  static Tree scalar(std::string text, Location where = {}, bool quoted = false);
  static Tree map(Location where = {});
  static Tree sequence(Location where = {});
};

struct Tree::Entry {
  std::string key;    ///< the key's text
  Location key_where; ///< where the key is written
  Tree value;
};

/// Converts a document from load_yaml_file / load_yaml_string into a Tree (aliases expanded
/// into copies; each node keeps its own location). A null document root gives a null Tree.
Tree tree_from_yaml(const YamlDocument& doc);

/// The tree as block-style YAML text, keys in stored order, two-space indentation, ending
/// in a newline. Scalars that YAML would read differently (empty, `true`-like words such as
/// "yes" or "null", text with ": " or " #", leading indicators, leading or trailing
/// spaces, control characters) and every quoted scalar that would otherwise read as a
/// number or boolean are written double-quoted, so that loading the text gives back the
/// same tree (locations aside). An empty map is `{}`, an empty sequence `[]`, null `null`.
///
/// Precisely: every scalar with `quoted` set is written double-quoted (so `quoted` survives
/// the round trip, whatever the text); a plain scalar is written plain unless that would
/// not read back as the same text in YAML 1.1 and 1.2 readers, including the boolean words
/// other than `true`/`false` (`yes`, `On`, `TRUE`...), the null words and `<<`. Such a
/// plain scalar (only a tree built in code can hold one: a YAML file cannot write `null`
/// as plain text) reads back with `quoted` set. Keys follow the plain rule; a key longer
/// than 1000 bytes uses the explicit `? key` form (YAML limits implicit keys to 1024).
/// Double-quoted text escapes `"`, `\`, control characters, U+0085, U+2028, U+2029 and
/// U+FEFF, and stays on one line. `defaulted` is not written.
/// With YamlLayout::compact, a map or sequence holding only single-line scalars is written
/// on one line in flow style (`[1, 1, 1]`, `{done: 0.7, l2: 0.3}`) when that line is at most
/// 80 bytes; scalars are then also quoted when they hold a flow indicator (`,[]{}`).
enum class YamlLayout : std::uint8_t { block, compact };
std::string emit_yaml(const Tree& tree, YamlLayout layout = YamlLayout::block);

} // namespace itsim::scenarios
