// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/sensitivity.hpp"

#include "itsim/analysis/confidence.hpp"
#include "itsim/sim/error.hpp"
#include "itsim/sim/random_stream.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <numbers>
#include <numeric>
#include <string>
#include <vector>

namespace itsim::analysis {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

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

// k columns of n independent uniforms on [0, 1).
std::vector<std::vector<double>> uniform_columns(sim::RandomStream& s, std::size_t k,
                                                 std::size_t n) {
  std::vector<std::vector<double>> cols(k, std::vector<double>(n));
  for (std::size_t i = 0; i < n; ++i) {
    for (auto& c : cols)
      c[i] = s.uniform01();
  }
  return cols;
}

double mean(const std::vector<double>& xs) {
  return std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(xs.size());
}

// Sample standard deviation (divisor n - 1).
double sd(const std::vector<double>& xs) {
  const double m = mean(xs);
  double ss = 0.0;
  for (double x : xs)
    ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(xs.size() - 1));
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double ma = mean(a);
  const double mb = mean(b);
  double sab = 0.0;
  double saa = 0.0;
  double sbb = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

// Ranks 1..n of values without ties (independent of average_ranks()).
std::vector<double> untied_ranks(const std::vector<double>& xs) {
  std::vector<std::size_t> order(xs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return xs[a] < xs[b]; });
  std::vector<double> r(xs.size());
  for (std::size_t p = 0; p < order.size(); ++p)
    r[order[p]] = static_cast<double>(p + 1);
  return r;
}

// ---------------------------------------------------------------------------------------
// standardised_regression (values)

TEST(StandardisedRegression, NoiselessLinearModelGivesTheExactCoefficients) {
  // y = 7 + 3 x1 + 1 x2 + 0 x3, independent uniforms: SRC_j = b_j s(x_j) / s(y) exactly in
  // the sample, and in expectation b_j / sqrt(3^2 + 1^2) = 3/sqrt(10), 1/sqrt(10), 0.
  sim::RandomStream stream(101);
  const std::size_t n = 4000;
  const auto x = uniform_columns(stream, 3, n);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i)
    y[i] = 7.0 + 3.0 * x[0][i] + 1.0 * x[1][i] + 0.0 * x[2][i];

  const RegressionSensitivity r = standardised_regression(x, y);
  ASSERT_EQ(r.factors.size(), 3U);
  EXPECT_EQ(r.n, n);
  EXPECT_EQ(r.fitted_factors, 3U);
  EXPECT_EQ(r.residual_dof, n - 4);
  EXPECT_EQ(r.scale, RegressionScale::values);
  EXPECT_DOUBLE_EQ(r.level, 0.95);
  EXPECT_NEAR(r.r_squared, 1.0, 1e-12);

  const double sy = sd(y);
  EXPECT_NEAR(r.factors[0].coefficient, 3.0 * sd(x[0]) / sy, 1e-12);
  EXPECT_NEAR(r.factors[1].coefficient, 1.0 * sd(x[1]) / sy, 1e-12);
  EXPECT_NEAR(r.factors[2].coefficient, 0.0, 1e-12);
  EXPECT_NEAR(r.factors[0].coefficient, 3.0 / std::sqrt(10.0), 0.02);
  EXPECT_NEAR(r.factors[1].coefficient, 1.0 / std::sqrt(10.0), 0.02);
  for (const auto& f : r.factors) {
    EXPECT_FALSE(f.zero_variance);
    EXPECT_GE(f.half_width, 0.0);
    EXPECT_LT(f.half_width, 1e-10); // a perfect fit leaves no residual variance
  }
  EXPECT_THAT(rank_factors(r), ElementsAre(0U, 1U, 2U));
}

