// SPDX-License-Identifier: Apache-2.0
// The Kaplan-Meier estimate of a distribution from right-censored observations.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace itsim::sim {

/// Durations of which some are only known to exceed a value (right-censored), and the
/// Kaplan-Meier (product-limit) estimate of their distribution.
///
/// Why: the lead times of the items that happened to finish before a run stopped are a
/// biased sample of lead times, short ones over-represented; an item still open at the
/// end is known only to take longer than its age. The product-limit estimate uses both:
/// at each observed event time t, S(t) = S(t-) x (1 - d / n), with d the events at t and
/// n the observations still at risk just before t (those whose time is >= t). An
/// observation censored at the same time as an event counts as at risk at that time (the
/// usual convention: censoring after events). With nothing censored the estimate is the
/// empirical distribution, and quantile() the ordinary sample quantile.
class KaplanMeier {
public:
  /// An event (e.g. a delivery) observed after `t` (caller's unit, >= 0).
  void add_event(double t) { add(t, true); }
  /// An observation known only to last longer than `t` (still open at t, or withdrawn at t).
  void add_censored(double t) { add(t, false); }

  /// Observations recorded, events and censored ones.
  std::size_t count() const { return events_.size() + censored_.size(); }
  /// Events recorded.
  std::size_t events() const { return events_.size(); }
  /// The event times in ascending order (sorted once, as the estimate needs them anyway).
  /// Throws ModelError as quantile() does if an observation is NaN or negative.
  std::span<const double> sorted_events() const {
    sort();
    return events_;
  }

  /// The estimated survival S(t) = P(T > t), in [0, 1]; 1 when there are no observations.
  double survival(double t) const;

  /// The p-quantile, p in (0, 1]: the smallest event time t with 1 - S(t) >= p; where the
  /// curve equals 1 - p exactly (to 1e-9) from an event time up to the next one, the
  /// midpoint of the two (t itself when no event follows), as R's survfit does; with nothing
  /// censored that is the sample quantile of Hyndman & Fan's definition 2 (the median of an
  /// even sample averages the middle two).
  /// NaN when the estimate never reaches p ("not reached": too much is censored beyond the
  /// last event) or there are no observations. Throws ModelError if p is outside (0, 1] or
  /// an observation is NaN or negative.
  double quantile(double p) const;

  /// Forgets every observation (keeps the reserved storage).
  void reset() {
    events_.clear();
    censored_.clear();
    sorted_ = true;
  }

private:
  void add(double t, bool event) {
    (event ? events_ : censored_).push_back(t);
    sorted_ = false;
  }
  void sort() const;
  /// Walks the distinct times in ascending order: calls f(time, events at it, observations
  /// at it, index of the first event after it) until f returns true.
  template <class F> void walk(F&& f) const;

  // Events and censored times apart: each sorts as plain doubles (a run has tens of
  // thousands of deliveries and few censored items), merged when walked.
  mutable std::vector<double> events_;
  mutable std::vector<double> censored_;
  mutable bool sorted_ = true;
};

} // namespace itsim::sim
