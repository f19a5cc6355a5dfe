// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/event_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "itsim/sim/random_stream.hpp"

namespace itsim::sim {
namespace {

SimTime at(std::int64_t t) {
  return SimTime::from_ticks(t);
}

TEST(EventQueue, PopsInTimeOrder) {
  EventQueue q;
  q.push(at(30), 0, 0, 3, 0);
  q.push(at(10), 0, 0, 1, 0);
  q.push(at(20), 0, 0, 2, 0);
  Event e;
  std::vector<EventKind> kinds;
  while (q.pop_until(SimTime::max(), e))
    kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<EventKind>{1, 2, 3}));
}

TEST(EventQueue, PopsEqualTimesInInsertionOrder) {
  EventQueue q;
  for (std::uint64_t k = 0; k < 100; ++k)
    q.push(at(5), 7, 0, 1, k);
  Event e;
  for (std::uint64_t k = 0; k < 100; ++k) {
    ASSERT_TRUE(q.pop_until(SimTime::max(), e));
    EXPECT_EQ(e.payload, k);
  }
  EXPECT_TRUE(q.empty());
}

TEST(EventQueue, LowerPriorityNumberFiresFirstAtEqualTimes) {
  EventQueue q;
  q.push(at(5), 9, 0, 1, 0);
  q.push(at(5), 2, 0, 2, 0);
  q.push(at(4), 9, 0, 3, 0);
  Event e;
  ASSERT_TRUE(q.pop_until(SimTime::max(), e));
  EXPECT_EQ(e.kind, 3U);
  ASSERT_TRUE(q.pop_until(SimTime::max(), e));
  EXPECT_EQ(e.kind, 2U);
  EXPECT_EQ(e.priority(), 2);
}

TEST(EventQueue, StopsAtTheGivenTime) {
  EventQueue q;
  q.push(at(10), 0, 0, 1, 0);
  q.push(at(20), 0, 0, 2, 0);
  Event e;
  EXPECT_TRUE(q.pop_until(at(15), e));
  EXPECT_FALSE(q.pop_until(at(15), e));
  EXPECT_EQ(q.size(), 1U);
  EXPECT_EQ(q.next_time(), at(20));
}

TEST(EventQueue, CancelledEventsNeverFire) {
  EventQueue q;
  const EventId a = q.push_cancellable(at(10), 0, 0, 1, 0);
  const EventId b = q.push_cancellable(at(20), 0, 0, 2, 0);
  q.push(at(30), 0, 0, 3, 0);
  EXPECT_EQ(q.size(), 3U);
  EXPECT_TRUE(q.cancel(a));
  EXPECT_FALSE(q.cancel(a)) << "a second cancel is a no-op";
  EXPECT_EQ(q.size(), 2U);
  EXPECT_FALSE(q.is_pending(a));
  EXPECT_TRUE(q.is_pending(b));
  Event e;
  ASSERT_TRUE(q.pop_until(SimTime::max(), e));
  EXPECT_EQ(e.kind, 2U);
  EXPECT_FALSE(q.cancel(b)) << "a fired event cannot be cancelled";
  ASSERT_TRUE(q.pop_until(SimTime::max(), e));
  EXPECT_EQ(e.kind, 3U);
  EXPECT_TRUE(q.empty());
}

TEST(EventQueue, RecycledSlotsDoNotReviveOldHandles) {
  EventQueue q;
  const EventId old = q.push_cancellable(at(1), 0, 0, 1, 0);
  Event e;
  ASSERT_TRUE(q.pop_until(SimTime::max(), e));
  const EventId fresh = q.push_cancellable(at(2), 0, 0, 2, 0);
  EXPECT_EQ(fresh.slot, old.slot) << "the slot is reused";
  EXPECT_FALSE(q.cancel(old)) << "the stale handle must not cancel the new event";
  EXPECT_TRUE(q.is_pending(fresh));
  EXPECT_TRUE(q.cancel(fresh));
  EXPECT_EQ(q.next_time(), SimTime::max());
}

// Differential test: a long random sequence of pushes, cancels and pops against a naive
// reference that keeps every pending event in a vector and scans for the minimum.
TEST(EventQueue, MatchesANaiveSortedReferenceUnderRandomOperations) {
  struct Ref {
    std::int64_t time;
    std::uint16_t priority;
    std::uint64_t seq;
    std::uint64_t tag;
    EventId id;
  };
  EventQueue q;
  std::vector<Ref> ref;
  RandomStream rng(2024);
  std::uint64_t seq = 0;
  std::uint64_t next_tag = 0;
  std::int64_t now = 0;
  std::size_t popped = 0;
  for (int step = 0; step < 200000; ++step) {
    const std::uint64_t op = rng.uniform_index(10);
    if (op < 5) {
      // Few distinct times and priorities, so ties are common.
      const std::int64_t t = now + static_cast<std::int64_t>(rng.uniform_index(50));
      const auto prio = static_cast<std::uint16_t>(rng.uniform_index(3));
      const bool cancellable = rng.uniform_index(2) == 0;
      EventId id;
      if (cancellable) {
        id = q.push_cancellable(at(t), prio, 0, 1, next_tag);
      } else {
        q.push(at(t), prio, 0, 1, next_tag);
      }
      ref.push_back(Ref{t, prio, seq++, next_tag++, id});
    } else if (op < 7) {
      if (ref.empty()) continue;
      const std::size_t i = rng.uniform_index(ref.size());
      if (!ref[i].id.valid()) continue;
      ASSERT_TRUE(q.cancel(ref[i].id));
      ref.erase(ref.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      Event e;
      const bool got = q.pop_until(SimTime::max(), e);
      ASSERT_EQ(got, !ref.empty());
      if (!got) continue;
      const auto best = std::min_element(ref.begin(), ref.end(), [](const Ref& a, const Ref& b) {
        if (a.time != b.time) return a.time < b.time;
        if (a.priority != b.priority) return a.priority < b.priority;
        return a.seq < b.seq;
      });
      ASSERT_EQ(e.payload, best->tag) << "at step " << step;
      ASSERT_EQ(e.time.ticks(), best->time);
      now = best->time;
      ref.erase(best);
      ++popped;
    }
    ASSERT_EQ(q.size(), ref.size());
  }
  EXPECT_GT(popped, 50000U);
}

} // namespace
} // namespace itsim::sim
