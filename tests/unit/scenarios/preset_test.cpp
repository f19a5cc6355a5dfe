// SPDX-License-Identifier: Apache-2.0
// Operating-model presets: a model naming `preset:` gets the preset's body under its own
// keys, after `extends` and before `--set`, with errors located in the preset's text. The
// expansion is tested on presets made here (load_scenario_text_with_presets); the built-in
// ones (scenarios/presets/*.yaml) are checked to be embedded verbatim and to load.
#include "preset.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "itsim/scenarios/loader.hpp"

namespace itsim::scenarios {
namespace {

PresetInfo preset(std::string name, std::string text) {
  PresetInfo p;
  p.label = "test/presets/" + name + ".yaml";
  p.name = std::move(name);
  p.text = std::move(text);
  return p;
}

// Line numbers in the messages below refer to these texts.
const std::vector<PresetInfo>& test_presets() {
  static const std::vector<PresetInfo> all = {
      preset("desk", R"(description: A desk and a squad behind it
knowledge: {initial: 0.5}
teams:
  squad: {members: {l2: 1}}
routes:
  incident:
    stages:
      l1: {pool: l1, next: {done: 0.7, l2: 0.3}}
      l2: {pool: squad}
)"),
      preset("learning_desk", R"(description: The desk, learning
preset: desk
knowledge: {learns: true}
)"),
      preset("typo", R"(description: A preset with a misspelt key
routes:
  incident:
    stages:
      l1: {pool: l1, nxt: {done: 1}}
)"),
      preset("third_line", R"(routes:
  incident:
    stages:
      l1: {pool: l3}
)"),
      preset("loop_a", "preset: loop_b\n"),
      preset("loop_b", "description: b\npreset: loop_a\n"),
      preset("not_a_map", "- a\n- b\n"),
  };
  return all;
}

constexpr const char* scenario = R"(name: presets
organisation:
  units:
    sales: {headcount: 100}
demand:
  work_types:
    incident: {kind: incident, rate: 0.5/employee/month, effort: 30min}
staff:
  pools:
    l1: {headcount: 3}
    l2: {headcount: 2}
models:
)";

struct Result {
  std::optional<LoadedScenario> loaded;
  Diagnostics diags;
};

/// The scenario above with `models` (lines 13 on) added, loaded with the test presets.
Result load(const std::string& models, const std::vector<std::string>& overrides = {}) {
  Result r;
  r.loaded = load_scenario_text_with_presets(std::string(scenario) + models, "s.yaml", ".",
                                             overrides, test_presets(), r.diags);
  return r;
}

/// The scenario `r` loaded (a copy: `r` may be a temporary).
Scenario scenario_of(const Result& r) {
  EXPECT_TRUE(r.loaded.has_value()) << r.diags.format_all();
  if (!r.loaded) throw std::runtime_error(r.diags.format_all());
  return r.loaded->scenario;
}

TEST(Preset, GivesAModelThePresetsBody) {
  const Result r = load("  central: {preset: desk}\n");
  const Scenario& s = scenario_of(r);
  EXPECT_EQ(r.diags.warning_count(), 0U) << r.diags.format_all();
  const Scenario::Model& m = s.models[0];
  EXPECT_EQ(m.id, "central");
  EXPECT_EQ(m.preset, "desk");
  EXPECT_EQ(m.description, "A desk and a squad behind it");
  ASSERT_EQ(m.resources.size(), 3U);
  EXPECT_EQ(m.resources[2].id, "squad");
  EXPECT_DOUBLE_EQ(m.resources[1].people, 1); // l2 gave one person to the squad
  EXPECT_DOUBLE_EQ(m.resources[0].knowledge, 0.5);
  ASSERT_EQ(m.routes[0].stages.size(), 2U);
  EXPECT_EQ(m.routes[0].stages[1].pool, 2U);
}

TEST(Preset, LetsTheModelsOwnKeysWinMapsMergingKeyByKey) {
  const Result r = load(R"(  central:
    preset: desk
    description: Mine
    knowledge: {learns: true}
    teams:
      squad: {members: {l2: 2}, wip_limit: 1}
    routes:
      incident:
        stages:
          l1: {pool: l1, service: 10min}
)");
  const Scenario::Model m = scenario_of(r).models[0];
  EXPECT_EQ(m.description, "Mine");
  EXPECT_DOUBLE_EQ(m.resources[0].knowledge, 0.5); // from the preset
  EXPECT_TRUE(m.resources[0].learns);              // from the model
  EXPECT_DOUBLE_EQ(m.resources[2].people, 2);
  EXPECT_EQ(m.resources[2].wip_limit, 1U);
  const Scenario::Stage& l1 = m.routes[0].stages[0];
  EXPECT_DOUBLE_EQ(l1.service_h->mean(), 10 / 60.0);
  ASSERT_EQ(l1.next.size(), 2U); // the preset's row: the stage's map merged
  EXPECT_DOUBLE_EQ(l1.next[0].probability, 0.7);
}

TEST(Preset, LaysAPresetsOwnPresetUnderIt) {
  const Scenario::Model m = scenario_of(load("  central: {preset: learning_desk}\n")).models[0];
  EXPECT_EQ(m.preset, "learning_desk");
  EXPECT_EQ(m.description, "The desk, learning");
  EXPECT_DOUBLE_EQ(m.resources[0].knowledge, 0.5);
  EXPECT_TRUE(m.resources[0].learns);
  EXPECT_EQ(m.resources[2].id, "squad");
}

TEST(Preset, ExpandsBeforeOverridesSoThatTheyReachIntoIt) {
  const Result r = load("  central: {preset: desk}\n",
                        {"models.central.teams.squad.wip_limit=2",
                         "models.central.routes.incident.stages.l2.handoff=true"});
  const Scenario::Model m = scenario_of(r).models[0];
  EXPECT_EQ(m.resources[2].wip_limit, 2U);
  EXPECT_TRUE(m.routes[0].stages[1].handoff);
}

TEST(Preset, RefusesAPresetNamedOnTheCommandLine) {
  const Result r = load(
      "  central: {preset: desk}\n  other:\n    routes:\n      incident:\n"
      "        stages: {l1: {pool: l1}}\n",
      {"models.other.preset=desk", "models.central.preset=desk", "models.third={preset: desk}"});
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "--set:2:23: models.central.preset: a preset cannot be set from the command line "
            "(presets are expanded before --set); name it in the scenario file\n"
            "--set:1:21: models.other.preset: a preset cannot be set from the command line "
            "(presets are expanded before --set); name it in the scenario file\n"
            "--set:3:23: models.third.preset: a preset cannot be set from the command line "
            "(presets are expanded before --set); name it in the scenario file");
}

