// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/summary.hpp"

#include "results_sample.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace itsim::analysis {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
// Student t quantiles t_{0.975, dof} (tabulated; also checked in confidence_test.cpp).
constexpr double t3 = 3.182446305284263;
constexpr double t4 = 2.7764451051977987;

// Models "base" (the baseline), "alt" and "broken"; KPIs x (h), y (items), z (share).
//   point 0: base reps 0-3 ok: x 1 2 3 4, y 10 10 10 10, z 1 1 1 1; rep 4 failed.
//            alt reps 0-4 ok: x 2 4 5 4 7, y 12 13 11 12 14, z 2 NaN 2 2 2.
//            broken reps 0-1 failed.
//   point 1: base rep 0: x 3; alt rep 0: x 5 (y, z as at point 0, rep 0).
ResultsFile hand_file() {
  ResultsFile f;
  f.provenance.itsim_version = "test";
  f.models = {"base", "alt", "broken"};
  f.baseline = "base";
  f.runs.kpis = {{"x", "h", "", {}}, {"y", "items", "", {}}, {"z", "share", "", {}}};
  auto run = [&](const char* model, std::uint32_t rep, std::uint32_t point, bool ok, double x,
                 double y, double z) {
    const double v[3] = {x, y, z};
    f.runs.add_run(model, rep, point, 1000 + rep, ok ? run_status_ok : run_status_failed,
                   ok ? "" : "boom", v);
  };
  run("base", 0, 0, true, 1, 10, 1);
  run("base", 1, 0, true, 2, 10, 1);
  run("base", 2, 0, true, 3, 10, 1);
  run("base", 3, 0, true, 4, 10, 1);
  run("base", 4, 0, false, 100, 100, 100); // failed: its values must not count
  run("alt", 0, 0, true, 2, 12, 2);
  run("alt", 1, 0, true, 4, 13, nan);
  run("alt", 2, 0, true, 5, 11, 2);
  run("alt", 3, 0, true, 4, 12, 2);
  run("alt", 4, 0, true, 7, 14, 2);
  run("broken", 0, 0, false, nan, nan, nan);
  run("broken", 1, 0, false, nan, nan, nan);
  run("base", 0, 1, true, 3, 10, 1);
  run("alt", 0, 1, true, 5, 12, 2);
  return f;
}

TEST(SummaryPercentile, InterpolatesLinearlyLikeNumpy) {
  const std::vector<double> four = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(percentile(four, 0.10), 1.3);
  EXPECT_DOUBLE_EQ(percentile(four, 0.50), 2.5);
  EXPECT_DOUBLE_EQ(percentile(four, 0.90), 3.7);
  EXPECT_EQ(percentile(four, 0.0), 1.0);
  EXPECT_EQ(percentile(four, 1.0), 4.0);
  const std::vector<double> five = {2, 4, 4, 5, 7};
  EXPECT_DOUBLE_EQ(percentile(five, 0.10), 2.8);
  EXPECT_EQ(percentile(five, 0.50), 4.0);
  EXPECT_DOUBLE_EQ(percentile(five, 0.90), 6.2);
  EXPECT_EQ(percentile(std::vector<double>{7.5}, 0.9), 7.5);
  EXPECT_TRUE(std::isnan(percentile(std::vector<double>{}, 0.5)));
}

