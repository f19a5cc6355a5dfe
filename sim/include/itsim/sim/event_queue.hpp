// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "itsim/sim/hot_path.hpp"
#include "itsim/sim/sim_time.hpp"

namespace itsim::sim {

/// Index of an event handler registered with a Simulation.
using HandlerId = std::uint16_t;
/// Handler-defined event type.
using EventKind = std::uint16_t;

/// One scheduled event: a 32-byte, trivially copyable record (two per cache line). What it
/// means is up to the handler it targets: `kind` says what happened and `payload` carries
/// the handler's own identifiers (an item index, a station and server pair), never a
/// pointer or a string.
struct Event {
  SimTime time;              ///< when it fires
  std::uint64_t order = 0;   ///< (priority << 48) | insertion sequence: tie-break key
  std::uint64_t payload = 0; ///< handler-defined data
  HandlerId target = 0;      ///< handler that receives it
  EventKind kind = 0;        ///< handler-defined event type
  std::uint32_t slot = 0;    ///< cancellation slot, or no_slot when not cancellable

  static constexpr std::uint32_t no_slot = std::numeric_limits<std::uint32_t>::max();
  static constexpr int priority_shift = 48;
  static constexpr std::uint64_t seq_mask = (std::uint64_t{1} << priority_shift) - 1;

  /// Tie-break priority among events at the same time: lower fires first.
  std::uint16_t priority() const { return static_cast<std::uint16_t>(order >> priority_shift); }
  /// Insertion sequence number: among equal time and priority, lower fires first (FIFO).
  std::uint64_t seq() const { return order & seq_mask; }
};
static_assert(std::is_trivially_copyable_v<Event>);
static_assert(sizeof(Event) == 32);

/// Handle to a cancellable event. Stale once the event fired or was cancelled.
struct EventId {
  std::uint32_t slot = Event::no_slot;
  std::uint64_t order = 0; ///< the event's unique order key: tells reuses of a slot apart
  bool valid() const { return slot != Event::no_slot; }
};

/// The future event set: a binary min-heap of Event records ordered by (time, priority,
/// insertion sequence), so events at equal times fire in a fixed, documented order (FIFO
/// within a priority) whatever the heap's internal layout.
///
/// Cancellation is lazy: a cancellable event owns a slot that holds the event's unique
/// order key while it is pending; cancel() clears the slot, and a record whose slot no
/// longer holds its key is dropped when it reaches the top. That keeps cancel O(1) with no search
/// of the heap. Slots are recycled through a free list, so after warm-up neither push nor pop
/// allocates: the vectors only grow to the largest number of pending events.
///
/// Removal of the earliest event is deferred: pop_until() copies the root out and leaves it
/// in place, marked consumed; the next push overwrites the root and sifts the new event down
/// (one sift instead of a sift-down for the pop plus a sift-up for the push), and the next
/// pop, if no push came first, removes it the ordinary way. Most events schedule at least one
/// other, so most pops cost no heap operation of their own. The heap's layout differs from
/// an eager pop, but not the order events leave it: (time, order) is a total order, since
/// order keys are unique.
class EventQueue final {
public:
  /// Schedules an event that cannot be cancelled.
  ITSIM_HOT_INLINE void push(SimTime time, std::uint16_t priority, HandlerId target, EventKind kind,
                             std::uint64_t payload) {
    push_record(Event{time, make_order(priority), payload, target, kind, Event::no_slot});
  }

  /// Schedules an event that cancel() can remove; returns its handle.
  ITSIM_HOT_INLINE EventId push_cancellable(SimTime time, std::uint16_t priority, HandlerId target,
                                            EventKind kind, std::uint64_t payload) {
    std::uint32_t slot;
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.push_back(vacant);
    }
    const std::uint64_t order = make_order(priority);
    slots_[slot] = order;
    push_record(Event{time, order, payload, target, kind, slot});
    return EventId{slot, order};
  }

  /// Cancels a pending event. Returns false (and does nothing) if it already fired or was
  /// cancelled before.
  bool cancel(EventId id) {
    if (!is_pending(id)) return false;
    slots_[id.slot] = vacant; // the record in the heap is now stale
    ++stale_;
    return true;
  }

  /// True when a cancellable event is still pending.
  bool is_pending(EventId id) const {
    return id.valid() && id.slot < slots_.size() && slots_[id.slot] == id.order;
  }

  /// Number of pending (not cancelled) events.
  std::size_t size() const { return heap_.size() - stale_ - (root_consumed_ ? 1U : 0U); }
  bool empty() const { return size() == 0; }

