// SPDX-License-Identifier: Apache-2.0
#include "itsim/experiments/attribution.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "itsim/models/kpi.hpp"
#include "itsim/scenarios/loader.hpp"

namespace itsim::experiments {
namespace {

using scenarios::Scenario;

scenarios::Scenario midsize(const std::vector<std::string>& overrides = {}) {
  scenarios::Diagnostics diags;
  const auto loaded = scenarios::load_scenario(
      std::string(ITSIM_SOURCE_DIR) + "/scenarios/midsize.yaml", overrides, diags);
  if (!loaded) throw std::runtime_error(diags.format_all());
  return loaded->scenario;
}

std::uint32_t index_of(const Scenario& s, const std::string& id) {
  return attribution_model(s, id, "--model");
}

std::vector<std::string> switch_names(const AttributionPlan& plan) {
  std::vector<std::string> out;
  for (const std::size_t i : plan.switches)
    out.emplace_back(mechanism_switches()[i].name);
  return out;
}

// ---- Shapley arithmetic on games whose values are known by hand ----

TEST(ShapleyValues, OfAnAdditiveGameAreEachPlayersOwnWorth) {
  const std::vector<double> worth = {3, -1, 4, 1.5};
  std::vector<double> v(16);
  for (std::size_t mask = 0; mask < 16; ++mask)
    for (std::size_t i = 0; i < 4; ++i)
      if (mask >> i & 1U) v[mask] += worth[i];
  const std::vector<double> phi = shapley_values(v, 4);
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_NEAR(phi[i], worth[i], 1e-12);
}

TEST(ShapleyValues, SplitAPureInteractionEquallyAmongItsPlayers) {
  // Unanimity game: worth 6 only when all three are in.
  std::vector<double> v(8, 0.0);
  v[7] = 6;
  const std::vector<double> phi = shapley_values(v, 3);
  for (const double p : phi)
    EXPECT_NEAR(p, 2.0, 1e-12);
}

TEST(ShapleyValues, OfATwoPlayerGameMatchTheHandCalculation) {
  // v(1) = 1, v(2) = 2, v(12) = 5: phi1 = (1 + 3) / 2 = 2, phi2 = (2 + 4) / 2 = 3.
  const std::vector<double> phi = shapley_values(std::vector<double>{0, 1, 2, 5}, 2);
  EXPECT_NEAR(phi[0], 2.0, 1e-12);
  EXPECT_NEAR(phi[1], 3.0, 1e-12);
}

TEST(ShapleyValues, GiveADummyPlayerNothingAndAddUpToTheWholeGain) {
  // Six players with arbitrary worths, player 2 a dummy (adds nothing to any coalition).
  const std::size_t n = 6;
  std::vector<double> v(std::size_t{1} << n);
  std::uint64_t x = 12345;
  for (std::size_t mask = 0; mask < v.size(); ++mask) {
    if (mask & 4U) continue;
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    v[mask] = static_cast<double>(x >> 40) / 1e4 - 500;
    v[mask | 4U] = v[mask];
  }
  const std::vector<double> phi = shapley_values(v, n);
  EXPECT_NEAR(phi[2], 0.0, 1e-9);
  double sum = 0;
  for (const double p : phi)
    sum += p;
  EXPECT_NEAR(sum, v.back() - v.front(), 1e-9);
}

TEST(ShapleyValues, RefuseAGameOfTheWrongSize) {
  EXPECT_THROW(shapley_values(std::vector<double>(7), 3), std::invalid_argument);
}

TEST(AttributeKpi, AddsStructureAndShapleyValuesUpToTheTotalInEveryReplication) {
  // Two switches, three replications; v(S) per [variant mask][replication].
  const std::vector<std::uint64_t> variants = {0, 1, 2, 3};
  const std::vector<std::vector<double>> d = {{1, 2, 3}, {4, 2, 9}, {2, 5, 3}, {10, 7, 12}};
  const KpiAttribution k =
      attribute_kpi("net_value", {"a", "b"}, {"", ""}, false, variants, d, {}, 0.95);
  ASSERT_EQ(k.terms.size(), 4u);
  EXPECT_EQ(k.terms[0].mechanism, "structure");
  EXPECT_EQ(k.terms[3].mechanism, "total");
  ASSERT_EQ(k.replications.size(), 3u);
  for (std::size_t r = 0; r < 3; ++r) {
    EXPECT_DOUBLE_EQ(k.terms[0].shapley[r], d[0][r]);
    EXPECT_DOUBLE_EQ(k.terms[3].shapley[r], d[3][r]);
    EXPECT_NEAR(k.terms[0].shapley[r] + k.terms[1].shapley[r] + k.terms[2].shapley[r],
                k.terms[3].shapley[r], 1e-12);
    // One at a time: everything on, less everything on but that switch.
    EXPECT_DOUBLE_EQ(k.terms[1].one_at_a_time[r], d[3][r] - d[2][r]);
    EXPECT_DOUBLE_EQ(k.terms[2].one_at_a_time[r], d[3][r] - d[1][r]);
  }
  // Replication 0 by hand: v(a) = 4, v(b) = 2, v(ab) = 10, v() = 1.
  EXPECT_NEAR(k.terms[1].shapley[0], 0.5 * (4 - 1) + 0.5 * (10 - 2), 1e-12);
  EXPECT_NEAR(k.terms[3].shapley_mean, (10 + 7 + 12) / 3.0, 1e-12);
  EXPECT_GT(k.terms[3].shapley_ci, 0);
}

TEST(AttributeKpi, LeavesOutReplicationsWithAFailedRunOrAnUndefinedValue) {
  const std::vector<std::uint64_t> variants = {0, 1};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<std::vector<double>> d = {{1, nan, 3, 4}, {2, 2, 5, 6}};
  const KpiAttribution k = attribute_kpi("net_value", {"a"}, {""}, false, variants, d,
                                         {false, false, false, true}, 0.95);
  EXPECT_EQ(k.replications, (std::vector<std::uint32_t>{0, 2}));
  EXPECT_EQ(k.terms[1].shapley, (std::vector<double>{1, 2}));
}

// ---- the switches on the shipped presets ----

TEST(MechanismSwitches, ApplyToEachPresetWhereItDiffersFromPassive) {
  const Scenario s = midsize();
  const std::uint32_t passive = index_of(s, "passive");
  EXPECT_EQ(switch_names(plan_attribution(s, index_of(s, "coe"), passive)),
            (std::vector<std::string>{"knowledge", "learning", "pooling", "wip_limits",
                                      "queue_order", "spanning", "proactive", "capabilities"}));
  EXPECT_EQ(
      switch_names(plan_attribution(s, index_of(s, "embedded"), passive)),
      (std::vector<std::string>{"knowledge", "learning", "pooling", "context_switch", "spanning"}));
  EXPECT_EQ(switch_names(plan_attribution(s, index_of(s, "rotation"), passive)),
            (std::vector<std::string>{"rotation", "rotation_learning", "rotation_boosts"}));
}

TEST(MechanismSwitches, TurnRotationAllOffIntoThePassiveModel) {
  // rotation is the passive preset plus learning and the programme: with every switch off
  // nothing is left to tell them apart; with every switch on it is rotation itself.
  const Scenario s = midsize();
  const AttributionPlan plan = plan_attribution(s, index_of(s, "rotation"), index_of(s, "passive"));
  EXPECT_TRUE(same_model(attribution_variant(s, plan, 0), s.models[plan.baseline]));
  EXPECT_FALSE(same_model(s.models[plan.target], s.models[plan.baseline]));
  EXPECT_TRUE(same_model(attribution_variant(s, plan, 15), s.models[plan.target]));
  EXPECT_EQ(attribution_variant(s, plan, 0).id, "rotation"); // the target's streams
}

TEST(MechanismSwitches, TurnTheCentreOfExcellencesMechanismsBackToThePassiveSettings) {
  const Scenario s = midsize();
  const AttributionPlan plan = plan_attribution(s, index_of(s, "coe"), index_of(s, "passive"));
  const Scenario::Model off = attribution_variant(s, plan, 0);
  for (const Scenario::Resource& r : off.resources) {
    EXPECT_EQ(r.wip_limit, 0u) << r.id;
    EXPECT_FALSE(r.by_unit) << r.id;
    EXPECT_FALSE(r.learns) << r.id;
    EXPECT_DOUBLE_EQ(r.knowledge, 0.3) << r.id;
    // Pools keep their own discipline (management's is fifo); the teams take the one most
    // of the passive model's people have.
    if (r.team) {
      EXPECT_EQ(r.discipline, sim::QueueDiscipline::priority) << r.id;
    }
  }
  EXPECT_FALSE(off.proactive.has_value());
  EXPECT_EQ(off.incident_reduction_per_item, 0.0);
  for (const Scenario::Route& route : off.routes)
    for (const Scenario::Stage& st : route.stages)
      EXPECT_EQ(st.spanning, Scenario::Spanning::none);
  // The route structure stays the coe's: one stage with the stream team for changes.
  EXPECT_EQ(off.routes[2].stages.size(), s.models[plan.target].routes[2].stages.size());
}

TEST(MechanismSwitches, PoolingKeepsAsManyItemsInProgressAsTheCopiesHad) {
  // The stream team (WIP 3 per copy, five units) merged into one station: WIP 15, unless
  // the WIP-limit switch is off too.
  const Scenario s = midsize();
  const AttributionPlan plan = plan_attribution(s, index_of(s, "coe"), index_of(s, "passive"));
  std::uint64_t all = (std::uint64_t{1} << plan.switches.size()) - 1;
  const auto bit = [&plan](const std::string& name) {
    for (std::size_t i = 0; i < plan.switches.size(); ++i)
      if (std::string(mechanism_switches()[plan.switches[i]].name) == name)
        return std::uint64_t{1} << i;
    return std::uint64_t{0};
  };
  const Scenario::Model pooled = attribution_variant(s, plan, all & ~bit("pooling"));
  const Scenario::Model both =
      attribution_variant(s, plan, all & ~bit("pooling") & ~bit("wip_limits"));
  for (std::size_t i = 0; i < pooled.resources.size(); ++i) {
    if (pooled.resources[i].id != "stream") continue;
    EXPECT_FALSE(pooled.resources[i].by_unit);
    EXPECT_EQ(pooled.resources[i].wip_limit, 3u * s.units.size());
    EXPECT_EQ(both.resources[i].wip_limit, 0u);
  }
}

TEST(MechanismSwitches, CompareATeamTheBaselineLacksWithTheBaselinesPeople) {
  const Scenario s = midsize();
  const Scenario::Model& passive = s.models[index_of(s, "passive")];
  Scenario::Resource team;
  team.id = "stream";
  const Scenario::Resource b = baseline_setting(passive, team);
  EXPECT_DOUBLE_EQ(b.knowledge, 0.3);
  EXPECT_FALSE(b.learns);
  EXPECT_EQ(b.wip_limit, 0u);
  EXPECT_FALSE(b.by_unit);
}

// ---- bad input ----

TEST(PlanAttribution, NamesTheModelsWhenAModelIsUnknown) {
  const Scenario s = midsize();
  try {
    attribution_model(s, "cloud", "--model");
    FAIL() << "no error";
  } catch (const AttributionError& e) {
    EXPECT_EQ(e.kind(), AttributionError::Kind::unknown_model);
    EXPECT_NE(std::string(e.what()).find("'cloud'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("passive, embedded, rotation, coe"), std::string::npos)
        << e.what();
  }
}

TEST(PlanAttribution, RefusesToExplainTheBaselineAgainstItself) {
  const Scenario s = midsize();
  try {
    plan_attribution(s, index_of(s, "passive"), index_of(s, "passive"));
    FAIL() << "no error";
  } catch (const AttributionError& e) {
    EXPECT_EQ(e.kind(), AttributionError::Kind::same_model);
    EXPECT_NE(std::string(e.what()).find("passive"), std::string::npos);
  }
}

TEST(PlanAttribution, RefusesModelsThatDoNotDiffer) {
  Scenario s = midsize();
  Scenario::Model twin = s.models[index_of(s, "passive")];
  twin.id = "twin";
  s.models.push_back(twin);
  try {
    plan_attribution(s, index_of(s, "twin"), index_of(s, "passive"));
    FAIL() << "no error";
  } catch (const AttributionError& e) {
    EXPECT_EQ(e.kind(), AttributionError::Kind::nothing_differs);
    EXPECT_NE(std::string(e.what()).find("'twin' and 'passive'"), std::string::npos) << e.what();
  }
  // A model that differs in a setting no switch covers still has structure to explain.
  s.models.back().routes[0].stages[0].effort_share = 0.5;
  EXPECT_TRUE(plan_attribution(s, index_of(s, "twin"), index_of(s, "passive")).switches.empty());
}

// ---- a short run end to end ----

TEST(RunAttribution, AddsUpToThePairedDifferenceThatItsimRunReports) {
  const Scenario s = midsize({"horizon=6w", "warmup=1w", "replications=3"});
  const AttributionPlan plan = plan_attribution(s, index_of(s, "rotation"), index_of(s, "passive"));
  AttributionOptions options;
  options.scheduler.threads = 2;
  options.kpis = {"net_value", "lead_time_p50_h"};
  const Attribution a = run_attribution(s, plan, options);
  ASSERT_EQ(a.variants.size(), 8u);
  EXPECT_EQ(a.runs, 9u * 3);
  EXPECT_EQ(a.failed_runs, 0u);
  // The runs of itsim run, for the same replications.
  ExperimentOptions run_options;
  run_options.scheduler.threads = 2;
  const std::vector<ExperimentRun> runs = run_experiment(s, run_options);
  for (const KpiAttribution& k : a.kpis) {
    const auto kpi = static_cast<std::size_t>(models::kpi_named(k.kpi));
    ASSERT_EQ(k.replications.size(), 3u);
    for (std::size_t r = 0; r < 3; ++r) {
      double sum = 0;
      for (std::size_t t = 0; t + 1 < k.terms.size(); ++t)
        sum += k.terms[t].shapley[r];
      const double total = k.terms.back().shapley[r];
      EXPECT_NEAR(sum, total, 1e-9 * (1 + std::fabs(total))) << k.kpi;
      const double paired =
          runs[plan.target * 3 + r].result.kpi[kpi] - runs[plan.baseline * 3 + r].result.kpi[kpi];
      EXPECT_EQ(total, paired) << k.kpi << ", replication " << r;
    }
  }
  // The results file's tables: one row per KPI and term.
  const analysis::ResultsFile file = attribution_results(s, plan, a, "");
  const analysis::Table* t = file.table(attribution_group);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->rows(), 2u * (3 + 2));
  EXPECT_EQ(file.runs.size(), 6u);
  EXPECT_NO_THROW(analysis::validate_results(file));
}

TEST(RunAttribution, RefusesTooManySwitchesForShapleyButRunsThemOneAtATime) {
  const Scenario s = midsize({"horizon=2w", "warmup=0h", "replications=2"});
  AttributionPlan plan = plan_attribution(s, index_of(s, "coe"), index_of(s, "passive"));
  // Pretend there are 11 switches by repeating some.
  while (plan.switches.size() <= max_shapley_switches)
    plan.switches.push_back(plan.switches.front());
  AttributionOptions options;
  options.kpis = {"net_value"};
  EXPECT_THROW(run_attribution(s, plan, options), std::invalid_argument);
  options.one_at_a_time = true;
  options.scheduler.threads = 2;
  const Attribution a = run_attribution(s, plan, options);
  EXPECT_EQ(a.variants.size(), plan.switches.size() + 2);
  EXPECT_TRUE(std::isnan(a.kpis[0].terms[1].shapley_mean));
  EXPECT_TRUE(std::isfinite(a.kpis[0].terms[1].one_at_a_time_mean));
}

} // namespace
} // namespace itsim::experiments
