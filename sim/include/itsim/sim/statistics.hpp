// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "itsim/sim/error.hpp"
#include "itsim/sim/sim_time.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace itsim::sim {

/// Mean, variance, extremes and sum of a stream of observations in O(1) memory.
///
/// Uses Welford's update (Welford 1962) rather than accumulating sum and sum of squares:
/// the textbook formula sum(x^2) - n*mean^2 cancels catastrophically when the spread is
/// small next to the mean (timestamps, costs around 1e9), while Welford's running
/// centred second moment stays accurate. Two accumulators filled independently (per
/// replication, per thread) combine exactly with merge(). Values carry whatever unit the
/// caller observes (hours of waiting, euros); every statistic is in that unit (variance in
/// its square).
class RunningStats {
public:
  /// Records one observation x (caller's unit). Hot path: inline, no allocation.
  void add(double x) {
    ++n_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(n_);
    m2_ += delta * (x - mean_);
    sum_ += x;
    min_ = x < min_ ? x : min_; // branch-free (minsd/maxsd) on the hot path
    max_ = x > max_ ? x : max_;
  }

  /// Number of observations recorded.
  std::uint64_t count() const { return n_; }
  /// Arithmetic mean of the observations; NaN when there are none.
  double mean() const;
  /// Sample variance (divisor n - 1), in the observations' unit squared; 0 when n < 2.
  double variance() const;
  /// Sample standard deviation, sqrt(variance()), in the observations' unit; 0 when n < 2.
  double stddev() const;
  /// Smallest observation; NaN when there are none.
  double min() const;
  /// Largest observation; NaN when there are none.
  double max() const;
  /// Sum of the observations (0 when there are none).
  double sum() const { return sum_; }

  /// Adds every observation of `other` to this accumulator, as if they had been add()ed
  /// here, using the pairwise combination of Chan, Golub & LeVeque (1979).
  void merge(const RunningStats& other);
  /// Forgets every observation (e.g. at the end of a warm-up period).
  void reset() { *this = RunningStats(); }

private:
  std::uint64_t n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0; // sum of squared deviations from the running mean
  double sum_ = 0.0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

/// Time average of a piecewise-constant quantity: queue length, busy servers, open
/// incidents.
///
/// The level is constant between calls to update(); the accumulator integrates it over
/// simulated time exactly (the area grows by level * elapsed ticks at each change), so
/// the result does not depend on how often the level is sampled, only on when it
/// changes. Integrals are reported in value * hours and means in the value's own unit.
/// Time must never go backwards: every call passes the simulation clock, which is
/// monotone, so a backward step is a bug in the caller (ITSIM_ASSERT in update(); the
/// cold query functions throw ModelError instead).
class TimeWeighted {
public:
  /// Starts accumulating at sim time `start` with the level `initial_value`.
  explicit TimeWeighted(SimTime start = SimTime::zero(), double initial_value = 0.0)
      : start_(start), last_(start), value_(initial_value), max_(initial_value) {}

  /// Sets the level to `new_value` from sim time `now` on (now >= the previous update).
  /// Hot path: inline, no allocation.
  void update(SimTime now, double new_value) {
    ITSIM_ASSERT(now >= last_);
    area_ += value_ * static_cast<double>((now - last_).count());
    last_ = now;
    value_ = new_value;
    max_ = new_value > max_ ? new_value : max_; // branch-free (maxsd)
  }
  /// Changes the level by `delta` at sim time `now` (e.g. +1 on arrival, -1 on departure).
  void add(SimTime now, double delta) { update(now, value_ + delta); }

  /// The current level.
  double value() const { return value_; }
  /// Sim time at which accumulation started (construction or the last reset()).
  SimTime start() const { return start_; }
  /// Integral of the level from start() to sim time `until`, in value * hours, assuming
  /// the level stays at value() after the last update. Throws ModelError if `until` is
  /// before the last update.
  double integral(SimTime until) const;
  /// Time average of the level over [start(), until]: integral(until) divided by the
  /// elapsed hours, in the value's unit. When no time has elapsed it is the current level.
  /// Throws ModelError if `until` is before the last update.
  double mean(SimTime until) const;
  /// Highest level held since start() (including the level at start()).
  double max() const { return max_; }

  /// Restarts accumulation at sim time `at` (>= the last update), keeping the current
  /// level: used to discard a warm-up period. Throws ModelError if `at` is before the last
  /// update.
  void reset(SimTime at);

private:
  SimTime start_;
  SimTime last_;
  double value_;
  double max_;
  double area_ = 0.0; // value * ticks from start_ to last_
};

/// Exact percentiles of one run's observations (waiting times, resolution times).
///
/// Keeps every observation, so memory is 8 bytes per value; call reserve() when the count
/// is known to avoid reallocation. quantile() sorts the stored values in place the first
/// time it is called after an add() and remembers that they are sorted, so repeated
/// queries cost O(1) each. That is why quantile() is const while the storage is mutable:
/// the observable contents (the multiset of values) never change. Consequently a
/// QuantileSample must not be queried from two threads at once without external locking.
class QuantileSample {
public:
  /// Records one observation x (caller's unit). Amortised O(1) push_back.
  void add(double x) {
    values_.push_back(x);
    sum_ += x;
    sorted_ = false;
  }
  /// Reserves storage for `n` observations in total.
  void reserve(std::size_t n) { values_.reserve(n); }
  /// Number of observations recorded.
  std::size_t count() const { return values_.size(); }
  /// Arithmetic mean of the observations; NaN when there are none.
  double mean() const;
  /// The p-quantile, p in [0, 1], by Hyndman & Fan's definition 7 (the default of R's
  /// quantile() and numpy.quantile): with the values sorted x[0] <= ... <= x[n-1] and
  /// h = (n - 1) p, it is x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)]).
  /// Result in the observations' unit. Throws ModelError if p is NaN or outside [0, 1], if
  /// the sample is empty, or if an observation is NaN.
  double quantile(double p) const;
  /// Forgets every observation (keeps the reserved storage).
  void reset() {
    values_.clear();
    sum_ = 0.0;
    sorted_ = true;
  }

private:
  mutable std::vector<double> values_;
  mutable bool sorted_ = true;
  double sum_ = 0.0;
};

} // namespace itsim::sim
