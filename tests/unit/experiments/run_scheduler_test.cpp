// SPDX-License-Identifier: Apache-2.0
#include "itsim/experiments/run_scheduler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "itsim/sim/error.hpp"

namespace itsim::experiments {
namespace {

/// A deterministic, CPU-bound result of task `i` (a few thousand steps of a 64-bit LCG).
std::uint64_t work(std::size_t i) {
  std::uint64_t x = i + 1;
  for (int k = 0; k < 5000; ++k)
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
  return x;
}

/// Runs `count` tasks of work() on `threads` threads and returns the results by index.
std::vector<std::uint64_t> results_on(unsigned threads, std::size_t count) {
  std::vector<std::uint64_t> out(count, 0);
  ScheduledTasks<std::uint64_t> tasks;
  tasks.count = count;
  tasks.run = work;
  tasks.sink = [&out](std::size_t i, std::uint64_t&& r) { out[i] = r; };
  SchedulerOptions options;
  options.threads = threads;
  run_scheduled(tasks, options);
  return out;
}

TEST(RunScheduler, ClampsTheThreadsToTheTasks) {
  EXPECT_EQ(scheduler_threads(4, 2), 2u);
  EXPECT_EQ(scheduler_threads(4, 0), 1u);
  EXPECT_EQ(scheduler_threads(3, 100), 3u);
  EXPECT_GE(scheduler_threads(0, 1000), 1u);
  EXPECT_LE(scheduler_threads(0, 1), 1u);
}

TEST(RunScheduler, RunsAndSinksEveryTaskOnceOneSinkAtATime) {
  constexpr std::size_t count = 200;
  std::vector<std::atomic<int>> runs(count);
  std::vector<int> sunk(count, 0);
  std::atomic<int> in_sink{0};
  ScheduledTasks<std::size_t> tasks;
  tasks.count = count;
  tasks.run = [&runs](std::size_t i) {
    runs[i].fetch_add(1);
    return i * 10;
  };
  tasks.sink = [&sunk, &in_sink](std::size_t i, std::size_t&& r) {
    EXPECT_EQ(in_sink.fetch_add(1), 0) << "two sinks at once";
    EXPECT_EQ(r, i * 10);
    ++sunk[i];
    in_sink.fetch_sub(1);
  };
  SchedulerOptions options;
  options.threads = 4;
  run_scheduled(tasks, options);
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_EQ(runs[i].load(), 1) << i;
    EXPECT_EQ(sunk[i], 1) << i;
  }
}

TEST(RunScheduler, SinksResultsInCompletionOrder) {
  // Task 0 is slow: on two threads, every other task finishes, and is sunk, before it.
  std::atomic<bool> others_done{false};
  std::atomic<int> in_sink{0};
  std::vector<std::size_t> order;
  ScheduledTasks<std::size_t> tasks;
  tasks.count = 20;
  tasks.run = [&others_done](std::size_t i) {
    if (i == 0) {
      while (!others_done.load())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return i;
  };
  tasks.sink = [&](std::size_t i, std::size_t&&) {
    EXPECT_EQ(in_sink.fetch_add(1), 0) << "two sinks at once";
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    order.push_back(i);
    if (order.size() == 19) others_done.store(true);
    in_sink.fetch_sub(1);
  };
  SchedulerOptions options;
  options.threads = 2;
  run_scheduled(tasks, options);
  ASSERT_EQ(order.size(), 20u);
  EXPECT_EQ(order.back(), 0u);
  // The other worker takes the tasks in index order, so they finish in that order.
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end() - 1));
}

