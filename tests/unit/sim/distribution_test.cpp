// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/distribution.hpp"

#include "itsim/sim/error.hpp"
#include "itsim/sim/random_stream.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <limits>
#include <numbers>
#include <set>
#include <string>
#include <vector>

namespace itsim::sim {
namespace {

using ::testing::HasSubstr;
using Mode = Distribution::EmpiricalMode;

constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// Golden draws: the first five variates from a fresh RandomStream(12345), computed once with
// this implementation and pasted. They exist to catch any change in the numbers (algorithm,
// constant, order of operations, compiler contraction): such a change alters every simulation
// result and must be deliberate.
void expect_golden(const Distribution& d, const std::array<double, 5>& expected,
                   std::uint64_t expected_words) {
  SCOPED_TRACE(d.describe());
  RandomStream rng(12345);
  for (const double e : expected) {
    const double x = d.sample(rng); // exact: golden to the last bit
    EXPECT_EQ(x, e) << "draw " << std::setprecision(17) << x << " expected " << e;
  }
  EXPECT_EQ(rng.draws(), expected_words);
}

// Sample moments of 200k draws against the theoretical mean() and variance(). Tolerances are
// 5 standard errors: SE(mean) = sqrt(Var / n), SE(variance) = sqrt((m4 - m2^2) / n) with the
// fourth central moment m4 estimated from the same draws. With a fixed seed the check is
// deterministic; 5 SE keeps it far from the edge yet catches a wrong parameter mapping, which
// moves the mean or variance by many SE.
void expect_moments(const Distribution& d, std::uint64_t seed = 7) {
  SCOPED_TRACE(d.describe());
  constexpr std::size_t n = 200'000;
  RandomStream rng(seed);
  std::vector<double> x(n);
  double sum = 0;
  for (double& v : x) {
    v = d.sample(rng);
    ASSERT_TRUE(std::isfinite(v));
    sum += v;
  }
  const double count = static_cast<double>(n);
  const double mean = sum / count;
  double m2 = 0;
  double m4 = 0;
  for (const double v : x) {
    const double dev2 = (v - mean) * (v - mean);
    m2 += dev2;
    m4 += dev2 * dev2;
  }
  m2 /= count;
  m4 /= count;
  const double se_mean = std::sqrt(d.variance() / count);
  const double se_variance = std::sqrt((m4 - m2 * m2) / count);
  EXPECT_NEAR(mean, d.mean(), 5 * se_mean);
  EXPECT_NEAR(m2, d.variance(), 5 * se_variance);
}

template <class F> std::string model_error_of(F make) {
  try {
    make();
  } catch (const ModelError& e) {
    return e.what();
  }
  return "<no ModelError thrown>";
}

// ---------------------------------------------------------------------------------------------
// Golden draws, one test per kind.

TEST(Distribution, DeterministicGoldenDrawsAndDrawsNoWord) {
  expect_golden(Distribution::deterministic(2.5), {2.5, 2.5, 2.5, 2.5, 2.5}, 0);
}

TEST(Distribution, UniformGoldenDraws) {
  expect_golden(Distribution::uniform(1, 3),
                {2.1060956133860076, 1.4099113137806896, 1.1702464804527291, 1.3510599526381128,
                 1.5312271116345328},
                5);
}

TEST(Distribution, ExponentialGoldenDraws) {
  expect_golden(Distribution::exponential(2),
                {1.1846216629605251, 3.1699232621872451, 4.9273103750883687, 3.4798908908499628,
                 2.6514256484273062},
                5);
}

TEST(Distribution, LognormalMeanCvGoldenDraws) {
  expect_golden(Distribution::lognormal_mean_cv(13, 1),
                {10.271876954510434, 4.6288542815074294, 2.9346851506925753, 4.2290999950681663,
                 5.458014576108928},
                5);
}

TEST(Distribution, LognormalMedianSigmaGoldenDraws) {
  expect_golden(Distribution::lognormal_median_sigma(4, 1),
                {4.5706699330076086, 1.7546065645758444, 1.0149933997126313, 1.5742186616704787,
                 2.1386193359866796},
                5);
}

TEST(Distribution, GammaGoldenDraws) {
  expect_golden(Distribution::gamma(2.5, 1.5),
                {3.5534455861100245, 1.0650396162911968, 2.0542908576338621, 1.8980675374909766,
                 2.6863790964574892},
                10);
}

TEST(Distribution, GammaWithShapeBelowOneGoldenDraws) {
  expect_golden(Distribution::gamma(0.5, 2),
                {0.019081931379394533, 0.4438263160267793, 0.16858044797814933, 0.15230947841110268,
                 0.42703084410094533},
                15);
}

TEST(Distribution, GammaMeanCvGoldenDraws) {
  expect_golden(Distribution::gamma_mean_cv(0.5, 0.8),
                {0.44257087637521131, 0.079830489070302713, 0.21038934887861463,
                 0.18816847678403817, 0.30461918515536807},
                10);
}

TEST(Distribution, WeibullGoldenDraws) {
  expect_golden(Distribution::weibull(1.5, 24),
                {16.926910247610891, 32.625492566875927, 43.7788676635803, 34.7190896619732,
                 28.963044619857666},
                5);
}

TEST(Distribution, TriangularGoldenDraws) {
  expect_golden(Distribution::triangular(0.5, 1, 3),
                {1.5050883081148301, 1.0062041941190978, 0.82619633701645956, 0.9684148486105244,
                 1.0837713547403411},
                5);
}

TEST(Distribution, EmpiricalInterpolatedGoldenDraws) {
  expect_golden(Distribution::empirical({3, 1, 4, 1.5, 9, 2.6}),
                {2.9060956133860074, 1.5272561128968962, 1.2128081005659113, 1.438824940797641,
                 1.8608745569949654},
                5);
}

TEST(Distribution, EmpiricalResampleGoldenDraws) {
  expect_golden(Distribution::empirical({3, 1, 4, 1.5, 9, 2.6}, Mode::resample),
                {3, 1.5, 1, 1.5, 1.5}, 5);
}

TEST(Normal, SamplerGoldenDraws) {
  RandomStream rng(12345);
  for (const double e : {0.13336542669835449, -0.8240497090629566, -1.371412251393459,
                         -0.93253529976283966, -0.62613391039760113}) {
    {
      const double x = sample_standard_normal(rng); // exact: golden to the last bit
      EXPECT_EQ(x, e) << "draw " << std::setprecision(17) << x << " expected " << e;
    }
  }
  EXPECT_EQ(rng.draws(), 5U);
}

TEST(DiscreteChoice, GoldenDraws) {
  const DiscreteChoice choice({1, 0, 2, 3});
  RandomStream rng(12345);
  for (const std::size_t e : {2U, 3U, 0U, 3U, 3U, 2U, 3U, 3U, 3U, 3U}) {
    EXPECT_EQ(choice.sample(rng), e);
  }
  EXPECT_EQ(rng.draws(), 10U);
}

// ---------------------------------------------------------------------------------------------
// Sample moments against mean() and variance().

TEST(Distribution, UniformMatchesItsMeanAndVariance) {
  expect_moments(Distribution::uniform(-1, 3));
}

TEST(Distribution, ExponentialMatchesItsMeanAndVariance) {
  expect_moments(Distribution::exponential(2));
}

TEST(Distribution, LognormalMeanCvMatchesItsMeanAndVariance) {
  expect_moments(Distribution::lognormal_mean_cv(13, 1));
  expect_moments(Distribution::lognormal_mean_cv(0.25, 0.3));
}

TEST(Distribution, LognormalMedianSigmaMatchesItsMeanAndVariance) {
  expect_moments(Distribution::lognormal_median_sigma(4, 0.5));
}

TEST(Distribution, GammaMatchesItsMeanAndVariance) {
  expect_moments(Distribution::gamma(2.5, 1.5));
  expect_moments(Distribution::gamma(1, 3));
  expect_moments(Distribution::gamma(40, 0.1));
}

TEST(Distribution, GammaWithShapeBelowOneMatchesItsMeanAndVariance) {
  expect_moments(Distribution::gamma(0.3, 2));
  expect_moments(Distribution::gamma(0.8, 1));
}

TEST(Distribution, GammaMeanCvMatchesItsMeanAndVariance) {
  expect_moments(Distribution::gamma_mean_cv(0.5, 0.8));
  expect_moments(Distribution::gamma_mean_cv(10, 1.5)); // shape 0.44: the boosted branch
}

TEST(Distribution, WeibullMatchesItsMeanAndVariance) {
  expect_moments(Distribution::weibull(1.5, 24));
  expect_moments(Distribution::weibull(0.7, 2));
  expect_moments(Distribution::weibull(5, 1));
}

TEST(Distribution, TriangularMatchesItsMeanAndVariance) {
  expect_moments(Distribution::triangular(0.5, 1, 3));
  expect_moments(Distribution::triangular(0, 0, 1));
  expect_moments(Distribution::triangular(0, 1, 1));
}

TEST(Distribution, EmpiricalInterpolatedMatchesItsMeanAndVariance) {
  expect_moments(Distribution::empirical({3, 1, 4, 1.5, 9, 2.6, 5.3, 5.8, 0.2}));
}

TEST(Distribution, EmpiricalResampleMatchesItsMeanAndVariance) {
  expect_moments(Distribution::empirical({3, 1, 4, 1.5, 9, 2.6, 5.3, 5.8, 0.2}, Mode::resample));
}

TEST(Normal, SamplerMatchesMeanZeroAndVarianceOne) {
  constexpr int n = 200'000;
  RandomStream rng(11);
  double sum = 0;
  double sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double z = sample_standard_normal(rng);
    sum += z;
    sum2 += z * z;
  }
  // SE(mean) = 1 / sqrt(n) ~ 0.00224, SE(variance) = sqrt(2 / n) ~ 0.00316; 5 SE each.
  EXPECT_NEAR(sum / n, 0.0, 5 * 0.00224);
  EXPECT_NEAR(sum2 / n - (sum / n) * (sum / n), 1.0, 5 * 0.00316);
  EXPECT_EQ(rng.draws(), static_cast<std::uint64_t>(n));
}

// ---------------------------------------------------------------------------------------------
// Closed forms and structure.

TEST(Distribution, MomentsFollowTheClosedForms) {
  const auto expect_exact = [](const Distribution& d, double mean, double variance) {
    SCOPED_TRACE(d.describe());
    EXPECT_DOUBLE_EQ(d.mean(), mean);
    EXPECT_DOUBLE_EQ(d.variance(), variance);
    EXPECT_DOUBLE_EQ(d.second_moment(), variance + mean * mean);
  };
  expect_exact(Distribution::deterministic(-2), -2, 0);
  expect_exact(Distribution::uniform(1, 3), 2, 1.0 / 3);
  expect_exact(Distribution::exponential(2), 2, 4);
  expect_exact(Distribution::lognormal_mean_cv(13, 1), 13, 169);
  expect_exact(Distribution::lognormal_median_sigma(4, 1), 4 * std::exp(0.5),
               16 * std::exp(1.0) * (std::exp(1.0) - 1));
  expect_exact(Distribution::lognormal_median_sigma(4, 0), 4, 0);
  expect_exact(Distribution::gamma(2.5, 1.5), 3.75, 5.625);
  expect_exact(Distribution::gamma_mean_cv(0.5, 0.8), 0.5, 0.16);
  expect_exact(Distribution::weibull(1, 3), 3, 9);
  expect_exact(Distribution::weibull(2, 1), std::sqrt(std::numbers::pi) / 2,
               1 - std::numbers::pi / 4);
  expect_exact(Distribution::triangular(0, 0, 1), 1.0 / 3, 1.0 / 18);
  expect_exact(Distribution::triangular(1, 2, 6), 3, (1 + 4 + 36 - 2 - 6 - 12) / 18.0);
  // Interpolated {1, 2, 4}: uniform on [1, 2] or [2, 4] with probability 1/2 each.
  expect_exact(Distribution::empirical({4, 1, 2}), 2.25, 35.0 / 6 - 2.25 * 2.25);
  expect_exact(Distribution::empirical({0, 1}), 0.5, 1.0 / 12);
  // Resampled {1, 2, 4}: each point with probability 1/3 (population variance).
  expect_exact(Distribution::empirical({4, 1, 2}, Mode::resample), 7.0 / 3, 14.0 / 9);
}

TEST(Distribution, KindReportsTheFamily) {
  using K = Distribution::Kind;
  EXPECT_EQ(Distribution::deterministic(1).kind(), K::deterministic);
  EXPECT_EQ(Distribution::uniform(0, 1).kind(), K::uniform);
  EXPECT_EQ(Distribution::exponential(1).kind(), K::exponential);
  EXPECT_EQ(Distribution::lognormal_mean_cv(1, 1).kind(), K::lognormal);
  EXPECT_EQ(Distribution::lognormal_median_sigma(1, 1).kind(), K::lognormal);
  EXPECT_EQ(Distribution::gamma(1, 1).kind(), K::gamma);
  EXPECT_EQ(Distribution::gamma_mean_cv(1, 1).kind(), K::gamma);
  EXPECT_EQ(Distribution::weibull(1, 1).kind(), K::weibull);
  EXPECT_EQ(Distribution::triangular(0, 1, 2).kind(), K::triangular);
  EXPECT_EQ(Distribution::empirical({1, 2}).kind(), K::empirical);
  EXPECT_EQ(Distribution::empirical({1}, Mode::resample).kind(), K::empirical);
}

TEST(Distribution, DescribeEchoesTheFactoryAndItsArguments) {
  EXPECT_EQ(Distribution::deterministic(2.5).describe(), "deterministic(value=2.5)");
  EXPECT_EQ(Distribution::uniform(0, 1.5).describe(), "uniform(min=0, max=1.5)");
  EXPECT_EQ(Distribution::exponential(0.1).describe(), "exponential(mean=0.1)");
  EXPECT_EQ(Distribution::lognormal_mean_cv(13, 1).describe(), "lognormal(mean=13, cv=1)");
  EXPECT_EQ(Distribution::lognormal_median_sigma(4, 0.5).describe(),
            "lognormal(median=4, sigma=0.5)");
  EXPECT_EQ(Distribution::gamma(2, 3).describe(), "gamma(shape=2, scale=3)");
  EXPECT_EQ(Distribution::gamma_mean_cv(0.5, 0.8).describe(), "gamma(mean=0.5, cv=0.8)");
  EXPECT_EQ(Distribution::weibull(1.5, 24).describe(), "weibull(shape=1.5, scale=24)");
  EXPECT_EQ(Distribution::triangular(0.5, 1, 3).describe(), "triangular(min=0.5, mode=1, max=3)");
  EXPECT_EQ(Distribution::empirical({3, 1, 2}).describe(),
            "empirical(interpolated, n=3, min=1, max=3)");
  EXPECT_EQ(Distribution::empirical({3, 1, 2}, Mode::resample).describe(),
            "empirical(resample, n=3, min=1, max=3)");
}

TEST(Distribution, DeterministicAlwaysReturnsItsValueAndDrawsNothing) {
  const Distribution d = Distribution::deterministic(-7.25);
  RandomStream rng(1);
  for (int i = 0; i < 1000; ++i)
    ASSERT_EQ(d.sample(rng), -7.25);
  EXPECT_EQ(rng.draws(), 0U);
}

TEST(Distribution, InversionKindsDrawExactlyOneWordPerVariate) {
  // One uniform per variate keeps models that draw the same items in step (common random
  // numbers); gamma (rejection) is the documented exception.
  for (const Distribution& d :
       {Distribution::uniform(0, 1), Distribution::uniform(2, 2), Distribution::exponential(1),
        Distribution::lognormal_mean_cv(1, 2), Distribution::lognormal_median_sigma(1, 0),
        Distribution::weibull(0.5, 1), Distribution::triangular(0, 0, 1),
        Distribution::empirical({1, 2, 3}), Distribution::empirical({1, 2, 3}, Mode::resample)}) {
    SCOPED_TRACE(d.describe());
    RandomStream rng(3);
    for (int i = 0; i < 1000; ++i)
      d.sample(rng);
    EXPECT_EQ(rng.draws(), 1000U);
  }
}

TEST(Distribution, DegenerateParametersReturnTheirPoint) {
  RandomStream rng(4);
  const Distribution flat = Distribution::uniform(2, 2);
  const Distribution sure = Distribution::lognormal_median_sigma(4, 0);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(flat.sample(rng), 2.0);
    EXPECT_DOUBLE_EQ(sure.sample(rng), 4.0);
  }
}

