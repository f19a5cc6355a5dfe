// SPDX-License-Identifier: Apache-2.0
// The basis of each number in the board pack's assumptions (docs/report.md): a default
// marked by the format's own description (assumption, or sourced when it cites a source),
// a value the scenario set marked "scenario" unless its `sources:` cites one (the longest
// key path wins, a path covering the keys under it), and nothing for a key the scenario
// lacks.
#include <gtest/gtest.h>

#include <yaml-cpp/yaml.h>

#include <string>

#include "itsim/scenarios/key_info.hpp"
#include "report_context.hpp"

namespace itsim::report {
namespace {

using detail::basis_of;

const char* const scenario = R"(
name: t
horizon: 1y
mechanisms:
  knowledge: {effort_penalty: 0.3, progress_ratio: 0.9}
  handoff: {rework_effort_share: 0.4, delay: {dist: triangular, min: 0.25bd, mode: 1bd, max: 3bd}}
  shadow: {run_cost_per_week: 0}
staff:
  pools:
    dev: {headcount: 40, cost_per_hour: 75}
    l1: {headcount: 7}
sources:
  - {key: staff.pools.dev, source: "HR headcount report, 2025"}
  - {key: staff.pools.dev.cost_per_hour, source: "Finance rate card, 2025"}
  - {key: mechanisms.knowledge.progress_ratio, source: "Argote & Epple 1990"}
)";

TEST(AssumptionBasis, TheFormatKnowsEveryKeyItMarks) {
  const auto info = scenarios::key_info("mechanisms.knowledge.effort_penalty");
  ASSERT_TRUE(info.has_value());
  ASSERT_TRUE(info->default_yaml.has_value());
  EXPECT_EQ(*info->default_yaml, "0.3");
  EXPECT_NE(info->description.find("assumption"), std::string::npos);
  EXPECT_TRUE(scenarios::key_info("staff.pools.anything.headcount").has_value());
  EXPECT_FALSE(scenarios::key_info("staff.pools.dev.no_such_key").has_value());
  EXPECT_FALSE(scenarios::key_info("nonsense").has_value());
}

TEST(AssumptionBasis, DefaultsAreMarkedByTheFormatsOwnSource) {
  const YAML::Node y = YAML::Load(scenario);
  // "(MODEL.md M4: 0.3, assumption)"
  EXPECT_EQ(basis_of(y, "mechanisms.knowledge.effort_penalty").mark, "assumption");
  // "(MODEL.md M3: 40%, after Boehm & Papaccio)": a cited source.
  const detail::Basis rework = basis_of(y, "mechanisms.handoff.rework_effort_share");
  EXPECT_EQ(rework.mark, "sourced");
  EXPECT_NE(rework.note.find("Boehm"), std::string::npos);
  // A distribution equal to its default, key by key.
  EXPECT_EQ(basis_of(y, "mechanisms.handoff.delay").mark, "assumption");
  EXPECT_EQ(basis_of(y, "mechanisms.shadow.run_cost_per_week").mark, "assumption");
  // 1y, the format's default, whose description cites nothing: an assumption.
  EXPECT_EQ(basis_of(y, "horizon").mark, "assumption");
}

TEST(AssumptionBasis, ValuesTheScenarioSetAreItsOwnUnlessItCitesASource) {
  const YAML::Node y = YAML::Load(scenario);
  const detail::Basis l1 = basis_of(y, "staff.pools.l1");
  EXPECT_EQ(l1.mark, "scenario");
  // Not the default 0.85, but cited.
  const detail::Basis pr = basis_of(y, "mechanisms.knowledge.progress_ratio");
  EXPECT_EQ(pr.mark, "sourced");
  EXPECT_EQ(pr.note, "Argote & Epple 1990");
  // A citation that starts with "calibrated" marks the number calibrated.
  const detail::Basis cal =
      basis_of(YAML::Load("mechanisms: {shadow: {run_cost_per_week: 400}}\nsources: [{key: "
                          "mechanisms.shadow.run_cost_per_week, source: \"Calibrated to the "
                          "shadow share target\"}]"),
               "mechanisms.shadow.run_cost_per_week");
  EXPECT_EQ(cal.mark, "calibrated");
  EXPECT_EQ(cal.note, "Calibrated to the shadow share target");
  // A path covers the keys under it; the longest citation wins.
  EXPECT_EQ(basis_of(y, "staff.pools.dev").note, "HR headcount report, 2025");
  EXPECT_EQ(basis_of(y, "staff.pools.dev.headcount").note, "HR headcount report, 2025");
  EXPECT_EQ(basis_of(y, "staff.pools.dev.cost_per_hour").note, "Finance rate card, 2025");
  // staff.pools.d is not a path above staff.pools.dev.
  EXPECT_EQ(basis_of(YAML::Load("staff: {pools: {dev: {headcount: 3}}}\nsources: [{key: "
                                "staff.pools.d, source: x}]"),
                     "staff.pools.dev")
                .mark,
            "scenario");
  // A value changed from its default loses the format's mark.
  EXPECT_EQ(basis_of(YAML::Load("mechanisms: {knowledge: {effort_penalty: 0.5}}"),
                     "mechanisms.knowledge.effort_penalty")
                .mark,
            "scenario");
}

TEST(AssumptionBasis, AKeyTheScenarioLacksHasNoMark) {
  const YAML::Node y = YAML::Load(scenario);
  EXPECT_EQ(basis_of(y, "mechanisms.knowledge.learning_hours").mark, "");
  EXPECT_EQ(basis_of(y, "paths.to_coe").mark, "");
  EXPECT_EQ(basis_of(YAML::Node(), "horizon").mark, "");
}

} // namespace
} // namespace itsim::report
