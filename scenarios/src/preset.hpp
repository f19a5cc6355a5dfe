// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_scenarios: operating-model presets (scenarios/presets/*.yaml,
// built into the library) and their expansion into a scenario's models.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "itsim/scenarios/diagnostics.hpp"
#include "itsim/scenarios/loader.hpp"
#include "tree.hpp"

namespace itsim::scenarios {

namespace detail {

/// One preset file as CMake embedded it (scenarios/embed_presets.cmake).
struct EmbeddedPreset {
  const char* label; ///< "scenarios/presets/NAME.yaml"
  const char* text;  ///< the file's text
};

/// Every scenarios/presets/*.yaml at build time, sorted by file name (generated source).
const std::vector<EmbeddedPreset>& embedded_presets();

} // namespace detail

/// Replaces the body of every model that names a preset (`models.<id>.preset: NAME`) with
/// the preset's body, the model's own keys laid on top (merge_into: maps merge key by key,
/// everything else replaces). A preset may itself name a preset, laid under it in turn.
/// Nodes from a preset keep their locations in its text (labelled with its `label`), so
/// that later errors in its content point into the preset file.
///
/// Reported to `diags`: an unknown preset, at the `preset` value, with a suggestion and
/// the available names (`unknown preset "pasive" (did you mean "passive"?); available:
/// coe, embedded, passive, rotation`); a preset whose text does not parse or is not a map
/// (at its own label); a cycle of presets naming each other (`preset cycle: a -> b -> a`).
/// A `preset` that is not an id is left for the schema to report. Models that do not name
/// a preset, and trees without a `models` map, are left unchanged. At most 1000 models may
/// name a preset (`more than 1000 models name a preset; not a scenario`): each gets a copy
/// of the preset's body.
void expand_presets(Tree& root, const std::vector<PresetInfo>& presets, Diagnostics& diags);

/// load_scenario_text with `presets` standing in for the built-in presets (unit tests).
std::optional<LoadedScenario>
load_scenario_text_with_presets(std::string text, const std::string& file_label,
                                const std::string& base_dir,
                                const std::vector<std::string>& overrides,
                                const std::vector<PresetInfo>& presets, Diagnostics& diags);

} // namespace itsim::scenarios