TEST(Distribution, NonNegativeFamiliesNeverDrawNegativeOrNonFinite) {
  for (const Distribution& d :
       {Distribution::exponential(1e-3), Distribution::lognormal_mean_cv(1, 5),
        Distribution::gamma(0.05, 1), Distribution::gamma(1e4, 1e-4), Distribution::weibull(0.2, 1),
        Distribution::weibull(50, 1)}) {
    SCOPED_TRACE(d.describe());
    RandomStream rng(8);
    for (int i = 0; i < 100'000; ++i) {
      const double x = d.sample(rng);
      ASSERT_TRUE(std::isfinite(x)) << x;
      ASSERT_GE(x, 0.0);
    }
  }
}

TEST(Distribution, TriangularStaysWithinItsBounds) {
  for (const std::array<double, 3> p :
       {std::array<double, 3>{0.5, 1, 3}, {-1, -1, 1}, {-1, 1, 1}}) {
    const Distribution d = Distribution::triangular(p[0], p[1], p[2]);
    SCOPED_TRACE(d.describe());
    RandomStream rng(9);
    for (int i = 0; i < 100'000; ++i) {
      const double x = d.sample(rng);
      ASSERT_GE(x, p[0]);
      ASSERT_LE(x, p[2]);
    }
  }
}

