// SPDX-License-Identifier: Apache-2.0
// One run of one operating model: the organisation simulator. Demand items arrive from the
// business units, flow through the model's routes over its resources (pools and teams),
// and the mechanisms of MODEL.md act on them: handoffs (delay, loss of understanding and
// rework), knowledge (effort penalty, learning, forgetting), rotation, teams with WIP
// limits, proactive work and capabilities, self-service, abandonment into shadow IT, value
// with urgency, cost and perception. docs/models.md gives the equations.
#include "itsim/models/org_model.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <utility>

#include "itsim/analysis/warmup.hpp"
#include "itsim/sim/arrival_process.hpp"
#include "itsim/sim/error.hpp"
#include "itsim/sim/random_stream.hpp"
#include "itsim/sim/simulation.hpp"
#include "itsim/sim/station.hpp"
#include "itsim/sim/statistics.hpp"

namespace itsim::models {

using scenarios::Scenario;
using scenarios::TimeBase;
using sim::SimDuration;
using sim::SimTime;

const std::array<KpiInfo, kpi_count>& kpi_table() {
  static const std::array<KpiInfo, kpi_count> table = {{
      {"demand_generated", "items", "items the business raised (identical across models)"},
      {"arrivals_to_it", "items", "raised items that reached IT (not self-served or prevented)"},
      {"self_served", "items", "raised items the requesters served themselves"},
      {"completed", "items", "items IT delivered (requested, proactive and follow-up work)"},
      {"abandoned", "items", "items whose requester gave up waiting"},
      {"shadow_builds", "items", "abandoned items built outside IT"},
      {"backlog_end", "items", "items still in IT at the end of the run"},
      {"wait_mean_h", "h", "mean time a delivered item spent queueing"},
      {"lead_time_mean_h", "h", "mean time from request to delivery"},
      {"lead_time_p50_h", "h", "median lead time"},
      {"lead_time_p95_h", "h", "95th percentile of lead time"},
      {"first_contact_resolution", "share",
       "tickets (incidents, requests) resolved at their first first-line visit"},
      {"resolved_at_l1", "share", "tickets whose last stage was on a first-line pool"},
      {"handoffs_mean", "handoffs", "mean handoffs per delivered item"},
      {"rework_rate", "share", "delivered items that needed rework at least once"},
      {"flow_efficiency", "share", "touch time over lead time, over delivered items"},
      {"sla_attainment", "share", "tickets resolved within their priority's SLA"},
      {"value_gross", "money", "value delivered by IT (value x quality x urgency)"},
      {"value_lost_to_delay", "money", "value lost to the lead time (cost of delay)"},
      {"downtime_cost", "money", "users' lost time while incidents were open"},
      {"customer_value", "money", "value_gross delivered to customer-facing units"},
      {"cost_total", "money", "IT staff cost plus shadow-IT spend"},
      {"net_value", "money", "value_gross + shadow_value - downtime_cost - cost_total"},
      {"utilisation_mean", "share", "busy over available server-hours, over all resources"},
      {"perception", "score", "mean of min(1, expected / actual lead time), in [0, 1]"},
      {"prevented", "items", "incidents that delivered capabilities prevented"},
      {"proactive_delivered", "items", "items IT discovered itself and delivered"},
      {"change_failures", "items", "delivered changes that raised an incident"},
      {"shadow_incidents", "items", "incidents raised by shadow systems"},
      {"shadow_value", "money", "value of shadow builds"},
      {"shadow_cost", "money", "spend on shadow builds (build and run)"},
      {"shadow_share", "share", "shadow_cost over all IT spend (IT staff and shadow)"},
      {"it_cost", "money", "loaded cost of IT staff over the run"},
      {"cost_per_ticket_l1", "money",
       "first-line staff cost per ticket that reached the first line"},
      {"lead_time_p85_h", "h", "85th percentile of lead time"},
      {"incident_lead_time_p50_h", "h", "median lead time of incidents"},
      {"request_lead_time_p50_h", "h", "median lead time of service requests"},
      {"enhancement_lead_time_p50_h", "h", "median lead time of enhancements"},
      {"project_lead_time_p50_h", "h", "median lead time of projects"},
      {"handoff_time_mean_h", "h",
       "mean time a delivered item spent in handoffs, stage delays and gates"},
      {"touch_time_mean_h", "h", "mean working time spent on a delivered item"},
      {"knowledge_mean", "share", "mean business knowledge K of the doers at the end"},
      {"change_flow_efficiency", "share", "touch time over lead time of enhancements and projects"},
      {"warmup_h", "h", "warm-up deleted: the scenario's, or detected by MSER-5"},
  }};
  return table;
}

const std::array<KpiInfo, series_count>& series_table() {
  static const std::array<KpiInfo, series_count> table = {{
      {"queue_length", "items", "items waiting in IT's queues"},
      {"in_service", "items", "items being worked on (busy servers)"},
      {"backlog", "items", "items in IT: queueing, in service, in handoffs, delays and gates"},
      {"utilisation", "share", "busy over available server-hours since the previous sample"},
      {"value_cumulative", "money",
       "value delivered and built in the shadow since the warm-up (value_gross + shadow_value)"},
      {"net_value_cumulative", "money",
       "net_value accrued since the warm-up: value - downtime - IT staff and shadow cost"},
  }};
  return table;
}

std::uint32_t series_points(double horizon_h, double step_h) {
  if (!(step_h > 0)) return 0;
  // The last sample may sit exactly on the horizon despite rounding in horizon / step.
  return static_cast<std::uint32_t>(std::floor(horizon_h / step_h * (1 + 1e-12)));
}

const char* to_string(ItemOutcome o) {
  switch (o) {
  case ItemOutcome::delivered:
    return "delivered";
  case ItemOutcome::abandoned:
    return "abandoned";
  case ItemOutcome::shadow_build:
    return "shadow_build";
  case ItemOutcome::open:
    break;
  }
  return "open";
}

const char* to_string(ItemOrigin o) {
  switch (o) {
  case ItemOrigin::demand:
    return "demand";
  case ItemOrigin::proactive:
    return "proactive";
  case ItemOrigin::change_failure:
    return "change_failure";
  case ItemOrigin::shadow:
    break;
  }
  return "shadow";
}

namespace {

constexpr double hours_per_month = 8760.0 / 12.0;
constexpr double hours_per_week = 168.0;
/// Paid hours per calendar hour: 40 paid hours a week.
constexpr double paid_share = 40.0 / hours_per_week;
constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

enum Kind : sim::EventKind {
  kind_arrival,      // payload: source
  kind_enter_stage,  // payload: item (after a delay, handoff or gate)
  kind_rotation_out, // a stint starts
  kind_rotation_in,  // a stint ends
  kind_discovery,    // a candidate proactive discovery
  kind_follow_up,    // payload: unit; a shadow system's incident
  kind_warmup_end,
  kind_sample, // the time series' next point
};

bool is_ticket(Scenario::WorkKind k) {
  return k == Scenario::WorkKind::incident || k == Scenario::WorkKind::request;
}
bool is_change(Scenario::WorkKind k) {
  return k == Scenario::WorkKind::enhancement || k == Scenario::WorkKind::project;
}

/// A stream of demand items of one work type from one unit.
struct Source {
  std::uint32_t work_type = 0;
  std::uint32_t unit = 0;
  sim::ArrivalProcess process{0.0};
  sim::RandomStream arrivals{0};
  sim::RandomStream attributes{0};
};

using Origin = ItemOrigin;

/// An item in flight. Its attributes were drawn at creation; its own stream (seeded at
/// creation from the demand) serves the draws made along the way, so that as long as two
/// models treat an item alike they draw alike.
struct Item {
  sim::RandomStream rng{0};
  SimTime created;
  std::uint64_t serial = 0;    // creation order
  double patience_left_h = -1; // queueing the requester still tolerates; < 0: endless
  double work_h = 0;           // working hours of the current visit's service
  SimTime stage_ready;         // when it joined the current stage's queue
  double effort_h = 0;
  double value_week = 0;
  double understanding = 1;       // u0 k^h: what handoffs left of the requirement
  double understanding_final = 1; // with the last doer's knowledge: u of M3 at delivery
  double touch_h = 0;
  double wait_h = 0;
  double handoff_h = 0;
  std::uint32_t work_type = 0;
  std::uint32_t unit = 0;
  std::uint32_t stage = 0;
  std::uint32_t station = 0;   // where it is queued or served
  std::uint32_t home_unit = 0; // unit whose copy serves it (changes for a second team)
  std::uint16_t handoffs = 0;
  std::uint16_t visits = 0;
  std::uint16_t reworks = 0;
  std::uint8_t priority = 2;
  Origin origin = Origin::demand;
  bool spanning = false;
  bool second_team_done = false;
  bool in_rework = false;
  bool seen_by_first_line = false;
  bool counted = false; // created after the warm-up: its outcomes count
  bool live = false;
};

/// A server group: one resource, or one unit's copy of a by-unit resource.
struct StationInfo {
  std::uint32_t resource = 0;
  std::uint32_t unit = none; // none: serves every unit
  double people = 0;         // people x availability
  double speed = 1;          // persons per item: people / servers
  double productivity = 1;   // rotation: newcomers ramping up
  std::uint32_t out = 0;     // on a stint now
  std::uint32_t in = 0;      // business staff in IT now
  /// Experience per unit in person-hours and when it was last decayed (M4).
  std::vector<double> experience;
  std::vector<SimTime> experience_at;
  std::uint32_t servers = 1; // without a rotation under way
  double handled = 0;        // tickets whose first first-line visit ended here
};

class OrgRun final : public sim::EventHandler {
public:
  /// One run with `warmup_h` hours of warm-up deleted.
  OrgRun(const Scenario& s, std::uint32_t model, std::uint64_t replication,
         const RunOptions& options, double warmup_h)
      : s_(s), m_(s.models.at(model)), mech_(s.mechanisms), sim_(s.seed, replication),
        business_(s.calendars.at(1).calendar), record_items_(options.record_items) {
    if (options.fingerprint) sim_.enable_fingerprint();
    if (options.interrupt != nullptr) sim_.set_interrupt_flag(options.interrupt);
    id_ = sim_.add_handler(*this);
    horizon_ = at_hours(s.horizon_h);
    warmup_h_ = warmup_h;
    warmup_ = at_hours(warmup_h);
    if (options.timeseries_step_h > 0) {
      sample_step_ = SimDuration::from_hours(options.timeseries_step_h);
      sample_points_ = series_points(s.horizon_h, options.timeseries_step_h);
      series_.assign(series_count * std::size_t{sample_points_}, 0.0);
    }
    build_stations();
    build_sources();
    model_rng_ = sim_.stream("model." + m_.id);
    unit_retention_boost_.assign(s.units.size(), 0.0);
    unit_self_serve_boost_.assign(s.units.size(), 0.0);
    lead_by_kind_.resize(5);
  }

