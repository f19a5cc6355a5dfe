// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/warmup.hpp"

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

// Message of the ModelError thrown by f; fails the test if none is thrown.
template <typename F> std::string model_error_message(F&& f) {
  try {
    f();
  } catch (const ModelError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected itsim::ModelError";
  return {};
}

// Standard normal noise by Box-Muller (cosine branch only) from a seeded stream.
double normal(sim::RandomStream& s) {
  const double r = std::sqrt(-2.0 * std::log(s.uniform_open01()));
  return r * std::cos(2.0 * std::numbers::pi * s.uniform01());
}

// ---------------------------------------------------------------------------------------
// mser5

TEST(Mser5, TruncatesAnObviousInitialTransient) {
  sim::RandomStream stream(7);
  std::vector<double> series;
  for (int i = 0; i < 100; ++i)
    series.push_back(50.0 * (1.0 - i / 100.0) + normal(stream));
  for (int i = 0; i < 900; ++i)
    series.push_back(normal(stream));
  const WarmupResult w = mser5(series);
  EXPECT_GE(w.truncate_observations, 80U);
  EXPECT_LE(w.truncate_observations, 200U);
  EXPECT_EQ(w.truncate_observations % 5, 0U);
  EXPECT_EQ(w.batch_size, 5U);
  EXPECT_TRUE(w.reliable);
  EXPECT_GT(w.mser_statistic, 0.0);
}

TEST(Mser5, TruncatesLittleOfAStationarySeries) {
  sim::RandomStream stream(11);
  std::vector<double> series;
  for (int i = 0; i < 1000; ++i)
    series.push_back(100.0 + 3.0 * normal(stream));
  const WarmupResult w = mser5(series);
  EXPECT_LE(w.truncate_observations, 50U);
  EXPECT_TRUE(w.reliable);
}

TEST(Mser5, PicksTheEarliestMinimiserOnHandComputedBatches) {
  // Batch means 10, 0, 0, 0: z(0) = 75 / 16, z(1) = z(2) = 0, so d = 1 (earliest tie).
  std::vector<double> series(20, 0.0);
  for (std::size_t i = 0; i < 5; ++i)
    series[i] = 10.0;
  const WarmupResult w = mser5(series);
  EXPECT_EQ(w.truncate_observations, 5U);
  EXPECT_EQ(w.mser_statistic, 0.0);
  EXPECT_TRUE(w.reliable); // d = 1 < m / 2 = 2
}

TEST(Mser5, MinimisesTheSquaredStandardErrorOfTheTruncatedMean) {
  // Batches 8, 2, 4, 6, 4, 2 (m = 6, d <= 3):
  //   z(0) = 27.333 / 36 = 0.759, z(1) = sum (Y - 3.6)^2 / 25 = 11.2 / 25 = 0.448,
  //   z(2) = 8 / 16 = 0.5, z(3) = 8 / 9 = 0.889.
  const std::vector<double> batches = {8, 2, 4, 6, 4, 2};
  std::vector<double> series;
  for (double y : batches) {
    for (double off : {-2.0, -1.0, 0.0, 1.0, 2.0})
      series.push_back(y + off);
  }
  const WarmupResult w = mser5(series);
  EXPECT_EQ(w.truncate_observations, 5U);
  EXPECT_NEAR(w.mser_statistic, 0.448, 1e-12);
  EXPECT_TRUE(w.reliable);
}

TEST(Mser5, DropsTheIncompleteTailBatch) {
  std::vector<double> series(20, 0.0);
  for (std::size_t i = 0; i < 5; ++i)
    series[i] = 10.0;
  series.insert(series.end(), {1e6, -1e6, 1e6, 1e6}); // 4 extra observations: ignored
  const WarmupResult w = mser5(series);
  EXPECT_EQ(w.truncate_observations, 5U);
  EXPECT_EQ(w.mser_statistic, 0.0);
}

TEST(Mser5, FlagsAMinimumAtTheEndOfTheSearchAsUnreliable) {
  // A transient slower than the run: every later truncation looks better, so the minimum
  // sits at the end of the search, d = m / 2.
  std::vector<double> series;
  for (int i = 0; i < 100; ++i)
    series.push_back(100.0 * std::exp(-i / 30.0));
  const WarmupResult w = mser5(series);
  EXPECT_EQ(w.truncate_observations, 50U); // m = 20, d = 10
  EXPECT_FALSE(w.reliable);

  // With only 2 batches, z(1) = 0 always wins: a 10-observation run is never conclusive.
  const std::vector<double> ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}; // batches 3, 8
  const WarmupResult w10 = mser5(ten);
  EXPECT_EQ(w10.truncate_observations, 5U);
  EXPECT_EQ(w10.mser_statistic, 0.0);
  EXPECT_FALSE(w10.reliable);
}

