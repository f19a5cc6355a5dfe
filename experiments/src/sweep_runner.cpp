// SPDX-License-Identifier: Apache-2.0
#include "itsim/experiments/sweep_runner.hpp"

#include <cmath>
#include <exception>
#include <limits>

#include "itsim/analysis/results.hpp"
#include "itsim/scenarios/loader.hpp"

namespace itsim::experiments {

std::shared_ptr<const scenarios::Scenario> PointScenarios::get(std::uint32_t point,
                                                               std::string& error) {
  std::shared_future<Loaded> future;
  std::promise<Loaded> promise;
  bool mine = false;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = points_.find(point);
    if (it != points_.end()) {
      future = it->second;
    } else {
      future = promise.get_future().share();
      points_.emplace(point, future);
      mine = true;
    }
  }
  if (mine) {
    Loaded loaded;
    try {
      scenarios::Diagnostics diags;
      auto s = plan_.composed->load(plan_.point_overrides(point), diags);
      if (s) {
        loaded.scenario = std::make_shared<const scenarios::Scenario>(std::move(s->scenario));
      } else {
        loaded.error =
            "point " + std::to_string(point) + " is not a valid scenario: " + diags.format_errors();
      }
    } catch (const std::exception& e) {
      loaded.error = "point " + std::to_string(point) + ": " + e.what();
    }
    promise.set_value(std::move(loaded));
  }
  const Loaded& loaded = future.get();
  error = loaded.error;
  return loaded.scenario;
}

void PointScenarios::release(std::uint32_t point) {
  const std::lock_guard<std::mutex> lock(mutex_);
  points_.erase(point);
}

RunRecord run_one(const SweepPlan& plan, std::uint64_t index, PointScenarios& scenarios,
                  const std::atomic<bool>* interrupt) {
  RunRecord r;
  r.index = index;
  const RunKey key = plan.run(index);
  std::string error;
  try {
    const auto s = scenarios.get(key.point, error);
    if (s) {
      models::RunOptions options;
      options.interrupt = interrupt;
      r.kpi = models::run_model(*s, key.model, key.replication, options).kpi;
      r.status = analysis::run_status_ok;
      return r;
    }
  } catch (const std::exception& e) {
    if (interrupt != nullptr && interrupt->load()) throw;
    error = e.what();
  }
  r.status = analysis::run_status_failed;
  r.message = error;
  r.kpi.fill(std::numeric_limits<double>::quiet_NaN());
  return r;
}

std::pair<std::uint64_t, std::uint64_t> shard_range(std::uint64_t runs, std::uint32_t k,
                                                    std::uint32_t n) {
  // floor(i T / n) without overflowing i T: T = q n + r gives i q + floor(i r / n).
  const auto bound = [&](std::uint64_t i) { return i * (runs / n) + i * (runs % n) / n; };
  return {bound(k - 1), bound(k)};
}

void run_sweep(const SweepPlan& plan, std::span<const std::uint64_t> indices,
               const SchedulerOptions& options, const std::function<void(const RunRecord&)>& sink) {
  PointScenarios scenarios(plan);
  // Runs of a point left to finish, to drop its scenario after the last.
  std::map<std::uint32_t, std::size_t> left;
  for (const std::uint64_t i : indices)
    ++left[plan.run(i).point];

  ScheduledTasks<RunRecord> tasks;
  tasks.count = indices.size();
  tasks.run = [&](std::size_t i) {
    return run_one(plan, indices[i], scenarios, options.interrupt);
  };
  tasks.failed = [](const RunRecord& r) { return r.status != analysis::run_status_ok; };
  tasks.sink = [&](std::size_t /*i*/, RunRecord&& r) {
    sink(r);
    const std::uint32_t point = plan.run(r.index).point;
    if (--left[point] == 0) scenarios.release(point);
  };
  run_scheduled(tasks, options);
}

} // namespace itsim::experiments
