// SPDX-License-Identifier: Apache-2.0
// The Kaplan-Meier estimate: a textbook example worked by hand, the sample quantile when
// nothing is censored, "not reached", and bad input.
#include "itsim/sim/kaplan_meier.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "itsim/sim/error.hpp"
#include "itsim/sim/statistics.hpp"

namespace itsim::sim {
namespace {

/// Freireich's 6-MP group (Gehan 1965), the textbook example of Kleinbaum & Klein's
/// "Survival Analysis": weeks in remission of 21 patients, 12 of them censored (+).
KaplanMeier six_mp() {
  KaplanMeier km;
  for (const double t : {6, 6, 6, 7, 10, 13, 16, 22, 23})
    km.add_event(t);
  for (const double t : {6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35})
    km.add_censored(t);
  return km;
}

TEST(KaplanMeier, GivesTheTextbookCurveOfTheSixMpGroup) {
  const KaplanMeier km = six_mp();
  EXPECT_EQ(km.count(), 21U);
  EXPECT_EQ(km.events(), 9U);
  // By hand: at each event time S *= (at risk - events) / at risk; the one censored at 6
  // is at risk at 6.
  const double s6 = 18.0 / 21, s7 = s6 * 16 / 17, s10 = s7 * 14 / 15, s13 = s10 * 11 / 12;
  const double s16 = s13 * 10 / 11, s22 = s16 * 6 / 7, s23 = s22 * 5 / 6;
  EXPECT_DOUBLE_EQ(km.survival(5.9), 1);
  EXPECT_DOUBLE_EQ(km.survival(6), s6);
  EXPECT_NEAR(s6, 0.857, 5e-4);
  EXPECT_DOUBLE_EQ(km.survival(9.5), s7);
  EXPECT_NEAR(s7, 0.807, 5e-4);
  EXPECT_DOUBLE_EQ(km.survival(10), s10);
  EXPECT_NEAR(s10, 0.753, 5e-4);
  EXPECT_NEAR(s13, 0.690, 5e-4);
  EXPECT_NEAR(s16, 0.627, 5e-4);
  EXPECT_NEAR(s22, 0.538, 5e-4);
  EXPECT_DOUBLE_EQ(km.survival(24), s23);
  EXPECT_NEAR(s23, 0.448, 5e-4);
  EXPECT_DOUBLE_EQ(km.survival(100), s23); // flat after the last event
  // The median is 23 weeks (S falls below 0.5 there); the first quartile 13 (S(10) is
  // still 0.753 > 0.75); 95% is never reached: the curve stays at 0.448.
  EXPECT_DOUBLE_EQ(km.quantile(0.5), 23);
  EXPECT_DOUBLE_EQ(km.quantile(0.25), 13);
  EXPECT_DOUBLE_EQ(km.quantile(0.1), 6);
  EXPECT_TRUE(std::isnan(km.quantile(0.95)));
}

TEST(KaplanMeier, WorksASmallExampleByHand) {
  KaplanMeier km;
  km.add_event(1);
  km.add_censored(2);
  km.add_event(3);
  km.add_event(4);
  km.add_censored(5);
  // S(1) = 4/5; 2 leaves censored; S(3) = 4/5 x 2/3; S(4) = 8/15 x 1/2; 5 censored.
  EXPECT_DOUBLE_EQ(km.survival(1), 0.8);
  EXPECT_DOUBLE_EQ(km.survival(3), 0.8 * 2 / 3);
  EXPECT_DOUBLE_EQ(km.survival(4), 0.8 * 2 / 3 / 2);
  EXPECT_DOUBLE_EQ(km.quantile(0.2), 2); // S(1) = 0.8 exactly: midpoint of 1 and 3
  EXPECT_DOUBLE_EQ(km.quantile(0.15), 1);
  EXPECT_DOUBLE_EQ(km.quantile(0.25), 3);
  EXPECT_DOUBLE_EQ(km.quantile(0.5), 4);
  EXPECT_TRUE(std::isnan(km.quantile(0.8))); // S stays at 4/15 > 0.2
}

/// The sample quantile of Hyndman & Fan's definition 2 (inverse of the empirical
/// distribution, averaging where it is flat at p).
double type2_quantile(std::vector<double> x, double p) {
  std::sort(x.begin(), x.end());
  const double np = double(x.size()) * p;
  const auto j = static_cast<std::size_t>(std::floor(np));
  if (double(j) != np) return x[j];
  if (j == 0) return x.front();
  if (j == x.size()) return x.back();
  return (x[j - 1] + x[j]) / 2;
}

TEST(KaplanMeier, IsTheSampleQuantileWhenNothingIsCensored) {
  KaplanMeier even;
  QuantileSample plain_even;
  for (const double t : {4.0, 1.0, 3.0, 2.0}) {
    even.add_event(t);
    plain_even.add(t);
  }
  EXPECT_DOUBLE_EQ(even.quantile(0.5), plain_even.quantile(0.5)); // 2.5
  EXPECT_DOUBLE_EQ(even.quantile(0.25), 1.5);
  EXPECT_DOUBLE_EQ(even.quantile(1), 4);

  KaplanMeier km;
  QuantileSample plain;
  std::vector<double> x;
  for (int i = 0; i < 101; ++i) {
    const double t = 0.5 * ((i * 37) % 101) + 0.1 * (i % 3);
    km.add_event(t);
    plain.add(t);
    x.push_back(t);
  }
  // The median of an odd sample is its middle value under every definition.
  EXPECT_DOUBLE_EQ(km.quantile(0.5), plain.quantile(0.5));
  for (const double p : {0.01, 0.1, 0.5, 0.85, 0.95, 0.99, 1.0})
    EXPECT_DOUBLE_EQ(km.quantile(p), type2_quantile(x, p)) << "p = " << p;
  // 2000 values, each p x 2000 a whole number: the curve is flat at 1 - p (to rounding).
  KaplanMeier big;
  std::vector<double> y;
  for (int i = 0; i < 20; ++i) {
    for (int k = 0; k < 100; ++k) {
      const double t = 1000.0 * i + 7.0 * k;
      big.add_event(t);
      y.push_back(t);
    }
  }
  for (const double p : {0.05, 0.5, 0.85, 0.95})
    EXPECT_DOUBLE_EQ(big.quantile(p), type2_quantile(y, p)) << "p = " << p;
}

TEST(KaplanMeier, ReachesNoQuantileWithoutEvents) {
  KaplanMeier km;
  EXPECT_TRUE(std::isnan(km.quantile(0.5)));
  EXPECT_DOUBLE_EQ(km.survival(10), 1);
  km.add_censored(3);
  km.add_censored(8);
  EXPECT_TRUE(std::isnan(km.quantile(0.5)));
  km.add_event(1);
  EXPECT_DOUBLE_EQ(km.quantile(0.3), 1); // S(1) = 2/3
  EXPECT_TRUE(std::isnan(km.quantile(0.5)));
  km.reset();
  EXPECT_EQ(km.count(), 0U);
  EXPECT_EQ(km.events(), 0U);
}

TEST(KaplanMeier, RejectsABadProbabilityOrObservation) {
  KaplanMeier km;
  km.add_event(1);
  EXPECT_THROW((void)km.quantile(0), ModelError);
  EXPECT_THROW((void)km.quantile(1.5), ModelError);
  EXPECT_THROW((void)km.quantile(std::nan("")), ModelError);
  km.add_censored(-1);
  EXPECT_THROW((void)km.quantile(0.5), ModelError);
}

// The sorted events are the sample a QuantileSample of the same times would sort: the KPI
// recorder takes the plain lead-time percentiles from them, so they must match exactly.
TEST(KaplanMeier, SortedEventsAreTheEventsInOrderWithoutTheCensored) {
  KaplanMeier km;
  QuantileSample plain;
  const std::vector<double> events = {5, 1.5, 9, 1.5, 0, 7.25, 3};
  for (std::size_t i = 0; i < events.size(); ++i) {
    km.add_event(events[i]);
    plain.add(events[i]);
    km.add_censored(100.0 + double(i)); // larger than every event: must not appear
  }
  const double before = km.quantile(0.5);
  const auto sorted = km.sorted_events();
  ASSERT_EQ(sorted.size(), events.size());
  EXPECT_TRUE(std::is_sorted(sorted.begin(), sorted.end()));
  std::vector<double> expected = events;
  std::sort(expected.begin(), expected.end());
  EXPECT_TRUE(std::equal(sorted.begin(), sorted.end(), expected.begin()));
  EXPECT_EQ(sorted[3], plain.quantile(0.5)); // 7 values: the median is the 4th, 3
  EXPECT_EQ(km.quantile(0.5), before);       // sorting for the caller changes no estimate
  km.add_event(-1);
  EXPECT_THROW((void)km.sorted_events(), ModelError);
}

} // namespace
} // namespace itsim::sim