TEST(StandardisedRegression, OneFactorGivesTheCorrelationAndTheTextbookSlopeInterval) {
  // Simple regression: SRC = Pearson r, R^2 = r^2, and the half-width is the slope's
  // t interval t_{n-2} sqrt(RSS / (n - 2) / Sxx) scaled by s(x) / s(y).
  sim::RandomStream stream(5);
  const std::size_t n = 30;
  std::vector<double> x(n);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = 10.0 + 5.0 * stream.uniform01();
    y[i] = 2.0 * x[i] + 3.0 * normal(stream);
  }
  const std::vector<std::vector<double>> cols{x};
  const RegressionSensitivity r = standardised_regression(cols, y, RegressionScale::values, 0.9);

  const double mx = mean(x);
  const double my = mean(y);
  double sxx = 0.0;
  double sxy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const double slope = sxy / sxx;
  double rss = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double e = y[i] - my - slope * (x[i] - mx);
    rss += e * e;
  }
  const double se = std::sqrt(rss / static_cast<double>(n - 2) / sxx);
  const double half = student_t_quantile(0.95, static_cast<double>(n - 2)) * se * sd(x) / sd(y);
  const double rho = pearson(x, y);

  EXPECT_NEAR(r.factors[0].coefficient, rho, 1e-12);
  EXPECT_NEAR(r.r_squared, rho * rho, 1e-12);
  EXPECT_NEAR(r.factors[0].half_width, half, 1e-12);
  EXPECT_EQ(r.residual_dof, n - 2);
  EXPECT_DOUBLE_EQ(r.level, 0.9);
}

TEST(StandardisedRegression, HalfWidthsCoverTheTruthAtTheirLevel) {
  // y = 3 x1 + 1 x2 + 0 x3 + 0.5 N(0, 1) over many data sets: the interval SRC_j +/- h_j
  // must cover the true b_j s(x_j) / s(y) in about `level` of them.
  sim::RandomStream stream(2024);
  const std::size_t sets = 1000;
  const std::size_t n = 40;
  const double b[3] = {3.0, 1.0, 0.0};
  for (const double level : {0.95, 0.8}) {
    std::size_t covered[3] = {0, 0, 0};
    for (std::size_t s = 0; s < sets; ++s) {
      const auto x = uniform_columns(stream, 3, n);
      std::vector<double> y(n);
      for (std::size_t i = 0; i < n; ++i)
        y[i] = b[0] * x[0][i] + b[1] * x[1][i] + b[2] * x[2][i] + 0.5 * normal(stream);
      const RegressionSensitivity r = standardised_regression(x, y, RegressionScale::values, level);
      const double sy = sd(y);
      for (std::size_t j = 0; j < 3; ++j) {
        const double truth = b[j] * sd(x[j]) / sy;
        if (std::abs(r.factors[j].coefficient - truth) <= r.factors[j].half_width) ++covered[j];
      }
    }
    for (std::size_t j = 0; j < 3; ++j) {
      const double coverage = static_cast<double>(covered[j]) / static_cast<double>(sets);
      // Allow 3.5 binomial standard errors of the coverage (0.024 at 0.95, 0.044 at 0.8).
      const double tolerance = 3.5 * std::sqrt(level * (1.0 - level) / static_cast<double>(sets));
      EXPECT_NEAR(coverage, level, tolerance) << "factor " << j << " at level " << level;
    }
  }
}

TEST(StandardisedRegression, ZeroVarianceFactorIsLeftOutAndFlagged) {
  sim::RandomStream stream(9);
  const std::size_t n = 50;
  const auto u = uniform_columns(stream, 2, n);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i)
    y[i] = 2.0 * u[0][i] - u[1][i] + 0.1 * normal(stream);
  const std::vector<std::vector<double>> with_constant{u[0], std::vector<double>(n, 5.0), u[1]};

  const RegressionSensitivity r = standardised_regression(with_constant, y);
  const RegressionSensitivity without = standardised_regression(u, y);
  EXPECT_EQ(r.fitted_factors, 2U);
  EXPECT_EQ(r.residual_dof, n - 3);
  EXPECT_TRUE(r.factors[1].zero_variance);
  EXPECT_TRUE(std::isnan(r.factors[1].coefficient));
  EXPECT_TRUE(std::isnan(r.factors[1].half_width));
  EXPECT_FALSE(r.factors[0].zero_variance);
  EXPECT_FALSE(r.factors[2].zero_variance);
  EXPECT_NEAR(r.factors[0].coefficient, without.factors[0].coefficient, 1e-12);
  EXPECT_NEAR(r.factors[2].coefficient, without.factors[1].coefficient, 1e-12);
  EXPECT_NEAR(r.factors[0].half_width, without.factors[0].half_width, 1e-12);
  EXPECT_NEAR(r.r_squared, without.r_squared, 1e-12);
  EXPECT_THAT(rank_factors(r), ElementsAre(0U, 2U, 1U));
}

