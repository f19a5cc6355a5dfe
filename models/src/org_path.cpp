// SPDX-License-Identifier: Apache-2.0
// The coordinator of one run: a reorganisation path (MODEL.md M14). The path's model holds
// the old structure's stations (model `from`) and the new one's (`to`) side by side; the
// new starts with no servers. At each wave the units of the wave move: their new work goes
// to the new structure, and servers move from the old stations to the new, which ramp up.
// docs/models.md, "Reorganisation paths", gives the rules and their sources.
#include <algorithm>
#include <cmath>

#include "org_run.hpp"

namespace itsim::models::detail {

using scenarios::Scenario;
using sim::SimDuration;
using sim::SimTime;

namespace {

/// Productivity of people `age_h` hours after they joined a team: `from` to `to` over
/// `over_h`, then to 1 at `full_h` (straight lines).
double ramped(const Scenario::Path& p, double age_h) {
  if (age_h >= p.full_h) return 1.0;
  if (age_h < p.ramp_h) return p.ramp_from + (p.ramp_to - p.ramp_from) * age_h / p.ramp_h;
  const double rest = p.full_h - p.ramp_h;
  return rest > 0 ? p.ramp_to + (1 - p.ramp_to) * (age_h - p.ramp_h) / rest : 1.0;
}

} // namespace

void OrgRun::start_path() {
  const Scenario::Path& plan = *m_.path;
  PathState& p = path_.emplace();
  p.plan = &plan;
  p.moved.assign(s_.units.size(), 0);
  p.servers.resize(info_.size());
  p.vacant.assign(info_.size(), 0);
  p.cohorts.resize(info_.size());
  p.winding.assign(info_.size(), 0);
  p.moved_on_hand.assign(info_.size(), 0);
  p.deferred.assign(info_.size(), none);
  for (std::uint32_t st = 0; st < info_.size(); ++st)
    p.servers[st] = info_[st].servers;
  p.cost_from = ValueAccount::staff_cost(s_.models.at(plan.from), money_).per_hour;
  p.cost_to = ValueAccount::staff_cost(s_.models.at(plan.to), money_).per_hour;
  p.rng = sim_.stream("path." + m_.id);
  // The new structure has nobody yet (an outside provider's people are not the company's:
  // a path moves no one there, and its attrition takes no one from there).
  for (std::uint32_t st = 0; st < info_.size(); ++st)
    if (info_[st].resource >= plan.from_resources && !info_[st].provider) staff(st, 0, false);
  for (std::uint32_t w = 0; w < plan.waves.size(); ++w)
    sim_.schedule_at(at_hours(plan.waves[w].at_h), id_, kind_wave, w);
  if (plan.attrition_rate > 0 && !plan.waves.empty()) {
    p.attrition_until_h = std::min(s_.horizon_h, plan.waves.back().at_h + plan.attrition_after_h);
    // The first leaver is drawn from the first wave on (the event finds the time).
    sim_.schedule_at(at_hours(plan.waves.front().at_h), id_, kind_leave, 1);
  }
}

void OrgRun::staff(std::uint32_t station, std::uint32_t servers, bool wind_down) {
  PathState& p = *path_;
  p.winding[station] = 0;
  if (servers == 0 && wind_down && p.servers[station] > 0 && p.old_live > 0) {
    servers = 1; // one person stays to finish the old structure's work
    p.winding[station] = 1;
  }
  p.servers[station] = servers;
  const std::uint32_t working = servers > p.vacant[station] ? servers - p.vacant[station] : 0;
  stations_[station].adjust_capacity(static_cast<std::int32_t>(working) -
                                     static_cast<std::int32_t>(info_[station].servers));
}

void OrgRun::wave(std::uint32_t index) {
  PathState& p = *path_;
  const Scenario::Path& plan = *p.plan;
  const double now_h = sim_.now().hours_f();
  double total = 0, moved = 0;
  for (const std::uint32_t u : plan.waves[index].units)
    p.moved[u] = 1;
  for (std::uint32_t u = 0; u < s_.units.size(); ++u) {
    total += s_.units[u].headcount;
    if (p.moved[u]) moved += s_.units[u].headcount;
  }
  const double before = p.moved_share;
  p.moved_share = total > 0 ? moved / total : 1.0;
  const double share = p.moved_share - before;

  // What the staff of each unit knew in the old structure (people-weighted over the old
  // stations serving it), for knowledge: carried.
  std::vector<double> carried(s_.units.size(), 0.0);
  if (plan.knowledge == Scenario::Path::KnowledgeStart::carried) {
    for (const std::uint32_t u : plan.waves[index].units) {
      double k = 0, people = 0;
      for (std::uint32_t st = 0; st < info_.size(); ++st) {
        if (info_[st].resource >= plan.from_resources) continue;
        if (info_[st].unit != none && info_[st].unit != u) continue;
        k += knowledge_.level(st, u, sim_.now()) * info_[st].people;
        people += info_[st].people;
      }
      carried[u] = people > 0 ? k / people : knowledge_.k0(0);
    }
  }

  for (std::uint32_t st = 0; st < info_.size(); ++st) {
    const StationInfo& info = info_[st];
    if (info.provider) continue;
    const bool old = info.resource < plan.from_resources;
    std::uint32_t target;
    if (info.unit != none) {
      target = (p.moved[info.unit] != 0) != old ? info.servers : 0;
    } else {
      // A shared station keeps (or gets) at least one server while its side serves a unit.
      const double kept = old ? 1 - p.moved_share : p.moved_share;
      target = static_cast<std::uint32_t>(std::lround(info.servers * kept));
      if (kept > 1e-12) target = std::max<std::uint32_t>(target, 1);
    }
    const std::uint32_t was = p.winding[st] ? 0 : p.servers[st];
    if (target == was) continue;
    if (old || target < was) {
      if (old && target < was && plan.in_flight == Scenario::Path::InFlight::stay &&
          p.moved_on_hand[st] > 0) {
        p.deferred[st] = target; // its people finish the moved units' work first
      } else {
        staff(st, target, old); // what is queued there already is finished there
      }
      continue;
    }
    // A new team forms, or grows: the newcomers ramp up and bring what they knew.
    const std::uint32_t joined = target - was;
    if (plan.knowledge == Scenario::Path::KnowledgeStart::carried) {
      double k = 0;
      std::size_t n = 0;
      for (const std::uint32_t u : plan.waves[index].units) {
        if (info.unit != none && info.unit != u) continue;
        k += carried[u];
        ++n;
      }
      if (n > 0) {
        const double k_new = k / double(n);
        const double k_old = was > 0 ? knowledge_.k0(st) : k_new;
        knowledge_.set_k0(st, (k_old * was + k_new * joined) / double(target));
      }
    }
    p.cohorts[st].push_back({joined, now_h});
    staff(st, target, false);
    update_productivity(st);
  }
  schedule_ramp();
  if (plan.in_flight == Scenario::Path::InFlight::move) move_waiting_work();

  // Staff cost: the moved share is paid as the new structure pays (equal under like-for-like
  // presets); one-off costs as they fall.
  const double change = share * (p.cost_to - p.cost_from);
  if (change != 0) {
    p.it_cost += change * money_.accrued(now_h, s_.horizon_h);
    p.it_cost_undiscounted +=
        change * std::max(0.0, s_.horizon_h - std::max(now_h, money_.start_h()));
    kpis_.staff_cost_change(change, now_h, s_.horizon_h);
  }
  double one_off = plan.training_days * s_.business_day_h * share * p.cost_to / paid_share;
  if (index == 0) one_off += plan.tooling + plan.outside_help;
  if (one_off > 0) kpis_.reorg_cost(one_off, sim_.now());
}

void OrgRun::update_productivity(std::uint32_t station) {
  const PathState& p = *path_;
  const double now_h = sim_.now().hours_f();
  double joined = 0, weighted = 0;
  for (const PathState::Cohort& c : p.cohorts[station]) {
    joined += c.servers;
    weighted += c.servers * ramped(*p.plan, now_h - c.joined_h);
  }
  const double all = std::max<double>(p.servers[station], joined);
  info_[station].productivity = all > 0 ? (weighted + (all - joined)) / all : 1.0;
}

void OrgRun::schedule_ramp() {
  PathState& p = *path_;
  if (p.ramp_pending || !(p.plan->ramp_from < 1)) return;
  if (sim_.now().hours_f() + 24 > s_.horizon_h) return;
  p.ramp_pending = true;
  sim_.schedule_in(SimDuration::from_hours(24), id_, kind_ramp);
}

void OrgRun::ramp() {
  PathState& p = *path_;
  p.ramp_pending = false;
  const double now_h = sim_.now().hours_f();
  bool ramping = false;
  for (std::uint32_t st = 0; st < info_.size(); ++st) {
    if (p.cohorts[st].empty()) continue;
    update_productivity(st);
    auto& cohorts = p.cohorts[st];
    cohorts.erase(std::remove_if(cohorts.begin(), cohorts.end(),
                                 [&](const PathState::Cohort& c) {
                                   return now_h - c.joined_h >= p.plan->full_h;
                                 }),
                  cohorts.end());
    ramping = ramping || !cohorts.empty();
  }
  // Daily while anybody ramps (a service time is fixed when the item joins the queue, so a
  // day's step is fine enough); a wave or a hire starts it again.
  if (ramping) schedule_ramp();
}

double OrgRun::server_cost_per_h(std::uint32_t station) const {
  const StationInfo& info = info_[station];
  const Scenario::Resource& res = m_.resources[info.resource];
  const double people = res.availability > 0 ? info.speed / res.availability : info.speed;
  return people * res.cost_per_hour * paid_share;
}

double OrgRun::headcount_at(std::uint32_t station) const {
  if (info_[station].provider) return 0;
  const double availability = m_.resources[info_[station].resource].availability;
  const double people = stations_[station].capacity() * info_[station].speed;
  return availability > 0 ? people / availability : people;
}

double OrgRun::headcount() const {
  double people = 0;
  for (std::uint32_t st = 0; st < info_.size(); ++st)
    people += headcount_at(st);
  return people;
}

void OrgRun::schedule_leave() {
  PathState& p = *path_;
  const double working = headcount();
  const double rate_h = p.plan->attrition_rate / hours_per_year * working;
  if (!(rate_h > 0)) return;
  const double at = sim_.now().hours_f() - std::log(1 - p.rng.uniform01()) / rate_h;
  if (at < p.attrition_until_h) sim_.schedule_at(at_hours(at), id_, kind_leave);
}

void OrgRun::leave() {
  PathState& p = *path_;
  // Who leaves: a person of a station with people, chosen in proportion to its headcount.
  double pick = p.rng.uniform01() * headcount();
  std::uint32_t station = none;
  for (std::uint32_t st = 0; st < info_.size() && station == none; ++st) {
    pick -= headcount_at(st);
    if (pick < 0 && stations_[st].capacity() > 0) station = st;
  }
  if (station != none) {
    kpis_.leaver(sim_.now());
    const std::uint32_t servers = stations_[station].capacity();
    knowledge_.person_leaves(station, servers, sim_.now());
    ++p.vacant[station];
    staff(station, p.servers[station], false);
    const double now_h = sim_.now().hours_f();
    const double saved = -server_cost_per_h(station);
    const double back_h = std::min(s_.horizon_h, now_h + p.plan->hiring_delay_h);
    p.it_cost += saved * money_.accrued(now_h, back_h);
    p.it_cost_undiscounted += saved * std::max(0.0, back_h - std::max(now_h, money_.start_h()));
    kpis_.staff_cost_change(saved, now_h, back_h);
    if (now_h + p.plan->hiring_delay_h <= s_.horizon_h)
      sim_.schedule_in(SimDuration::from_hours(p.plan->hiring_delay_h), id_, kind_hire, station);
  }
  schedule_leave();
}

void OrgRun::hire(std::uint32_t station) {
  PathState& p = *path_;
  if (p.vacant[station] == 0) return;
  const std::uint32_t before = stations_[station].capacity();
  --p.vacant[station];
  // The newcomer knows what a new hire knows; the team's K0 is the people-weighted mean.
  const double k0 = knowledge_.k0(station);
  knowledge_.set_k0(station, (k0 * before + p.plan->new_hire_knowledge) / double(before + 1));
  p.cohorts[station].push_back({1, sim_.now().hours_f()});
  staff(station, p.servers[station], false);
  update_productivity(station);
  kpis_.reorg_cost(p.plan->hire_cost, sim_.now());
  schedule_ramp();
}

void OrgRun::old_structure_done() {
  PathState& p = *path_;
  for (std::uint32_t st = 0; st < info_.size(); ++st)
    if (p.winding[st]) staff(st, 0, false);
}

void OrgRun::count_old_work(const Item& it, std::uint32_t station, int delta) {
  PathState& p = *path_;
  if (it.structure != 0 || !p.moved[it.unit]) return;
  std::uint32_t& on_hand = p.moved_on_hand[station];
  on_hand = delta > 0 ? on_hand + 1 : on_hand - 1;
  if (p.moved_on_hand[station] == 0 && p.deferred[station] != none) {
    const std::uint32_t target = p.deferred[station];
    p.deferred[station] = none;
    staff(station, target, true);
  }
}

void OrgRun::move_waiting_work() {
  PathState& p = *path_;
  std::vector<std::uint32_t> moving;
  for (std::uint32_t st = 0; st < info_.size(); ++st) {
    if (info_[st].resource >= p.plan->from_resources) continue;
    stations_[st].withdraw_waiting(
        [&](std::uint32_t id) {
          const Item& it = items_[id];
          return it.structure == 0 && p.moved[it.unit] != 0;
        },
        moving);
  }
  for (const std::uint32_t id : moving) {
    Item& it = items_[id];
    leave_station(it);
    // It queued until now; the requester's patience was spent on it as on a served item.
    it.wait_h += (sim_.now() - it.stage_ready).hours_f();
    if (it.patience_left_h >= 0) requesters_.use_patience(it, it.stage_ready, sim_.now());
    go_to_stage(id, it.stage); // to the new structure, through a handoff
  }
}

std::uint32_t OrgRun::move_to_new_structure(Item& it, std::uint32_t stage) const {
  const std::string& id = m_.routes[it.route].stages[stage].id;
  it.structure = 1;
  it.route = it.work_type + static_cast<std::uint32_t>(s_.work_types.size());
  const Scenario::Route& route = m_.routes[it.route];
  for (std::uint32_t i = 0; i < route.stages.size(); ++i)
    if (route.stages[i].id == id) return i;
  return route.start;
}

} // namespace itsim::models::detail
