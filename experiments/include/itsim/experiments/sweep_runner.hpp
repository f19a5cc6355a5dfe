// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "itsim/experiments/journal.hpp"
#include "itsim/experiments/run_scheduler.hpp"
#include "itsim/experiments/sweep_plan.hpp"

namespace itsim::experiments {

/// The scenario of each point of a plan, loaded once when first needed (by whichever
/// thread asks first; the others wait for it) and dropped when `release` says its runs
/// are done, so that memory stays flat however many points a sweep has. Thread-safe.
class PointScenarios {
public:
  explicit PointScenarios(const SweepPlan& plan) : plan_(plan) {}
  /// Point `point`'s scenario, or nullptr with `error` set when it is invalid (a
  /// combination of factor values the scenario rejects: its runs fail with the message).
  std::shared_ptr<const scenarios::Scenario> get(std::uint32_t point, std::string& error);
  /// Forgets point `point` (a later get loads it again).
  void release(std::uint32_t point);

private:
  struct Loaded {
    std::shared_ptr<const scenarios::Scenario> scenario;
    std::string error;
  };
  const SweepPlan& plan_;
  std::mutex mutex_;
  std::map<std::uint32_t, std::shared_future<Loaded>> points_;
};

/// Runs run `index` of `plan`: the model and replication of its point's scenario. A run
/// that throws, or whose point is invalid, gives a failed record (status 1, NaN KPIs,
/// the message).
RunRecord run_one(const SweepPlan& plan, std::uint64_t index, PointScenarios& scenarios,
                  const std::atomic<bool>* interrupt = nullptr);

/// Runs the runs `indices` of `plan` on the run scheduler (starting them in that order)
/// and hands each finished record to `sink`, one at a time (under a lock), in completion
/// order; each point's scenario is loaded when its first run starts and dropped after its
/// last run is sunk. `sink` may throw (a journal that cannot be written): the sweep stops
/// and rethrows. Progress counts runs, and a record with a status other than
/// run_status_ok as failed; interruption as SchedulerOptions says.
void run_sweep(const SweepPlan& plan, std::span<const std::uint64_t> indices,
               const SchedulerOptions& options, const std::function<void(const RunRecord&)>& sink);

/// Shard `k` of `n` (1-based k): the contiguous block of run indices
/// [floor((k-1) T / n), floor(k T / n)) of the T runs.
std::pair<std::uint64_t, std::uint64_t> shard_range(std::uint64_t runs, std::uint32_t k,
                                                    std::uint32_t n);

} // namespace itsim::experiments
