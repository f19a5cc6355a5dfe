// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "itsim/scenarios/diagnostics.hpp"
#include "itsim/scenarios/scenario.hpp"

namespace itsim::scenarios {

/// A scenario as loaded: the validated value and the merged scenario, defaults filled in,
/// as YAML text (`itsim show --resolved`, and the results file's provenance).
struct LoadedScenario {
  Scenario scenario;
  std::string resolved_yaml;
};

/// An operating-model preset built into itsim: a model body kept in
/// scenarios/presets/NAME.yaml (a map with the keys of a model, `description` included)
/// that a scenario's model names with `preset: NAME`.
struct PresetInfo {
  std::string name;        ///< what `preset:` names, e.g. "passive"
  std::string description; ///< its `description` (one line)
  std::string label;       ///< "scenarios/presets/NAME.yaml": the file in error locations
  std::string text;        ///< the YAML text
};

/// The built-in presets, sorted by name (`itsim models`).
const std::vector<PresetInfo>& presets();

/// Loads, composes and validates the scenario file `path`:
///  1. parses it safely (size, encoding, tabs, nesting, one document, duplicate keys);
///  2. follows `extends:` (maps merge deeply, everything else replaces), then replaces each
///     model naming a `preset:` with the preset's body, the model's own keys on top (a
///     preset's nodes keep their locations in scenarios/presets/NAME.yaml);
///  3. applies each `--set KEY.PATH=VALUE` of `overrides` in order (VALUE is YAML; a path
///     the format does not know is rejected; a `preset` cannot be set there, since
///     presets are expanded before);
///  4. checks the result against the format's schema (types, units, ranges, allowed
///     values, unknown and missing keys) and fills in defaults;
///  5. checks what spans keys (references between collections, routing rows summing to 1,
///     priority mixes, the baseline). Whether pools and teams can carry their load is
///     checked after loading (models::check_load, models/load.hpp).
/// Every problem of every step that can run is reported to `diags` as
/// `FILE:LINE:COL: KEY.PATH: message`; the result is empty when any is an error.
/// Throws InputError when `path` itself cannot be read (exit 66).
std::optional<LoadedScenario> load_scenario(const std::string& path,
                                            const std::vector<std::string>& overrides,
                                            Diagnostics& diags);

/// A scenario file read, composed (`extends`) and its presets expanded once, to be loaded
/// many times with different overrides (the points of a sweep): load(overrides) gives what
/// load_scenario(path, overrides) gives, without reading and parsing the files again.
/// Copies share the composed scenario; load may be called from several threads at once.
class ComposedScenario {
public:
  /// Steps 1 and 2 of load_scenario; empty when they report an error. Throws InputError
  /// when `path` cannot be read.
  static std::optional<ComposedScenario> open(const std::string& path, Diagnostics& diags);
  /// Steps 3 to 5 of load_scenario with `overrides`.
  std::optional<LoadedScenario> load(const std::vector<std::string>& overrides,
                                     Diagnostics& diags) const;

private:
  struct Impl;
  explicit ComposedScenario(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

/// As load_scenario, for scenario text in memory labelled `file_label`; relative
/// `extends:` paths resolve against `base_dir`. Never throws InputError (the fuzzing entry
/// point).
std::optional<LoadedScenario> load_scenario_text(std::string text, const std::string& file_label,
                                                 const std::string& base_dir,
                                                 const std::vector<std::string>& overrides,
                                                 Diagnostics& diags);

/// Checks only the shape of each `--set` assignment (KEY.PATH=VALUE with a non-empty path
/// and no empty segment), reporting what is malformed as load_scenario would; true when
/// all are well formed. The command line calls it first, since a malformed --set is a
/// usage error (exit 64) rather than an invalid scenario (65).
bool check_override_syntax(const std::vector<std::string>& overrides, Diagnostics& diags);

/// JSON Schema (draft-07) of the scenario format, for editors (`itsim schema`).
std::string scenario_json_schema();

/// Every key of the format as a Markdown table (key, type and unit, default, meaning), as
/// docs/scenario-format.md shows it (`itsim schema --format markdown`).
std::string scenario_key_table();

} // namespace itsim::scenarios
