// SPDX-License-Identifier: Apache-2.0
// The J-curve of a reorganisation path (MODEL.md M14): its cumulative net value against
// staying in the model it starts from, over time, with common random numbers.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "itsim/analysis/results.hpp"
#include "itsim/scenarios/scenario.hpp"

namespace itsim::experiments {

/// The paired difference (path - starting model) of a cumulative series at one sample.
struct PathPoint {
  double time_h = 0; ///< hours from the start of the run
  double mean = 0;
  double lower = std::numeric_limits<double>::quiet_NaN(); ///< of the CI (NaN: under 2 pairs)
  double upper = std::numeric_limits<double>::quiet_NaN();
};

/// What the board asks of a path: how deep the dip, when it pays back, how sure we are.
struct PathOutcome {
  std::string path; ///< the path's model id
  std::string from; ///< the model it starts in, which it is compared with
  std::string to;   ///< the model it moves to
  double first_wave_h = 0;
  std::size_t pairs = 0; ///< replications where both runs succeeded
  /// The paired difference of net_value_cumulative at every sample from the warm-up's end.
  std::vector<PathPoint> curve;
  /// The worst point of the mean curve: its difference, CI and time.
  PathPoint trough;
  /// The first sample time from which the mean difference is positive at every later
  /// sample (searched from the first wave on); NaN: not within the horizon.
  double break_even_h = std::numeric_limits<double>::quiet_NaN();
  /// The same for the CI's upper bound (the earliest break-even the data allow) and for its
  /// lower bound (the latest; NaN when the lower bound is not positive at the horizon).
  double break_even_early_h = std::numeric_limits<double>::quiet_NaN();
  double break_even_late_h = std::numeric_limits<double>::quiet_NaN();
  /// Share of the pairs whose own difference broke even within the horizon.
  double broke_even_share = 0;
  /// The difference at the horizon (the last sample).
  PathPoint at_horizon;
};

/// The J-curve of every reorganisation path of `s` from the runs of `file` (failed runs
/// left out, paths matched with their starting model on the replication), with `level`
/// confidence intervals, in the order of s.models. Empty without paths, time series or a
/// series net_value_cumulative, and for a sweep's results.
std::vector<PathOutcome> path_outcomes(const analysis::ResultsFile& file,
                                       const scenarios::Scenario& s, double level = 0.95);

/// Adds the tables /paths (one row per path: trough, break-even and the difference at the
/// horizon, with CIs) and /path_curves (the paired difference at every sample) to `file`.
/// docs/results-format.md describes them.
void add_path_tables(analysis::ResultsFile& file, const std::vector<PathOutcome>& paths,
                     double level = 0.95);

/// One line per path for the terminal: trough, break-even and the difference at the
/// horizon, each with its CI, times in years from the start of the run.
std::vector<std::string> describe_paths(const std::vector<PathOutcome>& paths);

} // namespace itsim::experiments
