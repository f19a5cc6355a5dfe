// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/warmup.hpp"

#include "itsim/sim/error.hpp"

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace itsim::analysis {

namespace {

constexpr std::size_t mser_batch = 5;

} // namespace

WarmupResult mser5(std::span<const double> series) {
  const std::size_t n = series.size();
  if (n < 2 * mser_batch) {
    throw ModelError("mser5: need at least " + std::to_string(2 * mser_batch) +
                     " observations (2 batches of " + std::to_string(mser_batch) + "), got " +
                     std::to_string(n));
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(series[i])) {
      throw ModelError("mser5: series[" + std::to_string(i) + "] is " + format_double(series[i]));
    }
  }

  const std::size_t m = n / mser_batch; // the incomplete tail batch is dropped
  std::vector<double> batch(m);
  for (std::size_t j = 0; j < m; ++j) {
    double s = 0.0;
    for (std::size_t k = 0; k < mser_batch; ++k)
      s += series[j * mser_batch + k];
    batch[j] = s / static_cast<double>(mser_batch);
  }

  // z(d) for d = 0..m/2. The kept batches d..m-1 (0-based) grow as d falls, so one backward
  // Welford pass gives every sum of squared deviations without the cancellation of the
  // sum-of-squares formula (batch means far from 0 with small spread are common).
  const std::size_t d_max = m / 2;
  std::vector<double> z(d_max + 1);
  double mean = 0.0;
  double m2 = 0.0;
  for (std::size_t d = m; d-- > 0;) {
    const auto count = static_cast<double>(m - d);
    const double delta = batch[d] - mean;
    mean += delta / count;
    m2 += delta * (batch[d] - mean);
    if (d <= d_max) z[d] = m2 / (count * count);
  }

  std::size_t best = 0;
  for (std::size_t d = 1; d <= d_max; ++d) {
    if (z[d] < z[best]) best = d; // strict: the earliest minimiser wins ties
  }
  return {best * mser_batch, mser_batch, z[best], best < d_max};
}

std::vector<double> welch_moving_average(std::span<const std::vector<double>> replications,
                                         std::size_t window) {
  if (replications.empty()) throw ModelError("welch_moving_average: no replications given");
  const std::size_t m = replications.front().size();
  for (std::size_t r = 0; r < replications.size(); ++r) {
    if (replications[r].size() != m) {
      throw ModelError("welch_moving_average: replication " + std::to_string(r) + " has " +
                       std::to_string(replications[r].size()) +
                       " observations, replication 0 has " + std::to_string(m));
    }
    for (std::size_t i = 0; i < m; ++i) {
      if (!std::isfinite(replications[r][i])) {
        throw ModelError("welch_moving_average: replication " + std::to_string(r) +
                         " observation " + std::to_string(i) + " is " +
                         format_double(replications[r][i]));
      }
    }
  }
  if (window >= m) {
    throw ModelError("welch_moving_average: window " + std::to_string(window) +
                     " must be below the series length " + std::to_string(m));
  }

  // Average across replications per index.
  std::vector<double> avg(m, 0.0);
  for (const auto& rep : replications) {
    for (std::size_t i = 0; i < m; ++i)
      avg[i] += rep[i];
  }
  const auto reps = static_cast<double>(replications.size());
  for (double& v : avg)
    v /= reps;

  // Prefix sums of the averages centred on their first value, so that a large common level
  // does not swamp the differences between window sums.
  const double centre = avg.front();
  std::vector<double> prefix(m + 1, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    prefix[i + 1] = prefix[i] + (avg[i] - centre);

  std::vector<double> out(m - window);
  for (std::size_t j = 0; j < out.size(); ++j) { // j = i - 1 in Law's 1-based notation
    const std::size_t half = j < window ? j : window;
    const std::size_t first = j - half;
    const std::size_t last = j + half; // inclusive; <= m - 1 since j < m - window
    out[j] = half == 0
                 ? avg[j]
                 : centre + (prefix[last + 1] - prefix[first]) / static_cast<double>(2 * half + 1);
  }
  return out;
}

} // namespace itsim::analysis