  std::string_view handler_name() const override { return "operating model"; }

  RunResult run() {
    for (sim::Station& st : stations_)
      st.start();
    for (std::uint32_t i = 0; i < sources_.size(); ++i)
      schedule_next_arrival(i);
    if (m_.rotation) {
      sim_.schedule_at(at_hours(m_.rotation->period_h), id_, kind_rotation_out);
    }
    if (m_.proactive && m_.proactive->rate_per_hour > 0) schedule_discovery();
    if (warmup_ > SimTime::zero()) sim_.schedule_at(warmup_, id_, kind_warmup_end);
    for (const Scenario::Resource& rs : m_.resources)
      it_cost_per_hour_ += rs.people * rs.cost_per_hour * paid_share;
    if (sample_points_ > 0) sim_.schedule_in(sample_step_, id_, kind_sample);
    sim_.run_until(horizon_);
    return results();
  }

  void handle(const sim::Event& e) override {
    if (sim::Station::owns(e)) {
      const std::uint32_t station = sim::Station::station_index(e);
      const sim::StationOutcome out = stations_[station].on_event(e);
      if (out.kind == sim::StationOutcome::Kind::completed) {
        served(out, station);
      } else if (out.kind == sim::StationOutcome::Kind::reneged) {
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
      follow_up_incident(static_cast<std::uint32_t>(e.payload), Origin::shadow);
      break;
    case kind_warmup_end:
      for (sim::Station& st : stations_)
        st.reset_statistics(sim_.now());
      for (StationInfo& info : info_)
        info.handled = 0;
      sampled_busy_ = sampled_capacity_ = 0;
      break;
    case kind_sample:
      sample();
      break;
    default:
      throw ModelError("operating model: unknown event kind " + std::to_string(e.kind));
    }
  }

private:
  static SimTime at_hours(double h) { return SimTime::zero() + SimDuration::from_hours(h); }

  // ---- set-up ---------------------------------------------------------------------------

  void build_stations() {
    const std::size_t n_units = s_.units.size();
    double people_total = 0;
    for (const Scenario::Unit& u : s_.units)
      people_total += u.headcount;
    station_of_.assign(m_.resources.size(), std::vector<std::uint32_t>(n_units, none));
    // Only resources some stage uses get servers; the others (management, say) cost money
    // but take no work.
    std::vector<bool> used(m_.resources.size(), false);
    for (const Scenario::Route& route : m_.routes)
      for (const Scenario::Stage& st : route.stages)
        used[st.pool] = true;
    if (m_.proactive) used[m_.proactive->resource] = true;
    for (std::uint32_t r = 0; r < m_.resources.size(); ++r) {
      const Scenario::Resource& res = m_.resources[r];
      if (!used[r] || !(res.people > 0)) continue; // a used one has people (the loader checks)
      if (res.by_unit) {
        for (std::uint32_t u = 0; u < n_units; ++u) {
          const double share =
              people_total > 0 ? s_.units[u].headcount / people_total : 1.0 / double(n_units);
          if (!(share > 0)) continue;
          const std::uint32_t st = add_station(r, u, res.people * share);
          station_of_[r][u] = st;
        }
        // Units without people (headcount 0) have no copy; their items go to the first.
        const std::uint32_t first = *std::find_if(station_of_[r].begin(), station_of_[r].end(),
                                                  [](std::uint32_t v) { return v != none; });
        for (std::uint32_t& v : station_of_[r])
          if (v == none) v = first;
      } else {
        const std::uint32_t st = add_station(r, none, res.people);
        std::fill(station_of_[r].begin(), station_of_[r].end(), st);
      }
    }
  }

  std::uint32_t add_station(std::uint32_t r, std::uint32_t unit, double people) {
    const Scenario::Resource& res = m_.resources[r];
    StationInfo info;
    info.resource = r;
    info.unit = unit;
    info.people = people * res.availability;
    const double servers_wanted =
        res.wip_limit > 0 ? double(res.wip_limit) : std::round(info.people);
    const auto servers = static_cast<std::uint32_t>(std::max(1.0, servers_wanted));
    info.speed = info.people / servers;
    info.servers = servers;
    info.experience.assign(s_.units.size(), 0.0);
    info.experience_at.assign(s_.units.size(), SimTime::zero());
    sim::StationConfig cfg;
    cfg.name = unit == none ? res.id : res.id + "@" + s_.units[unit].id;
    cfg.capacity = sim::CapacitySchedule::constant(servers);
    if (res.calendar != 0) cfg.calendar = s_.calendars.at(res.calendar).calendar;
    cfg.discipline = res.discipline;
    cfg.preemptive = res.preemptive;
    const auto index = static_cast<std::uint32_t>(stations_.size());
    stations_.emplace_back(sim_, id_, index, std::move(cfg));
    info_.push_back(std::move(info));
    return index;
  }

  void build_sources() {
    for (std::uint32_t w = 0; w < s_.work_types.size(); ++w) {
      const Scenario::WorkType& wt = s_.work_types[w];
      double people = 0;
      for (const std::uint32_t u : wt.units)
        people += s_.units[u].headcount;
      for (const std::uint32_t u : wt.units) {
        const double headcount = s_.units[u].headcount;
        const double rate = wt.per_employee ? wt.rate_per_hour * headcount
                            : people > 0    ? wt.rate_per_hour * headcount / people
                                            : 0.0;
        if (!(rate > 0)) continue;
        Source src;
        src.work_type = w;
        src.unit = u;
        src.process = sim::ArrivalProcess(rate, wt.profile);
        const std::string name = wt.id + "." + s_.units[u].id;
        src.arrivals = sim_.stream("demand.arrivals." + name);
        src.attributes = sim_.stream("demand.items." + name);
        sources_.push_back(std::move(src));
      }
    }
  }

  // ---- demand ---------------------------------------------------------------------------

  void schedule_next_arrival(std::uint32_t i) {
    Source& src = sources_[i];
    const SimTime next = src.process.next_after(sim_.now(), src.arrivals);
    if (next <= horizon_) sim_.schedule_at(next, id_, kind_arrival, i);
  }

  std::uint32_t new_item() {
    std::uint32_t id;
    if (!free_items_.empty()) {
      id = free_items_.back();
      free_items_.pop_back();
    } else {
      id = static_cast<std::uint32_t>(items_.size());
      items_.emplace_back();
    }
    ++in_flight_;
    peak_in_flight_ = std::max(peak_in_flight_, in_flight_);
    Item& it = items_[id];
    it = Item{};
    it.live = true;
    it.created = sim_.now();
    it.serial = next_serial_++;
    it.counted = sim_.now() >= warmup_;
    return id;
  }

  void release(std::uint32_t id) {
    items_[id].live = false;
    free_items_.push_back(id);
    --in_flight_;
  }

  /// Draws priority from a uniform and the mix.
  static std::uint8_t priority_of(const std::array<double, 4>& mix, double u) {
    double acc = 0;
    for (std::uint8_t p = 0; p < 4; ++p) {
      acc += mix[p];
      if (u < acc) return p;
    }
    for (std::uint8_t p = 4; p-- > 0;)
      if (mix[p] > 0) return p;
    return 2;
  }

  void arrival(std::uint32_t source) {
    Source& src = sources_[source];
    const Scenario::WorkType& wt = s_.work_types[src.work_type];
    sim::RandomStream& a = src.attributes;
    // Every attribute, in a fixed order, whatever the model: common random numbers.
    const double u_priority = a.uniform01();
    const double effort = wt.effort_h.sample(a);
    const double value = wt.value_per_week ? wt.value_per_week->sample(a) : 0.0;
    const double patience = wt.patience ? wt.patience->hours.sample(a) : -1.0;
    const bool spanning = a.uniform01() < wt.spanning_share;
    const double u_self = a.uniform01();
    const double u_prevent = a.uniform01();
    const std::uint64_t seed = a.next_u64();
    schedule_next_arrival(source);

    const bool counted = sim_.now() >= warmup_;
    if (counted) ++k_demand_;
    double self_share = m_.self_service[src.work_type];
    if (wt.kind == Scenario::WorkKind::request) self_share += unit_self_serve_boost_[src.unit];
    if (u_self < self_share) {
      if (counted) ++k_self_served_;
      return;
    }
    if (wt.kind == Scenario::WorkKind::incident && u_prevent < incident_reduction_) {
      if (counted) ++k_prevented_;
      return;
    }
    if (counted) ++k_arrivals_it_;

    const std::uint32_t id = new_item();
    Item& it = items_[id];
    it.rng.reseed(seed);
    it.work_type = src.work_type;
    it.unit = it.home_unit = src.unit;
    it.priority = priority_of(wt.priority_mix, u_priority);
    it.effort_h = effort;
    it.value_week = value;
    it.spanning = spanning;
    it.patience_left_h = patience;
    start_route(id);
  }

  SimTime deadline_after(double hours, TimeBase base) const {
    const SimDuration d = SimDuration::from_hours(hours);
    if (base == TimeBase::business) return business_.add_working(sim_.now(), d);
    return sim_.now() + d;
  }

  void start_route(std::uint32_t id) {
    Item& it = items_[id];
    it.understanding = mech_.base_understanding;
    go_to_stage(id, m_.routes[it.work_type].start);
  }

  // ---- flow -----------------------------------------------------------------------------

  void go_to_stage(std::uint32_t id, std::uint32_t stage) {
    Item& it = items_[id];
    const Scenario::Route& route = m_.routes[it.work_type];
    const Scenario::Stage& st = route.stages[stage];
    it.stage = stage;
    SimTime ready = sim_.now();
    if (st.delay) {
      const SimDuration d = SimDuration::from_hours(st.delay->hours.sample(it.rng));
      ready = st.delay->base == TimeBase::business ? business_.add_working(ready, d) : ready + d;
    }
    if (st.handoff) {
      const SimDuration d = SimDuration::from_hours(mech_.handoff_delay.hours.sample(it.rng));
      ready = mech_.handoff_delay.base == TimeBase::business ? business_.add_working(ready, d)
                                                             : ready + d;
      if (!it.in_rework) {
        ++it.handoffs;
        it.understanding *= handoff_retention(it.unit);
      }
    }
    if (st.gate_every_h > 0) {
      const double t = ready.hours_f() - st.gate_offset_h;
      const double n = std::ceil(t / st.gate_every_h);
      const SimTime gate = at_hours(std::max(0.0, n) * st.gate_every_h + st.gate_offset_h);
      if (gate > ready) ready = gate;
    }
    it.handoff_h += (ready - sim_.now()).hours_f();
    if (ready == sim_.now()) {
      join_queue(id);
    } else if (ready <= horizon_) {
      sim_.schedule_at(ready, id_, kind_enter_stage, id);
    } // else it is still in flight at the end: backlog
  }

  /// The item queued from `from` to `to`: that much of the requester's patience is used up.
  void use_patience(Item& it, SimTime from, SimTime to) const {
    const bool business = s_.work_types[it.work_type].patience->base == TimeBase::business;
    const double waited =
        business ? business_.working_between(from, to).hours_f() : (to - from).hours_f();
    it.patience_left_h = std::max(0.0, it.patience_left_h - waited);
  }

  double handoff_retention(std::uint32_t unit) const {
    return std::min(1.0, mech_.handoff_retention + unit_retention_boost_[unit]);
  }

  std::uint32_t station_for(const Item& it, const Scenario::Stage& st) const {
    return station_of_[st.pool][it.home_unit];
  }

  void join_queue(std::uint32_t id) {
    Item& it = items_[id];
    const Scenario::Stage& st = m_.routes[it.work_type].stages[it.stage];
    const std::uint32_t station = station_for(it, st);
    if (station == none) {
      throw ModelError("model " + m_.id + ": stage " + st.id + " has no staff");
    }
    it.station = station;
    it.stage_ready = sim_.now();
    ++it.visits;

    // The work of this visit, in working hours of the station's people.
    double work = st.service_h ? st.service_h->sample(it.rng) : it.effort_h * st.effort_share;
    if (it.in_rework) work *= mech_.rework_effort_share;
    const StationInfo& info = info_[station];
    const Scenario::Resource& res = m_.resources[info.resource];
    work *= 1 + mech_.effort_penalty * (1 - knowledge(station, it.unit));
    if (res.context_switch) work *= 1 + mech_.context_switch_cost;
    if (it.spanning && st.spanning == Scenario::Spanning::coordinate) {
      work *= mech_.coordination_factor;
    }
    const double duration = work / (info.speed * info.productivity);

    sim::JobRequest job;
    job.job = id;
    job.work = SimDuration::from_hours(duration);
    job.priority = it.priority;
    if (res.discipline == sim::QueueDiscipline::value_density) {
      job.value_density = value_density(it);
    }
    if (it.patience_left_h >= 0) {
      // The requester tolerates so much queueing in all (Erlang A's patience, over the whole
      // route); time in service, handoffs and change boards does not use it up: IT is
      // visibly at work on the item then.
      if (it.patience_left_h <= 0) {
        abandon(id);
        return;
      }
      const TimeBase base = s_.work_types[it.work_type].patience->base;
      job.patience = deadline_after(it.patience_left_h, base) - sim_.now();
    }
    it.work_h = duration;
    stations_[station].arrive(job);
  }

  /// WSJF's rank: value per week (cost of delay) per hour of effort. Work without a value
  /// (incidents, requests) goes first, by priority (P1 first): restoring service comes
  /// before new value.
  static double value_density(const Item& it) {
    if (it.value_week > 0) return it.value_week / std::max(it.effort_h, 1e-6);
    return 1e12 * (4 - it.priority);
  }

  void served(const sim::StationOutcome& out, std::uint32_t station) {
    const std::uint32_t id = out.job;
    Item& it = items_[id];
    const StationInfo& info = info_[station];
    const Scenario::Resource& res = m_.resources[info.resource];
    const double waited = (out.first_started - it.stage_ready).hours_f();
    const double touched = it.work_h; // working hours, not the nights in between
    it.wait_h += waited;
    if (it.patience_left_h >= 0) use_patience(it, it.stage_ready, out.first_started);
    it.touch_h += touched;
    if (res.first_line && !it.seen_by_first_line) {
      it.seen_by_first_line = true;
      info_[station].handled += 1; // a ticket, counted once (MetricNet's cost per ticket)
    }
    if (res.learns) learn(station, it.unit, touched * info.speed);

    const Scenario::Route& route = m_.routes[it.work_type];
    const Scenario::Stage& st = route.stages[it.stage];

    if (st.rework_to) {
      const double u =
          it.understanding * (1 - mech_.knowledge_weight * (1 - knowledge(station, it.unit)));
      if (it.rng.uniform01() >= u) {
        ++it.reworks;
        it.in_rework = true;
        go_to_stage(id, *st.rework_to);
        return;
      }
      it.in_rework = false;
    }
    if (it.spanning && st.spanning == Scenario::Spanning::second_team && !it.second_team_done) {
      it.second_team_done = true;
      it.home_unit = (it.home_unit + 1) % static_cast<std::uint32_t>(s_.units.size());
      go_to_stage(id, it.stage);
      return;
    }
    it.home_unit = it.unit;

    // Next stage: one uniform from the item's stream against the routing row.
    const double u = st.next.size() == 1 ? 0.0 : it.rng.uniform01();
    double acc = 0;
    std::uint32_t next = Scenario::Next::done;
    for (const Scenario::Next& n : st.next) {
      acc += n.probability;
      next = n.stage;
      if (u < acc) break;
    }
    if (next != Scenario::Next::done) {
      go_to_stage(id, next);
      return;
    }
    it.understanding_final =
        it.understanding * (1 - mech_.knowledge_weight * (1 - knowledge(station, it.unit)));
    deliver(id, res.first_line);
  }

  // ---- knowledge (M4) --------------------------------------------------------------------

  /// Decays a station's experience for a unit to now (monthly retention).
  void decay(std::uint32_t station, std::uint32_t unit) {
    StationInfo& info = info_[station];
    const double months = (sim_.now() - info.experience_at[unit]).hours_f() / hours_per_month;
    if (months > 0 && info.experience[unit] > 0) {
      info.experience[unit] *= std::pow(mech_.monthly_retention, months);
    }
    info.experience_at[unit] = sim_.now();
  }

  void learn(std::uint32_t station, std::uint32_t unit, double person_hours) {
    decay(station, unit);
    info_[station].experience[unit] += person_hours;
  }

  /// K = 1 - (1 - K0) (1 + e / learning_hours)^log2(progress ratio), e the experience per
  /// person: Wright's curve applied to the gap in knowledge.
  double knowledge(std::uint32_t station, std::uint32_t unit) {
    const StationInfo& info = info_[station];
    const double k0 = m_.resources[info.resource].knowledge;
    if (info.experience[unit] <= 0) return k0;
    decay(station, unit);
    const double per_person = info.experience[unit] / std::max(info.people, 1e-9);
    const double b = std::log2(mech_.progress_ratio);
    return 1 - (1 - k0) * std::pow(1 + per_person / mech_.learning_hours, b);
  }

  // ---- outcomes -------------------------------------------------------------------------

  void deliver(std::uint32_t id, bool first_line) {
    Item& it = items_[id];
    const Scenario::WorkType& wt = s_.work_types[it.work_type];
    const double lead = (sim_.now() - it.created).hours_f();
    if (it.counted) {
      ++k_completed_;
      if (it.origin == Origin::proactive) ++k_proactive_;
      lead_.add(lead);
      lead_by_kind_[static_cast<std::size_t>(wt.kind)].add(lead);
      wait_.add(it.wait_h);
      handoffs_.add(it.handoffs);
      handoff_time_.add(it.handoff_h);
      touch_.add(it.touch_h);
      touch_total_ += it.touch_h;
      lead_total_ += lead;
      if (is_change(wt.kind)) {
        change_touch_ += it.touch_h;
        change_lead_ += lead;
      }
      if (it.reworks > 0) ++k_reworked_;
      double sla_met = std::numeric_limits<double>::quiet_NaN();
      if (is_ticket(wt.kind)) {
        ++k_tickets_;
        if (first_line) ++k_resolved_l1_;
        if (first_line && it.visits == 1) ++k_fcr_;
        const std::size_t p = it.priority;
        const double target = mech_.sla_h[p];
        const double took = mech_.sla_base[p] == TimeBase::business
                                ? business_.working_between(it.created, sim_.now()).hours_f()
                                : lead;
        sla_met = took <= target ? 1.0 : 0.0;
        if (took <= target) ++k_sla_met_;
      }
      if (it.origin == Origin::demand) {
        const double expected = expected_lead(wt);
        perception_.add(lead > 0 ? std::min(1.0, expected / lead) : 1.0);
      }
      const double value = account_value(it, lead, wt);
      if (record_items_) record(it, ItemOutcome::delivered, value, sla_met);
    }
    if (it.origin == Origin::proactive && m_.incident_reduction_per_item > 0) {
      incident_reduction_ =
          std::min(m_.max_incident_reduction, incident_reduction_ + m_.incident_reduction_per_item);
    }
    const bool failed =
        is_change(wt.kind) && m_.change_failure > 0 && it.rng.uniform01() < m_.change_failure;
    const std::uint32_t unit = it.unit;
    const bool counted = it.counted;
    release(id);
    if (failed) {
      if (counted) ++k_change_failures_;
      follow_up_incident(unit, Origin::change_failure);
    }
  }

  /// The expectation of lead time for a work type now: it shrinks as expectations rise.
  double expected_lead(const Scenario::WorkType& wt) const {
    const double years = sim_.now().hours_f() / 8760.0;
    double hours = wt.expected_lead_h;
    if (wt.expected_lead_base == TimeBase::business) {
      hours *= hours_per_week / business_.working_per_week().hours_f();
    }
    return hours / std::pow(1 + mech_.expectation_rise_per_year, years);
  }

  double urgency_factor(Scenario::Urgency u, double lead_h, double life_h) const {
    switch (u) {
    case Scenario::Urgency::linear:
      return std::max(0.0, 1 - lead_h / life_h);
    case Scenario::Urgency::decaying:
      return std::exp2(-lead_h / mech_.decay_half_life_h);
    case Scenario::Urgency::fixed_date:
      return lead_h <= mech_.deadline_h ? 1.0 : 0.0;
    case Scenario::Urgency::none:
      break;
    }
    return 1.0;
  }

  /// Adds the item's downtime cost and value to the KPIs; returns the value it realised.
  double account_value(const Item& it, double lead, const Scenario::WorkType& wt) {
    const bool customer = s_.units[it.unit].customer_facing;
    if (wt.kind == Scenario::WorkKind::incident) {
      const double hours = business_.working_between(it.created, sim_.now()).hours_f();
      double cost = mech_.users_affected[it.priority] * mech_.user_hour_cost * hours;
      if (customer) cost *= mech_.customer_facing_factor;
      downtime_cost_ += cost;
    }
    if (it.value_week <= 0) return 0;
    const double potential = it.value_week * wt.value_life_h / hours_per_week;
    const double q = 1 - mech_.quality_loss * (1 - it.understanding_final);
    const double d = urgency_factor(wt.urgency, lead, wt.value_life_h);
    value_gross_ += potential * q * d;
    value_lost_ += potential * q * (1 - d);
    if (customer) customer_value_ += potential * q * d;
    return potential * q * d;
  }

  /// Keeps what happened to a counted item (RunOptions::record_items).
  void record(const Item& it, ItemOutcome outcome, double value, double sla_met) {
    ItemRecord r;
    r.serial = it.serial;
    r.created_h = it.created.hours_f();
    r.finished_h = outcome == ItemOutcome::open ? std::numeric_limits<double>::quiet_NaN()
                                                : sim_.now().hours_f();
    r.wait_h = it.wait_h;
    r.touch_h = it.touch_h;
    r.handoff_h = it.handoff_h;
    r.value = value;
    r.sla_met = sla_met;
    r.work_type = it.work_type;
    r.unit = it.unit;
    r.handoffs = it.handoffs;
    r.reworks = it.reworks;
    r.visits = it.visits;
    r.priority = it.priority;
    r.outcome = outcome;
    r.origin = it.origin;
    items_out_.push_back(r);
  }

  /// The next point of every time series.
  void sample() {
    double waiting = 0, busy = 0, busy_h = 0, capacity_h = 0;
    for (const sim::Station& st : stations_) {
      waiting += st.waiting();
      busy += st.busy();
      busy_h += st.busy_servers().integral(sim_.now());
      capacity_h += st.capacity_level().integral(sim_.now());
    }
    const double d_capacity = capacity_h - sampled_capacity_;
    const double measured_h = sim_.now() > warmup_ ? (sim_.now() - warmup_).hours_f() : 0.0;
    const double value = value_gross_ + shadow_value_;
    const std::array<double, series_count> point = {
        waiting,
        busy,
        double(in_flight_),
        d_capacity > 0 ? (busy_h - sampled_busy_) / d_capacity : 0.0,
        value,
        value - downtime_cost_ - shadow_cost_ - it_cost_per_hour_ * measured_h,
    };
    sampled_busy_ = busy_h;
    sampled_capacity_ = capacity_h;
    for (std::size_t k = 0; k < series_count; ++k)
      series_[k * sample_points_ + sampled_] = point[k];
    if (++sampled_ < sample_points_) sim_.schedule_in(sample_step_, id_, kind_sample);
  }

  void abandon(std::uint32_t id) {
    Item& it = items_[id];
    const Scenario::WorkType& wt = s_.work_types[it.work_type];
    const bool counted = it.counted;
    if (counted) ++k_abandoned_;
    // Only work with a business value is built outside IT; a given-up ticket is dropped.
    const bool build = it.value_week > 0 && it.rng.uniform01() < mech_.shadow_build_share;
    const std::uint32_t unit = it.unit;
    if (counted && record_items_ && !build) {
      record(it, ItemOutcome::abandoned, 0, std::numeric_limits<double>::quiet_NaN());
    }
    if (build) {
      if (counted) {
        ++k_shadow_builds_;
        const double lead = (sim_.now() - it.created).hours_f();
        const double potential = it.value_week * wt.value_life_h / hours_per_week;
        const double value = potential * mech_.shadow_value_share *
                             urgency_factor(wt.urgency, lead, wt.value_life_h);
        shadow_value_ += value;
        if (record_items_) {
          record(it, ItemOutcome::shadow_build, value, std::numeric_limits<double>::quiet_NaN());
        }
        // Like value (counted over the item's life when delivered), a shadow system's
        // running cost is counted over its life when it is built.
        shadow_cost_ += it.effort_h * mech_.shadow_cost_factor * mech_.effort_cost_rate +
                        mech_.shadow_run_cost_per_week * wt.value_life_h / hours_per_week;
      }
      // A shadow system fails more often: a follow-up incident within half a year on
      // average per unit of incident_factor.
      if (mech_.shadow_incident_factor > 0) {
        const double mean_h = 26 * hours_per_week / mech_.shadow_incident_factor;
        const SimTime when =
            sim_.now() + SimDuration::from_hours(-mean_h * std::log(it.rng.uniform_open01()));
        if (when <= horizon_) sim_.schedule_at(when, id_, kind_follow_up, unit);
      }
    }
    release(id);
  }

  /// An incident the model itself caused (a failed change, a shadow system): P2 for
  /// failed changes, P3 otherwise, drawn from the model's stream.
  void follow_up_incident(std::uint32_t unit, Origin origin) {
    if (incident_type_ == none) {
      for (std::uint32_t w = 0; w < s_.work_types.size(); ++w) {
        if (s_.work_types[w].kind == Scenario::WorkKind::incident) {
          incident_type_ = w;
          break;
        }
      }
      if (incident_type_ == none) return; // nothing to raise
    }
    if (origin == Origin::shadow && sim_.now() >= warmup_) ++k_shadow_incidents_;
    const Scenario::WorkType& wt = s_.work_types[incident_type_];
    const std::uint32_t id = new_item();
    Item& it = items_[id];
    it.rng.reseed(model_rng_.next_u64());
    it.origin = origin;
    it.work_type = incident_type_;
    it.unit = it.home_unit = unit;
    it.priority = origin == Origin::change_failure ? 1 : 2;
    it.effort_h = wt.effort_h.sample(it.rng);
    start_route(id);
  }

  // ---- rotation (M5) ----------------------------------------------------------------------

  void rotation_out() {
    const Scenario::Rotation& r = *m_.rotation;
    std::vector<std::uint32_t> rotating;
    std::vector<double> headcount; // people on the payroll, before availability
    double people = 0;
    for (std::uint32_t st = 0; st < info_.size(); ++st) {
      if (std::find(r.resources.begin(), r.resources.end(), info_[st].resource) !=
          r.resources.end()) {
        rotating.push_back(st);
        headcount.push_back(info_[st].people / m_.resources[info_[st].resource].availability);
        people += headcount.back();
      }
    }
    // it_share of the rotating staff go out and business_staff come in, both spread over
    // the rotating stations by headcount (largest remainder), so the totals are exact.
    const auto out_total = static_cast<std::uint32_t>(std::lround(r.it_share * people));
    const std::vector<std::uint32_t> out = spread(out_total, headcount);
    const std::vector<std::uint32_t> in = spread(r.business_staff, headcount);
    stint_start_ = sim_.now();
    for (std::size_t i = 0; i < rotating.size(); ++i) {
      StationInfo& info = info_[rotating[i]];
      info.out = std::min(out[i], static_cast<std::uint32_t>(std::floor(headcount[i])));
      info.in = in[i];
      apply_rotation(rotating[i]);
    }
    rotating_ = std::move(rotating);
    sim_.schedule_in(SimDuration::from_hours(r.stint_h), id_, kind_rotation_in);
  }

  /// `total` whole people shared in proportion to `weights` by largest remainder.
  static std::vector<std::uint32_t> spread(std::uint32_t total,
                                           const std::vector<double>& weights) {
    std::vector<std::uint32_t> out(weights.size(), 0);
    double sum = 0;
    for (const double w : weights)
      sum += w;
    if (weights.empty() || !(sum > 0)) return out;
    std::vector<std::pair<double, std::size_t>> rest;
    std::uint32_t given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      const double exact = total * weights[i] / sum;
      out[i] = static_cast<std::uint32_t>(exact);
      given += out[i];
      rest.emplace_back(exact - out[i], i);
    }
    std::stable_sort(rest.begin(), rest.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; given < total && k < rest.size(); ++k, ++given)
      ++out[rest[k].second];
    return out;
  }

