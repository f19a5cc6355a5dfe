// SPDX-License-Identifier: Apache-2.0
// The requesters' side (MODEL.md M9) driven without the coordinator: patience used in its
// own time base, the moment a requester gives up, shadow builds, rising expectations and
// the perception score.
#include "requesters.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "part_scenario.hpp"

namespace itsim::models::detail {
namespace {

using namespace part_test;
using scenarios::Scenario;

struct Fixture {
  explicit Fixture(const std::vector<std::string>& overrides = {})
      : s(load_part_scenario(overrides)),
        requesters(s, s.calendars.at(1).calendar, MoneyWindow::of(s, 0)) {}
  Scenario s;
  Requesters requesters;
};

Item item_of(std::uint32_t w, double patience_h, std::uint64_t seed = 1) {
  Item it;
  it.rng.reseed(seed);
  it.work_type = w;
  it.patience_left_h = patience_h;
  return it;
}

constexpr double friday_16 = 4 * 24 + 16;
constexpr double monday_10 = 7 * 24 + 10;

TEST(Requesters, UseUpPatienceInTheWorkTypesTimeBase) {
  // Friday 16:00 to Monday 10:00 is 66 calendar hours but 2 business hours.
  const Fixture f;
  Item req = item_of(request, 20); // patience in business time (3bd)
  f.requesters.use_patience(req, at_h(friday_16), at_h(monday_10));
  EXPECT_DOUBLE_EQ(req.patience_left_h, 18);
  Item chg = item_of(change, 100); // patience in calendar time (2w)
  f.requesters.use_patience(chg, at_h(friday_16), at_h(monday_10));
  EXPECT_DOUBLE_EQ(chg.patience_left_h, 34);
  f.requesters.use_patience(chg, at_h(monday_10), at_h(monday_10 + 50));
  EXPECT_DOUBLE_EQ(chg.patience_left_h, 0);
}

TEST(Requesters, GiveUpWhenThePatienceLeftRunsOutInItsTimeBase) {
  const Fixture f;
  // 3 business hours from Friday 16:00: Monday 11:00.
  EXPECT_EQ(f.requesters.patience_deadline(item_of(request, 3), at_h(friday_16)),
            at_h(monday_10 + 1));
  EXPECT_EQ(f.requesters.patience_deadline(item_of(change, 3), at_h(friday_16)),
            at_h(friday_16 + 3));
}

TEST(Requesters, NeverBuildWorkWithoutValueOutsideIt) {
  const Fixture f({"mechanisms.shadow.build_share=1"});
  for (std::uint64_t k = 0; k < 1000; ++k) {
    Item it = item_of(request, 0, k);
    const Requesters::Abandonment a = f.requesters.abandoned(it, 1, at_h(0));
    EXPECT_FALSE(a.shadow_build);
    EXPECT_DOUBLE_EQ(a.money.value, 0);
    EXPECT_DOUBLE_EQ(a.money.cost, 0);
    EXPECT_LT(a.incident_h, 0);
    EXPECT_EQ(it.rng.draws(), 0U);
  }
}

TEST(Requesters, BuildTheBuildShareOfAbandonedWorkWithValue) {
  const Fixture f({"mechanisms.shadow.build_share=0.6"}); // MODEL.md M9's 60%
  constexpr int n = 100000;
  int built = 0;
  for (int k = 0; k < n; ++k) {
    Item it = item_of(change, 0, 100 + static_cast<std::uint64_t>(k));
    it.value_week = 100;
    built += f.requesters.abandoned(it, 1, at_h(0)).shadow_build;
  }
  EXPECT_NEAR(built / double(n), 0.6, six_sigma(0.6, n));
}

TEST(Requesters, BuildNothingOutsideItByDefault) {
  // Neutral by default (build_share 0): requesters who give up just leave, and no shadow
  // system raises a later incident into IT.
  const Fixture f;
  for (std::uint64_t k = 0; k < 1000; ++k) {
    Item it = item_of(change, 0, 100 + k);
    it.value_week = 100;
    const Requesters::Abandonment a = f.requesters.abandoned(it, 1, at_h(0));
    EXPECT_FALSE(a.shadow_build);
    EXPECT_DOUBLE_EQ(a.money.cost, 0);
    EXPECT_LT(a.incident_h, 0);
  }
}

TEST(Requesters, PriceAShadowBuildByHand) {
  // Built at the start of a 2-year run, its whole 52-week life falls in the window: value
  // 100 x 52 weeks x 0.6 x urgency 0.5 = 1560; cost 10h x 1.5 x 60 + 20 x 52 = 1940;
  // a follow-up incident after an exponential delay of mean 26 weeks / 2 = 2184 h.
  const Fixture f(
      {"mechanisms.shadow.build_share=1", "mechanisms.shadow.run_cost_per_week=20", "horizon=2y"});
  constexpr int n = 100000;
  double incident_sum = 0;
  for (int k = 0; k < n; ++k) {
    Item it = item_of(change, 0, 7 + static_cast<std::uint64_t>(k));
    it.value_week = 100;
    it.effort_h = 10;
    const Requesters::Abandonment a = f.requesters.abandoned(it, 0.5, at_h(0));
    ASSERT_TRUE(a.shadow_build);
    ASSERT_NEAR(a.money.value, 1560, 1e-9);
    ASSERT_NEAR(a.money.cost, 1940, 1e-9);
    ASSERT_NEAR(a.money.build_cost, 900, 1e-9);
    ASSERT_NEAR(a.money.whole_life_cost, 1940, 1e-9); // its life lies in the window
    ASSERT_GT(a.incident_h, 0);
    incident_sum += a.incident_h;
  }
  EXPECT_NEAR(incident_sum / n, 2184, 6 * 2184 / std::sqrt(double(n)));
}

TEST(Requesters, CountAShadowSystemOnlyAsFarAsTheWindowGoesAndDiscountIt) {
  // Built at hour 200 of a 1000-hour run: 800 of its 8736 hours of life fall in the window.
  Item it = item_of(change, 0, 7);
  it.value_week = 100;
  it.effort_h = 10;
  const Fixture plain(
      {"mechanisms.shadow.build_share=1", "mechanisms.shadow.run_cost_per_week=20"});
  Item copy = it;
  const ShadowMoney m = plain.requesters.abandoned(copy, 0.5, at_h(200)).money;
  EXPECT_NEAR(m.value, 100.0 / 168 * 0.6 * 0.5 * 800, 1e-9);
  EXPECT_NEAR(m.cost, 900 + 20.0 / 168 * 800, 1e-9);
  EXPECT_DOUBLE_EQ(m.from_h, 200);
  EXPECT_DOUBLE_EQ(m.until_h, 1000);
  // The share of spend counts it over its whole life: 52 weeks of running cost.
  EXPECT_NEAR(m.whole_life_cost, 900 + 20.0 * 52, 1e-9);
  // At 10% a year, the build is worth 1.1^-(200/8760) at the window's start, and a flow of 1
  // an hour over [200, 1000] the integral of 1.1^-(t/8760): (d(200) - d(1000)) / ln(1.1) per
  // year.
  const Fixture f({"mechanisms.shadow.build_share=1", "mechanisms.shadow.run_cost_per_week=20",
                   "discount_rate=0.1"});
  copy = it;
  const ShadowMoney d = f.requesters.abandoned(copy, 0.5, at_h(200)).money;
  auto at = [](double h) { return std::pow(1.1, -h / 8760); };
  const double hours = (at(200) - at(1000)) / std::log(1.1) * 8760;
  EXPECT_NEAR(d.build_cost, 900 * at(200), 1e-9);
  EXPECT_NEAR(d.value, 100.0 / 168 * 0.6 * 0.5 * hours, 1e-9);
  EXPECT_NEAR(d.cost, 900 * at(200) + 20.0 / 168 * hours, 1e-9);
  EXPECT_LT(d.value, m.value);
}

TEST(Requesters, RaiseNoShadowIncidentWithoutAnIncidentFactor) {
  const Fixture f({"mechanisms.shadow.build_share=1", "mechanisms.shadow.incident_factor=0"});
  Item it = item_of(change, 0);
  it.value_week = 100;
  const Requesters::Abandonment a = f.requesters.abandoned(it, 1, at_h(0));
  EXPECT_TRUE(a.shadow_build);
  EXPECT_LT(a.incident_h, 0);
}

TEST(Requesters, ExpectShorterLeadTimesEveryYear) {
  // Enhancements: 4 weeks at the start, divided by 1.1 a year.
  const Fixture f;
  const Scenario::WorkType& chg = f.s.work_types[change];
  EXPECT_DOUBLE_EQ(f.requesters.expected_lead(chg, at_h(0)), 672);
  EXPECT_NEAR(f.requesters.expected_lead(chg, at_h(2 * 8760)), 672 / 1.21, 1e-9);
  EXPECT_NEAR(f.requesters.expected_lead(chg, at_h(4380)), 672 / std::sqrt(1.1), 1e-9);
  // Requests: 2 business days = 16 working hours, 168 / 40 calendar hours each.
  EXPECT_NEAR(f.requesters.expected_lead(f.s.work_types[request], at_h(0)), 16 * 4.2, 1e-9);
}

TEST(Requesters, ScoreADeliveryByExpectedOverActualLeadTime) {
  const Fixture f({"mechanisms.perception.expectation_rise_per_year=0.2"});
  const Scenario::WorkType& chg = f.s.work_types[change];
  EXPECT_DOUBLE_EQ(f.requesters.perception(chg, 1344, at_h(0)), 0.5);
  EXPECT_DOUBLE_EQ(f.requesters.perception(chg, 100, at_h(0)), 1);
  EXPECT_DOUBLE_EQ(f.requesters.perception(chg, 0, at_h(0)), 1);
  // A year on the same lead time scores less.
  EXPECT_NEAR(f.requesters.perception(chg, 1344, at_h(8760)), 0.5 / 1.2, 1e-12);
}

} // namespace
} // namespace itsim::models::detail
