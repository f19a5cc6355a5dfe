// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "itsim/sim/random_stream.hpp"
#include "itsim/sim/sim_time.hpp"

namespace itsim::sim {

namespace detail {
/// An array with every element equal to `value`.
template <std::size_t N> constexpr std::array<double, N> filled(double value) {
  std::array<double, N> a{};
  for (double& x : a)
    x = value;
  return a;
}
} // namespace detail

/// How the rate of a demand stream varies with the clock (MODEL.md M1): a multiplier per
/// hour of the day, a multiplier per weekday (a Monday peak) and compound yearly growth.
/// The rate at t is base x hour_of_day[hour(t)] x weekday[weekday(t)] x (1 + g)^(t / year),
/// with t = 0 Monday 00:00 and a year of 365 days. All ones and g = 0 (the default) is a
/// homogeneous Poisson process.
struct RateProfile {
  /// Multiplier for each hour of the day, [0] = 00:00-01:00 (dimensionless, >= 0).
  std::array<double, 24> hour_of_day = detail::filled<24>(1.0);
  /// Multiplier for each weekday, [0] = Monday ... [6] = Sunday (dimensionless, >= 0).
  std::array<double, 7> weekday = detail::filled<7>(1.0);
  /// Compound growth of the rate per year of 365 days (0.1 = +10% a year), > -1.
  double yearly_growth = 0;

  /// Throws ModelError naming the first bad entry, e.g.
  /// `hour_of_day[9]: multiplier must be >= 0, got -1`: every multiplier must be finite and
  /// >= 0, neither array may be all zeros, and yearly_growth must be finite and > -1.
  void validate() const;
  /// A validated copy scaled so that the mean of hour_of_day[h] x weekday[d] over the 168
  /// hours of a week is 1 (each array is divided by its own mean). The convention: with a
  /// normalised profile, the base rate of an ArrivalProcess is its long-run mean rate per
  /// hour (in year 0), and the profile only shapes when arrivals come.
  RateProfile normalised() const;
};

/// A non-homogeneous Poisson arrival process with a weekly profile and yearly growth,
/// sampled by thinning (Lewis & Shedler 1979).
///
/// Thinning draws candidates from a process whose rate B(s) bounds the true rate and keeps
/// each candidate s with probability rate(s) / B(s). Here B is piecewise constant: within
/// each hour of the week it is base x that hour's multiplier x G, where G is the growth
/// factor at the end of a one-week window (g > 0; a candidate chain passing the window's
/// end restarts there, which is exact because the candidate process is memoryless) or 1
/// (g = 0, no window). Candidates come from inverting B's cumulative rate: one exponential
/// draw walked across the hours (whole weeks at once when g = 0). Without growth B is the
/// rate itself, so every candidate is kept without a draw and hours with a zero multiplier
/// cost nothing: one draw per arrival. With g < 0 the rate only falls, and a single bound
/// (base x peak multipliers x growth at the chain's point) holds for all later time.
/// With a flat profile and no growth a fast path draws plain exponential gaps.
///
/// Sampled gaps in real hours enter the clock through SimDuration::from_hours (nearest
/// tick). The process is stateless: next_after() may be called from any t, and the object
/// can be shared between sources, each with its own RandomStream.
class ArrivalProcess {
public:
  /// base_rate_per_hour: arrivals per hour before the profile's multipliers (finite,
  /// >= 0; 0 means no arrivals at all). The profile is validated but not normalised: pass
  /// profile.normalised() to make the base rate the long-run mean. Throws ModelError.
  explicit ArrivalProcess(double base_rate_per_hour, RateProfile profile = {});

  /// The first arrival strictly after t (at least one tick later, so that a caller looping
  /// on next_after always advances), drawn from rng; SimTime::max() when there is none
  /// within the clock's range (base rate 0, or a rate decayed to nothing).
  SimTime next_after(SimTime t, RandomStream& rng) const;
  /// The arrival rate at t (arrivals per hour).
  double rate_at(SimTime t) const;
  /// Expected number of arrivals in [a, b] (a <= b): the exact integral of the rate. The
  /// rate is constant within each hour of the week except for the growth factor, whose
  /// integral over a piece is closed form (e^(cs) (e^(c(e-s)) - 1) / c); whole weeks are
  /// summed as a geometric series, so the cost is O(one week of hours) for any span.
  /// Throws ModelError when a > b.
  double expected_count(SimTime a, SimTime b) const;

  /// The base rate (arrivals per hour).
  double base_rate_per_hour() const { return base_; }
  /// The profile as given (validated).
  const RateProfile& profile() const { return profile_; }
  /// True when the fast path applies: flat profile and no growth.
  bool is_homogeneous() const { return homogeneous_; }

private:
  // next_after for a shrinking rate (yearly_growth < 0): thinning with the bound at t.
  SimTime next_after_decaying(SimTime t, RandomStream& rng) const;
  // The walk of next_after without growth from an hour's start `pos` with `e` of mass left:
  // true with `candidate` (-1: none in the clock's range) when it ends, false (pos and e
  // advanced) near the clock's range, where next_after's own walk goes on.
  bool walk_steady(std::int64_t& pos, double& e, std::int64_t& candidate) const;
  // Growth factor (1 + g)^(t / year) at tick t.
  double growth_at(std::int64_t ticks) const;
  // Integral over [s, e) (ticks, within one hour of the week) of multiplier x growth, hours.
  double piece_integral(std::int64_t s, std::int64_t e) const;

  double base_ = 0;
  RateProfile profile_;
  std::array<double, 168> hour_of_week_{};  // hour_of_day x weekday, [0] = Monday 00:00
  std::array<double, 168> hour_rate_{};     // base x hour_of_week_: the rate without growth
  std::array<double, 168> hour_mass_{};     // a whole hour's mass of hour_rate_
  std::array<std::size_t, 168> zero_run_{}; // hours of zero rate from hour j to the week's end
  double peak_multiplier_ = 0;              // max hour multiplier x max weekday multiplier
  double log_growth_ = 0;                   // log(1 + g)
  double growth_per_hour_ = 0;              // log(1 + g) / hours per year
  double week_kernel_ = 0; // sum_j m_j x integral over hour j of e^(c t) dt, week from 0
  double week_sum_ = 0;    // sum of hour_of_week_
  bool homogeneous_ = false;
};

} // namespace itsim::sim