TEST(StandardisedRegression, ConstantResponseGivesNaNEverywhere) {
  sim::RandomStream stream(10);
  const auto x = uniform_columns(stream, 2, 20);
  const std::vector<double> y(20, 4.25);
  const RegressionSensitivity r = standardised_regression(x, y);
  EXPECT_TRUE(std::isnan(r.r_squared));
  for (const auto& f : r.factors) {
    EXPECT_TRUE(std::isnan(f.coefficient));
    EXPECT_TRUE(std::isnan(f.half_width));
    EXPECT_FALSE(f.zero_variance);
  }
  EXPECT_EQ(r.fitted_factors, 2U);
}

TEST(StandardisedRegression, NoVaryingFactorLeavesTheMeanAlone) {
  const std::vector<std::vector<double>> x{{1.0, 1.0, 1.0}, {2.0, 2.0, 2.0}};
  const std::vector<double> y{1.0, 2.0, 4.0};
  const RegressionSensitivity r = standardised_regression(x, y);
  EXPECT_EQ(r.fitted_factors, 0U);
  EXPECT_EQ(r.residual_dof, 2U);
  EXPECT_EQ(r.r_squared, 0.0);
  for (const auto& f : r.factors) {
    EXPECT_TRUE(f.zero_variance);
    EXPECT_TRUE(std::isnan(f.coefficient));
  }
}

TEST(StandardisedRegression, TooFewRowsThrowsNamingNAndK) {
  const std::vector<std::vector<double>> x{{0.0, 1.0, 2.0}, {0.0, 1.0, 0.0}};
  const std::vector<double> y{1.0, 2.0, 4.0};
  const std::string msg = model_error_message([&] { standardised_regression(x, y); });
  EXPECT_THAT(msg, HasSubstr("standardised_regression"));
  EXPECT_THAT(msg, HasSubstr("n = 3"));
  EXPECT_THAT(msg, HasSubstr("k = 2"));

  // One more row is enough; a constant factor does not count against n.
  const std::vector<std::vector<double>> x4{{0.0, 1.0, 2.0, 3.0}, {0.0, 1.0, 0.0, 1.0}};
  const std::vector<double> y4{1.0, 2.0, 4.0, 3.0};
  EXPECT_NO_THROW(standardised_regression(x4, y4));
  const std::vector<std::vector<double>> x4c{x4[0], x4[1], {3.0, 3.0, 3.0, 3.0}};
  EXPECT_EQ(standardised_regression(x4c, y4).fitted_factors, 2U);

  const std::vector<std::vector<double>> one{{1.0}};
  const std::vector<double> y1{1.0};
  EXPECT_THAT(model_error_message([&] { standardised_regression(one, y1); }), HasSubstr("n = 1"));
}

TEST(StandardisedRegression, NonFiniteInputThrowsNamingTheRow) {
  sim::RandomStream stream(3);
  auto x = uniform_columns(stream, 2, 10);
  std::vector<double> y(10, 0.0);
  for (std::size_t i = 0; i < 10; ++i)
    y[i] = x[0][i] + x[1][i];

  auto bad_x = x;
  bad_x[1][7] = nan;
  std::string msg = model_error_message([&] { standardised_regression(bad_x, y); });
  EXPECT_THAT(msg, HasSubstr("row 7"));
  EXPECT_THAT(msg, HasSubstr("factor 1"));
  EXPECT_THAT(msg, HasSubstr("nan"));

  auto bad_y = y;
  bad_y[3] = -std::numeric_limits<double>::infinity();
  msg = model_error_message([&] { standardised_regression(x, bad_y, RegressionScale::ranks); });
  EXPECT_THAT(msg, HasSubstr("row 3"));
  EXPECT_THAT(msg, HasSubstr("response"));
  EXPECT_THAT(msg, HasSubstr("-inf"));
}

TEST(StandardisedRegression, BadShapesLevelsAndCollinearFactorsThrow) {
  sim::RandomStream stream(4);
  const auto x = uniform_columns(stream, 2, 10);
  std::vector<double> y(10);
  for (std::size_t i = 0; i < 10; ++i)
    y[i] = x[0][i] - x[1][i];

  const std::vector<std::vector<double>> none;
  EXPECT_THAT(model_error_message([&] { standardised_regression(none, y); }),
              HasSubstr("no factors"));
  const std::vector<double> short_y(y.begin(), y.begin() + 9);
  EXPECT_THAT(model_error_message([&] { standardised_regression(x, short_y); }),
              HasSubstr("factor 0 has 10 values, the response has 9"));
  for (const double level : {0.0, 1.0, nan}) {
    EXPECT_THAT(
        model_error_message([&] { standardised_regression(x, y, RegressionScale::values, level); }),
        HasSubstr("level"));
  }
  // x2 = 2 x1 + 1: only their combination is identifiable.
  std::vector<double> twice(10);
  for (std::size_t i = 0; i < 10; ++i)
    twice[i] = 2.0 * x[0][i] + 1.0;
  const std::vector<std::vector<double>> collinear{x[0], twice, x[1]};
  EXPECT_THAT(model_error_message([&] { standardised_regression(collinear, y); }),
              HasSubstr("collinear"));
}

