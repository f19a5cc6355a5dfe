// SPDX-License-Identifier: Apache-2.0
// The mechanisms that turn what IT did into outcomes for the business, through
// models::run_model, against hand calculations: small scenarios in the real format, loaded
// by the real loader, each built so that the effect has a closed form; direction AND size
// are checked, through 99% confidence intervals over replications where chance is involved
// and exactly otherwise (docs/models.md states every equation).
//
//   shadow IT       M9: abandoned work with a value is built outside IT with probability
//                   build_share; each build is worth value_share of the value and costs
//                   cost_factor x the effort plus its running cost, and raises one later
//                   incident after an exponential delay of mean 26 weeks / incident_factor
//   downtime        M8: users x user_hour_cost x working hours open (x the customer-facing
//                   factor), on incidents whose time open is known exactly
//   perception      M9: min(1, expected / actual lead time) per delivered request, and the
//                   worst score, 0, for each requester who gave up (Erlang A's share)
//   customer value  M8: the value of deliveries to customer-facing units
//
// The money checks (shadow value and cost, downtime cost, customer value) sit in TESTs of
// their own, apart from the counts, so that a change to when money is booked touches them
// only.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "itsim/analysis/queueing_theory.hpp"
#include "itsim/models/org_model.hpp"
#include "replications.hpp"

