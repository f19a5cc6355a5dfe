// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "itsim/experiments/run_scheduler.hpp"
#include "itsim/models/org_model.hpp"
#include "itsim/scenarios/scenario.hpp"

namespace itsim::experiments {

/// One run of an experiment: a model and a replication, and what came of it.
struct ExperimentRun {
  std::uint32_t model = 0;
  std::uint64_t replication = 0;
  bool ok = false;
  std::string error; ///< why the run failed, when !ok
  models::RunResult result;
};

/// Which replications an experiment runs, what each run records, and how the runs are
/// scheduled.
struct ExperimentOptions {
  /// Replications per model; 0: the scenario's.
  std::uint32_t replications = 0;
  /// Index of the first replication: runs replications first_replication ..
  /// first_replication + replications - 1 (to add replications to an experiment).
  std::uint64_t first_replication = 0;
  /// Time series step in hours, passed to every run (models::RunOptions); 0: none.
  double timeseries_step_h = 0;
  /// Whether every run keeps its per-item records (models::RunOptions).
  bool record_items = false;
  /// Threads, progress (one task per run) and interruption (run_experiment then throws
  /// itsim::Error("interrupted")).
  SchedulerOptions scheduler;
  /// When set, run_experiment hands each run to it in run order (run i once runs 0 .. i
  /// have finished, whatever the thread that ran it), on a worker thread, one at a time;
  /// it may take what it wants of the run (e.g. its item records, to write them out), and
  /// the run is then returned as it leaves it. Runs wait for their turn at most
  /// scheduler.window at a time (2 per thread, plus 2, when the window is 0). If it throws,
  /// the experiment stops and run_experiment rethrows it.
  std::function<void(std::size_t i, ExperimentRun& run)> in_order;
};

/// Runs every model of `s` over the replications, replication r of every model with the
/// same streams (common random numbers), on the run scheduler. Runs are returned model by
/// model, replications in order, whatever the thread count; each run is a pure function
/// of (scenario, model, replication), so the results do not depend on the threads either.
/// A run that throws is recorded as failed with its message and the others go on.
std::vector<ExperimentRun> run_experiment(const scenarios::Scenario& s,
                                          const ExperimentOptions& options = {});

} // namespace itsim::experiments
