// SPDX-License-Identifier: Apache-2.0
#include "itsim/scenarios/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "build.hpp"
#include "compose.hpp"
#include "preset.hpp"
#include "schema.hpp"

namespace itsim::scenarios {

namespace {

/// Where each model's `preset` value is, by model id (to tell one set by --set).
std::vector<std::pair<std::string, Location>> preset_locations(const Tree& tree) {
  std::vector<std::pair<std::string, Location>> out;
  const Tree* models = tree.find("models");
  if (models == nullptr) return out;
  for (const Tree::Entry& m : models->entries) {
    if (const Tree* preset = m.value.find("preset")) out.emplace_back(m.key, preset->where);
  }
  return out;
}

bool same_place(const Location& a, const Location& b) {
  return a.file == b.file && a.line == b.line && a.column == b.column;
}

/// Steps 3 to 5 of load_scenario, on a composed tree whose presets are expanded
/// (`expanded`: where each model's preset was then).
std::optional<LoadedScenario>
finish_expanded(Tree tree, const std::vector<std::pair<std::string, Location>>& expanded,
                const std::vector<std::string>& overrides, Diagnostics& diags) {
  const schema::Node& format = schema::scenario();
  const PathKnown known = [&format](std::string_view path) { return schema::knows(format, path); };
  for (std::size_t i = 0; i < overrides.size(); ++i)
    apply_override(tree, overrides[i], static_cast<int>(i + 1), known, diags);
  // Presets were expanded before the overrides; one named by an override would be ignored.
  for (const auto& entry : preset_locations(tree)) {
    // (Not a structured binding: Clang 14 cannot capture one in a lambda.)
    const std::string& model = entry.first;
    const Location& where = entry.second;
    const bool kept = std::any_of(expanded.begin(), expanded.end(), [&](const auto& e) {
      return e.first == model && same_place(e.second, where);
    });
    if (!kept)
      diags.error(where, "models." + model + ".preset",
                  "a preset cannot be set from the command line (presets are expanded "
                  "before --set); name it in the scenario file");
  }
  // `extends` was consumed by composition; an override cannot bring it back.
  if (const Tree::Entry* extends = tree.find_entry("extends")) {
    diags.error(extends->key_where, "extends", "extends cannot be set from the command line");
    tree.erase("extends");
  }
  schema::validate(format, tree, "", diags);
  if (diags.has_errors()) return std::nullopt;
  std::optional<Scenario> scenario = build_scenario(tree, diags);
  if (!scenario) return std::nullopt;
  return LoadedScenario{std::move(*scenario), emit_yaml(tree, YamlLayout::compact)};
}

/// The end of step 2 and steps 3 to 5 of load_scenario, on a composed tree.
std::optional<LoadedScenario> finish(Tree tree, const std::vector<std::string>& overrides,
                                     const std::vector<PresetInfo>& presets, Diagnostics& diags) {
  // A file that did not parse, or a base that could not be composed, would only produce
  // misleading "missing key" errors below; so would a model whose preset is unknown.
  if (diags.has_errors() || tree.is_null()) return std::nullopt;
  expand_presets(tree, presets, diags);
  if (diags.has_errors()) return std::nullopt;
  const std::vector<std::pair<std::string, Location>> expanded = preset_locations(tree);
  return finish_expanded(std::move(tree), expanded, overrides, diags);
}

} // namespace

struct ComposedScenario::Impl {
  Tree tree;
  std::vector<std::pair<std::string, Location>> expanded;
};

ComposedScenario::ComposedScenario(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

std::optional<ComposedScenario> ComposedScenario::open(const std::string& path,
                                                       Diagnostics& diags) {
  auto impl = std::make_shared<Impl>();
  impl->tree = load_composed_file(path, diags);
  if (diags.has_errors() || impl->tree.is_null()) return std::nullopt;
  expand_presets(impl->tree, presets(), diags);
  if (diags.has_errors()) return std::nullopt;
  impl->expanded = preset_locations(impl->tree);
  return ComposedScenario(std::move(impl));
}

std::optional<LoadedScenario> ComposedScenario::load(const std::vector<std::string>& overrides,
                                                     Diagnostics& diags) const {
  return finish_expanded(impl_->tree, impl_->expanded, overrides, diags);
}

bool check_override_syntax(const std::vector<std::string>& overrides, Diagnostics& diags) {
  bool ok = true;
  for (std::size_t i = 0; i < overrides.size(); ++i)
    ok = check_override_syntax(overrides[i], static_cast<int>(i + 1), diags) && ok;
  return ok;
}

std::optional<LoadedScenario> load_scenario(const std::string& path,
                                            const std::vector<std::string>& overrides,
                                            Diagnostics& diags) {
  Tree tree = load_composed_file(path, diags);
  return finish(std::move(tree), overrides, presets(), diags);
}

std::optional<LoadedScenario> load_scenario_text(std::string text, const std::string& file_label,
                                                 const std::string& base_dir,
                                                 const std::vector<std::string>& overrides,
                                                 Diagnostics& diags) {
  Tree tree = load_composed_string(std::move(text), file_label, base_dir, diags);
  return finish(std::move(tree), overrides, presets(), diags);
}

std::optional<LoadedScenario>
load_scenario_text_with_presets(std::string text, const std::string& file_label,
                                const std::string& base_dir,
                                const std::vector<std::string>& overrides,
                                const std::vector<PresetInfo>& presets, Diagnostics& diags) {
  Tree tree = load_composed_string(std::move(text), file_label, base_dir, diags);
  return finish(std::move(tree), overrides, presets, diags);
}

std::string scenario_json_schema() {
  return schema::json_schema(schema::scenario());
}

std::string scenario_key_table() {
  return schema::markdown_table(schema::scenario());
}

} // namespace itsim::scenarios
