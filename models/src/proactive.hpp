// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_models: proactive work and capabilities (MODEL.md M7).
#pragma once

#include <cstdint>
#include <optional>

#include "item.hpp"

namespace itsim::models::detail {

/// Work IT discovers itself: candidates arrive at the model's rate and become items with
/// probability K x slack of the discovering resource (thinning), so staff who know the
/// business and have time find opportunities. Each delivered discovery is a capability
/// that prevents a share of later incidents, up to a cap. Draws come from the model's
/// stream, which the coordinator passes in (it also seeds follow-up incidents).
class Proactive {
public:
  /// A candidate discovery: the uniforms of acceptance and of its unit.
  struct Candidate {
    double u_accept = 0;
    double u_unit = 0;
  };

  Proactive(const scenarios::Scenario& s, const scenarios::Scenario::Model& m) : s_(s), m_(m) {}

  /// Whether the model discovers work at all.
  bool active() const { return m_.proactive && m_.proactive->rate_per_hour > 0; }
  /// The discovering resource (index into Model::resources).
  std::uint32_t resource() const { return m_.proactive->resource; }

  /// Hours to the next candidate (exponential at the model's rate).
  double next_gap_h(sim::RandomStream& model_rng) const;

  /// The uniforms of the candidate arriving now.
  static Candidate candidate(sim::RandomStream& model_rng);

  /// The unit of an accepted candidate, or none when it is rejected: accepted with
  /// probability `knowledge` x `idle_share` (mean K and share of idle servers of the
  /// discovering resource), its unit drawn by headcount.
  std::uint32_t accept(const Candidate& c, double knowledge, double idle_share) const;

  /// The discovered item for `unit`: seeded from the model's stream, priority, effort
  /// and value drawn from the item's own, value scaled by the model's value factor.
  ItemSpec discovered(std::uint32_t unit, sim::RandomStream& model_rng) const;

  /// A proactive item was delivered: one more capability.
  void delivered() {
    if (m_.incident_reduction_per_item > 0) {
      incident_reduction_ =
          std::min(m_.max_incident_reduction, incident_reduction_ + m_.incident_reduction_per_item);
    }
  }

  /// The share of incidents the capabilities delivered so far prevent.
  double incident_reduction() const { return incident_reduction_; }

private:
  const scenarios::Scenario& s_;
  const scenarios::Scenario::Model& m_;
  double incident_reduction_ = 0;
};

} // namespace itsim::models::detail
