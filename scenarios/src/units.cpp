// SPDX-License-Identifier: Apache-2.0
#include "itsim/scenarios/units.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <system_error>
#include <vector>

#include "itsim/scenarios/diagnostics.hpp"
#include "itsim/sim/error.hpp"

namespace itsim::scenarios {

namespace {

constexpr const char* duration_examples = R"((e.g. "15min", "4h", "2d", "3bd"))";
constexpr const char* rate_examples = R"((e.g. "8/week", "0.55/employee/month"))";

/// The simulation clock holds at most about 4e18 ticks (SimDuration::from_hours rejects
/// more), which is 4e18 / 3.6e6 hours.
constexpr double max_duration_hours = 4.0e18 / static_cast<double>(sim::ticks_per_hour);

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_alpha(char c) {
  return is_lower(c) || (c >= 'A' && c <= 'Z');
}
bool is_space(char c) {
  return c == ' ' || c == '\t';
}
char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = ascii_lower(c);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_space(s.front()) || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (is_space(s.back()) || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

/// Length of the longest prefix of s matching
/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (no sign), 0 when none.
std::size_t scan_unsigned_decimal(std::string_view s) {
  std::size_t i = 0;
  std::size_t int_digits = 0;
  while (i < s.size() && is_digit(s[i])) {
    ++i;
    ++int_digits;
  }
  if (i < s.size() && s[i] == '.') {
    std::size_t j = i + 1;
    std::size_t frac_digits = 0;
    while (j < s.size() && is_digit(s[j])) {
      ++j;
      ++frac_digits;
    }
    if (int_digits == 0 && frac_digits == 0) return 0;
    i = j;
  } else if (int_digits == 0) {
    return 0;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    const std::size_t digits_start = j;
    while (j < s.size() && is_digit(s[j]))
      ++j;
    if (j > digits_start) i = j;
  }
  return i;
}

enum class NumberStatus : std::uint8_t { ok, not_a_number, not_finite, out_of_range };

struct ScannedNumber {
  NumberStatus status = NumberStatus::not_a_number;
  double value = 0.0;
};

bool names_non_finite(std::string_view text) {
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
  if (!text.empty() && text.front() == '.') text.remove_prefix(1);
  const std::string lower = to_lower(text);
  return lower == "nan" || lower == "inf" || lower == "infinity";
}

ScannedNumber scan_number(std::string_view text) {
  std::string_view body = text;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) body.remove_prefix(1);
  if (body.empty() || scan_unsigned_decimal(body) != body.size()) {
    return {names_non_finite(text) ? NumberStatus::not_finite : NumberStatus::not_a_number, 0.0};
  }
  // from_chars accepts '-' but not '+'.
  std::string_view digits = text.front() == '+' ? body : text;
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value,
                                         std::chars_format::general);
  if (ec == std::errc::result_out_of_range) return {NumberStatus::out_of_range, 0.0};
  if (ec != std::errc() || ptr != digits.data() + digits.size()) {
    return {NumberStatus::not_a_number, 0.0};
  }
  if (!std::isfinite(value)) return {NumberStatus::out_of_range, 0.0};
  return {NumberStatus::ok, value};
}

std::string number_error(std::string_view text, NumberStatus status) {
  switch (status) {
  case NumberStatus::not_finite:
    return "expected a finite number, got " + quote(text);
  case NumberStatus::out_of_range:
    return "number " + quote(text) + " is out of range";
  case NumberStatus::ok:
  case NumberStatus::not_a_number:
    break;
  }
  if (text.find(',') != std::string_view::npos || text.find('_') != std::string_view::npos) {
    return "expected a number, got " + quote(text) + " (write numbers without separators)";
  }
  if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    return "expected a decimal number, got " + quote(text);
  }
  return "expected a number, got " + quote(text);
}

struct UnitHours {
  std::string_view unit;
  double hours; // hours in one unit (business units: working hours per business day scaled)
};

