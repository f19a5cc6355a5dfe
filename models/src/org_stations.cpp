// SPDX-License-Identifier: Apache-2.0
// The coordinator of one run of an operating model: its stations (set-up, staffing
// changes of rotation, proactive discovery by their slack) and the closing of the run.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "org_run.hpp"

namespace itsim::models::detail {

using scenarios::Scenario;
using sim::SimDuration;
using sim::SimTime;

void OrgRun::build_stations() {
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
        station_of_[r][u] = add_station(r, u, res.people * share);
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
  if (s_.mechanisms.max_backlog_h > 0) {
    route_stations_.assign(m_.routes.size(), std::vector<std::vector<std::uint32_t>>(n_units));
    for (std::uint32_t w = 0; w < m_.routes.size(); ++w) {
      for (std::uint32_t u = 0; u < n_units; ++u) {
        std::vector<std::uint32_t>& out = route_stations_[w][u];
        for (const Scenario::Stage& st : m_.routes[w].stages) { // w: the route (a path has 2W)
          const std::uint32_t station = station_of_[st.pool][u];
          if (station != none && std::find(out.begin(), out.end(), station) == out.end())
            out.push_back(station);
        }
      }
    }
  }
}

std::uint32_t OrgRun::add_station(std::uint32_t r, std::uint32_t unit, double people) {
  const Scenario::Resource& res = m_.resources[r];
  StationInfo info;
  info.resource = r;
  info.unit = unit;
  info.people = people * res.availability;
  info.provider = res.provider;
  const double servers_wanted = res.wip_limit > 0 ? double(res.wip_limit) : std::round(info.people);
  const auto servers = static_cast<std::uint32_t>(std::max(1.0, servers_wanted));
  info.speed = info.people / servers;
  info.servers = servers;
  sim::StationConfig cfg;
  cfg.name = unit == none ? res.id : res.id + "@" + s_.units[unit].id;
  cfg.capacity = sim::CapacitySchedule::constant(servers);
  if (res.calendar != 0) cfg.calendar = s_.calendars.at(res.calendar).calendar;
  const double week_work_h = cfg.calendar ? cfg.calendar->working_per_week().hours_f() : 168.0;
  info.clear_h = info.people > 0 && week_work_h > 0 ? hours_per_week / (info.people * week_work_h)
                                                    : std::numeric_limits<double>::infinity();
  cfg.discipline = res.discipline;
  cfg.preemptive = res.preemptive;
  // Crews: the largest crew any stage of this model asks of the resource (crew 1 keeps the
  // station on its common path).
  for (const Scenario::Route& route : m_.routes)
    for (const Scenario::Stage& st : route.stages)
      if (st.pool == r)
        cfg.max_crew = std::max(cfg.max_crew, std::min<std::uint32_t>(st.crew, 255));
  const auto index = static_cast<std::uint32_t>(stations_.size());
  stations_.emplace_back(sim_, id_, index, std::move(cfg));
  knowledge_.add_station(res.knowledge, info.people);
  info_.push_back(info);
  return index;
}

std::vector<Rotation::StationView> OrgRun::rotating_stations() const {
  const std::vector<std::uint32_t>& pools = m_.rotation->resources;
  std::vector<Rotation::StationView> out;
  for (std::uint32_t st = 0; st < info_.size(); ++st) {
    const StationInfo& info = info_[st];
    if (std::find(pools.begin(), pools.end(), info.resource) == pools.end()) continue;
    const Scenario::Resource& res = m_.resources[info.resource];
    out.push_back({st, info.unit, info.people, res.availability, info.speed, info.servers,
                   res.wip_limit > 0});
  }
  return out;
}

// ---- rotation (M5) ---------------------------------------------------------------------------

void OrgRun::rotation_out() {
  // The business lends its people for the stint: their work is its cost.
  const Scenario::Rotation& rot = *m_.rotation;
  const double now_h = sim_.now().hours_f();
  kpis_.lent_staff(rot.business_staff * rot.business_cost_per_hour * paid_share, now_h,
                   std::min(now_h + rot.stint_h, horizon_.hours_f()));
  for (const Rotation::Staffing& st : rotation_->start_stint(sim_.now())) {
    info_[st.station].productivity = st.productivity;
    stations_[st.station].adjust_capacity(st.capacity_delta);
  }
  sim_.schedule_in(SimDuration::from_hours(m_.rotation->stint_h), id_, kind_rotation_in);
}

void OrgRun::rotation_in() {
  const double stint_work_h =
      business_.working_between(rotation_->stint_start(), sim_.now()).hours_f();
  std::vector<Rotation::Staffing> back;
  for (const Rotation::Experience& e : rotation_->end_stint(stint_work_h, back))
    knowledge_.learn(e.station, e.unit, e.person_hours, sim_.now());
  for (const Rotation::Staffing& st : back) {
    info_[st.station].productivity = st.productivity;
    stations_[st.station].adjust_capacity(st.capacity_delta);
  }
  const SimTime next = rotation_->stint_start() + SimDuration::from_hours(m_.rotation->period_h);
  if (next <= horizon_) sim_.schedule_at(next, id_, kind_rotation_out);
}

// ---- proactive work (M7) ---------------------------------------------------------------------

void OrgRun::schedule_discovery() {
  const SimDuration gap = SimDuration::from_hours(proactive_.next_gap_h(model_rng_));
  if (sim_.now() + gap <= horizon_) sim_.schedule_in(gap, id_, kind_discovery);
}

/// Thinning: a candidate becomes an item with probability K x slack of the discovering
/// resource (mean knowledge over units, share of idle servers now).
void OrgRun::discovery() {
  double k = 0, idle = 0, capacity = 0;
  std::size_t copies = 0;
  for (std::uint32_t st = 0; st < info_.size(); ++st) {
    if (info_[st].resource != proactive_.resource()) continue;
    const std::uint32_t unit = info_[st].unit == none ? 0 : info_[st].unit;
    k += knowledge_.level(st, unit, sim_.now());
    ++copies;
    capacity += stations_[st].capacity();
    idle += std::max(0.0, double(stations_[st].capacity()) - stations_[st].busy() -
                              stations_[st].waiting());
  }
  const Proactive::Candidate candidate = Proactive::candidate(model_rng_);
  schedule_discovery();
  if (copies == 0 || !(capacity > 0)) return;
  const std::uint32_t unit = proactive_.accept(candidate, k / double(copies), idle / capacity);
  if (unit == none) return;
  const std::uint32_t id = new_item(proactive_.discovered(unit, model_rng_));
  go_to_stage(id, routing_.start(items_[id]));
}

// ---- measurement -----------------------------------------------------------------------------

void OrgRun::warmup_end() {
  for (sim::Station& st : stations_)
    st.reset_statistics(sim_.now());
  for (StationInfo& info : info_)
    info.handled = info.provider_served = 0;
  kpis_.warmup_ended();
}

KpiRecorder::StationTotals OrgRun::station_totals() const {
  KpiRecorder::StationTotals t;
  for (std::uint32_t i = 0; i < stations_.size(); ++i) {
    if (info_[i].provider) continue; // no servers of ours (M12)
    const sim::Station& st = stations_[i];
    t.waiting += st.waiting();
    t.busy += st.busy();
    t.busy_h += st.busy_servers().integral(sim_.now());
    t.capacity_h += st.capacity_level().integral(sim_.now());
  }
  return t;
}

RunResult OrgRun::results() {
  RunResult r;
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  KpiRecorder::Closing c;
  c.measured_h = (horizon_ - warmup_).hours_f();
  c.warmup_h = warmup_h_;
  c.in_flight = in_flight_;
  // A path pays its starting model's staff, plus what its moves changed.
  const ValueAccount::StaffCost cost =
      ValueAccount::staff_cost(path_ ? s_.models.at(m_.path->from) : m_, money_);
  c.it_cost = cost.total;
  c.it_cost_undiscounted = cost.per_hour * c.measured_h;
  c.l1_cost = cost.first_line;
  if (path_) {
    c.it_cost += path_->it_cost;
    c.it_cost_undiscounted += path_->it_cost_undiscounted;
  }

  const std::size_t n = m_.resources.size();
  r.resources.resize(n);
  for (std::uint32_t res = 0; res < n; ++res)
    r.resources[res].id = m_.resources[res].id;
  std::vector<double> res_busy(n, 0), res_avail(n, 0), res_k(n, 0), res_kn(n, 0);
  std::vector<double> res_wait_h(n, 0);         // hours queued by visits that started
  std::vector<std::uint64_t> res_delayed(n, 0); // of which had to queue
  for (std::uint32_t st = 0; st < stations_.size(); ++st) {
    const sim::Station& station = stations_[st];
    const std::uint32_t res = info_[st].resource;
    if (info_[st].provider) { // M12: no servers of ours, only the items it finished
      r.resources[res].served += static_cast<std::uint64_t>(info_[st].provider_served);
      continue;
    }
    const double b = station.busy_servers().integral(sim_.now());
    const double a = station.capacity_level().integral(sim_.now());
    c.busy_h += b;
    c.available_h += a;
    res_busy[res] += b;
    res_avail[res] += a;
    ResourceResult& rr = r.resources[res];
    rr.servers += station.capacity_level().mean(sim_.now());
    // By-unit copies pooled: sums of waits and counts; queue lengths add up.
    rr.queue_mean += station.queue_length().mean(sim_.now());
    rr.started += station.wait_hours().count();
    rr.served += station.completions();
    res_wait_h[res] += station.wait_hours().sum();
    res_delayed[res] += station.delayed_starts();
    if (m_.resources[res].first_line) c.l1_handled += info_[st].handled;
    // A path's knowledge is that of the people it has at the end (not of stations emptied).
    if (path_ && station.capacity() == 0) continue;
    for (std::uint32_t u = 0; u < s_.units.size(); ++u) {
      if (info_[st].unit != none && info_[st].unit != u) continue;
      const double k = knowledge_.level(st, u, sim_.now());
      res_k[res] += k;
      res_kn[res] += 1;
      c.knowledge_sum += k;
      c.knowledge_n += 1;
    }
  }
  for (std::uint32_t res = 0; res < n; ++res) {
    r.resources[res].utilisation = ratio(res_busy[res], res_avail[res]);
    r.resources[res].knowledge = ratio(res_k[res], res_kn[res]);
    if (const auto started = double(r.resources[res].started); started > 0) {
      r.resources[res].wait_mean_h = res_wait_h[res] / started;
      r.resources[res].p_wait = double(res_delayed[res]) / started;
    }
  }

  // Items still open, in creation order, after those that left.
  std::vector<std::uint32_t> open;
  for (std::uint32_t id = 0; id < items_.size(); ++id)
    if (items_[id].live) open.push_back(id);
  std::sort(open.begin(), open.end(), [this](std::uint32_t a, std::uint32_t b) {
    return items_[a].serial < items_[b].serial;
  });
  for (const std::uint32_t id : open) {
    const Item& it = items_[id];
    const double age_h = (horizon_ - it.created).hours_f();
    kpis_.open_at_end(it, age_h, value_.open_at_end(it, age_h));
  }

  kpis_.finish(r, c);
  r.events = sim_.events_processed();
  r.peak_items_in_flight = peak_in_flight_;
  r.warmup_h = warmup_h_;
  if (sim_.fingerprint_enabled()) {
    for (const double v : r.kpi)
      sim_.add_to_fingerprint(std::bit_cast<std::uint64_t>(v));
    r.fingerprint = sim_.fingerprint();
  }
  return r;
}

} // namespace itsim::models::detail
