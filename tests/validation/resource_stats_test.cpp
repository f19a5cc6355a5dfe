// SPDX-License-Identifier: Apache-2.0
// Where the time goes, per pool and team (models::ResourceResult) and lead time by priority
// and by business unit (RunResult::lead_by_priority, lead_by_unit), against queueing theory
// and against the run's own totals. Scenarios are written in the real format and loaded by
// the real loader; knowledge starts at 1 and the effort penalty is 0, so that visits take
// exactly their drawn effort (no knowledge multiplier) and the closed forms apply.
//
//   M/M/3 at rho 0.8: utilisation lambda/(c mu), P(wait) = Erlang C, mean wait Wq, mean
//                     queue Lq, each inside the 99% CI over replications (docs/validation.md)
//   5 x M/M/1 by unit: the copies of a by-unit team pooled (waits) and summed (queues)
//   Little's law per run: queue_mean = (visits started / measured hours) x wait_mean_h
//   served per resource adds up to the visits of the items; lead-time groups add up to the
//   items delivered, and one group alone has the overall percentiles
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "itsim/analysis/confidence.hpp"
#include "itsim/analysis/queueing_theory.hpp"
#include "itsim/models/org_model.hpp"
#include "itsim/scenarios/loader.hpp"
#include "itsim/sim/statistics.hpp"
#include "replications.hpp"

