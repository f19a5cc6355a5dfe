// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/simulation.hpp"

#include <cstdio>
#include <exception>
#include <limits>

namespace itsim::sim {

std::string format_time(SimTime t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "t=%.3fh", t.hours_f());
  return buf;
}

Simulation::Simulation(std::uint64_t master_seed, std::uint64_t replication)
    : master_seed_(master_seed), replication_(replication) {
  queue_.reserve(256);
}

HandlerId Simulation::add_handler(EventHandler& handler) {
  if (handlers_.size() > std::numeric_limits<HandlerId>::max()) {
    throw ModelError("add_handler: more than " +
                     std::to_string(std::numeric_limits<HandlerId>::max() + 1) + " handlers");
  }
  handlers_.push_back(&handler);
  handler_count_ = handlers_.size();
  return static_cast<HandlerId>(handlers_.size() - 1);
}

void Simulation::reject_schedule(SimTime at, HandlerId target) const {
  if (target >= handlers_.size()) {
    throw ModelError("schedule: unknown handler id " + std::to_string(target) + " (" +
                     std::to_string(handlers_.size()) + " registered)");
  }
  throw ModelError("schedule: event time " + format_time(at) + " is in the past (now " +
                   format_time(now_) + ")");
}

void Simulation::reject_delay(SimDuration delay) const {
  throw ModelError("schedule: negative delay of " + std::to_string(delay.count()) + " ms at " +
                   format_time(now_));
}

void Simulation::rethrow_with_context(const Event& event) const {
  // Wrap with where and when it happened, as a debugger would want it; keep the cause.
  const std::string where = format_time(event.time) + ", event #" + std::to_string(event.seq()) +
                            " (kind " + std::to_string(event.kind) + ") in " +
                            std::string(handlers_[event.target]->handler_name()) + ": ";
  try {
    throw;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    throw ModelError(where + e.what());
  }
}

inline void Simulation::dispatch(const Event& event) {
  now_ = event.time;
  ++events_;
  if (fingerprint_on_) {
    std::uint64_t h = fnv1a64_u64(static_cast<std::uint64_t>(event.time.ticks()), fingerprint_);
    h = fnv1a64_u64((std::uint64_t{event.target} << 32) | event.kind, h);
    fingerprint_ = fnv1a64_u64(event.payload, h);
  }
  if ((events_ & 1023U) == 0 && interrupt_ != nullptr &&
      interrupt_->load(std::memory_order_relaxed)) {
    throw Error("interrupted at " + format_time(now_));
  }
  try {
    handlers_[event.target]->handle(event);
  } catch (...) {
    rethrow_with_context(event);
  }
}

bool Simulation::step() {
  Event event;
  if (!queue_.pop_until(SimTime::max(), event)) return false;
  dispatch(event);
  return true;
}

void Simulation::run_until(SimTime until) {
  stop_requested_ = false;
  Event event;
  while (!stop_requested_ && queue_.pop_until(until, event)) {
    dispatch(event);
  }
  if (!stop_requested_ && until > now_) now_ = until;
}

void Simulation::run() {
  stop_requested_ = false;
  Event event;
  while (!stop_requested_ && queue_.pop_until(SimTime::max(), event)) {
    dispatch(event);
  }
}

} // namespace itsim::sim