namespace itsim::validation {
namespace {

using models::ItemOrigin;
using models::ItemOutcome;
using models::ItemRecord;
using models::Kpi;
using models::RunResult;
using scenarios::Scenario;

constexpr double hours_per_week = 168;

// ---- shadow IT (M9) -------------------------------------------------------------------------

// One developer (M/D/1 at rho 0.9, changes of 1 h) and requesters who give up after an
// exponential wait of mean 2 h: a good share abandon. Each change is worth 100 a week over a
// one-year life with no urgency, so a shadow build is worth exactly 100 x 52.14 x 0.6 and
// costs 1 h x 1.5 x 60 plus 10 a week over the same life. Shadow systems raise incidents,
// served by their own desk. No warm-up: every shadow build is in the item records.
const char* const shadow_yaml = R"(
name: shadow
description: Requesters who give up build some of their changes outside IT
horizon: 4000h
organisation:
  units:
    business: {headcount: 100}
demand:
  work_types:
    change:
      kind: enhancement
      rate: 0.9/h
      follows_profile: false
      effort: 1h
      value: 100
      value_life: 1y
      patience: {dist: exponential, mean: 2h}
    incident:
      kind: incident
      rate: 0/h
      effort: 30min
staff:
  pools:
    dev: {headcount: 1, calendar: always}
    ops: {headcount: 5, calendar: always}
models:
  impatient:
    knowledge: {initial: 1}
    change_failure: 0
    routes:
      change: {stages: {build: {pool: dev}}}
      incident: {stages: {fix: {pool: ops}}}
mechanisms:
  value: {effort_cost_per_hour: 60}
  shadow:
    build_share: 0.6
    value_share: 0.6
    cost_factor: 1.5
    incident_factor: 2
    run_cost_per_week: 10
)";

constexpr double shadow_horizon_h = 4000;
constexpr double shadow_life_weeks = 8760.0 / hours_per_week;

std::vector<RunResult> shadow_runs(const std::vector<std::string>& overrides = {}) {
  const Scenario s = load(shadow_yaml, "shadow.yaml", overrides);
  return run_all(s, {0}, 50, {.record_items = true})[0];
}

/// Expected incidents of the shadow builds in `r` within the horizon: each raises one after
/// an exponential delay of mean `mean_h`, counted when it falls by the horizon.
double expected_shadow_incidents(const RunResult& r, double mean_h) {
  double e = 0;
  for (const ItemRecord& it : r.items)
    if (it.outcome == ItemOutcome::shadow_build)
      e += 1 - std::exp(-(shadow_horizon_h - it.finished_h) / mean_h);
  return e;
}

TEST(ShadowIt, BuildsTheBuildShareOfAbandonedWorkAndEachBuildRaisesOneLaterIncident) {
  constexpr double build_share = 0.6;
  const auto runs = shadow_runs();
  std::vector<double> share, incidents;
  for (const RunResult& r : runs) {
    ASSERT_GT(r[Kpi::abandoned], 300.0);
    share.push_back(r[Kpi::shadow_builds] / r[Kpi::abandoned]);
    // Mean delay 26 weeks / incident_factor 2 = 2184 h.
    incidents.push_back(r[Kpi::shadow_incidents] /
                        expected_shadow_incidents(r, 26 * hours_per_week / 2));
    double from_shadow = 0;
    for (const ItemRecord& it : r.items)
      if (it.origin == ItemOrigin::shadow) from_shadow += 1;
    EXPECT_EQ(from_shadow, r[Kpi::shadow_incidents]); // each one reaches IT
  }
  show("shadow_builds / abandoned", ci99(share), build_share);
  EXPECT_TRUE(covers(ci99(share), build_share, 0.02));
  show("shadow_incidents / expected from the builds' times", ci99(incidents), 1.0);
  EXPECT_TRUE(covers(ci99(incidents), 1.0, 0.05));

  // Twice the incident factor halves the mean delay: more builds fail within the horizon.
  const auto more = shadow_runs({"mechanisms.shadow.incident_factor=4"});
  std::vector<double> ratio;
  for (std::size_t r = 0; r < more.size(); ++r) {
    ratio.push_back(more[r][Kpi::shadow_incidents] /
                    expected_shadow_incidents(more[r], 26 * hours_per_week / 4));
    EXPECT_EQ(more[r][Kpi::shadow_builds], runs[r][Kpi::shadow_builds]); // same requesters
  }
  EXPECT_TRUE(covers(ci99(ratio), 1.0, 0.05));
  EXPECT_GT(paired99(each(more, Kpi::shadow_incidents), each(runs, Kpi::shadow_incidents)).lower(),
            0.0);
}

TEST(ShadowIt, PricesEachBuildAtTheValueShareAndTheCostFactorByHand) {
  // Each shadow system earns 100 a week x value share 0.6 and costs 10 a week to run from its
  // build at t until the horizon (its year of life outlasts the run), and 1 h x 1.5 x 60 to
  // build at once; over its whole life it would cost 90 + 10 x 52.14 weeks.
  const auto runs = shadow_runs();
  const double whole_life_cost = 1 * 1.5 * 60 + 10 * shadow_life_weeks;
  for (const RunResult& r : runs) {
    const double builds = r[Kpi::shadow_builds];
    ASSERT_GT(builds, 100.0);
    double value = 0, cost = 0;
    for (const ItemRecord& it : r.items) {
      if (it.outcome != ItemOutcome::shadow_build) continue;
      const double weeks = (shadow_horizon_h - it.finished_h) / hours_per_week;
      EXPECT_NEAR(it.value, 100 * 0.6 * weeks, 1e-9 * it.value + 1e-9);
      value += 100 * 0.6 * weeks;
      cost += 1 * 1.5 * 60 + 10 * weeks;
    }
    EXPECT_NEAR(r[Kpi::shadow_value], value, 1e-9 * r[Kpi::shadow_value]);
    EXPECT_NEAR(r[Kpi::shadow_cost], cost, 1e-9 * r[Kpi::shadow_cost]);
    // The share of spend counts each system built at its whole-life cost (steady state).
    const double whole = builds * whole_life_cost;
    EXPECT_NEAR(r[Kpi::shadow_share], whole / (whole + r[Kpi::it_cost]), 1e-9);
  }
}

// ---- downtime (M8) --------------------------------------------------------------------------

// Incidents of 2 h of work at every priority, from a customer-facing unit and another, fixed
// by a desk on business hours with servers to spare (0.05 an hour: rarely more than a few
// arrive over a weekend, and 20 people fix them). An incident is then open exactly 2
// working hours, whenever it arrives (at night the work starts at 09:00), so its downtime
// cost is users_affected[p] x 60 x 2, three times that in the customer-facing unit. (An
// incident raised at night waits for the desk to open, in calendar time, but loses users
// no working time until then.)
const char* const downtime_yaml = R"(
name: downtime
description: Incidents open a known number of working hours
horizon: 1y
warmup: 1w
organisation:
  units:
    shop: {headcount: 300, customer_facing: true}
    office: {headcount: 100}
demand:
  work_types:
    incident:
      kind: incident
      rate: 0.05/h
      follows_profile: false
      effort: 2h
      priority_mix: {p1: 0.1, p2: 0.2, p3: 0.3, p4: 0.4}
staff:
  pools:
    desk: {headcount: 20, calendar: business}
models:
  desk:
    knowledge: {initial: 1}
    routes:
      incident: {stages: {fix: {pool: desk}}}
mechanisms:
  value:
    user_hour_cost: 60
    users_affected: {p1: 50, p2: 10, p3: 3, p4: 1}
    customer_facing_factor: 3
)";

