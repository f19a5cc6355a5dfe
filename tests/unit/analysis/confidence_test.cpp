// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/confidence.hpp"

#include "itsim/sim/error.hpp"
#include "itsim/sim/random_stream.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
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

// Standard normal variates by Box-Muller from a seeded stream: deterministic on every
// platform, unlike std::normal_distribution.
class NormalSource {
public:
  explicit NormalSource(std::uint64_t seed) : stream_(seed) {}
  double next(double mean, double sd) {
    if (has_spare_) {
      has_spare_ = false;
      return mean + sd * spare_;
    }
    const double r = std::sqrt(-2.0 * std::log(stream_.uniform_open01()));
    const double theta = 2.0 * std::numbers::pi * stream_.uniform01();
    spare_ = r * std::sin(theta);
    has_spare_ = true;
    return mean + sd * r * std::cos(theta);
  }

private:
  sim::RandomStream stream_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

// ---------------------------------------------------------------------------------------
// sample_mean, mean_variance

TEST(MeanVariance, GivesTheTextbookMeanAndSampleVariance) {
  const std::vector<double> xs{2, 4, 4, 4, 5, 5, 7, 9};
  const MeanVariance mv = mean_variance(xs);
  EXPECT_EQ(mv.n, 8u);
  EXPECT_EQ(mv.mean, 5.0);
  EXPECT_DOUBLE_EQ(mv.variance, 32.0 / 7.0);
  EXPECT_DOUBLE_EQ(mv.sd(), std::sqrt(32.0 / 7.0));
  EXPECT_EQ(sample_mean(xs), 5.0);
}

TEST(MeanVariance, KeepsItsPrecisionFarFromZero) {
  // A running sum of squares loses every digit here; the two passes do not.
  const std::vector<double> xs{1e9 + 1, 1e9 + 2, 1e9 + 3};
  const MeanVariance mv = mean_variance(xs);
  EXPECT_EQ(mv.mean, 1e9 + 2);
  EXPECT_EQ(mv.variance, 1.0);
}

TEST(MeanVariance, GivesEqualValuesZeroVarianceEvenWhenTheirMeanIsRounded) {
  // 0.1 + 0.1 + 0.1 rounds up, so the mean is one ulp above 0.1 and every deviation is
  // -2^-56: the correction term removes exactly their squared sum.
  const std::vector<double> xs{0.1, 0.1, 0.1};
  const MeanVariance mv = mean_variance(xs);
  EXPECT_NE(mv.mean, 0.1);
  EXPECT_EQ(mv.variance, 0.0);
  EXPECT_EQ(mv.sd(), 0.0);
}

TEST(MeanVariance, HasNoVarianceBelowTwoValuesAndNoMeanWithoutValues) {
  const std::vector<double> one{4.5};
  EXPECT_EQ(mean_variance(one).mean, 4.5);
  EXPECT_TRUE(std::isnan(mean_variance(one).variance));
  EXPECT_TRUE(std::isnan(mean_variance(one).sd()));
  const MeanVariance none = mean_variance({});
  EXPECT_EQ(none.n, 0u);
  EXPECT_TRUE(std::isnan(none.mean));
  EXPECT_TRUE(std::isnan(none.variance));
  EXPECT_TRUE(std::isnan(sample_mean({})));
}

TEST(MeanVariance, IsWhatTheConfidenceIntervalIsBuiltOn) {
  const std::vector<double> xs{3.5, 1.25, 8.0, 4.0, 2.75};
  const MeanVariance mv = mean_variance(xs);
  const ConfidenceInterval ci = confidence_interval(xs, 0.9);
  EXPECT_EQ(ci.mean, mv.mean);
  EXPECT_EQ(ci.half_width, student_t_quantile(0.95, 4) * std::sqrt(mv.variance / 5.0));
}

// ---------------------------------------------------------------------------------------
// student_t_quantile

TEST(StudentTQuantile, MatchesTabulatedValues) {
  EXPECT_NEAR(student_t_quantile(0.975, 4), 2.7764451051977987, 1e-12);
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706204736174707, 1e-10);
  EXPECT_NEAR(student_t_quantile(0.95, 10), 1.8124611228107335, 1e-12);
  EXPECT_NEAR(student_t_quantile(0.025, 4), -2.7764451051977987, 1e-12);
  EXPECT_NEAR(student_t_quantile(0.5, 7), 0.0, 1e-15);
}

TEST(StudentTQuantile, ApproachesTheNormalQuantileForManyDegreesOfFreedom) {
  EXPECT_NEAR(student_t_quantile(0.975, 1e7), 1.959963984540054, 1e-6);
}

