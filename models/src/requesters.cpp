// SPDX-License-Identifier: Apache-2.0
#include "requesters.hpp"

#include <algorithm>
#include <cmath>

namespace itsim::models::detail {

using scenarios::Scenario;
using scenarios::TimeBase;
using sim::SimDuration;
using sim::SimTime;

void Requesters::use_patience(Item& it, SimTime from, SimTime to) const {
  const bool business = s_.work_types[it.work_type].patience->base == TimeBase::business;
  const double waited =
      business ? business_.working_between(from, to).hours_f() : (to - from).hours_f();
  it.patience_left_h = std::max(0.0, it.patience_left_h - waited);
}

SimTime Requesters::patience_deadline(const Item& it, SimTime now) const {
  const TimeBase base = s_.work_types[it.work_type].patience->base;
  const SimDuration d = SimDuration::from_hours(it.patience_left_h);
  if (base == TimeBase::business) return business_.add_working(now, d);
  return now + d;
}

Requesters::Abandonment Requesters::abandoned(Item& it, double urgency, SimTime now,
                                              double build_share) const {
  const Scenario::WorkType& wt = s_.work_types[it.work_type];
  Abandonment a;
  const double share = build_share >= 0 ? build_share : mech_.shadow_build_share;
  a.shadow_build = it.value_week > 0 && it.rng.uniform01() < share;
  if (!a.shadow_build) return a;
  // Like delivered value, a shadow system's value and running cost accrue week by week from
  // its build over the value life, as far as the measured window goes; its build is paid
  // at once.
  ShadowMoney& m = a.money;
  m.from_h = now.hours_f();
  m.until_h = std::min(m.from_h + wt.value_life_h, window_.end_h());
  const double accrued_h = window_.accrued(m.from_h, m.until_h);
  m.value_per_h = it.value_week / hours_per_week * mech_.shadow_value_share * urgency;
  m.run_cost_per_h = mech_.shadow_run_cost_per_week / hours_per_week;
  m.build_cost =
      it.effort_h * mech_.shadow_cost_factor * mech_.effort_cost_rate * window_.factor(m.from_h);
  m.value = m.value_per_h * accrued_h;
  m.cost = m.build_cost + m.run_cost_per_h * accrued_h;
  m.whole_life_cost = it.effort_h * mech_.shadow_cost_factor * mech_.effort_cost_rate +
                      m.run_cost_per_h * wt.value_life_h;
  if (mech_.shadow_incident_factor > 0) {
    const double mean_h = 26 * hours_per_week / mech_.shadow_incident_factor;
    a.incident_h = -mean_h * std::log(it.rng.uniform_open01());
  }
  return a;
}

double Requesters::expected_lead(const Scenario::WorkType& wt, SimTime now) const {
  const double years = now.hours_f() / 8760.0;
  double hours = wt.expected_lead_h;
  if (wt.expected_lead_base == TimeBase::business) {
    hours *= hours_per_week / business_.working_per_week().hours_f();
  }
  return hours / std::pow(1 + mech_.expectation_rise_per_year, years);
}

} // namespace itsim::models::detail
