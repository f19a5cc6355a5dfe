// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "itsim/sim/calendar.hpp"
#include "itsim/sim/event_queue.hpp"
#include "itsim/sim/simulation.hpp"
#include "itsim/sim/statistics.hpp"

namespace itsim::sim {

/// How a station picks the next waiting job.
enum class QueueDiscipline : std::uint8_t {
  fifo,          ///< first come, first served
  priority,      ///< lowest priority number first (P1 before P4), FIFO within a class
  value_density, ///< highest cost of delay per unit of effort first (WSJF), FIFO on ties
};

/// Name of a discipline as it appears in scenarios and messages.
const char* to_string(QueueDiscipline d);

/// Static description of a station: a pool of identical servers in front of one queue.
struct StationConfig {
  std::string name = "station";
  /// Servers available over the week (headcount by shift); constant by default.
  CapacitySchedule capacity = CapacitySchedule::constant(1);
  /// When set, work starts and progresses only in this calendar's working time.
  std::optional<Calendar> calendar;
  QueueDiscipline discipline = QueueDiscipline::fifo;
  /// With the priority discipline: an arriving job pre-empts the lowest-class job in
  /// service when every server is busy (pre-emptive resume: the pre-empted job keeps its
  /// remaining work and returns to the head of its class).
  bool preemptive = false;
};

/// A job handed to a station. All attributes are drawn by the caller (at the job's
/// creation, for common random numbers); the station only schedules.
struct JobRequest {
  std::uint32_t job = 0;                     ///< caller's job id, returned in outcomes
  SimDuration work;                          ///< service requirement (working time)
  std::uint8_t priority = 0;                 ///< 0 is the most urgent class
  double value_density = 0;                  ///< cost of delay per hour of effort (value_density)
  SimDuration patience = SimDuration::max(); ///< leaves if still waiting after this long
};

/// What a station event meant for the caller.
struct StationOutcome {
  enum class Kind : std::uint8_t { none, completed, reneged };
  Kind kind = Kind::none;
  std::uint32_t job = 0;
  SimTime arrived;       ///< when the job reached this station
  SimTime first_started; ///< when its service first started (completed jobs only)
};

/// A multi-server queueing station: the building block of pools, desks and teams.
///
/// A Station is not an event handler of its own: it schedules its events to its owner's
/// handler id, and the owner passes those events back through on_event(), then routes the
/// job according to the returned outcome. So an event costs one indirect call (the
/// owner's handle) and the station's work is a direct, inlinable call.
///
/// Capacity may change by shift: when it drops below the number of busy servers, jobs in
/// service finish and no new job starts until a server is free under the new level.
/// Reneging: a job with finite patience that is still waiting when its patience runs out
/// leaves; its patience timer is cancelled as soon as its service starts.
class Station {
public:
  /// Event kinds the station schedules; owners must not use kinds at or above kind_base.
  static constexpr EventKind kind_base = 0x8000U;
  static constexpr EventKind kind_service_end = kind_base + 0;
  static constexpr EventKind kind_patience = kind_base + 1;
  static constexpr EventKind kind_capacity = kind_base + 2;
  static constexpr EventKind kind_wake = kind_base + 3;
  /// True when `event` belongs to a station; payload >> 32 is then the station's index.
  static bool owns(const Event& event) { return event.kind >= kind_base; }
  static std::uint32_t station_index(const Event& event) {
    return static_cast<std::uint32_t>(event.payload >> 32);
  }

  /// A station scheduling to handler `owner`, known to it as number `index`.
  Station(Simulation& sim, HandlerId owner, std::uint32_t index, StationConfig config);

  /// Schedules the first shift change; call once before the run starts.
  void start();
  /// A job arrives now.
  void arrive(const JobRequest& request);
  /// Handles one of this station's events.
  StationOutcome on_event(const Event& event);

  const StationConfig& config() const { return config_; }
  const std::string& name() const { return config_.name; }
  /// Servers available now.
  std::uint32_t capacity() const { return capacity_; }
  /// Adds `delta` servers (negative: removes) to the capacity schedule from now on, until
  /// the next call (staff away on a rotation, newcomers joining). Jobs in service when the
  /// capacity drops finish; no new job starts until a server is free under the new level.
  void adjust_capacity(std::int32_t delta);
  std::uint32_t busy() const { return busy_; }
  std::uint32_t waiting() const { return waiting_; }