// ---------------------------------------------------------------------------------------
// standardised_regression (ranks)

TEST(StandardisedRankRegression, RanksAMonotoneNonlinearFactorFirst) {
  // y = exp(5 x1) + x2, x1..x3 independent uniforms: strongly nonlinear in x1. With
  // independent factors the SRRC tend to the Spearman rank correlations of each factor with
  // y, rho_j = 12 E[U_j G(Y)] - 3 (G the cdf of Y); numerical integration on a 4000 x 4000
  // grid gives rho_1 = 0.99856, rho_2 = 0.03502, rho_3 = 0. The linear fit explains only
  // about 74 % of the variance, the rank fit 99.8 %.
  sim::RandomStream stream(77);
  const std::size_t n = 2000;
  const auto x = uniform_columns(stream, 3, n);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i)
    y[i] = std::exp(5.0 * x[0][i]) + x[1][i];

  const RegressionSensitivity raw = standardised_regression(x, y);
  const RegressionSensitivity ranked = standardised_regression(x, y, RegressionScale::ranks);
  EXPECT_EQ(ranked.scale, RegressionScale::ranks);
  EXPECT_THAT(rank_factors(ranked), ElementsAre(0U, 1U, 2U));
  EXPECT_NEAR(raw.r_squared, 0.737, 0.03);
  EXPECT_NEAR(ranked.r_squared, 0.9983, 0.001);
  EXPECT_NEAR(ranked.factors[0].coefficient, 0.99856, 0.005);
  EXPECT_NEAR(ranked.factors[1].coefficient, 0.03502, 0.005);
  EXPECT_NEAR(ranked.factors[2].coefficient, 0.0, 0.005);

  // In the sample, the SRRC solve the normal equations of the rank correlations:
  // sum_l corr(R_j, R_l) SRRC_l = corr(R_j, R_y) (ranks computed independently here).
  std::vector<std::vector<double>> rx;
  for (const auto& col : x)
    rx.push_back(untied_ranks(col));
  const auto ry = untied_ranks(y);
  for (std::size_t j = 0; j < 3; ++j) {
    double lhs = 0.0;
    for (std::size_t l = 0; l < 3; ++l)
      lhs += pearson(rx[j], rx[l]) * ranked.factors[l].coefficient;
    EXPECT_NEAR(lhs, pearson(rx[j], ry), 1e-10) << "factor " << j;
  }
}

TEST(StandardisedRankRegression, IsExactForAPurelyMonotoneResponse) {
  // y = exp(5 x1) has exactly the ranks of x1: SRRC_1 = 1, the others 0, R^2 = 1.
  sim::RandomStream stream(78);
  const std::size_t n = 200;
  const auto x = uniform_columns(stream, 2, n);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i)
    y[i] = std::exp(5.0 * x[0][i]);
  const RegressionSensitivity r = standardised_regression(x, y, RegressionScale::ranks);
  EXPECT_NEAR(r.factors[0].coefficient, 1.0, 1e-12);
  EXPECT_NEAR(r.factors[1].coefficient, 0.0, 1e-12);
  EXPECT_NEAR(r.r_squared, 1.0, 1e-12);
}

TEST(AverageRanks, TiesShareTheMeanOfTheirRanks) {
  const std::vector<double> v{10.0, 20.0, 20.0, 5.0};
  EXPECT_THAT(average_ranks(v), ElementsAre(2.0, 3.5, 3.5, 1.0));
  const std::vector<double> all_tied{1.0, 1.0, 1.0};
  EXPECT_THAT(average_ranks(all_tied), ElementsAre(2.0, 2.0, 2.0));
  const std::vector<double> mixed{3.0, -std::numeric_limits<double>::infinity(), 3.0, 3.0,
                                  0.0, std::numeric_limits<double>::infinity()};
  const auto r = average_ranks(mixed);
  EXPECT_THAT(r, ElementsAre(4.0, 1.0, 4.0, 4.0, 2.0, 6.0));
  EXPECT_DOUBLE_EQ(std::accumulate(r.begin(), r.end(), 0.0), 6.0 * 7.0 / 2.0);
  EXPECT_TRUE(average_ranks(std::vector<double>{}).empty());
}

