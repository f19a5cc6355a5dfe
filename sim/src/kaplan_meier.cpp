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
  for (std::size_t i = 0; i < obs_.size(); ++i) {
    if (!(obs_[i].t >= 0)) {
      throw ModelError("KaplanMeier: observation " + std::to_string(i) +
                       " (0-based) must be a time >= 0, got " + format_double(obs_[i].t));
    }
  }
  // Ascending times; at equal times events first, so censored ones count as at risk.
  std::sort(obs_.begin(), obs_.end(), [](const Obs& a, const Obs& b) {
    return a.t < b.t || (a.t == b.t && a.event && !b.event);
  });
  sorted_ = true;
}

double KaplanMeier::survival(double t) const {
  sort();
  double s = 1;
  std::size_t at_risk = obs_.size();
  std::size_t i = 0;
  while (i < obs_.size() && obs_[i].t <= t) {
    const double at = obs_[i].t;
    std::size_t d = 0, removed = 0;
    for (; i < obs_.size() && obs_[i].t == at; ++i, ++removed)
      if (obs_[i].event) ++d;
    if (d > 0) s *= 1 - double(d) / double(at_risk);
    at_risk -= removed;
  }
  return s;
}

double KaplanMeier::quantile(double p) const {
  if (!(p > 0.0 && p <= 1.0)) {
    throw ModelError("KaplanMeier::quantile: p must be in (0, 1], got " + format_double(p));
  }
  sort();
  const double target = 1 - p;
  double s = 1;
  std::size_t at_risk = obs_.size();
  std::size_t i = 0;
  while (i < obs_.size()) {
    const double at = obs_[i].t;
    std::size_t d = 0, removed = 0;
    for (; i < obs_.size() && obs_[i].t == at; ++i, ++removed)
      if (obs_[i].event) ++d;
    at_risk -= removed;
    if (d == 0) continue;
    s *= 1 - double(d) / double(at_risk + removed);
    if (s > target + flat_tolerance) continue;
    if (s < target - flat_tolerance) return at;
    // Flat at exactly 1 - p until the next event: the midpoint.
    const auto next = std::find_if(obs_.begin() + static_cast<std::ptrdiff_t>(i), obs_.end(),
                                   [](const Obs& o) { return o.event; });
    return next == obs_.end() ? at : (at + next->t) / 2;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

} // namespace itsim::sim
