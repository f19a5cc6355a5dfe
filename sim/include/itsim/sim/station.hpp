// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "itsim/sim/calendar.hpp"
#include "itsim/sim/event_queue.hpp"
#include "itsim/sim/hot_path.hpp"
#include "itsim/sim/simulation.hpp"
#include "itsim/sim/statistics.hpp"

namespace itsim::sim {

/// How a station picks the next waiting job.
enum class QueueDiscipline : std::uint8_t {
  fifo,          ///< first come, first served
  priority,      ///< lowest priority number first (P1 before P4), FIFO within a class
  value_density, ///< highest cost of delay per unit of effort first (WSJF), FIFO on ties
};

/// Name of a discipline in the engine's messages (a scenario spells value_density `wsjf`:
/// scenarios/src/choices.hpp).
const char* to_string(QueueDiscipline d);

/// Static description of a station: a pool of identical servers in front of one queue.
struct StationConfig {
  std::string name = "station";
  /// Servers available over the week (headcount by shift); constant by default.
  CapacitySchedule capacity = CapacitySchedule::constant(1);
  /// When set, work starts and progresses only in this calendar's working time.
  std::optional<Calendar> calendar;
  QueueDiscipline discipline = QueueDiscipline::fifo;
  /// With the priority discipline: an arriving job pre-empts the job in service served
  /// latest by (tier, priority) when every server is busy and that job comes strictly later
  /// (pre-emptive resume: the pre-empted job keeps its remaining work and returns to the
  /// head of its class). With the value-density discipline: only a job of a lower tier
  /// pre-empts (tickets before changes); the value density itself never interrupts work.
  bool preemptive = false;
  /// The most servers one job may ask for at once (JobRequest::crew), 1 to 255. Above 1 the
  /// station serves crews, on a slower path; at 1 the common path stays as it is.
  std::uint32_t max_crew = 1;
};

/// A job handed to a station. All attributes are drawn by the caller (at the job's
/// creation, for common random numbers); the station only schedules.
struct JobRequest {
  std::uint32_t job = 0;                     ///< caller's job id, returned in outcomes
  SimDuration work;                          ///< service requirement (working time)
  std::uint8_t priority = 0;                 ///< 0 is the most urgent class
  double value_density = 0;                  ///< cost of delay per hour of effort (value_density)
  SimDuration patience = SimDuration::max(); ///< leaves if still waiting after this long
  /// Most servers that work on the job at once: it takes min(crew, free servers), at least
  /// one, when it starts, and its service time is work / servers taken (`work` is at one
  /// server's speed). 1 to StationConfig::max_crew.
  std::uint8_t crew = 1;
  /// Served after every waiting job of a lower tier, whatever the priority or value
  /// density (tickets before changes); priority and value-density disciplines only, a FIFO
  /// station ignores it. With pre-emption, a lower tier pre-empts a higher one.
  std::uint8_t tier = 0;
};

/// What a station event meant for the caller.
struct StationOutcome {
  enum class Kind : std::uint8_t { none, completed, reneged };
  Kind kind = Kind::none;
  std::uint32_t job = 0;
  SimTime arrived;       ///< when the job reached this station
  SimTime first_started; ///< when its service first started (completed jobs only)
  std::uint8_t crew = 1; ///< servers it held when its service ended (completed jobs only)
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
///
/// Crews: with StationConfig::max_crew above 1, a job may be served by several servers at
/// once (JobRequest::crew): they start together, end together and are released together;
/// the job's first server (its lead) carries the service end.
///
/// Hot path: arrive(), on_event() for a service end and what they call on the common
/// route (a job that starts at once, a server handed to the next FIFO job) are defined
/// inline below the class, so that an owner in another library compiles them into its
/// handle(). Rarely used features (calendars, pre-emption, reneging, priority and
/// value-density queues, shift changes) cost one predictable test of a flag each and run
/// out of line.
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
  /// Takes every job still waiting for its first start for which `which(job)` holds out of
  /// the queue (jobs in service, or waiting again after a pre-emption, stay) and appends
  /// their ids to `out` in arrival order. Their patience timers are cancelled; they count
  /// neither as served nor as reneged. For work moved elsewhere (a reorganisation).
  void withdraw_waiting(const std::function<bool(std::uint32_t)>& which,
                        std::vector<std::uint32_t>& out);

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
  // preempted: waiting again after a start (its first start is behind it).
  enum class RecordState : std::uint8_t { free, waiting, in_service, abandoned, preempted };
  // One job at this station; 64 bytes, one cache line.
  struct Record {
    SimTime arrived;
    SimTime first_started;
    SimDuration work;      // remaining work
    EventId patience;      // pending reneging timer, if any
    std::uint64_t seq = 0; // arrival order: FIFO tie-break, kept when pre-empted
    double rank = 0;       // priority and value-density queues only: smaller is served first
    std::uint32_t job = 0;
    RecordState state = RecordState::free;
    std::uint8_t priority = 0;
    std::uint8_t crew = 1; // servers wanted
    std::uint8_t tier = 0; // priority and value-density queues only: lower is served first
  };
  static_assert(sizeof(Record) == 64, "a Record is one cache line");
  struct Server {
    std::uint32_t record = no_record;
    // Crew stations only: the job's lead server (which carries its service end), the next
    // server of its crew (no_record ends the list) and, on the lead, the crew's size.
    std::uint32_t lead = no_record;
    std::uint32_t next = no_record;
    std::uint32_t crew = 1;
    // Pre-emptive and crew stations only (the victim choice and its remaining work):
    SimTime started;
    SimTime ends;
    EventId departure;
  };
  struct HeapEntry {
    double rank;
    std::uint64_t seq;
    std::uint32_t record;
    std::uint8_t tier;
  };
  static constexpr std::uint32_t no_record = 0xffff'ffffU;

