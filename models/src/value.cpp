// SPDX-License-Identifier: Apache-2.0
#include "value.hpp"

#include <algorithm>
#include <cmath>

namespace itsim::models::detail {

using scenarios::Scenario;

double ValueAccount::urgency(Scenario::Urgency u, double lead_h, double life_h) const {
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

DeliveryMoney ValueAccount::delivered(const Item& it, double lead_h, sim::SimTime now) const {
  const Scenario::WorkType& wt = s_.work_types[it.work_type];
  DeliveryMoney d;
  const double now_h = now.hours_f();
  if (wt.kind == Scenario::WorkKind::incident) {
    const double hours = business_.working_between(it.created, now).hours_f();
    double cost = mech_.users_affected[it.priority] * mech_.user_hour_cost * hours;
    if (s_.units[it.unit].customer_facing) cost *= mech_.customer_facing_factor;
    d.downtime = cost * window_.mean_factor(it.created.hours_f(), now_h);
  }
  add_value(it, it.understanding_final, lead_h, d);
  d.from_h = now_h;
  d.until_h = std::min(now_h + wt.value_life_h, window_.end_h());
  d.value = d.per_hour * window_.accrued(d.from_h, d.until_h);
  // Customer-driven opportunities (M11) reach customers whatever unit owns them.
  if (s_.units[it.unit].customer_facing || it.origin == ItemOrigin::customer_opportunity)
    d.customer = d.value;
  return d;
}

DeliveryMoney ValueAccount::open_at_end(const Item& it, double age_h) const {
  DeliveryMoney d;
  add_value(it, it.understanding, age_h, d);
  d.value = d.whole_life;
  d.per_hour = 0;
  return d;
}

void ValueAccount::add_value(const Item& it, double understanding, double lead_h,
                             DeliveryMoney& d) const {
  if (it.value_week <= 0) return;
  const Scenario::WorkType& wt = s_.work_types[it.work_type];
  const double potential = it.value_week * wt.value_life_h / hours_per_week;
  const double q = 1 - mech_.quality_loss * (1 - understanding);
  const double u = urgency(wt.urgency, lead_h, wt.value_life_h);
  d.whole_life = potential * q * u;
  d.lost_to_delay = potential * q * (1 - u);
  d.per_hour = it.value_week / hours_per_week * q * u;
}

ValueAccount::StaffCost ValueAccount::staff_cost(const Scenario::Model& m,
                                                 const MoneyWindow& window) {
  StaffCost c;
  const double measured_h = std::max(0.0, window.end_h() - window.start_h());
  const double accrued_h = window.accrued(window.start_h(), window.end_h());
  for (const Scenario::Resource& rs : m.resources) {
    if (rs.provider) continue; // paid by the ticket (M12), not by the hour
    const double per_hour = rs.people * rs.cost_per_hour * paid_share;
    c.per_hour += per_hour;
    c.total += per_hour * accrued_h;
    if (rs.first_line) c.first_line += rs.people * rs.cost_per_hour * measured_h * paid_share;
  }
  return c;
}

} // namespace itsim::models::detail
