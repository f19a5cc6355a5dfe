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
// Heap order: the entry that should be served first is at the front.
bool served_later(double rank_a, std::uint64_t seq_a, double rank_b, std::uint64_t seq_b) {
  return rank_a > rank_b || (rank_a == rank_b && seq_a > seq_b);
}
} // namespace

Station::Station(Simulation& sim, HandlerId owner, std::uint32_t index, StationConfig config)
    : sim_(sim), owner_(owner), index_(index), config_(std::move(config)),
      queue_len_(sim.now(), 0.0), busy_tw_(sim.now(), 0.0), capacity_tw_(sim.now(), 0.0) {
  const std::uint32_t max_servers = config_.capacity.max_capacity();
  if (max_servers == 0) {
    throw ModelError("station '" + config_.name + "': needs at least one server, got 0");
  }
  if (config_.preemptive && config_.discipline != QueueDiscipline::priority) {
    throw ModelError("station '" + config_.name +
                     "': pre-emption needs the priority discipline, got " +
                     to_string(config_.discipline));
  }
  servers_.resize(max_servers);
  free_servers_.reserve(max_servers);
  for (std::uint32_t s = max_servers; s-- > 0;)
    free_servers_.push_back(s);
  ring_.resize(16); // a power of two: indices wrap with a mask
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

std::uint32_t Station::new_record() {
  if (!free_records_.empty()) {
    const std::uint32_t r = free_records_.back();
    free_records_.pop_back();
    return r;
  }
  records_.emplace_back();
  return static_cast<std::uint32_t>(records_.size() - 1);
}

void Station::set_waiting(std::int64_t delta) {
  waiting_ = static_cast<std::uint32_t>(static_cast<std::int64_t>(waiting_) + delta);
  queue_len_.update(sim_.now(), waiting_);
}

void Station::set_busy(std::int64_t delta) {
  busy_ = static_cast<std::uint32_t>(static_cast<std::int64_t>(busy_) + delta);
  busy_tw_.update(sim_.now(), busy_);
}

void Station::arrive(const JobRequest& request) {
  if (request.work < SimDuration{}) {
    throw ModelError("station '" + config_.name + "': job " + std::to_string(request.job) +
                     " has negative work of " + std::to_string(request.work.count()) + " ms");
  }
  if (request.patience < SimDuration{}) {
    throw ModelError("station '" + config_.name + "': job " + std::to_string(request.job) +
                     " has negative patience of " + std::to_string(request.patience.count()) +
                     " ms");
  }
  ++arrivals_;
  const std::uint32_t r = new_record();
  Record& rec = records_[r];
  rec.job = request.job;
  rec.priority = request.priority;
  rec.started = false;
  rec.rank = config_.discipline == QueueDiscipline::priority        ? request.priority
             : config_.discipline == QueueDiscipline::value_density ? -request.value_density
                                                                    : 0.0;
  rec.seq = next_seq_++;
  rec.work = request.work;
  rec.arrived = sim_.now();
  rec.patience = EventId{};

  const bool open = !config_.calendar || config_.calendar->is_working(sim_.now());
  if (open && busy_ < capacity_ && waiting_ == 0) {
    start_service(r, take_server());
    return;
  }
  if (open && config_.preemptive && try_preempt(r)) return;

  rec.state = RecordState::waiting;
  if (request.patience != SimDuration::max()) {
    rec.patience =
        sim_.schedule_cancellable_in(request.patience, owner_, kind_patience, payload(r));
  }
  enqueue(r);
  set_waiting(+1);
  try_start(); // a closed calendar schedules its wake-up here
}

void Station::enqueue(std::uint32_t r) {
  if (config_.discipline == QueueDiscipline::fifo) {
    if (ring_size_ == ring_.size()) {
      // Grow the ring (sizes stay powers of two), unrolling it so that the head is at 0.
      std::vector<std::uint32_t> bigger(ring_.size() * 2);
      for (std::size_t i = 0; i < ring_size_; ++i)
        bigger[i] = ring_[(ring_head_ + i) & (ring_.size() - 1)];
      ring_ = std::move(bigger);
      ring_head_ = 0;
    }
    ring_[(ring_head_ + ring_size_) & (ring_.size() - 1)] = r;
    ++ring_size_;
    return;
  }
  const Record& rec = records_[r];
  heap_.push_back(HeapEntry{rec.rank, rec.seq, r});
  std::push_heap(heap_.begin(), heap_.end(), [](const HeapEntry& a, const HeapEntry& b) {
    return served_later(a.rank, a.seq, b.rank, b.seq);
  });
}

std::uint32_t Station::dequeue() {
  for (;;) {
    std::uint32_t r;
    if (config_.discipline == QueueDiscipline::fifo) {
      if (ring_size_ == 0) return no_record;
      r = ring_[ring_head_];
      ring_head_ = (ring_head_ + 1) & (ring_.size() - 1);
      --ring_size_;
    } else {
      if (heap_.empty()) return no_record;
      std::pop_heap(heap_.begin(), heap_.end(), [](const HeapEntry& a, const HeapEntry& b) {
        return served_later(a.rank, a.seq, b.rank, b.seq);
      });
      r = heap_.back().record;
      heap_.pop_back();
    }
    if (records_[r].state == RecordState::abandoned) {
      // Reneged earlier: its entry stayed in the queue (lazy deletion); drop it now.
      records_[r].state = RecordState::free;
      free_records_.push_back(r);
      continue;
    }
    return r;
  }
}

void Station::try_start() {
  if (waiting_ == 0 || busy_ >= capacity_) return;
  if (config_.calendar && !config_.calendar->is_working(sim_.now())) {
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

std::uint32_t Station::take_server() {
  ITSIM_ASSERT(!free_servers_.empty());
  const std::uint32_t server = free_servers_.back();
  free_servers_.pop_back();
  set_busy(+1);
  return server;
}

void Station::start_service(std::uint32_t r, std::uint32_t server) {
  Record& rec = records_[r];
  const SimTime now = sim_.now();
  if (rec.patience.valid()) {
    sim_.cancel(rec.patience);
    rec.patience = EventId{};
  }
  if (!rec.started) {
    rec.started = true;
    rec.first_started = now;
    wait_h_.add((now - rec.arrived).hours_f());
    if (now > rec.arrived) ++delayed_starts_;
  }
  rec.state = RecordState::in_service;
  const SimTime ends =
      config_.calendar ? config_.calendar->add_working(now, rec.work) : now + rec.work;
  Server& s = servers_[server];
  s.record = r;
  s.started = now;
  s.ends = ends;
  if (config_.preemptive) {
    s.departure = sim_.schedule_cancellable_at(ends, owner_, kind_service_end, payload(server));
  } else {
    sim_.schedule_at(ends, owner_, kind_service_end, payload(server));
  }
}

bool Station::try_preempt(std::uint32_t r) {
  // Victim: the lowest class in service, most recently started among equals.
  std::uint32_t victim = no_record;
  for (std::uint32_t s = 0; s < servers_.size(); ++s) {
    const Server& srv = servers_[s];
    if (srv.record == no_record) continue;
    const Record& in = records_[srv.record];
    if (in.priority <= records_[r].priority) continue;
    if (victim == no_record) {
      victim = s;
      continue;
    }
    const Record& best = records_[servers_[victim].record];
    if (in.priority > best.priority ||
        (in.priority == best.priority && srv.started > servers_[victim].started)) {
      victim = s;
    }
  }
  if (victim == no_record) return false;

  Server& srv = servers_[victim];
  sim_.cancel(srv.departure);
  const std::uint32_t out = srv.record;
  Record& old = records_[out];
  const SimTime now = sim_.now();
  old.work = config_.calendar ? config_.calendar->working_between(now, srv.ends) : srv.ends - now;
  old.state = RecordState::waiting;
  ++preemptions_;
  enqueue(out); // keeps its arrival sequence: back at the head of its class
  set_waiting(+1);
  start_service(r, victim); // the server passes straight on: busy count unchanged
  return true;
}

StationOutcome Station::finish(std::uint32_t server) {
  Server& srv = servers_[server];
  const std::uint32_t r = srv.record;
  ITSIM_ASSERT(r != no_record);
  Record& rec = records_[r];
  StationOutcome out{StationOutcome::Kind::completed, rec.job, rec.arrived, rec.first_started};
  srv.departure = EventId{};
  rec.state = RecordState::free;
  free_records_.push_back(r);
  ++completions_;
  // Hand the server straight to the next waiting job when capacity allows (the busy count
  // does not change); otherwise free it. Under a shrunken shift (busy > capacity) or a
  // closed calendar the server goes idle.
  if (waiting_ > 0 && busy_ <= capacity_ &&
      (!config_.calendar || config_.calendar->is_working(sim_.now()))) {
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

StationOutcome Station::renege(std::uint32_t r) {
  Record& rec = records_[r];
  ITSIM_ASSERT(rec.state == RecordState::waiting);
  rec.state = RecordState::abandoned; // its queue entry is dropped when reached
  rec.patience = EventId{};
  set_waiting(-1);
  ++reneges_;
  return StationOutcome{StationOutcome::Kind::reneged, rec.job, rec.arrived, SimTime{}};
}

StationOutcome Station::on_event(const Event& event) {
  const auto low = static_cast<std::uint32_t>(event.payload & 0xffff'ffffU);
  switch (event.kind) {
  case kind_service_end:
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