  std::uint32_t new_record();
  void enqueue(std::uint32_t record);
  void enqueue_heap(std::uint32_t record);
  void grow_ring();
  std::uint32_t dequeue(); // next live waiting record, or no_record
  std::uint32_t dequeue_heap();
  /// True unless a calendar is closed now.
  bool is_open() const { return !has_calendar_ || config_.calendar->is_working(sim_.now()); }
  void try_start();
  void start_waiting();        // try_start() once there is a job waiting and a server free
  std::uint32_t take_server(); // pops a free server and counts it busy
  std::uint32_t scheduled_capacity() const; // schedule at now plus adjustment_
  void start_service(std::uint32_t record, std::uint32_t server);
  SimDuration start_crew(std::uint32_t record, std::uint32_t lead); // the crew's service time
  void release_crew(std::uint32_t lead, bool keep_lead);
  StationOutcome finish_crew(std::uint32_t server);
  void schedule_patience(std::uint32_t record, SimDuration patience);
  bool try_preempt(std::uint32_t record);
  StationOutcome finish(std::uint32_t server);
  StationOutcome on_other_event(const Event& event);
  StationOutcome renege(std::uint32_t record);
  [[noreturn]] void reject_request(const JobRequest& request) const;
  void set_waiting(std::int64_t delta);
  void set_busy(std::int64_t delta);
  std::uint64_t payload(std::uint32_t low) const { return (std::uint64_t{index_} << 32) | low; }

  Simulation& sim_;
  HandlerId owner_;
  std::uint32_t index_;
  // Flags read on every job, copied out of config_ so that the hot path tests one byte.
  bool has_calendar_ = false;
  bool preemptive_ = false;
  bool heap_queue_ = false; // priority or value density: heap_, not ring_
  bool crews_ = false;      // max_crew > 1
  bool plain_start_ = true; // no calendar, pre-emption or crews: start_service's short path
  std::uint32_t max_crew_ = 1;

  std::uint32_t capacity_ = 0;
  std::int32_t adjustment_ = 0;
  std::uint32_t busy_ = 0;
  std::uint32_t waiting_ = 0;
  std::uint64_t next_seq_ = 0;
  bool wake_pending_ = false;

  std::vector<Record> records_;
  std::vector<std::uint32_t> free_records_;
  std::vector<Server> servers_;
  std::vector<std::uint32_t> free_servers_;
  // FIFO queue: a ring buffer of record indices (no allocation once grown); its size is a
  // power of two, so indices wrap with ring_mask_ = size - 1.
  std::vector<std::uint32_t> ring_;
  std::size_t ring_mask_ = 0;
  std::size_t ring_head_ = 0;
  std::size_t ring_size_ = 0;
  // Priority and value-density queues: a binary heap.
  std::vector<HeapEntry> heap_;

  RunningStats wait_h_;
  TimeWeighted queue_len_;
  TimeWeighted busy_tw_;
  TimeWeighted capacity_tw_;
  std::uint64_t arrivals_ = 0;
  std::uint64_t completions_ = 0;
  std::uint64_t reneges_ = 0;
  std::uint64_t preemptions_ = 0;
  std::uint64_t delayed_starts_ = 0;

