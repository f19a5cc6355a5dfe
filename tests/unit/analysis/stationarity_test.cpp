// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/stationarity.hpp"

#include "itsim/sim/error.hpp"
#include "itsim/sim/random_stream.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace itsim::analysis {
namespace {

using ::testing::HasSubstr;

// Standard normal noise by Box-Muller (cosine branch only) from a seeded stream.
double normal(sim::RandomStream& s) {
  const double r = std::sqrt(-2.0 * std::log(s.uniform_open01()));
  return r * std::cos(2.0 * std::numbers::pi * s.uniform01());
}

// AR(1) with unit innovations, started in its stationary distribution, around `level`.
std::vector<double> ar1(sim::RandomStream& s, std::size_t n, double phi, double level) {
  std::vector<double> x(n);
  double v = normal(s) / std::sqrt(1.0 - phi * phi);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = level + v;
    v = phi * v + normal(s);
  }
  return x;
}

TEST(Stationarity, FlagsALinearTrendPlusNoiseWithItsSlope) {
  // A year of daily samples of a backlog growing 0.5 items a day (182.5 a year) around 100,
  // with correlated noise of standard deviation about 11 items.
  sim::RandomStream stream(3);
  std::vector<double> x = ar1(stream, 365, 0.6, 100.0);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = 100.0 + 0.5 * static_cast<double>(i) + 9.0 * (x[i] - 100.0);
  const TrendResult r = trend_test(x, 24.0);
  EXPECT_EQ(r.verdict, Stationarity::trending);
  EXPECT_EQ(r.batches, 20u);
  EXPECT_EQ(r.batch_size, 18u);
  EXPECT_EQ(r.dropped, 5u);
  EXPECT_NEAR(r.slope_per_year(), 182.5, 3 * r.slope_se_per_h * 8760.0);
  EXPECT_NEAR(r.slope_per_year(), 182.5, 15.0);
  EXPECT_GT(r.t_statistic, r.critical_t);
  // Student's t at 18 degrees of freedom, two-sided 1%.
  EXPECT_NEAR(r.critical_t, 2.878440472713, 1e-9);
}

TEST(Stationarity, FlagsAFallingSeriesWithANegativeSlope) {
  std::vector<double> x(200);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = 500.0 - 2.0 * static_cast<double>(i) + (i % 2 == 0 ? 1.0 : -1.0);
  const TrendResult r = trend_test(x, 1.0);
  EXPECT_EQ(r.verdict, Stationarity::trending);
  EXPECT_NEAR(r.slope_per_h, -2.0, 1e-9);
}

TEST(Stationarity, FalseAlarmRateOfAr1NoiseMatchesTheLevel) {
  // AR(1) with phi = 0.9 (correlation time about 10 samples) and no trend: batches of 400
  // samples keep the batch means nearly independent, so "trending" comes at about the
  // stated 1%. 4000 replicates: the count lies within a binomial band of 3.5 standard
  // deviations around 40 (sd 6.3); it is 40. (Batches of 100 give 59, 1.5%: the lag-1
  // correlation of their means, about 0.05, shows.)
  sim::RandomStream stream(20260101);
  const std::size_t replicates = 4000;
  std::size_t flagged = 0, tested = 0;
  for (std::size_t rep = 0; rep < replicates; ++rep) {
    const std::vector<double> x = ar1(stream, 8000, 0.9, 50.0);
    const TrendResult r = trend_test(x, 24.0);
    if (r.verdict == Stationarity::trending) ++flagged;
    if (r.verdict != Stationarity::too_short) ++tested;
  }
  EXPECT_EQ(tested, replicates);
  RecordProperty("false_alarms", static_cast<int>(flagged));
  const double expected = 0.01 * replicates;
  const double sd = std::sqrt(replicates * 0.01 * 0.99);
  EXPECT_GT(static_cast<double>(flagged), expected - 3.5 * sd) << flagged;
  EXPECT_LT(static_cast<double>(flagged), expected + 3.5 * sd) << flagged;
}

TEST(Stationarity, FalseAlarmRateFollowsTheLevel) {
  // The same at 5%, with independent noise: 2000 replicates, expected 100 (sd 9.7).
  sim::RandomStream stream(99);
  TrendOptions options;
  options.level = 0.05;
  std::size_t flagged = 0;
  const std::size_t replicates = 2000;
  for (std::size_t rep = 0; rep < replicates; ++rep) {
    const std::vector<double> x = ar1(stream, 300, 0.0, 0.0);
    if (trend_test(x, 1.0, options).verdict == Stationarity::trending) ++flagged;
  }
  const double sd = std::sqrt(replicates * 0.05 * 0.95);
  EXPECT_NEAR(static_cast<double>(flagged), 0.05 * replicates, 3.5 * sd);
}