TEST(Distribution, WeibullWithShapeOneIsTheExponential) {
  const Distribution w = Distribution::weibull(1, 3);
  const Distribution e = Distribution::exponential(3);
  RandomStream a(10);
  RandomStream b(10);
  for (int i = 0; i < 1000; ++i)
    ASSERT_DOUBLE_EQ(w.sample(a), e.sample(b));
}

TEST(Distribution, LognormalParametrisationsAgree) {
  // mean 13, cv 1  <=>  sigma^2 = log 2, median = 13 / sqrt(2).
  const Distribution by_mean = Distribution::lognormal_mean_cv(13, 1);
  const Distribution by_median =
      Distribution::lognormal_median_sigma(13 / std::sqrt(2.0), std::sqrt(std::log(2.0)));
  EXPECT_DOUBLE_EQ(by_mean.mean(), by_median.mean());
  EXPECT_DOUBLE_EQ(by_mean.variance(), by_median.variance());
  RandomStream a(12);
  RandomStream b(12);
  for (int i = 0; i < 1000; ++i)
    ASSERT_NEAR(by_mean.sample(a), by_median.sample(b), 1e-9);
}

TEST(Distribution, EmpiricalInterpolatedNeverLeavesTheDataRange) {
  const std::vector<double> data = {0.1, 0.1, 0.30000000000000004, 1e-300, 7, 7, 7.000000000000001};
  const Distribution d = Distribution::empirical(data);
  RandomStream rng(13);
  for (int i = 0; i < 200'000; ++i) {
    const double x = d.sample(rng);
    ASSERT_GE(x, 1e-300);
    ASSERT_LE(x, 7.000000000000001);
  }
}

