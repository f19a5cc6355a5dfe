// SPDX-License-Identifier: Apache-2.0
// The stationarity verdict of a run (RunResult::stationarity): a run whose backlog grows
// is called trending with its slope, a stable queue steady, a short run "too short", a
// run without time series "not tested"; and MSER-5 never calls a trending pilot reliable.
#include "itsim/models/org_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "itsim/scenarios/loader.hpp"
#include "shipped_scenario.hpp"

namespace itsim::models {
namespace {

scenarios::Scenario load(const std::string& file, const std::vector<std::string>& overrides) {
  return test::load_shipped(file, overrides);
}

using test::model_index;

RunOptions daily() {
  RunOptions o;
  o.timeseries_step_h = 24;
  return o;
}

// The default company with half its service desk: L1's queue cannot keep up.
const std::vector<std::string> overloaded = {"staff.pools.l1.headcount=3"};

TEST(StationarityRun, AnOverloadedDeskIsTrendingWithAGrowingBacklog) {
  const scenarios::Scenario s = load("scenarios/midsize.yaml", overloaded);
  const std::uint32_t passive = model_index(s, "passive");
  for (std::uint64_t rep = 0; rep < 2; ++rep) {
    const RunResult r = run_model(s, passive, rep, daily());
    EXPECT_EQ(r.stationarity, Stationarity::trending) << "replication " << rep;
    EXPECT_GT(r.backlog_slope_per_year, 100.0) << "replication " << rep;
    // The slope agrees with the backlog's growth between the warm-up and the horizon.
    const std::size_t first = static_cast<std::size_t>(r.warmup_h / 24);
    const double* backlog =
        r.series.data() + static_cast<std::size_t>(Series::backlog) * r.series_points;
    const double years = static_cast<double>(r.series_points - first) * 24 / 8760;
    const double growth = (backlog[r.series_points - 1] - backlog[first]) / years;
    EXPECT_NEAR(r.backlog_slope_per_year, growth, 0.5 * std::abs(growth));
  }
}

TEST(StationarityRun, AStableQueueIsSteadyInMostRuns) {
  // M/M/3 at 80% load: the queue forgets its past within days.
  const scenarios::Scenario s = load("scenarios/validation/mmc.yaml", {});
  std::size_t steady = 0;
  const std::size_t runs = 10;
  for (std::uint64_t rep = 0; rep < runs; ++rep) {
    const RunResult r = run_model(s, 0, rep, daily());
    EXPECT_NE(r.stationarity, Stationarity::too_short);
    EXPECT_TRUE(std::isfinite(r.backlog_slope_per_year));
    if (r.stationarity == Stationarity::steady) ++steady;
  }
  EXPECT_GE(steady, runs - 2);
}

TEST(StationarityRun, AShortRunCannotTellAndARunWithoutSeriesIsNotTested) {
  // 8 weeks with 1 of warm-up: 49 daily samples, fewer than ten batches of five.
  const scenarios::Scenario s = load("scenarios/validation/mmc.yaml", {"horizon=8w"});
  const RunResult r = run_model(s, 0, 0, daily());
  EXPECT_EQ(r.stationarity, Stationarity::too_short);
  EXPECT_TRUE(std::isnan(r.backlog_slope_per_year));
  const RunResult plain = run_model(s, 0, 0);
  EXPECT_EQ(plain.stationarity, Stationarity::not_tested);
  EXPECT_TRUE(std::isnan(plain.backlog_slope_per_year));
  // The test reads the series; it changes no KPI.
  EXPECT_EQ(std::memcmp(plain.kpi.data(), r.kpi.data(), sizeof plain.kpi), 0);
  EXPECT_STREQ(to_string(Stationarity::too_short), "too short");
}

TEST(StationarityRun, Mser5NeverCallsATrendingWarmupReliable) {
  const scenarios::Scenario s =
      load("scenarios/midsize.yaml", {"staff.pools.l1.headcount=3", "warmup=mser5"});
  const RunResult r = run_model(s, model_index(s, "passive"), 0, daily());
  EXPECT_EQ(r.stationarity, Stationarity::trending);
  EXPECT_FALSE(r.warmup_reliable);
  // A stable queue keeps its reliable warm-up.
  const scenarios::Scenario mmc = load("scenarios/validation/mmc.yaml", {"warmup=mser5"});
  EXPECT_TRUE(run_model(mmc, 0, 0, daily()).warmup_reliable);
}

} // namespace
} // namespace itsim::models
