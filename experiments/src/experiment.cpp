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
  SchedulerOptions scheduler = options.scheduler;
  std::vector<char> finished;
  std::size_t handed = 0; // runs given to options.in_order
  if (options.in_order) {
    finished.assign(runs.size(), 0);
    if (scheduler.window == 0)
      scheduler.window = 2 * std::size_t{scheduler_threads(scheduler.threads, runs.size())} + 2;
  }
  tasks.sink = [&](std::size_t i, ExperimentRun&& run) {
    runs[i] = std::move(run);
    if (!options.in_order) return;
    finished[i] = 1;
    for (; handed < runs.size() && finished[handed] != 0; ++handed)
      options.in_order(handed, runs[handed]);
  };
  run_scheduled(tasks, scheduler);
  return runs;
}

} // namespace itsim::experiments
