// SPDX-License-Identifier: Apache-2.0
// What a run records beside its KPIs: the time series on a regular grid, the per-item
// records (--detail requests) and the warm-up MSER-5 detects. Each is checked against the
// KPIs of the same run, which they must agree with exactly.
#include "itsim/models/org_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "itsim/scenarios/loader.hpp"
#include "shipped_scenario.hpp"

namespace itsim::models {
namespace {

scenarios::Scenario midsize(const std::vector<std::string>& overrides) {
  return test::load_midsize(overrides);
}

double kpi(const RunResult& r, Kpi k) {
  return r.kpi[static_cast<std::size_t>(k)];
}

double series_at(const RunResult& r, Series s, std::size_t i) {
  return r.series[static_cast<std::size_t>(s) * r.series_points + i];
}

TEST(RunOutput, RecordingChangesNoKpi) {
  const scenarios::Scenario s = midsize({"horizon=10w", "warmup=2w"});
  for (std::uint32_t m = 0; m < s.models.size(); ++m) {
    const RunResult plain = run_model(s, m, 1);
    RunOptions options;
    options.timeseries_step_h = 24;
    options.record_items = true;
    const RunResult recorded = run_model(s, m, 1, options);
    EXPECT_EQ(std::memcmp(plain.kpi.data(), recorded.kpi.data(), sizeof plain.kpi), 0)
        << s.models[m].id;
    EXPECT_TRUE(plain.series.empty());
    EXPECT_TRUE(plain.items.empty());
  }
}

TEST(RunOutput, TimeSeriesAgreeWithTheKpis) {
  const scenarios::Scenario s = midsize({"horizon=10w", "warmup=2w"});
  RunOptions options;
  options.timeseries_step_h = 24;
  for (std::uint32_t m = 0; m < s.models.size(); ++m) {
    const RunResult r = run_model(s, m, 0, options);
    ASSERT_EQ(r.series_points, 70u); // 10 weeks of days; the last sample at the horizon
    ASSERT_EQ(r.series.size(), series_count * 70);
    const std::size_t last = r.series_points - 1;
    // At the horizon, the cumulative series are the run's totals.
    EXPECT_DOUBLE_EQ(series_at(r, Series::backlog, last), kpi(r, Kpi::backlog_end));
    EXPECT_NEAR(series_at(r, Series::value_cumulative, last),
                kpi(r, Kpi::value_gross) + kpi(r, Kpi::shadow_value),
                1e-9 * std::fabs(kpi(r, Kpi::value_gross)) + 1e-6);
    EXPECT_NEAR(series_at(r, Series::net_value_cumulative, last), kpi(r, Kpi::net_value),
                1e-9 * std::fabs(kpi(r, Kpi::net_value)) + 1e-6);
    // Nothing accrues during the warm-up (two weeks: the first 14 samples, the 14th at its
    // end) but the IT cost, which starts then too.
    for (std::size_t i = 0; i < 14; ++i) {
      EXPECT_EQ(series_at(r, Series::value_cumulative, i), 0.0) << i;
      EXPECT_EQ(series_at(r, Series::net_value_cumulative, i), 0.0) << i;
    }
    double busy_mean = 0;
    for (std::size_t i = 0; i < r.series_points; ++i) {
      const double q = series_at(r, Series::queue_length, i);
      const double b = series_at(r, Series::in_service, i);
      const double u = series_at(r, Series::utilisation, i);
      EXPECT_GE(q, 0);
      EXPECT_GE(b, 0);
      EXPECT_LE(q + b, series_at(r, Series::backlog, i)); // queued and served are in IT
      EXPECT_GE(u, 0);
      EXPECT_LE(u, 1 + 1e-12);
      if (i >= 14) busy_mean += u / double(r.series_points - 14);
      if (i > 0) {
        EXPECT_GE(series_at(r, Series::value_cumulative, i),
                  series_at(r, Series::value_cumulative, i - 1));
      }
    }
    // Per-interval utilisation after the warm-up averages to about the run's (the intervals
    // have equal length; the run's weights resources by capacity, as the series does).
    EXPECT_NEAR(busy_mean, kpi(r, Kpi::utilisation_mean), 0.02) << s.models[m].id;
  }
}

TEST(RunOutput, ItemRecordsAddUpToTheKpis) {
  const scenarios::Scenario s = midsize({"horizon=12w", "warmup=0d"});
  RunOptions options;
  options.record_items = true;
  for (std::uint32_t m = 0; m < s.models.size(); ++m) {
    const RunResult r = run_model(s, m, 2, options);
    std::map<ItemOutcome, double> count;
    double lead_sum = 0, wait_sum = 0, value = 0, shadow_value = 0, delivered = 0;
    double sla_met = 0, tickets = 0;
    std::uint64_t last_serial_open = 0;
    bool seen_open = false;
    for (const ItemRecord& it : r.items) {
      count[it.outcome] += 1;
      if (it.outcome == ItemOutcome::open) {
        EXPECT_TRUE(std::isnan(it.finished_h));
        if (seen_open) {
          EXPECT_GT(it.serial, last_serial_open); // open ones by creation
        }
        last_serial_open = it.serial;
        seen_open = true;
        continue;
      }
      EXPECT_FALSE(seen_open) << "finished items come before open ones";
      EXPECT_GE(it.finished_h, it.created_h);
      if (it.outcome == ItemOutcome::delivered) {
        delivered += 1;
        lead_sum += it.finished_h - it.created_h;
        wait_sum += it.wait_h;
        value += it.value;
        if (!std::isnan(it.sla_met)) {
          tickets += 1;
          sla_met += it.sla_met;
        }
        EXPECT_LE(it.wait_h + it.handoff_h, it.finished_h - it.created_h + 1e-9);
      } else if (it.outcome == ItemOutcome::shadow_build) {
        shadow_value += it.value;
      }
    }
    const std::string id = s.models[m].id;
    EXPECT_EQ(count[ItemOutcome::delivered], kpi(r, Kpi::completed)) << id;
    EXPECT_EQ(count[ItemOutcome::abandoned] + count[ItemOutcome::declined] +
                  count[ItemOutcome::shadow_build],
              kpi(r, Kpi::abandoned) + kpi(r, Kpi::declined))
        << id;
    EXPECT_EQ(count[ItemOutcome::shadow_build], kpi(r, Kpi::shadow_builds)) << id;
    EXPECT_EQ(count[ItemOutcome::open], kpi(r, Kpi::backlog_end)) << id; // no warm-up
    ASSERT_GT(delivered, 0);
    EXPECT_NEAR(lead_sum / delivered, kpi(r, Kpi::lead_time_mean_h), 1e-9 * lead_sum) << id;
    EXPECT_NEAR(wait_sum / delivered, kpi(r, Kpi::wait_mean_h), 1e-9 * wait_sum + 1e-12) << id;
    EXPECT_NEAR(value, kpi(r, Kpi::value_gross), 1e-9 * value + 1e-9) << id;
    EXPECT_NEAR(shadow_value, kpi(r, Kpi::shadow_value), 1e-9 * shadow_value + 1e-9) << id;
    EXPECT_NEAR(sla_met / tickets, kpi(r, Kpi::sla_attainment), 1e-12) << id;
  }
}

TEST(RunOutput, RecordsOnlyItemsCreatedAfterTheWarmup) {
  const scenarios::Scenario s = midsize({"horizon=8w", "warmup=3w"});
  RunOptions options;
  options.record_items = true;
  const RunResult r = run_model(s, 0, 0, options);
  ASSERT_FALSE(r.items.empty());
  for (const ItemRecord& it : r.items)
    EXPECT_GE(it.created_h, 3 * 168.0);
}

TEST(RunOutput, MserFiveFindsTheFillingOfAnEmptyOrganisation) {
  // The organisation starts empty: projects and enhancements pile up over the first
  // months, so the backlog has a transient that MSER-5 must cut, well inside the run.
  const scenarios::Scenario s = midsize({"horizon=2y", "warmup=mser5"});
  const scenarios::Scenario fixed_zero = midsize({"horizon=2y", "warmup=0d"});
  // coe: its backlog levels off within the run (passive's still grows after the transient,
  // and MSER-5 does not call a trending backlog's warm-up reliable).
  const std::uint32_t coe = 3;
  ASSERT_EQ(s.models[coe].id, "coe");
  const RunResult r = run_model(s, coe, 0);
  EXPECT_GT(r.warmup_h, 0);
  EXPECT_LT(r.warmup_h, s.horizon_h / 2);
  EXPECT_TRUE(r.warmup_reliable);
  EXPECT_EQ(kpi(r, Kpi::warmup_h), r.warmup_h);
  EXPECT_EQ(std::fmod(r.warmup_h, 24.0), 0.0); // a whole number of grid steps
  // The run is the fixed-warm-up run with the detected warm-up: same trajectory, same KPIs.
  const scenarios::Scenario fixed =
      midsize({"horizon=2y", "warmup=" + std::to_string(static_cast<long>(r.warmup_h)) + "h"});
  const RunResult f = run_model(fixed, coe, 0);
  EXPECT_EQ(std::memcmp(r.kpi.data(), f.kpi.data(), sizeof r.kpi), 0);
  // And it counts fewer items than a run with no warm-up at all.
  EXPECT_LT(kpi(r, Kpi::demand_generated),
            kpi(run_model(fixed_zero, coe, 0), Kpi::demand_generated));
}

} // namespace
} // namespace itsim::models