TEST(Preset, ReportsAnUnknownPresetWithTheAvailableNames) {
  const Result r = load("  central: {preset: dsk}\n  other: {preset: nothing_like_it}\n");
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "s.yaml:13:21: models.central.preset: unknown preset \"dsk\" (did you mean "
            "\"desk\"?); available: desk, learning_desk, typo, third_line, loop_a, loop_b, "
            "not_a_map\n"
            "s.yaml:14:19: models.other.preset: unknown preset \"nothing_like_it\"; available: "
            "desk, learning_desk, typo, third_line, loop_a, loop_b, not_a_map");
}

TEST(Preset, LeavesAPresetThatIsNotAnIdToTheSchema) {
  const Result r = load("  central: {preset: [desk]}\n");
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "s.yaml:13:21: models.central.preset: expected an id, got a sequence");
}

TEST(Preset, LocatesErrorsInThePresetsText) {
  const Result r = load("  central: {preset: typo}\n  third: {preset: third_line}\n");
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "test/presets/typo.yaml:5:22: models.central.routes.incident.stages.l1.nxt: unknown "
            "key \"nxt\" (did you mean \"next\"?)");
  const Result unknown_pool = load("  third: {preset: third_line}\n");
  ASSERT_FALSE(unknown_pool.loaded.has_value());
  EXPECT_EQ(unknown_pool.diags.format_errors(),
            "test/presets/third_line.yaml:4:18: models.third.routes.incident.stages.l1.pool: "
            "unknown pool \"l3\"; staff.pools has: l1, l2");
}

