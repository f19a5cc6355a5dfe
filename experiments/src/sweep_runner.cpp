// SPDX-License-Identifier: Apache-2.0
#include "itsim/experiments/sweep_runner.hpp"

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <limits>
#include <thread>
#include <vector>

#include "itsim/analysis/results.hpp"
#include "itsim/scenarios/loader.hpp"
#include "itsim/sim/error.hpp"

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
               const SweepRunOptions& options, const std::function<void(const RunRecord&)>& sink) {
  const std::size_t total = indices.size();
  unsigned threads = options.threads > 0 ? options.threads : std::thread::hardware_concurrency();
  threads =
      static_cast<unsigned>(std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(total, 1)));
  PointScenarios scenarios(plan);
  // Runs of a point left to finish, to drop its scenario after the last.
  std::map<std::uint32_t, std::size_t> left;
  for (const std::uint64_t i : indices)
    ++left[plan.run(i).point];

  std::atomic<std::size_t> next{0};
  std::size_t done = 0, failed = 0;
  std::exception_ptr sink_error;
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable changed;
  const auto started = std::chrono::steady_clock::now();
  const auto stopped = [&] {
    return stop.load() || (options.interrupt != nullptr && options.interrupt->load());
  };

  auto worker = [&] {
    for (;;) {
      if (stopped()) break;
      const std::size_t i = next.fetch_add(1);
      if (i >= total) break;
      RunRecord r;
      try {
        r = run_one(plan, indices[i], scenarios, options.interrupt);
      } catch (const std::exception&) {
        break; // interrupted
      }
      const std::lock_guard<std::mutex> lock(mutex);
      if (sink_error) break;
      try {
        sink(r);
      } catch (...) {
        sink_error = std::current_exception();
        stop.store(true);
      }
      ++done;
      if (r.status != analysis::run_status_ok) ++failed;
      const std::uint32_t point = plan.run(r.index).point;
      if (--left[point] == 0) scenarios.release(point);
      changed.notify_all();
    }
    const std::lock_guard<std::mutex> lock(mutex);
    changed.notify_all();
  };

  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back(worker);
  const auto report = [&] {
    if (!options.progress) return;
    SweepProgress p;
    p.done = done;
    p.total = total;
    p.failed = failed;
    p.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    options.progress(p);
  };
  {
    std::unique_lock<std::mutex> lock(mutex);
    const auto interval = std::chrono::duration<double>(options.progress_interval_s);
    while (done < total && !stopped()) {
      changed.wait_for(lock, interval);
      if (done < total) report();
    }
  }
  for (std::thread& t : pool)
    t.join();
  if (sink_error) std::rethrow_exception(sink_error);
  if (options.interrupt != nullptr && options.interrupt->load()) throw Error("interrupted");
  report();
}

} // namespace itsim::experiments