  /// Restarts every statistic at `now` (end of a warm-up period), keeping the state.
  void reset_statistics(SimTime now);
  /// Hours waited by jobs whose service started (since the last reset).
  const RunningStats& wait_hours() const { return wait_h_; }
  /// Number of jobs waiting, averaged over time.
  const TimeWeighted& queue_length() const { return queue_len_; }
  /// Number of busy servers, averaged over time.
  const TimeWeighted& busy_servers() const { return busy_tw_; }
  /// Servers available, averaged over time (the denominator of utilisation).
  const TimeWeighted& capacity_level() const { return capacity_tw_; }
  std::uint64_t arrivals() const { return arrivals_; }
  std::uint64_t completions() const { return completions_; }
  std::uint64_t reneges() const { return reneges_; }
  std::uint64_t preemptions() const { return preemptions_; }
  /// Jobs whose service started later than their arrival (they queued).
  std::uint64_t delayed_starts() const { return delayed_starts_; }
  /// Mean utilisation: busy server-hours over available server-hours until `now`.
  double utilisation(SimTime now) const;

private:
  enum class RecordState : std::uint8_t { free, waiting, in_service, abandoned };
  struct Record {
    std::uint32_t job = 0;
    RecordState state = RecordState::free;
    std::uint8_t priority = 0;
    bool started = false;
    double rank = 0;       // smaller is served first (priority or -value density)
    std::uint64_t seq = 0; // arrival order: FIFO tie-break, kept when pre-empted
    SimDuration work;      // remaining work
    SimTime arrived;
    SimTime first_started;
    EventId patience;
  };
  struct Server {
    std::uint32_t record = no_record;
    SimTime started;
    SimTime ends;
    EventId departure; // valid only on pre-emptive stations
  };
  struct HeapEntry {
    double rank;
    std::uint64_t seq;
    std::uint32_t record;
  };
  static constexpr std::uint32_t no_record = 0xffff'ffffU;

  std::uint32_t new_record();
  void enqueue(std::uint32_t record);
  std::uint32_t dequeue(); // next live waiting record, or no_record
  void try_start();
  std::uint32_t take_server();              // pops a free server and counts it busy
  std::uint32_t scheduled_capacity() const; // schedule at now plus adjustment_
  void start_service(std::uint32_t record, std::uint32_t server);
  bool try_preempt(std::uint32_t record);
  StationOutcome finish(std::uint32_t server);
  StationOutcome renege(std::uint32_t record);
  void set_waiting(std::int64_t delta);
  void set_busy(std::int64_t delta);
  std::uint64_t payload(std::uint32_t low) const { return (std::uint64_t{index_} << 32) | low; }

  Simulation& sim_;
  HandlerId owner_;
  std::uint32_t index_;
  StationConfig config_;

  std::vector<Record> records_;
  std::vector<std::uint32_t> free_records_;
  std::vector<Server> servers_;
  std::vector<std::uint32_t> free_servers_;
  // FIFO queue: a ring buffer of record indices (no allocation once grown).
  std::vector<std::uint32_t> ring_;
  std::size_t ring_head_ = 0;
  std::size_t ring_size_ = 0;
  // Priority and value-density queues: a binary heap.
  std::vector<HeapEntry> heap_;

  std::uint32_t capacity_ = 0;
  std::int32_t adjustment_ = 0;
  std::uint32_t busy_ = 0;
  std::uint32_t waiting_ = 0;
  std::uint64_t next_seq_ = 0;
  bool wake_pending_ = false;

  RunningStats wait_h_;
  TimeWeighted queue_len_;
  TimeWeighted busy_tw_;
  TimeWeighted capacity_tw_;
  std::uint64_t arrivals_ = 0;
  std::uint64_t completions_ = 0;
  std::uint64_t reneges_ = 0;
  std::uint64_t preemptions_ = 0;
  std::uint64_t delayed_starts_ = 0;
};

} // namespace itsim::sim
