// SPDX-License-Identifier: Apache-2.0
// Value, urgency, downtime and staff cost (MODEL.md M8, M10) driven without the
// coordinator, against hand calculations.
#include "value.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "part_scenario.hpp"

namespace itsim::models::detail {
namespace {

using namespace part_test;
using scenarios::Scenario;
using Urgency = Scenario::Urgency;

struct Fixture {
  explicit Fixture(const std::vector<std::string>& overrides = {})
      : s(load_part_scenario(overrides)),
        value(s, s.calendars.at(1).calendar, MoneyWindow::of(s, 0)) {}
  Scenario s;
  ValueAccount value;
};

Item item_of(std::uint32_t w, std::uint32_t unit, double created_h) {
  Item it;
  it.work_type = w;
  it.unit = it.home_unit = unit;
  it.created = at_h(created_h);
  return it;
}

TEST(ValueAccount, KeepsWhatTheUrgencyProfileLeavesAfterTheLeadTime) {
  // Half-life 10 weeks, deadline 4 weeks.
  const Fixture f({"mechanisms.value.decay_half_life=10w", "mechanisms.value.deadline=4w"});
  const ValueAccount& v = f.value;
  EXPECT_DOUBLE_EQ(v.urgency(Urgency::none, 1e6, 100), 1);
  EXPECT_DOUBLE_EQ(v.urgency(Urgency::linear, 0, 100), 1);
  EXPECT_DOUBLE_EQ(v.urgency(Urgency::linear, 50, 100), 0.5);
  EXPECT_DOUBLE_EQ(v.urgency(Urgency::linear, 75, 100), 0.25);
  EXPECT_DOUBLE_EQ(v.urgency(Urgency::linear, 150, 100), 0);
  EXPECT_DOUBLE_EQ(v.urgency(Urgency::decaying, 0, 100), 1);
  EXPECT_DOUBLE_EQ(v.urgency(Urgency::decaying, 1680, 100), 0.5);
  EXPECT_DOUBLE_EQ(v.urgency(Urgency::decaying, 3360, 100), 0.25);
  EXPECT_DOUBLE_EQ(v.urgency(Urgency::fixed_date, 672, 100), 1);
  EXPECT_DOUBLE_EQ(v.urgency(Urgency::fixed_date, 672.001, 100), 0);
}

TEST(ValueAccount, EarnsTheValueOfALifeTimesQualityTimesUrgencyWhenTheLifeFitsTheRun) {
  // 100 a week over 52 weeks = 5200; u = 0.6 gives q = 1 - 0.5 x 0.4 = 0.8; 13 weeks of
  // the linear urgency's 52 leave 0.75. Delivered at week 13 of a 2-year run, its whole
  // life (to week 65) falls in the window: it earns all it is worth.
  const Fixture f({"horizon=2y"});
  Item it = item_of(change, finance, 0);
  it.value_week = 100;
  it.understanding_final = 0.6;
  const DeliveryMoney d = f.value.delivered(it, 13 * 168, at_h(13 * 168));
  EXPECT_NEAR(d.value, 5200 * 0.8 * 0.75, 1e-9);
  EXPECT_NEAR(d.whole_life, 5200 * 0.8 * 0.75, 1e-9);
  EXPECT_NEAR(d.per_hour, 100.0 / 168 * 0.8 * 0.75, 1e-12);
  EXPECT_DOUBLE_EQ(d.from_h, 13 * 168);
  EXPECT_DOUBLE_EQ(d.until_h, 65 * 168);
  EXPECT_NEAR(d.lost_to_delay, 5200 * 0.8 * 0.25, 1e-9);
  EXPECT_DOUBLE_EQ(d.customer, 0); // finance faces no customers
  EXPECT_DOUBLE_EQ(d.downtime, 0); // nor is a change downtime
  it.unit = sales;
  EXPECT_NEAR(f.value.delivered(it, 13 * 168, at_h(13 * 168)).customer, 5200 * 0.8 * 0.75, 1e-9);
  // Full understanding keeps the whole quality.
  it.understanding_final = 1;
  EXPECT_NEAR(f.value.delivered(it, 0, at_h(0)).value, 5200, 1e-9);
}

TEST(ValueAccount, EarnsOnlyTheWeeksOfTheLifeBeforeTheHorizon) {
  // The part scenario runs 1000 hours. Delivered at hour 160 (no delay: urgency 1, full
  // understanding), the item earns 100 a week for 840 hours: 500, of a whole life of 5200.
  const Fixture f;
  Item it = item_of(change, sales, 160);
  it.value_week = 100;
  const DeliveryMoney d = f.value.delivered(it, 0, at_h(160));
  EXPECT_NEAR(d.value, 100.0 * 840 / 168, 1e-9);
  EXPECT_NEAR(d.customer, d.value, 1e-12); // sales faces customers: the same base
  EXPECT_NEAR(d.whole_life, 5200, 1e-9);
  EXPECT_DOUBLE_EQ(d.lost_to_delay, 0);
  EXPECT_DOUBLE_EQ(d.until_h, 1000);
  // Delivered at the horizon it has earned nothing yet.
  EXPECT_DOUBLE_EQ(f.value.delivered(it, 0, at_h(1000)).value, 0);
  // After a 100-hour warm-up the window starts then: the item, raised and delivered after
  // it, still earns its 840 hours.
  const Fixture late({"warmup=100h"});
  const ValueAccount late_value(late.s, late.s.calendars.at(1).calendar,
                                MoneyWindow::of(late.s, 100));
  EXPECT_NEAR(late_value.delivered(it, 0, at_h(160)).value, 500, 1e-9);
}

TEST(ValueAccount, DiscountsWhatADeliveryEarnsToTheStartOfTheWindow) {
  // At 8% a year from a warm-up ending at hour 100, 1 at hour t is worth 1.08^-((t-100)/8760);
  // 100 a week from hour 160 to the horizon (1000) earns the integral of that, by hand.
  const Fixture f({"discount_rate=0.08"});
  const ValueAccount v(f.s, f.s.calendars.at(1).calendar, MoneyWindow::of(f.s, 100));
  Item it = item_of(change, finance, 160);
  it.value_week = 100;
  auto at = [](double h) { return std::pow(1.08, -(h - 100) / 8760); };
  const double hours = (at(160) - at(1000)) / std::log(1.08) * 8760;
  const DeliveryMoney d = v.delivered(it, 0, at_h(160));
  EXPECT_NEAR(d.value, 100.0 / 168 * hours, 1e-9);
  EXPECT_LT(d.value, 500);
  EXPECT_GT(d.value, 500 * at(1000));
  EXPECT_NEAR(d.whole_life, 5200, 1e-9); // a stake: undiscounted
}

TEST(MoneyWindow, DiscountsContinuouslyAtTheAnnualRate) {
  const MoneyWindow none(100, 1000, 0);
  EXPECT_DOUBLE_EQ(none.factor(5000), 1);
  EXPECT_DOUBLE_EQ(none.accrued(0, 2000), 900); // clipped to the window
  EXPECT_DOUBLE_EQ(none.accrued(200, 300), 100);
  EXPECT_DOUBLE_EQ(none.accrued(300, 200), 0);
  EXPECT_DOUBLE_EQ(none.accrued(1000, 1200), 0);
  EXPECT_DOUBLE_EQ(none.mean_factor(200, 300), 1);
  // A year after the window's start 1 is worth 1 / 1.1; half a year, 1 / sqrt(1.1).
  const MoneyWindow w(100, 100 + 2 * 8760, 0.1);
  EXPECT_DOUBLE_EQ(w.factor(100), 1);
  EXPECT_NEAR(w.factor(100 + 8760), 1 / 1.1, 1e-15);
  EXPECT_NEAR(w.factor(100 + 4380), 1 / std::sqrt(1.1), 1e-15);
  // 1 an hour over the first year: the integral of 1.1^-(t/8760), (1 - 1/1.1) / ln 1.1 years.
  EXPECT_NEAR(w.accrued(100, 100 + 8760), (1 - 1 / 1.1) / std::log(1.1) * 8760, 1e-8);
  EXPECT_NEAR(w.accrued(0, 100 + 8760), w.accrued(100, 100 + 8760), 1e-12);
  // Over one hour it is about the factor at its middle; the mean factor likewise.
  EXPECT_NEAR(w.accrued(5000, 5001), w.factor(5000.5), 1e-9);
  EXPECT_NEAR(w.mean_factor(5000, 5001), w.factor(5000.5), 1e-9);
  EXPECT_NEAR(w.mean_factor(100, 100 + 8760), w.accrued(100, 100 + 8760) / 8760, 1e-12);
  EXPECT_DOUBLE_EQ(w.mean_factor(300, 300), w.factor(300));
  // A negligible rate gives the undiscounted hours (no loss of precision).
  EXPECT_NEAR(MoneyWindow(0, 1000, 1e-12).accrued(0, 1000), 1000, 1e-9);
}

TEST(ValueAccount, PricesOpenWorkAsADeliveryNowWithTheUnderstandingSoFar) {
  // Open 26 weeks: the linear urgency leaves 0.5. Two handoffs at 0.8 left u = 0.64, so
  // q = 1 - 0.5 x 0.36 = 0.82; the knowledge term of a last visit not yet made is left out.
  const Fixture f;
  Item it = item_of(change, sales, 0);
  it.value_week = 100;
  it.understanding = 0.64;
  it.understanding_final = 0.1; // not used: set only at delivery
  const DeliveryMoney d = f.value.open_at_end(it, 26 * 168);
  EXPECT_NEAR(d.value, 5200 * 0.82 * 0.5, 1e-9);
  EXPECT_NEAR(d.lost_to_delay, 5200 * 0.82 * 0.5, 1e-9);
  EXPECT_DOUBLE_EQ(d.customer, 0);
  EXPECT_DOUBLE_EQ(d.downtime, 0);
  // The same item delivered now with that understanding is worth just as much over its life
  // (whole life, undiscounted: what is at stake, not what the run earns of it).
  it.understanding_final = 0.64;
  EXPECT_DOUBLE_EQ(f.value.delivered(it, 26 * 168, at_h(26 * 168)).whole_life, d.value);
  // Past its value life nothing is left to earn; work without value has none at risk.
  EXPECT_DOUBLE_EQ(f.value.open_at_end(it, 60 * 168).value, 0);
  EXPECT_NEAR(f.value.open_at_end(it, 60 * 168).lost_to_delay, 5200 * 0.82, 1e-9);
  const DeliveryMoney inc = f.value.open_at_end(item_of(incident, sales, 0), 100);
  EXPECT_DOUBLE_EQ(inc.value, 0);
  EXPECT_DOUBLE_EQ(inc.lost_to_delay, 0);
  EXPECT_DOUBLE_EQ(inc.downtime, 0);
}

TEST(ValueAccount, CostsAnIncidentsUsersTheirWorkingHoursWhileItIsOpen) {
  // Open from Monday 09:00 to Tuesday 11:00: 8 + 2 business hours (33 calendar hours);
  // a P1 stops 50 users at 60 an hour.
  const Fixture f;
  Item it = item_of(incident, finance, 9);
  it.priority = 0;
  const DeliveryMoney d = f.value.delivered(it, 26, at_h(35));
  EXPECT_NEAR(d.downtime, 50 * 60 * 10, 1e-6);
  EXPECT_DOUBLE_EQ(d.value, 0); // no value modelled
  // A P3 stops 3; overnight and weekends cost nothing.
  it.priority = 2;
  it.created = at_h(4 * 24 + 16); // Friday 16:00 to Monday 10:00: 2 business hours
  EXPECT_NEAR(f.value.delivered(it, 66, at_h(7 * 24 + 10)).downtime, 3 * 60 * 2, 1e-6);
}

TEST(ValueAccount, MultipliesTheDowntimeOfCustomerFacingUnits) {
  const Fixture f(
      {"mechanisms.value.customer_facing_factor=4", "mechanisms.value.user_hour_cost=50"});
  Item it = item_of(incident, sales, 9);
  it.priority = 1; // P2: 10 users
  const DeliveryMoney d = f.value.delivered(it, 26, at_h(35));
  EXPECT_NEAR(d.downtime, 10 * 50 * 10 * 4, 1e-6);
  EXPECT_DOUBLE_EQ(d.customer, 0); // downtime is no customer value
}

TEST(ValueAccount, CostsStaffFortyPaidHoursAWeek) {
  // desk 4 x 40 (first line), dev 6 x 80 and the squad's 4 dev people (2 copies) x 80:
  // 960 an hour of paid time, 40 of every 168 hours.
  const Fixture f;
  const ValueAccount::StaffCost c = ValueAccount::staff_cost(f.s.models[0], {100, 268, 0});
  EXPECT_NEAR(c.per_hour, 960 * 40.0 / 168, 1e-9);
  EXPECT_NEAR(c.total, 960 * 40, 1e-9);
  EXPECT_NEAR(c.first_line, 4 * 40 * 40, 1e-9);
  EXPECT_DOUBLE_EQ(ValueAccount::staff_cost(f.s.models[0], {100, 100, 0}).total, 0);
  // Discounted, the staff cost of a year is a year of hours worth (1 - 1/1.1) / ln 1.1 of
  // them; the first line's stays undiscounted (a cost per ticket is a price, not a flow).
  const ValueAccount::StaffCost d = ValueAccount::staff_cost(f.s.models[0], {0, 8760, 0.1});
  EXPECT_NEAR(d.total, 960 * 40.0 / 168 * 8760 * (1 - 1 / 1.1) / std::log(1.1), 1e-6);
  EXPECT_NEAR(d.first_line, 4 * 40 * 40.0 / 168 * 8760, 1e-6);
}

TEST(ValueAccount, DiscountsDowntimeOverTheHoursTheIncidentWasOpen) {
  // The P1 of CostsAnIncidentsUsersTheirWorkingHoursWhileItIsOpen (30000) at 10% a year,
  // open from hour 9 to 35: its cost times the mean factor over those hours.
  const Fixture f({"discount_rate=0.1"});
  Item it = item_of(incident, finance, 9);
  it.priority = 0;
  auto at = [](double h) { return std::pow(1.1, -h / 8760); };
  const double mean = (at(9) - at(35)) / std::log(1.1) * 8760 / 26;
  EXPECT_NEAR(f.value.delivered(it, 26, at_h(35)).downtime, 50 * 60 * 10 * mean, 1e-6);
}

} // namespace
} // namespace itsim::models::detail