TEST(Downtime, CostsUsersTimesTheirHourlyCostTimesTheWorkingHoursOpen) {
  const Scenario s = load(downtime_yaml, "downtime.yaml");
  const std::array<double, 4> users = {50, 10, 3, 1};
  const std::uint32_t shop = 0;
  ASSERT_TRUE(s.units[shop].customer_facing);
  for (std::uint64_t rep = 0; rep < 3; ++rep) {
    const RunResult r = models::run_model(s, 0, rep, {.record_items = true});
    double expected = 0, shop_n = 0;
    for (const ItemRecord& it : r.items) {
      if (it.outcome != ItemOutcome::delivered) continue;
      EXPECT_NEAR(it.touch_h, 2.0, 1e-9);
      const double factor = it.unit == shop ? 3.0 : 1.0;
      expected += users[it.priority] * 60 * 2 * factor;
      shop_n += it.unit == shop ? 1 : 0;
    }
    ASSERT_GT(r[Kpi::completed], 300.0);
    ASSERT_GT(shop_n, 0.5 * r[Kpi::completed]);
    EXPECT_NEAR(r[Kpi::downtime_cost], expected, 1e-9 * expected) << "replication " << rep;
  }
}

// ---- perception (M9) ------------------------------------------------------------------------

// Erlang A's desk (M/M/1, lambda = mu = 1 an hour, exponential patience of mean 2 h): a
// requester gives up with probability p_0 = 2 / (e^2 - 1) = 0.313. Expecting 1000 h, every
// requester served scores 1; those who gave up score the worst, 0, so the perception score
// is 1 - P(abandon).
const char* const perception_yaml = R"(
name: perception
description: Requesters judge IT by their lead time, and those who gave up worst of all
horizon: 4000h
warmup: 1w
organisation:
  units:
    business: {headcount: 100}
demand:
  work_types:
    request:
      kind: request
      rate: 1/h
      follows_profile: false
      effort: {dist: exponential, mean: 1h}
      patience: {dist: exponential, mean: 2h}
      expected_lead: 1000h
staff:
  pools:
    desk: {headcount: 1, calendar: always}
models:
  desk:
    routes:
      request: {stages: {serve: {pool: desk}}}
mechanisms:
  knowledge: {effort_penalty: 0}
  perception: {expectation_rise_per_year: 0}
)";

TEST(Perception, RequestersWhoGaveUpScoreTheWorstSoTheScoreIsOneLessErlangAsShare) {
  const Scenario s = load(perception_yaml, "perception.yaml");
  const analysis::ErlangA th = analysis::erlang_a(1.0, 1.0, 0.5, 1);
  const auto runs = run_all(s, {0}, 30)[0];
  const auto score = ci99(each(runs, Kpi::perception));
  show("perception", score, 1 - th.p_abandon);
  EXPECT_TRUE(covers(score, 1 - th.p_abandon, 0.01));
  for (const RunResult& r : runs) {
    EXPECT_NEAR(r[Kpi::perception], r[Kpi::completed] / (r[Kpi::completed] + r[Kpi::abandoned]),
                1e-12);
  }
}