  /// Newcomers' mean productivity over a stint: a straight ramp from ramp_from to ramp_to
  /// over ramp_h, flat after. (A service time is fixed when the item joins the queue, so
  /// the stint's mean stands for the ramp.)
  double newcomer_productivity() const {
    const Scenario::Rotation& r = *m_.rotation;
    if (!(r.ramp_h > 0)) return r.ramp_to;
    if (r.stint_h <= r.ramp_h)
      return r.ramp_from + (r.ramp_to - r.ramp_from) * r.stint_h / (2 * r.ramp_h);
    return ((r.ramp_from + r.ramp_to) / 2 * r.ramp_h + r.ramp_to * (r.stint_h - r.ramp_h)) /
           r.stint_h;
  }

  /// A stint's staffing of one station: `out` of its people away and `in` newcomers, both
  /// at the resource's availability. Without a WIP limit the servers follow the people
  /// (rounded, at least one) and the newcomers' ramp slows the work; with one, the servers
  /// stay and the people per item change.
  void apply_rotation(std::uint32_t station) {
    StationInfo& info = info_[station];
    const Scenario::Resource& res = m_.resources[info.resource];
    const double away = info.out * res.availability;
    const double joined = info.in * res.availability;
    const double staff = std::max(info.people - away + joined, 1e-9);
    const double working =
        std::max(info.people - away + joined * (info.in > 0 ? newcomer_productivity() : 0), 1e-9);
    if (res.wip_limit > 0) {
      info.productivity = working / info.people;
      stations_[station].adjust_capacity(0);
    } else {
      const double servers = std::max(1.0, std::round(staff));
      info.productivity = (working / servers) / info.speed;
      stations_[station].adjust_capacity(static_cast<std::int32_t>(servers) -
                                         static_cast<std::int32_t>(info.servers));
    }
  }

