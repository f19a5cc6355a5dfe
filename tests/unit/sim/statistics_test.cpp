// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/statistics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace itsim::sim {
namespace {

using ::testing::HasSubstr;

SimTime at_minutes(std::int64_t m) {
  return SimTime::zero() + SimDuration::minutes(m);
}
SimTime at_hours(std::int64_t h) {
  return SimTime::zero() + SimDuration::hours(h);
}

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

// ---------------------------------------------------------------------------------------
// RunningStats

TEST(RunningStats, MatchesATwoPassComputationOnFixedData) {
  const std::vector<double> data = {2, 4, 4, 4, 5, 5, 7, 9};
  RunningStats s;
  for (double x : data)
    s.add(x);

  double sum = 0.0;
  for (double x : data)
    sum += x;
  const double mean = sum / static_cast<double>(data.size());
  double ss = 0.0;
  for (double x : data)
    ss += (x - mean) * (x - mean);
  const double variance = ss / static_cast<double>(data.size() - 1);

  EXPECT_EQ(s.count(), 8U);
  EXPECT_DOUBLE_EQ(s.mean(), 5.0);
  EXPECT_DOUBLE_EQ(s.mean(), mean);
  EXPECT_DOUBLE_EQ(s.variance(), 32.0 / 7.0);
  EXPECT_DOUBLE_EQ(s.variance(), variance);
  EXPECT_DOUBLE_EQ(s.stddev(), std::sqrt(32.0 / 7.0));
  EXPECT_DOUBLE_EQ(s.min(), 2.0);
  EXPECT_DOUBLE_EQ(s.max(), 9.0);
  EXPECT_DOUBLE_EQ(s.sum(), 40.0);
}

TEST(RunningStats, ReportsNaNMeanAndZeroVarianceWhenEmpty) {
  RunningStats s;
  EXPECT_EQ(s.count(), 0U);
  EXPECT_TRUE(std::isnan(s.mean()));
  EXPECT_TRUE(std::isnan(s.min()));
  EXPECT_TRUE(std::isnan(s.max()));
  EXPECT_EQ(s.variance(), 0.0);
  EXPECT_EQ(s.sum(), 0.0);
}

TEST(RunningStats, HasZeroVarianceWithOneObservation) {
  RunningStats s;
  s.add(-3.5);
  EXPECT_EQ(s.mean(), -3.5);
  EXPECT_EQ(s.variance(), 0.0);
  EXPECT_EQ(s.stddev(), 0.0);
  EXPECT_EQ(s.min(), -3.5);
  EXPECT_EQ(s.max(), -3.5);
}

TEST(RunningStats, MergeEqualsAddingEveryObservation) {
  const std::vector<double> data = {0.5, 12.25, -3.0, 7.75, 7.75, 100.0, 41.5, -0.125, 9.0};
  RunningStats all;
  RunningStats left;
  RunningStats right;
  for (std::size_t i = 0; i < data.size(); ++i) {
    all.add(data[i]);
    (i < 4 ? left : right).add(data[i]);
  }
  left.merge(right);
  EXPECT_EQ(left.count(), all.count());
  EXPECT_NEAR(left.mean(), all.mean(), 1e-12);
  EXPECT_NEAR(left.variance(), all.variance(), 1e-10);
  EXPECT_EQ(left.min(), all.min());
  EXPECT_EQ(left.max(), all.max());
  EXPECT_DOUBLE_EQ(left.sum(), all.sum());
}

TEST(RunningStats, MergeWithAnEmptyAccumulatorKeepsTheOtherSide) {
  RunningStats filled;
  filled.add(1.0);
  filled.add(3.0);
  RunningStats empty;

  RunningStats a = filled;
  a.merge(empty);
  EXPECT_EQ(a.count(), 2U);
  EXPECT_DOUBLE_EQ(a.mean(), 2.0);
  EXPECT_DOUBLE_EQ(a.variance(), 2.0);

  empty.merge(filled);
  EXPECT_EQ(empty.count(), 2U);
  EXPECT_DOUBLE_EQ(empty.mean(), 2.0);
  EXPECT_DOUBLE_EQ(empty.variance(), 2.0);
  EXPECT_EQ(empty.min(), 1.0);
  EXPECT_EQ(empty.max(), 3.0);
}

TEST(RunningStats, StaysAccurateForSmallNoiseOnALargeOffset) {
  // sum(x^2) - n mean^2 would lose every significant digit here (x^2 ~ 1e18 > 2^53).
  RunningStats s;
  for (double noise : {4.0, 7.0, 13.0, 16.0})
    s.add(1e9 + noise);
  EXPECT_DOUBLE_EQ(s.mean(), 1e9 + 10.0);
  EXPECT_NEAR(s.variance(), 30.0, 1e-6); // (36 + 9 + 9 + 36) / 3

  RunningStats a;
  RunningStats b;
  a.add(1e9 + 4.0);
  a.add(1e9 + 7.0);
  b.add(1e9 + 13.0);
  b.add(1e9 + 16.0);
  a.merge(b);
  EXPECT_NEAR(a.variance(), 30.0, 1e-6);
}

TEST(RunningStats, ResetForgetsEveryObservation) {
  RunningStats s;
  s.add(100.0);
  s.add(200.0);
  s.reset();
  s.add(1.0);
  s.add(2.0);
  EXPECT_EQ(s.count(), 2U);
  EXPECT_DOUBLE_EQ(s.mean(), 1.5);
  EXPECT_DOUBLE_EQ(s.variance(), 0.5);
  EXPECT_EQ(s.max(), 2.0);
  EXPECT_EQ(s.sum(), 3.0);
}

// ---------------------------------------------------------------------------------------
// TimeWeighted

TEST(TimeWeighted, AveragesAPiecewiseConstantLevelOverElapsedHours) {
  TimeWeighted q(SimTime::zero(), 0.0);
  q.update(at_hours(1), 2.0);
  q.update(at_hours(3), 1.0);
  // 0 for 1 h, 2 for 2 h, 1 for 1 h.
  EXPECT_DOUBLE_EQ(q.integral(at_hours(4)), 5.0);
  EXPECT_DOUBLE_EQ(q.mean(at_hours(4)), 1.25);
  EXPECT_DOUBLE_EQ(q.max(), 2.0);
  EXPECT_DOUBLE_EQ(q.value(), 1.0);
}

TEST(TimeWeighted, AddChangesTheLevelByADelta) {
  TimeWeighted busy(at_minutes(0));
  busy.add(at_minutes(30), +1.0);
  busy.add(at_minutes(60), +1.0);
  busy.add(at_minutes(120), -1.0);
  // 1 server for 0.5 h, 2 for 1 h, 1 for 1 h.
  EXPECT_DOUBLE_EQ(busy.integral(at_minutes(180)), 3.5);
  EXPECT_DOUBLE_EQ(busy.mean(at_minutes(180)), 3.5 / 3.0);
  EXPECT_DOUBLE_EQ(busy.value(), 1.0);
  EXPECT_DOUBLE_EQ(busy.max(), 2.0);
}

TEST(TimeWeighted, MeasuresElapsedTimeFromALaterStart) {
  TimeWeighted q(at_minutes(90), 4.0);
  q.update(at_minutes(120), 0.0);
  // 4 for 0.5 h, then 0 for 1 h: area 2 value*h over 1.5 h.
  EXPECT_DOUBLE_EQ(q.integral(at_minutes(180)), 2.0);
  EXPECT_DOUBLE_EQ(q.mean(at_minutes(180)), 2.0 / 1.5);
  EXPECT_EQ(q.start(), at_minutes(90));
}

TEST(TimeWeighted, CountsOnlyTheLastLevelSetAtOneInstant) {
  TimeWeighted q(SimTime::zero(), 0.0);
  q.update(at_hours(1), 7.0);
  q.update(at_hours(1), 3.0);
  EXPECT_DOUBLE_EQ(q.integral(at_hours(2)), 3.0);
  EXPECT_DOUBLE_EQ(q.max(), 7.0);
}

TEST(TimeWeighted, ResetDropsTheEarlierInterval) {
  TimeWeighted q(SimTime::zero(), 10.0);
  q.update(at_hours(1), 30.0);
  q.update(at_minutes(90), 20.0);
  q.reset(at_hours(2)); // end of warm-up: the level 20 carries over
  EXPECT_EQ(q.start(), at_hours(2));
  EXPECT_DOUBLE_EQ(q.value(), 20.0);
  EXPECT_DOUBLE_EQ(q.max(), 20.0);
  EXPECT_DOUBLE_EQ(q.integral(at_hours(2)), 0.0);
  q.update(at_hours(3), 4.0);
  // 20 for 1 h, 4 for 1 h after the reset; the 30s and 10s before it are gone.
  EXPECT_DOUBLE_EQ(q.integral(at_hours(4)), 24.0);
  EXPECT_DOUBLE_EQ(q.mean(at_hours(4)), 12.0);
  EXPECT_DOUBLE_EQ(q.max(), 20.0);
}

TEST(TimeWeighted, MeanWithNoElapsedTimeIsTheCurrentLevel) {
  TimeWeighted q(at_hours(5), 3.0);
  EXPECT_DOUBLE_EQ(q.integral(at_hours(5)), 0.0);
  EXPECT_DOUBLE_EQ(q.mean(at_hours(5)), 3.0);
}

TEST(TimeWeighted, RejectsQueriesBeforeTheLastUpdate) {
  TimeWeighted q(SimTime::zero(), 1.0);
  q.update(at_hours(2), 2.0);
  EXPECT_THAT(model_error_message([&] { (void)q.integral(at_hours(1)); }), HasSubstr("3600000 ms"));
  EXPECT_THROW((void)q.mean(at_hours(1)), ModelError);
  EXPECT_THROW(q.reset(at_hours(1)), ModelError);
}

// ---------------------------------------------------------------------------------------
// QuantileSample

TEST(QuantileSample, MatchesNumpyLinearQuantilesOnSmallArrays) {
  QuantileSample four;
  for (double x : {4.0, 1.0, 3.0, 2.0})
    four.add(x);
  // numpy.quantile([1, 2, 3, 4], p)
  EXPECT_DOUBLE_EQ(four.quantile(0.25), 1.75);
  EXPECT_DOUBLE_EQ(four.quantile(0.5), 2.5);
  EXPECT_DOUBLE_EQ(four.quantile(0.75), 3.25);
  EXPECT_DOUBLE_EQ(four.quantile(0.0), 1.0);
  EXPECT_DOUBLE_EQ(four.quantile(1.0), 4.0);

  QuantileSample ten;
  ten.reserve(10);
  for (int i = 10; i >= 1; --i)
    ten.add(i);
  // numpy.quantile(range(1, 11), p)
  EXPECT_DOUBLE_EQ(ten.quantile(0.9), 9.1);
  EXPECT_DOUBLE_EQ(ten.quantile(0.5), 5.5);
  EXPECT_DOUBLE_EQ(ten.quantile(0.95), 9.55);
  EXPECT_DOUBLE_EQ(ten.quantile(0.1), 1.9);

  QuantileSample ties;
  for (double x : {3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0})
    ties.add(x);
  // sorted 1 1 2 3 4 5 6 9; numpy.quantile(..., 0.3) = 2.1, 0.99 = 8.79
  EXPECT_DOUBLE_EQ(ties.quantile(0.3), 2.1);
  EXPECT_DOUBLE_EQ(ties.quantile(0.99), 8.79);
  EXPECT_DOUBLE_EQ(ties.quantile(0.1), 1.0);
}

TEST(QuantileSample, ReturnsTheOnlyValueOfASingletonSample) {
  QuantileSample s;
  s.add(42.0);
  EXPECT_EQ(s.quantile(0.0), 42.0);
  EXPECT_EQ(s.quantile(0.37), 42.0);
  EXPECT_EQ(s.quantile(1.0), 42.0);
}

TEST(QuantileSample, SeesObservationsAddedAfterAQuery) {
  QuantileSample s;
  s.add(1.0);
  s.add(3.0);
  EXPECT_DOUBLE_EQ(s.quantile(0.5), 2.0);
  s.add(0.0);
  s.add(10.0);
  EXPECT_EQ(s.count(), 4U);
  EXPECT_DOUBLE_EQ(s.quantile(0.5), 2.0); // 0 1 3 10
  EXPECT_DOUBLE_EQ(s.quantile(1.0), 10.0);
  EXPECT_DOUBLE_EQ(s.mean(), 3.5);
}

TEST(QuantileSample, ComputesTheMeanInInsertionOrderIndependentOfSorting) {
  QuantileSample s;
  EXPECT_TRUE(std::isnan(s.mean()));
  for (double x : {2.0, 8.0, 5.0})
    s.add(x);
  EXPECT_DOUBLE_EQ(s.mean(), 5.0);
  (void)s.quantile(0.5);
  EXPECT_DOUBLE_EQ(s.mean(), 5.0);
  s.reset();
  EXPECT_EQ(s.count(), 0U);
  EXPECT_TRUE(std::isnan(s.mean()));
}

TEST(QuantileSample, RejectsProbabilitiesOutsideTheUnitIntervalNamingThem) {
  QuantileSample s;
  s.add(1.0);
  EXPECT_THAT(model_error_message([&] { (void)s.quantile(1.5); }), HasSubstr("1.5"));
  EXPECT_THAT(model_error_message([&] { (void)s.quantile(-0.25); }), HasSubstr("-0.25"));
  EXPECT_THAT(model_error_message([&] { (void)s.quantile(std::nan("")); }), HasSubstr("nan"));
}

TEST(QuantileSample, RejectsAnEmptySample) {
  const QuantileSample s;
  EXPECT_THAT(model_error_message([&] { (void)s.quantile(0.5); }), HasSubstr("no observations"));
}

TEST(QuantileSample, RejectsANaNObservationNamingItsIndex) {
  QuantileSample s;
  s.add(2.0);
  s.add(1.0);
  (void)s.quantile(0.5);
  s.add(std::nan(""));
  EXPECT_THAT(model_error_message([&] { (void)s.quantile(0.5); }), HasSubstr("observation 2"));
}

} // namespace
} // namespace itsim::sim
