// SPDX-License-Identifier: Apache-2.0
#include "itsim/experiments/precision.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "itsim/scenarios/loader.hpp"
#include "itsim/sim/error.hpp"

namespace itsim::experiments {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

analysis::KpiSummary kpi(std::uint32_t n, double mean, double half_width) {
  analysis::KpiSummary k;
  k.n = n;
  k.mean = mean;
  k.ci_half_width = half_width;
  return k;
}

/// A summary over the KPIs net_value and lead_time_p95_h (in that order), one row per model.
analysis::Summary
summary(const std::vector<std::pair<std::string, std::vector<analysis::KpiSummary>>>& rows) {
  analysis::Summary s;
  s.kpi_names = {"net_value", "lead_time_p95_h"};
  s.kpi_units = {"money", "h"};
  for (const auto& [model, kpis] : rows) {
    analysis::SummaryRow row;
    row.model = model;
    row.kpis = kpis;
    s.rows.push_back(row);
  }
  return s;
}

PrecisionTarget target(double relative, std::vector<std::string> kpis,
                       std::uint32_t max_replications = 1000) {
  PrecisionTarget t;
  t.relative = relative;
  t.kpis = std::move(kpis);
  t.max_replications = max_replications;
  return t;
}

TEST(Precision, IsMetWhenEveryModelIsWithinTheTarget) {
  const auto s = summary({{"passive", {kpi(10, 100, 4), kpi(10, 50, 1)}},
                          {"coe", {kpi(10, -200, 8), kpi(10, 20, 0.5)}}});
  const PrecisionCheck c = check_precision(s, target(0.05, {"net_value", "lead_time_p95_h"}));
  EXPECT_TRUE(c.met);
  EXPECT_DOUBLE_EQ(c.worst_ratio, 0.8); // 4 / 100 and 8 / |-200| over 0.05
  EXPECT_EQ(c.worst_model, "passive");  // the first of the ties
  EXPECT_EQ(c.worst_kpi, "net_value");
  EXPECT_DOUBLE_EQ(c.worst_relative, 0.04);
}

TEST(Precision, IsNotMetAndNamesTheWorstModelAndKpi) {
  const auto s = summary(
      {{"passive", {kpi(10, 100, 4), kpi(10, 50, 1)}}, {"coe", {kpi(10, 100, 3), kpi(10, 20, 2)}}});
  const PrecisionCheck c = check_precision(s, target(0.05, {"net_value", "lead_time_p95_h"}));
  EXPECT_FALSE(c.met);
  EXPECT_EQ(c.worst_model, "coe");
  EXPECT_EQ(c.worst_kpi, "lead_time_p95_h");
  EXPECT_DOUBLE_EQ(c.worst_relative, 0.1);
  EXPECT_DOUBLE_EQ(c.worst_ratio, 2.0);
}

TEST(Precision, LooksOnlyAtTheKpisOfTheTarget) {
  const auto s = summary({{"passive", {kpi(10, 100, 4), kpi(10, 50, 40)}}});
  EXPECT_TRUE(check_precision(s, target(0.05, {"net_value"})).met);
  EXPECT_FALSE(check_precision(s, target(0.05, {"lead_time_p95_h"})).met);
}

TEST(Precision, GivesAnInfiniteRatioBelowTwoValuesOrWithoutAHalfWidth) {
  for (const analysis::KpiSummary& k :
       {kpi(1, 100, 0), kpi(0, nan, nan), kpi(5, 100, nan), kpi(5, 0, 3)}) {
    const auto s = summary({{"passive", {k, kpi(10, 50, 1)}}});
    const PrecisionCheck c = check_precision(s, target(0.05, {"net_value"}));
    EXPECT_FALSE(c.met) << k.n << " " << k.mean << " " << k.ci_half_width;
    EXPECT_EQ(c.worst_ratio, infinity);
    EXPECT_EQ(c.worst_relative, infinity);
  }
}

TEST(Precision, CountsAZeroHalfWidthAsMet) {
  // Every replication agrees, even on a zero mean (no shadow builds at all).
  const auto s = summary({{"passive", {kpi(5, 0, 0), kpi(5, 50, 0)}}});
  const PrecisionCheck c = check_precision(s, target(0.01, {"net_value", "lead_time_p95_h"}));
  EXPECT_TRUE(c.met);
  EXPECT_EQ(c.worst_ratio, 0.0);
}

TEST(Precision, RejectsAKpiTheSummaryDoesNotHave) {
  const auto s = summary({{"passive", {kpi(5, 1, 0), kpi(5, 1, 0)}}});
  EXPECT_THROW(check_precision(s, target(0.05, {"net_valeu"})), itsim::Error);
}

TEST(Precision, AimsTenPercentBeyondTheReplicationsThatWouldMeetTheTarget) {
  PrecisionCheck c;
  c.worst_ratio = 1.2; // 10 x 1.44 x 1.1 = 15.84
  EXPECT_EQ(next_replications(c, target(0.05, {}), 10), 16u);
}

TEST(Precision, GrowsByAtLeastOneReplication) {
  PrecisionCheck c;
  c.worst_ratio = 1.01;
  EXPECT_EQ(next_replications(c, target(0.05, {}), 1), 2u);
  c.worst_ratio = 0.5; // would already do: still one more
  EXPECT_EQ(next_replications(c, target(0.05, {}), 100), 101u);
}

TEST(Precision, GrowsAtMostFourfoldAndDoublesOnAnInfiniteRatio) {
  PrecisionCheck c;
  c.worst_ratio = 3;
  EXPECT_EQ(next_replications(c, target(0.05, {}), 10), 40u);
  c.worst_ratio = infinity;
  EXPECT_EQ(next_replications(c, target(0.05, {}), 10), 20u);
  EXPECT_EQ(next_replications(c, target(0.05, {}), 1), 2u);
}

TEST(Precision, NeverGoesBeyondTheMaximum) {
  PrecisionCheck c;
  c.worst_ratio = 3;
  EXPECT_EQ(next_replications(c, target(0.05, {}, 25), 10), 25u);
  c.worst_ratio = infinity;
  EXPECT_EQ(next_replications(c, target(0.05, {}, 12), 10), 12u);
}

TEST(Precision, DescribesATargetMet) {
  PrecisionCheck c;
  c.met = true;
  c.worst_model = "coe";
  c.worst_kpi = "net_value";
  c.worst_relative = 0.0312;
  EXPECT_EQ(describe_precision(c, target(0.05, {"net_value"}), 30),
            "precision: every model within ±5% of the mean on each --precision-kpi after 30 "
            "replications (widest: coe net_value ±3.12%)");
}

TEST(Precision, DescribesATargetNotReached) {
  PrecisionCheck c;
  c.met = false;
  c.worst_model = "passive";
  c.worst_kpi = "lead_time_p95_h";
  c.worst_relative = 0.125;
  EXPECT_EQ(describe_precision(c, target(0.025, {"lead_time_p95_h"}), 8),
            "precision: NOT reached after 8 replications (--max-replications): passive "
            "lead_time_p95_h ±12.5% of its mean, target ±2.5%");
}

scenarios::Scenario short_midsize() {
  scenarios::Diagnostics diags;
  const auto loaded =
      scenarios::load_scenario(std::string(ITSIM_SOURCE_DIR) + "/scenarios/midsize.yaml",
                               {"horizon=4w", "warmup=1w", "replications=2"}, diags);
  if (!loaded) throw std::runtime_error(diags.format_all());
  return loaded->scenario;
}

/// Runs `s` to `t` and checks the runs are those of one run_experiment with as many
/// replications as it took, bit for bit, in the same order; returns the precision run.
PrecisionRun run_and_compare(const scenarios::Scenario& s, const PrecisionTarget& t) {
  ExperimentOptions options;
  options.scheduler.threads = 2;
  RunProgress last;
  options.scheduler.progress = [&last](const RunProgress& p) {
    EXPECT_GE(p.done, last.done);
    EXPECT_GE(p.total, last.total);
    last = p;
  };
  PrecisionRun run = run_to_precision(s, t, options);
  EXPECT_EQ(last.done, run.runs.size());
  EXPECT_EQ(last.total, run.runs.size());

  ExperimentOptions at_once;
  at_once.replications = run.replications;
  const std::vector<ExperimentRun> reference = run_experiment(s, at_once);
  EXPECT_EQ(run.runs.size(), reference.size());
  for (std::size_t i = 0; i < std::min(run.runs.size(), reference.size()); ++i) {
    EXPECT_EQ(run.runs[i].model, reference[i].model) << i;
    EXPECT_EQ(run.runs[i].replication, reference[i].replication) << i;
    EXPECT_EQ(std::memcmp(run.runs[i].result.kpi.data(), reference[i].result.kpi.data(),
                          sizeof(double) * models::kpi_count),
              0)
        << i;
  }
  return run;
}

TEST(Precision, RunsToTheMaximumInBatchesLikeOneExperimentOfThatSize) {
  const scenarios::Scenario s = short_midsize();
  // Out of reach: batches of 2, then 4x (8) capped at the maximum, 5.
  const PrecisionRun run = run_and_compare(s, target(1e-9, {"net_value"}, 5));
  EXPECT_EQ(run.replications, 5u);
  EXPECT_EQ(run.runs.size(), s.models.size() * 5);
  EXPECT_FALSE(run.check.met);
}

TEST(Precision, StopsAtTheFirstBatchThatMeetsTheTarget) {
  const scenarios::Scenario s = short_midsize();
  // Within reach in a few batches (the runs are seeded: always the same ones).
  const PrecisionTarget t = target(0.2, {"lead_time_p50_h"}, 40);
  const PrecisionRun run = run_and_compare(s, t);
  EXPECT_TRUE(run.check.met);
  EXPECT_GT(run.replications, 2u); // more than one batch
  EXPECT_LT(run.replications, 40u);
}

} // namespace
} // namespace itsim::experiments
