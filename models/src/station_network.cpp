// SPDX-License-Identifier: Apache-2.0
#include "itsim/models/station_network.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "itsim/sim/error.hpp"

namespace itsim::models {

using sim::SimDuration;
using sim::SimTime;

namespace {

void validate(const NetworkSpec& spec) {
  auto fail = [](const std::string& msg) { throw ModelError("network: " + msg); };
  if (spec.sources.empty()) fail("needs at least one source");
  if (spec.stations.empty()) fail("needs at least one station");
  if (!(spec.horizon_h > 0) || !std::isfinite(spec.horizon_h)) {
    fail("horizon must be > 0 hours, got " + std::to_string(spec.horizon_h));
  }
  if (!(spec.warmup_h >= 0) || !(spec.warmup_h < spec.horizon_h)) {
    fail("warm-up must be in [0, horizon), got " + std::to_string(spec.warmup_h));
  }
  const std::size_t n = spec.stations.size();
  for (std::size_t i = 0; i < spec.sources.size(); ++i) {
    const SourceSpec& src = spec.sources[i];
    if (src.first_station >= n) {
      fail("sources[" + std::to_string(i) + "].first_station: no station " +
           std::to_string(src.first_station) + " (there are " + std::to_string(n) + ")");
    }
  }
  for (std::size_t s = 0; s < n; ++s) {
    const NetworkStationSpec& st = spec.stations[s];
    const std::string where = "stations[" + std::to_string(s) + "]";
    if (st.service_h.size() != 1 && st.service_h.size() != spec.sources.size()) {
      fail(where + ".service_h: needs 1 or " + std::to_string(spec.sources.size()) +
           " distributions, got " + std::to_string(st.service_h.size()));
    }
    if (!st.routing.empty() && st.routing.size() != n) {
      fail(where + ".routing: needs " + std::to_string(n) + " probabilities, got " +
           std::to_string(st.routing.size()));
    }
    double sum = 0;
    for (std::size_t j = 0; j < st.routing.size(); ++j) {
      const double p = st.routing[j];
      if (!(p >= 0 && p <= 1)) {
        fail(where + ".routing[" + std::to_string(j) + "]: probability must be in [0, 1], got " +
             std::to_string(p));
      }
      sum += p;
    }
    if (sum > 1 + 1e-9) {
      fail(where + ".routing: probabilities sum to " + std::to_string(sum) + ", more than 1");
    }
  }
}

sim::DiscreteChoice routing_choice(const NetworkStationSpec& st, std::size_t n) {
  std::vector<double> weights(n + 1, 0.0);
  double sum = 0;
  for (std::size_t j = 0; j < st.routing.size(); ++j) {
    weights[j] = st.routing[j];
    sum += st.routing[j];
  }
  weights[n] = std::max(0.0, 1.0 - sum);
  return sim::DiscreteChoice(std::move(weights));
}

} // namespace

StationNetwork::StationNetwork(sim::Simulation& sim, NetworkSpec spec)
    : sim_(sim), spec_(std::move(spec)), id_(0), in_system_(sim.now(), 0.0) {
  validate(spec_);
  horizon_ = SimTime::zero() + SimDuration::from_hours(spec_.horizon_h);
  id_ = sim_.add_handler(*this);
  const std::size_t n = spec_.stations.size();
  stations_.reserve(n);
  station_state_.reserve(n);
  for (std::uint32_t s = 0; s < n; ++s) {
    const NetworkStationSpec& st = spec_.stations[s];
    stations_.emplace_back(sim_, id_, s, st.config);
    station_state_.push_back(StationState{
        sim_.stream("service." + st.config.name), sim_.stream("routing." + st.config.name),
        routing_choice(st, n), false, st.service_h.size() == 1 ? &st.service_h[0] : nullptr});
    station_state_.back().always_leaves = station_state_.back().next.probability(n) == 1.0;
  }
  for (const SourceSpec& src : spec_.sources) {
    source_state_.push_back(SourceState{
        sim_.stream("arrivals." + src.name), sim_.stream("patience." + src.name), src.priority,
        src.crew, src.tier, src.process.has_value(), src.patience_h.has_value()});
  }
  classes_.resize(spec_.sources.size());
}

void StationNetwork::start() {
  for (sim::Station& st : stations_)
    st.start();
  for (std::uint32_t i = 0; i < spec_.sources.size(); ++i)
    schedule_next_arrival(i);
  if (spec_.warmup_h > 0) {
    sim_.schedule_at(SimTime::zero() + SimDuration::from_hours(spec_.warmup_h), id_, kind_warmup);
  }
}

// The functions below run per event: ITSIM_HOT_INLINE folds them into handle().

ITSIM_HOT_INLINE void StationNetwork::schedule_next_arrival(std::uint32_t source) {
  const SourceSpec& src = spec_.sources[source];
  SourceState& state = source_state_[source];
  sim::RandomStream& rng = state.arrivals;
  const SimTime next = state.has_process
                           ? src.process->next_after(sim_.now(), rng)
                           : sim_.now() + SimDuration::from_hours(src.interarrival_h.sample(rng));
  if (next <= horizon_) sim_.schedule_at(next, id_, kind_arrival, source);
}

ITSIM_HOT_INLINE std::uint32_t StationNetwork::new_job() {
  if (!free_jobs_.empty()) {
    const std::uint32_t j = free_jobs_.back();
    free_jobs_.pop_back();
    return j;
  }
  jobs_.emplace_back();
  return static_cast<std::uint32_t>(jobs_.size() - 1);
}

ITSIM_HOT_INLINE void StationNetwork::on_arrival(std::uint32_t source) {
  const SourceSpec& src = spec_.sources[source];
  const std::uint32_t j = new_job();
  Job& job = jobs_[j];
  job.created = sim_.now();
  job.wait_h = 0;
  job.source = source;
  job.visits = 0;
  job.patience = SimDuration::max();
  if (source_state_[source].has_patience) {
    job.patience = SimDuration::from_hours(src.patience_h->sample(source_state_[source].patience));
  }
  ++classes_[source].arrivals;
  in_system_.update(sim_.now(), ++in_system_count_);
  send_to(j, src.first_station);
  schedule_next_arrival(source);
}

ITSIM_HOT_INLINE void StationNetwork::send_to(std::uint32_t j, std::uint32_t station) {
  Job& job = jobs_[j];
  StationState& state = station_state_[station];
  const sim::Distribution& service = state.shared_service != nullptr
                                         ? *state.shared_service
                                         : spec_.stations[station].service_h[job.source];
  ++job.visits;
  sim::JobRequest request;
  request.job = j;
  request.work = SimDuration::from_hours(service.sample(state.service));
  const SourceState& source = source_state_[job.source];
  request.priority = source.priority;
  request.crew = source.crew;
  request.tier = source.tier;
  request.patience = job.patience;
  stations_[station].arrive(request);
}

ITSIM_HOT_INLINE void StationNetwork::on_station_outcome(std::uint32_t station,
                                                         const sim::StationOutcome& outcome) {
  Job& job = jobs_[outcome.job];
  if (outcome.kind == sim::StationOutcome::Kind::reneged) {
    ++classes_[job.source].reneged;
    leave(outcome.job);
    return;
  }
  job.wait_h += (outcome.first_started - outcome.arrived).hours_f();
  StationState& state = station_state_[station];
  const std::size_t n = stations_.size();
  const std::size_t next = state.always_leaves ? n : state.next.sample(state.routing);
  if (next < n) {
    send_to(outcome.job, static_cast<std::uint32_t>(next));
    return;
  }
  ClassResults& cls = classes_[job.source];
  ++cls.completed;
  cls.sojourn_h.add((sim_.now() - job.created).hours_f());
  cls.wait_h_total += job.wait_h;
  cls.visits_total += job.visits;
  leave(outcome.job);
}

ITSIM_HOT_INLINE void StationNetwork::leave(std::uint32_t j) {
  in_system_.update(sim_.now(), --in_system_count_);
  free_jobs_.push_back(j);
}

void StationNetwork::reset_statistics() {
  stats_start_ = sim_.now();
  for (ClassResults& c : classes_)
    c = ClassResults{};
  in_system_.reset(sim_.now());
  for (sim::Station& st : stations_)
    st.reset_statistics(sim_.now());
}

void StationNetwork::handle(const sim::Event& event) {
  if (sim::Station::owns(event)) {
    const std::uint32_t s = sim::Station::station_index(event);
    const sim::StationOutcome outcome = stations_[s].on_event(event);
    if (outcome.kind != sim::StationOutcome::Kind::none) on_station_outcome(s, outcome);
    return;
  }
  switch (event.kind) {
  case kind_arrival:
    on_arrival(static_cast<std::uint32_t>(event.payload));
    return;
  case kind_warmup:
    reset_statistics();
    return;
  default:
    throw ModelError("station network: unknown event kind " + std::to_string(event.kind));
  }
}

NetworkResults StationNetwork::results() const {
  const SimTime now = sim_.now();
  NetworkResults r;
  r.classes = classes_;
  r.observed_h = (now - stats_start_).hours_f();
  r.in_system_mean = in_system_.mean(now);
  for (const sim::Station& st : stations_) {
    StationResults s;
    s.name = st.name();
    s.wait_mean_h = st.wait_hours().mean();
    const auto started = st.wait_hours().count();
    s.p_wait =
        started > 0 ? static_cast<double>(st.delayed_starts()) / static_cast<double>(started) : 0.0;
    s.queue_length_mean = st.queue_length().mean(now);
    s.busy_mean = st.busy_servers().mean(now);
    s.utilisation = st.utilisation(now);
    s.arrivals = st.arrivals();
    s.completions = st.completions();
    s.reneges = st.reneges();
    s.preemptions = st.preemptions();
    r.stations.push_back(std::move(s));
  }
  r.events = sim_.events_processed();
  r.fingerprint = sim_.fingerprint();
  return r;
}

NetworkResults run_network(const NetworkSpec& spec, std::uint64_t master_seed,
                           std::uint64_t replication, bool fingerprint) {
  sim::Simulation sim(master_seed, replication);
  if (fingerprint) sim.enable_fingerprint();
  StationNetwork network(sim, spec);
  network.start();
  sim.run_until(SimTime::zero() + SimDuration::from_hours(spec.horizon_h));
  return network.results();
}

} // namespace itsim::models