  void rotation_in() {
    const Scenario::Rotation& r = *m_.rotation;
    const double stint_work_h = business_.working_between(stint_start_, sim_.now()).hours_f();
    double people_total = 0;
    for (const Scenario::Unit& u : s_.units)
      people_total += u.headcount;
    for (const std::uint32_t st : rotating_) {
      StationInfo& info = info_[st];
      // IT staff back from the business: experience for every unit by headcount share,
      // at learning_multiplier times the rate of work done from IT.
      if (info.out > 0) {
        for (std::uint32_t u = 0; u < s_.units.size(); ++u) {
          const double share =
              info.unit == none ? s_.units[u].headcount / people_total : (u == info.unit ? 1 : 0);
          learn(st, u, info.out * stint_work_h * share * r.learning_multiplier);
        }
      }
      info.out = info.in = 0;
      info.productivity = 1;
      stations_[st].adjust_capacity(0);
    }
    // Business staff back in their units: the units they came from (by headcount, largest
    // first) keep clearer requirements and serve some requests themselves.
    std::vector<std::uint32_t> order(s_.units.size());
    for (std::uint32_t u = 0; u < order.size(); ++u)
      order[u] = u;
    std::stable_sort(order.begin(), order.end(), [this](std::uint32_t a, std::uint32_t b) {
      return s_.units[a].headcount > s_.units[b].headcount;
    });
    const std::size_t units_reached = std::min<std::size_t>(r.business_staff, order.size());
    for (std::size_t i = 0; i < units_reached; ++i) {
      unit_retention_boost_[order[i]] = r.retention_boost;
      unit_self_serve_boost_[order[i]] = r.self_serve_boost;
    }
    rotating_.clear();
    const SimTime next = stint_start_ + SimDuration::from_hours(r.period_h);
    if (next <= horizon_) sim_.schedule_at(next, id_, kind_rotation_out);
  }

