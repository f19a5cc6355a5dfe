// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_models: demand (MODEL.md M1), the work the business units raise.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "item.hpp"
#include "itsim/sim/arrival_process.hpp"

namespace itsim::models::detail {

/// The demand of a scenario: one arrival stream per (work type, unit) with a rate, and
/// every item's attributes drawn in a fixed order from streams no model decision touches,
/// so that every operating model of a replication faces exactly the same items (common
/// random numbers). It decides which raised items never reach IT (self-service,
/// prevention); the coordinator asks it and turns the rest into items.
class Demand {
public:
  /// A stream of demand items of one work type from one unit.
  struct Source {
    std::uint32_t work_type = 0;
    std::uint32_t unit = 0;
    sim::ArrivalProcess process{0.0};
    sim::RandomStream arrivals{0};
    sim::RandomStream attributes{0};
  };

  /// One raised item: its attributes and the uniforms that decide its fate.
  struct Raised {
    ItemSpec spec;
    double u_self = 0;
    double u_prevent = 0;
  };

  /// The sources of `s` with streams of replication `replication` of the master seed.
  Demand(const scenarios::Scenario& s, std::uint64_t master_seed, std::uint64_t replication);

  std::uint32_t sources() const { return static_cast<std::uint32_t>(sources_.size()); }
  const Source& source(std::uint32_t i) const { return sources_[i]; }

  /// The next arrival of source `i` after `now` (SimTime::max() when there is none).
  sim::SimTime next_arrival(std::uint32_t i, sim::SimTime now) {
    return sources_[i].process.next_after(now, sources_[i].arrivals);
  }

  /// Draws the attributes of the item source `i` raises now, every one in a fixed order
  /// whatever the model: priority, effort, value, patience, spanning, then the uniforms of
  /// self-service and prevention and the seed of the item's own stream.
  Raised raise(std::uint32_t i);

  /// Whether the item reaches IT: requesters serve themselves with the model's share for
  /// its work type (plus `self_serve_boost` for requests, M5), and delivered capabilities
  /// prevent `incident_reduction` of incidents (M7).
  RaisedFate fate(const Raised& r, const std::vector<double>& self_service, double self_serve_boost,
                  double incident_reduction) const;

private:
  const scenarios::Scenario& s_;
  std::vector<Source> sources_;
};

} // namespace itsim::models::detail
