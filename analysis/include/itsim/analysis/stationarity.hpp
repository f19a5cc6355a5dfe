// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

namespace itsim::analysis {

/// Verdict of a trend test. The values are the codes of the results file's /runs `steady`
/// column (docs/results-format.md).
enum class Stationarity : std::uint8_t {
  trending = 0,    ///< the series trends: the test rejected "no trend" at its level
  steady = 1,      ///< no trend found at the test's level
  too_short = 2,   ///< too few observations for the test: cannot tell (never a guess)
  not_tested = 255 ///< no series to test (e.g. a run that recorded no time series)
};

/// "trending", "steady", "too short" or "not tested".
const char* to_string(Stationarity s);

/// Settings of trend_test.
struct TrendOptions {
  /// Batches the series is cut into (at most; fewer when it is short). Schmeiser (1982)
  /// found 10 to 30 batches a good compromise between the test's power and the
  /// independence of the batch means.
  std::size_t batches = 20;
  /// Fewer batches than this: Stationarity::too_short. At least 3 (a slope and its
  /// standard error need one degree of freedom).
  std::size_t min_batches = 10;
  /// Observations per batch at least: a shorter series makes fewer batches.
  std::size_t min_batch_size = 5;
  /// Two-sided false-alarm rate: the probability of "trending" for a stationary series
  /// whose batch means are independent, in (0, 1).
  double level = 0.01;
};

/// Outcome of trend_test. Slopes are in the series' unit per hour.
struct TrendResult {
  Stationarity verdict = Stationarity::not_tested;
  /// OLS slope of the batch means against their mid-times, unit per hour; NaN when too
  /// short.
  double slope_per_h = std::numeric_limits<double>::quiet_NaN();
  /// Standard error of slope_per_h (unit per hour); NaN when too short.
  double slope_se_per_h = std::numeric_limits<double>::quiet_NaN();
  /// slope / standard error (infinite for a perfect non-flat line, 0 for a flat one).
  double t_statistic = std::numeric_limits<double>::quiet_NaN();
  /// |t| above this means "trending": Student's t quantile 1 - level / 2 at batches - 2
  /// degrees of freedom.
  double critical_t = std::numeric_limits<double>::quiet_NaN();
  std::size_t batches = 0;    ///< batch means formed (0 when too short)
  std::size_t batch_size = 0; ///< observations per batch (0 when too short)
  std::size_t dropped = 0;    ///< leading observations in no batch (fewer than batches)

  /// slope_per_h over a year of 8760 hours (365 days): unit per year.
  double slope_per_year() const { return slope_per_h * 8760.0; }
};

/// Does a series sampled every `step_h` hours (after the warm-up) trend? The batch-means
/// regression test (Law, Simulation Modeling and Analysis, 5th ed., sec. 9.5.3 on batch
/// means; Schmeiser 1982, "Batch size effects in the analysis of simulation output"):
///
/// 1. k = min(batches, floor(n / min_batch_size)) batches of b = floor(n / k) consecutive
///    observations; the n - k b observations left over are dropped at the start (the end
///    of the warm-up, the least stationary part). k < min_batches: too_short.
/// 2. The batch means Y_1..Y_k are regressed on the batch mid-times by ordinary least
///    squares: slope beta, residual variance s^2 with k - 2 degrees of freedom.
/// 3. t = beta / se(beta); |t| > t(k - 2, 1 - level / 2): trending, else steady.
///
/// For a stationary series, batch means of batches long compared with its correlation time
/// are nearly independent and normal, so the test's false-alarm rate is `level`; batches
/// shorter than that make the batch means positively correlated and the rate higher (for
/// AR(1) with phi = 0.9 at level 1%: 1.0% with batches of 400 observations, 1.5% with
/// batches of 100). A random walk
/// or a growing queue is flagged as trending. A series whose batch means are all equal is
/// steady when flat. Throws itsim::ModelError for a NaN or infinite observation (the
/// message names its index), step_h <= 0 or options out of range.
TrendResult trend_test(std::span<const double> series, double step_h,
                       const TrendOptions& options = {});

} // namespace itsim::analysis