  // ---- proactive work (M7) -----------------------------------------------------------------

  void schedule_discovery() {
    const double rate = m_.proactive->rate_per_hour;
    const SimDuration gap = SimDuration::from_hours(-std::log(model_rng_.uniform_open01()) / rate);
    if (sim_.now() + gap <= horizon_) sim_.schedule_in(gap, id_, kind_discovery);
  }

  /// Thinning: a candidate becomes an item with probability K x slack of the discovering
  /// resource (mean knowledge over units, share of idle servers now).
  void discovery() {
    const Scenario::Proactive& p = *m_.proactive;
    double k = 0, idle = 0, capacity = 0;
    std::size_t copies = 0;
    std::uint32_t pick = 0;
    for (std::uint32_t st = 0; st < info_.size(); ++st) {
      if (info_[st].resource != p.resource) continue;
      const std::uint32_t unit = info_[st].unit == none ? 0 : info_[st].unit;
      k += knowledge(st, unit);
      ++copies;
      capacity += stations_[st].capacity();
      idle += std::max(0.0, double(stations_[st].capacity()) - stations_[st].busy() -
                                stations_[st].waiting());
    }
    const double u = model_rng_.uniform01();
    const double u_unit = model_rng_.uniform01();
    schedule_discovery();
    if (copies == 0 || !(capacity > 0)) return;
    const double accept = (k / double(copies)) * (idle / capacity);
    if (u >= accept) return;
    // The unit: one of the resource's units, by headcount.
    double total = 0;
    for (const Scenario::Unit& un : s_.units)
      total += un.headcount;
    double acc = 0;
    for (std::uint32_t un = 0; un < s_.units.size(); ++un) {
      acc += s_.units[un].headcount / total;
      pick = un;
      if (u_unit < acc) break;
    }
    const Scenario::WorkType& wt = s_.work_types[p.work_type];
    const std::uint32_t id = new_item();
    Item& it = items_[id];
    it.rng.reseed(model_rng_.next_u64());
    it.origin = Origin::proactive;
    it.work_type = p.work_type;
    it.unit = it.home_unit = pick;
    it.priority = priority_of(wt.priority_mix, it.rng.uniform01());
    it.effort_h = wt.effort_h.sample(it.rng);
    it.value_week = (wt.value_per_week ? wt.value_per_week->sample(it.rng) : 0.0) * p.value_factor;
    start_route(id);
  }