TEST(RunScheduler, AWindowHoldsLaterTasksUntilTheSlowOneIsSunk) {
  // Task 0 is slow, as above; with a window of 5 no task beyond 4 may start before it is
  // sunk, so at most 4 results (tasks 1..4) are sunk ahead of it. Without the window all 19
  // were (the test above).
  std::atomic<bool> release{false};
  std::atomic<std::size_t> started_beyond{0};
  std::vector<std::size_t> order;
  ScheduledTasks<std::size_t> tasks;
  tasks.count = 20;
  tasks.run = [&](std::size_t i) {
    if (i == 0) {
      // Wait until the other workers can go no further (or a while, if they wrongly can).
      for (int k = 0; k < 300 && !release.load(); ++k)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (i >= 5 && !release.load()) started_beyond.fetch_add(1);
    return i;
  };
  tasks.sink = [&](std::size_t i, std::size_t&&) {
    order.push_back(i);
    if (order.size() == 4) release.store(true); // tasks 1..4 are all that may finish first
  };
  SchedulerOptions options;
  options.threads = 3;
  options.window = 5;
  run_scheduled(tasks, options);
  ASSERT_EQ(order.size(), 20u);
  EXPECT_EQ(started_beyond.load(), 0u);
  EXPECT_EQ(std::find(order.begin(), order.end(), 0u) - order.begin(), 4);
}

TEST(RunScheduler, AWindowStillStopsOnInterruptionAndOnAThrowingSink) {
  std::atomic<bool> interrupt{false};
  ScheduledTasks<std::size_t> tasks;
  tasks.count = 50;
  tasks.run = [&](std::size_t i) {
    if (i == 0) { // never finishes until interrupted: the others wait at the window
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      interrupt.store(true);
      throw std::runtime_error("stopped");
    }
    return i;
  };
  tasks.sink = [](std::size_t, std::size_t&&) {};
  SchedulerOptions options;
  options.threads = 3;
  options.window = 2;
  options.interrupt = &interrupt;
  EXPECT_THROW(run_scheduled(tasks, options), Error);

  ScheduledTasks<std::size_t> throwing;
  throwing.count = 50;
  throwing.run = [](std::size_t i) { return i; };
  throwing.sink = [](std::size_t i, std::size_t&&) {
    if (i == 1) throw std::runtime_error("disk full");
  };
  options.interrupt = nullptr;
  EXPECT_THROW(run_scheduled(throwing, options), std::runtime_error);
}

TEST(RunScheduler, GivesTheSameResultsForAnyThreadCount) {
  const std::vector<std::uint64_t> serial = results_on(1, 97);
  for (const unsigned threads : {2U, 3U, 8U, 0U})
    EXPECT_EQ(results_on(threads, 97), serial) << threads << " threads";
}

TEST(RunScheduler, ReportsProgressWithTheFinalTotals) {
  std::vector<RunProgress> reports;
  const auto caller = std::this_thread::get_id();
  ScheduledTasks<bool> tasks;
  tasks.count = 30;
  tasks.run = [](std::size_t i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return i % 3 == 0;
  };
  tasks.failed = [](const bool& bad) { return bad; };
  tasks.sink = [](std::size_t, bool&&) {};
  SchedulerOptions options;
  options.threads = 2;
  options.progress_interval_s = 0.005;
  options.progress = [&](const RunProgress& p) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    reports.push_back(p);
  };
  run_scheduled(tasks, options);
  ASSERT_GE(reports.size(), 2u); // some on the way (about 30 ms of work), one at the end
  for (std::size_t k = 1; k < reports.size(); ++k) {
    EXPECT_GE(reports[k].done, reports[k - 1].done);
    EXPECT_GE(reports[k].elapsed_s, reports[k - 1].elapsed_s);
  }
  for (const RunProgress& p : reports) {
    EXPECT_EQ(p.total, 30u);
    EXPECT_LE(p.failed, p.done);
  }
  EXPECT_EQ(reports.back().done, 30u);
  EXPECT_EQ(reports.back().failed, 10u);
  EXPECT_GT(reports.back().elapsed_s, 0.0);
}

TEST(RunScheduler, StopsAndRethrowsWhenTheSinkThrows) {
  std::atomic<std::size_t> started{0};
  std::size_t sunk = 0;
  ScheduledTasks<std::size_t> tasks;
  tasks.count = 1000;
  tasks.run = [&started](std::size_t i) {
    started.fetch_add(1);
    std::this_thread::sleep_for(std::chrono::microseconds(100));
    return i;
  };
  tasks.sink = [&sunk](std::size_t, std::size_t&&) {
    if (++sunk == 5) throw std::runtime_error("disk full");
  };
  SchedulerOptions options;
  options.threads = 3;
  try {
    run_scheduled(tasks, options);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "disk full");
  }
  EXPECT_EQ(sunk, 5u);            // nothing sunk after the throw
  EXPECT_LE(started.load(), 10u); // and no task started but those under way
}

