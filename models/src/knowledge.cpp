// SPDX-License-Identifier: Apache-2.0
#include "knowledge.hpp"

#include <algorithm>
#include <cmath>

namespace itsim::models::detail {

std::uint32_t Knowledge::add_station(double k0, double people) {
  Station st;
  st.k0 = k0;
  st.people = people;
  st.experience.assign(units_, 0.0);
  st.experience_at.assign(units_, sim::SimTime::zero());
  stations_.push_back(std::move(st));
  return static_cast<std::uint32_t>(stations_.size() - 1);
}

/// Decays a station's experience for a unit to `now` (monthly retention).
void Knowledge::decay(Station& st, std::uint32_t unit, sim::SimTime now) const {
  const double months = (now - st.experience_at[unit]).hours_f() / hours_per_month;
  if (months > 0 && st.experience[unit] > 0) {
    st.experience[unit] *= std::pow(monthly_retention_, months);
  }
  st.experience_at[unit] = now;
}

void Knowledge::learn(std::uint32_t station, std::uint32_t unit, double person_hours,
                      sim::SimTime now) {
  Station& st = stations_[station];
  decay(st, unit, now);
  st.experience[unit] += person_hours;
}

void Knowledge::person_leaves(std::uint32_t station, std::uint32_t servers, sim::SimTime now) {
  if (servers == 0) return;
  Station& st = stations_[station];
  const double kept = double(servers - 1) / double(servers);
  for (std::uint32_t u = 0; u < units_; ++u) {
    decay(st, u, now);
    st.experience[u] *= kept;
  }
}

/// K = 1 - (1 - K0) (1 + e / learning_hours)^log2(progress ratio), e the experience per
/// person: Wright's curve applied to the gap in knowledge.
double Knowledge::level(std::uint32_t station, std::uint32_t unit, sim::SimTime now) {
  Station& st = stations_[station];
  if (st.experience[unit] <= 0) return st.k0;
  decay(st, unit, now);
  const double per_person = st.experience[unit] / std::max(st.people, 1e-9);
  return 1 - (1 - st.k0) * std::pow(1 + per_person / learning_hours_, exponent_);
}

} // namespace itsim::models::detail
