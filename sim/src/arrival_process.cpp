// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/arrival_process.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <utility>

#include "itsim/sim/error.hpp"

namespace itsim::sim {

namespace {

constexpr std::size_t hours_per_week = 168;
constexpr double hours_per_year = static_cast<double>(ticks_per_year) / ticks_per_hour;
// Arrivals beyond this are reported as SimTime::max(): keeps every intermediate sum in range.
constexpr std::int64_t clock_limit = std::numeric_limits<std::int64_t>::max() / 4;

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

std::string number_text(double x) {
  std::ostringstream os;
  os << x;
  return os.str();
}

template <std::size_t N>
void validate_multipliers(const std::array<double, N>& m, const char* name) {
  bool any_positive = false;
  for (std::size_t i = 0; i < N; ++i) {
    const std::string where = std::string(name) + "[" + std::to_string(i) + "]: multiplier must ";
    if (!std::isfinite(m[i])) throw ModelError(where + "be finite, got " + number_text(m[i]));
    if (m[i] < 0) throw ModelError(where + "be >= 0, got " + number_text(m[i]));
    any_positive = any_positive || m[i] > 0;
  }
  if (!any_positive) {
    throw ModelError(std::string(name) + ": multipliers must not all be zero");
  }
}

template <std::size_t N> double mean_of(const std::array<double, N>& m) {
  double sum = 0;
  for (double x : m)
    sum += x;
  return sum / static_cast<double>(N);
}

std::size_t hour_of_week(std::int64_t ticks) {
  const std::int64_t off = ticks - floor_div(ticks, ticks_per_week) * ticks_per_week;
  return static_cast<std::size_t>(off / ticks_per_hour);
}

} // namespace

// ---------------------------------------------------------------------------------------
// RateProfile

void RateProfile::validate() const {
  validate_multipliers(hour_of_day, "hour_of_day");
  validate_multipliers(weekday, "weekday");
  if (!std::isfinite(yearly_growth) || yearly_growth <= -1) {
    throw ModelError("yearly_growth: must be finite and > -1, got " + number_text(yearly_growth));
  }
}

RateProfile RateProfile::normalised() const {
  validate();
  RateProfile out = *this;
  const double hour_mean = mean_of(hour_of_day);
  const double day_mean = mean_of(weekday);
  for (double& x : out.hour_of_day)
    x /= hour_mean;
  for (double& x : out.weekday)
    x /= day_mean;
  return out;
}

// ---------------------------------------------------------------------------------------
// ArrivalProcess

ArrivalProcess::ArrivalProcess(double base_rate_per_hour, RateProfile profile)
    : base_(base_rate_per_hour), profile_(std::move(profile)) {
  if (!std::isfinite(base_) || base_ < 0) {
    throw ModelError("base_rate_per_hour: must be finite and >= 0, got " + number_text(base_));
  }
  profile_.validate();
  for (std::size_t k = 0; k < hours_per_week; ++k) {
    hour_of_week_[k] = profile_.hour_of_day[k % 24] * profile_.weekday[k / 24];
  }
  peak_multiplier_ = *std::max_element(profile_.hour_of_day.begin(), profile_.hour_of_day.end()) *
                     *std::max_element(profile_.weekday.begin(), profile_.weekday.end());
  log_growth_ = std::log1p(profile_.yearly_growth);
  growth_per_hour_ = log_growth_ / hours_per_year;
  const double c = growth_per_hour_;
  const double per_hour = c == 0 ? 1.0 : std::expm1(c) / c;
  for (std::size_t j = 0; j < hours_per_week; ++j) {
    week_sum_ += hour_of_week_[j];
    week_kernel_ +=
        hour_of_week_[j] * (c == 0 ? 1.0 : std::exp(c * static_cast<double>(j))) * per_hour;
  }
  for (std::size_t j = 0; j < hours_per_week; ++j) {
    // As next_after computes them for a whole hour without growth (scale = base_ x 1).
    hour_rate_[j] = base_ * hour_of_week_[j];
    hour_mass_[j] = hour_rate_[j] * static_cast<double>(ticks_per_hour) / ticks_per_hour;
  }
  for (std::size_t j = hours_per_week; j-- > 0;) {
    const bool zero = hour_rate_[j] == 0;
    zero_run_[j] = !zero ? 0 : j + 1 < hours_per_week ? zero_run_[j + 1] + 1 : 1;
  }
  const bool flat_hours = std::all_of(profile_.hour_of_day.begin(), profile_.hour_of_day.end(),
                                      [&](double x) { return x == profile_.hour_of_day[0]; });
  const bool flat_days = std::all_of(profile_.weekday.begin(), profile_.weekday.end(),
                                     [&](double x) { return x == profile_.weekday[0]; });
  homogeneous_ = flat_hours && flat_days && profile_.yearly_growth == 0;
}

double ArrivalProcess::growth_at(std::int64_t ticks) const {
  if (log_growth_ == 0) return 1.0;
  return std::exp(log_growth_ * (static_cast<double>(ticks) / static_cast<double>(ticks_per_year)));
}

double ArrivalProcess::rate_at(SimTime t) const {
  return base_ * hour_of_week_[hour_of_week(t.ticks())] * growth_at(t.ticks());
}

double ArrivalProcess::piece_integral(std::int64_t s, std::int64_t e) const {
  const double m = hour_of_week_[hour_of_week(s)];
  if (m == 0 || e <= s) return 0;
  const double len_h = static_cast<double>(e - s) / ticks_per_hour;
  const double c = growth_per_hour_;
  if (c == 0) return m * len_h;
  const double s_h = static_cast<double>(s) / ticks_per_hour;
  return m * std::exp(c * s_h) * std::expm1(c * len_h) / c;
}

double ArrivalProcess::expected_count(SimTime a, SimTime b) const {
  if (a > b) {
    throw ModelError("expected_count: a must be <= b, got a = " + std::to_string(a.ticks()) +
                     " ticks, b = " + std::to_string(b.ticks()) + " ticks");
  }
  if (base_ == 0) return 0;
  std::int64_t cur = a.ticks();
  double total = 0;
  // Hour by hour (each piece has one multiplier) up to `limit`.
  auto step_to = [&](std::int64_t limit) {
    while (cur < limit) {
      const std::int64_t next =
          std::min(limit, (floor_div(cur, ticks_per_hour) + 1) * ticks_per_hour);
      total += piece_integral(cur, next);
      cur = next;
    }
  };
  const std::int64_t first_week_end = (floor_div(cur, ticks_per_week) + 1) * ticks_per_week;
  step_to(std::min(b.ticks(), first_week_end));
  const std::int64_t weeks = (b.ticks() - cur) / ticks_per_week;
  if (weeks > 0) {
    // Whole weeks from cur (a week boundary): week k contributes e^(c (s + 168 k)) x kernel,
    // a geometric series with ratio e^(168 c).
    const double c = growth_per_hour_;
    const auto n = static_cast<double>(weeks);
    if (c == 0) {
      total += n * week_sum_;
    } else {
      const double week_c = c * static_cast<double>(hours_per_week);
      const double s_h = static_cast<double>(cur) / ticks_per_hour;
      total += std::exp(c * s_h) * week_kernel_ * std::expm1(week_c * n) / std::expm1(week_c);
    }
    cur += weeks * ticks_per_week;
  }
  step_to(b.ticks());
  return base_ * total;
}

SimTime ArrivalProcess::next_after(SimTime t, RandomStream& rng) const {
  if (base_ == 0 || t.ticks() >= clock_limit) return SimTime::max();
  const std::int64_t earliest = t.ticks() + 1;
  if (homogeneous_) {
    const double rate = base_ * hour_of_week_[0];
    const double gap_h = -std::log(rng.uniform_open01()) / rate;
    if (gap_h * ticks_per_hour > static_cast<double>(clock_limit - t.ticks())) {
      return SimTime::max();
    }
    return SimTime::from_ticks(std::max(earliest, (t + SimDuration::from_hours(gap_h)).ticks()));
  }
  if (log_growth_ < 0) return next_after_decaying(t, rng);
  // Thinning with a piecewise-constant majorant: within each hour of the week the bound is
  // base x multiplier x G, with G the growth factor at the end of a one-week window (1
  // without growth, and then no window). Candidates of the majorant come from inverting its
  // cumulative rate: one exponential draw walked across the hours (whole weeks at once
  // without growth); a candidate is kept with probability rate / bound = growth at the
  // candidate / G, which is 1 without growth (no draw). Hours with a zero multiplier cost
  // nothing, so quiet nights and weekends waste no draws, unlike one bound at the peak hour.
  const bool grows = log_growth_ > 0;
  std::int64_t cur = t.ticks();
  for (;;) {
    if (cur >= clock_limit) return SimTime::max();
    const std::int64_t window_end =
        grows ? std::min(clock_limit, cur + ticks_per_week) : clock_limit;
    const double g = grows ? growth_at(window_end) : 1.0;
    const double scale = base_ * g; // the bound per unit of multiplier
    if (!std::isfinite(scale)) {
      throw ModelError("arrival rate overflows at t = " + std::to_string(cur) +
                       " ticks (yearly_growth " + number_text(profile_.yearly_growth) + ")");
    }
    double e = -std::log(rng.uniform_open01());
    std::int64_t pos = cur;
    std::int64_t candidate = -1;
    // Without growth the walk is walk_steady's, which hands back only near the clock's end.
    const bool walked = !grows && walk_steady(pos, e, candidate);
    while (!walked && pos < window_end) {
      if (!grows && pos % ticks_per_week == 0) {
        // Whole weeks at once: each holds the same mass.
        const double week_mass = scale * week_sum_;
        if (e > week_mass) {
          const double weeks = std::floor(e / week_mass);
          if (weeks >= static_cast<double>((clock_limit - pos) / ticks_per_week)) {
            return SimTime::max();
          }
          pos += static_cast<std::int64_t>(weeks) * ticks_per_week;
          e -= weeks * week_mass;
        }
      }
      const std::int64_t piece_end =
          std::min(window_end, (floor_div(pos, ticks_per_hour) + 1) * ticks_per_hour);
      const double rate = scale * hour_of_week_[hour_of_week(pos)];
      const double mass = rate * static_cast<double>(piece_end - pos) / ticks_per_hour;
      if (mass >= e && rate > 0) {
        candidate = std::min(piece_end, pos + SimDuration::from_hours(e / rate).count());
        break;
      }
      e -= mass;
      pos = piece_end;
    }
    if (candidate < 0) {
      if (!grows) return SimTime::max();
      cur = window_end; // memoryless: restart the candidate process at the window's end
      continue;
    }
    if (!grows || rng.uniform01() < growth_at(candidate) / g) {
      return SimTime::from_ticks(std::max(earliest, candidate));
    }
    cur = candidate;
  }
}

bool ArrivalProcess::walk_steady(std::int64_t& pos, double& e, std::int64_t& candidate) const {
  // The walk of next_after without growth, with the same arithmetic:
  // each hour's rate and mass come from tables built with the same expressions, the hour
  // of the week is counted instead of divided out, and a run of hours with a zero
  // multiplier (whose mass, 0, leaves e as it is) is stepped over at once, up to the week's
  // end, where whole weeks are skipped as before. Returns false, with pos and e where the
  // walk stands, within two weeks of the clock's range, for next_after's own walk to end.
  if (pos < 0 || pos + 2 * ticks_per_week >= clock_limit) return false;
  std::size_t h = hour_of_week(pos);
  if (const std::int64_t into = pos % ticks_per_hour; into != 0) {
    // The first, partial hour (not a week's start), as next_after's walk computes it.
    const std::int64_t piece_end = pos - into + ticks_per_hour;
    const double rate = hour_rate_[h];
    const double mass = rate * static_cast<double>(piece_end - pos) / ticks_per_hour;
    if (mass >= e && rate > 0) {
      candidate = std::min(piece_end, pos + SimDuration::from_hours(e / rate).count());
      return true;
    }
    e -= mass;
    pos = piece_end;
    if (++h == hours_per_week) h = 0;
  }
  for (;;) {
    if (h == 0) {
      // A week's start: whole weeks at once, as next_after does.
      const double week_mass = base_ * week_sum_; // scale x week_sum_, scale = base_ x 1
      if (e > week_mass) {
        const double weeks = std::floor(e / week_mass);
        if (weeks >= static_cast<double>((clock_limit - pos) / ticks_per_week)) {
          candidate = -1; // beyond the clock's range: none
          return true;
        }
        pos += static_cast<std::int64_t>(weeks) * ticks_per_week;
        e -= weeks * week_mass;
      }
      if (pos + 2 * ticks_per_week >= clock_limit) return false;
    }
    const std::size_t zeros = zero_run_[h];
    if (zeros > 0) {
      pos += static_cast<std::int64_t>(zeros) * ticks_per_hour;
      h += zeros;
      if (h == hours_per_week) h = 0;
      continue;
    }
    const double rate = hour_rate_[h];
    const double mass = hour_mass_[h];
    if (mass >= e) { // rate > 0 here: zero hours were stepped over
      candidate = std::min(pos + ticks_per_hour, pos + SimDuration::from_hours(e / rate).count());
      return true;
    }
    e -= mass;
    pos += ticks_per_hour;
    if (++h == hours_per_week) h = 0;
  }
}

SimTime ArrivalProcess::next_after_decaying(SimTime t, RandomStream& rng) const {
  // Thinning with one bound, the peak rate at the current time: with g < 0 the rate only
  // falls, so the bound holds for all later time. (The walk of next_after would not end on
  // a rate decaying to nothing.)
  const std::int64_t earliest = t.ticks() + 1;
  std::int64_t cur = t.ticks();
  for (;;) {
    if (cur >= clock_limit) return SimTime::max();
    const double bound = base_ * peak_multiplier_ * growth_at(cur);
    if (bound <= 0) return SimTime::max(); // decayed below the smallest double
    const double gap_h = -std::log(rng.uniform_open01()) / bound;
    if (gap_h * ticks_per_hour > static_cast<double>(clock_limit - cur)) return SimTime::max();
    const std::int64_t candidate = cur + SimDuration::from_hours(gap_h).count();
    const double ratio = rate_at(SimTime::from_ticks(candidate)) / bound;
    if (rng.uniform01() < ratio) return SimTime::from_ticks(std::max(earliest, candidate));
    cur = candidate;
  }
}

} // namespace itsim::sim
