// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "itsim/analysis/results.hpp"

namespace itsim::experiments {

/// A paired difference against the baseline of a cumulative series at one time.
struct HorizonPoint {
  double time_h = 0;     ///< hours from the start of the run
  double mean = 0;       ///< mean of model - baseline over paired replications
  double half_width = 0; ///< of its confidence interval (NaN with fewer than 2 pairs)
  bool significant = false;
};

/// One model against the baseline over the checkpoints.
struct HorizonComparison {
  std::string model;
  std::vector<HorizonPoint> points;
  /// A difference significant at one checkpoint is significant with the opposite sign at
  /// a later one: the ranking flips with the horizon.
  bool flips = false;
  /// Index into `points` of the first significant difference and of the first later one of
  /// the opposite sign (when `flips`).
  std::size_t flip_from = 0;
  std::size_t flip_to = 0;
};

/// Whether the paired comparison of a results file depends on when the runs stopped.
/// Since nothing a run does depends on its horizon, the value of a cumulative series (net
/// value since the warm-up, say) at time t of a long run is what a run stopped at t would
/// report: one run answers the question for every earlier horizon.
struct HorizonCheck {
  std::string series; ///< the cumulative series compared, e.g. "net_value_cumulative"
  std::string unit;
  std::string baseline;
  double warmup_h = 0;                   ///< the series accrue from here
  std::vector<HorizonComparison> models; ///< every model but the baseline, in file order
};

/// The checkpoints of a run of `horizon_h` hours with `warmup_h` of warm-up: the end of
/// every year after the warm-up when the measured window spans at least two years, else
/// the ends of its four quarters.
std::vector<double> horizon_checkpoints(double warmup_h, double horizon_h);

/// Paired differences (model - baseline, matched on replication, failed runs left out) of
/// the time series `series` of `file` at the samples nearest below each checkpoint, with
/// `level` confidence intervals. Empty `models` when the file has no such series, no
/// baseline, or a sweep's points (one point only is compared).
HorizonCheck horizon_check(const analysis::ResultsFile& file, double warmup_h,
                           std::string_view series = "net_value_cumulative", double level = 0.95);

/// What the check says, one line per model for the terminal: each checkpoint's difference,
/// labelled by the years measured since the warm-up ("1y +6.6M*", * where significant);
/// for a model whose ranking flips, which checkpoints disagree; for one significant at a
/// checkpoint but not at the horizon, that too. Empty when the check compared nothing.
std::vector<std::string> describe_horizon_check(const HorizonCheck& check);

} // namespace itsim::experiments
