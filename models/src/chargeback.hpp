// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_models: chargeback, internal pricing of IT work (MODEL.md M13).
#pragma once

#include <algorithm>
#include <cstdint>

#include "item.hpp"

namespace itsim::models::detail {

/// IT charges the business price_per_hour for its effort. Each change (enhancement or
/// project) the business raises draws one uniform from the stream "chargeback", whatever
/// becomes of it, so every model of a replication draws the same number for the same item
/// (common random numbers); an item that would reach IT is forgone when the uniform falls
/// below f = min(1, elasticity x price / effort_cost_rate). A forgone item is built in the
/// shadow with M9's build share plus shadow_boost (Requesters decides, from the item's own
/// stream).
class Chargeback {
public:
  Chargeback(const scenarios::Scenario& s, std::uint64_t master_seed, std::uint64_t replication)
      : mech_(s.mechanisms) {
    const double price = mech_.chargeback_price_per_hour;
    if (!(price > 0)) return;
    forgone_ = mech_.effort_cost_rate > 0
                   ? std::min(1.0, mech_.chargeback_elasticity * price / mech_.effort_cost_rate)
                   : 1.0;
    rng_ = sim::RandomStream(master_seed, replication, "chargeback");
    active_ = true;
  }

  /// Whether IT charges for its work.
  bool active() const { return active_; }
  /// f: the probability that a change that would reach IT is forgone.
  double forgone_probability() const { return forgone_; }
  /// The shadow build share of forgone items.
  double build_share() const {
    return std::min(1.0, mech_.shadow_build_share + mech_.chargeback_shadow_boost);
  }

  /// Whether a raised item of `kind` that would reach IT (`to_it`) is forgone; draws for
  /// every raised change.
  bool forgoes(scenarios::Scenario::WorkKind kind, bool to_it) {
    if (!is_change(kind)) return false;
    const double u = rng_.uniform01();
    return to_it && u < forgone_;
  }

private:
  const scenarios::Scenario::Mechanisms& mech_;
  sim::RandomStream rng_{0};
  double forgone_ = 0;
  bool active_ = false;
};

} // namespace itsim::models::detail
