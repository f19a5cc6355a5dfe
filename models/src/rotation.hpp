// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_models: rotation between IT and business roles (MODEL.md M5).
#pragma once

#include <cstdint>
#include <vector>

#include "item.hpp"

namespace itsim::models::detail {

/// Tour of duty: every period a share of the rotating resources' staff leave for a stint
/// in the business while business staff come into IT and ramp up. While away, IT staff
/// gain experience of the business fast; back home, the business staff make their units'
/// requirements clearer and serve more requests themselves. The part keeps who is away
/// and the units' boosts; the coordinator applies the staffing it returns to the
/// stations and the experience to the knowledge part.
class Rotation {
public:
  /// A station of a rotating resource, as the coordinator built it.
  struct StationView {
    std::uint32_t station = 0;
    std::uint32_t unit = none; ///< none: serves every unit
    double people = 0;         ///< people x availability
    double availability = 1;
    double speed = 1;          ///< people per server
    std::uint32_t servers = 1; ///< without a rotation under way
    bool wip_limited = false;
  };

  /// A station's staffing for the stint or after it.
  struct Staffing {
    std::uint32_t station = 0;
    double productivity = 1;         ///< work rate of a server relative to normal
    std::int32_t capacity_delta = 0; ///< servers added to (or taken from) the normal count
  };

  /// Experience for `unit` that `station`'s returning staff bring back.
  struct Experience {
    std::uint32_t station = 0;
    std::uint32_t unit = 0;
    double person_hours = 0;
  };

  /// `stations`: those of the rotating resources, in station order.
  Rotation(const scenarios::Scenario& s, const scenarios::Scenario::Rotation& r,
           std::vector<StationView> stations);

  /// A stint starts now: who goes out and who comes in, spread over the stations.
  std::vector<Staffing> start_stint(sim::SimTime now);

  /// The stint ends after `stint_work_h` working hours: the experience gained, in
  /// (station, unit) order, to be learnt before the station's staffing returns to normal
  /// (the Staffing of `back`). Business staff return to the largest units, whose boosts
  /// are set.
  std::vector<Experience> end_stint(double stint_work_h, std::vector<Staffing>& back);

  /// When the stint started (the next starts a period later).
  sim::SimTime stint_start() const { return stint_start_; }

  /// Additions to handoff retention and to the self-served share of requests for `unit`.
  double retention_boost(std::uint32_t unit) const { return retention_boost_[unit]; }
  double self_serve_boost(std::uint32_t unit) const { return self_serve_boost_[unit]; }

  /// Newcomers' mean productivity over a stint: a straight ramp from ramp_from to ramp_to
  /// over ramp_h, flat after. (A service time is fixed when the item joins the queue, so
  /// the stint's mean stands for the ramp.)
  double newcomer_productivity() const;

  /// `total` whole people shared in proportion to `weights` by largest remainder.
  static std::vector<std::uint32_t> spread(std::uint32_t total, const std::vector<double>& weights);

private:
  Staffing staffing(const StationView& v, std::uint32_t out, std::uint32_t in) const;

  const scenarios::Scenario& s_;
  const scenarios::Scenario::Rotation& r_;
  std::vector<StationView> stations_;
  std::vector<std::uint32_t> out_; // per rotating station, on a stint now
  std::vector<std::uint32_t> in_;  // per rotating station, business staff in IT now
  std::vector<double> retention_boost_;
  std::vector<double> self_serve_boost_;
  sim::SimTime stint_start_;
};

} // namespace itsim::models::detail