TEST(RankByMagnitude, SortsByAbsoluteValueWithNaNLastAndStable) {
  const std::vector<double> s{0.1, -0.5, nan, 0.5, 0.2, nan, 0.0};
  EXPECT_THAT(rank_by_magnitude(s), ElementsAre(1U, 3U, 4U, 0U, 6U, 2U, 5U));
  EXPECT_TRUE(rank_by_magnitude(std::vector<double>{}).empty());
}

// ---------------------------------------------------------------------------------------
// morris_design

// Whether x is k / (p - 1) for an integer k in 0..p-1, to rounding.
bool on_grid(double x, std::size_t p) {
  const double scaled = x * static_cast<double>(p - 1);
  return x >= 0.0 && x <= 1.0 && std::abs(scaled - std::round(scaled)) < 1e-12;
}

TEST(MorrisDesign, HasTheClassicOneAtATimeStructure) {
  for (const std::size_t p : {2U, 4U, 6U, 8U}) {
    const std::size_t k = 5;
    const std::size_t r = 30;
    const MorrisDesign d = morris_design(k, r, 42, p);
    const double delta = static_cast<double>(p) / (2.0 * static_cast<double>(p - 1));
    EXPECT_EQ(d.factors, k);
    EXPECT_EQ(d.levels, p);
    EXPECT_DOUBLE_EQ(d.delta, delta);
    ASSERT_EQ(d.trajectories.size(), r);
    EXPECT_EQ(d.point_count(), r * (k + 1));
    const auto all = d.points();
    ASSERT_EQ(all.size(), r * (k + 1));
    for (std::size_t t = 0; t < r; ++t) {
      const MorrisTrajectory& traj = d.trajectories[t];
      ASSERT_EQ(traj.points.size(), k + 1);
      ASSERT_EQ(traj.steps.size(), k);
      std::vector<int> changed(k, 0);
      for (std::size_t i = 0; i <= k; ++i) {
        ASSERT_EQ(traj.points[i].size(), k);
        EXPECT_EQ(all[t * (k + 1) + i], traj.points[i]);
        for (const double c : traj.points[i])
          EXPECT_TRUE(on_grid(c, p)) << c << " with p = " << p;
      }
      for (std::size_t s = 0; s < k; ++s) {
        const MorrisStep& step = traj.steps[s];
        ASSERT_LT(step.factor, k);
        ++changed[step.factor];
        EXPECT_EQ(std::abs(step.delta), d.delta);
        for (std::size_t j = 0; j < k; ++j) {
          const double diff = traj.points[s + 1][j] - traj.points[s][j];
          if (j == step.factor) {
            EXPECT_NEAR(diff, step.delta, 1e-15);
          } else {
            EXPECT_EQ(diff, 0.0);
          }
        }
      }
      EXPECT_THAT(changed, ::testing::Each(1)) << "trajectory " << t << ", p = " << p;
    }
  }
}

TEST(MorrisDesign, RandomisesBasePointOrderAndDirection) {
  // Over many trajectories every level is visited, every factor is changed first, and every
  // factor steps both up and down.
  const std::size_t k = 3;
  const std::size_t p = 6;
  const MorrisDesign d = morris_design(k, 300, 7, p);
  std::vector<std::vector<int>> level_seen(k, std::vector<int>(p, 0));
  std::vector<int> first(k, 0);
  std::vector<int> ups(k, 0);
  std::vector<int> downs(k, 0);
  for (const auto& traj : d.trajectories) {
    ++first[traj.steps[0].factor];
    for (const auto& step : traj.steps)
      ++(step.delta > 0 ? ups : downs)[step.factor];
    for (const auto& pt : traj.points) {
      for (std::size_t j = 0; j < k; ++j)
        ++level_seen[j][static_cast<std::size_t>(std::lround(pt[j] * static_cast<double>(p - 1)))];
    }
  }
  for (std::size_t j = 0; j < k; ++j) {
    EXPECT_GT(first[j], 60) << j; // expect 100 of 300
    EXPECT_GT(ups[j], 110) << j;  // expect 150 of 300
    EXPECT_GT(downs[j], 110) << j;
    for (std::size_t l = 0; l < p; ++l)
      EXPECT_GT(level_seen[j][l], 0) << "factor " << j << " level " << l;
  }
}

