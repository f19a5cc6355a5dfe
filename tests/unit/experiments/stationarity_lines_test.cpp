// SPDX-License-Identifier: Apache-2.0
// The lines `itsim run` prints under its table about each model's stationarity verdicts.
#include "itsim/experiments/run_results.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace itsim::experiments {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// A file of `codes.size()` runs of `model` with these verdict codes and slopes.
void add(analysis::ResultsFile& f, const std::string& model, const std::vector<int>& codes,
         const std::vector<double>& slopes) {
  f.models.push_back(model);
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const bool failed = codes[i] < 0;
    f.runs.add_run(model, static_cast<std::uint32_t>(i), 0, i,
                   failed ? analysis::run_status_failed : analysis::run_status_ok,
                   failed ? "boom" : "", {});
    f.runs.steady.push_back(static_cast<std::uint8_t>(failed ? 255 : codes[i]));
    f.runs.backlog_slope_per_year.push_back(slopes[i]);
  }
}

TEST(StationarityLines, FlagsAModelWhoseRunsTrendBeyondChance) {
  analysis::ResultsFile f;
  add(f, "passive", {0, 0, 0, 1, -1}, {120, 80, 100, 3, nan});
  add(f, "shrinking", {0, 0, 1}, {-12.5, -30, 1});
  const std::vector<std::string> lines = describe_stationarity(f, 0.01);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "Backlog after the warm-up (batch-means trend test, 1% false alarms a run):");
  EXPECT_EQ(lines[1], "  passive: backlog still growing in 3 of 4 runs: +100 items a year "
                      "(median); results depend on the horizon");
  EXPECT_EQ(lines[2], "  shrinking: backlog still shrinking in 2 of 3 runs: -21 items a year "
                      "(median); results depend on the horizon");
}

TEST(StationarityLines, CallsAModelSteadyWhenItsFlagsAreFalseAlarms) {
  // 1 of 30 at 1%: P(at least one) = 26%, no evidence of a trend.
  analysis::ResultsFile f;
  std::vector<int> codes(30, 1);
  codes[7] = 0;
  add(f, "coe", codes, std::vector<double>(30, 2.5));
  std::vector<int> all_steady(4, 1);
  add(f, "rotation", all_steady, std::vector<double>(4, 0.5));
  const std::vector<std::string> lines = describe_stationarity(f, 0.01);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "  coe: steady in 29 of 30 runs (1 flagged, as the test's false alarms can)");
  EXPECT_EQ(lines[2], "  rotation: steady in 4 of 4 runs");
}

TEST(StationarityLines, SaysWhenRunsAreTooShortAndStaysSilentWithoutVerdicts) {
  analysis::ResultsFile f;
  add(f, "passive", {2, 2}, {nan, nan});
  add(f, "mixed", {1, 1, 2}, {0, 0, nan});
  const std::vector<std::string> lines = describe_stationarity(f, 0.01);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1],
            "  passive: cannot tell in 2 runs: the run is too short for the stationarity test");
  EXPECT_EQ(lines[2], "  mixed: steady in 2 of 2 runs; cannot tell in 1 run: the run is too "
                      "short for the stationarity test");

  analysis::ResultsFile sweep; // no verdict columns
  sweep.models = {"a"};
  sweep.runs.add_run("a", 0, 0, 0, analysis::run_status_ok, "", {});
  EXPECT_TRUE(describe_stationarity(sweep, 0.01).empty());
}

} // namespace
} // namespace itsim::experiments
