// SPDX-License-Identifier: Apache-2.0
#include "itsim/scenarios/units.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <variant>

#include "itsim/sim/error.hpp"
#include "itsim/sim/sim_time.hpp"

namespace itsim::scenarios {
namespace {

// The value of a successful parse; fails the test (and returns T{}) on a ParseError.
template <class T> T ok(const ParseResult<T>& r) {
  if (const auto* e = std::get_if<ParseError>(&r)) {
    ADD_FAILURE() << "unexpected ParseError: " << e->message;
    return T{};
  }
  return std::get<T>(r);
}

// The message of a failed parse; fails the test on success.
template <class T> std::string err(const ParseResult<T>& r) {
  if (const auto* e = std::get_if<ParseError>(&r)) return e->message;
  ADD_FAILURE() << "expected a ParseError";
  return {};
}

const std::string duration_units_list = "ms, s, min, h, d, w, mo, y, bh, bd, bw";
const std::string rate_units_list = "h, hour, d, day, w, week, mo, month, y, year";

// ---- durations ------------------------------------------------------------------------

TEST(Units, ParsesEveryCalendarDurationUnitIntoHours) {
  EXPECT_EQ(ok(parse_duration("3600000ms")).amount, 1.0);
  EXPECT_EQ(ok(parse_duration("1ms")).amount, 1.0 / 3.6e6);
  EXPECT_EQ(ok(parse_duration("90s")).amount, 0.025);
  EXPECT_EQ(ok(parse_duration("15min")).amount, 0.25);
  EXPECT_EQ(ok(parse_duration("2.5h")).amount, 2.5);
  EXPECT_EQ(ok(parse_duration("2d")).amount, 48.0);
  EXPECT_EQ(ok(parse_duration("1w")).amount, 168.0);
  EXPECT_EQ(ok(parse_duration("1mo")).amount, 730.0);
  EXPECT_EQ(ok(parse_duration("1y")).amount, 8760.0);
  for (const char* text : {"1ms", "1s", "1min", "1h", "1d", "1w", "1mo", "1y"}) {
    EXPECT_EQ(ok(parse_duration(text)).base, TimeBase::calendar) << text;
  }
}

TEST(Units, ParsesBusinessDurationsWithTheWorkingDayLength) {
  const Duration bh = ok(parse_duration("4bh"));
  EXPECT_EQ(bh.amount, 4.0);
  EXPECT_EQ(bh.base, TimeBase::business);
  EXPECT_EQ(ok(parse_duration("3bd")).amount, 24.0);      // 3 * 8 h
  EXPECT_EQ(ok(parse_duration("3bd", 7.5)).amount, 22.5); // 3 * 7.5 h
  EXPECT_EQ(ok(parse_duration("2bw")).amount, 80.0);      // 2 * 5 * 8 h
  EXPECT_EQ(ok(parse_duration("1bw", 7.5)).amount, 37.5); // 5 * 7.5 h
  EXPECT_EQ(ok(parse_duration("3bd")).base, TimeBase::business);
  EXPECT_EQ(ok(parse_duration("2bw")).base, TimeBase::business);
}

TEST(Units, AcceptsSpacesBetweenNumberAndUnitAndAroundTheValue) {
  EXPECT_EQ(ok(parse_duration("15 min")).amount, 0.25);
  EXPECT_EQ(ok(parse_duration("  4 h  ")).amount, 4.0);
  EXPECT_EQ(ok(parse_duration("3 bd")).amount, 24.0);
}

TEST(Units, AcceptsFractionsExponentsAndZeroInDurations) {
  EXPECT_EQ(ok(parse_duration(".5h")).amount, 0.5);
  EXPECT_EQ(ok(parse_duration("1.h")).amount, 1.0);
  EXPECT_EQ(ok(parse_duration("1e2min")).amount, 100.0 / 60.0);
  EXPECT_EQ(ok(parse_duration("0s")).amount, 0.0);
}

TEST(Units, RejectsABareNumberAsADuration) {
  EXPECT_EQ(err(parse_duration("15")),
            R"(expected a duration with a unit (e.g. "15min", "4h", "2d", "3bd"), got "15")");
  EXPECT_EQ(err(parse_duration("")),
            R"(expected a duration with a unit (e.g. "15min", "4h", "2d", "3bd"), got "")");
  EXPECT_EQ(err(parse_duration("min")),
            R"(expected a duration with a unit (e.g. "15min", "4h", "2d", "3bd"), got "min")");
  EXPECT_EQ(err(parse_duration("1.5.3h")),
            R"(expected a duration with a unit (e.g. "15min", "4h", "2d", "3bd"), got "1.5.3h")");
}

TEST(Units, RejectsSignedDurations) {
  EXPECT_EQ(err(parse_duration("-5min")), R"(duration must not be negative, got "-5min")");
  EXPECT_EQ(err(parse_duration("+5min")), R"(a duration takes no sign, got "+5min")");
}

TEST(Units, RejectsAnUnknownDurationUnitListingTheAllowedOnes) {
  EXPECT_EQ(err(parse_duration("3 parsecs")),
            R"(unknown duration unit "parsecs" in "3 parsecs"; allowed: )" + duration_units_list);
  EXPECT_EQ(err(parse_duration("15m")),
            R"(unknown duration unit "m" in "15m"; allowed: )" + duration_units_list +
                R"( ("m" is ambiguous: write "min" for minutes or "mo" for months))");
  EXPECT_EQ(err(parse_duration("4 hours")),
            R"(unknown duration unit "hours" in "4 hours"; allowed: )" + duration_units_list +
                R"( (did you mean "h"?))");
  EXPECT_EQ(err(parse_duration("4H")), R"(unknown duration unit "H" in "4H"; allowed: )" +
                                           duration_units_list + R"( (did you mean "h"?))");
  EXPECT_EQ(err(parse_duration("5mins")), R"(unknown duration unit "mins" in "5mins"; allowed: )" +
                                              duration_units_list + R"( (did you mean "min"?))");
}

TEST(Units, RejectsDurationsBeyondTheClock) {
  EXPECT_EQ(err(parse_duration("1e999h")), R"(duration "1e999h" is out of range)");
  EXPECT_EQ(
      err(parse_duration("1e9y")),
      R"(duration "1e9y" is too long for the simulation clock (it holds about 126 million years))");
  EXPECT_EQ(ok(parse_duration("1e8y")).amount, 8.76e11);
}

TEST(Units, RejectsAWorkingDayThatIsNotBetweenZeroAndTwentyFourHours) {
  EXPECT_THROW((void)parse_duration("1bd", 0.0), ModelError);
  EXPECT_THROW((void)parse_duration("1bd", 25.0), ModelError);
  EXPECT_EQ(ok(parse_duration("1bd", 24.0)).amount, 24.0);
}

TEST(Units, ConvertsCalendarDurationsToTicks) {
  EXPECT_EQ(to_sim_duration(ok(parse_duration("1ms"))), sim::SimDuration::ticks(1));
  EXPECT_EQ(to_sim_duration(ok(parse_duration("30s"))), sim::SimDuration::seconds(30));
  EXPECT_EQ(to_sim_duration(ok(parse_duration("15min"))), sim::SimDuration::minutes(15));
  EXPECT_EQ(to_sim_duration(ok(parse_duration("2d"))), sim::SimDuration::days(2));
  EXPECT_EQ(to_sim_duration(ok(parse_duration("1w"))), sim::SimDuration::weeks(1));
  EXPECT_EQ(to_sim_duration(ok(parse_duration("1mo"))), sim::SimDuration::hours(730));
  EXPECT_EQ(to_sim_duration(ok(parse_duration("1y"))).count(), sim::ticks_per_year);
}

TEST(Units, RefusesToConvertBusinessDurationsWithoutACalendar) {
  EXPECT_THROW((void)to_sim_duration(ok(parse_duration("3bd"))), ModelError);
}

TEST(Units, ListsTheAcceptedUnitSpellings) {
  EXPECT_EQ(join_units(calendar_duration_units), "ms, s, min, h, d, w, mo, y");
  EXPECT_EQ(join_units(business_duration_units), "bh, bd, bw");
  EXPECT_EQ(join_units(rate_units), rate_units_list);
}

// ---- rates ----------------------------------------------------------------------------

TEST(Units, ParsesARatePerEmployeePerMonth) {
  const Rate r = ok(parse_rate("0.55/employee/month"));
  EXPECT_EQ(r.per_hour, 0.55 / 730.0);
  EXPECT_EQ(r.per, "employee");
}

TEST(Units, ParsesRatesPerEveryTimeUnitInShortAndLongForm) {
  EXPECT_EQ(ok(parse_rate("2.5/h")).per_hour, 2.5);
  EXPECT_EQ(ok(parse_rate("2.5/hour")).per_hour, 2.5);
  EXPECT_EQ(ok(parse_rate("3/d")).per_hour, 3.0 / 24.0);
  EXPECT_EQ(ok(parse_rate("3/day")).per_hour, 3.0 / 24.0);
  EXPECT_EQ(ok(parse_rate("8/w")).per_hour, 8.0 / 168.0);
  EXPECT_EQ(ok(parse_rate("8/week")).per_hour, 8.0 / 168.0);
  EXPECT_EQ(ok(parse_rate("1/mo")).per_hour, 1.0 / 730.0);
  EXPECT_EQ(ok(parse_rate("1/month")).per_hour, 1.0 / 730.0);
  EXPECT_EQ(ok(parse_rate("16/y")).per_hour, 16.0 / 8760.0);
  EXPECT_EQ(ok(parse_rate("16/year")).per_hour, 16.0 / 8760.0);
  EXPECT_EQ(ok(parse_rate("8/week")).per, "");
}

TEST(Units, AcceptsSpacesAroundTheSlashesOfARate) {
  const Rate r = ok(parse_rate(" 0.55 / employee / month "));
  EXPECT_EQ(r.per_hour, 0.55 / 730.0);
  EXPECT_EQ(r.per, "employee");
  EXPECT_EQ(ok(parse_rate("8 / week")).per_hour, 8.0 / 168.0);
}

TEST(Units, AcceptsAZeroRateAndEntitiesWithDigitsAndUnderscores) {
  EXPECT_EQ(ok(parse_rate("0/week")).per_hour, 0.0);
  EXPECT_EQ(ok(parse_rate("1/_site2_a/d")).per, "_site2_a");
}

TEST(Units, RejectsARateWithoutATimeUnit) {
  EXPECT_EQ(
      err(parse_rate("5")),
      R"(missing time unit: expected a rate like NUMBER/UNIT or NUMBER/ENTITY/UNIT (e.g. "8/week", "0.55/employee/month"), got "5")");
  EXPECT_EQ(err(parse_rate("5/")), R"(missing time unit after '/' in rate "5/")");
  EXPECT_EQ(err(parse_rate("5/employee/")), R"(missing time unit after '/' in rate "5/employee/")");
}

TEST(Units, RejectsAnUnknownRateUnitListingTheAllowedOnes) {
  EXPECT_EQ(err(parse_rate("5/x-y")),
            R"(unknown time unit "x-y" in rate "5/x-y"; allowed: )" + rate_units_list);
  EXPECT_EQ(err(parse_rate("5/fortnight")),
            R"(unknown time unit "fortnight" in rate "5/fortnight"; allowed: )" + rate_units_list +
                R"( (a rate per entity reads NUMBER/ENTITY/UNIT, e.g. "0.55/employee/month"))");
  EXPECT_EQ(err(parse_rate("5/weeks")),
            R"(unknown time unit "weeks" in rate "5/weeks"; allowed: )" + rate_units_list +
                R"( (did you mean "week"?))");
  EXPECT_EQ(err(parse_rate("5/employee")),
            R"(unknown time unit "employee" in rate "5/employee"; allowed: )" + rate_units_list +
                R"( (a rate per entity reads NUMBER/ENTITY/UNIT, e.g. "0.55/employee/month"))");
  EXPECT_EQ(
      err(parse_rate("60/min")),
      R"(unknown time unit "min" in rate "60/min"; allowed: )" + rate_units_list +
          R"( (rates are per hour at the finest: write "3600/h" for one a second, "60/h" for one a minute))");
}

TEST(Units, RejectsANegativeRate) {
  EXPECT_EQ(err(parse_rate("-1/week")), R"(rate must not be negative, got "-1/week")");
}

TEST(Units, RejectsARateWhoseNumberIsNotANumber) {
  EXPECT_EQ(err(parse_rate("abc/week")),
            R"(expected a number before '/' in rate "abc/week", got "abc")");
  EXPECT_EQ(err(parse_rate("1,5/week")),
            R"(expected a number before '/' in rate "1,5/week", got "1,5")");
  EXPECT_EQ(err(parse_rate("/week")), R"(missing number before '/' in rate "/week")");
}

TEST(Units, RejectsARateThatIsNaNOrInfinite) {
  EXPECT_EQ(err(parse_rate("nan/week")), R"(rate must be a finite number, got "nan/week")");
  EXPECT_EQ(err(parse_rate("inf/h")), R"(rate must be a finite number, got "inf/h")");
  EXPECT_EQ(err(parse_rate(".inf/h")), R"(rate must be a finite number, got ".inf/h")");
  EXPECT_EQ(err(parse_rate("1e999/h")), R"(number "1e999" in rate "1e999/h" is out of range)");
}

TEST(Units, RejectsABadEntityInARate) {
  EXPECT_EQ(
      err(parse_rate("5/Employee/month")),
      R"(entity "Employee" in rate "5/Employee/month" must be an identifier of lowercase letters, digits and '_' not starting with a digit)");
  EXPECT_EQ(
      err(parse_rate("5/2nd/month")),
      R"(entity "2nd" in rate "5/2nd/month" must be an identifier of lowercase letters, digits and '_' not starting with a digit)");
  EXPECT_EQ(err(parse_rate("5//month")), R"(missing entity between '/' in rate "5//month")");
  EXPECT_EQ(
      err(parse_rate("1/a/b/week")),
      R"(expected a rate like NUMBER/UNIT or NUMBER/ENTITY/UNIT (e.g. "8/week", "0.55/employee/month"), got "1/a/b/week" (too many '/'))");
}

// ---- numbers, integers, booleans ---------------------------------------------------------

TEST(Units, ParsesStrictDecimalNumbers) {
  EXPECT_EQ(ok(parse_number("42")), 42.0);
  EXPECT_EQ(ok(parse_number("-1.5")), -1.5);
  EXPECT_EQ(ok(parse_number("+3")), 3.0);
  EXPECT_EQ(ok(parse_number("1e3")), 1000.0);
  EXPECT_EQ(ok(parse_number("2.5E-1")), 0.25);
  EXPECT_EQ(ok(parse_number(".5")), 0.5);
  EXPECT_EQ(ok(parse_number("1.")), 1.0);
  EXPECT_EQ(ok(parse_number("0")), 0.0);
}

TEST(Units, RejectsNumbersThatAreNotWholeFiniteDecimals) {
  EXPECT_EQ(err(parse_number("")), R"(expected a number, got "")");
  EXPECT_EQ(err(parse_number("abc")), R"(expected a number, got "abc")");
  EXPECT_EQ(err(parse_number(" 1")), R"(expected a number, got " 1")");
  EXPECT_EQ(err(parse_number("1 ")), R"(expected a number, got "1 ")");
  EXPECT_EQ(err(parse_number("1e")), R"(expected a number, got "1e")");
  EXPECT_EQ(err(parse_number("--1")), R"(expected a number, got "--1")");
  EXPECT_EQ(err(parse_number(".")), R"(expected a number, got ".")");
  EXPECT_EQ(err(parse_number("1e999")), R"(number "1e999" is out of range)");
  EXPECT_EQ(err(parse_number("-1e999")), R"(number "-1e999" is out of range)");
  EXPECT_EQ(err(parse_number("nan")), R"(expected a finite number, got "nan")");
  EXPECT_EQ(err(parse_number("inf")), R"(expected a finite number, got "inf")");
  EXPECT_EQ(err(parse_number("-inf")), R"(expected a finite number, got "-inf")");
  EXPECT_EQ(err(parse_number(".NaN")), R"(expected a finite number, got ".NaN")");
  EXPECT_EQ(err(parse_number("0x10")), R"(expected a decimal number, got "0x10")");
  EXPECT_EQ(err(parse_number("1,000")),
            R"(expected a number, got "1,000" (write numbers without separators))");
  EXPECT_EQ(err(parse_number("1_000")),
            R"(expected a number, got "1_000" (write numbers without separators))");
}

TEST(Units, ParsesSixtyFourBitIntegers) {
  EXPECT_EQ(ok(parse_integer("42")), 42);
  EXPECT_EQ(ok(parse_integer("-7")), -7);
  EXPECT_EQ(ok(parse_integer("+7")), 7);
  EXPECT_EQ(ok(parse_integer("9223372036854775807")), INT64_MAX);
  EXPECT_EQ(ok(parse_integer("-9223372036854775808")), INT64_MIN);
}

TEST(Units, RejectsFractionsAndOverflowAsIntegers) {
  EXPECT_EQ(err(parse_integer("1.5")), R"(expected a whole number, got "1.5")");
  EXPECT_EQ(err(parse_integer("1.0")), R"(expected a whole number, got "1.0")");
  EXPECT_EQ(err(parse_integer("1e3")), R"(expected a whole number, got "1e3")");
  EXPECT_EQ(err(parse_integer("")), R"(expected a whole number, got "")");
  EXPECT_EQ(err(parse_integer("-")), R"(expected a whole number, got "-")");
  EXPECT_EQ(err(parse_integer("ten")), R"(expected a whole number, got "ten")");
  EXPECT_EQ(
      err(parse_integer("9223372036854775808")),
      R"(integer "9223372036854775808" is out of range (-9223372036854775808 to 9223372036854775807))");
  EXPECT_EQ(
      err(parse_integer("-9223372036854775809")),
      R"(integer "-9223372036854775809" is out of range (-9223372036854775808 to 9223372036854775807))");
}

TEST(Units, ParsesOnlyTrueAndFalseAsBooleans) {
  EXPECT_TRUE(ok(parse_bool("true")));
  EXPECT_FALSE(ok(parse_bool("false")));
  EXPECT_EQ(err(parse_bool("yes")), R"(expected true or false, got "yes")");
  EXPECT_EQ(err(parse_bool("on")), R"(expected true or false, got "on")");
  EXPECT_EQ(err(parse_bool("True")), R"(expected true or false, got "True")");
  EXPECT_EQ(err(parse_bool("1")), R"(expected true or false, got "1")");
  EXPECT_EQ(err(parse_bool("")), R"(expected true or false, got "")");
}

TEST(Units, QuotesOddBytesInMessagesSafely) {
  EXPECT_EQ(err(parse_bool("a\"b\tc")), R"(expected true or false, got "a\"b\x09c")");
  const std::string huge(10000, 'x');
  const std::string message = err(parse_bool(huge));
  EXPECT_LT(message.size(), 120U);
  EXPECT_EQ(message.substr(message.size() - 4), "...\"");
}

} // namespace
} // namespace itsim::scenarios
