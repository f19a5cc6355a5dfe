// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/confidence.hpp"

#include "itsim/sim/error.hpp"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace itsim::analysis {

namespace {

// Boost.Math evaluates in double throughout (no promotion to long double), so results do
// not depend on the platform's long double; errors throw, and we validate before calling.
using StudentsTPolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

void check_level(std::string_view fn, double level) {
  if (!(level > 0.0 && level < 1.0)) {
    throw ModelError(std::string(fn) + ": level must be in (0, 1), got " + format_double(level));
  }
}

// Throws if a value is NaN or infinite, naming `what`[index] and the level.
void check_finite(std::string_view fn, std::string_view what, std::span<const double> xs,
                  double level) {
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (!std::isfinite(xs[i])) {
      throw ModelError(std::string(fn) + ": " + std::string(what) + "[" + std::to_string(i) +
                       "] is " + format_double(xs[i]) + " (level " + format_double(level) + ")");
    }
  }
}

ConfidenceInterval interval_from(std::span<const double> xs, double level) {
  const MeanVariance mv = mean_variance(xs);
  const std::size_t n = xs.size();
  const double dof = static_cast<double>(n - 1);
  const double se = std::sqrt(mv.variance / static_cast<double>(n));
  const double half = se == 0.0 ? 0.0 : student_t_quantile(1.0 - (1.0 - level) / 2.0, dof) * se;
  return {mv.mean, half, level, n};
}

} // namespace

double MeanVariance::sd() const {
  return std::sqrt(variance);
}

double sample_mean(std::span<const double> values) {
  double sum = 0.0;
  for (double x : values)
    sum += x;
  return sum / static_cast<double>(values.size());
}

MeanVariance mean_variance(std::span<const double> values) {
  const std::size_t n = values.size();
  MeanVariance mv{n, sample_mean(values), std::numeric_limits<double>::quiet_NaN()};
  if (n < 2) return mv;
  double ss = 0.0;
  double comp = 0.0; // corrects rounding in the mean (Chan, Golub & LeVeque 1983, eq. 1.7)
  for (double x : values) {
    ss += (x - mv.mean) * (x - mv.mean);
    comp += x - mv.mean;
  }
  const auto nd = static_cast<double>(n);
  mv.variance = std::max((ss - comp * comp / nd) / (nd - 1.0), 0.0);
  return mv;
}

double ConfidenceInterval::relative_half_width() const {
  if (half_width == 0.0) return 0.0;
  if (mean == 0.0) return std::numeric_limits<double>::infinity();
  return half_width / std::abs(mean);
}

double student_t_quantile(double p, double dof) {
  if (!(p > 0.0 && p < 1.0)) {
    throw ModelError("student_t_quantile: p must be in (0, 1), got " + format_double(p));
  }
  if (!(dof > 0.0)) {
    throw ModelError("student_t_quantile: degrees of freedom must be > 0, got " +
                     format_double(dof));
  }
  const boost::math::students_t_distribution<double, StudentsTPolicy> dist(dof);
  return boost::math::quantile(dist, p);
}

ConfidenceInterval confidence_interval(std::span<const double> samples, double level) {
  constexpr std::string_view fn = "confidence_interval";
  check_level(fn, level);
  if (samples.size() < 2) {
    throw ModelError(std::string(fn) + ": need at least 2 samples, got " +
                     std::to_string(samples.size()) + " (level " + format_double(level) + ")");
  }
  check_finite(fn, "samples", samples, level);
  return interval_from(samples, level);
}

ConfidenceInterval paired_difference(std::span<const double> a, std::span<const double> b,
                                     double level) {
  constexpr std::string_view fn = "paired_difference";
  check_level(fn, level);
  if (a.size() != b.size()) {
    throw ModelError(std::string(fn) + ": samples must pair up, got " + std::to_string(a.size()) +
                     " and " + std::to_string(b.size()) + " values");
  }
  if (a.size() < 2) {
    throw ModelError(std::string(fn) + ": need at least 2 pairs, got " + std::to_string(a.size()) +
                     " (level " + format_double(level) + ")");
  }
  check_finite(fn, "a", a, level);
  check_finite(fn, "b", b, level);
  std::vector<double> diff(a.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    diff[i] = a[i] - b[i];
  return interval_from(diff, level);
}

std::size_t replications_for_precision(std::span<const double> pilot,
                                       double target_relative_half_width, double level,
                                       std::size_t max_n) {
  constexpr std::string_view fn = "replications_for_precision";
  check_level(fn, level);
  const double gamma = target_relative_half_width;
  if (!(gamma > 0.0) || !std::isfinite(gamma)) {
    throw ModelError(std::string(fn) + ": target relative half-width must be > 0, got " +
                     format_double(gamma));
  }
  const std::size_t n0 = pilot.size();
  if (n0 < 2) {
    throw ModelError(std::string(fn) + ": need a pilot of at least 2 replications, got " +
                     std::to_string(n0));
  }
  if (max_n < n0) {
    throw ModelError(std::string(fn) + ": max_n (" + std::to_string(max_n) +
                     ") is below the pilot size " + std::to_string(n0));
  }
  check_finite(fn, "pilot", pilot, level);
  const MeanVariance mv = mean_variance(pilot);
  if (mv.mean == 0.0) {
    throw ModelError(std::string(fn) +
                     ": the pilot mean is 0, so a relative precision is undefined");
  }
  const double s = mv.sd();
  const double target = gamma / (1.0 + gamma) * std::abs(mv.mean);
  const double p = 1.0 - (1.0 - level) / 2.0;
  // Half-width with n replications; strictly decreasing in n (both t_{n-1} and 1/sqrt(n)
  // decrease), so the smallest admissible n is found by bisection.
  const auto half_width = [&](std::size_t n) {
    const double nd = static_cast<double>(n);
    return student_t_quantile(p, nd - 1.0) * s / std::sqrt(nd);
  };
  if (s == 0.0 || half_width(n0) <= target) return n0;
  if (half_width(max_n) > target) {
    throw ModelError(std::string(fn) + ": more than max_n = " + std::to_string(max_n) +
                     " replications would be needed for a relative half-width of " +
                     format_double(gamma) + " at level " + format_double(level));
  }
  std::size_t lo = n0;    // half_width(lo) > target
  std::size_t hi = max_n; // half_width(hi) <= target
  while (hi - lo > 1) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (half_width(mid) <= target) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return hi;
}

} // namespace itsim::analysis
