// SPDX-License-Identifier: Apache-2.0
// The keys of reorganisation paths (MODEL.md M14): a path is built as a model of its own,
// after the declared ones, with both models' resources and routes side by side, its waves
// in time order and every parameter as written (defaults: an instant, free move); each
// error is reported at its exact location with the key and exit code 65's message.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "itsim/scenarios/loader.hpp"

namespace itsim::scenarios {
namespace {

// Line numbers in the messages below refer to this text.
constexpr const char* org = R"(name: org
horizon: 2y
organisation:
  units:
    sales: {headcount: 300}
    finance: {headcount: 100}
    people: {headcount: 100}
demand:
  work_types:
    incident:
      kind: incident
      rate: 0.5/employee/month
      effort: {dist: exponential, mean: 30min}
    change:
      kind: enhancement
      rate: 2/week
      effort: {dist: lognormal, median: 3bd, sigma: 1}
staff:
  pools:
    desk: {headcount: 4, cost_per_hour: 40, first_line: true}
    dev: {headcount: 10, cost_per_hour: 80}
models:
  central:
    routes:
      incident: {stages: {l1: {pool: desk}}}
      change: {stages: {build: {pool: dev}}}
  split:
    teams: {stream: {members: {dev: 10}, by_unit: true, knowledge: 0.7}}
    routes:
      incident: {stages: {l1: {pool: desk}}}
      change: {stages: {build: {pool: stream, handoff: true}}}
    change_failure: 0.1
paths:
  move:
    from: central
    to: split
    waves:
      - {at: 26w, units: [finance, people]}
      - {at: 13w, units: [sales]}
)";

struct Result {
  std::optional<LoadedScenario> loaded;
  Diagnostics diags;
};

Result load(const std::vector<std::string>& overrides = {}) {
  Result r;
  r.loaded = load_scenario_text(org, "org.yaml", ".", overrides, r.diags);
  return r;
}

std::string errors_of(const std::vector<std::string>& overrides) {
  const Result r = load(overrides);
  EXPECT_FALSE(r.loaded.has_value());
  return r.diags.format_errors();
}

TEST(PathKeys, BuildsAPathAsAModelWithBothStructuresSideBySide) {
  const Result r = load();
  ASSERT_TRUE(r.loaded.has_value()) << r.diags.format_all();
  const Scenario& s = r.loaded->scenario;
  ASSERT_EQ(s.models.size(), 3U);
  const Scenario::Model& m = s.models[2];
  EXPECT_EQ(m.id, "move");
  EXPECT_EQ(m.description, "central -> split in 2 waves");
  ASSERT_TRUE(m.path.has_value());
  const Scenario::Path& p = *m.path;
  EXPECT_EQ(p.from, 0U);
  EXPECT_EQ(p.to, 1U);
  // central: desk, dev; split: desk, dev (empty: its people are in the team), stream.
  ASSERT_EQ(p.from_resources, 2U);
  ASSERT_EQ(m.resources.size(), 5U);
  EXPECT_EQ(m.resources[0].id, "central.desk");
  EXPECT_EQ(m.resources[1].id, "central.dev");
  EXPECT_EQ(m.resources[4].id, "split.stream");
  EXPECT_DOUBLE_EQ(m.resources[4].knowledge, 0.7);
  // Routes: central's, then split's with their resources offset.
  ASSERT_EQ(m.routes.size(), 4U);
  EXPECT_EQ(m.routes[1].stages[0].pool, 1U);
  EXPECT_EQ(m.routes[3].stages[0].pool, 4U);
  EXPECT_TRUE(m.routes[3].stages[0].handoff);
  EXPECT_DOUBLE_EQ(m.change_failure, 0);
  EXPECT_DOUBLE_EQ(p.change_failure_to, 0.1);
  // Waves in time order, whatever the file's order.
  ASSERT_EQ(p.waves.size(), 2U);
  EXPECT_DOUBLE_EQ(p.waves[0].at_h, 13 * 168.0);
  EXPECT_EQ(p.waves[0].units, std::vector<std::uint32_t>({0}));
  EXPECT_EQ(p.waves[1].units, std::vector<std::uint32_t>({1, 2}));
  // Defaults: instant and free.
  EXPECT_DOUBLE_EQ(p.training_days + p.tooling + p.outside_help + p.hire_cost, 0);
  EXPECT_DOUBLE_EQ(p.ramp_from, 1);
  EXPECT_DOUBLE_EQ(p.ramp_to, 1);
  EXPECT_DOUBLE_EQ(p.attrition_rate, 0);
  EXPECT_EQ(p.knowledge, Scenario::Path::KnowledgeStart::target);
  EXPECT_EQ(p.in_flight, Scenario::Path::InFlight::stay);
  EXPECT_DOUBLE_EQ(p.hiring_delay_h, 8 * 168.0);
}

TEST(PathKeys, ReadsEveryParameterAsWritten) {
  const Result r = load({"paths.move.costs={training_days: 5, tooling: 1000, outside_help: 2000}",
                         "paths.move.ramp={from: 0.5, to: 0.9, over: 3mo, full_after: 6mo}",
                         "paths.move.knowledge=carried", "paths.move.in_flight=move",
                         "paths.move.attrition={rate: 0.2, lasts: 3mo, hiring_delay: 6w, "
                         "hire_cost: 500, new_hire_knowledge: 0.1}"});
  ASSERT_TRUE(r.loaded.has_value()) << r.diags.format_all();
  const Scenario::Path& p = *r.loaded->scenario.models[2].path;
  EXPECT_DOUBLE_EQ(p.training_days, 5);
  EXPECT_DOUBLE_EQ(p.tooling, 1000);
  EXPECT_DOUBLE_EQ(p.outside_help, 2000);
  EXPECT_DOUBLE_EQ(p.ramp_from, 0.5);
  EXPECT_DOUBLE_EQ(p.ramp_to, 0.9);
  EXPECT_DOUBLE_EQ(p.ramp_h, 3 * 730.0);
  EXPECT_DOUBLE_EQ(p.full_h, 6 * 730.0);
  EXPECT_EQ(p.knowledge, Scenario::Path::KnowledgeStart::carried);
  EXPECT_EQ(p.in_flight, Scenario::Path::InFlight::move);
  EXPECT_DOUBLE_EQ(p.attrition_rate, 0.2);
  EXPECT_DOUBLE_EQ(p.attrition_after_h, 3 * 730.0);
  EXPECT_DOUBLE_EQ(p.hiring_delay_h, 6 * 168.0);
  EXPECT_DOUBLE_EQ(p.hire_cost, 500);
  EXPECT_DOUBLE_EQ(p.new_hire_knowledge, 0.1);
}

TEST(PathKeys, AWaveWithoutUnitsMovesEveryUnitAtOnce) {
  const Result r = load({"paths.move.waves=[{at: 0h}]"});
  ASSERT_TRUE(r.loaded.has_value()) << r.diags.format_all();
  const Scenario::Path& p = *r.loaded->scenario.models[2].path;
  ASSERT_EQ(p.waves.size(), 1U);
  EXPECT_EQ(p.waves[0].units, std::vector<std::uint32_t>({0, 1, 2}));
}

TEST(PathKeys, RejectsUnknownModelsAndAMoveToItself) {
  EXPECT_EQ(errors_of({"paths.move.to=spilt"}),
            "--set:1:15: paths.move.to: unknown model \"spilt\" (did you mean \"split\"?)");
  EXPECT_EQ(errors_of({"paths.move.to=central"}),
            "--set:1:15: paths.move.to: a path moves to another model than its `from`");
  EXPECT_EQ(errors_of({"paths.split={from: central, to: split, waves: [{at: 0h}]}"}),
            "--set:1:7: paths.split: path id \"split\" is also a model id; give the path an id "
            "of its own");
}

TEST(PathKeys, RejectsOverlappingWavesUnknownUnitsAndMovesAfterTheHorizon) {
  EXPECT_EQ(errors_of({"paths.move.waves=[{at: 1w, units: [sales]}, {at: 2w, units: [sales]}]"}),
            "--set:1:62: paths.move.waves[1].units[0]: unit \"sales\" already moves in wave 1; "
            "waves must not overlap");
  EXPECT_EQ(errors_of({"paths.move.waves=[{at: 1w, units: [sails]}]"}),
            "--set:1:36: paths.move.waves[0].units[0]: unknown unit \"sails\"; "
            "organisation.units has: sales, finance, people");
  EXPECT_EQ(errors_of({"paths.move.waves=[{at: 3y, units: [sales]}]"}),
            "--set:1:24: paths.move.waves[0].at: the wave moves after the horizon (2y)");
  EXPECT_EQ(errors_of({"paths.move.waves=[{at: 1w}, {at: 2w, units: [sales]}]"}),
            "--set:1:19: paths.move.waves[0].units: a wave without units moves every unit, so it "
            "must be the path's only wave");
}

TEST(PathKeys, RejectsNegativeCostsSharesAboveOneAndABackwardRamp) {
  EXPECT_EQ(errors_of({"paths.move.costs.tooling=-1"}),
            "--set:1:26: paths.move.costs.tooling: must be >= 0, got \"-1\"");
  EXPECT_EQ(errors_of({"paths.move.attrition.new_hire_knowledge=1.2"}),
            "--set:1:41: paths.move.attrition.new_hire_knowledge: must be <= 1, got \"1.2\"");
  EXPECT_EQ(errors_of({"paths.move.ramp={from: 0.9, to: 0.5}"}),
            "--set:1:33: paths.move.ramp.to: must be at least ramp.from (0.9)");
  EXPECT_EQ(errors_of({"paths.move.ramp={over: 6mo, full_after: 3mo}"}),
            "--set:1:41: paths.move.ramp.full_after: must be at least ramp.over (6mo)");
}

} // namespace
} // namespace itsim::scenarios