TEST(Perception, ScoresEachRequestByExpectedOverActualLeadTimeAndZeroForThoseWhoGaveUp) {
  // Expecting 2 h, less each year by a factor 1.5: many deliveries score below 1.
  const Scenario s = load(perception_yaml, "perception.yaml",
                          {"demand.work_types.request.expected_lead=2h",
                           "mechanisms.perception.expectation_rise_per_year=0.5", "horizon=2y"});
  const RunResult r = models::run_model(s, 0, 0, {.record_items = true});
  double sum = 0, n = 0, delivered_sum = 0, delivered_n = 0;
  for (const ItemRecord& it : r.items) {
    if (it.origin != ItemOrigin::demand) continue;
    if (it.outcome == ItemOutcome::delivered) {
      const double expected = 2 / std::pow(1.5, it.finished_h / 8760);
      const double lead = it.finished_h - it.created_h;
      const double score = lead > 0 ? std::min(1.0, expected / lead) : 1.0;
      sum += score;
      delivered_sum += score;
      delivered_n += 1;
      n += 1;
    } else if (it.outcome == ItemOutcome::abandoned || it.outcome == ItemOutcome::shadow_build) {
      n += 1; // scores 0
    }
  }
  ASSERT_GT(n - delivered_n, 1000.0);
  std::cout << "[ observed ] perception " << r[Kpi::perception] << ", by hand " << sum / n
            << "; delivered requests alone " << delivered_sum / delivered_n << '\n';
  EXPECT_NEAR(r[Kpi::perception], sum / n, 1e-9);
  EXPECT_LT(r[Kpi::perception], delivered_sum / delivered_n - 0.1);
}

// ---- customer value (M8) --------------------------------------------------------------------

// Changes worth 100 a week over a one-year life, with no urgency, no handoff and full
// knowledge (quality 1), from a customer-facing unit of 300 people and another of 100: a
// firm-wide rate is split by headcount, so three quarters of the changes, and of the value,
// reach customers.
const char* const customer_yaml = R"(
name: customer_value
description: Value delivered to units that face the company's customers
horizon: 2000h
warmup: 1w
organisation:
  units:
    shop: {headcount: 300, customer_facing: true}
    office: {headcount: 100}
demand:
  work_types:
    change:
      kind: enhancement
      rate: 1/h
      follows_profile: false
      effort: 1h
      value: 100
      value_life: 1y
staff:
  pools:
    dev: {headcount: 10, calendar: always}
models:
  building:
    knowledge: {initial: 1}
    change_failure: 0
    routes:
      change: {stages: {build: {pool: dev}}}
)";

TEST(CustomerValue, IsTheCustomerFacingUnitsShareOfTheValue) {
  const Scenario s = load(customer_yaml, "customer_value.yaml");
  const auto runs = run_all(s, {0}, 20)[0];
  const auto share = ci99(
      each(runs, [](const RunResult& r) { return r[Kpi::customer_value] / r[Kpi::value_gross]; }));
  show("customer_value / value_gross", share, 0.75);
  EXPECT_TRUE(covers(share, 0.75, 0.01));
}

TEST(CustomerValue, BooksEachDeliverysValueByHand) {
  // Quality 1, no urgency: a delivery at t earns 100 a week from t to the horizon (its year
  // of life outlasts the run) and 100 x 52.14 weeks over its whole life; customer value is
  // the same sum over the deliveries to the customer-facing unit (index 0, the shop).
  const Scenario s = load(customer_yaml, "customer_value.yaml");
  const double per_item = 100 * 8760.0 / hours_per_week;
  const auto runs = run_all(s, {0}, 3, {.record_items = true});
  for (const RunResult& r : runs[0]) {
    ASSERT_GT(r[Kpi::completed], 1000.0);
    EXPECT_NEAR(r[Kpi::value_whole_life], r[Kpi::completed] * per_item,
                1e-9 * r[Kpi::value_whole_life]);
    double value = 0, customer = 0;
    for (const ItemRecord& it : r.items) {
      if (it.outcome != ItemOutcome::delivered) continue;
      const double v = 100 * (2000 - it.finished_h) / hours_per_week;
      value += v;
      if (it.unit == 0) customer += v;
    }
    EXPECT_NEAR(r[Kpi::value_gross], value, 1e-9 * r[Kpi::value_gross]);
    EXPECT_NEAR(r[Kpi::customer_value], customer, 1e-9 * r[Kpi::customer_value]);
  }
}

} // namespace
} // namespace itsim::validation
