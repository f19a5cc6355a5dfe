// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

namespace itsim::experiments {

/// Where a scheduled loop stands: what its progress callback is given.
struct RunProgress {
  std::size_t done = 0;   ///< tasks finished and sunk
  std::size_t total = 0;  ///< tasks of the loop
  std::size_t failed = 0; ///< of those done, the ones whose result says it failed
  double elapsed_s = 0;   ///< wall-clock seconds since the loop started
};

/// How a loop runs: threads, progress and interruption (`itsim run`, `itsim sweep`).
struct SchedulerOptions {
  /// Worker threads; 0: all hardware threads. Clamped to [1, number of tasks].
  unsigned threads = 0;
  /// Called on the calling thread (never under the loop's lock) about every
  /// `progress_interval_s` seconds while tasks run, and once at the end of a loop that
  /// completes.
  std::function<void(const RunProgress&)> progress;
  /// Seconds between two progress reports.
  double progress_interval_s = 0.5;
  /// When raised: no new task starts, tasks under way stop through their own copy of the
  /// flag (a model run polls it), and the loop throws itsim::Error("interrupted") once
  /// every task that finished has been sunk.
  const std::atomic<bool>* interrupt = nullptr;
  /// When > 0, task i starts only once every task before i - window has been sunk: a
  /// consumer that takes results in index order then holds at most `window` of them
  /// waiting for their turn, however unequal the tasks. 0: no bound.
  std::size_t window = 0;
};

/// A loop's work: `count` tasks, numbered 0 .. count-1, each giving a `Result`.
template <class Result> struct ScheduledTasks {
  /// Number of tasks.
  std::size_t count = 0;
  /// Runs task `i` on a worker thread and returns its result. It may run concurrently with
  /// other tasks, so it must only share what is safe to share. A task that throws while
  /// the interrupt flag is raised was stopped half-way: its result is dropped, unsunk. A
  /// task that throws otherwise stops the loop like a throwing sink.
  std::function<Result(std::size_t i)> run;
  /// Whether a result counts as failed in RunProgress::failed; empty: none does.
  std::function<bool(const Result&)> failed;
  /// Takes the result of task `i`: on a worker thread, one result at a time (under the
  /// loop's lock, so it needs no lock of its own), in completion order. It may throw (a
  /// journal that cannot be written): no further result is sunk, no new task starts, and
  /// run_scheduled rethrows the exception once every worker has stopped.
  std::function<void(std::size_t i, Result&& result)> sink;
};

/// Threads a loop of `tasks` tasks uses when asked for `requested` (0: all hardware
/// threads): within [1, max(tasks, 1)].
unsigned scheduler_threads(unsigned requested, std::size_t tasks);

namespace detail {

/// The loop without its result type: `run(i, w)` runs task `i` on worker `w`, keeps its
/// result in worker `w`'s slot and says whether it failed; `sink(i, w)` hands that slot's
/// result on, under the loop's lock. `threads` is scheduler_threads(options.threads, count).
void run_loop(std::size_t count, unsigned threads, const SchedulerOptions& options,
              const std::function<bool(std::size_t, unsigned)>& run,
              const std::function<void(std::size_t, unsigned)>& sink);

} // namespace detail

/// Runs `tasks` on scheduler_threads(options.threads, tasks.count) threads: the one
/// parallel loop of `itsim run`, `itsim run --precision` and `itsim sweep`. Tasks start in
/// index order; each result goes to `tasks.sink` as soon as its task finishes. Returns
/// when every task has been sunk; throws what a sink or task threw, or
/// itsim::Error("interrupted") (see SchedulerOptions::interrupt). Costs are per task (a
/// lock and a wake-up), never per simulated event.
template <class Result>
void run_scheduled(const ScheduledTasks<Result>& tasks, const SchedulerOptions& options) {
  const unsigned threads = scheduler_threads(options.threads, tasks.count);
  // One slot per worker carries a result from its task to the sink: results need not be
  // default-constructible, and nothing is allocated per task.
  std::vector<std::optional<Result>> slots(threads);
  detail::run_loop(
      tasks.count, threads, options,
      [&tasks, &slots](std::size_t i, unsigned w) {
        slots[w].emplace(tasks.run(i));
        return tasks.failed && tasks.failed(*slots[w]);
      },
      [&tasks, &slots](std::size_t i, unsigned w) {
        tasks.sink(i, std::move(*slots[w]));
        slots[w].reset();
      });
}

} // namespace itsim::experiments