TEST(StudentTQuantile, RejectsProbabilitiesAndDegreesOfFreedomOutOfRange) {
  EXPECT_THAT(model_error_message([] { (void)student_t_quantile(1.0, 4); }), HasSubstr("1"));
  EXPECT_THROW((void)student_t_quantile(0.0, 4), ModelError);
  EXPECT_THROW((void)student_t_quantile(std::nan(""), 4), ModelError);
  EXPECT_THAT(model_error_message([] { (void)student_t_quantile(0.9, 0.0); }),
              HasSubstr("degrees of freedom"));
  EXPECT_THROW((void)student_t_quantile(0.9, -1.0), ModelError);
}

// ---------------------------------------------------------------------------------------
// confidence_interval

TEST(ConfidenceInterval, UsesStudentTOnSmallData) {
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const ConfidenceInterval ci = confidence_interval(x);
  const double expected_half = 2.7764451051977987 * std::sqrt(2.5) / std::sqrt(5.0);
  EXPECT_DOUBLE_EQ(ci.mean, 3.0);
  EXPECT_NEAR(ci.half_width, expected_half, 1e-12);
  EXPECT_NEAR(ci.half_width, 1.9632431615, 1e-9);
  EXPECT_EQ(ci.level, 0.95);
  EXPECT_EQ(ci.n, 5U);
  EXPECT_NEAR(ci.lower(), 3.0 - expected_half, 1e-12);
  EXPECT_NEAR(ci.upper(), 3.0 + expected_half, 1e-12);
  EXPECT_TRUE(ci.contains(3.0));
  EXPECT_TRUE(ci.contains(4.9));
  EXPECT_FALSE(ci.contains(5.0));
  EXPECT_FALSE(ci.contains(1.0));
  EXPECT_NEAR(ci.relative_half_width(), expected_half / 3.0, 1e-12);
}

TEST(ConfidenceInterval, WidensWithTheConfidenceLevel) {
  const std::vector<double> x = {1, 2, 3, 4, 5};
  const ConfidenceInterval ci90 = confidence_interval(x, 0.90);
  // t_{4, 0.95} = 2.1318467863266499
  EXPECT_NEAR(ci90.half_width, 2.1318467863266499 * std::sqrt(0.5), 1e-12);
  EXPECT_LT(ci90.half_width, confidence_interval(x, 0.99).half_width);
}

TEST(ConfidenceInterval, HasZeroHalfWidthForIdenticalSamples) {
  const std::vector<double> x = {7.5, 7.5, 7.5};
  const ConfidenceInterval ci = confidence_interval(x);
  EXPECT_EQ(ci.mean, 7.5);
  EXPECT_EQ(ci.half_width, 0.0);
  EXPECT_EQ(ci.relative_half_width(), 0.0);
  EXPECT_TRUE(ci.contains(7.5));
}

TEST(ConfidenceInterval, ReportsInfiniteRelativeHalfWidthAroundAZeroMean) {
  const std::vector<double> x = {-1.0, 1.0};
  EXPECT_EQ(confidence_interval(x).relative_half_width(), std::numeric_limits<double>::infinity());
}

TEST(ConfidenceInterval, RejectsFewerThanTwoSamples) {
  const std::vector<double> one = {1.0};
  EXPECT_THAT(model_error_message([&] { (void)confidence_interval(one); }),
              HasSubstr("at least 2"));
  EXPECT_THROW((void)confidence_interval(std::span<const double>()), ModelError);
}

TEST(ConfidenceInterval, RejectsALevelOutsideTheOpenUnitInterval) {
  const std::vector<double> x = {1, 2, 3};
  EXPECT_THAT(model_error_message([&] { (void)confidence_interval(x, 1.0); }), HasSubstr("level"));
  EXPECT_THROW((void)confidence_interval(x, 0.0), ModelError);
  EXPECT_THROW((void)confidence_interval(x, 95.0), ModelError);
  EXPECT_THROW((void)confidence_interval(x, std::nan("")), ModelError);
}

TEST(ConfidenceInterval, RejectsANaNSampleNamingItsIndexAndTheLevel) {
  const std::vector<double> x = {1.0, 2.0, std::nan(""), 4.0};
  const std::string msg = model_error_message([&] { (void)confidence_interval(x, 0.9); });
  EXPECT_THAT(msg, HasSubstr("samples[2]"));
  EXPECT_THAT(msg, HasSubstr("0.9"));
}

TEST(ConfidenceInterval, CoversTheTrueMeanAboutNinetyFivePercentOfTheTime) {
  NormalSource normal(20240601);
  constexpr int trials = 2000;
  constexpr double true_mean = 5.0;
  int covered = 0;
  std::vector<double> x(10);
  for (int t = 0; t < trials; ++t) {
    for (double& v : x)
      v = normal.next(true_mean, 2.0);
    if (confidence_interval(x, 0.95).contains(true_mean)) ++covered;
  }
  const double coverage = covered / static_cast<double>(trials);
  EXPECT_GE(coverage, 0.93);
  EXPECT_LE(coverage, 0.97);
}

// ---------------------------------------------------------------------------------------
// paired_difference

