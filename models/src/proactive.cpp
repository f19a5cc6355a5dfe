// SPDX-License-Identifier: Apache-2.0
#include "proactive.hpp"

#include <cmath>

namespace itsim::models::detail {

using scenarios::Scenario;

double Proactive::next_gap_h(sim::RandomStream& model_rng) const {
  return -std::log(model_rng.uniform_open01()) / m_.proactive->rate_per_hour;
}

Proactive::Candidate Proactive::candidate(sim::RandomStream& model_rng) {
  Candidate c;
  c.u_accept = model_rng.uniform01();
  c.u_unit = model_rng.uniform01();
  return c;
}

std::uint32_t Proactive::accept(const Candidate& c, double knowledge, double idle_share) const {
  if (c.u_accept >= knowledge * idle_share) return none;
  double total = 0;
  for (const Scenario::Unit& un : s_.units)
    total += un.headcount;
  double acc = 0;
  std::uint32_t pick = 0;
  for (std::uint32_t un = 0; un < s_.units.size(); ++un) {
    acc += s_.units[un].headcount / total;
    pick = un;
    if (c.u_unit < acc) break;
  }
  return pick;
}

ItemSpec Proactive::discovered(std::uint32_t unit, sim::RandomStream& model_rng) const {
  const Scenario::Proactive& p = *m_.proactive;
  const Scenario::WorkType& wt = s_.work_types[p.work_type];
  ItemSpec spec;
  spec.rng.reseed(model_rng.next_u64());
  spec.origin = ItemOrigin::proactive;
  spec.work_type = p.work_type;
  spec.unit = unit;
  spec.priority = draw_priority(wt.priority_mix, spec.rng.uniform01());
  spec.effort_h = wt.effort_h.sample(spec.rng);
  spec.value_week =
      (wt.value_per_week ? wt.value_per_week->sample(spec.rng) : 0.0) * p.value_factor;
  return spec;
}

} // namespace itsim::models::detail
