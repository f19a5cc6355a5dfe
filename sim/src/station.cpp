// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/station.hpp"

#include <algorithm>
#include <utility>

namespace itsim::sim {

const char* to_string(QueueDiscipline d) {
  switch (d) {
  case QueueDiscipline::fifo:
    return "fifo";
  case QueueDiscipline::priority:
    return "priority";
  case QueueDiscipline::value_density:
    return "value_density";
  }
  return "?";
}

namespace {
// Heap order: the entry that should be served first is at the front: lowest tier, then
// lowest rank, then first arrival.
struct ServedLater {
  template <class Entry> bool operator()(const Entry& a, const Entry& b) const {
    if (a.tier != b.tier) return a.tier > b.tier;
    return a.rank > b.rank || (a.rank == b.rank && a.seq > b.seq);
  }
};
} // namespace

Station::Station(Simulation& sim, HandlerId owner, std::uint32_t index, StationConfig config)
    : sim_(sim), owner_(owner), index_(index), queue_len_(sim.now(), 0.0), busy_tw_(sim.now(), 0.0),
      capacity_tw_(sim.now(), 0.0), config_(std::move(config)) {
  const std::uint32_t max_servers = config_.capacity.max_capacity();
  if (max_servers == 0) {
    throw ModelError("station '" + config_.name + "': needs at least one server, got 0");
  }
  if (config_.preemptive && config_.discipline == QueueDiscipline::fifo) {
    throw ModelError("station '" + config_.name +
                     "': pre-emption needs the priority or value_density discipline, got " +
                     to_string(config_.discipline));
  }
  if (config_.max_crew < 1 || config_.max_crew > 255) {
    throw ModelError("station '" + config_.name + "': max_crew must be 1 to 255, got " +
                     std::to_string(config_.max_crew));
  }
  has_calendar_ = config_.calendar.has_value();
  if (has_calendar_) config_.calendar->enable_memo(); // this station's own copy
  preemptive_ = config_.preemptive;
  heap_queue_ = config_.discipline != QueueDiscipline::fifo;
  crews_ = config_.max_crew > 1;
  plain_start_ = !has_calendar_ && !preemptive_ && !crews_;
  max_crew_ = config_.max_crew;
  servers_.resize(max_servers);
  free_servers_.reserve(max_servers);
  for (std::uint32_t s = max_servers; s-- > 0;)
    free_servers_.push_back(s);
  ring_.resize(16); // a power of two: indices wrap with a mask
  ring_mask_ = ring_.size() - 1;
}

std::uint32_t Station::scheduled_capacity() const {
  const std::int64_t c = std::int64_t{config_.capacity.capacity_at(sim_.now())} + adjustment_;
  return c > 0 ? static_cast<std::uint32_t>(c) : 0U;
}

void Station::adjust_capacity(std::int32_t delta) {
  adjustment_ = delta;
  const std::uint32_t wanted = scheduled_capacity();
  while (servers_.size() < wanted) { // newcomers beyond the schedule's maximum
    free_servers_.insert(free_servers_.begin(), static_cast<std::uint32_t>(servers_.size()));
    servers_.emplace_back();
  }
  capacity_ = wanted;
  capacity_tw_.update(sim_.now(), capacity_);
  try_start();
}

void Station::start() {
  capacity_ = scheduled_capacity();
  capacity_tw_.update(sim_.now(), capacity_);
  const SimTime next = config_.capacity.next_change_after(sim_.now());
  if (next != SimTime::max()) sim_.schedule_at(next, owner_, kind_capacity, payload(0));
}

void Station::reject_request(const JobRequest& request) const {
  if (request.crew < 1 || request.crew > max_crew_) {
    throw ModelError("station '" + config_.name + "': job " + std::to_string(request.job) +
                     " asks for a crew of " + std::to_string(request.crew) +
                     " servers; this station allows 1 to " + std::to_string(max_crew_) +
                     " (StationConfig::max_crew)");
  }
  if (request.work < SimDuration{}) {
    throw ModelError("station '" + config_.name + "': job " + std::to_string(request.job) +
                     " has negative work of " + std::to_string(request.work.count()) + " ms");
  }
  throw ModelError("station '" + config_.name + "': job " + std::to_string(request.job) +
                   " has negative patience of " + std::to_string(request.patience.count()) + " ms");
}

void Station::schedule_patience(std::uint32_t r, SimDuration patience) {
  records_[r].patience = sim_.schedule_cancellable_in(patience, owner_, kind_patience, payload(r));
}

void Station::grow_ring() {
  // Double the ring (sizes stay powers of two), unrolling it so that the head is at 0.
  std::vector<std::uint32_t> bigger(ring_.size() * 2);
  for (std::size_t i = 0; i < ring_size_; ++i)
    bigger[i] = ring_[(ring_head_ + i) & ring_mask_];
  ring_ = std::move(bigger);
  ring_mask_ = ring_.size() - 1;
  ring_head_ = 0;
}

void Station::enqueue_heap(std::uint32_t r) {
  const Record& rec = records_[r];
  heap_.push_back(HeapEntry{rec.rank, rec.seq, r, rec.tier});
  std::push_heap(heap_.begin(), heap_.end(), ServedLater{});
}

std::uint32_t Station::dequeue_heap() {
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), ServedLater{});
    const std::uint32_t r = heap_.back().record;
    heap_.pop_back();
    if (records_[r].state != RecordState::abandoned) return r;
    // Reneged earlier: its entry stayed in the queue (lazy deletion); drop it now.
    records_[r].state = RecordState::free;
    free_records_.push_back(r);
  }
  return no_record;
}

