// SPDX-License-Identifier: Apache-2.0
// Business knowledge (MODEL.md M4) driven without the coordinator: Wright's learning curve
// on the gap to full knowledge, monthly decay of experience, one account per station and
// unit, and the effort multiplier.
#include "knowledge.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "part_scenario.hpp"

namespace itsim::models::detail {
namespace {

using namespace part_test;

// K = 1 - (1 - K0) (1 + e / L)^log2(pr), e the experience per person.
double wright(double k0, double person_hours, double people, double pr, double l) {
  return 1 - (1 - k0) * std::pow(1 + person_hours / people / l, std::log2(pr));
}

TEST(Knowledge, StartsAtK0WithoutExperience) {
  const scenarios::Scenario s = load_part_scenario();
  Knowledge k(s.mechanisms, s.units.size());
  EXPECT_EQ(k.add_station(0.3, 4), 0U);
  EXPECT_EQ(k.add_station(0.6, 2), 1U);
  EXPECT_DOUBLE_EQ(k.level(0, sales, at_h(0)), 0.3);
  EXPECT_DOUBLE_EQ(k.level(0, finance, at_h(5000)), 0.3);
  EXPECT_DOUBLE_EQ(k.level(1, sales, at_h(100)), 0.6);
  EXPECT_DOUBLE_EQ(k.experience(1, finance), 0);
}

TEST(Knowledge, RisesAlongWrightsCurveWithExperiencePerPerson) {
  // pr 0.8, L 100h: 4 people who did 400 person-hours have e/L = 1, one doubling of
  // (1 + e/L), which leaves 0.8 of the gap: K = 1 - 0.7 x 0.8 = 0.44.
  const scenarios::Scenario s = load_part_scenario(
      {"mechanisms.knowledge.progress_ratio=0.8", "mechanisms.knowledge.learning_hours=100h"});
  Knowledge k(s.mechanisms, s.units.size());
  k.add_station(0.3, 4);
  k.learn(0, sales, 400, at_h(10));
  EXPECT_NEAR(k.level(0, sales, at_h(10)), 0.44, 1e-12);
  k.learn(0, sales, 250, at_h(10));
  EXPECT_NEAR(k.level(0, sales, at_h(10)), wright(0.3, 650, 4, 0.8, 100), 1e-12);
  // Three doublings of 1 + e/L (e/L = 7) leave 0.8^3 of the gap.
  k.learn(0, sales, 2150, at_h(10));
  EXPECT_NEAR(k.level(0, sales, at_h(10)), 1 - 0.7 * 0.512, 1e-12);
  EXPECT_LT(k.level(0, sales, at_h(10)), 1);
}

TEST(Knowledge, HalvesTheGainWithTwiceThePeople) {
  // The same person-hours spread over twice the people is half the experience each.
  const scenarios::Scenario s = load_part_scenario();
  Knowledge k(s.mechanisms, s.units.size());
  k.add_station(0.3, 2);
  k.add_station(0.3, 4);
  k.learn(0, sales, 160, at_h(0));
  k.learn(1, sales, 320, at_h(0));
  EXPECT_NEAR(k.level(0, sales, at_h(0)), k.level(1, sales, at_h(0)), 1e-12);
  EXPECT_NEAR(k.level(0, sales, at_h(0)), wright(0.3, 160, 2, 0.85, 160), 1e-12);
}

TEST(Knowledge, DecaysExperienceByTheMonthlyRetentionPerMonth) {
  // A month is 8760 / 12 = 730 hours: after exactly two, retention^2 is left.
  const scenarios::Scenario s = load_part_scenario({"mechanisms.knowledge.monthly_retention=0.6"});
  Knowledge k(s.mechanisms, s.units.size());
  k.add_station(0.3, 4);
  k.learn(0, sales, 500, at_h(100));
  const double k_then = k.level(0, sales, at_h(100));
  const double k_later = k.level(0, sales, at_h(100 + 2 * 730));
  EXPECT_NEAR(k.experience(0, sales), 500 * 0.36, 1e-9);
  EXPECT_NEAR(k_later, wright(0.3, 180, 4, 0.85, 160), 1e-12);
  EXPECT_LT(k_later, k_then);
  EXPECT_GT(k_later, 0.3);
  // Half a month more: retention^0.5.
  k.level(0, sales, at_h(100 + 2.5 * 730));
  EXPECT_NEAR(k.experience(0, sales), 500 * 0.36 * std::sqrt(0.6), 1e-9);
}

TEST(Knowledge, DecaysWhatWasLearntBeforeAddingNewExperience) {
  const scenarios::Scenario s = load_part_scenario({"mechanisms.knowledge.monthly_retention=0.5"});
  Knowledge k(s.mechanisms, s.units.size());
  k.add_station(0.3, 1);
  k.learn(0, finance, 100, at_h(0));
  k.learn(0, finance, 100, at_h(730));
  EXPECT_NEAR(k.experience(0, finance), 150, 1e-9);
  k.learn(0, finance, 10, at_h(730 * 3));
  EXPECT_NEAR(k.experience(0, finance), 150 * 0.25 + 10, 1e-9);
}

TEST(Knowledge, KeepsOneAccountPerStationAndUnit) {
  const scenarios::Scenario s = load_part_scenario();
  Knowledge k(s.mechanisms, s.units.size());
  k.add_station(0.3, 4);
  k.add_station(0.3, 4);
  k.learn(0, sales, 1000, at_h(0));
  EXPECT_GT(k.level(0, sales, at_h(0)), 0.3);
  EXPECT_DOUBLE_EQ(k.level(0, finance, at_h(0)), 0.3);
  EXPECT_DOUBLE_EQ(k.level(1, sales, at_h(0)), 0.3);
  EXPECT_DOUBLE_EQ(k.experience(0, finance), 0);
  EXPECT_DOUBLE_EQ(k.experience(1, sales), 0);
}

TEST(Knowledge, MultipliesEffortByOnePlusThePenaltyOfTheGap) {
  const scenarios::Scenario s = load_part_scenario({"mechanisms.knowledge.effort_penalty=0.5"});
  const Knowledge k(s.mechanisms, s.units.size());
  EXPECT_DOUBLE_EQ(k.effort_multiplier(1), 1);
  EXPECT_DOUBLE_EQ(k.effort_multiplier(0.3), 1.35);
  EXPECT_DOUBLE_EQ(k.effort_multiplier(0), 1.5);
}

} // namespace
} // namespace itsim::models::detail
