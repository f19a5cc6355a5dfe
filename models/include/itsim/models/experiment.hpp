// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "itsim/models/org_model.hpp"
#include "itsim/scenarios/scenario.hpp"

namespace itsim::models {

/// One run of an experiment: a model and a replication, and what came of it.
struct ExperimentRun {
  std::uint32_t model = 0;
  std::uint64_t replication = 0;
  bool ok = false;
  std::string error; ///< why the run failed, when !ok
  RunResult result;
};

struct ExperimentOptions {
  /// Worker threads; 0: all hardware threads.
  unsigned threads = 0;
  /// Replications per model; 0: the scenario's.
  std::uint32_t replications = 0;
  /// Index of the first replication: runs replications first_replication ..
  /// first_replication + replications - 1 (to add replications to an experiment).
  std::uint64_t first_replication = 0;
  /// Passed to every run (RunOptions).
  double timeseries_step_h = 0;
  bool record_items = false;
  /// Called on the calling thread, at most every `progress_interval_s` and once at the
  /// end, with (runs done, runs in all, runs failed).
  std::function<void(std::size_t, std::size_t, std::size_t)> progress;
  double progress_interval_s = 0.5;
  /// When set and raised (Ctrl-C), runs stop early and run_experiment throws
  /// itsim::Error("interrupted").
  const std::atomic<bool>* interrupt = nullptr;
};

/// Runs every model of `s` over the replications, replication r of every model with the
/// same streams (common random numbers), on `threads` threads. Runs are returned model by
/// model, replications in order, whatever the thread count; each run is a pure function
/// of (scenario, model, replication), so the results do not depend on the threads either.
/// A run that throws is recorded as failed with its message and the others go on.
std::vector<ExperimentRun> run_experiment(const scenarios::Scenario& s,
                                          const ExperimentOptions& options = {});

} // namespace itsim::models