void Station::start_waiting() {
  if (!is_open()) {
    if (!wake_pending_) {
      wake_pending_ = true;
      sim_.schedule_at(config_.calendar->next_working(sim_.now()), owner_, kind_wake, payload(0));
    }
    return;
  }
  while (waiting_ > 0 && busy_ < capacity_) {
    const std::uint32_t r = dequeue();
    ITSIM_ASSERT(r != no_record);
    set_waiting(-1);
    start_service(r, take_server());
  }
}

bool Station::try_preempt(std::uint32_t r) {
  // Victim: the job in service served latest by (tier, rank), the most recently started
  // among equals; it must come strictly after the arrival. Under value density only the
  // tier counts: WSJF orders what starts next but does not interrupt work.
  const bool by_rank = config_.discipline == QueueDiscipline::priority;
  auto later = [by_rank](const Record& a, const Record& b) {
    if (a.tier != b.tier) return a.tier > b.tier;
    return by_rank && a.rank > b.rank;
  };
  const Record& arriving = records_[r];
  std::uint32_t victim = no_record;
  for (std::uint32_t s = 0; s < servers_.size(); ++s) {
    const Server& srv = servers_[s];
    if (srv.record == no_record) continue;
    if (crews_ && srv.lead != s) continue; // a crew is judged once, at its lead
    const Record& in = records_[srv.record];
    if (!later(in, arriving)) continue;
    if (victim == no_record) {
      victim = s;
      continue;
    }
    const Record& worst = records_[servers_[victim].record];
    if (later(in, worst) || (!later(worst, in) && srv.started > servers_[victim].started)) {
      victim = s;
    }
  }
  if (victim == no_record) return false;

  Server& srv = servers_[victim];
  sim_.cancel(srv.departure);
  const std::uint32_t out = srv.record;
  Record& old = records_[out];
  const SimTime now = sim_.now();
  SimDuration left =
      config_.calendar ? config_.calendar->working_between(now, srv.ends) : srv.ends - now;
  if (crews_) {
    // Its remaining work at one server's speed; the crew's other servers are freed, the lead
    // passes to the arrival.
    left = SimDuration::ticks(left.count() * std::int64_t{srv.crew});
    release_crew(victim, true);
  }
  old.work = left;
  old.state = RecordState::preempted;
  ++preemptions_;
  enqueue(out); // keeps its arrival sequence: back at the head of its class
  set_waiting(+1);
  start_service(r, victim); // the server passes straight on: busy count unchanged
  if (crews_) try_start();  // servers of the crew that the arrival did not take
  return true;
}

