// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_scenarios: the only place outside .cpp files where yaml-cpp
// types appear. Never include it from scenarios/include.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "itsim/scenarios/diagnostics.hpp"

namespace itsim::scenarios {

/// Inputs larger than this are rejected before parsing (bytes; 16 MiB).
inline constexpr std::size_t max_scenario_bytes = std::size_t{16} * 1024 * 1024;
/// Deepest nesting of maps and sequences accepted (the top-level map is level 1).
inline constexpr int max_nesting_depth = 64;

/// A parsed YAML document and the file it came from (for locations).
struct YamlDocument {
  std::string file; ///< path or label used in every Location
  YAML::Node root;  ///< the top-level map; a null node when loading reported an error
};

/// Reads and parses the scenario file `path`.
///
/// Throws InputError (`PATH: cannot read: <strerror>`) when the file is missing, is a
/// directory or cannot be read; everything else is reported to `diags` and the function
/// returns normally. Checks, in order, each stopping the load with a null root:
///  - more than max_scenario_bytes: `file is larger than 16 MiB; not a scenario` (no line);
///  - a NUL byte or invalid UTF-8, at the first offending byte: `contains a NUL byte`,
///    `not UTF-8 text` (such text never reaches yaml-cpp);
///  - tabs in the indentation of a line, comment lines included (outside quoted, flow and
///    block scalars), on every such line: `tabs are not allowed for indentation; use spaces`;
///  - flow brackets nested deeper than max_nesting_depth, counted before parsing so that
///    yaml-cpp never recurses on e.g. 100000 '[': `nesting is deeper than 64 levels`;
///  - a yaml-cpp syntax error, at its mark, with yaml-cpp's message;
///  - more than one document (`---` separating two);
///  - an empty document (empty file, only comments, or `~`): `empty scenario: expected a
///    map of settings`; a scalar or sequence root: `expected a map at the top level, got a
///    sequence`;
///  - nesting deeper than max_nesting_depth after parsing (block indentation, or an alias
///    that contains itself), and aliases that expand to more nodes than the text could
///    hold without them ("billion laughs").
/// Finally it runs check_duplicate_keys over the whole tree; duplicates are errors but
/// keep the root, so that the caller can go on validating and report everything at once.
/// The caller must NOT run check_duplicate_keys on the same document again.
/// Columns count bytes; lines and columns in Locations are 1-based.
YamlDocument load_yaml_file(const std::string& path, Diagnostics& diags);

/// load_yaml_file with the file named `file_label` in messages (e.g. a lexically normal
/// form of a path that climbs through "..").
YamlDocument load_yaml_file(const std::string& path, std::string file_label, Diagnostics& diags);

/// Parses `text` exactly as load_yaml_file parses a file's contents (same checks, same
/// messages), with `file_label` as the file name in locations (e.g. "--set"). Never throws
/// InputError.
YamlDocument load_yaml_string(std::string text, std::string file_label, Diagnostics& diags);

/// Parses `text` as one YAML value of any kind, such as the VALUE of `--set KEY=VALUE`:
/// the same checks and messages as load_yaml_string (size, encoding, tabs, nesting, syntax,
/// one document, structure, duplicate keys), except that the root may be a scalar, a
/// sequence, a map or null. An empty (or comment-only) text gives a null root and no
/// error. As the root is also null after an error, tell the two apart by comparing
/// diags.error_count() before and after. Never throws InputError.
YamlDocument load_yaml_value(std::string text, std::string file_label, Diagnostics& diags);

/// Where `node` is in doc's file: yaml-cpp's 0-based mark plus 1. A node without a mark
/// (a key that is absent, a node built in code) gives line 0 and column 0, so the message
/// reads `file: key.path: ...`; for an absent key prefer the parent map's location.
Location location_of(const YamlDocument& doc, const YAML::Node& node);

/// Reports every scalar key that appears twice in one map, anywhere under `node`, at the
/// second (third, ...) occurrence: `duplicate key "name" (first at line L)` with the key
/// path of the repeated key (`path` is the key path of `node`, "" for the root). Keys
/// compare by their text ('a' and "a" are the same key). A map reached twice through an
/// alias is reported once. Descends at most max_nesting_depth levels, so it terminates on
/// trees from load_yaml_* (which already bounded depth and alias expansion).
void check_duplicate_keys(const YamlDocument& doc, const YAML::Node& node, const std::string& path,
                          Diagnostics& diags);

/// "map", "sequence", "scalar", "null", or "undefined" (an absent node), for messages such
/// as `expected a map, got a sequence`.
std::string node_kind(const YAML::Node& node);

/// The text of a map key for key paths and trees: a scalar key's text, otherwise a
/// placeholder naming its kind ("<map key>", "<sequence key>", "<null key>" for `~: 1`).
std::string key_text(const YAML::Node& key);

/// The key path of map entry `key` under `parent`: "a" + "b" -> "a.b", "" + "b" -> "b".
std::string key_path_join(std::string_view parent, std::string_view key);
/// The key path of sequence element `index` under `parent`: "a" + 2 -> "a[2]".
std::string key_path_index(std::string_view parent, std::size_t index);

} // namespace itsim::scenarios
