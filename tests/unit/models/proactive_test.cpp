// SPDX-License-Identifier: Apache-2.0
// Proactive work and capabilities (MODEL.md M7) driven without the coordinator: candidate
// gaps, acceptance by K x slack (thinning), the unit by headcount, the discovered item and
// the incident reduction with its cap.
#include "proactive.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "part_scenario.hpp"

namespace itsim::models::detail {
namespace {

using namespace part_test;
using scenarios::Scenario;

// dev discovers changes at 2 a week, worth twice a requested one; each delivered one
// prevents 10% of incidents, up to 25%.
const std::vector<std::string> discovering = {
    "models.central.proactive={pool: dev, work_type: change, rate: 2/week, value_factor: 2}",
    "models.central.capabilities={incident_reduction_per_item: 0.1, max_incident_reduction: "
    "0.25}"};

TEST(Proactive, IsActiveOnlyWithADiscoveryRate) {
  const Scenario passive = load_part_scenario();
  EXPECT_FALSE(Proactive(passive, passive.models[0]).active());
  const Scenario s = load_part_scenario(discovering);
  const Proactive p(s, s.models[0]);
  EXPECT_TRUE(p.active());
  EXPECT_EQ(s.models[0].resources[p.resource()].id, "dev");
}

TEST(Proactive, SpacesCandidatesByOneOverTheRateOnAverage) {
  // Exponential gaps of mean 84 h: the mean of n within 6 x 84 / sqrt(n).
  const Scenario s = load_part_scenario(discovering);
  const Proactive p(s, s.models[0]);
  sim::RandomStream rng(5);
  constexpr int n = 100000;
  double sum = 0;
  for (int k = 0; k < n; ++k) {
    const double gap = p.next_gap_h(rng);
    ASSERT_GT(gap, 0);
    sum += gap;
  }
  EXPECT_NEAR(sum / n, 84, 6 * 84 / std::sqrt(double(n)));
  EXPECT_EQ(rng.draws(), std::uint64_t{n});
}

TEST(Proactive, AlwaysAcceptsWithFullKnowledgeAndSlackAndNeverWithout) {
  const Scenario s = load_part_scenario(discovering);
  const Proactive p(s, s.models[0]);
  const Proactive::Candidate likely{0.999999, 0.1};
  EXPECT_EQ(p.accept(likely, 1, 1), sales);
  EXPECT_EQ(p.accept({0.999999, 0.9}, 1, 1), finance);
  const Proactive::Candidate sure{0, 0.1};
  EXPECT_EQ(p.accept(sure, 0, 1), none);
  EXPECT_EQ(p.accept(sure, 1, 0), none);
}

TEST(Proactive, AcceptsCandidatesWithProbabilityKTimesSlackAndDrawsUnitsByHeadcount) {
  // K = 0.6 and half the servers idle: 0.3 accepted, 3:1 sales to finance.
  const Scenario s = load_part_scenario(discovering);
  const Proactive p(s, s.models[0]);
  sim::RandomStream rng(9);
  constexpr int n = 200000;
  int accepted = 0, to_sales = 0;
  for (int k = 0; k < n; ++k) {
    const std::uint32_t unit = p.accept(Proactive::candidate(rng), 0.6, 0.5);
    if (unit == none) continue;
    ++accepted;
    ASSERT_TRUE(unit == sales || unit == finance);
    to_sales += unit == sales;
  }
  EXPECT_EQ(rng.draws(), 2U * n); // two uniforms per candidate
  EXPECT_NEAR(accepted / double(n), 0.3, six_sigma(0.3, n));
  EXPECT_NEAR(to_sales / double(accepted), 0.75, six_sigma(0.75, accepted));
}

TEST(Proactive, DiscoversAnItemOfItsWorkTypeWorthTheValueFactor) {
  const Scenario s = load_part_scenario(discovering);
  const Proactive p(s, s.models[0]);
  sim::RandomStream rng(3);
  const ItemSpec spec = p.discovered(finance, rng);
  EXPECT_EQ(rng.draws(), 1U); // the item's seed; its attributes come from its own stream
  EXPECT_EQ(spec.origin, ItemOrigin::proactive);
  EXPECT_EQ(spec.work_type, change);
  EXPECT_EQ(spec.unit, finance);
  EXPECT_EQ(spec.priority, 2);
  EXPECT_DOUBLE_EQ(spec.effort_h, 10);
  EXPECT_DOUBLE_EQ(spec.value_week, 200);
  EXPECT_FALSE(spec.spanning);
  EXPECT_LT(spec.patience_h, 0);
  // The next discovery has a stream of its own.
  sim::RandomStream a = spec.rng, b = p.discovered(finance, rng).rng;
  EXPECT_NE(a.next_u64(), b.next_u64());
}

TEST(Proactive, ReducesIncidentsPerDeliveredItemUpToTheCap) {
  const Scenario s = load_part_scenario(discovering);
  Proactive p(s, s.models[0]);
  EXPECT_DOUBLE_EQ(p.incident_reduction(), 0);
  p.delivered();
  EXPECT_DOUBLE_EQ(p.incident_reduction(), 0.1);
  p.delivered();
  EXPECT_DOUBLE_EQ(p.incident_reduction(), 0.2);
  p.delivered();
  EXPECT_DOUBLE_EQ(p.incident_reduction(), 0.25);
  p.delivered();
  EXPECT_DOUBLE_EQ(p.incident_reduction(), 0.25);
}

} // namespace
} // namespace itsim::models::detail
