// SPDX-License-Identifier: Apache-2.0
// The one number formatter: shortest round-trip text by default, N significant digits on
// request, and the same words for NaN and infinities either way.
#include "itsim/sim/format.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace itsim {
namespace {

TEST(FormatDouble, WritesTheShortestTextThatReadsBack) {
  EXPECT_EQ(format_double(0.95), "0.95");
  EXPECT_EQ(format_double(12), "12");
  EXPECT_EQ(format_double(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_double(1e-5), "1e-05");
  EXPECT_EQ(format_double(1e6), "1e+06");
  EXPECT_EQ(format_double(-0.5), "-0.5");
  for (const double x : {0.1, 1.0 / 3, 2.5e-300, 6.02214076e23, 730.0})
    EXPECT_EQ(std::stod(format_double(x)), x) << format_double(x);
}

TEST(FormatDouble, RoundsToSignificantDigitsOnRequest) {
  EXPECT_EQ(format_double(0.99994, 4), "0.9999");
  EXPECT_EQ(format_double(12346.0, 4), "1.235e+04");
  EXPECT_EQ(format_double(1.5, 4), "1.5");
  EXPECT_EQ(format_double(2.0 / 3, 4), "0.6667");
  EXPECT_EQ(format_double(1e6, 15), "1000000");
  EXPECT_EQ(format_double(-1, 15), "-1");
  EXPECT_EQ(format_double(0.1 + 0.2, 15), "0.3");
  EXPECT_EQ(format_double(0.1 + 0.2, 40), "0.30000000000000004"); // capped at 17 digits
}

TEST(FormatDouble, NamesNanAndInfinitiesTheSameInEveryVariant) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const int digits : {round_trip_digits, 4, 15}) {
    EXPECT_EQ(format_double(inf, digits), "inf") << digits;
    EXPECT_EQ(format_double(-inf, digits), "-inf") << digits;
    EXPECT_EQ(format_double(nan, digits), "nan") << digits;
  }
}

} // namespace
} // namespace itsim
