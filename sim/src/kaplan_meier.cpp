// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/kaplan_meier.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "itsim/sim/error.hpp"
#include "itsim/sim/format.hpp"

namespace itsim::sim {

namespace {
/// Survival values this close to 1 - p count as equal to it: the product of n factors
/// carries a rounding error of about n ulps, far below 1e-9 for any run's item count.
constexpr double flat_tolerance = 1e-9;
} // namespace

void KaplanMeier::sort() const {
  if (sorted_) return;
  std::size_t index = 0;
  for (const std::vector<double>* v : {&events_, &censored_}) {
    for (const double t : *v) {
      if (!(t >= 0)) {
        throw ModelError("KaplanMeier: " + std::string(v == &events_ ? "event" : "censored") +
                         " observation " + std::to_string(index) +
                         " (0-based) must be a time >= 0, got " + format_double(t));
      }
      ++index;
    }
  }
  std::sort(events_.begin(), events_.end());
  std::sort(censored_.begin(), censored_.end());
  sorted_ = true;
}

template <class F> void KaplanMeier::walk(F&& f) const {
  sort();
  std::size_t e = 0, c = 0;
  while (e < events_.size() || c < censored_.size()) {
    const double at = c == censored_.size()                              ? events_[e]
                      : e == events_.size() || censored_[c] < events_[e] ? censored_[c]
                                                                         : events_[e];
    std::size_t d = 0, removed = 0;
    for (; e < events_.size() && events_[e] == at; ++e, ++d, ++removed) {
    }
    for (; c < censored_.size() && censored_[c] == at; ++c, ++removed) {
    }
    if (f(at, d, removed, e)) return;
  }
}

double KaplanMeier::survival(double t) const {
  double s = 1;
  std::size_t at_risk = count();
  walk([&](double at, std::size_t d, std::size_t removed, std::size_t) {
    if (at > t) return true;
    if (d > 0) s *= 1 - double(d) / double(at_risk);
    at_risk -= removed;
    return false;
  });
  return s;
}

double KaplanMeier::quantile(double p) const {
  if (!(p > 0.0 && p <= 1.0)) {
    throw ModelError("KaplanMeier::quantile: p must be in (0, 1], got " + format_double(p));
  }
  const double target = 1 - p;
  double s = 1;
  std::size_t at_risk = count();
  double result = std::numeric_limits<double>::quiet_NaN();
  walk([&](double at, std::size_t d, std::size_t removed, std::size_t next_event) {
    at_risk -= removed;
    if (d == 0) return false;
    s *= 1 - double(d) / double(at_risk + removed);
    if (s > target + flat_tolerance) return false;
    if (s < target - flat_tolerance) {
      result = at;
      return true;
    }
    // Flat at exactly 1 - p until the next event: the midpoint.
    result = next_event == events_.size() ? at : (at + events_[next_event]) / 2;
    return true;
  });
  return result;
}

} // namespace itsim::sim
