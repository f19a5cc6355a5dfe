// SPDX-License-Identifier: Apache-2.0
#include "itsim/models/experiment.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "itsim/sim/error.hpp"

namespace itsim::models {

std::vector<ExperimentRun> run_experiment(const scenarios::Scenario& s,
                                          const ExperimentOptions& options) {
  const std::uint32_t reps = options.replications > 0 ? options.replications : s.replications;
  const std::size_t total = s.models.size() * std::size_t{reps};
  std::vector<ExperimentRun> runs(total);
  for (std::size_t i = 0; i < total; ++i) {
    runs[i].model = static_cast<std::uint32_t>(i / reps);
    runs[i].replication = options.first_replication + i % reps;
  }
  unsigned threads = options.threads > 0 ? options.threads : std::thread::hardware_concurrency();
  threads =
      static_cast<unsigned>(std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(total, 1)));

  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<std::size_t> failed{0};
  std::mutex mutex;
  std::condition_variable finished;
  RunOptions run_options;
  run_options.interrupt = options.interrupt;
  run_options.timeseries_step_h = options.timeseries_step_h;
  run_options.record_items = options.record_items;

  auto worker = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= total) break;
      if (options.interrupt != nullptr && options.interrupt->load()) break;
      ExperimentRun& run = runs[i];
      try {
        run.result = run_model(s, run.model, run.replication, run_options);
        run.ok = true;
      } catch (const std::exception& e) {
        run.error = e.what();
        failed.fetch_add(1);
      }
      if (done.fetch_add(1) + 1 == total) {
        const std::lock_guard<std::mutex> lock(mutex);
        finished.notify_all();
      }
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back(worker);
  {
    std::unique_lock<std::mutex> lock(mutex);
    const auto interval = std::chrono::duration<double>(options.progress_interval_s);
    while (done.load() < total) {
      if (options.interrupt != nullptr && options.interrupt->load()) break;
      finished.wait_for(lock, interval);
      if (options.progress && done.load() < total)
        options.progress(done.load(), total, failed.load());
    }
  }
  for (std::thread& t : pool)
    t.join();
  if (options.interrupt != nullptr && options.interrupt->load()) throw Error("interrupted");
  if (options.progress) options.progress(done.load(), total, failed.load()); // once, at the end
  return runs;
}

} // namespace itsim::models
