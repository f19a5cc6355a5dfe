// SPDX-License-Identifier: Apache-2.0
// Work still open at the end of whole runs of the default company: open_at_end is the
// backlog less what the warm-up left, every item counted after the warm-up ends delivered,
// abandoned or open, the censored lead times and the value of open work agree with the
// item records, and a run whose open items pass limits.max_open_items stops.
#include "itsim/models/org_model.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "itsim/scenarios/loader.hpp"
#include "itsim/sim/error.hpp"
#include "itsim/sim/kaplan_meier.hpp"
#include "shipped_scenario.hpp"

namespace itsim::models {
namespace {

scenarios::Scenario midsize(const std::vector<std::string>& overrides) {
  return test::load_midsize(overrides);
}

double kpi(const RunResult& r, Kpi k) {
  return r.kpi[static_cast<std::size_t>(k)];
}

TEST(OpenWork, OpenAtEndIsTheBacklogLessItemsCreatedBeforeTheWarmUp) {
  // The warm-up changes what is counted, not what happens: the run without one shows
  // which of the items open at the end were created before it.
  constexpr double warmup_h = 3 * 168.0;
  const scenarios::Scenario all = midsize({"horizon=12w", "warmup=0d"});
  const scenarios::Scenario later = midsize({"horizon=12w", "warmup=3w"});
  RunOptions options;
  options.record_items = true;
  double warmup_items_open = 0;
  for (std::uint32_t m = 0; m < all.models.size(); ++m) {
    const std::string id = all.models[m].id;
    const RunResult a = run_model(all, m, 1, options);
    const RunResult w = run_model(later, m, 1, options);
    ASSERT_EQ(a.events + 1, w.events) << id; // the same trajectory, and the warm-up's end
    double open_before = 0, open_after = 0;
    for (const ItemRecord& it : a.items) {
      if (it.outcome != ItemOutcome::open) continue;
      (it.created_h < warmup_h ? open_before : open_after) += 1;
    }
    EXPECT_EQ(kpi(a, Kpi::open_at_end), kpi(a, Kpi::backlog_end)) << id;
    EXPECT_EQ(kpi(w, Kpi::backlog_end), kpi(a, Kpi::backlog_end)) << id;
    EXPECT_EQ(kpi(w, Kpi::open_at_end), kpi(w, Kpi::backlog_end) - open_before) << id;
    EXPECT_EQ(kpi(w, Kpi::open_at_end), open_after) << id;
    EXPECT_GT(kpi(w, Kpi::open_at_end), 0) << id;
    warmup_items_open += open_before;
  }
  EXPECT_GT(warmup_items_open, 0); // some model still has work of the warm-up open
}

TEST(OpenWork, EveryItemRaisedIsDeliveredAbandonedDeclinedOrOpen) {
  // Without a warm-up every item counts. Items reach IT from the demand (arrivals_to_it),
  // as follow-up incidents of failed changes and shadow systems, and, in the coe model,
  // as proactive discoveries (counted by their records: no KPI counts those raised).
  const scenarios::Scenario s = midsize({"horizon=12w", "warmup=0d"});
  RunOptions options;
  options.record_items = true;
  for (std::uint32_t m = 0; m < s.models.size(); ++m) {
    const std::string id = s.models[m].id;
    const RunResult r = run_model(s, m, 2, options);
    double proactive = 0;
    for (const ItemRecord& it : r.items)
      if (it.origin == ItemOrigin::proactive) proactive += 1;
    const double in = kpi(r, Kpi::arrivals_to_it) + kpi(r, Kpi::change_failures) +
                      kpi(r, Kpi::shadow_incidents) + proactive;
    const double out = kpi(r, Kpi::completed) + kpi(r, Kpi::abandoned) + kpi(r, Kpi::declined) +
                       kpi(r, Kpi::open_at_end);
    EXPECT_EQ(in, out) << id;
    EXPECT_EQ(kpi(r, Kpi::open_incidents) + kpi(r, Kpi::open_requests) +
                  kpi(r, Kpi::open_enhancements) + kpi(r, Kpi::open_projects),
              kpi(r, Kpi::open_at_end))
        << id;
    EXPECT_DOUBLE_EQ(kpi(r, Kpi::delivered_share),
                     kpi(r, Kpi::completed) / (kpi(r, Kpi::completed) + kpi(r, Kpi::open_at_end)))
        << id;
  }
}

TEST(OpenWork, CensoredLeadTimesAndOpenAgesFollowTheItemRecords) {
  const scenarios::Scenario s = midsize({"horizon=12w", "warmup=2w"});
  const double horizon_h = 12 * 168.0;
  RunOptions options;
  options.record_items = true;
  for (std::uint32_t m = 0; m < s.models.size(); ++m) {
    const std::string id = s.models[m].id;
    const RunResult r = run_model(s, m, 0, options);
    sim::KaplanMeier km;
    double open = 0, age_sum = 0;
    for (const ItemRecord& it : r.items) {
      if (it.outcome == ItemOutcome::delivered) {
        km.add_event(it.finished_h - it.created_h);
      } else if (it.outcome == ItemOutcome::open) {
        km.add_censored(horizon_h - it.created_h);
        open += 1;
        age_sum += horizon_h - it.created_h;
      } else {
        km.add_censored(it.finished_h - it.created_h); // gave up: censored then
      }
    }
    EXPECT_EQ(open, kpi(r, Kpi::open_at_end)) << id;
    EXPECT_NEAR(kpi(r, Kpi::open_age_mean_h), age_sum / open, 1e-9 * age_sum) << id;
    // The records' times are the same hours, recomputed: equal to rounding.
    EXPECT_NEAR(kpi(r, Kpi::lead_time_km_p50_h), km.quantile(0.5), 1e-6) << id;
    const double p95 = km.quantile(0.95);
    if (std::isnan(p95)) {
      EXPECT_TRUE(std::isnan(kpi(r, Kpi::lead_time_km_p95_h))) << id;
    } else {
      EXPECT_NEAR(kpi(r, Kpi::lead_time_km_p95_h), p95, 1e-6) << id;
    }
    // Censoring only lengthens: the KM median is at least the median of those delivered.
    EXPECT_GE(kpi(r, Kpi::lead_time_km_p50_h), kpi(r, Kpi::lead_time_p50_h) - 1e-9) << id;
    EXPECT_GE(kpi(r, Kpi::open_value_at_risk), 0) << id;
    EXPECT_GE(kpi(r, Kpi::value_lost_to_delay_open), 0) << id;
    EXPECT_LE(kpi(r, Kpi::value_lost_to_delay_open), kpi(r, Kpi::value_lost_to_delay)) << id;
  }
}

TEST(OpenWork, ARunWhoseOpenItemsPassTheCapStops) {
  const scenarios::Scenario s = midsize({"horizon=8w", "warmup=1w", "limits.max_open_items=300",
                                         "demand.work_types.incident.rate=100/employee/month"});
  EXPECT_EQ(s.max_open_items, 300U);
  try {
    (void)run_model(s, 0, 0);
    FAIL() << "expected a ModelError";
  } catch (const ModelError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("open items passed limits.max_open_items (300) "
                                               "at t = "));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("the organisation is overloaded"));
  }
  // The default is far above any steady organisation's backlog.
  EXPECT_EQ(midsize({}).max_open_items, 1000000U);
}

} // namespace
} // namespace itsim::models
