// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/statistics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace itsim::sim {

namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

std::string format_time(SimTime t) {
  return std::to_string(t.ticks()) + " ms";
}

} // namespace

// ---------------------------------------------------------------------------------------
// RunningStats

double RunningStats::mean() const {
  return n_ == 0 ? nan_value : mean_;
}

double RunningStats::variance() const {
  return n_ < 2 ? 0.0 : m2_ / static_cast<double>(n_ - 1);
}

double RunningStats::stddev() const {
  return std::sqrt(variance());
}

double RunningStats::min() const {
  return n_ == 0 ? nan_value : min_;
}

double RunningStats::max() const {
  return n_ == 0 ? nan_value : max_;
}

void RunningStats::merge(const RunningStats& other) {
  if (other.n_ == 0) return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(n_);
  const double nb = static_cast<double>(other.n_);
  const double n = na + nb;
  const double delta = other.mean_ - mean_;
  mean_ += delta * (nb / n);
  m2_ += other.m2_ + delta * delta * (na * nb / n);
  n_ += other.n_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

// ---------------------------------------------------------------------------------------
// TimeWeighted

double TimeWeighted::integral(SimTime until) const {
  if (until < last_) {
    throw ModelError("TimeWeighted::integral: time " + format_time(until) +
                     " is before the last update at " + format_time(last_));
  }
  const double ticks = area_ + value_ * static_cast<double>((until - last_).count());
  return ticks / static_cast<double>(ticks_per_hour);
}

double TimeWeighted::mean(SimTime until) const {
  if (until < last_) {
    throw ModelError("TimeWeighted::mean: time " + format_time(until) +
                     " is before the last update at " + format_time(last_));
  }
  const double hours = (until - start_).hours_f();
  return hours > 0.0 ? integral(until) / hours : value_;
}

void TimeWeighted::reset(SimTime at) {
  if (at < last_) {
    throw ModelError("TimeWeighted::reset: time " + format_time(at) +
                     " is before the last update at " + format_time(last_));
  }
  start_ = at;
  last_ = at;
  area_ = 0.0;
  max_ = value_;
}

// ---------------------------------------------------------------------------------------
// QuantileSample

double QuantileSample::mean() const {
  return values_.empty() ? nan_value : sum_ / static_cast<double>(values_.size());
}

double QuantileSample::quantile(double p) const {
  if (!(p >= 0.0 && p <= 1.0)) {
    throw ModelError("QuantileSample::quantile: p must be in [0, 1], got " + format_double(p));
  }
  if (values_.empty()) {
    throw ModelError("QuantileSample::quantile: no observations (p = " + format_double(p) + ")");
  }
  if (!sorted_) {
    // NaN breaks the strict weak ordering std::sort relies on, so reject it first.
    const auto nan_it =
        std::find_if(values_.begin(), values_.end(), [](double v) { return std::isnan(v); });
    if (nan_it != values_.end()) {
      // Values before the first unsorted add() were checked already and stay in front, so
      // this position is also the observation's 0-based index in order of add().
      throw ModelError("QuantileSample::quantile: observation " +
                       std::to_string(nan_it - values_.begin()) + " (0-based) is NaN");
    }
    std::sort(values_.begin(), values_.end());
    sorted_ = true;
  }
  const std::size_t n = values_.size();
  const double h = static_cast<double>(n - 1) * p;
  const double lo_f = std::floor(h);
  const auto lo = static_cast<std::size_t>(lo_f);
  const double frac = h - lo_f;
  if (frac == 0.0 || lo + 1 >= n) return values_[lo];
  const double a = values_[lo];
  const double b = values_[lo + 1];
  return a + frac * (b - a);
}

} // namespace itsim::sim
