// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "itsim/sim/sim_time.hpp"

namespace itsim::scenarios {

// Pure string parsing of the values users write in scenario files: durations and rates
// with required units, strict numbers and booleans. No YAML here: the loader hands over a
// scalar's text and turns a ParseError into a located Diagnostic.
//
// Each parser returns std::variant<T, ParseError>: test with
// `std::holds_alternative<ParseError>(r)` or `std::get_if<ParseError>(&r)`, then read the
// value with `std::get<T>(r)`. A ParseError message never contains a location or key
// path; it quotes the offending text, e.g. `expected true or false, got "yes"`.

/// Why a value could not be parsed (human-readable, without location).
struct ParseError {
  std::string message; ///< e.g. `expected a number, got "1,000"`
};

/// Either a parsed value or the reason it could not be parsed.
template <class T> using ParseResult = std::variant<T, ParseError>;

/// Whether a duration counts wall-clock time or working time.
enum class TimeBase : std::uint8_t {
  calendar, ///< wall-clock time ("4h" is four hours whatever the hour)
  business, ///< working time ("4bh" elapses only while the calendar is at work)
};

/// A duration as written, converted to hours.
struct Duration {
  double amount = 0.0;                ///< hours (wall-clock or working time, see base)
  TimeBase base = TimeBase::calendar; ///< calendar: wall-clock hours; business: working hours
};

/// Calendar duration units: milliseconds, seconds, minutes, hours, days (24 h), weeks
/// (7 d), months (365/12 d = 730 h) and years (365 d = 8760 h).
inline constexpr std::array<std::string_view, 8> calendar_duration_units = {"ms", "s", "min", "h",
                                                                            "d",  "w", "mo",  "y"};
/// Business duration units: business hours, business days (hours_per_business_day working
/// hours) and business weeks (5 business days).
inline constexpr std::array<std::string_view, 3> business_duration_units = {"bh", "bd", "bw"};
/// Time units after the last '/' of a rate, short and long forms: per hour, day (24 h),
/// week (7 d), month (730 h) and year (8760 h).
inline constexpr std::array<std::string_view, 10> rate_units = {
    "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year"};

/// Hours in one calendar month: a year is 365 days, so a month is 365 * 24 / 12 = 730 h.
inline constexpr double hours_per_month = 730.0;
/// Hours in one year of 365 days.
inline constexpr double hours_per_year = 8760.0;

/// Parses a duration: a non-negative decimal number (digits with an optional fraction and
/// exponent, no sign), optional spaces, then one unit from calendar_duration_units or
/// business_duration_units: "15min", "15 min", "2.5h", "3bd". Surrounding whitespace is
/// ignored. Zero is allowed (callers that need a positive duration check it). Business
/// days are hours_per_business_day working hours (default 8) and business weeks five of
/// them. Errors: no unit (a bare "15"), an unknown unit (the message lists the allowed
/// ones), a sign, not a number, or a duration too long for the simulation clock.
/// Throws itsim::ModelError when hours_per_business_day is not in (0, 24] (a caller bug:
/// the loader validates that setting first).
ParseResult<Duration> parse_duration(std::string_view text, double hours_per_business_day = 8.0);

/// Converts a calendar duration (hours) to clock ticks, rounding to the nearest tick
/// (1 ms). Throws itsim::ModelError for a business-time duration, which needs a working
/// calendar to become wall-clock time (use sim::Calendar::add_working with
/// SimDuration::from_hours(d.amount) as the work), or one beyond the clock's range.
sim::SimDuration to_sim_duration(const Duration& d);

/// A rate of events, converted to events per hour of wall-clock time.
struct Rate {
  double per_hour = 0.0; ///< events per hour (per `per` entity when `per` is set)
  std::string per;       ///< "" or the denominator entity, e.g. "employee"
};

/// Parses a rate `NUMBER/UNIT` or `NUMBER/ENTITY/UNIT` with UNIT from rate_units and
/// ENTITY an identifier `[a-z_][a-z0-9_]*`; spaces around '/' and surrounding whitespace
/// are allowed. "0.55/employee/month" is 0.55 / 730 per hour per employee, "8/week"
/// 8 / 168 per hour, "16/year" 16 / 8760, "2.5/h" 2.5. The number follows parse_number
/// and must be finite and non-negative (zero is allowed). per_hour is computed as
/// number / hours-of-unit, one rounding. Errors name the problem: missing unit, unknown
/// unit (listing the allowed ones), bad entity, negative, not a number, NaN or infinity.
ParseResult<Rate> parse_rate(std::string_view text);

/// Parses a whole string as a finite decimal number, YAML 1.2 core float syntax without
/// the special values: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`. Rejects
/// empty text, whitespace, "nan", "inf", ".inf", hex ("0x10"), separators ("1,000",
/// "1_000") and magnitudes a double cannot hold ("1e999", or "1e-999" which would
/// silently become 0).
ParseResult<double> parse_number(std::string_view text);

/// Parses a whole string as a signed 64-bit integer: `[-+]?[0-9]+`. Rejects fractions
/// ("1.5", "1.0"), exponents ("1e3") and values outside int64 range.
ParseResult<std::int64_t> parse_integer(std::string_view text);

/// Parses exactly `true` or `false` (no YAML 1.1 `yes`/`on`, no capitals):
/// otherwise `expected true or false, got "yes"`.
ParseResult<bool> parse_bool(std::string_view text);

/// The unit list for messages and docs: `ms, s, min` (comma separated).
template <std::size_t N> std::string join_units(const std::array<std::string_view, N>& units) {
  std::string out;
  for (std::string_view u : units) {
    if (!out.empty()) out += ", ";
    out += u;
  }
  return out;
}

} // namespace itsim::scenarios