SimDuration Station::start_crew(std::uint32_t r, std::uint32_t lead) {
  const Record& rec = records_[r];
  servers_[lead].lead = lead;
  std::uint32_t taken = 1;
  std::uint32_t last = lead;
  while (taken < rec.crew && busy_ < capacity_ && !free_servers_.empty()) {
    const std::uint32_t s = take_server();
    servers_[s].record = r;
    servers_[s].lead = lead;
    servers_[last].next = s;
    last = s;
    ++taken;
  }
  servers_[last].next = no_record;
  servers_[lead].crew = taken;
  // Work at one server's speed shared by `taken` servers, rounded up to a whole tick.
  return SimDuration::ticks((rec.work.count() + taken - 1) / taken);
}

void Station::release_crew(std::uint32_t lead, bool keep_lead) {
  std::uint32_t s = keep_lead ? servers_[lead].next : lead;
  std::int64_t freed = 0;
  while (s != no_record) {
    Server& srv = servers_[s];
    const std::uint32_t next = srv.next;
    srv.record = no_record;
    srv.lead = no_record;
    srv.next = no_record;
    free_servers_.push_back(s);
    ++freed;
    s = next;
  }
  if (keep_lead) servers_[lead].next = no_record;
  servers_[lead].crew = 1;
  if (freed > 0) set_busy(-freed);
}

StationOutcome Station::finish_crew(std::uint32_t server) {
  Server& srv = servers_[server];
  const std::uint32_t r = srv.record;
  ITSIM_ASSERT(r != no_record && srv.lead == server);
  Record& rec = records_[r];
  const StationOutcome out{StationOutcome::Kind::completed, rec.job, rec.arrived, rec.first_started,
                           static_cast<std::uint8_t>(srv.crew)};
  if (preemptive_) srv.departure = EventId{};
  rec.state = RecordState::free;
  free_records_.push_back(r);
  ++completions_;
  // Every server of the crew is released at once, then the waiting jobs start in their
  // order, each taking as many of the free servers as its crew allows.
  release_crew(server, false);
  try_start();
  return out;
}

void Station::withdraw_waiting(const std::function<bool(std::uint32_t)>& which,
                               std::vector<std::uint32_t>& out) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> taken; // (seq, record)
  for (std::uint32_t r = 0; r < records_.size(); ++r)
    if (records_[r].state == RecordState::waiting && which(records_[r].job))
      taken.emplace_back(records_[r].seq, r);
  std::sort(taken.begin(), taken.end());
  for (const auto& [seq, r] : taken) {
    Record& rec = records_[r];
    if (rec.patience.valid()) sim_.cancel(rec.patience);
    rec.patience = EventId{};
    rec.state = RecordState::abandoned; // its queue entry is dropped when reached
    set_waiting(-1);
    out.push_back(rec.job);
  }
}

StationOutcome Station::renege(std::uint32_t r) {
  Record& rec = records_[r];
  ITSIM_ASSERT(rec.state == RecordState::waiting);
  rec.state = RecordState::abandoned; // its queue entry is dropped when reached
  rec.patience = EventId{};
  set_waiting(-1);
  ++reneges_;
  return StationOutcome{StationOutcome::Kind::reneged, rec.job, rec.arrived, SimTime{}};
}

StationOutcome Station::on_other_event(const Event& event) {
  const auto low = static_cast<std::uint32_t>(event.payload & 0xffff'ffffU);
  switch (event.kind) {
  case kind_service_end: // handled inline by on_event(); kept for completeness
    return finish(low);
  case kind_patience:
    return renege(low);
  case kind_capacity: {
    capacity_ = scheduled_capacity();
    capacity_tw_.update(sim_.now(), capacity_);
    const SimTime next = config_.capacity.next_change_after(sim_.now());
    if (next != SimTime::max()) sim_.schedule_at(next, owner_, kind_capacity, payload(0));
    try_start();
    return {};
  }
  case kind_wake:
    wake_pending_ = false;
    try_start();
    return {};
  default:
    throw ModelError("station '" + config_.name + "': unknown event kind " +
                     std::to_string(event.kind));
  }
}

void Station::reset_statistics(SimTime now) {
  wait_h_.reset();
  queue_len_.reset(now);
  busy_tw_.reset(now);
  capacity_tw_.reset(now);
  arrivals_ = completions_ = reneges_ = preemptions_ = delayed_starts_ = 0;
}

double Station::utilisation(SimTime now) const {
  const double available = capacity_tw_.integral(now);
  return available > 0 ? busy_tw_.integral(now) / available : 0.0;
}

} // namespace itsim::sim
