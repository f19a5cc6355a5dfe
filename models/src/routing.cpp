// SPDX-License-Identifier: Apache-2.0
#include "routing.hpp"

#include <algorithm>
#include <cmath>

namespace itsim::models::detail {

using scenarios::Scenario;
using scenarios::TimeBase;
using sim::SimDuration;
using sim::SimTime;

SimTime Routing::enter(Item& it, std::uint32_t stage, SimTime now, double retention_boost,
                       bool handoff) const {
  const Scenario::Stage& st = m_.routes[it.route].stages[stage];
  it.stage = stage;
  SimTime ready = now;
  if (st.delay) {
    const SimDuration d = SimDuration::from_hours(st.delay->hours.sample(it.rng));
    ready = st.delay->base == TimeBase::business ? business_.add_working(ready, d) : ready + d;
  }
  // A stage at an outside provider (M12) is one more handoff, IT being the go-between; so
  // is work in flight moving to a path's new structure (M14).
  for (int h = int{st.handoff || handoff} + int{st.provider_handoff}; h > 0; --h) {
    const SimDuration d = SimDuration::from_hours(mech_.handoff_delay.hours.sample(it.rng));
    ready = mech_.handoff_delay.base == TimeBase::business ? business_.add_working(ready, d)
                                                           : ready + d;
    if (!it.in_rework) {
      ++it.handoffs;
      it.understanding *= std::min(1.0, mech_.handoff_retention + retention_boost);
    }
  }
  if (st.gate_every_h > 0) {
    // The next gate at or after `ready`, in whole ticks: in hours, an item ready exactly at
    // a gate of a period that is not a whole number of hours could round past it.
    const std::int64_t every = SimDuration::from_hours(st.gate_every_h).count();
    const std::int64_t offset = SimDuration::from_hours(st.gate_offset_h).count();
    const std::int64_t since = ready.ticks() - offset;
    const std::int64_t n = since <= 0 ? 0 : (since + every - 1) / every;
    const SimTime gate = SimTime::zero() + SimDuration::ticks(n * every + offset);
    if (gate > ready) ready = gate;
  }
  it.handoff_h += (ready - now).hours_f();
  return ready;
}

double Routing::visit_work(Item& it, const Scenario::Stage& st, double knowledge_multiplier,
                           bool context_switch) const {
  double work = st.service_h ? st.service_h->sample(it.rng) : it.effort_h * st.effort_share;
  if (it.in_rework) work *= mech_.rework_effort_share;
  work *= knowledge_multiplier;
  if (context_switch) work *= 1 + mech_.context_switch_cost;
  return work;
}

double Routing::coordination_wait_h(const Item& it, const Scenario::Stage& st,
                                    double service_h) const {
  if (!it.spanning || st.spanning != Scenario::Spanning::coordinate) return 0;
  return (mech_.coordination_factor - 1) * service_h;
}

std::optional<std::uint32_t> Routing::rework(Item& it, const Scenario::Stage& st, double k) const {
  const double u = it.understanding * (1 - mech_.knowledge_weight * (1 - k));
  if (it.rng.uniform01() >= u) {
    ++it.reworks;
    it.in_rework = true;
    return st.rework_to;
  }
  it.in_rework = false;
  return std::nullopt;
}

bool Routing::to_second_team(Item& it, const Scenario::Stage& st) const {
  if (it.spanning && st.spanning == Scenario::Spanning::second_team && !it.second_team_done) {
    it.second_team_done = true;
    it.home_unit = (it.home_unit + 1) % static_cast<std::uint32_t>(s_.units.size());
    return true;
  }
  it.home_unit = it.unit;
  return false;
}

std::uint32_t Routing::next_stage(Item& it, const Scenario::Stage& st) const {
  const double u = st.next.size() == 1 ? 0.0 : it.rng.uniform01();
  double acc = 0;
  std::uint32_t next = Scenario::Next::done;
  for (const Scenario::Next& n : st.next) {
    acc += n.probability;
    next = n.stage;
    if (u < acc) break;
  }
  return next;
}

} // namespace itsim::models::detail
