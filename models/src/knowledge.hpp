// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_models: business knowledge (MODEL.md M4), per station and unit.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "item.hpp"

namespace itsim::models::detail {

/// What each server group knows of each business unit: K starts at the resource's K0 and
/// rises with experience along Wright's learning curve, while experience decays monthly.
/// Its state is the experience (person-hours) per (station, unit) and when it was last
/// decayed. Reading K decays the experience to the time asked, as learning does; both are
/// deterministic in the sequence of calls, which the coordinator keeps fixed.
class Knowledge {
public:
  /// The mechanism's parameters: Wright's progress ratio, the experience scale (person-
  /// hours), the monthly retention of experience, the effort penalty (1 - K) costs.
  explicit Knowledge(const scenarios::Scenario::Mechanisms& m, std::size_t units)
      : exponent_(std::log2(m.progress_ratio)), learning_hours_(m.learning_hours),
        monthly_retention_(m.monthly_retention), effort_penalty_(m.effort_penalty), units_(units) {}

  /// Adds a station whose `people` (x availability) start at knowledge `k0`; returns its
  /// index, which must equal the coordinator's station index.
  std::uint32_t add_station(double k0, double people);

  /// K of `station` for `unit` at `now`, in [K0, 1).
  double level(std::uint32_t station, std::uint32_t unit, sim::SimTime now);

  /// `person_hours` of work for `unit` done at `station`, ending at `now`.
  void learn(std::uint32_t station, std::uint32_t unit, double person_hours, sim::SimTime now);

  /// K0 of `station` (what its people knew before any experience).
  double k0(std::uint32_t station) const { return stations_[station].k0; }
  /// `station`'s people now start from `k0` (a reorganisation forms or joins a team).
  void set_k0(std::uint32_t station, double k0) { stations_[station].k0 = k0; }
  /// One of `station`'s `servers` people leaves at `now`, taking their share of its
  /// experience of every unit with them (attrition, M14).
  void person_leaves(std::uint32_t station, std::uint32_t servers, sim::SimTime now);
  /// The multiplier of effort for a doer with knowledge K: 1 + penalty (1 - K).
  double effort_multiplier(double k) const { return 1 + effort_penalty_ * (1 - k); }

  /// Experience of `station` for `unit` in person-hours, as last decayed.
  double experience(std::uint32_t station, std::uint32_t unit) const {
    return stations_[station].experience[unit];
  }

private:
  struct Station {
    double k0 = 0;
    double people = 0;
    std::vector<double> experience;
    std::vector<sim::SimTime> experience_at;
  };
  void decay(Station& st, std::uint32_t unit, sim::SimTime now) const;

  double exponent_; // log2 of Wright's progress ratio
  double learning_hours_;
  double monthly_retention_;
  double effort_penalty_;
  std::size_t units_;
  std::vector<Station> stations_;
};

} // namespace itsim::models::detail