  // ---- results ----------------------------------------------------------------------------

  RunResult results() {
    RunResult r;
    auto set = [&r](Kpi k, double v) { r.kpi[static_cast<std::size_t>(k)] = v; };
    auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
    auto q = [](const sim::QuantileSample& qs, double p) {
      return qs.count() > 0 ? qs.quantile(p) : 0.0;
    };
    const double measured_h = (horizon_ - warmup_).hours_f();

    double it_cost = 0, l1_cost = 0, l1_handled = 0;
    double busy = 0, available = 0, k_sum = 0;
    std::size_t k_n = 0;
    r.resources.resize(m_.resources.size());
    for (std::uint32_t res = 0; res < m_.resources.size(); ++res) {
      const Scenario::Resource& rs = m_.resources[res];
      r.resources[res].id = rs.id;
      const double cost = rs.people * rs.cost_per_hour * measured_h * paid_share;
      it_cost += cost;
      if (rs.first_line) l1_cost += cost;
    }
    std::vector<double> res_busy(m_.resources.size(), 0), res_avail(m_.resources.size(), 0);
    std::vector<double> res_k(m_.resources.size(), 0), res_kn(m_.resources.size(), 0);
    for (std::uint32_t st = 0; st < stations_.size(); ++st) {
      const sim::Station& station = stations_[st];
      const double b = station.busy_servers().integral(sim_.now());
      const double a = station.capacity_level().integral(sim_.now());
      busy += b;
      available += a;
      const std::uint32_t res = info_[st].resource;
      res_busy[res] += b;
      res_avail[res] += a;
      r.resources[res].servers += station.capacity_level().mean(sim_.now());
      if (m_.resources[res].first_line) l1_handled += info_[st].handled;
      for (std::uint32_t u = 0; u < s_.units.size(); ++u) {
        if (info_[st].unit != none && info_[st].unit != u) continue;
        const double k = knowledge(st, u);
        res_k[res] += k;
        res_kn[res] += 1;
        k_sum += k;
        ++k_n;
      }
    }
    for (std::uint32_t res = 0; res < m_.resources.size(); ++res) {
      r.resources[res].utilisation = ratio(res_busy[res], res_avail[res]);
      r.resources[res].knowledge = ratio(res_k[res], res_kn[res]);
    }

    set(Kpi::demand_generated, double(k_demand_));
    set(Kpi::arrivals_to_it, double(k_arrivals_it_));
    set(Kpi::self_served, double(k_self_served_));
    set(Kpi::completed, double(k_completed_));
    set(Kpi::abandoned, double(k_abandoned_));
    set(Kpi::shadow_builds, double(k_shadow_builds_));
    set(Kpi::backlog_end, double(in_flight_));
    set(Kpi::wait_mean_h, wait_.count() > 0 ? wait_.mean() : 0.0);
    set(Kpi::lead_time_mean_h, lead_.count() > 0 ? lead_.mean() : 0.0);
    set(Kpi::lead_time_p50_h, q(lead_, 0.50));
    set(Kpi::lead_time_p95_h, q(lead_, 0.95));
    set(Kpi::first_contact_resolution, ratio(double(k_fcr_), double(k_tickets_)));
    set(Kpi::resolved_at_l1, ratio(double(k_resolved_l1_), double(k_tickets_)));
    set(Kpi::handoffs_mean, handoffs_.count() > 0 ? handoffs_.mean() : 0.0);
    set(Kpi::rework_rate, ratio(double(k_reworked_), double(k_completed_)));
    set(Kpi::flow_efficiency, ratio(touch_total_, lead_total_));
    set(Kpi::sla_attainment, ratio(double(k_sla_met_), double(k_tickets_)));
    set(Kpi::value_gross, value_gross_);
    set(Kpi::value_lost_to_delay, value_lost_);
    set(Kpi::downtime_cost, downtime_cost_);
    set(Kpi::customer_value, customer_value_);
    set(Kpi::cost_total, it_cost + shadow_cost_);
    set(Kpi::net_value, value_gross_ + shadow_value_ - downtime_cost_ - it_cost - shadow_cost_);
    set(Kpi::utilisation_mean, ratio(busy, available));
    set(Kpi::perception, perception_.count() > 0 ? perception_.mean() : 0.0);
    set(Kpi::prevented, double(k_prevented_));
    set(Kpi::proactive_delivered, double(k_proactive_));
    set(Kpi::change_failures, double(k_change_failures_));
    set(Kpi::shadow_incidents, double(k_shadow_incidents_));
    set(Kpi::shadow_value, shadow_value_);
    set(Kpi::shadow_cost, shadow_cost_);
    set(Kpi::shadow_share, ratio(shadow_cost_, shadow_cost_ + it_cost));
    set(Kpi::it_cost, it_cost);
    set(Kpi::cost_per_ticket_l1, ratio(l1_cost, l1_handled));
    set(Kpi::lead_time_p85_h, q(lead_, 0.85));
    set(Kpi::incident_lead_time_p50_h, q(lead_by_kind_[0], 0.5));
    set(Kpi::request_lead_time_p50_h, q(lead_by_kind_[1], 0.5));
    set(Kpi::enhancement_lead_time_p50_h, q(lead_by_kind_[2], 0.5));
    set(Kpi::project_lead_time_p50_h, q(lead_by_kind_[3], 0.5));
    set(Kpi::handoff_time_mean_h, handoff_time_.count() > 0 ? handoff_time_.mean() : 0.0);
    set(Kpi::touch_time_mean_h, touch_.count() > 0 ? touch_.mean() : 0.0);
    set(Kpi::knowledge_mean, ratio(k_sum, double(k_n)));
    set(Kpi::change_flow_efficiency, ratio(change_touch_, change_lead_));
    set(Kpi::warmup_h, warmup_h_);
    r.events = sim_.events_processed();
    r.peak_items_in_flight = peak_in_flight_;
    r.warmup_h = warmup_h_;
    r.series = std::move(series_);
    r.series_points = sample_points_;
    if (record_items_) {
      std::vector<std::uint32_t> open;
      for (std::uint32_t id = 0; id < items_.size(); ++id)
        if (items_[id].live && items_[id].counted) open.push_back(id);
      std::sort(open.begin(), open.end(), [this](std::uint32_t a, std::uint32_t b) {
        return items_[a].serial < items_[b].serial;
      });
      for (const std::uint32_t id : open)
        record(items_[id], ItemOutcome::open, 0, std::numeric_limits<double>::quiet_NaN());
      r.items = std::move(items_out_);
    }
    if (sim_.fingerprint_enabled()) {
      for (const double v : r.kpi)
        sim_.add_to_fingerprint(std::bit_cast<std::uint64_t>(v));
      r.fingerprint = sim_.fingerprint();
    }
    return r;
  }

