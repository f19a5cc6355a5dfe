// SPDX-License-Identifier: Apache-2.0
#include "itsim/experiments/run_scheduler.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "itsim/sim/error.hpp"

namespace itsim::experiments {

unsigned scheduler_threads(unsigned requested, std::size_t tasks) {
  const std::size_t wanted = requested > 0 ? requested : std::thread::hardware_concurrency();
  return static_cast<unsigned>(std::clamp<std::size_t>(wanted, 1, std::max<std::size_t>(tasks, 1)));
}

namespace detail {

void run_loop(std::size_t count, unsigned threads, const SchedulerOptions& options,
              const std::function<bool(std::size_t, unsigned)>& run,
              const std::function<void(std::size_t, unsigned)>& sink) {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const auto interrupted = [&options] {
    return options.interrupt != nullptr && options.interrupt->load();
  };

  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false}; // a sink or task threw
  std::mutex mutex;              // guards what follows, and serialises the sink
  std::condition_variable changed;
  std::size_t done = 0, failed = 0;
  unsigned active = threads;
  std::exception_ptr error;
  // With a window: which tasks were sunk, and the first one not yet sunk.
  const std::size_t window = options.window;
  std::vector<char> sunk(window > 0 ? count : 0, 0);
  std::size_t lowest = 0;

  const auto worker = [&](unsigned w) {
    for (;;) {
      if (stop.load() || interrupted()) break;
      const std::size_t i = next.fetch_add(1);
      if (i >= count) break;
      if (window > 0) { // wait for the tasks before i - window to be sunk
        std::unique_lock<std::mutex> lock(mutex);
        while (i >= lowest + window && !stop.load() && !interrupted())
          changed.wait_for(lock, std::chrono::milliseconds(20)); // Ctrl-C does not notify
        if (stop.load() || interrupted()) break;
      }
      bool task_failed = false;
      std::exception_ptr task_error;
      try {
        task_failed = run(i, w);
      } catch (...) {
        if (interrupted()) break; // stopped half-way: nothing to sink
        task_error = std::current_exception();
      }
      const std::lock_guard<std::mutex> lock(mutex);
      if (!error && !task_error) {
        try {
          sink(i, w);
          ++done;
          if (task_failed) ++failed;
          if (window > 0) {
            sunk[i] = 1;
            while (lowest < count && sunk[lowest] != 0)
              ++lowest;
            changed.notify_all();
          }
        } catch (...) {
          task_error = std::current_exception();
        }
      }
      if (task_error) {
        if (!error) error = task_error;
        stop.store(true);
        changed.notify_all();
        break;
      }
      if (error) break;
    }
    const std::lock_guard<std::mutex> lock(mutex);
    --active;
    changed.notify_all();
  };

  std::vector<std::thread> pool;
  pool.reserve(threads);
  try {
    for (unsigned w = 0; w < threads; ++w)
      pool.emplace_back(worker, w);
  } catch (...) { // no thread to be had: stop the ones started
    stop.store(true);
    for (std::thread& t : pool)
      t.join();
    throw;
  }

  const auto snapshot = [&] { // under the lock
    RunProgress p;
    p.done = done;
    p.total = count;
    p.failed = failed;
    p.elapsed_s = std::chrono::duration<double>(Clock::now() - started).count();
    return p;
  };
  {
    const auto interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(std::max(options.progress_interval_s, 1e-3)));
    std::unique_lock<std::mutex> lock(mutex);
    auto next_report = started + interval;
    while (!changed.wait_until(lock, next_report, [&active] { return active == 0; })) {
      next_report = Clock::now() + interval;
      if (!options.progress) continue;
      const RunProgress p = snapshot();
      lock.unlock();
      std::exception_ptr progress_error;
      try {
        options.progress(p);
      } catch (...) {
        progress_error = std::current_exception();
      }
      lock.lock();
      if (progress_error) { // stop as for a throwing sink; the workers must be joined first
        if (!error) error = progress_error;
        stop.store(true);
      }
    }
  }
  for (std::thread& t : pool)
    t.join();
  if (error) std::rethrow_exception(error);
  if (interrupted()) throw Error("interrupted");
  if (options.progress) options.progress(snapshot()); // once, at the end
}

} // namespace detail
} // namespace itsim::experiments
