// SPDX-License-Identifier: Apache-2.0
// The coordinator of one run of an operating model: events and the life of items.
// docs/models.md gives the mechanisms' equations; docs/architecture.md the parts.
#include "org_run.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "itsim/sim/error.hpp"
#include "itsim/sim/format.hpp"

namespace itsim::models::detail {

using scenarios::Scenario;
using sim::SimDuration;
using sim::SimTime;

namespace {

std::uint32_t sample_points_of(const Scenario& s, const RunOptions& options) {
  return options.timeseries_step_h > 0 ? series_points(s.horizon_h, options.timeseries_step_h) : 0;
}

} // namespace

OrgRun::OrgRun(const Scenario& s, std::uint32_t model, std::uint64_t replication,
               const RunOptions& options, double warmup_h)
    : s_(s), m_(s.models.at(model)), sim_(s.seed, replication),
      business_(s.calendars.at(1).calendar), horizon_(at_hours(s.horizon_h)),
      warmup_(at_hours(warmup_h)), warmup_h_(warmup_h), money_(MoneyWindow::of(s, warmup_h)),
      demand_(s, s.seed, replication), routing_(s, m_, business_),
      knowledge_(s.mechanisms, s.units.size()), proactive_(s, m_),
      contact_(s, m_, s.seed, replication), chargeback_(s, s.seed, replication),
      value_(s, business_, money_), requesters_(s, business_, money_),
      kpis_(s, business_, warmup_, money_, options.record_items, sample_points_of(s, options),
            options.timeseries_step_h) {
  business_.enable_memo();
  if (options.fingerprint) sim_.enable_fingerprint();
  if (options.interrupt != nullptr) sim_.set_interrupt_flag(options.interrupt);
  id_ = sim_.add_handler(*this);
  if (options.timeseries_step_h > 0)
    sample_step_ = SimDuration::from_hours(options.timeseries_step_h);
  build_stations();
  model_rng_ = sim_.stream("model." + m_.id);
  if (m_.rotation) rotation_.emplace(s_, *m_.rotation, rotating_stations());
}

RunResult OrgRun::run() {
  for (sim::Station& st : stations_)
    st.start();
  for (std::uint32_t i = 0; i < demand_.sources(); ++i)
    schedule_next_arrival(i);
  if (m_.rotation) sim_.schedule_at(at_hours(m_.rotation->period_h), id_, kind_rotation_out);
  if (proactive_.active()) schedule_discovery();
  if (contact_.active()) [[unlikely]]
    for (std::uint32_t i = 0; i < contact_.sources(); ++i)
      schedule_customer(i);
  if (warmup_ > SimTime::zero()) sim_.schedule_at(warmup_, id_, kind_warmup_end);
  if (m_.path) start_path();
  it_cost_per_hour_ = path_ ? path_->cost_from : ValueAccount::staff_cost(m_, money_).per_hour;
  if (kpis_.wants_sample()) sim_.schedule_in(sample_step_, id_, kind_sample);
  sim_.run_until(horizon_);
  return results();
}

void OrgRun::handle(const sim::Event& e) {
  if (sim::Station::owns(e)) {
    const std::uint32_t station = sim::Station::station_index(e);
    const sim::StationOutcome out = stations_[station].on_event(e);
    if (out.kind == sim::StationOutcome::Kind::completed) {
      served(out, station);
    } else if (out.kind == sim::StationOutcome::Kind::reneged) {
      leave_station(items_[out.job]);
      abandon(out.job);
    }
    return;
  }
  switch (e.kind) {
  case kind_arrival:
    arrival(static_cast<std::uint32_t>(e.payload));
    break;
  case kind_enter_stage:
    join_queue(static_cast<std::uint32_t>(e.payload));
    break;
  case kind_rotation_out:
    rotation_out();
    break;
  case kind_rotation_in:
    rotation_in();
    break;
  case kind_discovery:
    discovery();
    break;
  case kind_follow_up:
    follow_up_incident(static_cast<std::uint32_t>(e.payload), ItemOrigin::shadow);
    break;
  case kind_warmup_end:
    warmup_end();
    break;
  case kind_coordinated:
    leave_stage(static_cast<std::uint32_t>(e.payload));
    break;
  case kind_wave:
    wave(static_cast<std::uint32_t>(e.payload));
    break;
  case kind_ramp:
    ramp();
    break;
  case kind_leave:
    if (e.payload == 1) {
      schedule_leave(); // the change starts: the first leaver
    } else {
      leave();
    }
    break;
  case kind_hire:
    hire(static_cast<std::uint32_t>(e.payload));
    break;
  case kind_customer:
    customer_item(static_cast<std::uint32_t>(e.payload));
    break;
  case kind_provider:
    provider_done(static_cast<std::uint32_t>(e.payload));
    break;
  case kind_sample:
    kpis_.sample(sim_.now(), station_totals(), in_flight_, it_cost_per_hour_);
    if (kpis_.wants_sample()) sim_.schedule_in(sample_step_, id_, kind_sample);
    break;
  default:
    throw ModelError("operating model: unknown event kind " + std::to_string(e.kind));
  }
}

// ---- the life of an item ------------------------------------------------------------------

std::uint32_t OrgRun::new_item(const ItemSpec& spec) {
  std::uint32_t id;
  if (!free_items_.empty()) {
    id = free_items_.back();
    free_items_.pop_back();
  } else {
    id = static_cast<std::uint32_t>(items_.size());
    items_.emplace_back();
  }
  ++in_flight_;
  if (in_flight_ > s_.max_open_items) [[unlikely]]
    overloaded();
  peak_in_flight_ = std::max(peak_in_flight_, in_flight_);
  Item& it = items_[id];
  it = Item{};
  it.live = true;
  it.created = sim_.now();
  it.serial = next_serial_++;
  it.counted = kpis_.counts(sim_.now());
  it.rng = spec.rng;
  it.origin = spec.origin;
  it.work_type = it.route = spec.work_type;
  it.unit = it.home_unit = spec.unit;
  if (path_) [[unlikely]] {
    it.structure = structure_of(spec.unit);
    if (it.structure != 0) {
      it.route += static_cast<std::uint32_t>(s_.work_types.size());
    } else {
      ++path_->old_live;
    }
  }
  it.priority = spec.priority;
  it.effort_h = spec.effort_h;
  it.value_week = spec.value_week;
  it.spanning = spec.spanning;
  it.patience_left_h = spec.patience_h;
  it.understanding = s_.mechanisms.base_understanding;
  return id;
}

void OrgRun::overloaded() const {
  throw ModelError("model " + m_.id + ": open items passed limits.max_open_items (" +
                   std::to_string(s_.max_open_items) +
                   ") at t = " + format_double(sim_.now().hours_f(), 6) +
                   "h: the organisation is overloaded; see `itsim validate`");
}

void OrgRun::release(std::uint32_t id) {
  if (path_ && items_[id].structure == 0 && --path_->old_live == 0) [[unlikely]]
    old_structure_done();
  items_[id].live = false;
  free_items_.push_back(id);
  --in_flight_;
}

void OrgRun::schedule_next_arrival(std::uint32_t source) {
  const SimTime next = demand_.next_arrival(source, sim_.now());
  if (next <= horizon_) sim_.schedule_at(next, id_, kind_arrival, source);
}

void OrgRun::arrival(std::uint32_t source) {
  // Every attribute, in a fixed order, whatever the model: common random numbers.
  const Demand::Raised raised = demand_.raise(source);
  schedule_next_arrival(source);
  const std::uint32_t unit = raised.spec.unit;
  const std::vector<double>& self_service =
      structure_of(unit) != 0 ? m_.path->self_service_to : m_.self_service;
  const RaisedFate fate =
      demand_.fate(raised, self_service, rotation_ ? rotation_->self_serve_boost(unit) : 0.0,
                   proactive_.incident_reduction());
  if (chargeback_.active() && chargeback_.forgoes(s_.work_types[raised.spec.work_type].kind,
                                                  fate == RaisedFate::to_it)) [[unlikely]] {
    kpis_.raised(sim_.now(), RaisedFate::forgone);
    forgo(raised.spec);
    return;
  }
  kpis_.raised(sim_.now(), fate);
  if (fate != RaisedFate::to_it) return;
  const std::uint32_t id = new_item(raised.spec);
  go_to_stage(id, routing_.start(items_[id]));
}

void OrgRun::go_to_stage(std::uint32_t id, std::uint32_t stage) {
  Item& it = items_[id];
  const double boost = rotation_ ? rotation_->retention_boost(it.unit) : 0.0;
  bool moved = false;
  if (path_ && it.structure == 0 && path_->moved[it.unit] &&
      path_->plan->in_flight == Scenario::Path::InFlight::move) [[unlikely]] {
    // Work in flight follows its unit to the new structure, through a handoff.
    stage = move_to_new_structure(it, stage);
    moved = true;
    if (--path_->old_live == 0) old_structure_done();
  }
  const SimTime ready = routing_.enter(it, stage, sim_.now(), boost, moved);
  if (ready == sim_.now()) {
    join_queue(id);
  } else if (ready <= horizon_) {
    sim_.schedule_at(ready, id_, kind_enter_stage, id);
  } // else it is still in flight at the end: backlog
}

void OrgRun::join_queue(std::uint32_t id) {
  Item& it = items_[id];
  if (path_ && it.structure == 0 && path_->moved[it.unit] &&
      path_->plan->in_flight == Scenario::Path::InFlight::move) [[unlikely]] {
    go_to_stage(id, it.stage); // its unit moved while it was between stages
    return;
  }
  const Scenario::Stage& st = routing_.stage(it);
  const std::uint32_t station = station_of_[st.pool][it.home_unit];
  if (station == none) {
    throw ModelError("model " + m_.id + ": stage " + st.id + " has no staff");
  }
  if (!route_stations_.empty() && it.visits == 0 && it.origin == ItemOrigin::demand &&
      is_change(s_.work_types[it.work_type].kind) && portfolio_full(it)) [[unlikely]] {
    abandon(id, /*declined=*/true); // the board says no at once: M9 as for one who gave up
    return;
  }
  it.station = station;
  it.stage_ready = sim_.now();
  ++it.visits;
  if (info_[station].provider) [[unlikely]] {
    to_provider(id);
    return;
  }

  // The work of this visit, in working hours of the station's people.
  const StationInfo& info = info_[station];
  const Scenario::Resource& res = m_.resources[info.resource];
  const double k = knowledge_.level(station, it.unit, sim_.now());
  const double work =
      routing_.visit_work(it, st, knowledge_.effort_multiplier(k), res.context_switch);
  const double duration = work / (info.speed * info.productivity);

  sim::JobRequest job;
  job.job = id;
  job.work = SimDuration::from_hours(duration);
  job.priority = it.priority;
  job.crew = static_cast<std::uint8_t>(st.crew);
  // Tickets first: changes are the station's second tier, behind incidents and requests.
  if (res.tickets_first && is_change(s_.work_types[it.work_type].kind)) job.tier = 1;
  if (res.discipline == sim::QueueDiscipline::value_density) {
    // WSJF's rank: value per week (cost of delay) per hour of effort. Work without a
    // value (incidents, requests) goes first, by priority (P1 first): restoring service
    // comes before new value.
    job.value_density =
        it.value_week > 0 ? it.value_week / std::max(it.effort_h, 1e-6) : 1e12 * (4 - it.priority);
  }
  if (it.patience_left_h >= 0) {
    // The requester tolerates so much queueing in all; time in service, handoffs and
    // change boards does not use it up: IT is visibly at work on the item then.
    if (it.patience_left_h <= 0) {
      abandon(id);
      return;
    }
    job.patience = requesters_.patience_deadline(it, sim_.now()) - sim_.now();
  }
  it.work_h = duration;
  it.on_hand_h = work;
  info_[station].on_hand_h += work;
  if (path_) [[unlikely]]
    count_old_work(it, station, 1);
  stations_[station].arrive(job);
}

void OrgRun::leave_station(Item& it) {
  info_[it.station].on_hand_h -= it.on_hand_h;
  it.on_hand_h = 0;
  if (path_) [[unlikely]]
    count_old_work(it, it.station, -1);
}

bool OrgRun::portfolio_full(const Item& it) const {
  for (const std::uint32_t station : route_stations_[it.route][it.unit]) {
    const StationInfo& info = info_[station];
    if (info.on_hand_h * info.clear_h > s_.mechanisms.max_backlog_h) return true;
  }
  return false;
}

void OrgRun::served(const sim::StationOutcome& out, std::uint32_t station) {
  const std::uint32_t id = out.job;
  Item& it = items_[id];
  leave_station(it);
  StationInfo& info = info_[station];
  const Scenario::Resource& res = m_.resources[info.resource];
  // Working hours in service, not the nights in between: the work shared by the crew the
  // item ended with (the same as at its start unless it was pre-empted and resumed).
  const double touched = it.work_h / out.crew;
  it.wait_h += (out.first_started - it.stage_ready).hours_f();
  if (it.patience_left_h >= 0) requesters_.use_patience(it, it.stage_ready, out.first_started);
  it.touch_h += touched;
  if (res.first_line && !it.seen_by_first_line) {
    it.seen_by_first_line = true;
    info.handled += 1; // a ticket, counted once (MetricNet's cost per ticket)
  }
  // Learning counts person-hours: the whole work, whatever the crew.
  if (res.learns) knowledge_.learn(station, it.unit, it.work_h * info.speed, sim_.now());

  const Scenario::Stage& st = routing_.stage(it);
  const double coordination_h = routing_.coordination_wait_h(it, st, touched);
  if (coordination_h > 0) [[unlikely]] {
    // Spanning work at a coordinating stage (M6): the people are free again, and the item
    // waits for the other unit, in the station's working time, before it moves on.
    const SimDuration d = SimDuration::from_hours(coordination_h);
    const auto& calendar = stations_[station].config().calendar;
    const SimTime ready = calendar ? calendar->add_working(sim_.now(), d) : sim_.now() + d;
    it.handoff_h += (ready - sim_.now()).hours_f();
    if (ready <= horizon_) sim_.schedule_at(ready, id_, kind_coordinated, id);
    return; // else it is still in flight at the end
  }
  leave_stage(id);
}

void OrgRun::leave_stage(std::uint32_t id) {
  Item& it = items_[id];
  const std::uint32_t station = it.station;
  const Scenario::Resource& res = m_.resources[info_[station].resource];
  const Scenario::Stage& st = routing_.stage(it);
  if (st.rework_to) {
    if (const auto back = routing_.rework(it, st, knowledge_.level(station, it.unit, sim_.now()))) {
      go_to_stage(id, *back);
      return;
    }
  }
  if (routing_.to_second_team(it, st)) {
    go_to_stage(id, it.stage);
    return;
  }
  const std::uint32_t next = routing_.next_stage(it, st);
  if (next != Scenario::Next::done) {
    go_to_stage(id, next);
    return;
  }
  it.understanding_final =
      routing_.final_understanding(it, knowledge_.level(station, it.unit, sim_.now()));
  deliver(id, res.first_line);
}

[[gnu::flatten]] void OrgRun::deliver(std::uint32_t id, bool first_line) {
  Item& it = items_[id];
  const Scenario::WorkType& wt = s_.work_types[it.work_type];
  const double lead = (sim_.now() - it.created).hours_f();
  if (it.counted) {
    const double score = it.origin == ItemOrigin::demand
                             ? requesters_.perception(wt, lead, sim_.now())
                             : std::numeric_limits<double>::quiet_NaN();
    kpis_.delivered(it, lead, first_line, score, value_.delivered(it, lead, sim_.now()),
                    sim_.now());
  }
  if (it.origin == ItemOrigin::proactive) proactive_.delivered();
  const double change_failure = it.structure != 0 ? m_.path->change_failure_to : m_.change_failure;
  const bool failed =
      is_change(wt.kind) && change_failure > 0 && it.rng.uniform01() < change_failure;
  const std::uint32_t unit = it.unit;
  const bool counted = it.counted;
  release(id);
  if (failed) {
    kpis_.change_failed(counted);
    follow_up_incident(unit, ItemOrigin::change_failure);
  }
}

void OrgRun::abandon(std::uint32_t id, bool declined) {
  Item& it = items_[id];
  const Scenario::WorkType& wt = s_.work_types[it.work_type];
  const double lead = (sim_.now() - it.created).hours_f();
  const Requesters::Abandonment a =
      requesters_.abandoned(it, value_.urgency(wt.urgency, lead, wt.value_life_h), sim_.now());
  // Only what the business asked for is scored (as on delivery); giving up, or being told
  // no, is the worst.
  const double score = it.origin == ItemOrigin::demand ? Requesters::gave_up_score
                                                       : std::numeric_limits<double>::quiet_NaN();
  kpis_.abandoned(it, declined, a.shadow_build, a.money, score, sim_.now());
  if (a.incident_h >= 0) {
    const SimTime when = sim_.now() + SimDuration::from_hours(a.incident_h);
    if (when <= horizon_) sim_.schedule_at(when, id_, kind_follow_up, it.unit);
  }
  release(id);
}

/// An incident the model itself caused (a failed change, a shadow system): P2 for
/// failed changes, P3 otherwise, drawn from the model's stream.
void OrgRun::follow_up_incident(std::uint32_t unit, ItemOrigin origin) {
  if (incident_type_ == none) {
    for (std::uint32_t w = 0; w < s_.work_types.size(); ++w) {
      if (s_.work_types[w].kind == Scenario::WorkKind::incident) {
        incident_type_ = w;
        break;
      }
    }
    if (incident_type_ == none) return; // nothing to raise
  }
  if (origin == ItemOrigin::shadow) kpis_.shadow_incident(sim_.now());
  ItemSpec spec;
  spec.rng.reseed(model_rng_.next_u64());
  spec.origin = origin;
  spec.work_type = incident_type_;
  spec.unit = unit;
  spec.priority = origin == ItemOrigin::change_failure ? 1 : 2;
  spec.effort_h = s_.work_types[incident_type_].effort_h.sample(spec.rng);
  const std::uint32_t id = new_item(spec);
  go_to_stage(id, routing_.start(items_[id]));
}

// ---- external-customer contact (M11) --------------------------------------------------------

void OrgRun::schedule_customer(std::uint32_t source) {
  if (!(contact_.rate_per_h(source) > 0)) return;
  const SimTime next = sim_.now() + SimDuration::from_hours(contact_.next_gap_h(source));
  if (next <= horizon_) sim_.schedule_at(next, id_, kind_customer, source);
}

void OrgRun::customer_item(std::uint32_t source) {
  const ItemSpec spec = contact_.item(source);
  schedule_customer(source);
  kpis_.customer_item(spec.origin, sim_.now());
  const std::uint32_t id = new_item(spec);
  go_to_stage(id, contact_.start_stage(source, routing_.start(items_[id])));
}

// ---- outside providers (M12) ----------------------------------------------------------------

void OrgRun::to_provider(std::uint32_t id) {
  Item& it = items_[id];
  const Scenario::Resource& res = m_.resources[info_[it.station].resource];
  const SimDuration d = SimDuration::from_hours(res.provider_sla.hours.sample(it.rng));
  const SimTime ready = res.provider_sla.base == scenarios::TimeBase::business
                            ? business_.add_working(sim_.now(), d)
                            : sim_.now() + d;
  it.work_h = (ready - sim_.now()).hours_f();
  if (ready <= horizon_) sim_.schedule_at(ready, id_, kind_provider, id);
  // else it is still at the provider at the end
}

void OrgRun::provider_done(std::uint32_t id) {
  Item& it = items_[id];
  StationInfo& info = info_[it.station];
  it.touch_h += it.work_h; // the provider's time is all work as IT sees it: no queue
  if (kpis_.counts(sim_.now())) {
    const double price = m_.resources[info.resource].price_per_ticket;
    info.provider_served += 1;
    kpis_.provider_ticket(price * money_.factor(sim_.now().hours_f()), price);
  }
  leave_stage(id);
}

// ---- chargeback (M13) -----------------------------------------------------------------------

void OrgRun::forgo(const ItemSpec& spec) {
  const std::uint32_t id = new_item(spec);
  Item& it = items_[id];
  const Requesters::Abandonment a =
      requesters_.abandoned(it, 1.0, sim_.now(), chargeback_.build_share());
  kpis_.forgone(it, a.shadow_build, a.money);
  if (a.incident_h >= 0) {
    const SimTime when = sim_.now() + SimDuration::from_hours(a.incident_h);
    if (when <= horizon_) sim_.schedule_at(when, id_, kind_follow_up, it.unit);
  }
  release(id);
}

} // namespace itsim::models::detail