TEST(Distribution, EmpiricalInterpolatedFollowsLawsPiecewiseLinearCdf) {
  // Data {1, 2, 4}: F(1) = 0, F(2) = 1/2, F(4) = 1, linear in between, so P(X <= 3) = 3/4.
  const Distribution d = Distribution::empirical({4, 2, 1});
  RandomStream rng(14);
  constexpr int n = 200'000;
  int below_2 = 0;
  int below_3 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = d.sample(rng);
    below_2 += x <= 2 ? 1 : 0;
    below_3 += x <= 3 ? 1 : 0;
  }
  // Binomial SE at p = 1/2 is 0.0011 and at p = 3/4 is 0.00097; allow 5 SE.
  EXPECT_NEAR(static_cast<double>(below_2) / n, 0.5, 5 * 0.0011);
  EXPECT_NEAR(static_cast<double>(below_3) / n, 0.75, 5 * 0.00097);
}

TEST(Distribution, EmpiricalResampleReturnsOnlyDataPoints) {
  const std::vector<double> data = {3, 1, 4, 1, 5, 9, 2.5};
  const std::set<double> allowed(data.begin(), data.end());
  const Distribution d = Distribution::empirical(data, Mode::resample);
  RandomStream rng(15);
  std::set<double> seen;
  for (int i = 0; i < 10'000; ++i) {
    const double x = d.sample(rng);
    ASSERT_TRUE(allowed.count(x) == 1) << x;
    seen.insert(x);
  }
  EXPECT_EQ(seen, allowed);
}

