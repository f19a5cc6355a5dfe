// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "itsim/analysis/summary.hpp"
#include "itsim/experiments/experiment.hpp"
#include "itsim/scenarios/scenario.hpp"

namespace itsim::experiments {

/// A stopping rule for replications (`itsim run --precision`): run until every model's
/// confidence interval of each named KPI is at most `relative` times the |mean| wide on
/// each side, or until `max_replications`.
struct PrecisionTarget {
  /// Target CI half-width relative to |mean|, in (0, 1) (0.05: ±5%).
  double relative = 0.05;
  /// KPI names (models::kpi_table) the target applies to.
  std::vector<std::string> kpis;
  /// Most replications per model.
  std::uint32_t max_replications = 1000;
  /// Confidence level of the intervals, in (0, 1).
  double level = 0.95;
};

/// How far an experiment is from its target: the worst ratio of relative half-width to
/// the target over models and KPIs (<= 1: met).
struct PrecisionCheck {
  bool met = false;
  /// Relative half-width over target, for the worst (model, KPI); +inf when that KPI has
  /// fewer than two values, a non-finite half-width or a zero mean with a nonzero
  /// half-width. A zero half-width (every replication agrees) counts as 0.
  double worst_ratio = 0;
  std::string worst_model;
  std::string worst_kpi;
  /// The worst (model, KPI)'s half-width relative to its |mean|.
  double worst_relative = 0;
};

/// Checks `summary` (one row per model) against `target`. Throws itsim::Error when a KPI
/// of the target is not in the summary. With no KPIs the target is met.
PrecisionCheck check_precision(const analysis::Summary& summary, const PrecisionTarget& target);

/// Replications per model to have after the next batch, given `n` (>= 1) done and their
/// `check`: the half-width shrinks as 1/sqrt(n), so n ratio^2 would just meet the target;
/// it aims 10% beyond, grows by at least one and at most fourfold (an early estimate of
/// the variance is rough; 2n when the ratio is infinite), and never beyond
/// target.max_replications.
std::uint32_t next_replications(const PrecisionCheck& check, const PrecisionTarget& target,
                                std::uint32_t n);

/// The sentence `itsim run` prints after `n` replications: the target met, with the widest
/// (model, KPI), or not reached with the worst.
std::string describe_precision(const PrecisionCheck& check, const PrecisionTarget& target,
                               std::uint32_t n);

/// An experiment run to a precision target.
struct PrecisionRun {
  /// Every run, model by model, replications in order (as run_experiment gives them).
  std::vector<ExperimentRun> runs;
  /// Replications per model it took.
  std::uint32_t replications = 0;
  /// The check after the last batch.
  PrecisionCheck check;
};

/// Runs the experiment on `s` in batches until `target` is met or its maximum reached: the
/// first batch has options.replications (0: the scenario's) replications per model, each
/// next one adds up to next_replications(); replication numbers start at
/// options.first_replication and continue from batch to batch, so the runs are those of
/// one run_experiment with the number of replications it took. Progress counts the runs
/// of every batch so far (totals grow batch by batch) and the seconds since the first.
PrecisionRun run_to_precision(const scenarios::Scenario& s, const PrecisionTarget& target,
                              const ExperimentOptions& options = {});

} // namespace itsim::experiments