/// A hint for a unit the user spelt in long form or in capitals ("hours", "Min"), or the
/// ambiguous "m"; empty when there is none.
std::string duration_unit_hint(std::string_view unit) {
  const std::string lower = to_lower(unit);
  if (lower == "m") return R"( ("m" is ambiguous: write "min" for minutes or "mo" for months))";
  struct Alias {
    std::string_view spelling;
    std::string_view unit;
  };
  static constexpr Alias aliases[] = {
      {"msec", "ms"},     {"millisecond", "ms"}, {"milliseconds", "ms"},
      {"sec", "s"},       {"secs", "s"},         {"second", "s"},
      {"seconds", "s"},   {"mins", "min"},       {"minute", "min"},
      {"minutes", "min"}, {"hr", "h"},           {"hrs", "h"},
      {"hour", "h"},      {"hours", "h"},        {"day", "d"},
      {"days", "d"},      {"wk", "w"},           {"week", "w"},
      {"weeks", "w"},     {"month", "mo"},       {"months", "mo"},
      {"yr", "y"},        {"year", "y"},         {"years", "y"}};
  for (const Alias& a : aliases) {
    if (lower == a.spelling) return " (did you mean \"" + std::string(a.unit) + "\"?)";
  }
  std::vector<std::string> all;
  for (std::string_view u : calendar_duration_units)
    all.emplace_back(u);
  for (std::string_view u : business_duration_units)
    all.emplace_back(u);
  const std::string guess = did_you_mean(unit, all);
  return guess.empty() ? std::string() : " (did you mean \"" + guess + "\"?)";
}

bool is_identifier(std::string_view s) {
  if (s.empty() || !(is_lower(s.front()) || s.front() == '_')) return false;
  for (const char c : s) {
    if (!(is_lower(c) || is_digit(c) || c == '_')) return false;
  }
  return true;
}

double rate_unit_hours(std::string_view unit) {
  if (unit == "h" || unit == "hour") return 1.0;
  if (unit == "d" || unit == "day") return 24.0;
  if (unit == "w" || unit == "week") return 168.0;
  if (unit == "mo" || unit == "month") return hours_per_month;
  if (unit == "y" || unit == "year") return hours_per_year;
  return 0.0;
}

} // namespace

ParseResult<Duration> parse_duration(std::string_view text, double hours_per_business_day) {
  if (!(hours_per_business_day > 0.0 && hours_per_business_day <= 24.0)) {
    throw ModelError("parse_duration: hours_per_business_day must be in (0, 24], got " +
                     std::to_string(hours_per_business_day));
  }
  const std::string_view t = trim(text);
  const std::string expected =
      std::string("expected a duration with a unit ") + duration_examples + ", got " + quote(t);
  if (t.empty()) return ParseError{expected};
  if (t.front() == '-') return ParseError{"duration must not be negative, got " + quote(t)};
  if (t.front() == '+') return ParseError{"a duration takes no sign, got " + quote(t)};
  const std::size_t number_len = scan_unsigned_decimal(t);
  if (number_len == 0) return ParseError{expected};
  const std::string_view number = t.substr(0, number_len);
  std::string_view unit = t.substr(number_len);
  while (!unit.empty() && is_space(unit.front()))
    unit.remove_prefix(1);
  if (unit.empty()) return ParseError{expected};
  for (const char c : unit) {
    if (!is_alpha(c)) return ParseError{expected};
  }

  const UnitHours units[] = {{"ms", 1.0 / 3.6e6},
                             {"s", 1.0 / 3600.0},
                             {"min", 1.0 / 60.0},
                             {"h", 1.0},
                             {"d", 24.0},
                             {"w", 168.0},
                             {"mo", hours_per_month},
                             {"y", hours_per_year},
                             {"bh", 1.0},
                             {"bd", hours_per_business_day},
                             {"bw", 5.0 * hours_per_business_day}};
  const UnitHours* found = nullptr;
  for (const UnitHours& u : units) {
    if (u.unit == unit) found = &u;
  }
  if (found == nullptr) {
    return ParseError{"unknown duration unit " + quote(unit) + " in " + quote(t) +
                      "; allowed: " + join_units(calendar_duration_units) + ", " +
                      join_units(business_duration_units) + duration_unit_hint(unit)};
  }

  const ScannedNumber n = scan_number(number);
  if (n.status != NumberStatus::ok) {
    return ParseError{"duration " + quote(t) + " is out of range"};
  }
  // Divide for sub-hour units so that "15min" is exactly 0.25 h.
  double hours = 0.0;
  if (found->unit == "ms") {
    hours = n.value / 3.6e6;
  } else if (found->unit == "s") {
    hours = n.value / 3600.0;
  } else if (found->unit == "min") {
    hours = n.value / 60.0;
  } else {
    hours = n.value * found->hours;
  }
  if (!(hours <= max_duration_hours)) {
    return ParseError{"duration " + quote(t) +
                      " is too long for the simulation clock (it holds about 126 million "
                      "years)"};
  }
  const TimeBase base = found->unit.front() == 'b' ? TimeBase::business : TimeBase::calendar;
  return Duration{hours, base};
}