TEST(MorrisDesign, IsDeterministicForASeed) {
  const MorrisDesign a = morris_design(4, 10, 123);
  const MorrisDesign b = morris_design(4, 10, 123);
  const MorrisDesign c = morris_design(4, 10, 124);
  EXPECT_EQ(a.levels, 4U);
  EXPECT_EQ(a.points(), b.points());
  for (std::size_t t = 0; t < 10; ++t) {
    for (std::size_t s = 0; s < 4; ++s) {
      EXPECT_EQ(a.trajectories[t].steps[s].factor, b.trajectories[t].steps[s].factor);
      EXPECT_EQ(a.trajectories[t].steps[s].delta, b.trajectories[t].steps[s].delta);
    }
  }
  EXPECT_NE(a.points(), c.points());
}

TEST(MorrisDesign, PinsTheDrawOrder) {
  // Golden values: the design depends only on RandomStream and the documented draw order,
  // so it must be the same with every compiler and standard library.
  const MorrisDesign d = morris_design(3, 2, 2024);
  // Grid levels (coordinate times p - 1 = 3) of each point, and the steps.
  const std::vector<std::vector<std::vector<int>>> levels{
      {{3, 2, 2}, {1, 2, 2}, {1, 2, 0}, {1, 0, 0}}, {{0, 0, 3}, {2, 0, 3}, {2, 2, 3}, {2, 2, 1}}};
  const std::vector<std::vector<std::size_t>> factors{{0, 2, 1}, {0, 1, 2}};
  const std::vector<std::vector<int>> signs{{-1, -1, -1}, {1, 1, -1}};
  ASSERT_EQ(d.trajectories.size(), 2U);
  for (std::size_t t = 0; t < 2; ++t) {
    for (std::size_t i = 0; i < 4; ++i) {
      for (std::size_t j = 0; j < 3; ++j)
        EXPECT_EQ(d.trajectories[t].points[i][j], levels[t][i][j] / 3.0) << t << i << j;
    }
    for (std::size_t s = 0; s < 3; ++s) {
      EXPECT_EQ(d.trajectories[t].steps[s].factor, factors[t][s]);
      EXPECT_EQ(d.trajectories[t].steps[s].delta, signs[t][s] * (2.0 / 3.0));
    }
  }
}

TEST(MorrisDesign, BadArgumentsThrow) {
  EXPECT_THAT(model_error_message([] { morris_design(0, 5, 1); }), HasSubstr("factor"));
  EXPECT_THAT(model_error_message([] { morris_design(3, 0, 1); }), HasSubstr("trajectory"));
  EXPECT_THAT(model_error_message([] { morris_design(3, 5, 1, 5); }), HasSubstr("got 5"));
  EXPECT_THAT(model_error_message([] { morris_design(3, 5, 1, 0); }), HasSubstr("even"));
}

// ---------------------------------------------------------------------------------------
// morris_effects

std::vector<double> evaluate(const MorrisDesign& d,
                             const std::function<double(const std::vector<double>&)>& f) {
  std::vector<double> y;
  for (const auto& pt : d.points())
    y.push_back(f(pt));
  return y;
}

TEST(MorrisEffects, LinearResponseGivesItsCoefficientsExactly) {
  const double b[4] = {3.0, -2.0, 0.5, 0.0};
  const MorrisDesign d = morris_design(4, 25, 99);
  const auto y = evaluate(d, [&](const std::vector<double>& u) {
    return 2.0 + b[0] * u[0] + b[1] * u[1] + b[2] * u[2];
  });
  const MorrisResult m = morris_effects(d, y);
  ASSERT_EQ(m.factors.size(), 4U);
  for (std::size_t j = 0; j < 4; ++j) {
    EXPECT_EQ(m.factors[j].count, 25U);
    EXPECT_EQ(m.factors[j].elementary_effects.size(), 25U);
    EXPECT_NEAR(m.factors[j].mu, b[j], 1e-12) << j;
    EXPECT_NEAR(m.factors[j].mu_star, std::abs(b[j]), 1e-12) << j;
    EXPECT_NEAR(m.factors[j].sigma, 0.0, 1e-12) << j;
  }
  EXPECT_THAT(rank_factors(m), ElementsAre(0U, 1U, 2U, 3U));
}

