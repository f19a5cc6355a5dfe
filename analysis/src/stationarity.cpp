// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/stationarity.hpp"

#include "itsim/analysis/confidence.hpp"
#include "itsim/sim/error.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace itsim::analysis {

const char* to_string(Stationarity s) {
  switch (s) {
  case Stationarity::trending:
    return "trending";
  case Stationarity::steady:
    return "steady";
  case Stationarity::too_short:
    return "too short";
  case Stationarity::not_tested:
    break;
  }
  return "not tested";
}

TrendResult trend_test(std::span<const double> series, double step_h, const TrendOptions& options) {
  if (!(step_h > 0.0 && std::isfinite(step_h))) {
    throw ModelError("trend_test: step_h must be > 0, got " + format_double(step_h));
  }
  if (options.min_batches < 3 || options.batches < options.min_batches ||
      options.min_batch_size < 1) {
    throw ModelError("trend_test: need batches >= min_batches >= 3 and min_batch_size >= 1, got " +
                     std::to_string(options.batches) + ", " + std::to_string(options.min_batches) +
                     " and " + std::to_string(options.min_batch_size));
  }
  if (!(options.level > 0.0 && options.level < 1.0)) {
    throw ModelError("trend_test: level must be in (0, 1), got " + format_double(options.level));
  }
  const std::size_t n = series.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(series[i])) {
      throw ModelError("trend_test: series[" + std::to_string(i) + "] is " +
                       format_double(series[i]));
    }
  }

  TrendResult r;
  const std::size_t k = std::min(options.batches, n / options.min_batch_size);
  if (k < options.min_batches) {
    r.verdict = Stationarity::too_short;
    return r;
  }
  const std::size_t b = n / k;
  const std::size_t first = n - k * b; // the remainder is dropped at the start

  // Batch means, centred on the first observation kept so that a large common level does
  // not swamp the differences (backlogs of thousands with a spread of a few items).
  const double centre = series[first];
  std::vector<double> y(k);
  double y_mean = 0.0;
  for (std::size_t j = 0; j < k; ++j) {
    double s = 0.0;
    for (std::size_t i = 0; i < b; ++i)
      s += series[first + j * b + i] - centre;
    y[j] = s / static_cast<double>(b);
    y_mean += y[j];
  }
  y_mean /= static_cast<double>(k);

  // OLS on x_j = j (batch index; mid-times are equally spaced, b step_h hours apart):
  // Sxx = k (k^2 - 1) / 12 about the mean index (k - 1) / 2.
  const auto kd = static_cast<double>(k);
  const double x_mean = (kd - 1.0) / 2.0;
  const double sxx = kd * (kd * kd - 1.0) / 12.0;
  double sxy = 0.0;
  for (std::size_t j = 0; j < k; ++j)
    sxy += (static_cast<double>(j) - x_mean) * (y[j] - y_mean);
  const double beta = sxy / sxx; // per batch
  double ssr = 0.0;
  for (std::size_t j = 0; j < k; ++j) {
    const double e = y[j] - y_mean - beta * (static_cast<double>(j) - x_mean);
    ssr += e * e;
  }
  const double se = std::sqrt(ssr / (kd - 2.0) / sxx);
  double t = 0.0;
  if (se > 0.0) {
    t = beta / se;
  } else if (beta != 0.0) {
    t = beta > 0 ? std::numeric_limits<double>::infinity()
                 : -std::numeric_limits<double>::infinity();
  }

  const double batch_h = static_cast<double>(b) * step_h;
  r.slope_per_h = beta / batch_h;
  r.slope_se_per_h = se / batch_h;
  r.t_statistic = t;
  r.critical_t = student_t_quantile(1.0 - options.level / 2.0, kd - 2.0);
  r.batches = k;
  r.batch_size = b;
  r.dropped = first;
  r.verdict = std::abs(t) > r.critical_t ? Stationarity::trending : Stationarity::steady;
  return r;
}

} // namespace itsim::analysis
