// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <compare>
#include <cstdint>
#include <limits>

namespace itsim::sim {

/// Integer simulation time. The unit is declared here and only here: one tick is one
/// millisecond. Integer ticks make event ordering exact and identical on every compiler
/// (no floating-point drift when adding durations), which the determinism promise needs.
/// 2^63 ms is about 292 million years, so overflow is not a practical concern.
inline constexpr std::int64_t ticks_per_second = 1000;
inline constexpr std::int64_t ticks_per_minute = 60 * ticks_per_second;
inline constexpr std::int64_t ticks_per_hour = 60 * ticks_per_minute;
inline constexpr std::int64_t ticks_per_day = 24 * ticks_per_hour;
inline constexpr std::int64_t ticks_per_week = 7 * ticks_per_day;
/// A year for growth rates and horizons: 365 days (leap days are ignored on purpose, so that
/// a year is a whole number of days and yearly growth is exact).
inline constexpr std::int64_t ticks_per_year = 365 * ticks_per_day;

/// A span of simulated time in ticks (may be negative as an intermediate value; the
/// engine rejects negative delays when scheduling).
class SimDuration {
public:
  constexpr SimDuration() = default;
  /// Wraps a raw tick count.
  static constexpr SimDuration ticks(std::int64_t t) { return SimDuration(t); }
  static constexpr SimDuration milliseconds(std::int64_t ms) { return SimDuration(ms); }
  static constexpr SimDuration seconds(std::int64_t s) { return SimDuration(s * ticks_per_second); }
  static constexpr SimDuration minutes(std::int64_t m) { return SimDuration(m * ticks_per_minute); }
  static constexpr SimDuration hours(std::int64_t h) { return SimDuration(h * ticks_per_hour); }
  static constexpr SimDuration days(std::int64_t d) { return SimDuration(d * ticks_per_day); }
  static constexpr SimDuration weeks(std::int64_t w) { return SimDuration(w * ticks_per_week); }
  /// Converts a duration in hours to ticks, rounding to the nearest tick. Used where a
  /// sampled (real-valued) duration enters the integer clock.
  static SimDuration from_hours(double h) {
    return from_real_ticks(h * static_cast<double>(ticks_per_hour), h, "h");
  }
  /// Converts a duration in seconds to ticks, rounding to the nearest tick.
  static SimDuration from_seconds(double s) {
    return from_real_ticks(s * static_cast<double>(ticks_per_second), s, "s");
  }
  static constexpr SimDuration max() {
    return SimDuration(std::numeric_limits<std::int64_t>::max());
  }

  constexpr std::int64_t count() const { return t_; }
  /// This duration in hours.
  constexpr double hours_f() const { return static_cast<double>(t_) / ticks_per_hour; }
  /// This duration in seconds.
  constexpr double seconds_f() const { return static_cast<double>(t_) / ticks_per_second; }

  constexpr auto operator<=>(const SimDuration&) const = default;
  constexpr SimDuration operator+(SimDuration o) const { return SimDuration(t_ + o.t_); }
  constexpr SimDuration operator-(SimDuration o) const { return SimDuration(t_ - o.t_); }
  constexpr SimDuration operator-() const { return SimDuration(-t_); }
  constexpr SimDuration operator*(std::int64_t k) const { return SimDuration(t_ * k); }
  constexpr SimDuration& operator+=(SimDuration o) {
    t_ += o.t_;
    return *this;
  }
  constexpr SimDuration& operator-=(SimDuration o) {
    t_ -= o.t_;
    return *this;
  }

private:
  constexpr explicit SimDuration(std::int64_t t) : t_(t) {}
  /// Rounds half away from zero. On the hot path (every sampled duration), so it is
  /// inline and avoids llround; durations beyond +-4e18 ticks (or NaN) are rejected.
  static SimDuration from_real_ticks(double ticks, double original, const char* unit) {
    if (!(ticks <= 4.0e18 && ticks >= -4.0e18)) [[unlikely]] {
      reject_duration(original, unit);
    }
    return SimDuration(static_cast<std::int64_t>(ticks + (ticks >= 0 ? 0.5 : -0.5)));
  }
  [[noreturn]] static void reject_duration(double original, const char* unit);
  std::int64_t t_ = 0;
};

/// A point on the simulation clock, in ticks since the start of the run (t = 0 is
/// Monday 00:00 of week 0 for calendars and weekly profiles).
class SimTime {
public:
  constexpr SimTime() = default;
  static constexpr SimTime from_ticks(std::int64_t t) { return SimTime(t); }
  static constexpr SimTime zero() { return SimTime(0); }
  static constexpr SimTime max() { return SimTime(std::numeric_limits<std::int64_t>::max()); }

  constexpr std::int64_t ticks() const { return t_; }
  /// Time since the start in hours.
  constexpr double hours_f() const { return static_cast<double>(t_) / ticks_per_hour; }
  /// Time since the start in seconds.
  constexpr double seconds_f() const { return static_cast<double>(t_) / ticks_per_second; }

  constexpr auto operator<=>(const SimTime&) const = default;
  constexpr SimTime operator+(SimDuration d) const { return SimTime(t_ + d.count()); }
  constexpr SimTime operator-(SimDuration d) const { return SimTime(t_ - d.count()); }
  constexpr SimDuration operator-(SimTime o) const { return SimDuration::ticks(t_ - o.t_); }
  constexpr SimTime& operator+=(SimDuration d) {
    t_ += d.count();
    return *this;
  }

private:
  constexpr explicit SimTime(std::int64_t t) : t_(t) {}
  std::int64_t t_ = 0;
};

} // namespace itsim::sim