TEST(Preset, ReportsACycleOfPresets) {
  const Result r = load("  central: {preset: loop_a}\n");
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(), "test/presets/loop_b.yaml:2:9: models.central.preset: preset "
                                     "cycle: loop_a -> loop_b -> loop_a");
}

TEST(Preset, ReportsAPresetThatIsNotAMap) {
  const Result r = load("  central: {preset: not_a_map}\n  again: {preset: not_a_map}\n");
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "test/presets/not_a_map.yaml:1:1: expected a map at the top level, got a sequence");
}

TEST(Preset, RefusesMoreThanAThousandModelsNamingPresets) {
  std::string models;
  for (int i = 0; i < 1001; ++i)
    models += "  m" + std::to_string(i) + ": {preset: desk}\n";
  const Result r = load(models);
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(), "s.yaml:1013:19: models.m1000.preset: more than 1000 models "
                                     "name a preset; not a scenario");
}

TEST(Preset, ResolvedScenarioLoadsToItself) {
  const Result r = load("  central: {preset: learning_desk, description: Mine}\n");
  const std::string& resolved = r.loaded->resolved_yaml;
  EXPECT_NE(resolved.find("    preset: learning_desk\n"), std::string::npos) << resolved;
  Diagnostics diags;
  const auto again =
      load_scenario_text_with_presets(resolved, "r.yaml", ".", {}, test_presets(), diags);
  ASSERT_TRUE(again.has_value()) << diags.format_all();
  EXPECT_EQ(again->resolved_yaml, resolved);
}

TEST(Preset, ExpandPresetsLeavesTreesWithoutModelsAlone) {
  Diagnostics diags;
  Tree root = Tree::map();
  root.set("models", Tree::scalar("none"));
  expand_presets(root, test_presets(), diags);
  EXPECT_EQ(root.find("models")->text, "none");
  EXPECT_FALSE(diags.has_errors());
}

// ---- the built-in presets --------------------------------------------------------------------

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(BuiltInPresets, EmbedEveryPresetFileVerbatimSortedByName) {
  const std::filesystem::path dir = ITSIM_SOURCE_DIR "/scenarios/presets";
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().stem().string());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(presets().size(), files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    const PresetInfo& p = presets()[i];
    EXPECT_EQ(p.name, files[i]);
    EXPECT_EQ(p.label, "scenarios/presets/" + files[i] + ".yaml");
    EXPECT_EQ(p.text, read_text(dir / (files[i] + ".yaml"))) << p.label;
    EXPECT_FALSE(p.description.empty()) << p.label;
  }
}

TEST(BuiltInPresets, IncludeTheFourOperatingModels) {
  std::vector<std::string> names;
  for (const PresetInfo& p : presets())
    names.push_back(p.name);
  for (const char* name : {"passive", "embedded", "rotation", "coe"})
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
}

TEST(BuiltInPresets, LoadInTheDefaultCompanyWithoutWarnings) {
  Diagnostics diags;
  const auto loaded = load_scenario(ITSIM_SOURCE_DIR "/scenarios/midsize.yaml", {}, diags);
  ASSERT_TRUE(loaded.has_value()) << diags.format_all();
  EXPECT_EQ(diags.warning_count(), 0U) << diags.format_all();
  for (const Scenario::Model& m : loaded->scenario.models) {
    EXPECT_EQ(m.preset, m.id);
    EXPECT_FALSE(m.description.empty()) << m.id;
    EXPECT_EQ(m.routes.size(), loaded->scenario.work_types.size()) << m.id;
  }
}

} // namespace
} // namespace itsim::scenarios