TEST(MorrisEffects, ProductShowsInteractionAndAnUnusedFactorIsZero) {
  // y = u1 u2 (u3 unused): the effect of u1 is u2 where it is measured, and vice versa.
  const MorrisDesign d = morris_design(3, 40, 31);
  const auto y = evaluate(d, [](const std::vector<double>& u) { return u[0] * u[1]; });
  const MorrisResult m = morris_effects(d, y);
  for (std::size_t t = 0; t < d.trajectories.size(); ++t) {
    const auto& traj = d.trajectories[t];
    for (std::size_t s = 0; s < 3; ++s) {
      const std::size_t f = traj.steps[s].factor;
      if (f == 2) continue;
      const double other = traj.points[s][1 - f]; // unchanged by this step
      EXPECT_NEAR(m.factors[f].elementary_effects[t], other, 1e-12);
    }
  }
  EXPECT_GT(m.factors[0].sigma, 0.1);
  EXPECT_GT(m.factors[1].sigma, 0.1);
  EXPECT_GT(m.factors[0].mu_star, 0.2);
  EXPECT_EQ(m.factors[2].mu, 0.0);
  EXPECT_EQ(m.factors[2].mu_star, 0.0);
  EXPECT_EQ(m.factors[2].sigma, 0.0);
  EXPECT_EQ(rank_factors(m).back(), 2U);
}

TEST(MorrisEffects, HandBuiltDesignGivesTheTextbookMeasures) {
  // One factor, three trajectories with steps +0.5, -0.5, +0.5 and response changes 1, 1,
  // 2: effects 2, -2, 4, so mu = 4/3, mu* = 8/3, sigma = sqrt(((2/3)^2 + (10/3)^2 +
  // (8/3)^2) / 2) = sqrt(28/3).
  MorrisDesign d;
  d.factors = 1;
  d.levels = 2;
  d.delta = 0.5;
  d.trajectories = {
      {{{0.0}, {0.5}}, {{0, 0.5}}}, {{{0.5}, {0.0}}, {{0, -0.5}}}, {{{0.25}, {0.75}}, {{0, 0.5}}}};
  const std::vector<double> y{10.0, 11.0, 3.0, 4.0, 0.0, 2.0};
  const MorrisResult m = morris_effects(d, y);
  EXPECT_THAT(m.factors[0].elementary_effects, ElementsAre(2.0, -2.0, 4.0));
  EXPECT_DOUBLE_EQ(m.factors[0].mu, 4.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.factors[0].mu_star, 8.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.factors[0].sigma, std::sqrt(28.0 / 3.0));
  EXPECT_EQ(m.factors[0].count, 3U);

  d.trajectories.resize(1);
  const MorrisResult one = morris_effects(d, std::vector<double>{10.0, 11.0});
  EXPECT_DOUBLE_EQ(one.factors[0].mu, 2.0);
  EXPECT_TRUE(std::isnan(one.factors[0].sigma));
}

TEST(MorrisEffects, RangesGiveEffectsPerUnitOfTheRealFactor) {
  // y = 3 a + 0.01 b with a in [10, 20], b in [0, 1000]: per unit-cube step the effects are
  // 30 and 10; per factor unit, 3 and 0.01.
  const std::vector<FactorRange> ranges{{10.0, 20.0}, {0.0, 1000.0}};
  const MorrisDesign d = morris_design(2, 10, 5);
  const auto y = evaluate(d, [&](const std::vector<double>& u) {
    const auto x = map_to_ranges(u, ranges);
    return 3.0 * x[0] + 0.01 * x[1];
  });
  const MorrisResult cube = morris_effects(d, y);
  EXPECT_NEAR(cube.factors[0].mu, 30.0, 1e-9);
  EXPECT_NEAR(cube.factors[1].mu, 10.0, 1e-9);
  const MorrisResult real = morris_effects(d, y, ranges);
  EXPECT_NEAR(real.factors[0].mu, 3.0, 1e-12);
  EXPECT_NEAR(real.factors[1].mu, 0.01, 1e-12);
  EXPECT_NEAR(real.factors[1].sigma, 0.0, 1e-12);
  EXPECT_THAT(rank_factors(cube), ElementsAre(0U, 1U));
  EXPECT_THAT(rank_factors(real), ElementsAre(0U, 1U));
}