  /// Removes the earliest live event into `out` if its time is <= `until`. Returns false
  /// when there is none (the queue is then empty or its next event is later).
  ITSIM_HOT_INLINE bool pop_until(SimTime until, Event& out) {
    drop_consumed_root();
    while (!heap_.empty()) {
      const Event& top = heap_.front();
      if (top.slot != Event::no_slot && slots_[top.slot] != top.order) {
        release_slot(top.slot);
        --stale_;
        pop_top();
        continue;
      }
      if (top.time > until) return false;
      out = top;
      if (out.slot != Event::no_slot) {
        slots_[out.slot] = vacant; // a fired event can no longer be cancelled
        release_slot(out.slot);
      }
      root_consumed_ = true; // removed by the next push or pop (see the class comment)
      return true;
    }
    return false;
  }

  /// Time of the earliest live event, or SimTime::max() when empty. Drops stale records.
  SimTime next_time() {
    drop_consumed_root();
    while (!heap_.empty()) {
      const Event& top = heap_.front();
      if (top.slot != Event::no_slot && slots_[top.slot] != top.order) {
        release_slot(top.slot);
        --stale_;
        pop_top();
        continue;
      }
      return top.time;
    }
    return SimTime::max();
  }

  /// Pre-sizes the heap for `n` pending events.
  void reserve(std::size_t n) { heap_.reserve(n); }

  /// Removes every event and resets the sequence counter.
  void clear() {
    heap_.clear();
    slots_.clear();
    free_slots_.clear();
    stale_ = 0;
    next_seq_ = 0;
    root_consumed_ = false;
  }

private:
  std::uint64_t make_order(std::uint16_t priority) {
    return (static_cast<std::uint64_t>(priority) << Event::priority_shift) | (next_seq_++);
  }

  // (time, order) as one comparison without branches: a heap's comparisons are coin flips
  // that a branch predictor cannot learn. Where the compiler has 128-bit integers the pair
  // is one signed 128-bit key, time in the high half (signed) and order in the low half
  // (compared unsigned): a cmp and an sbb. Elsewhere both parts are compared and combined
  // with bitwise operators.
  static bool before(const Event& a, const Event& b) {
#ifdef __SIZEOF_INT128__
    return key(a) < key(b);
#else
    return ((a.time < b.time) | ((a.time == b.time) & (a.order < b.order))) != 0;
#endif
  }
#ifdef __SIZEOF_INT128__
  __extension__ using Key = __int128;
  __extension__ using UnsignedKey = unsigned __int128;
  static Key key(const Event& e) {
    const auto high = static_cast<std::uint64_t>(e.time.ticks());
    return static_cast<Key>((UnsignedKey{high} << 64) | e.order);
  }
#endif

  ITSIM_HOT_INLINE void push_record(const Event& e) {
    if (root_consumed_) {
      // The root was popped but left in place: overwrite it.
      root_consumed_ = false;
      sift_down_from_root(e);
      return;
    }
    heap_.push_back(e);
    // Sift up with a hole: one copy per level instead of a swap.
    const Event v = e; // a local copy: the stores below cannot change it
    Event* const h = heap_.data();
    std::size_t i = heap_.size() - 1;
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!before(v, h[parent])) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = v;
  }

  // Places `e` at the root and sifts it down to its level (a hole moves down, one copy per
  // level). The heap must not be empty.
  ITSIM_HOT_INLINE void sift_down_from_root(const Event& e) {
    const Event v = e;
    Event* const h = heap_.data();
    const std::size_t n = heap_.size();
    std::size_t i = 0;
    std::size_t child = 1;
    while (child + 1 < n) { // both children exist: take the earlier one
      child += before(h[child + 1], h[child]) ? 1U : 0U;
      if (!before(h[child], v)) break;
      h[i] = h[child];
      i = child;
      child = 2 * i + 1;
    }
    if (child + 1 == n && before(h[child], v)) { // a lone last child
      h[i] = h[child];
      i = child;
    }
    h[i] = v;
  }

  void pop_top() {
    const Event last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down_from_root(last);
  }

  void drop_consumed_root() {
    if (root_consumed_) {
      root_consumed_ = false;
      pop_top();
    }
  }

  void release_slot(std::uint32_t slot) {
    free_slots_.push_back(slot);
  }

  std::vector<Event> heap_;
  // Order key of the pending event holding each slot, or `vacant`.
  std::vector<std::uint64_t> slots_;
  static constexpr std::uint64_t vacant = std::numeric_limits<std::uint64_t>::max();
  std::vector<std::uint32_t> free_slots_;
  std::size_t stale_ = 0;
  std::uint64_t next_seq_ = 0;
  bool root_consumed_ = false; // heap_.front() was popped and awaits removal
};

} // namespace itsim::sim