sim::SimDuration to_sim_duration(const Duration& d) {
  if (d.base == TimeBase::business) {
    throw ModelError("a duration of " + std::to_string(d.amount) +
                     " business hours needs a working calendar to become clock time");
  }
  return sim::SimDuration::from_hours(d.amount);
}

ParseResult<Rate> parse_rate(std::string_view text) {
  const std::string_view t = trim(text);
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= t.size(); ++i) {
    if (i == t.size() || t[i] == '/') {
      parts.push_back(trim(t.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (parts.size() == 1) {
    return ParseError{std::string("missing time unit: expected a rate like NUMBER/UNIT or "
                                  "NUMBER/ENTITY/UNIT ") +
                      rate_examples + ", got " + quote(t)};
  }
  if (parts.size() > 3) {
    return ParseError{std::string("expected a rate like NUMBER/UNIT or NUMBER/ENTITY/UNIT ") +
                      rate_examples + ", got " + quote(t) + " (too many '/')"};
  }

  const std::string_view number = parts.front();
  if (number.empty()) return ParseError{"missing number before '/' in rate " + quote(t)};
  const ScannedNumber n = scan_number(number);
  switch (n.status) {
  case NumberStatus::ok:
    break;
  case NumberStatus::not_finite:
    return ParseError{"rate must be a finite number, got " + quote(t)};
  case NumberStatus::out_of_range:
    return ParseError{"number " + quote(number) + " in rate " + quote(t) + " is out of range"};
  case NumberStatus::not_a_number:
    return ParseError{"expected a number before '/' in rate " + quote(t) + ", got " +
                      quote(number)};
  }
  if (n.value < 0.0) return ParseError{"rate must not be negative, got " + quote(t)};

  const std::string_view unit = parts.back();
  if (unit.empty()) return ParseError{"missing time unit after '/' in rate " + quote(t)};
  const double unit_hours = rate_unit_hours(unit);
  if (unit_hours == 0.0) {
    std::string message = "unknown time unit " + quote(unit) + " in rate " + quote(t) +
                          "; allowed: " + join_units(rate_units);
    std::vector<std::string> all;
    for (std::string_view u : rate_units)
      all.emplace_back(u);
    const std::string guess = did_you_mean(unit, all);
    const std::string lower = to_lower(unit);
    if (lower == "ms" || lower == "s" || lower == "sec" || lower == "second" || lower == "min" ||
        lower == "minute") {
      message += R"( (rates are per hour at the finest: write "3600/h" for one a second, )"
                 R"("60/h" for one a minute))";
    } else if (!guess.empty()) {
      message += " (did you mean \"" + guess + "\"?)";
    } else if (parts.size() == 2 && is_identifier(unit)) {
      message += R"( (a rate per entity reads NUMBER/ENTITY/UNIT, e.g. "0.55/employee/month"))";
    }
    return ParseError{message};
  }

  Rate rate;
  rate.per_hour = n.value == 0.0 ? 0.0 : n.value / unit_hours; // no -0.0
  if (parts.size() == 3) {
    const std::string_view entity = parts[1];
    if (entity.empty()) return ParseError{"missing entity between '/' in rate " + quote(t)};
    if (!is_identifier(entity)) {
      return ParseError{"entity " + quote(entity) + " in rate " + quote(t) +
                        " must be an identifier of lowercase letters, digits and '_' not "
                        "starting with a digit"};
    }
    rate.per = std::string(entity);
  }
  return rate;
}

ParseResult<double> parse_number(std::string_view text) {
  const ScannedNumber n = scan_number(text);
  if (n.status != NumberStatus::ok) return ParseError{number_error(text, n.status)};
  return n.value;
}

ParseResult<std::int64_t> parse_integer(std::string_view text) {
  std::string_view body = text;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) body.remove_prefix(1);
  bool digits_only = !body.empty();
  for (const char c : body)
    digits_only = digits_only && is_digit(c);
  if (!digits_only) return ParseError{"expected a whole number, got " + quote(text)};
  // from_chars accepts '-' but not '+'.
  const std::string_view digits = text.front() == '+' ? body : text;
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec == std::errc::result_out_of_range) {
    return ParseError{"integer " + quote(text) + " is out of range (" +
                      std::to_string(std::numeric_limits<std::int64_t>::min()) + " to " +
                      std::to_string(std::numeric_limits<std::int64_t>::max()) + ")"};
  }
  if (ec != std::errc() || ptr != digits.data() + digits.size()) {
    return ParseError{"expected a whole number, got " + quote(text)};
  }
  return value;
}

ParseResult<bool> parse_bool(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return ParseError{"expected true or false, got " + quote(text)};
}

} // namespace itsim::scenarios