TEST(MorrisEffects, NonFiniteResponseThrowsNamingThePoint) {
  const MorrisDesign d = morris_design(2, 3, 8);
  std::vector<double> y(d.point_count(), 1.0);
  y[4] = nan; // trajectory 1, its point 1
  const std::string msg = model_error_message([&] { morris_effects(d, y); });
  EXPECT_THAT(msg, HasSubstr("point 4"));
  EXPECT_THAT(msg, HasSubstr("trajectory 1, point 1"));
  EXPECT_THAT(msg, HasSubstr("nan"));
}

TEST(MorrisEffects, BadInputsThrow) {
  const MorrisDesign d = morris_design(2, 3, 8);
  const std::vector<double> y(d.point_count(), 1.0);
  const std::vector<double> short_y(d.point_count() - 1, 1.0);
  EXPECT_THAT(model_error_message([&] { morris_effects(d, short_y); }),
              HasSubstr("got 8 responses for a design of 9 points"));
  const std::vector<FactorRange> one_range{{0.0, 1.0}};
  EXPECT_THAT(model_error_message([&] { morris_effects(d, y, one_range); }),
              HasSubstr("1 ranges for 2 factors"));
  const std::vector<FactorRange> empty_range{{0.0, 1.0}, {2.0, 2.0}};
  EXPECT_THAT(model_error_message([&] { morris_effects(d, y, empty_range); }),
              HasSubstr("range 1"));

  MorrisDesign twice = d;
  twice.trajectories[2].steps[1].factor = twice.trajectories[2].steps[0].factor;
  EXPECT_THAT(model_error_message([&] { morris_effects(twice, y); }),
              HasSubstr("trajectory 2 step 1"));
  MorrisDesign flat = d;
  flat.trajectories[0].steps[0].delta = 0.0;
  EXPECT_THAT(model_error_message([&] { morris_effects(flat, y); }), HasSubstr("delta 0"));
  MorrisDesign short_traj = d;
  short_traj.trajectories[1].points.pop_back();
  EXPECT_THAT(model_error_message([&] { morris_effects(short_traj, y); }),
              HasSubstr("trajectory 1 has 2 points"));
  const MorrisDesign empty;
  EXPECT_THAT(model_error_message([&] { morris_effects(empty, std::vector<double>{}); }),
              HasSubstr("no factors"));
}

// ---------------------------------------------------------------------------------------
// map_to_ranges

TEST(MapToRanges, MapsLinearlyWithExactEnds) {
  const std::vector<FactorRange> ranges{{0.1, 0.7}, {-5.0, 5.0}, {3.0, 3.0}};
  const std::vector<double> lo{0.0, 0.0, 0.0};
  const std::vector<double> hi{1.0, 1.0, 1.0};
  const std::vector<double> mid{0.5, 0.25, 2.0 / 3.0};
  EXPECT_THAT(map_to_ranges(lo, ranges), ElementsAre(0.1, -5.0, 3.0));
  EXPECT_THAT(map_to_ranges(hi, ranges), ElementsAre(0.7, 5.0, 3.0));
  const auto m = map_to_ranges(mid, ranges);
  EXPECT_DOUBLE_EQ(m[0], 0.4);
  EXPECT_DOUBLE_EQ(m[1], -2.5);
  EXPECT_DOUBLE_EQ(m[2], 3.0);
}

TEST(MapToRanges, BadInputsThrow) {
  const std::vector<FactorRange> ranges{{0.0, 1.0}, {2.0, 1.0}};
  const std::vector<double> ok{0.5, 0.5};
  EXPECT_THAT(model_error_message([&] { map_to_ranges(ok, ranges); }), HasSubstr("range 1"));
  const std::vector<FactorRange> good{{0.0, 1.0}, {1.0, 2.0}};
  const std::vector<double> outside{0.5, 1.5};
  EXPECT_THAT(model_error_message([&] { map_to_ranges(outside, good); }),
              HasSubstr("coordinate 1 is 1.5"));
  const std::vector<double> with_nan{nan, 0.5};
  EXPECT_THAT(model_error_message([&] { map_to_ranges(with_nan, good); }),
              HasSubstr("coordinate 0 is nan"));
  const std::vector<double> three{0.5, 0.5, 0.5};
  EXPECT_THAT(model_error_message([&] { map_to_ranges(three, good); }), HasSubstr("3 coordinates"));
  const std::vector<FactorRange> infinite{{0.0, 1.0},
                                          {0.0, std::numeric_limits<double>::infinity()}};
  EXPECT_THAT(model_error_message([&] { map_to_ranges(ok, infinite); }), HasSubstr("range 1"));
}

} // namespace
} // namespace itsim::analysis