TEST(Mser5, RejectsFewerThanTenObservations) {
  const std::vector<double> series(9, 1.0);
  EXPECT_THAT(model_error_message([&] { (void)mser5(series); }), HasSubstr("got 9"));
  EXPECT_NO_THROW((void)mser5(std::vector<double>(10, 1.0)));
}

TEST(Mser5, RejectsANaNObservationNamingItsIndex) {
  std::vector<double> series(12, 1.0);
  series[7] = std::nan("");
  EXPECT_THAT(model_error_message([&] { (void)mser5(series); }), HasSubstr("series[7]"));
}

// ---------------------------------------------------------------------------------------
// welch_moving_average

TEST(WelchMovingAverage, AveragesReplicationsThenSmoothsWithShorterWindowsAtTheStart) {
  const std::vector<std::vector<double>> reps = {{0, 4, 2, 8, 6, 10}, {2, 2, 4, 4, 6, 6}};
  // Cross-replication means: 1, 3, 3, 6, 6, 8.
  const std::vector<double> w0 = welch_moving_average(reps, 0);
  EXPECT_THAT(w0, ::testing::ElementsAre(1.0, 3.0, 3.0, 6.0, 6.0, 8.0));

  const std::vector<double> w2 = welch_moving_average(reps, 2);
  ASSERT_EQ(w2.size(), 4U);            // m - w
  EXPECT_DOUBLE_EQ(w2[0], 1.0);        // Ybar_1
  EXPECT_DOUBLE_EQ(w2[1], 7.0 / 3.0);  // Ybar_1..3
  EXPECT_DOUBLE_EQ(w2[2], 19.0 / 5.0); // Ybar_1..5
  EXPECT_DOUBLE_EQ(w2[3], 26.0 / 5.0); // Ybar_2..6

  const std::vector<double> w1 = welch_moving_average(reps, 1);
  ASSERT_EQ(w1.size(), 5U);
  EXPECT_DOUBLE_EQ(w1[0], 1.0);
  EXPECT_DOUBLE_EQ(w1[1], 7.0 / 3.0);
  EXPECT_DOUBLE_EQ(w1[2], 4.0);
  EXPECT_DOUBLE_EQ(w1[3], 5.0);
  EXPECT_DOUBLE_EQ(w1[4], 20.0 / 3.0);
}

TEST(WelchMovingAverage, KeepsPrecisionOnALargeCommonLevel) {
  const std::vector<std::vector<double>> reps = {{1e9 + 1, 1e9 + 2, 1e9 + 6, 1e9 + 3}};
  const std::vector<double> w1 = welch_moving_average(reps, 1);
  ASSERT_EQ(w1.size(), 3U);
  EXPECT_EQ(w1[0], 1e9 + 1);
  EXPECT_EQ(w1[1], 1e9 + 3);
  EXPECT_NEAR(w1[2], 1e9 + 11.0 / 3.0, 1e-6);
}

TEST(WelchMovingAverage, RejectsUnequalLengthsAWindowTooWideAndNoData) {
  const std::vector<std::vector<double>> ragged = {{1, 2, 3}, {1, 2}};
  EXPECT_THAT(model_error_message([&] { (void)welch_moving_average(ragged, 0); }),
              HasSubstr("replication 1"));
  const std::vector<std::vector<double>> reps = {{1, 2, 3}};
  EXPECT_THAT(model_error_message([&] { (void)welch_moving_average(reps, 3); }),
              HasSubstr("window 3"));
  EXPECT_THROW((void)welch_moving_average({}, 0), ModelError);
  const std::vector<std::vector<double>> nan_rep = {{1, std::nan(""), 3}};
  EXPECT_THROW((void)welch_moving_average(nan_rep, 0), ModelError);
}

} // namespace
} // namespace itsim::analysis
