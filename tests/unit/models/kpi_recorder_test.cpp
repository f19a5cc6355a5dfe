// SPDX-License-Identifier: Apache-2.0
// The KPI recorder driven without the coordinator: the warm-up, the counts of tickets
// (first-contact resolution, resolution at L1, SLA), money sums, every KPI written by
// finish(), the time series and the item records.
#include "kpi_recorder.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "part_scenario.hpp"

namespace itsim::models::detail {
namespace {

using namespace part_test;
using scenarios::Scenario;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Fixture {
  explicit Fixture(bool record_items = false, std::uint32_t sample_points = 0,
                   double sample_step_h = 0)
      : s(load_part_scenario()),
        kpis(s, s.calendars.at(1).calendar, at_h(100), MoneyWindow::of(s, 100), record_items,
             sample_points, sample_step_h) {}
  Scenario s;
  KpiRecorder kpis;
};

/// A hand-made item created at `created_h` (after the warm-up unless `counted` is false).
Item item_of(std::uint32_t w, std::uint8_t priority, double created_h, bool counted = true) {
  Item it;
  it.work_type = w;
  it.priority = priority;
  it.created = at_h(created_h);
  it.counted = counted;
  it.visits = 1;
  return it;
}

RunResult finished(KpiRecorder& kpis, const KpiRecorder::Closing& c = {}) {
  RunResult r;
  r.kpi.fill(nan);
  kpis.finish(r, c);
  return r;
}

constexpr double monday_9 = 168 + 9; // the second week, after the warm-up

TEST(KpiRecorder, CountsNoDemandRaisedBeforeTheWarmUpEnds) {
  Fixture f;
  EXPECT_FALSE(f.kpis.counts(at_h(99.9)));
  EXPECT_TRUE(f.kpis.counts(at_h(100)));
  f.kpis.raised(at_h(50), RaisedFate::to_it);
  f.kpis.raised(at_h(99.9), RaisedFate::self_served);
  f.kpis.raised(at_h(100), RaisedFate::to_it);
  f.kpis.raised(at_h(150), RaisedFate::self_served);
  f.kpis.raised(at_h(200), RaisedFate::prevented);
  f.kpis.raised(at_h(250), RaisedFate::to_it);
  f.kpis.shadow_incident(at_h(50));
  f.kpis.shadow_incident(at_h(150));
  f.kpis.change_failed(false);
  f.kpis.change_failed(true);
  const RunResult r = finished(f.kpis);
  EXPECT_EQ(r[Kpi::demand_generated], 4);
  EXPECT_EQ(r[Kpi::arrivals_to_it], 2);
  EXPECT_EQ(r[Kpi::self_served], 1);
  EXPECT_EQ(r[Kpi::prevented], 1);
  EXPECT_EQ(r[Kpi::shadow_incidents], 1);
  EXPECT_EQ(r[Kpi::change_failures], 1);
}

TEST(KpiRecorder, CountsFirstContactResolutionL1AndSlaOfTicketsByHand) {
  Fixture f(true);
  // a: P3 at the first line on its first visit in 2 business hours: FCR, L1, SLA (1bd).
  Item a = item_of(incident, 2, monday_9);
  f.kpis.delivered(a, 2, true, nan, {}, at_h(monday_9 + 2));
  // b: P3 back at the first line on a second visit after 10 business hours: L1 only.
  Item b = item_of(incident, 2, monday_9);
  b.visits = 2;
  f.kpis.delivered(b, 26, true, nan, {}, at_h(monday_9 + 26));
  // c: P1 (2 calendar hours) resolved by second line in 3 hours: none.
  Item c = item_of(request, 0, monday_9);
  f.kpis.delivered(c, 3, false, nan, {}, at_h(monday_9 + 3));
  // d: P1 resolved by second line in 1.5 hours: SLA only.
  Item d = item_of(incident, 0, monday_9);
  f.kpis.delivered(d, 1.5, false, nan, {}, at_h(monday_9 + 1.5));
  // A change is no ticket; an item created in the warm-up does not count.
  Item e = item_of(change, 2, monday_9);
  f.kpis.delivered(e, 100, true, nan, {}, at_h(monday_9 + 100));
  Item early = item_of(incident, 2, 50, false);
  f.kpis.delivered(early, 1, true, nan, {}, at_h(monday_9));
  const RunResult r = finished(f.kpis);
  EXPECT_EQ(r[Kpi::completed], 5);
  EXPECT_DOUBLE_EQ(r[Kpi::first_contact_resolution], 1.0 / 4);
  EXPECT_DOUBLE_EQ(r[Kpi::resolved_at_l1], 2.0 / 4);
  EXPECT_DOUBLE_EQ(r[Kpi::sla_attainment], 2.0 / 4);
  ASSERT_EQ(r.items.size(), 5U);
  EXPECT_EQ(r.items[0].sla_met, 1);
  EXPECT_EQ(r.items[1].sla_met, 0);
  EXPECT_EQ(r.items[2].sla_met, 0);
  EXPECT_EQ(r.items[3].sla_met, 1);
  EXPECT_TRUE(std::isnan(r.items[4].sla_met));
  // Lead times by kind: incidents 2, 26 and 1.5; requests 3; enhancements 100.
  EXPECT_DOUBLE_EQ(r[Kpi::incident_lead_time_p50_h], 2);
  EXPECT_DOUBLE_EQ(r[Kpi::request_lead_time_p50_h], 3);
  EXPECT_DOUBLE_EQ(r[Kpi::enhancement_lead_time_p50_h], 100);
  EXPECT_DOUBLE_EQ(r[Kpi::project_lead_time_p50_h], 0);
  EXPECT_DOUBLE_EQ(r[Kpi::lead_time_mean_h], (2 + 26 + 3 + 1.5 + 100) / 5);
  EXPECT_DOUBLE_EQ(r[Kpi::lead_time_p50_h], 3);
}

TEST(KpiRecorder, SumsTheMoneyAndTimesOfDeliveriesAndAbandonments) {
  Fixture f;
  Item inc = item_of(incident, 2, monday_9);
  inc.touch_h = 1;
  inc.wait_h = 3;
  f.kpis.delivered(inc, 4, true, 0.5, {0, 0, 0, 120}, at_h(monday_9 + 4));
  Item chg = item_of(change, 2, monday_9);
  chg.touch_h = 9;
  chg.wait_h = 40;
  chg.handoffs = 2;
  chg.handoff_h = 30;
  chg.reworks = 1;
  chg.origin = ItemOrigin::proactive;
  f.kpis.delivered(chg, 96, false, nan, {1000, 200, 1000, 0, 5000}, at_h(monday_9 + 96));
  Item built = item_of(change, 2, monday_9);
  // 50 of cost in the window, 80 over the shadow system's whole life.
  f.kpis.abandoned(built, false, true, {300, 50, 0, 0, 0, 0, 0, 80}, 0, at_h(monday_9 + 300));
  Item dropped = item_of(request, 2, monday_9);
  f.kpis.abandoned(dropped, false, false, {0, 0}, 0, at_h(monday_9 + 30));
  Item early = item_of(change, 2, 10, false);
  f.kpis.abandoned(early, false, true, {999, 999}, 0, at_h(monday_9));
  KpiRecorder::Closing c;
  c.measured_h = 900;
  c.warmup_h = 100;
  c.it_cost = 10000;
  c.it_cost_undiscounted = 10000;
  c.l1_cost = 2000;
  c.l1_handled = 40;
  c.busy_h = 300;
  c.available_h = 600;
  c.knowledge_sum = 3;
  c.knowledge_n = 4;
  c.in_flight = 7;
  const RunResult r = finished(f.kpis, c);
  EXPECT_EQ(r[Kpi::completed], 2);
  EXPECT_EQ(r[Kpi::proactive_delivered], 1);
  EXPECT_EQ(r[Kpi::abandoned], 2);
  EXPECT_EQ(r[Kpi::shadow_builds], 1);
  EXPECT_EQ(r[Kpi::backlog_end], 7);
  EXPECT_DOUBLE_EQ(r[Kpi::wait_mean_h], 21.5);
  EXPECT_DOUBLE_EQ(r[Kpi::touch_time_mean_h], 5);
  EXPECT_DOUBLE_EQ(r[Kpi::handoffs_mean], 1);
  EXPECT_DOUBLE_EQ(r[Kpi::handoff_time_mean_h], 15);
  EXPECT_DOUBLE_EQ(r[Kpi::rework_rate], 0.5);
  EXPECT_DOUBLE_EQ(r[Kpi::flow_efficiency], 10.0 / 100);
  EXPECT_DOUBLE_EQ(r[Kpi::change_flow_efficiency], 9.0 / 96);
  // The incident scored 0.5, the proactive change is not scored, and the two requesters who
  // gave up after the warm-up score 0, the worst: (0.5 + 0 + 0) / 3.
  EXPECT_DOUBLE_EQ(r[Kpi::perception], 0.5 / 3);
  EXPECT_DOUBLE_EQ(r[Kpi::value_gross], 1000);
  EXPECT_DOUBLE_EQ(r[Kpi::value_lost_to_delay], 200);
  EXPECT_DOUBLE_EQ(r[Kpi::value_whole_life], 5000);
  EXPECT_DOUBLE_EQ(r[Kpi::customer_value], 1000);
  EXPECT_DOUBLE_EQ(r[Kpi::downtime_cost], 120);
  EXPECT_DOUBLE_EQ(r[Kpi::shadow_value], 300);
  EXPECT_DOUBLE_EQ(r[Kpi::shadow_cost], 50);
  EXPECT_DOUBLE_EQ(r[Kpi::it_cost], 10000);
  EXPECT_DOUBLE_EQ(r[Kpi::cost_total], 10050);
  EXPECT_DOUBLE_EQ(r[Kpi::net_value], 1000 + 300 - 120 - 10000 - 50);
  // The share of spend takes the shadow system's whole life (steady state).
  EXPECT_DOUBLE_EQ(r[Kpi::shadow_share], 80.0 / 10080);
  EXPECT_DOUBLE_EQ(r[Kpi::cost_per_ticket_l1], 50);
  EXPECT_DOUBLE_EQ(r[Kpi::utilisation_mean], 0.5);
  EXPECT_DOUBLE_EQ(r[Kpi::knowledge_mean], 0.75);
  EXPECT_DOUBLE_EQ(r[Kpi::warmup_h], 100);
}

TEST(KpiRecorder, WritesEveryKpiWithOrWithoutData) {
  for (const bool with_data : {false, true}) {
    Fixture f;
    if (with_data) {
      f.kpis.raised(at_h(monday_9), RaisedFate::to_it);
      f.kpis.delivered(item_of(incident, 2, monday_9), 1, true, 1, {}, at_h(monday_9 + 1));
    }
    const RunResult r = finished(f.kpis);
    for (std::size_t k = 0; k < kpi_count; ++k) {
      // Kaplan-Meier quantiles are NaN where not reached: nothing observed, here.
      const bool km =
          k == std::size_t(Kpi::lead_time_km_p50_h) || k == std::size_t(Kpi::lead_time_km_p95_h);
      EXPECT_EQ(std::isnan(r.kpi[k]), km && !with_data)
          << kpi_table()[k].name << (with_data ? " (data)" : "");
    }
    EXPECT_EQ(r[Kpi::completed], with_data ? 1 : 0);
  }
}

TEST(KpiRecorder, CountsOpenWorkItsAgeValueAndCensoredLeadTimesByHand) {
  Fixture f;
  // Delivered after 2, 10 and 30 hours; one gave up after 5; three open at the end, aged
  // 3, 20 and 40 hours; an item of the warm-up still open does not count.
  f.kpis.delivered(item_of(incident, 2, monday_9), 2, true, nan, {}, at_h(monday_9 + 2));
  f.kpis.delivered(item_of(change, 2, monday_9), 10, false, nan, {1000, 200, 0, 0},
                   at_h(monday_9 + 10));
  f.kpis.delivered(item_of(change, 2, monday_9), 30, false, nan, {}, at_h(monday_9 + 30));
  f.kpis.abandoned(item_of(request, 2, monday_9), false, false, {0, 0}, 0, at_h(monday_9 + 5));
  f.kpis.open_at_end(item_of(incident, 2, monday_9 + 37), 3, {});
  f.kpis.open_at_end(item_of(change, 2, monday_9 + 20), 20, {300, 100, 0, 0});
  f.kpis.open_at_end(item_of(project, 2, monday_9), 40, {1000, 500, 0, 0});
  f.kpis.open_at_end(item_of(project, 2, 20, false), 500, {9999, 9999, 0, 0});
  const RunResult r = finished(f.kpis);
  EXPECT_EQ(r[Kpi::open_at_end], 3);
  EXPECT_EQ(r[Kpi::open_incidents], 1);
  EXPECT_EQ(r[Kpi::open_requests], 0);
  EXPECT_EQ(r[Kpi::open_enhancements], 1);
  EXPECT_EQ(r[Kpi::open_projects], 1);
  EXPECT_DOUBLE_EQ(r[Kpi::open_age_mean_h], (3 + 20 + 40) / 3.0);
  EXPECT_DOUBLE_EQ(r[Kpi::open_value_at_risk], 1300);
  EXPECT_DOUBLE_EQ(r[Kpi::value_lost_to_delay_open], 600);
  EXPECT_DOUBLE_EQ(r[Kpi::value_lost_to_delay], 200 + 600); // delivered and open
  EXPECT_DOUBLE_EQ(r[Kpi::value_gross], 1000);              // open work earns nothing yet
  EXPECT_DOUBLE_EQ(r[Kpi::delivered_share], 3.0 / 6);
  // Kaplan-Meier over 2, 3+, 5+, 10, 20+, 30, 40+: S(2) = 6/7; 3 and 5 leave; S(10) =
  // 6/7 x 3/4 = 0.643; 20 leaves; S(30) = 0.643 x 1/2 = 0.321. The median is 30 where
  // the delivered alone give 10; 95% is never reached.
  EXPECT_DOUBLE_EQ(r[Kpi::lead_time_p50_h], 10);
  EXPECT_DOUBLE_EQ(r[Kpi::lead_time_km_p50_h], 30);
  EXPECT_TRUE(std::isnan(r[Kpi::lead_time_km_p95_h]));
}

TEST(KpiRecorder, GivesThePlainPercentilesWhenNothingIsCensored) {
  Fixture f;
  for (const double lead : {7.0, 1.0, 5.0, 3.0, 9.0})
    f.kpis.delivered(item_of(incident, 2, monday_9), lead, true, nan, {}, at_h(monday_9 + lead));
  f.kpis.abandoned(item_of(request, 2, 20, false), false, false, {0, 0}, 0,
                   at_h(monday_9)); // warm-up's
  const RunResult r = finished(f.kpis);
  EXPECT_DOUBLE_EQ(r[Kpi::lead_time_km_p50_h], r[Kpi::lead_time_p50_h]); // 5
  EXPECT_DOUBLE_EQ(r[Kpi::lead_time_km_p95_h], 9);
  EXPECT_DOUBLE_EQ(r[Kpi::delivered_share], 1);
  EXPECT_EQ(r[Kpi::open_at_end], 0);
  EXPECT_DOUBLE_EQ(r[Kpi::open_age_mean_h], 0);
}

TEST(KpiRecorder, SamplesNetValueAsValueAccruedLessDowntimeShadowCostAndStaffCost) {
  // Samples every 100 hours (100, 200, 300); the window starts at the warm-up's end, 100.
  Fixture f(false, 3, 100);
  f.kpis.sample(at_h(100), {0, 0, 0, 0}, 0, 10);
  // 2 an hour from 187 until 250 (126 in all); 100 of downtime.
  f.kpis.delivered(item_of(change, 2, monday_9), 10, false, nan, {126, 0, 0, 100, 0, 2, 187, 250},
                   at_h(187));
  // A shadow system from 197 on: 1 an hour of value, 0.5 of running cost, 50 to build.
  f.kpis.abandoned(item_of(change, 2, monday_9), false, true, {803, 451.5, 50, 1, 0.5, 197, 1000},
                   0, at_h(197));
  EXPECT_TRUE(f.kpis.wants_sample());
  // 100 measured hours at 10 an hour.
  f.kpis.sample(at_h(200), {3, 2, 40, 80}, 5, 10);
  // 1 an hour from 210 until exactly the next sample; 25 of downtime.
  f.kpis.delivered(item_of(change, 2, monday_9), 10, false, nan, {90, 0, 0, 0, 0, 1, 210, 300},
                   at_h(210));
  f.kpis.delivered(item_of(incident, 2, monday_9), 10, false, nan, {0, 0, 0, 25}, at_h(250));
  // 200 measured hours; utilisation since the last sample: 30 of 40.
  f.kpis.sample(at_h(300), {1, 4, 70, 120}, 6, 10);
  EXPECT_FALSE(f.kpis.wants_sample());
  const RunResult r = finished(f.kpis);
  ASSERT_EQ(r.series_points, 3U);
  ASSERT_EQ(r.series.size(), series_count * 3);
  auto at = [&r](Series s, std::size_t i) { return r.series[std::size_t(s) * 3 + i]; };
  EXPECT_DOUBLE_EQ(at(Series::value_cumulative, 0), 0);
  EXPECT_DOUBLE_EQ(at(Series::net_value_cumulative, 0), 0);
  EXPECT_DOUBLE_EQ(at(Series::queue_length, 1), 3);
  EXPECT_DOUBLE_EQ(at(Series::in_service, 1), 2);
  EXPECT_DOUBLE_EQ(at(Series::backlog, 1), 5);
  EXPECT_DOUBLE_EQ(at(Series::utilisation, 1), 0.5);
  // By 200: 2 x 13 + 1 x 3 of value, 0.5 x 3 of running cost.
  EXPECT_NEAR(at(Series::value_cumulative, 1), 29, 1e-9);
  EXPECT_NEAR(at(Series::net_value_cumulative, 1), 29 - 100 - 50 - 1.5 - 10 * 100, 1e-9);
  EXPECT_DOUBLE_EQ(at(Series::queue_length, 2), 1);
  EXPECT_DOUBLE_EQ(at(Series::in_service, 2), 4);
  EXPECT_DOUBLE_EQ(at(Series::backlog, 2), 6);
  EXPECT_DOUBLE_EQ(at(Series::utilisation, 2), 0.75);
  // By 300: the first delivery's 126 (it ended at 250), 90 of the second (ended at 300),
  // 103 of the shadow system's value, 51.5 of its running cost.
  EXPECT_NEAR(at(Series::value_cumulative, 2), 126 + 90 + 103, 1e-9);
  EXPECT_NEAR(at(Series::net_value_cumulative, 2), 126 + 90 + 103 - 125 - 50 - 51.5 - 10 * 200,
              1e-9);
  // The KPIs take what the flows earn in the whole window.
  EXPECT_DOUBLE_EQ(r[Kpi::value_gross], 126 + 90);
  EXPECT_DOUBLE_EQ(r[Kpi::shadow_value], 803);
  EXPECT_DOUBLE_EQ(r[Kpi::shadow_cost], 451.5);
}

TEST(KpiRecorder, RestartsTheSampledUtilisationWhenTheWarmUpEnds) {
  Fixture f(false, 2);
  f.kpis.sample(at_h(50), {0, 0, 30, 40}, 0, 10);
  // The station statistics restart at the warm-up: so does the sampled utilisation.
  f.kpis.warmup_ended();
  f.kpis.sample(at_h(150), {0, 0, 10, 50}, 0, 10);
  const RunResult r = finished(f.kpis);
  EXPECT_DOUBLE_EQ(r.series[std::size_t(Series::utilisation) * 2 + 0], 0.75);
  EXPECT_DOUBLE_EQ(r.series[std::size_t(Series::utilisation) * 2 + 1], 0.2);
  // Before the warm-up ends no staff cost is counted.
  EXPECT_DOUBLE_EQ(r.series[std::size_t(Series::net_value_cumulative) * 2 + 0], 0);
  EXPECT_DOUBLE_EQ(r.series[std::size_t(Series::net_value_cumulative) * 2 + 1], -500);
}

TEST(KpiRecorder, RecordsItemsInTheOrderTheyLeaveThenThoseStillOpen) {
  Fixture f(true);
  Item x = item_of(change, 2, monday_9);
  x.serial = 5;
  x.unit = finance;
  x.touch_h = 4;
  f.kpis.delivered(x, 10, false, nan, {700, 0, 0, 0}, at_h(monday_9 + 10));
  Item y = item_of(request, 3, monday_9 + 1);
  y.serial = 3;
  f.kpis.abandoned(y, false, false, {0, 0}, 0, at_h(monday_9 + 20));
  Item z = item_of(change, 2, monday_9 + 2);
  z.serial = 4;
  f.kpis.abandoned(z, false, true, {250, 80}, 0, at_h(monday_9 + 30));
  Item w = item_of(incident, 0, monday_9 + 3);
  w.serial = 1;
  f.kpis.open_at_end(w, 10, {});
  f.kpis.open_at_end(item_of(incident, 0, 20, false), 500, {}); // created in the warm-up
  const RunResult r = finished(f.kpis);
  ASSERT_EQ(r.items.size(), 4U);
  EXPECT_EQ(r.items[0].serial, 5U);
  EXPECT_EQ(r.items[0].outcome, ItemOutcome::delivered);
  EXPECT_DOUBLE_EQ(r.items[0].created_h, monday_9);
  EXPECT_DOUBLE_EQ(r.items[0].finished_h, monday_9 + 10);
  EXPECT_DOUBLE_EQ(r.items[0].value, 700);
  EXPECT_DOUBLE_EQ(r.items[0].touch_h, 4);
  EXPECT_EQ(r.items[0].unit, finance);
  EXPECT_EQ(r.items[0].work_type, change);
  EXPECT_EQ(r.items[1].serial, 3U);
  EXPECT_EQ(r.items[1].outcome, ItemOutcome::abandoned);
  EXPECT_EQ(r.items[1].priority, 3);
  EXPECT_DOUBLE_EQ(r.items[1].value, 0);
  EXPECT_EQ(r.items[2].serial, 4U);
  EXPECT_EQ(r.items[2].outcome, ItemOutcome::shadow_build);
  EXPECT_DOUBLE_EQ(r.items[2].value, 250);
  EXPECT_EQ(r.items[3].serial, 1U);
  EXPECT_EQ(r.items[3].outcome, ItemOutcome::open);
  EXPECT_TRUE(std::isnan(r.items[3].finished_h));
  EXPECT_TRUE(std::isnan(r.items[3].sla_met));
}

TEST(KpiRecorder, KeepsNoItemRecordsUnlessAsked) {
  Fixture f(false);
  f.kpis.delivered(item_of(incident, 2, monday_9), 1, true, nan, {}, at_h(monday_9 + 1));
  f.kpis.open_at_end(item_of(incident, 2, monday_9), 5, {});
  EXPECT_TRUE(finished(f.kpis).items.empty());
}

} // namespace
} // namespace itsim::models::detail