TEST(Summary, RowsFollowModelOrderThenPoint) {
  const Summary s = summarize(hand_file());
  EXPECT_EQ(s.kpi_names, (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(s.kpi_units, (std::vector<std::string>{"h", "items", "share"}));
  ASSERT_EQ(s.rows.size(), 5u);
  const std::vector<std::pair<std::string, std::uint32_t>> keys = {
      {"base", 0}, {"base", 1}, {"alt", 0}, {"alt", 1}, {"broken", 0}};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(s.rows[i].model, keys[i].first);
    EXPECT_EQ(s.rows[i].point, keys[i].second);
  }
}

TEST(Summary, MatchesHandComputedStatistics) {
  const Summary s = summarize(hand_file());
  EXPECT_EQ(s.level, 0.95);
  const SummaryRow& base = s.rows[0];
  EXPECT_EQ(base.runs_ok, 4u);
  EXPECT_EQ(base.runs_failed, 1u);
  const KpiSummary& bx = base.kpis[0];
  EXPECT_EQ(bx.n, 4u);
  EXPECT_DOUBLE_EQ(bx.mean, 2.5);
  EXPECT_NEAR(bx.ci_half_width, t3 * std::sqrt(5.0 / 3.0) / 2.0, 1e-12); // 2.0542602567608
  EXPECT_DOUBLE_EQ(bx.p10, 1.3);
  EXPECT_DOUBLE_EQ(bx.p50, 2.5);
  EXPECT_DOUBLE_EQ(bx.p90, 3.7);
  const KpiSummary& by = base.kpis[1];
  EXPECT_EQ(by.mean, 10.0);
  EXPECT_EQ(by.ci_half_width, 0.0); // no spread
  EXPECT_EQ(by.p10, 10.0);

  const SummaryRow& alt = s.rows[2];
  EXPECT_EQ(alt.runs_ok, 5u);
  EXPECT_EQ(alt.runs_failed, 0u);
  const KpiSummary& ax = alt.kpis[0];
  EXPECT_EQ(ax.n, 5u);
  EXPECT_DOUBLE_EQ(ax.mean, 4.4);
  EXPECT_NEAR(ax.ci_half_width, t4 * std::sqrt(3.3 / 5.0), 1e-12); // 2.2555946662990
  EXPECT_DOUBLE_EQ(ax.p10, 2.8);
  EXPECT_DOUBLE_EQ(ax.p50, 4.0);
  EXPECT_DOUBLE_EQ(ax.p90, 6.2);
  EXPECT_DOUBLE_EQ(alt.kpis[1].mean, 12.4);
  // z: the ok run with NaN does not count.
  EXPECT_EQ(alt.kpis[2].n, 4u);
  EXPECT_EQ(alt.kpis[2].mean, 2.0);
  EXPECT_EQ(alt.kpis[2].ci_half_width, 0.0);
}

TEST(Summary, OneValueHasNoIntervalAndNoneHasNoStatistics) {
  const Summary s = summarize(hand_file());
  const KpiSummary& one = s.rows[3].kpis[0]; // alt, point 1
  EXPECT_EQ(one.n, 1u);
  EXPECT_EQ(one.mean, 5.0);
  EXPECT_TRUE(std::isnan(one.ci_half_width));
  EXPECT_EQ(one.p10, 5.0);
  EXPECT_EQ(one.p90, 5.0);
  const SummaryRow& broken = s.rows[4];
  EXPECT_EQ(broken.runs_ok, 0u);
  EXPECT_EQ(broken.runs_failed, 2u);
  for (const KpiSummary& k : broken.kpis) {
    EXPECT_EQ(k.n, 0u);
    EXPECT_TRUE(std::isnan(k.mean) && std::isnan(k.ci_half_width) && std::isnan(k.p10) &&
                std::isnan(k.p50) && std::isnan(k.p90));
  }
}

TEST(SummaryComparison, PairsReplicationsAtTheSamePointAgainstTheBaseline) {
  const Summary s = summarize(hand_file());
  EXPECT_EQ(s.baseline, "base");
  ASSERT_EQ(s.comparison.size(), 3u);
  EXPECT_EQ(s.comparison[0].model, "alt");
  EXPECT_EQ(s.comparison[0].point, 0u);
  EXPECT_EQ(s.comparison[1].model, "alt");
  EXPECT_EQ(s.comparison[1].point, 1u);
  EXPECT_EQ(s.comparison[2].model, "broken");

  // alt - base at point 0: replications 0-3 (base's replication 4 failed).
  const KpiDifference& dx = s.comparison[0].kpis[0]; // 1 2 2 0
  EXPECT_EQ(dx.n, 4u);
  EXPECT_DOUBLE_EQ(dx.mean, 1.25);
  EXPECT_NEAR(dx.ci_half_width, t3 * std::sqrt(2.75 / 3.0) / 2.0, 1e-12); // 1.5234801808
  EXPECT_FALSE(dx.significant);                      // [-0.27, 2.77] contains 0
  const KpiDifference& dy = s.comparison[0].kpis[1]; // 2 3 1 2
  EXPECT_EQ(dy.n, 4u);
  EXPECT_DOUBLE_EQ(dy.mean, 2.0);
  EXPECT_NEAR(dy.ci_half_width, t3 * std::sqrt(2.0 / 3.0) / 2.0, 1e-12); // 1.2992282636
  EXPECT_TRUE(dy.significant);                                           // [0.70, 3.30]
  const KpiDifference& dz = s.comparison[0].kpis[2]; // 1 (NaN) 1 1: replication 1 dropped
  EXPECT_EQ(dz.n, 3u);
  EXPECT_EQ(dz.mean, 1.0);
  EXPECT_EQ(dz.ci_half_width, 0.0);
  EXPECT_TRUE(dz.significant); // [1, 1] excludes 0

  // One pair: a difference but no interval.
  const KpiDifference& one = s.comparison[1].kpis[0];
  EXPECT_EQ(one.n, 1u);
  EXPECT_EQ(one.mean, 2.0);
  EXPECT_TRUE(std::isnan(one.ci_half_width));
  EXPECT_FALSE(one.significant);
  // No pair at all.
  for (const KpiDifference& d : s.comparison[2].kpis) {
    EXPECT_EQ(d.n, 0u);
    EXPECT_TRUE(std::isnan(d.mean) && std::isnan(d.ci_half_width));
    EXPECT_FALSE(d.significant);
  }
}

TEST(SummaryComparison, NoBaselineMeansNoComparison) {
  ResultsFile f = hand_file();
  f.baseline.clear();
  const Summary s = summarize(f);
  EXPECT_EQ(s.rows.size(), 5u);
  EXPECT_TRUE(s.comparison.empty());
}

// Shards merged in any order must give the same statistics, to the bit.
TEST(Summary, DoesNotDependOnTheOrderOfTheRuns) {
  const ResultsFile f = test::sample_results(7);
  ResultsFile reversed = f;
  RunTable& r = reversed.runs;
  std::reverse(r.model.begin(), r.model.end());
  std::reverse(r.replication.begin(), r.replication.end());
  std::reverse(r.point.begin(), r.point.end());
  std::reverse(r.seed.begin(), r.seed.end());
  std::reverse(r.status.begin(), r.status.end());
  std::reverse(r.message.begin(), r.message.end());
  for (auto& k : r.kpis)
    std::reverse(k.values.begin(), k.values.end());
  for (auto& c : r.factors)
    std::visit([](auto& v) { std::reverse(v.begin(), v.end()); }, c.values);
  reversed.timeseries.reset();
  reversed.requests.reset();
  const Summary a = summarize(f);
  const Summary b = summarize(reversed);
  ASSERT_EQ(a.rows.size(), b.rows.size());
  const auto bits = [](double x) { return std::bit_cast<std::uint64_t>(x); };
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    for (std::size_t k = 0; k < a.kpi_names.size(); ++k) {
      EXPECT_EQ(bits(a.rows[i].kpis[k].mean), bits(b.rows[i].kpis[k].mean));
      EXPECT_EQ(bits(a.rows[i].kpis[k].ci_half_width), bits(b.rows[i].kpis[k].ci_half_width));
    }
  }
  for (std::size_t i = 0; i < a.comparison.size(); ++i) {
    for (std::size_t k = 0; k < a.kpi_names.size(); ++k)
      EXPECT_EQ(bits(a.comparison[i].kpis[k].mean), bits(b.comparison[i].kpis[k].mean));
  }
}

TEST(Summary, RejectsABadLevel) {
  EXPECT_THROW((void)summarize(hand_file(), 1.0), std::invalid_argument);
}

} // namespace
} // namespace itsim::analysis
