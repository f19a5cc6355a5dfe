// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "itsim/sim/error.hpp"
#include "itsim/sim/event_queue.hpp"
#include "itsim/sim/random_stream.hpp"
#include "itsim/sim/sim_time.hpp"

namespace itsim::sim {

/// Receives the events scheduled for it. A model is usually one handler; its components
/// (stations, sources) are plain members it calls directly, so that dispatching an event
/// costs exactly one indirect call: this one.
class EventHandler {
public:
  virtual ~EventHandler() = default;
  /// Reacts to one event. May schedule and cancel events; must not block.
  virtual void handle(const Event& event) = 0;
  /// Name used in error messages.
  virtual std::string_view handler_name() const { return "handler"; }
};

/// One replication of one model: the clock, the future event set and the random streams.
///
/// Not copyable, never a singleton: a sweep runs many Simulations at once on different
/// threads, each self-contained. The run is a pure function of (master seed, replication,
/// the handlers' behaviour): there is no wall-clock input and no global state.
class Simulation {
public:
  /// A run seeded from `master_seed`; `replication` selects independent streams.
  Simulation(std::uint64_t master_seed, std::uint64_t replication);
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// Registers a handler (not owned; it must outlive the run) and returns its id.
  HandlerId add_handler(EventHandler& handler);

  /// Current simulation time.
  SimTime now() const { return now_; }
  std::uint64_t master_seed() const { return master_seed_; }
  std::uint64_t replication() const { return replication_; }

  /// The random stream `name` of this run (docs/random-streams.md). Two calls with the
  /// same name give two copies of the same sequence: create each stream once.
  RandomStream stream(std::string_view name) const {
    return RandomStream(master_seed_, replication_, name);
  }

  /// Schedules an event at absolute time `at` (>= now). Lower `priority` fires first
  /// among events at the same time; equal priorities fire in scheduling order.
  ITSIM_HOT_INLINE void schedule_at(SimTime at, HandlerId target, EventKind kind,
                                    std::uint64_t payload = 0,
                                    std::uint16_t priority = default_priority) {
    check_schedule(at, target);
    queue_.push(at, priority, target, kind, payload);
  }
  /// Schedules an event `delay` (>= 0) from now.
  ITSIM_HOT_INLINE void schedule_in(SimDuration delay, HandlerId target, EventKind kind,
                                    std::uint64_t payload = 0,
                                    std::uint16_t priority = default_priority) {
    check_delay(delay);
    schedule_at(now_ + delay, target, kind, payload, priority);
  }
  /// Like schedule_at, but the event can later be cancelled through the returned handle.
  ITSIM_HOT_INLINE EventId schedule_cancellable_at(SimTime at, HandlerId target, EventKind kind,
                                                   std::uint64_t payload = 0,
                                                   std::uint16_t priority = default_priority) {
    check_schedule(at, target);
    return queue_.push_cancellable(at, priority, target, kind, payload);
  }
  /// Like schedule_in, but cancellable.
  ITSIM_HOT_INLINE EventId schedule_cancellable_in(SimDuration delay, HandlerId target,
                                                   EventKind kind, std::uint64_t payload = 0,
                                                   std::uint16_t priority = default_priority) {
    check_delay(delay);
    return schedule_cancellable_at(now_ + delay, target, kind, payload, priority);
  }
  /// Cancels a pending event; false if it already fired or was cancelled.
  bool cancel(EventId id) { return queue_.cancel(id); }
  /// True while a cancellable event is still pending.
  bool is_pending(EventId id) const { return queue_.is_pending(id); }

  /// Processes the next event, if any. Returns false when the queue is empty.
  bool step();
  /// Processes every event with time <= `until`, then sets the clock to `until`.
  void run_until(SimTime until);
  /// Processes events until none is left or stop() is called.
  void run();
  /// Asks the running loop to return after the current event.
  void stop() { stop_requested_ = true; }

  /// An interrupt flag polled every 1024 events (Ctrl-C, a wall-clock limit). When it is
  /// set the run throws itsim::Error("interrupted").
  void set_interrupt_flag(const std::atomic<bool>* flag) { interrupt_ = flag; }

  /// Number of events processed so far.
  std::uint64_t events_processed() const { return events_; }
  /// Number of events pending.
  std::size_t events_pending() const { return queue_.size(); }

  /// Turns on the trajectory fingerprint: a 64-bit FNV-1a hash over (time, target, kind,
  /// payload) of every processed event, plus whatever models add with add_to_fingerprint.
  /// Two runs with equal fingerprints followed the same trajectory.
  void enable_fingerprint() { fingerprint_on_ = true; }
  bool fingerprint_enabled() const { return fingerprint_on_; }
  std::uint64_t fingerprint() const { return fingerprint_; }
  /// Mixes a model-level value (a drawn number's bits, a recorded KPI) into the fingerprint.
  void add_to_fingerprint(std::uint64_t value) {
    if (fingerprint_on_) fingerprint_ = fnv1a64_u64(value, fingerprint_);
  }

  static constexpr std::uint16_t default_priority = 1000;

private:
  ITSIM_HOT_INLINE void check_schedule(SimTime at, HandlerId target) const {
    if (at < now_ || target >= handler_count_) [[unlikely]] {
      reject_schedule(at, target);
    }
  }
  ITSIM_HOT_INLINE void check_delay(SimDuration delay) const {
    if (delay < SimDuration{}) [[unlikely]] {
      reject_delay(delay);
    }
  }
  [[noreturn]] void reject_schedule(SimTime at, HandlerId target) const;
  [[noreturn]] void reject_delay(SimDuration delay) const;
  [[noreturn]] void rethrow_with_context(const Event& event) const;
  void dispatch(const Event& event);

  EventQueue queue_;
  std::vector<EventHandler*> handlers_;
  std::size_t handler_count_ = 0; // handlers_.size(), checked on every schedule
  SimTime now_;
  std::uint64_t master_seed_;
  std::uint64_t replication_;
  std::uint64_t events_ = 0;
  std::uint64_t fingerprint_ = 0xcbf29ce484222325ULL;
  const std::atomic<bool>* interrupt_ = nullptr;
  bool fingerprint_on_ = false;
  bool stop_requested_ = false;
};

/// Formats a time as hours with millisecond precision, for messages ("t=12.500h").
std::string format_time(SimTime t);

} // namespace itsim::sim