TEST(Distribution, EmpiricalResampleWorksWithOnePoint) {
  const Distribution d = Distribution::empirical({42}, Mode::resample);
  RandomStream rng(16);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(d.sample(rng), 42.0);
  EXPECT_EQ(d.mean(), 42.0);
  EXPECT_EQ(d.variance(), 0.0);
}

TEST(Distribution, CopiesSampleTheSameSequence) {
  const Distribution original = Distribution::empirical({5, 3, 8, 1, 9});
  const Distribution copy = original; // NOLINT(performance-unnecessary-copy-initialization)
  RandomStream a(17);
  RandomStream b(17);
  for (int i = 0; i < 100; ++i)
    ASSERT_EQ(original.sample(a), copy.sample(b));
  EXPECT_EQ(copy.describe(), original.describe());
}

// ---------------------------------------------------------------------------------------------
// Parameters out of range.

TEST(Distribution, OutOfRangeParametersThrowModelErrorNamingTheBadValue) {
  struct Case {
    std::function<void()> make;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {[] { Distribution::deterministic(qnan); }, "deterministic: value must be finite, got nan"},
      {[] { Distribution::deterministic(-inf); }, "deterministic: value must be finite, got -inf"},
      {[] { Distribution::uniform(qnan, 1); }, "uniform: min must be finite, got nan"},
      {[] { Distribution::uniform(0, inf); }, "uniform: max must be finite, got inf"},
      {[] { Distribution::uniform(2, 1); }, "uniform: max must be >= min (2), got 1"},
      {[] { Distribution::uniform(-1e308, 1e308); }, "uniform: max - min must be finite, got inf"},
      {[] { Distribution::exponential(0); }, "exponential: mean must be > 0, got 0"},
      {[] { Distribution::exponential(-1.5); }, "exponential: mean must be > 0, got -1.5"},
      {[] { Distribution::exponential(qnan); },
       "exponential: mean must be finite and > 0, got nan"},
      {[] { Distribution::exponential(inf); }, "exponential: mean must be finite and > 0, got inf"},
      {[] { Distribution::lognormal_mean_cv(13, -0.5); }, "lognormal: cv must be > 0, got -0.5"},
      {[] { Distribution::lognormal_mean_cv(13, 0); }, "lognormal: cv must be > 0, got 0"},
      {[] { Distribution::lognormal_mean_cv(0, 1); }, "lognormal: mean must be > 0, got 0"},
      {[] { Distribution::lognormal_mean_cv(qnan, 1); }, "lognormal: mean must be finite"},
      {[] { Distribution::lognormal_mean_cv(1, 1e200); }, "lognormal: cv too large"},
      {[] { Distribution::lognormal_median_sigma(-4, 1); },
       "lognormal: median must be > 0, got -4"},
      {[] { Distribution::lognormal_median_sigma(4, -1); },
       "lognormal: sigma must be >= 0, got -1"},
      {[] { Distribution::lognormal_median_sigma(4, inf); }, "lognormal: sigma must be finite"},
      {[] { Distribution::gamma(0, 1); }, "gamma: shape must be > 0, got 0"},
      {[] { Distribution::gamma(1, -2); }, "gamma: scale must be > 0, got -2"},
      {[] { Distribution::gamma(inf, 1); }, "gamma: shape must be finite and > 0, got inf"},
      {[] { Distribution::gamma_mean_cv(-1, 1); }, "gamma: mean must be > 0, got -1"},
      {[] { Distribution::gamma_mean_cv(1, 0); }, "gamma: cv must be > 0, got 0"},
      {[] { Distribution::gamma_mean_cv(1, qnan); }, "gamma: cv must be finite and > 0, got nan"},
      {[] { Distribution::gamma_mean_cv(1, 1e-200); }, "gamma: cv out of range"},
      {[] { Distribution::weibull(-1, 1); }, "weibull: shape must be > 0, got -1"},
      {[] { Distribution::weibull(1, 0); }, "weibull: scale must be > 0, got 0"},
      {[] { Distribution::weibull(qnan, 1); }, "weibull: shape must be finite and > 0, got nan"},
      {[] { Distribution::triangular(1, 0.5, 3); },
       "triangular: mode must be in [min, max] = [1, 3], got 0.5"},
      {[] { Distribution::triangular(0, 4, 3); },
       "triangular: mode must be in [min, max] = [0, 3], got 4"},
      {[] { Distribution::triangular(1, 1, 1); }, "triangular: max must be > min (1), got 1"},
      {[] { Distribution::triangular(0, 1, inf); }, "triangular: max must be finite, got inf"},
      {[] { Distribution::triangular(0, qnan, 1); }, "triangular: mode must be finite, got nan"},
      {[] { Distribution::empirical({}); },
       "empirical (interpolated): needs at least 2 data points, got 0"},
      {[] { Distribution::empirical({1}); },
       "empirical (interpolated): needs at least 2 data points, got 1"},
      {[] { Distribution::empirical({}, Mode::resample); },
       "empirical (resample): needs at least 1 data point, got 0"},
      {[] {
         Distribution::empirical({1, qnan, 2});
       },
       "empirical: data[1] must be finite, got nan"},
      {[] {
         Distribution::empirical({1, 2, -inf}, Mode::resample);
       },
       "empirical: data[2] must be finite, got -inf"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(model_error_of(c.make), HasSubstr(c.expected));
  }
}

TEST(Distribution, ErrorMessagesKeepEnoughDigitsToIdentifyTheValue) {
  EXPECT_THAT(model_error_of([] { Distribution::exponential(-0.1); }), HasSubstr("got -0.1"));
  EXPECT_THAT(model_error_of([] { Distribution::exponential(-1.0 / 3); }),
              HasSubstr("got -0.3333333333333333"));
  EXPECT_THAT(model_error_of([] { Distribution::exponential(-1e-300); }), HasSubstr("got -1e-300"));
}

// ---------------------------------------------------------------------------------------------
// Standard normal quantile (AS241).

TEST(Normal, QuantileMatchesKnownValues) {
  EXPECT_NEAR(standard_normal_quantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(standard_normal_quantile(0.025), -1.959963984540054, 1e-12);
  EXPECT_EQ(standard_normal_quantile(0.5), 0.0);
  EXPECT_NEAR(standard_normal_quantile(1e-10), -6.361340902404056, 1e-12);
  EXPECT_NEAR(standard_normal_quantile(0.84134474606854293), 1.0, 1e-12); // Phi(1)
  EXPECT_NEAR(standard_normal_quantile(0.99), 2.3263478740408408, 1e-12);
}

TEST(Normal, QuantileIsAntisymmetric) {
  // Dyadic p, so that 1 - p is exact and the identity can hold to the bit, in all three ranges.
  for (const double p : {0x1p-52, 0x1p-40, 0x1p-20, 0x1p-10, 0.0625, 0.078125, 0.25, 0.4375}) {
    EXPECT_EQ(standard_normal_quantile(p), -standard_normal_quantile(1 - p)) << p;
  }
}

TEST(Normal, QuantileInvertsTheNormalCdfAcrossAllThreeRanges) {
  // Phi(x) = erfc(-x / sqrt 2) / 2. Relative error in p is about |x| times the relative error in
  // x, so 1e-12 relative leaves room for erfc's own rounding out to |x| ~ 37.
  const auto phi = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
  for (const double p : {1e-300, 1e-100, 1e-30, 1e-12, 1e-6, 0.001, 0.02, 0.0749, 0.075, 0.2, 0.5,
                         0.7, 0.925, 0.9251, 0.999}) {
    const double x = standard_normal_quantile(p);
    EXPECT_NEAR(phi(x) / p, 1.0, 1e-12) << "p = " << p << ", x = " << x;
  }
}

TEST(Normal, QuantileIsMonotone) {
  double previous = -inf;
  for (double p = 1e-6; p < 1; p += 1e-4) {
    const double x = standard_normal_quantile(p);
    ASSERT_GT(x, previous) << p;
    previous = x;
  }
}

TEST(Normal, QuantileReturnsInfinitiesAtTheEndsAndNanOutside) {
  EXPECT_EQ(standard_normal_quantile(0), -inf);
  EXPECT_EQ(standard_normal_quantile(1), inf);
  EXPECT_TRUE(std::isnan(standard_normal_quantile(-0.1)));
  EXPECT_TRUE(std::isnan(standard_normal_quantile(1.5)));
  EXPECT_TRUE(std::isnan(standard_normal_quantile(qnan)));
}

// ---------------------------------------------------------------------------------------------
// DiscreteChoice.

TEST(DiscreteChoice, FrequenciesMatchTheWeightsAndZeroWeightsNeverComeUp) {
  const std::vector<double> weights = {1, 0, 2, 3, 0.5, 0};
  const DiscreteChoice choice(weights);
  ASSERT_EQ(choice.size(), weights.size());
  constexpr std::uint64_t n = 650'000;
  std::vector<std::uint64_t> counts(weights.size(), 0);
  RandomStream rng(18);
  for (std::uint64_t i = 0; i < n; ++i)
    ++counts[choice.sample(rng)];
  EXPECT_EQ(counts[1], 0U);
  EXPECT_EQ(counts[5], 0U);
  // Chi-square over the 4 outcomes of positive weight (3 degrees of freedom); 21.108 is the
  // quantile with tail probability 1e-4: generous, yet a 2% error in a cell fails it.
  double chi2 = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] == 0) continue;
    const double expected = static_cast<double>(n) * choice.probability(i);
    const double d = static_cast<double>(counts[i]) - expected;
    chi2 += d * d / expected;
  }
  EXPECT_LT(chi2, 21.108);
}

