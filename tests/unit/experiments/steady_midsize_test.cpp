// SPDX-License-Identifier: Apache-2.0
// The default company is steady, and its answer does not depend on when the runs stop
// (MODEL.md, rules for a fair comparison: "steady state or said so"). Over five years:
//  - every model's mean backlog in year 5 is within 25% of year 2 (rationing, the
//    like-for-like presets and tickets before changes keep every queue bounded);
//  - every paired net-value difference against the baseline that is significant one year
//    after the warm-up keeps its sign at three and five years, or the horizon check under
//    `itsim run`'s table says which one does not (a flip, or significant early and not at
//    the horizon).
// The six calibration targets at the default one-year horizon are checked by
// tests/validation/calibration_test.cpp on the same scenarios/midsize.yaml.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "itsim/experiments/experiment.hpp"
#include "itsim/experiments/horizon_check.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/models/kpi.hpp"
#include "itsim/scenarios/loader.hpp"

namespace itsim::experiments {
namespace {

constexpr std::uint32_t replications = 6;
constexpr double year_h = 8760;
constexpr double step_h = 24 * 7;

struct FiveYears {
  scenarios::Scenario scenario;
  std::vector<ExperimentRun> runs;
  analysis::ResultsFile file;
};

const FiveYears& five_years() {
  static const FiveYears f = [] {
    scenarios::Diagnostics diags;
    auto loaded = scenarios::load_scenario(
        std::string(ITSIM_SOURCE_DIR) + "/scenarios/midsize.yaml", {"horizon=5y"}, diags);
    if (!loaded) throw std::runtime_error(diags.format_all());
    FiveYears out{std::move(loaded->scenario), {}, {}};
    ExperimentOptions options;
    options.replications = replications;
    options.timeseries_step_h = step_h;
    out.runs = run_experiment(out.scenario, options);
    out.file = start_results(out.scenario, "");
    add_runs(out.file, out.scenario, out.runs, 0, options.timeseries_step_h, false);
    return out;
  }();
  return f;
}

TEST(SteadyMidsize, EveryModelsBacklogInYearFiveIsWithinAQuarterOfYearTwo) {
  const FiveYears& f = five_years();
  const std::size_t backlog = std::size_t(models::Series::backlog);
  for (std::uint32_t m = 0; m < f.scenario.models.size(); ++m) {
    double year2 = 0, year5 = 0;
    for (const ExperimentRun& run : f.runs) {
      if (run.model != m) continue;
      ASSERT_TRUE(run.ok) << run.error;
      const models::RunResult& r = run.result;
      for (std::uint32_t k = 0; k < r.series_points; ++k) {
        const double t = (k + 1) * step_h;
        const double v = r.series[backlog * r.series_points + k];
        if (t > year_h && t <= 2 * year_h) year2 += v;
        if (t > 4 * year_h && t <= 5 * year_h) year5 += v;
      }
    }
    std::printf("%-10s backlog year 2 %.1f, year 5 %.1f (sums over %u runs)\n",
                f.scenario.models[m].id.c_str(), year2, year5, replications);
    ASSERT_GT(year2, 0);
    EXPECT_LE(std::abs(year5 - year2), 0.25 * year2) << f.scenario.models[m].id;
  }
}

TEST(SteadyMidsize, SignificantNetValueDifferencesKeepTheirSignOrTheCheckSaysSo) {
  const FiveYears& f = five_years();
  const HorizonCheck check = horizon_check(f.file, f.scenario.warmup_h);
  ASSERT_EQ(check.models.size(), f.scenario.models.size() - 1);
  const std::vector<std::string> lines = describe_horizon_check(check);
  for (const std::string& line : lines)
    std::printf("%s\n", line.c_str());
  for (const HorizonComparison& c : check.models) {
    // Checkpoints: the end of each year measured (1y .. 4y) and the horizon (4.75y).
    ASSERT_EQ(c.points.size(), 5u) << c.model;
    const HorizonPoint& one = c.points[0];
    if (!one.significant) continue;
    const bool kept = std::signbit(c.points[2].mean) == std::signbit(one.mean) &&
                      std::signbit(c.points[4].mean) == std::signbit(one.mean);
    if (kept) continue;
    bool said = false;
    for (const std::string& line : lines)
      if (line.find(c.model) != std::string::npos &&
          (line.find("flip") != std::string::npos ||
           line.find("not at the horizon") != std::string::npos))
        said = true;
    EXPECT_TRUE(said) << c.model << ": significant at one year, sign lost later, and not said";
  }
}

} // namespace
} // namespace itsim::experiments