TEST(Stationarity, FlagsARandomWalk) {
  // A random walk has no mean to settle to and a variance growing with time: most walks of
  // a year are flagged, against 1% of stationary series. With a fixed number of batches
  // the batch means of a walk look the same at any length, so the power does not grow
  // with the run: about two walks in three (the others wander back and forth).
  sim::RandomStream stream(5);
  std::size_t flagged = 0;
  const std::size_t walks = 200;
  for (std::size_t w = 0; w < walks; ++w) {
    std::vector<double> x(365);
    double v = 100.0;
    for (double& xi : x) {
      v += normal(stream);
      xi = v;
    }
    if (trend_test(x, 24.0).verdict == Stationarity::trending) ++flagged;
  }
  EXPECT_GT(flagged, walks / 2) << flagged;
}

TEST(Stationarity, ASeriesTooShortForTheBatchesCannotTell) {
  // Ten batches of five samples at least: 49 samples are too few, 50 enough.
  const std::vector<double> short_series(49, 1.0);
  const TrendResult r = trend_test(short_series, 24.0);
  EXPECT_EQ(r.verdict, Stationarity::too_short);
  EXPECT_TRUE(std::isnan(r.slope_per_h));
  EXPECT_TRUE(std::isnan(r.slope_per_year()));
  EXPECT_EQ(r.batches, 0u);
  EXPECT_EQ(trend_test(std::vector<double>{}, 24.0).verdict, Stationarity::too_short);
  EXPECT_EQ(trend_test(std::vector<double>{1.0, 2.0}, 24.0).verdict, Stationarity::too_short);

  std::vector<double> enough(50);
  for (std::size_t i = 0; i < enough.size(); ++i)
    enough[i] = static_cast<double>(i % 3);
  const TrendResult e = trend_test(enough, 24.0);
  EXPECT_NE(e.verdict, Stationarity::too_short);
  EXPECT_EQ(e.batches, 10u);
  EXPECT_EQ(e.batch_size, 5u);

  // Three batches is the least a slope test can use (one degree of freedom).
  TrendOptions three;
  three.min_batches = 3;
  EXPECT_EQ(trend_test(std::vector<double>(14, 1.0), 1.0, three).verdict, Stationarity::too_short);
  EXPECT_EQ(trend_test(std::vector<double>(15, 1.0), 1.0, three).verdict, Stationarity::steady);
}

TEST(Stationarity, AFlatSeriesIsSteadyAndAPerfectLineTrends) {
  const TrendResult flat = trend_test(std::vector<double>(400, 1234.5), 24.0);
  EXPECT_EQ(flat.verdict, Stationarity::steady);
  EXPECT_EQ(flat.slope_per_h, 0.0);
  EXPECT_EQ(flat.t_statistic, 0.0);
  std::vector<double> line(400);
  for (std::size_t i = 0; i < line.size(); ++i)
    line[i] = 3.0 * static_cast<double>(i);
  const TrendResult up = trend_test(line, 2.0);
  EXPECT_EQ(up.verdict, Stationarity::trending);
  EXPECT_NEAR(up.slope_per_h, 1.5, 1e-12);
  EXPECT_NEAR(up.slope_per_year(), 1.5 * 8760, 1e-8);
}

TEST(Stationarity, DropsTheRemainderAtTheStart) {
  // 103 samples: 20 batches of 5 and 3 left over, taken from the start. The first three
  // are wild; without them the series is flat.
  std::vector<double> x(103, 7.0);
  x[0] = 1e6;
  x[1] = -1e6;
  x[2] = 5e5;
  const TrendResult r = trend_test(x, 1.0);
  EXPECT_EQ(r.dropped, 3u);
  EXPECT_EQ(r.batches, 20u);
  EXPECT_EQ(r.verdict, Stationarity::steady);
  EXPECT_EQ(r.slope_per_h, 0.0);
}

TEST(Stationarity, RefusesNonFiniteValuesAndBadOptions) {
  std::vector<double> x(100, 1.0);
  x[42] = std::nan("");
  try {
    trend_test(x, 1.0);
    ADD_FAILURE() << "expected itsim::ModelError";
  } catch (const ModelError& e) {
    EXPECT_THAT(e.what(), HasSubstr("series[42]"));
  }
  const std::vector<double> ok(100, 1.0);
  EXPECT_THROW(trend_test(ok, 0.0), ModelError);
  TrendOptions bad;
  bad.min_batches = 2;
  EXPECT_THROW(trend_test(ok, 1.0, bad), ModelError);
  bad = {};
  bad.level = 1.0;
  EXPECT_THROW(trend_test(ok, 1.0, bad), ModelError);
}

TEST(Stationarity, NamesItsVerdicts) {
  EXPECT_STREQ(to_string(Stationarity::trending), "trending");
  EXPECT_STREQ(to_string(Stationarity::steady), "steady");
  EXPECT_STREQ(to_string(Stationarity::too_short), "too short");
  EXPECT_STREQ(to_string(Stationarity::not_tested), "not tested");
  EXPECT_EQ(static_cast<int>(Stationarity::not_tested), 255);
}

} // namespace
} // namespace itsim::analysis