  const Scenario& s_;
  const Scenario::Model& m_;
  const Scenario::Mechanisms& mech_;
  sim::Simulation sim_;
  const sim::Calendar& business_;
  sim::HandlerId id_ = 0;
  SimTime horizon_;
  SimTime warmup_;
  sim::RandomStream model_rng_{0};
  double warmup_h_ = 0;
  bool record_items_ = false;
  double it_cost_per_hour_ = 0; // loaded cost of the model's staff per hour
  std::uint64_t next_serial_ = 0;

  // Time series and item records.
  SimDuration sample_step_;
  std::uint32_t sample_points_ = 0;
  std::uint32_t sampled_ = 0;
  double sampled_busy_ = 0, sampled_capacity_ = 0;
  std::vector<double> series_;
  std::vector<ItemRecord> items_out_;

  std::vector<Source> sources_;
  std::vector<sim::Station> stations_;
  std::vector<StationInfo> info_;
  std::vector<std::vector<std::uint32_t>> station_of_; // [resource][unit] -> station
  std::vector<Item> items_;
  std::vector<std::uint32_t> free_items_;
  std::size_t in_flight_ = 0;
  std::size_t peak_in_flight_ = 0;
  std::uint32_t incident_type_ = none;

  // Mechanism state.
  std::vector<double> unit_retention_boost_;
  std::vector<double> unit_self_serve_boost_;
  double incident_reduction_ = 0;
  std::vector<std::uint32_t> rotating_;
  SimTime stint_start_;

