// SPDX-License-Identifier: Apache-2.0
#include "itsim/experiments/experiment.hpp"

#include <exception>
#include <utility>

namespace itsim::experiments {

std::vector<ExperimentRun> run_experiment(const scenarios::Scenario& s,
                                          const ExperimentOptions& options) {
  const std::uint32_t reps = options.replications > 0 ? options.replications : s.replications;
  std::vector<ExperimentRun> runs(s.models.size() * std::size_t{reps});
  for (std::size_t i = 0; i < runs.size(); ++i) {
    runs[i].model = static_cast<std::uint32_t>(i / reps);
    runs[i].replication = options.first_replication + i % reps;
  }
  models::RunOptions run_options;
  run_options.interrupt = options.scheduler.interrupt;
  run_options.timeseries_step_h = options.timeseries_step_h;
  run_options.record_items = options.record_items;

  ScheduledTasks<ExperimentRun> tasks;
  tasks.count = runs.size();
  tasks.run = [&](std::size_t i) {
    ExperimentRun run;
    run.model = runs[i].model;
    run.replication = runs[i].replication;
    try {
      run.result = models::run_model(s, run.model, run.replication, run_options);
      run.ok = true;
    } catch (const std::exception& e) {
      const std::atomic<bool>* interrupt = options.scheduler.interrupt;
      if (interrupt != nullptr && interrupt->load()) throw; // stopped half-way
      run.error = e.what();
    }
    return run;
  };
  tasks.failed = [](const ExperimentRun& run) { return !run.ok; };
  tasks.sink = [&runs](std::size_t i, ExperimentRun&& run) { runs[i] = std::move(run); };
  run_scheduled(tasks, options.scheduler);
  return runs;
}

} // namespace itsim::experiments
