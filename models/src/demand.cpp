// SPDX-License-Identifier: Apache-2.0
#include "demand.hpp"

#include <string>

namespace itsim::models::detail {

using scenarios::Scenario;

Demand::Demand(const Scenario& s, std::uint64_t master_seed, std::uint64_t replication) : s_(s) {
  for (std::uint32_t w = 0; w < s.work_types.size(); ++w) {
    const Scenario::WorkType& wt = s.work_types[w];
    double people = 0;
    for (const std::uint32_t u : wt.units)
      people += s.units[u].headcount;
    for (const std::uint32_t u : wt.units) {
      const double headcount = s.units[u].headcount;
      const double rate = wt.per_employee ? wt.rate_per_hour * headcount
                          : people > 0    ? wt.rate_per_hour * headcount / people
                                          : 0.0;
      if (!(rate > 0)) continue;
      Source src;
      src.work_type = w;
      src.unit = u;
      src.process = sim::ArrivalProcess(rate, wt.profile);
      const std::string name = wt.id + "." + s.units[u].id;
      src.arrivals = sim::RandomStream(master_seed, replication, "demand.arrivals." + name);
      src.attributes = sim::RandomStream(master_seed, replication, "demand.items." + name);
      sources_.push_back(std::move(src));
    }
  }
}

Demand::Raised Demand::raise(std::uint32_t i) {
  Source& src = sources_[i];
  const Scenario::WorkType& wt = s_.work_types[src.work_type];
  sim::RandomStream& a = src.attributes;
  Raised r;
  const double u_priority = a.uniform01();
  r.spec.effort_h = wt.effort_h.sample(a);
  r.spec.value_week = wt.value_per_week ? wt.value_per_week->sample(a) : 0.0;
  r.spec.patience_h = wt.patience ? wt.patience->hours.sample(a) : -1.0;
  r.spec.spanning = a.uniform01() < wt.spanning_share;
  r.u_self = a.uniform01();
  r.u_prevent = a.uniform01();
  r.spec.rng.reseed(a.next_u64());
  r.spec.work_type = src.work_type;
  r.spec.unit = src.unit;
  r.spec.priority = draw_priority(wt.priority_mix, u_priority);
  r.spec.origin = ItemOrigin::demand;
  return r;
}

RaisedFate Demand::fate(const Raised& r, const std::vector<double>& self_service,
                        double self_serve_boost, double incident_reduction) const {
  const Scenario::WorkType& wt = s_.work_types[r.spec.work_type];
  double self_share = self_service[r.spec.work_type];
  if (wt.kind == Scenario::WorkKind::request) self_share += self_serve_boost;
  if (r.u_self < self_share) return RaisedFate::self_served;
  if (wt.kind == Scenario::WorkKind::incident && r.u_prevent < incident_reduction)
    return RaisedFate::prevented;
  return RaisedFate::to_it;
}

} // namespace itsim::models::detail