TEST(DiscreteChoice, ProbabilityIsTheNormalisedWeight) {
  const DiscreteChoice choice({1, 0, 2, 3, 0.5, 0});
  const double total = 6.5;
  EXPECT_DOUBLE_EQ(choice.probability(0), 1 / total);
  EXPECT_EQ(choice.probability(1), 0.0);
  EXPECT_DOUBLE_EQ(choice.probability(2), 2 / total);
  EXPECT_DOUBLE_EQ(choice.probability(3), 3 / total);
  EXPECT_DOUBLE_EQ(choice.probability(4), 0.5 / total);
  EXPECT_EQ(choice.probability(5), 0.0);
}

TEST(DiscreteChoice, ASingleCertainOutcomeAlwaysComesUpWithProbabilityExactlyOne) {
  // The routing code relies on probability(i) == 1.0 exactly for a certain outcome.
  const DiscreteChoice choice({0, 0, 0.7, 0});
  EXPECT_EQ(choice.probability(2), 1.0);
  RandomStream rng(19);
  for (int i = 0; i < 10'000; ++i)
    ASSERT_EQ(choice.sample(rng), 2U);

  const DiscreteChoice one({5});
  EXPECT_EQ(one.size(), 1U);
  EXPECT_EQ(one.probability(0), 1.0);
  for (int i = 0; i < 100; ++i)
    ASSERT_EQ(one.sample(rng), 0U);
}

TEST(DiscreteChoice, DrawsExactlyOneWordPerChoice) {
  const DiscreteChoice choice({0.2, 0.3, 0.5});
  RandomStream rng(20);
  for (int i = 0; i < 1000; ++i)
    choice.sample(rng);
  EXPECT_EQ(rng.draws(), 1000U);
}

TEST(DiscreteChoice, HandlesManyOutcomesWithSkewedWeights) {
  std::vector<double> weights(200);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    weights[i] = i % 3 == 0 ? 0.0 : 1.0 / static_cast<double>(i * i);
  }
  const DiscreteChoice choice(weights);
  RandomStream rng(21);
  std::vector<std::uint64_t> counts(weights.size(), 0);
  constexpr std::uint64_t n = 1'000'000;
  for (std::uint64_t i = 0; i < n; ++i)
    ++counts[choice.sample(rng)];
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] == 0) {
      ASSERT_EQ(counts[i], 0U) << i;
      continue;
    }
    const double p = choice.probability(i);
    const double se = std::sqrt(p * (1 - p) / static_cast<double>(n));
    EXPECT_NEAR(static_cast<double>(counts[i]) / static_cast<double>(n), p, 5 * se + 1e-9) << i;
  }
}

