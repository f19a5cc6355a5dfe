// SPDX-License-Identifier: Apache-2.0
// Levers (docs/serve.md): the `levers:` section as the loader builds it (each lever's key,
// range or choices and its current value in the scenario), its errors located at the
// lever, and lever values from a request checked as the page sends them (malformed JSON,
// unknown lever, wrong type, out of range) and turned into `--set` overrides.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "itsim/scenarios/loader.hpp"
#include "itsim/serve/levers.hpp"

namespace itsim::serve {
namespace {

using scenarios::Diagnostics;
using scenarios::LoadedScenario;

std::optional<LoadedScenario> midsize(Diagnostics& diags) {
  return scenarios::load_scenario(ITSIM_SOURCE_DIR "/scenarios/midsize.yaml", {}, diags);
}

const scenarios::Scenario::Lever& lever(const scenarios::Scenario& s, const std::string& id) {
  for (const auto& l : s.levers)
    if (l.id == id) return l;
  throw std::out_of_range(id);
}

TEST(Levers, MidsizeDeclaresLeversWithTheScenariosCurrentValues) {
  Diagnostics diags;
  const auto loaded = midsize(diags);
  ASSERT_TRUE(loaded) << diags.format_all();
  const auto& s = loaded->scenario;
  ASSERT_GE(s.levers.size(), 4u);
  const auto& l1 = lever(s, "l1_headcount");
  EXPECT_EQ(l1.key, "staff.pools.l1.headcount");
  EXPECT_EQ(l1.min, 4);
  EXPECT_EQ(l1.max, 12);
  EXPECT_EQ(l1.current, "7");                  // staff.pools.l1.headcount in midsize.yaml
  EXPECT_EQ(lever(s, "coe_wip").current, "3"); // from the coe preset
  EXPECT_EQ(lever(s, "handoff_retention").current, "0.8"); // the schema's default
  EXPECT_TRUE(lever(s, "show").show_models);
}

TEST(Levers, ASetOfTheLeversKeyMovesItsCurrentValue) {
  Diagnostics diags;
  const auto loaded = scenarios::load_scenario(ITSIM_SOURCE_DIR "/scenarios/midsize.yaml",
                                               {"staff.pools.l1.headcount=10"}, diags);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(lever(loaded->scenario, "l1_headcount").current, "10");
}

std::string load_errors(const std::string& levers) {
  const std::string text = R"(name: t
horizon: 20w
organisation: {units: {a: {headcount: 100}}}
demand: {work_types: {incident: {kind: incident, rate: 1/week, effort: 1h}}}
staff: {pools: {desk: {headcount: 2, cost_per_hour: 40, first_line: true}}}
models: {m: {routes: {incident: {stages: {l1: {pool: desk}}}}}}
levers:
)" + levers;
  Diagnostics diags;
  const auto loaded = scenarios::load_scenario_text(text, "t.yaml", ".", {}, diags);
  return loaded ? "" : diags.format_errors();
}

TEST(Levers, BadLeversAreErrorsAtTheirLocation) {
  EXPECT_EQ(load_errors("  x: {label: X, key: staff.pools.desk.headcount, min: 1, max: 5}\n"), "");
  EXPECT_EQ(load_errors("  x: {label: X, key: staff.pools.desk.headcont, min: 1, max: 5}\n"),
            "t.yaml:8:22: levers.x.key: not a key of the scenario format: "
            "\"staff.pools.desk.headcont\"");
  EXPECT_EQ(load_errors("  x: {label: X, key: staff.pools.desk.headcount, min: 5, max: 5}\n"),
            "t.yaml:8:63: levers.x.max: must be greater than min (5)");
  EXPECT_EQ(load_errors("  x: {label: X, key: staff.pools.desk.headcount}\n"),
            "t.yaml:8:6: levers.x: a lever needs min and max, or choices");
  EXPECT_NE(load_errors("  x: {key: staff.pools.desk.headcount, min: 1, max: 5}\n")
                .find("levers.x: missing required key \"label\""),
            std::string::npos);
  EXPECT_NE(load_errors("  x: {label: X, min: 1, max: 5}\n")
                .find("levers.x: missing required key \"key\""),
            std::string::npos);
}

class LeverValuesTest : public ::testing::Test {
protected:
  void SetUp() override {
    Diagnostics diags;
    auto loaded = midsize(diags);
    ASSERT_TRUE(loaded);
    s = std::move(loaded->scenario);
  }
  LeverValues parse(const std::string& body) {
    errors.clear();
    return parse_lever_values(s, body, errors);
  }
  scenarios::Scenario s;
  std::vector<LeverError> errors;
};

TEST_F(LeverValuesTest, ValuesBecomeSetOverridesInLeverOrder) {
  const LeverValues v = parse(R"({"handoff_retention": 0.85, "l1_headcount": 9, "show": "coe"})");
  ASSERT_TRUE(errors.empty()) << errors.front().message;
  EXPECT_EQ(v.overrides, (std::vector<std::string>{"staff.pools.l1.headcount=9",
                                                   "mechanisms.handoff.retention=0.85"}));
  EXPECT_EQ(v.show, "coe");
  EXPECT_EQ(v.values.at("l1_headcount"), "9");
  EXPECT_TRUE(parse("{}").overrides.empty());
}

TEST_F(LeverValuesTest, BadValuesAreRejectedWithTheLever) {
  parse("{\"l1_headcount\": 9");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].lever, "");
  EXPECT_NE(errors[0].message.find("malformed JSON"), std::string::npos);
  parse("[1, 2]");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "expected a JSON object of lever id -> value");
  parse(R"({"l1_headcont": 9})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].lever, "l1_headcont");
  EXPECT_NE(errors[0].message.find("unknown lever \"l1_headcont\""), std::string::npos);
  parse(R"({"l1_headcount": 13})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].lever, "l1_headcount");
  EXPECT_EQ(errors[0].message, "must be in 4..12, got 13");
  parse(R"({"handoff_retention": 0.49})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "must be in 0.5..0.95, got 0.49");
  parse(R"({"l1_headcount": "9"})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "expected a number, got \"9\"");
  parse(R"({"show": "nobody"})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "must be one of all, passive, embedded, rotation, coe, got "
                               "\"nobody\"");
  // Every bad lever is reported, not only the first.
  parse(R"({"l1_headcount": 99, "coe_wip": 0})");
  EXPECT_EQ(errors.size(), 2u);
}

TEST(NumberText, ShortestTextThatReadsBack) {
  EXPECT_EQ(number_text(9), "9");
  EXPECT_EQ(number_text(10), "10"); // not "1e+01": integer keys must read it
  EXPECT_EQ(number_text(-300), "-300");
  EXPECT_EQ(number_text(0.85), "0.85");
  EXPECT_EQ(number_text(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(number_text(-2.5e-7), "-2.5e-07");
}

} // namespace
} // namespace itsim::serve