TEST(PairedDifference, RemovesASharedOffsetThatWidensTheUnpairedInterval) {
  // Each replication shares a large common-random-number effect; the true gain is 1.
  const std::vector<double> shared = {0.0, 100.0, 50.0, 200.0, 150.0};
  const std::vector<double> gain = {1.0, 1.2, 0.8, 1.1, 0.9};
  std::vector<double> a;
  std::vector<double> b;
  for (std::size_t i = 0; i < shared.size(); ++i) {
    a.push_back(shared[i] + 10.0 + gain[i]);
    b.push_back(shared[i] + 10.0);
  }
  const ConfidenceInterval paired = paired_difference(a, b);
  // Differences 1, 1.2, 0.8, 1.1, 0.9: mean 1, variance 0.025.
  EXPECT_NEAR(paired.mean, 1.0, 1e-12);
  EXPECT_NEAR(paired.half_width, 2.7764451051977987 * std::sqrt(0.025 / 5.0), 1e-12);
  EXPECT_EQ(paired.n, 5U);
  EXPECT_TRUE(paired.contains(1.0));
  EXPECT_FALSE(paired.contains(0.0));

  // Unpaired (independent-samples) half-width with the same t: sqrt(hw_a^2 + hw_b^2).
  const double hw_a = confidence_interval(a).half_width;
  const double hw_b = confidence_interval(b).half_width;
  const double unpaired = std::sqrt(hw_a * hw_a + hw_b * hw_b);
  EXPECT_LT(paired.half_width * 100.0, unpaired);
}

TEST(PairedDifference, RejectsSamplesOfDifferentSizes) {
  const std::vector<double> a = {1, 2, 3};
  const std::vector<double> b = {1, 2};
  const std::string msg = model_error_message([&] { (void)paired_difference(a, b); });
  EXPECT_THAT(msg, HasSubstr("3"));
  EXPECT_THAT(msg, HasSubstr("2"));
}

TEST(PairedDifference, RejectsANaNNamingTheSideAndIndex) {
  const std::vector<double> a = {1, 2, 3};
  const std::vector<double> b = {1, std::nan(""), 2};
  EXPECT_THAT(model_error_message([&] { (void)paired_difference(a, b); }), HasSubstr("b[1]"));
}

// ---------------------------------------------------------------------------------------
// replications_for_precision

TEST(ReplicationsForPrecision, FindsTheSmallestCountMeetingLawsAdjustedRelativeError) {
  // Pilot mean 10, s^2 = 8; gamma = 0.1 gives gamma' = 1/11, so the target half-width is
  // 10/11 = 0.90909. t_{38,0.975} sqrt(8/39) = 0.91687 > target, t_{39,0.975} sqrt(8/40) =
  // 0.90457 <= target.
  const std::vector<double> pilot = {8.0, 12.0};
  EXPECT_EQ(replications_for_precision(pilot, 0.1), 40U);
}

TEST(ReplicationsForPrecision, ReturnsThePilotSizeWhenItIsAlreadyPreciseEnough) {
  const std::vector<double> pilot = {99.0, 100.0, 101.0, 100.0, 100.0};
  EXPECT_EQ(replications_for_precision(pilot, 0.1), 5U);
  const std::vector<double> constant = {3.0, 3.0};
  EXPECT_EQ(replications_for_precision(constant, 0.01), 2U);
}

TEST(ReplicationsForPrecision, UsesTheAbsoluteValueOfANegativeMean) {
  const std::vector<double> pilot = {-8.0, -12.0};
  EXPECT_EQ(replications_for_precision(pilot, 0.1), 40U);
}

TEST(ReplicationsForPrecision, RejectsAZeroPilotMean) {
  const std::vector<double> pilot = {-1.0, 1.0};
  EXPECT_THAT(model_error_message([&] { (void)replications_for_precision(pilot, 0.1); }),
              HasSubstr("mean is 0"));
}

TEST(ReplicationsForPrecision, RejectsATargetNeedingMoreThanTheCap) {
  const std::vector<double> pilot = {8.0, 12.0};
  EXPECT_THAT(model_error_message([&] { (void)replications_for_precision(pilot, 0.1, 0.95, 39); }),
              HasSubstr("39"));
  EXPECT_EQ(replications_for_precision(pilot, 0.1, 0.95, 40), 40U);
}

TEST(ReplicationsForPrecision, RejectsBadArguments) {
  const std::vector<double> pilot = {8.0, 12.0};
  const std::vector<double> one = {8.0};
  EXPECT_THROW((void)replications_for_precision(pilot, 0.0), ModelError);
  EXPECT_THROW((void)replications_for_precision(pilot, -0.1), ModelError);
  EXPECT_THROW((void)replications_for_precision(pilot, 0.1, 1.5), ModelError);
  EXPECT_THROW((void)replications_for_precision(one, 0.1), ModelError);
  EXPECT_THROW((void)replications_for_precision(pilot, 0.1, 0.95, 1), ModelError);
}

} // namespace
} // namespace itsim::analysis
