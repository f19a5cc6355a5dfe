// SPDX-License-Identifier: Apache-2.0
// The horizon check: paired differences of a cumulative series at earlier horizons of the
// same runs, and whether a significant ranking flips.
#include "itsim/experiments/horizon_check.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace itsim::experiments {
namespace {

TEST(HorizonCheck, CheckpointsAreYearsOverLongRunsAndQuartersOverShortOnes) {
  EXPECT_EQ(horizon_checkpoints(0, 3 * 8760.0), (std::vector<double>{8760, 17520, 26280}));
  EXPECT_EQ(horizon_checkpoints(1000, 1000 + 2.5 * 8760),
            (std::vector<double>{1000 + 8760, 1000 + 17520, 1000 + 2.5 * 8760}));
  EXPECT_EQ(horizon_checkpoints(2184, 8760),
            (std::vector<double>{2184 + 1644, 2184 + 3288, 2184 + 4932, 8760}));
  EXPECT_TRUE(horizon_checkpoints(100, 100).empty());
}

/// Two models x `reps` replications, a yearly series over three years: the baseline at
/// 0, the other at +10 after year one and -10 after year three (plus a little noise).
analysis::ResultsFile two_models(std::uint32_t reps, double late) {
  analysis::ResultsFile f;
  f.models = {"base", "other"};
  f.baseline = "base";
  analysis::TimeSeriesSet ts;
  ts.start_h = 8760;
  ts.step_h = 8760;
  ts.points = 3;
  analysis::TimeSeries s;
  s.name = "net_value_cumulative";
  s.unit = "money";
  for (const char* m : {"base", "other"}) {
    for (std::uint32_t r = 0; r < reps; ++r) {
      f.runs.add_run(m, r, 0, r, analysis::run_status_ok, "", {});
      const double noise = 0.1 * (double(r % 3) - 1);
      const bool other = std::string(m) == "other";
      s.values.push_back(other ? 10 + noise : 0);
      s.values.push_back(other ? 1 + noise : 0);
      s.values.push_back(other ? late + noise : 0);
    }
  }
  ts.series.push_back(s);
  f.timeseries = ts;
  return f;
}

TEST(HorizonCheck, FindsARankingThatFlipsWithTheHorizon) {
  const HorizonCheck c = horizon_check(two_models(6, -10), 0);
  EXPECT_EQ(c.baseline, "base");
  EXPECT_EQ(c.unit, "money");
  ASSERT_EQ(c.models.size(), 1u);
  const HorizonComparison& o = c.models[0];
  EXPECT_EQ(o.model, "other");
  ASSERT_EQ(o.points.size(), 3u);
  EXPECT_DOUBLE_EQ(o.points[0].time_h, 8760);
  EXPECT_NEAR(o.points[0].mean, 10, 1e-9);
  EXPECT_TRUE(o.points[0].significant);
  EXPECT_NEAR(o.points[2].mean, -10, 1e-9);
  EXPECT_TRUE(o.flips);
  EXPECT_EQ(o.flip_from, 0u);
  EXPECT_EQ(o.flip_to, 2u);
}

TEST(HorizonCheck, SaysWhichCheckpointsDisagree) {
  const std::vector<std::string> lines =
      describe_horizon_check(horizon_check(two_models(6, -10), 0));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "other - base, net_value_cumulative: 1y +10* 2y +1* 3y -10*; FLIPS with the "
                      "horizon: +10 at 1y, -10 at 3y");
}

TEST(HorizonCheck, SaysWhenASignificantDifferenceFadesByTheHorizon) {
  analysis::ResultsFile f = two_models(6, 0);
  for (std::size_t r = 6; r < 12; ++r) // the other model's last point: noise around 0
    f.timeseries->series[0].values[r * 3 + 2] = double(r % 2) * 2 - 1;
  const std::vector<std::string> lines = describe_horizon_check(horizon_check(f, 0));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("; significant at 1y, not at the horizon"), std::string::npos)
      << lines[0];
}

TEST(HorizonCheck, AStableRankingDoesNotFlip) {
  const HorizonCheck c = horizon_check(two_models(6, 12), 0);
  ASSERT_EQ(c.models.size(), 1u);
  EXPECT_FALSE(c.models[0].flips);
  EXPECT_TRUE(c.models[0].points[2].significant);
}

TEST(HorizonCheck, FailedRunsAreLeftOutAndOnePairHasNoInterval) {
  analysis::ResultsFile f = two_models(2, -10);
  f.runs.status[1] = 1; // base replication 1 failed: one pair left
  const HorizonCheck c = horizon_check(f, 0);
  ASSERT_EQ(c.models.size(), 1u);
  EXPECT_TRUE(std::isnan(c.models[0].points[0].half_width));
  EXPECT_FALSE(c.models[0].points[0].significant);
  EXPECT_FALSE(c.models[0].flips);
}

TEST(HorizonCheck, NoSeriesOrNoBaselineGivesNothing) {
  analysis::ResultsFile f = two_models(3, -10);
  f.baseline.clear();
  EXPECT_TRUE(horizon_check(f, 0).models.empty());
  f = two_models(3, -10);
  f.timeseries.reset();
  EXPECT_TRUE(horizon_check(f, 0).models.empty());
  EXPECT_TRUE(horizon_check(two_models(3, -10), 0, "backlog").models.empty());
}

} // namespace
} // namespace itsim::experiments
