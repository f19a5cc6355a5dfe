// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_models: the requesters' side (MODEL.md M9): patience, shadow IT
// and perception.
#pragma once

#include <algorithm>

#include "item.hpp"
#include "itsim/sim/calendar.hpp"

namespace itsim::models::detail {

/// How the business reacts to IT's lead times. A requester tolerates so much queueing in
/// all (patience, Erlang A's, over the whole route); one who gives up on work with a
/// business value may build it outside IT, a shadow system worth part of the value, with
/// its build and running cost and incidents of its own. Every delivered request is scored
/// against the lead time the requester expected, an expectation that rises over the years;
/// a requester who gave up scores the worst.
class Requesters {
public:
  /// What came of an item given up on.
  struct Abandonment {
    bool shadow_build = false;
    ShadowMoney money;      ///< of the shadow system in the measured window, when built
    double incident_h = -1; ///< hours from now to its first follow-up incident; < 0: none
  };

  /// Money counts on the time base of `window`.
  Requesters(const scenarios::Scenario& s, const sim::Calendar& business, const MoneyWindow& window)
      : s_(s), mech_(s.mechanisms), business_(business), window_(window) {}

  /// The queueing from `from` to `to` uses up the requester's patience (in the patience's
  /// time base).
  void use_patience(Item& it, sim::SimTime from, sim::SimTime to) const;

  /// When the requester of `it`, queueing from `now`, gives up.
  sim::SimTime patience_deadline(const Item& it, sim::SimTime now) const;

  /// The requester of `it` gave up at `now`, with `urgency` of its value left: only work
  /// with a business value is built outside IT (a given-up ticket is dropped), with
  /// probability shadow_build_share. A shadow system costs its build at once, then earns
  /// its share of the value and costs its running cost week by week over the value life,
  /// as far as the measured window goes; it fails more often, a follow-up incident within
  /// half a year on average per unit of incident_factor. Draws from the item's stream.
  /// `build_share` >= 0 replaces shadow_build_share (chargeback's forgone items, M13).
  Abandonment abandoned(Item& it, double urgency, sim::SimTime now, double build_share = -1) const;

  /// The lead time a requester of work type `wt` expects at `now`, calendar hours.
  double expected_lead(const scenarios::Scenario::WorkType& wt, sim::SimTime now) const;

  /// The perception score of a requester who gave up: the worst the scale gives. Their wait
  /// was longer than they would accept; leaving them out would let a model look better the
  /// more requesters it drives away.
  static constexpr double gave_up_score = 0.0;

  /// The perception score of a delivery after `lead_h`: min(1, expected / actual).
  double perception(const scenarios::Scenario::WorkType& wt, double lead_h,
                    sim::SimTime now) const {
    const double expected = expected_lead(wt, now);
    return lead_h > 0 ? std::min(1.0, expected / lead_h) : 1.0;
  }

private:
  const scenarios::Scenario& s_;
  const scenarios::Scenario::Mechanisms& mech_;
  const sim::Calendar& business_;
  MoneyWindow window_;
};

} // namespace itsim::models::detail
