// SPDX-License-Identifier: Apache-2.0
// MLE for lognormal (closed form), gamma (Newton on the shape's profile equation with
// digamma/trigamma, Minka's starting point) and Weibull (Newton on the shape's profile
// equation), Boost.Math for the special functions.
#include "itsim/calibration/fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include "itsim/sim/error.hpp"

namespace itsim::calibration {

const char* to_string(Family f) {
  switch (f) {
  case Family::lognormal:
    return "lognormal";
  case Family::gamma:
    return "gamma";
  case Family::weibull:
    return "weibull";
  }
  return "?";
}

namespace {

FamilyFit lognormal_fit(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  double s = 0;
  for (double v : x)
    s += std::log(v);
  const double mu = s / n;
  double ss = 0;
  for (double v : x)
    ss += (std::log(v) - mu) * (std::log(v) - mu);
  const double sigma = std::sqrt(ss / n);
  double ll = 0;
  for (double v : x) {
    const double z = (std::log(v) - mu) / sigma;
    ll += -std::log(v * sigma * std::sqrt(2 * M_PI)) - 0.5 * z * z;
  }
  FamilyFit f{Family::lognormal,
              mu,
              sigma,
              ll,
              4 - 2 * ll,
              std::exp(mu + sigma * sigma / 2),
              std::sqrt(std::expm1(sigma * sigma))};
  return f;
}

FamilyFit gamma_fit(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  double sum = 0;
  double sum_log = 0;
  for (double v : x) {
    sum += v;
    sum_log += std::log(v);
  }
  const double mean = sum / n;
  const double s = std::log(mean) - sum_log / n; // > 0 unless all equal
  double k = (3 - s + std::sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s);
  for (int i = 0; i < 100; ++i) {
    const double g = std::log(k) - boost::math::digamma(k) - s;
    const double dg = 1 / k - boost::math::trigamma(k);
    double next = k - g / dg;
    if (next <= 0) next = k / 2;
    if (std::abs(next - k) < 1e-12 * k) {
      k = next;
      break;
    }
    k = next;
  }
  const double theta = mean / k;
  const double ll =
      (k - 1) * sum_log - sum / theta - n * k * std::log(theta) - n * boost::math::lgamma(k);
  return FamilyFit{Family::gamma, k, theta, ll, 4 - 2 * ll, mean, 1 / std::sqrt(k)};
}

FamilyFit weibull_fit(const std::vector<double>& x) {
  const double n = static_cast<double>(x.size());
  // Work in units of the sample mean, so that x^k neither overflows nor underflows.
  double mean = 0;
  for (double v : x)
    mean += v;
  mean /= n;
  std::vector<double> y(x.size());
  std::vector<double> ly(x.size());
  double mean_log = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    y[i] = x[i] / mean;
    ly[i] = std::log(y[i]);
    mean_log += ly[i];
  }
  mean_log /= n;
  // Profile equation: sum(y^k ln y) / sum(y^k) - 1/k - mean(ln y) = 0, increasing in k.
  auto g = [&](double k, double& dg) {
    double a = 0;
    double b = 0;
    double c = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      const double p = std::pow(y[i], k);
      a += p;
      b += p * ly[i];
      c += p * ly[i] * ly[i];
    }
    dg = (c * a - b * b) / (a * a) + 1 / (k * k);
    return b / a - 1 / k - mean_log;
  };
  double k = 1.2;
  for (int i = 0; i < 200; ++i) {
    double dg = 0;
    const double v = g(k, dg);
    double next = k - v / dg;
    if (!(next > 0)) next = k / 2;
    if (next > 4 * k) next = 4 * k;
    if (std::abs(next - k) < 1e-10 * k) {
      k = next;
      break;
    }
    k = next;
  }
  double a = 0;
  for (double v : y)
    a += std::pow(v, k);
  const double lambda_y = std::pow(a / n, 1 / k);
  const double lambda = lambda_y * mean;
  double ll = 0;
  for (double v : x)
    ll += std::log(k / lambda) + (k - 1) * std::log(v / lambda) - std::pow(v / lambda, k);
  const double m = lambda * std::tgamma(1 + 1 / k);
  const double m2 = lambda * lambda * std::tgamma(1 + 2 / k);
  return FamilyFit{Family::weibull, k, lambda, ll, 4 - 2 * ll, m, std::sqrt(m2 - m * m) / m};
}

} // namespace

ServiceFit fit_service_time(const std::vector<double>& samples) {
  std::vector<double> x;
  x.reserve(samples.size());
  for (double v : samples)
    if (std::isfinite(v) && v > 0) x.push_back(v);
  if (x.size() < 2 || std::all_of(x.begin(), x.end(), [&](double v) { return v == x.front(); }))
    throw Error("cannot fit a service time: fewer than 2 distinct positive values");
  ServiceFit r;
  r.n = x.size();
  for (double v : x)
    r.sample_mean += v;
  r.sample_mean /= static_cast<double>(x.size());
  r.fits = {lognormal_fit(x), gamma_fit(x), weibull_fit(x)};
  for (std::size_t i = 1; i < r.fits.size(); ++i)
    if (r.fits[i].aic < r.fits[r.best].aic) r.best = i;
  return r;
}

} // namespace itsim::calibration
