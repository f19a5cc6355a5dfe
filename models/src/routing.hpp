// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_models: routing, handoffs and rework (MODEL.md M2, M3, M6, M7).
#pragma once

#include <cstdint>

#include "item.hpp"
#include "itsim/sim/calendar.hpp"

namespace itsim::models::detail {

/// The routes of one model: which stage an item goes to next, what entering a stage costs
/// (stage delays, handoffs with their delay and loss of understanding, change gates),
/// the work of each visit, and the outcome of a stage's end (rework when the requirement
/// was misunderstood, a second team for spanning work, the next stage by the routing
/// row). Every draw comes from the item's own stream, in a fixed order. The coordinator
/// moves the item; Routing only answers.
class Routing {
public:
  Routing(const scenarios::Scenario& s, const scenarios::Scenario::Model& m,
          const sim::Calendar& business)
      : s_(s), m_(m), mech_(s.mechanisms), business_(business) {}

  const scenarios::Scenario::Stage& stage(const Item& it) const {
    return m_.routes[it.route].stages[it.stage];
  }
  /// The first stage of the item's route.
  std::uint32_t start(const Item& it) const { return m_.routes[it.route].start; }

  /// Moves `it` to `stage` at `now` and returns when it joins that stage's queue: after the
  /// stage's delay, a handoff's delay (counting the handoff and multiplying understanding
  /// by the retention k, plus `retention_boost` and at most 1, unless it is rework) and the
  /// next gate. Adds the wait to handoff_h. `handoff`: a handoff even if the stage has none
  /// (work in flight moving to a path's new structure).
  sim::SimTime enter(Item& it, std::uint32_t stage, sim::SimTime now, double retention_boost,
                     bool handoff = false) const;

  /// The working hours of the visit starting now: the stage's service time or the item's
  /// share of effort (less for rework), times `knowledge_multiplier` (M4) and the context
  /// switch (M6). Coordination does not add work: see coordination_wait_h.
  double visit_work(Item& it, const scenarios::Scenario::Stage& st, double knowledge_multiplier,
                    bool context_switch) const;

  /// Coordination of spanning work (M6): a spanning item at a `coordinate` stage waits,
  /// after a service of `service_h` working hours, (coordination_factor - 1) x service_h
  /// more, so that its time at the stage is the factor x its service time while the
  /// people's effort is unchanged (Herbsleb & Mockus 2003 measured duration). 0 otherwise.
  double coordination_wait_h(const Item& it, const scenarios::Scenario::Stage& st,
                             double service_h) const;

  /// At the end of stage `st` (the item's), when it checks for rework: the requirement was
  /// understood with probability u (1 - w (1 - K)), K the doer's knowledge; else the item is marked
  /// as rework and the stage to go back to is returned.
  std::optional<std::uint32_t> rework(Item& it, const scenarios::Scenario::Stage& st,
                                      double k) const;

  /// Spanning work at a second-team stage goes once to the next unit's copy: true when it
  /// does now (the home unit has changed); otherwise the home unit is the item's own.
  bool to_second_team(Item& it, const scenarios::Scenario::Stage& st) const;

  /// The next stage by the routing row (one uniform from the item's stream when the row
  /// has a choice), or Scenario::Next::done.
  std::uint32_t next_stage(Item& it, const scenarios::Scenario::Stage& st) const;

  /// The understanding at delivery with the last doer's knowledge K (M3's u).
  double final_understanding(const Item& it, double k) const {
    return it.understanding * (1 - mech_.knowledge_weight * (1 - k));
  }

private:
  const scenarios::Scenario& s_;
  const scenarios::Scenario::Model& m_;
  const scenarios::Scenario::Mechanisms& mech_;
  const sim::Calendar& business_;
};

} // namespace itsim::models::detail