namespace itsim::validation {
namespace {

using models::Kpi;
using models::ResourceResult;
using models::RunResult;
using scenarios::Scenario;

const ResourceResult& resource(const RunResult& r, const std::string& id) {
  for (const ResourceResult& res : r.resources)
    if (res.id == id) return res;
  throw std::runtime_error("no resource " + id);
}

std::vector<RunResult> replications(const Scenario& s, std::uint32_t model, std::size_t n,
                                    const models::RunOptions& options = {}) {
  std::vector<RunResult> out;
  for (std::size_t r = 0; r < n; ++r)
    out.push_back(models::run_model(s, model, r, options));
  return out;
}

analysis::ConfidenceInterval ci99(const std::vector<RunResult>& runs, const std::string& id,
                                  double ResourceResult::*stat) {
  std::vector<double> v;
  for (const RunResult& r : runs)
    v.push_back(resource(r, id).*stat);
  return analysis::confidence_interval(v, 0.99);
}

// M/M/3 at rho 0.8 (scenarios/validation/mmc.yaml), and five people split one per unit
// by a by-unit team: five M/M/1 at rho 0.48.
const char* const single_pool_yaml = R"(
name: resource_statistics
description: One desk of three (M/M/3), and five people split one per unit (5 x M/M/1)
horizon: 1y
warmup: 1w
organisation:
  units:
    sales: {headcount: 100}
    finance: {headcount: 100}
    operations: {headcount: 100}
    hr: {headcount: 100}
    legal: {headcount: 100}
demand:
  work_types:
    ticket:
      kind: request
      rate: 2.4/h
      follows_profile: false
      effort: {dist: exponential, mean: 1h}
      priority_mix: {p3: 1}
staff:
  pools:
    desk: {headcount: 3, calendar: always}
    people: {headcount: 5, calendar: always}
models:
  three_servers:
    knowledge: {initial: 1}
    routes:
      ticket: {stages: {serve: {pool: desk}}}
  split:
    knowledge: {initial: 1}
    teams:
      unit_desk: {members: {people: 5}, by_unit: true}
    routes:
      ticket: {stages: {serve: {pool: unit_desk}}}
mechanisms:
  knowledge: {effort_penalty: 0}
)";

constexpr std::size_t reps = 30;

TEST(ResourceStatistics, OnePoolMatchesErlangC) {
  const Scenario s = load(single_pool_yaml, "resource_statistics.yaml");
  const auto runs = replications(s, model_index(s, "three_servers"), reps);
  const double lambda = 2.4, mu = 1.0;
  const std::uint32_t c = 3;
  const double p_wait = analysis::erlang_c(c, lambda / mu);
  const double wq = analysis::mmc_mean_wait(lambda, mu, c);
  EXPECT_NEAR(p_wait, 288.0 / 445.0, 1e-9); // scenarios/validation/mmc.yaml's comment
  EXPECT_NEAR(wq, 1.0787, 1e-4);

  const auto util = ci99(runs, "desk", &ResourceResult::utilisation);
  const auto pw = ci99(runs, "desk", &ResourceResult::p_wait);
  const auto w = ci99(runs, "desk", &ResourceResult::wait_mean_h);
  const auto lq = ci99(runs, "desk", &ResourceResult::queue_mean);
  show("M/M/3 utilisation", util, lambda / (c * mu));
  show("M/M/3 P(wait)", pw, p_wait);
  show("M/M/3 wait_mean_h", w, wq);
  show("M/M/3 queue_mean", lq, lambda * wq);
  EXPECT_TRUE(covers(util, lambda / (c * mu), 0.01));
  EXPECT_TRUE(covers(pw, p_wait, 0.02));
  EXPECT_TRUE(covers(w, wq, 0.1));
  EXPECT_TRUE(covers(lq, lambda * wq, 0.2));
  for (const RunResult& r : runs) {
    EXPECT_DOUBLE_EQ(resource(r, "desk").servers, 3.0);
    // The unused pool has no station.
    EXPECT_EQ(resource(r, "people").served, 0U);
    EXPECT_TRUE(std::isnan(resource(r, "people").wait_mean_h));
  }
}

TEST(ResourceStatistics, ByUnitCopiesArePooledAsOneResource) {
  const Scenario s = load(single_pool_yaml, "resource_statistics.yaml");
  const auto runs = replications(s, model_index(s, "split"), reps);
  // Each unit raises 2.4/5 = 0.48 tickets an hour to its own copy, one person: M/M/1 at
  // rho 0.48. The resource is the five copies together: waits pooled, queues summed.
  const double lambda = 2.4 / 5, mu = 1.0;
  const std::uint32_t c = 1;
  const double p_wait = analysis::erlang_c(c, lambda / mu);
  const double wq = analysis::mmc_mean_wait(lambda, mu, c);
  const auto util = ci99(runs, "unit_desk", &ResourceResult::utilisation);
  const auto pw = ci99(runs, "unit_desk", &ResourceResult::p_wait);
  const auto w = ci99(runs, "unit_desk", &ResourceResult::wait_mean_h);
  const auto lq = ci99(runs, "unit_desk", &ResourceResult::queue_mean);
  show("5 x M/M/1 utilisation", util, lambda / (c * mu));
  show("5 x M/M/1 P(wait), pooled", pw, p_wait);
  show("5 x M/M/1 wait_mean_h, pooled", w, wq);
  show("5 x M/M/1 queue_mean, summed", lq, 5 * lambda * wq);
  EXPECT_TRUE(covers(util, lambda / (c * mu), 0.01));
  EXPECT_TRUE(covers(pw, p_wait, 0.01));
  EXPECT_TRUE(covers(w, wq, 0.03));
  EXPECT_TRUE(covers(lq, 5 * lambda * wq, 0.06));
  for (const RunResult& r : runs)
    EXPECT_DOUBLE_EQ(resource(r, "unit_desk").servers, 5.0);
}

TEST(ResourceStatistics, QueueAndWaitObeyLittlesLawInEveryRun) {
  const Scenario s = load(single_pool_yaml, "resource_statistics.yaml");
  const double measured_h = s.horizon_h - s.warmup_h;
  for (const char* model : {"three_servers", "split"}) {
    for (const RunResult& r : replications(s, model_index(s, model), 4)) {
      for (const ResourceResult& res : r.resources) {
        if (res.started == 0) continue;
        const double arrival_rate = double(res.started) / measured_h;
        EXPECT_NEAR(res.queue_mean, arrival_rate * res.wait_mean_h, 0.01 * res.queue_mean)
            << model << " " << res.id;
      }
    }
  }
}

// Two stages on two pools with rework, P2 and P3 items of two units, no warm-up (every
// visit of every item is measured), so that visits, deliveries and groups can be counted.
const char* const two_stage_yaml = R"(
name: served_visits
description: Triage then build, with rework, two priorities, two units
horizon: 8w
warmup: 0h
organisation:
  units:
    north: {headcount: 300}
    south: {headcount: 100}
demand:
  work_types:
    change:
      kind: enhancement
      rate: 3/h
      follows_profile: false
      effort: {dist: exponential, mean: 30min}
      priority_mix: {p2: 0.3, p3: 0.7}
staff:
  pools:
    triage: {headcount: 3, calendar: always}
    fix: {headcount: 4, calendar: always}
models:
  two_stages:
    knowledge: {initial: 1}
    change_failure: 0
    routes:
      change:
        stages:
          triage: {pool: triage, next: {fix: 1}}
          fix: {pool: fix, handoff: true, rework: fix}
mechanisms:
  knowledge: {effort_penalty: 0}
  handoff: {delay: 0h, retention: 0.8}
)";