TEST(RunScheduler, StopsAndRethrowsWhenATaskThrowsUninterrupted) {
  std::size_t sunk = 0;
  ScheduledTasks<std::size_t> tasks;
  tasks.count = 100;
  tasks.run = [](std::size_t i) {
    if (i == 3) throw std::logic_error("bug in task 3");
    return i;
  };
  tasks.sink = [&sunk](std::size_t, std::size_t&&) { ++sunk; };
  SchedulerOptions options;
  options.threads = 1;
  EXPECT_THROW(run_scheduled(tasks, options), std::logic_error);
  EXPECT_EQ(sunk, 3u);
}

TEST(RunScheduler, ThrowsInterruptedAndSinksNothingHalfDone) {
  // Tasks poll the flag as a model run does, and throw when it is raised; task 2 raises it.
  std::atomic<bool> interrupt{false};
  std::vector<std::size_t> sunk;
  bool progress_at_end = false;
  ScheduledTasks<std::size_t> tasks;
  tasks.count = 50;
  tasks.run = [&interrupt](std::size_t i) {
    if (i == 2) interrupt.store(true);
    for (int k = 0; k < 1000; ++k) {
      if (interrupt.load()) throw Error("interrupted at 1h");
      std::this_thread::sleep_for(std::chrono::microseconds(10));
    }
    return i;
  };
  tasks.sink = [&sunk](std::size_t i, std::size_t&&) { sunk.push_back(i); };
  SchedulerOptions options;
  options.threads = 2;
  options.interrupt = &interrupt;
  options.progress = [&](const RunProgress& p) { progress_at_end = p.done == p.total; };
  try {
    run_scheduled(tasks, options);
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "interrupted");
  }
  EXPECT_LE(sunk.size(), 2u); // tasks 0 and 1 may have finished before the flag
  for (const std::size_t i : sunk)
    EXPECT_LT(i, 2u);
  EXPECT_FALSE(progress_at_end);
}

TEST(RunScheduler, SinksTheTasksThatFinishedBeforeAnInterruption) {
  std::atomic<bool> interrupt{false};
  std::vector<std::size_t> sunk;
  ScheduledTasks<std::size_t> tasks;
  tasks.count = 10;
  tasks.run = [](std::size_t i) { return i; };
  tasks.sink = [&](std::size_t i, std::size_t&&) {
    sunk.push_back(i);
    if (i == 4) interrupt.store(true);
  };
  SchedulerOptions options;
  options.threads = 1;
  options.interrupt = &interrupt;
  EXPECT_THROW(run_scheduled(tasks, options), Error);
  EXPECT_EQ(sunk, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
}

TEST(RunScheduler, DoesNothingButReportForZeroTasks) {
  std::vector<RunProgress> reports;
  ScheduledTasks<int> tasks;
  tasks.run = [](std::size_t) -> int { throw std::logic_error("no task to run"); };
  tasks.sink = [](std::size_t, int&&) { FAIL() << "nothing to sink"; };
  SchedulerOptions options;
  options.progress = [&reports](const RunProgress& p) { reports.push_back(p); };
  run_scheduled(tasks, options);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].done, 0u);
  EXPECT_EQ(reports[0].total, 0u);
}

TEST(RunScheduler, TakesResultsThatAreMoveOnly) {
  std::vector<std::unique_ptr<std::string>> out(5);
  ScheduledTasks<std::unique_ptr<std::string>> tasks;
  tasks.count = 5;
  tasks.run = [](std::size_t i) { return std::make_unique<std::string>(std::to_string(i)); };
  tasks.sink = [&out](std::size_t i, std::unique_ptr<std::string>&& r) { out[i] = std::move(r); };
  SchedulerOptions options;
  options.threads = 2;
  run_scheduled(tasks, options);
  for (std::size_t i = 0; i < 5; ++i) {
    ASSERT_NE(out[i], nullptr);
    EXPECT_EQ(*out[i], std::to_string(i));
  }
}

} // namespace
} // namespace itsim::experiments
