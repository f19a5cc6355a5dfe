// SPDX-License-Identifier: Apache-2.0
// Routing (MODEL.md M2, M3, M6, M7) driven without the coordinator: what entering a stage
// costs (stage delay, handoff delay and loss of understanding, change gates), the work of
// a visit, rework, the second team and the next stage by the routing row.
#include "routing.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

#include "part_scenario.hpp"

namespace itsim::models::detail {
namespace {

using namespace part_test;
using scenarios::Scenario;

/// A hand-made item of work type `w` from `unit`, its stream seeded with `seed`.
Item item_of(std::uint32_t w, std::uint32_t unit = sales, std::uint64_t seed = 1) {
  Item it;
  it.rng.reseed(seed);
  it.work_type = it.route = w;
  it.unit = it.home_unit = unit;
  it.live = true;
  return it;
}

struct Fixture {
  explicit Fixture(const std::vector<std::string>& overrides = {})
      : s(load_part_scenario(overrides)), routing(s, s.models[0], s.calendars.at(1).calendar) {}
  Scenario s;
  Routing routing;
};

TEST(Routing, CountsAHandoffLosesUnderstandingAndWaitsTheHandoffDelay) {
  const Fixture f;
  const std::uint32_t build = stage_of(f.s, change, "build");
  Item it = item_of(change);
  // The handoff delay is a fixed 2 calendar hours; the retention k is 0.8, less 0.1 here
  // and plus 0.1 next (a unit's boost from rotation), at most 1.
  EXPECT_EQ(f.routing.enter(it, build, at_h(10), -0.1), at_h(12));
  EXPECT_EQ(it.stage, build);
  EXPECT_EQ(it.handoffs, 1);
  EXPECT_DOUBLE_EQ(it.understanding, 0.7);
  EXPECT_DOUBLE_EQ(it.handoff_h, 2);
  EXPECT_EQ(f.routing.enter(it, build, at_h(30), 0.1), at_h(32));
  EXPECT_EQ(it.handoffs, 2);
  EXPECT_DOUBLE_EQ(it.understanding, 0.63);
  EXPECT_DOUBLE_EQ(it.handoff_h, 4);
  f.routing.enter(it, build, at_h(40), 0.5);
  EXPECT_DOUBLE_EQ(it.understanding, 0.63) << "retention is capped at 1";
}

TEST(Routing, EntersAStageWithoutAHandoffAtOnce) {
  const Fixture f;
  Item it = item_of(change);
  EXPECT_EQ(f.routing.start(it), stage_of(f.s, change, "analysis"));
  EXPECT_EQ(f.routing.enter(it, stage_of(f.s, change, "analysis"), at_h(10), 0.0), at_h(10));
  EXPECT_EQ(it.handoffs, 0);
  EXPECT_DOUBLE_EQ(it.understanding, 1);
  EXPECT_DOUBLE_EQ(it.handoff_h, 0);
}

TEST(Routing, ReworkWaitsTheHandoffDelayButCountsNoHandoff) {
  const Fixture f;
  Item it = item_of(change);
  it.in_rework = true;
  EXPECT_EQ(f.routing.enter(it, stage_of(f.s, change, "build"), at_h(10), -0.1), at_h(12));
  EXPECT_EQ(it.handoffs, 0);
  EXPECT_DOUBLE_EQ(it.understanding, 1);
  EXPECT_DOUBLE_EQ(it.handoff_h, 2);
}

TEST(Routing, CountsAHandoffDelayInBusinessTimeOnTheBusinessCalendar) {
  // 2 business hours from Friday 16:00: one on Friday, one on Monday from 09:00.
  const Fixture f({"mechanisms.handoff.delay=2bh"});
  Item it = item_of(change);
  const double friday_16 = 4 * 24 + 16;
  EXPECT_EQ(f.routing.enter(it, stage_of(f.s, change, "build"), at_h(friday_16), 0.0),
            at_h(7 * 24 + 10));
  EXPECT_DOUBLE_EQ(it.handoff_h, 7 * 24 + 10 - friday_16);
}

TEST(Routing, WaitsForTheNextGate) {
  // The release gate meets every week at 34h (Tuesdays at 10:00).
  const Fixture f;
  const std::uint32_t release = stage_of(f.s, change, "release");
  Item early = item_of(change);
  EXPECT_EQ(f.routing.enter(early, release, at_h(20), 0.0), at_h(34));
  EXPECT_DOUBLE_EQ(early.handoff_h, 14);
  Item on_time = item_of(change);
  EXPECT_EQ(f.routing.enter(on_time, release, at_h(168 + 34), 0.0), at_h(168 + 34));
  EXPECT_DOUBLE_EQ(on_time.handoff_h, 0);
  Item late = item_of(change);
  EXPECT_EQ(f.routing.enter(late, release, at_h(168 + 35), 0.0), at_h(2 * 168 + 34));
  EXPECT_DOUBLE_EQ(late.handoff_h, 167);
  EXPECT_EQ(late.handoffs, 0);
}

// A gate of a period that is not a whole number of hours: an item ready exactly at a
// meeting joins it (gates are found in whole ticks, not in rounded hours).
TEST(Routing, JoinsAMeetingItIsReadyForExactlyWhateverThePeriod) {
  const Fixture f({"models.central.routes.change.stages.release.gate={every: 20min}"});
  const std::uint32_t release = stage_of(f.s, change, "release");
  for (std::int64_t n = 1; n <= 20; ++n) {
    Item it = item_of(change);
    const sim::SimTime meeting = sim::SimTime::zero() + sim::SimDuration::minutes(20 * n);
    EXPECT_EQ(f.routing.enter(it, release, meeting, 0.0).ticks(), meeting.ticks())
        << n << " x 20min";
  }
}

TEST(Routing, AddsTheStageDelayThenTheHandoffDelayThenWaitsForTheGate) {
  // build: a 3h stage delay and the 2h handoff, then a gate every 24h at 06:00.
  const Fixture f({"models.central.routes.change.stages.build.delay=3h",
                   "models.central.routes.change.stages.build.gate={every: 24h, offset: 6h}"});
  Item it = item_of(change);
  EXPECT_EQ(f.routing.enter(it, stage_of(f.s, change, "build"), at_h(24), 0.0), at_h(30));
  EXPECT_DOUBLE_EQ(it.handoff_h, 6);
  Item on_time = item_of(change);
  EXPECT_EQ(f.routing.enter(on_time, stage_of(f.s, change, "build"), at_h(25), 0.0), at_h(30));
  EXPECT_DOUBLE_EQ(on_time.handoff_h, 5);
  Item late = item_of(change);
  EXPECT_EQ(f.routing.enter(late, stage_of(f.s, change, "build"), at_h(26), 0.0), at_h(54));
  EXPECT_DOUBLE_EQ(late.handoff_h, 28);
}

TEST(Routing, ComposesTheMultipliersOfAVisitsWork) {
  // build does half of the 10h effort: x 1.3 for knowledge, x 1.2 for a context switch
  // (context_switch_cost 0.2); coordinating spanning work adds no work (M6: duration).
  const Fixture f;
  Item it = item_of(change);
  it.effort_h = 10;
  f.routing.enter(it, stage_of(f.s, change, "build"), at_h(0), 0.0);
  EXPECT_DOUBLE_EQ(f.routing.visit_work(it, f.routing.stage(it), 1, false), 5);
  EXPECT_NEAR(f.routing.visit_work(it, f.routing.stage(it), 1.3, false), 6.5, 1e-12);
  EXPECT_NEAR(f.routing.visit_work(it, f.routing.stage(it), 1.3, true), 5 * 1.3 * 1.2, 1e-12);
  it.spanning = true;
  EXPECT_NEAR(f.routing.visit_work(it, f.routing.stage(it), 1.3, true), 5 * 1.3 * 1.2, 1e-12);
  // Rework redoes 40% of the work.
  it.in_rework = true;
  EXPECT_NEAR(f.routing.visit_work(it, f.routing.stage(it), 1.3, true), 5 * 0.4 * 1.3 * 1.2, 1e-12);
}

TEST(Routing, CoordinationStretchesASpanningItemsTimeAtTheStageNotItsWork) {
  // build coordinates spanning work (factor 2.5): after 6 h of service a spanning item
  // waits 1.5 x 6 = 9 h more; one that does not span, or at a stage that does not
  // coordinate (release), waits nothing.
  const Fixture f;
  Item it = item_of(change);
  f.routing.enter(it, stage_of(f.s, change, "build"), at_h(0), 0.0);
  EXPECT_DOUBLE_EQ(f.routing.coordination_wait_h(it, f.routing.stage(it), 6), 0);
  it.spanning = true;
  EXPECT_NEAR(f.routing.coordination_wait_h(it, f.routing.stage(it), 6), 9, 1e-12);
  Item rel = item_of(change);
  rel.spanning = true;
  f.routing.enter(rel, stage_of(f.s, change, "release"), at_h(0), 0.0);
  EXPECT_DOUBLE_EQ(f.routing.coordination_wait_h(rel, f.routing.stage(rel), 6), 0);
}

TEST(Routing, TakesAStagesServiceTimeInsteadOfTheEffort) {
  // l1 of incidents has a fixed 30min handle time, whatever the item's effort.
  const Fixture f;
  Item it = item_of(incident);
  it.effort_h = 7;
  f.routing.enter(it, stage_of(f.s, incident, "l1"), at_h(0), 0.0);
  EXPECT_DOUBLE_EQ(f.routing.visit_work(it, f.routing.stage(it), 1, false), 0.5);
  EXPECT_NEAR(f.routing.visit_work(it, f.routing.stage(it), 1.21, true), 0.5 * 1.21 * 1.2, 1e-12);
}

TEST(Routing, SendsWorkBackWithTheProbabilityOfMisunderstanding) {
  // u = 0.8 x (1 - 0.5 x (1 - 0.6)) = 0.64: rework with probability 0.36.
  const Fixture f;
  const std::uint32_t build = stage_of(f.s, change, "build");
  const std::uint32_t analysis = stage_of(f.s, change, "analysis");
  constexpr int n = 200000;
  int reworked = 0;
  for (int i = 0; i < n; ++i) {
    Item it = item_of(change, sales, 1000 + static_cast<std::uint64_t>(i));
    it.stage = build;
    it.understanding = 0.8;
    ASSERT_TRUE(f.routing.stage(it).rework_to.has_value());
    const auto back = f.routing.rework(it, f.routing.stage(it), 0.6);
    if (back) {
      ++reworked;
      EXPECT_EQ(*back, analysis);
      EXPECT_TRUE(it.in_rework);
      EXPECT_EQ(it.reworks, 1);
    } else {
      EXPECT_FALSE(it.in_rework);
      EXPECT_EQ(it.reworks, 0);
    }
  }
  EXPECT_NEAR(reworked / double(n), 0.36, six_sigma(0.36, n));
}

TEST(Routing, NeverSendsBackWorkThatWasFullyUnderstood) {
  const Fixture f;
  Item it = item_of(change);
  it.stage = stage_of(f.s, change, "build");
  it.in_rework = true;
  for (int i = 0; i < 1000; ++i)
    EXPECT_FALSE(f.routing.rework(it, f.routing.stage(it), 1).has_value());
  EXPECT_FALSE(it.in_rework);
  it.stage = stage_of(f.s, change, "release");
  EXPECT_FALSE(f.routing.stage(it).rework_to.has_value());
}

TEST(Routing, TakesTheFinalUnderstandingWithTheLastDoersKnowledge) {
  const Fixture f;
  Item it = item_of(change);
  it.understanding = 0.64;
  EXPECT_NEAR(f.routing.final_understanding(it, 0.3), 0.64 * 0.65, 1e-12);
  EXPECT_DOUBLE_EQ(f.routing.final_understanding(it, 1), 0.64);
}

TEST(Routing, ChoosesTheNextStageWithTheRoutingRowsFrequencies) {
  // l1 of incidents: done 0.8, l2 0.2.
  const Fixture f;
  const std::uint32_t l1 = stage_of(f.s, incident, "l1");
  const std::uint32_t l2 = stage_of(f.s, incident, "l2");
  constexpr int n = 200000;
  std::array<int, 2> count{};
  Item it = item_of(incident, sales, 7);
  for (int i = 0; i < n; ++i) {
    it.stage = l1;
    const std::uint32_t next = f.routing.next_stage(it, f.routing.stage(it));
    ASSERT_TRUE(next == l2 || next == Scenario::Next::done) << next;
    ++count[next == l2 ? 1 : 0];
  }
  EXPECT_NEAR(count[1] / double(n), 0.2, six_sigma(0.2, n));
  EXPECT_EQ(it.rng.draws(), std::uint64_t{n});
}

TEST(Routing, FollowsARowWithoutAChoiceWithoutADraw) {
  const Fixture f;
  Item it = item_of(change);
  it.stage = stage_of(f.s, change, "analysis");
  EXPECT_EQ(f.routing.next_stage(it, f.routing.stage(it)), stage_of(f.s, change, "build"));
  it.stage = stage_of(f.s, change, "release");
  EXPECT_EQ(f.routing.next_stage(it, f.routing.stage(it)), Scenario::Next::done);
  EXPECT_EQ(it.rng.draws(), 0U);
}

TEST(Routing, SendsSpanningWorkToTheNextUnitsTeamOnce) {
  const Fixture f;
  Item it = item_of(project, finance);
  it.spanning = true;
  it.stage = stage_of(f.s, project, "build");
  EXPECT_TRUE(f.routing.to_second_team(it, f.routing.stage(it)));
  EXPECT_EQ(it.home_unit, sales); // finance + 1 wraps round to sales
  EXPECT_TRUE(it.second_team_done);
  EXPECT_FALSE(f.routing.to_second_team(it, f.routing.stage(it)));
  EXPECT_EQ(it.home_unit, finance);
  Item single = item_of(project, sales);
  single.stage = stage_of(f.s, project, "build");
  EXPECT_FALSE(f.routing.to_second_team(single, f.routing.stage(single)));
  EXPECT_EQ(single.home_unit, sales);
  // A stage that coordinates spanning work sends it to no second team.
  Item coordinated = item_of(change, sales);
  coordinated.spanning = true;
  coordinated.stage = stage_of(f.s, change, "build");
  EXPECT_FALSE(f.routing.to_second_team(coordinated, f.routing.stage(coordinated)));
  EXPECT_EQ(coordinated.home_unit, sales);
}

} // namespace
} // namespace itsim::models::detail