TEST(ResourceStatistics, ServedVisitsAndLeadTimeGroupsAddUp) {
  const Scenario s = load(two_stage_yaml, "served_visits.yaml");
  models::RunOptions options;
  options.record_items = true;
  for (const RunResult& r : replications(s, 0, 3, options)) {
    std::uint64_t served = 0, visits = 0, unfinished = 0, reworks = 0;
    for (const ResourceResult& res : r.resources)
      served += res.served;
    for (const models::ItemRecord& it : r.items) {
      visits += it.visits;
      reworks += it.reworks;
      if (it.outcome != models::ItemOutcome::delivered) ++unfinished;
    }
    EXPECT_GT(reworks, 0U);
    // Every visit completed is one an item made; an item open at the end (or abandoned)
    // has at most one visit not completed.
    EXPECT_LE(served, visits);
    EXPECT_GE(served + unfinished, visits);

    const double completed = r[Kpi::completed];
    double by_priority = 0, by_unit = 0;
    for (const models::LeadTimeGroup& g : r.lead_by_priority)
      by_priority += double(g.delivered);
    for (const models::LeadTimeGroup& g : r.lead_by_unit)
      by_unit += double(g.delivered);
    EXPECT_EQ(by_priority, completed);
    EXPECT_EQ(by_unit, completed);
    ASSERT_EQ(r.lead_by_unit.size(), 2U);
    EXPECT_EQ(r.lead_by_priority[0].delivered, 0U); // no P1
    EXPECT_TRUE(std::isnan(r.lead_by_priority[0].p50_h));
    EXPECT_GT(r.lead_by_priority[1].delivered, 0U);
    // The overall median lies between the groups' medians.
    const double lo = std::min(r.lead_by_unit[0].p50_h, r.lead_by_unit[1].p50_h);
    const double hi = std::max(r.lead_by_unit[0].p50_h, r.lead_by_unit[1].p50_h);
    EXPECT_LE(lo, r[Kpi::lead_time_p50_h]);
    EXPECT_GE(hi, r[Kpi::lead_time_p50_h]);
  }
}

TEST(ResourceStatistics, LeadTimeGroupsHaveTheirItemsPercentiles) {
  // Against the percentiles of the delivered items' own lead times, per group, in runs
  // long and short (groups of a handful of items: the percentiles' edge cases).
  for (const char* horizon : {"horizon=8w", "horizon=3h", "horizon=1h"}) {
    const Scenario s = load(two_stage_yaml, "served_visits.yaml", {horizon});
    models::RunOptions options;
    options.record_items = true;
    for (const RunResult& r : replications(s, 0, 3, options)) {
      std::vector<sim::QuantileSample> by_priority(4), by_unit(2);
      for (const models::ItemRecord& it : r.items) {
        if (it.outcome != models::ItemOutcome::delivered) continue;
        by_priority[it.priority].add(it.finished_h - it.created_h);
        by_unit[it.unit].add(it.finished_h - it.created_h);
      }
      auto expect = [&](const models::LeadTimeGroup& g, const sim::QuantileSample& q) {
        ASSERT_EQ(g.delivered, q.count()) << horizon;
        if (q.count() == 0) {
          EXPECT_TRUE(std::isnan(g.p50_h) && std::isnan(g.p95_h));
          return;
        }
        EXPECT_NEAR(g.p50_h, q.quantile(0.50), 1e-9) << horizon << " n=" << q.count();
        EXPECT_NEAR(g.p95_h, q.quantile(0.95), 1e-9) << horizon << " n=" << q.count();
      };
      for (std::size_t p = 0; p < 4; ++p)
        expect(r.lead_by_priority[p], by_priority[p]);
      for (std::size_t u = 0; u < 2; ++u)
        expect(r.lead_by_unit[u], by_unit[u]);
    }
  }
}

TEST(ResourceStatistics, OneGroupAloneHasTheOverallPercentiles) {
  // One priority (P3): its group is every delivered item.
  const Scenario s = load(single_pool_yaml, "resource_statistics.yaml");
  const RunResult r = models::run_model(s, model_index(s, "three_servers"), 0);
  const models::LeadTimeGroup& p3 = r.lead_by_priority[2];
  EXPECT_EQ(double(p3.delivered), r[Kpi::completed]);
  EXPECT_EQ(p3.p50_h, r[Kpi::lead_time_p50_h]);
  EXPECT_EQ(p3.p95_h, r[Kpi::lead_time_p95_h]);
  for (const std::size_t p : {std::size_t{0}, std::size_t{1}, std::size_t{3}})
    EXPECT_EQ(r.lead_by_priority[p].delivered, 0U);
  // The five units together deliver everything.
  std::uint64_t units = 0;
  for (const models::LeadTimeGroup& g : r.lead_by_unit)
    units += g.delivered;
  EXPECT_EQ(double(units), r[Kpi::completed]);
}

} // namespace
} // namespace itsim::validation