TEST(DiscreteChoice, RejectsEmptyNegativeNonFiniteAndAllZeroWeights) {
  EXPECT_THAT(model_error_of([] { DiscreteChoice c({}); }),
              HasSubstr("DiscreteChoice: needs at least one weight"));
  EXPECT_THAT(model_error_of([] {
                DiscreteChoice c({1, -2});
              }),
              HasSubstr("DiscreteChoice: weights[1] must be >= 0, got -2"));
  EXPECT_THAT(model_error_of([] {
                DiscreteChoice c({qnan, 1});
              }),
              HasSubstr("DiscreteChoice: weights[0] must be finite and >= 0, got nan"));
  EXPECT_THAT(model_error_of([] {
                DiscreteChoice c({1, inf});
              }),
              HasSubstr("DiscreteChoice: weights[1] must be finite and >= 0, got inf"));
  EXPECT_THAT(model_error_of([] {
                DiscreteChoice c({0, 0, 0});
              }),
              HasSubstr("DiscreteChoice: weights must not all be zero, got 3 zero weights"));
  EXPECT_THAT(model_error_of([] {
                DiscreteChoice c({1e308, 1e308});
              }),
              HasSubstr("DiscreteChoice: weights must have a finite sum, got inf"));
}

} // namespace
} // namespace itsim::sim