  // KPIs (items created after the warm-up).
  std::uint64_t k_demand_ = 0, k_arrivals_it_ = 0, k_self_served_ = 0, k_prevented_ = 0;
  std::uint64_t k_completed_ = 0, k_abandoned_ = 0, k_shadow_builds_ = 0, k_proactive_ = 0;
  std::uint64_t k_change_failures_ = 0, k_shadow_incidents_ = 0, k_reworked_ = 0;
  std::uint64_t k_tickets_ = 0, k_resolved_l1_ = 0, k_fcr_ = 0, k_sla_met_ = 0;
  sim::QuantileSample lead_;
  std::vector<sim::QuantileSample> lead_by_kind_;
  sim::RunningStats wait_, handoffs_, handoff_time_, touch_, perception_;
  double touch_total_ = 0, lead_total_ = 0, change_touch_ = 0, change_lead_ = 0;
  double value_gross_ = 0, value_lost_ = 0, customer_value_ = 0, downtime_cost_ = 0;
  double shadow_value_ = 0, shadow_cost_ = 0;
};

} // namespace

RunResult run_model(const Scenario& s, std::uint32_t model, std::uint64_t replication,
                    const RunOptions& options) {
  if (model >= s.models.size()) {
    throw ModelError("scenario " + s.name + ": no model " + std::to_string(model) + " (it has " +
                     std::to_string(s.models.size()) + ")");
  }
  if (!s.warmup_mser5) {
    OrgRun run(s, model, replication, options, s.warmup_h);
    return run.run();
  }
  // Pilot: the backlog on a grid of at most a day and at least 100 points, no warm-up.
  RunOptions pilot_options;
  pilot_options.interrupt = options.interrupt;
  pilot_options.timeseries_step_h = std::min(24.0, s.horizon_h / 100);
  OrgRun pilot(s, model, replication, pilot_options, 0.0);
  const RunResult p = pilot.run();
  const std::span<const double> backlog(
      p.series.data() + static_cast<std::size_t>(Series::backlog) * p.series_points,
      p.series_points);
  const analysis::WarmupResult w = analysis::mser5(backlog);
  // Sample i is at (i + 1) step: deleting d samples deletes d step hours.
  const double warmup_h =
      static_cast<double>(w.truncate_observations) * pilot_options.timeseries_step_h;
  OrgRun run(s, model, replication, options, warmup_h);
  RunResult r = run.run();
  r.warmup_reliable = w.reliable;
  return r;
}

} // namespace itsim::models
