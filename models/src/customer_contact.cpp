// SPDX-License-Identifier: Apache-2.0
#include "customer_contact.hpp"

#include <cmath>

namespace itsim::models::detail {

using scenarios::Scenario;

CustomerContact::CustomerContact(const Scenario& s, const Scenario::Model& m,
                                 std::uint64_t master_seed, std::uint64_t replication)
    : s_(s), m_(m) {
  if (!m.customer_contact || !(m.customer_contact->share > 0)) return;
  const Scenario::CustomerContact& c = *m.customer_contact;
  std::vector<double> contact_h; // contact person-hours per calendar hour, per resource
  double total_h = 0;
  for (const std::uint32_t r : c.resources) {
    contact_h.push_back(m.resources[r].people * c.share * paid_share);
    total_h += contact_h.back();
  }
  rate_per_h_.push_back(c.opportunity_rate * total_h);
  for (std::size_t i = 0; i < c.direct_stages.size(); ++i)
    rate_per_h_.push_back(c.direct_contact_rate * contact_h[i]);
  double facing = 0, all = 0;
  for (const Scenario::Unit& u : s.units) {
    all += u.headcount;
    if (u.customer_facing) facing += u.headcount;
  }
  double acc = 0;
  for (const Scenario::Unit& u : s.units) {
    acc += facing > 0 ? (u.customer_facing ? u.headcount / facing : 0.0) : u.headcount / all;
    unit_weight_.push_back(acc);
  }
  rng_ = sim::RandomStream(master_seed, replication, "customer_contact." + m.id);
  active_ = true;
}

double CustomerContact::next_gap_h(std::uint32_t i) {
  return -std::log(rng_.uniform_open01()) / rate_per_h_[i];
}

ItemSpec CustomerContact::item(std::uint32_t i) {
  const Scenario::CustomerContact& c = *m_.customer_contact;
  ItemSpec spec;
  const double u_unit = rng_.uniform01();
  spec.unit = 0;
  while (spec.unit + 1 < unit_weight_.size() && !(u_unit < unit_weight_[spec.unit]))
    ++spec.unit;
  spec.rng.reseed(rng_.next_u64());
  spec.origin = i == 0 ? ItemOrigin::customer_opportunity : ItemOrigin::customer_contact;
  spec.work_type = i == 0 ? c.opportunity_work_type : c.contact_work_type;
  const Scenario::WorkType& wt = s_.work_types[spec.work_type];
  spec.priority = draw_priority(wt.priority_mix, spec.rng.uniform01());
  spec.effort_h = wt.effort_h.sample(spec.rng);
  if (i == 0 && wt.value_per_week)
    spec.value_week = wt.value_per_week->sample(spec.rng) * c.value_factor;
  return spec;
}

} // namespace itsim::models::detail
