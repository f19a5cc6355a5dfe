// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_models: external-customer contact (MODEL.md M11).
#pragma once

#include <cstdint>
#include <vector>

#include "item.hpp"

namespace itsim::models::detail {

/// IT staff who spend a share of their paid time with the company's customers. The loader
/// has already taken that share from their availability and added the stages where direct
/// contacts are served; this part makes the work the contact brings: source 0 is the
/// customer-driven opportunities (a Poisson stream at opportunity_rate x the contact
/// person-hours per hour, of the opportunity work type, value x value_factor), source 1 + i
/// the direct contacts at the i-th contact resource (direct_contact_rate x its contact
/// person-hours per hour). Contact person-hours per calendar hour are people x share x 40 /
/// 168. Every draw comes from its own stream, "customer_contact.<model>", so demand's
/// streams are untouched.
class CustomerContact {
public:
  /// Streams of replication `replication` of `master_seed`; inactive when the model has no
  /// customer contact or its share is 0.
  CustomerContact(const scenarios::Scenario& s, const scenarios::Scenario::Model& m,
                  std::uint64_t master_seed, std::uint64_t replication);

  /// Whether the model's staff meet customers at all.
  bool active() const { return active_; }
  /// Sources: opportunities, then one per contact resource.
  std::uint32_t sources() const { return static_cast<std::uint32_t>(rate_per_h_.size()); }
  /// Items per calendar hour of source `i`.
  double rate_per_h(std::uint32_t i) const { return rate_per_h_[i]; }
  /// Hours to source `i`'s next item (exponential at its rate; rate > 0).
  double next_gap_h(std::uint32_t i);

  /// The item source `i` brings now: its unit drawn by headcount among the customer-facing
  /// units (all units when none faces customers), seeded from the part's stream; priority,
  /// effort and (opportunities) value from the item's own, value x value_factor.
  ItemSpec item(std::uint32_t i);

  /// The stage an item of source `i` starts at: its route's start for an opportunity, the
  /// contacted resource's direct stage for a contact.
  std::uint32_t start_stage(std::uint32_t i, std::uint32_t route_start) const {
    return i == 0 ? route_start : m_.customer_contact->direct_stages[i - 1];
  }

private:
  const scenarios::Scenario& s_;
  const scenarios::Scenario::Model& m_;
  sim::RandomStream rng_{0};
  std::vector<double> rate_per_h_;
  std::vector<double> unit_weight_; ///< cumulative shares of the units customers belong to
  bool active_ = false;
};

} // namespace itsim::models::detail