  StationConfig config_;
};

// ---------------------------------------------------------------------------------------
// Hot path, inline (see the class comment). The rest is in station.cpp.

ITSIM_HOT_INLINE std::uint32_t Station::new_record() {
  if (!free_records_.empty()) {
    const std::uint32_t r = free_records_.back();
    free_records_.pop_back();
    return r;
  }
  records_.emplace_back();
  return static_cast<std::uint32_t>(records_.size() - 1);
}

ITSIM_HOT_INLINE void Station::set_waiting(std::int64_t delta) {
  waiting_ = static_cast<std::uint32_t>(static_cast<std::int64_t>(waiting_) + delta);
  queue_len_.update(sim_.now(), waiting_);
}

ITSIM_HOT_INLINE void Station::set_busy(std::int64_t delta) {
  busy_ = static_cast<std::uint32_t>(static_cast<std::int64_t>(busy_) + delta);
  busy_tw_.update(sim_.now(), busy_);
}

ITSIM_HOT_INLINE std::uint32_t Station::take_server() {
  ITSIM_ASSERT(!free_servers_.empty());
  const std::uint32_t server = free_servers_.back();
  free_servers_.pop_back();
  set_busy(+1);
  return server;
}

ITSIM_HOT_INLINE void Station::arrive(const JobRequest& request) {
  // One unsigned comparison tells crew 0 and crews above max_crew_ apart from the rest.
  if (request.work < SimDuration{} || request.patience < SimDuration{} ||
      std::uint32_t{request.crew} - 1U >= max_crew_) [[unlikely]] {
    reject_request(request);
  }
  ++arrivals_;
  const std::uint32_t r = new_record();
  Record& rec = records_[r];
  rec.job = request.job;
  rec.priority = request.priority;
  rec.crew = request.crew;
  if (heap_queue_) {
    rec.rank =
        config_.discipline == QueueDiscipline::priority ? request.priority : -request.value_density;
    rec.tier = request.tier;
  }
  rec.seq = next_seq_++;
  rec.work = request.work;
  rec.arrived = sim_.now();
  rec.patience = EventId{};
  if (waiting_ == 0 && busy_ < capacity_ && is_open()) {
    start_service(r, take_server());
    return;
  }
  if (preemptive_ && is_open() && try_preempt(r)) return;
  rec.state = RecordState::waiting;
  if (request.patience != SimDuration::max()) [[unlikely]] {
    schedule_patience(r, request.patience);
  }
  enqueue(r);
  set_waiting(+1);
  try_start(); // a closed calendar schedules its wake-up here
}

ITSIM_HOT_INLINE void Station::start_service(std::uint32_t r, std::uint32_t server) {
  Record& rec = records_[r];
  const SimTime now = sim_.now();
  if (rec.patience.valid()) {
    sim_.cancel(rec.patience);
    rec.patience = EventId{};
  }
  if (rec.state != RecordState::preempted) { // its first start
    rec.first_started = now;
    wait_h_.add((now - rec.arrived).hours_f());
    if (now > rec.arrived) ++delayed_starts_;
  }
  rec.state = RecordState::in_service;
  Server& s = servers_[server];
  s.record = r;
  if (plain_start_) [[likely]] {
    sim_.schedule_at(now + rec.work, owner_, kind_service_end, payload(server));
    return;
  }
  const SimDuration service = crews_ ? start_crew(r, server) : rec.work;
  const SimTime ends = has_calendar_ ? config_.calendar->add_working(now, service) : now + service;
  s.started = now;
  s.ends = ends;
  if (preemptive_) {
    s.departure = sim_.schedule_cancellable_at(ends, owner_, kind_service_end, payload(server));
  } else {
    sim_.schedule_at(ends, owner_, kind_service_end, payload(server));
  }
}

ITSIM_HOT_INLINE void Station::enqueue(std::uint32_t r) {
  if (heap_queue_) {
    enqueue_heap(r);
    return;
  }
  if (ring_size_ == ring_.size()) grow_ring();
  ring_[(ring_head_ + ring_size_) & ring_mask_] = r;
  ++ring_size_;
}

ITSIM_HOT_INLINE std::uint32_t Station::dequeue() {
  if (heap_queue_) return dequeue_heap();
  while (ring_size_ > 0) {
    const std::uint32_t r = ring_[ring_head_];
    ring_head_ = (ring_head_ + 1) & ring_mask_;
    --ring_size_;
    if (records_[r].state != RecordState::abandoned) [[likely]] {
      return r;
    }
    // Reneged earlier: its entry stayed in the queue (lazy deletion); drop it now.
    records_[r].state = RecordState::free;
    free_records_.push_back(r);
  }
  return no_record;
}

ITSIM_HOT_INLINE void Station::try_start() {
  if (waiting_ == 0 || busy_ >= capacity_) return;
  start_waiting();
}

ITSIM_HOT_INLINE StationOutcome Station::finish(std::uint32_t server) {
  if (crews_) [[unlikely]] {
    return finish_crew(server);
  }
  Server& srv = servers_[server];
  const std::uint32_t r = srv.record;
  ITSIM_ASSERT(r != no_record);
  Record& rec = records_[r];
  const StationOutcome out{StationOutcome::Kind::completed, rec.job, rec.arrived, rec.first_started,
                           1};
  if (preemptive_) srv.departure = EventId{};
  rec.state = RecordState::free;
  free_records_.push_back(r);
  ++completions_;
  // Hand the server straight to the next waiting job when capacity allows (the busy count
  // does not change); otherwise free it. Under a shrunken shift (busy > capacity) or a
  // closed calendar the server goes idle.
  if (waiting_ > 0 && busy_ <= capacity_ && is_open()) {
    const std::uint32_t next = dequeue();
    ITSIM_ASSERT(next != no_record);
    set_waiting(-1);
    start_service(next, server);
    return out;
  }
  srv.record = no_record;
  free_servers_.push_back(server);
  set_busy(-1);
  try_start();
  return out;
}

ITSIM_HOT_INLINE StationOutcome Station::on_event(const Event& event) {
  if (event.kind == kind_service_end) [[likely]] {
    return finish(static_cast<std::uint32_t>(event.payload & 0xffff'ffffU));
  }
  return on_other_event(event);
}

} // namespace itsim::sim
