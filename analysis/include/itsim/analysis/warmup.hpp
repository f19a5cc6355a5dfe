// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace itsim::analysis {

/// Outcome of a warm-up (initial transient) detection.
struct WarmupResult {
  /// Number of leading observations to discard (a multiple of batch_size).
  std::size_t truncate_observations = 0;
  /// Observations per batch mean used by the method (5 for MSER-5).
  std::size_t batch_size = 0;
  /// The minimised MSER statistic z(d*) in the observations' unit squared.
  double mser_statistic = 0.0;
  /// False when the minimum lies at the end of the searched range (half the batches): the
  /// run is then too short to tell where the transient ends, and should be lengthened.
  bool reliable = false;
};

/// MSER-5 truncation point of one output series (White 1997; White, Cobb & Spratt 2000).
///
/// The series is grouped into m = floor(n / 5) batch means Y_1..Y_m of 5 consecutive
/// observations (an incomplete tail batch is dropped). For each candidate truncation d = 0,
/// 1, ..., floor(m / 2) batches it computes
///   z(d) = sum_{i = d+1..m} (Y_i - Ybar_d)^2 / (m - d)^2,   Ybar_d = mean of Y_{d+1..m},
/// the squared standard error of the truncated mean, and picks the minimising d (the
/// earliest on ties). truncate_observations = 5 d. reliable is false when d = floor(m / 2),
/// the boundary of the search: the usual rule that an optimum in the second half of the
/// run means the run is too short. Throws itsim::ModelError for fewer than 10 observations
/// (2 batches) or a NaN or infinite observation (the message names its index).
WarmupResult mser5(std::span<const double> series);

/// Welch's graphical procedure (Law, Simulation Modeling and Analysis, 5th ed., sec. 9.5.1)
/// for users to plot. All replications must have the same length m. First averages across
/// replications per index, Ybar_i; then returns the centred moving averages Ybar_i(w) for
/// i = 1..m-w (so the result has m - w entries, in the observations' unit):
///   i >  w: the mean of Ybar_{i-w} .. Ybar_{i+w} (2w + 1 values);
///   i <= w: the mean of Ybar_1 .. Ybar_{2i-1} (2i - 1 values, centred on i).
/// window = 0 returns the cross-replication averages unsmoothed. Law suggests
/// w <= floor(m / 4). Throws itsim::ModelError if there are no replications, their lengths
/// differ, window >= m, or an observation is NaN or infinite.
std::vector<double> welch_moving_average(std::span<const std::vector<double>> replications,
                                         std::size_t window);

} // namespace itsim::analysis
