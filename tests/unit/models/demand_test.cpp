// SPDX-License-Identifier: Apache-2.0
// Demand (MODEL.md M1) driven without the coordinator: one source per work type and unit
// at a rate scaled by headcount, attributes drawn from streams no model decision touches
// (common random numbers), and the fate of raised items (self-served, prevented, to IT).
#include "demand.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "part_scenario.hpp"

namespace itsim::models::detail {
namespace {

using namespace part_test;
using scenarios::Scenario;

/// The source of work type `w` from unit `u`.
std::uint32_t source_of(const Demand& d, std::uint32_t w, std::uint32_t u) {
  for (std::uint32_t i = 0; i < d.sources(); ++i)
    if (d.source(i).work_type == w && d.source(i).unit == u) return i;
  throw std::runtime_error("no such source");
}

void expect_same(const Demand::Raised& a, const Demand::Raised& b) {
  EXPECT_EQ(a.spec.work_type, b.spec.work_type);
  EXPECT_EQ(a.spec.unit, b.spec.unit);
  EXPECT_EQ(a.spec.priority, b.spec.priority);
  EXPECT_EQ(a.spec.effort_h, b.spec.effort_h);
  EXPECT_EQ(a.spec.value_week, b.spec.value_week);
  EXPECT_EQ(a.spec.patience_h, b.spec.patience_h);
  EXPECT_EQ(a.spec.spanning, b.spec.spanning);
  EXPECT_EQ(a.u_self, b.u_self);
  EXPECT_EQ(a.u_prevent, b.u_prevent);
  sim::RandomStream ra = a.spec.rng, rb = b.spec.rng;
  EXPECT_EQ(ra.next_u64(), rb.next_u64());
}

TEST(Demand, HasOneSourcePerWorkTypeAndUnitWithARateScaledByHeadcount) {
  const Scenario s = load_part_scenario();
  const Demand d(s, 42, 0);
  ASSERT_EQ(d.sources(), 8U);
  // Per employee: 0.5 a month (730 h) for each of 300 and 100 people.
  EXPECT_NEAR(d.source(source_of(d, incident, sales)).process.base_rate_per_hour(), 0.5 / 730 * 300,
              1e-12);
  EXPECT_NEAR(d.source(source_of(d, incident, finance)).process.base_rate_per_hour(),
              0.5 / 730 * 100, 1e-12);
  // For the firm: 2 a week split 3:1 by headcount.
  EXPECT_NEAR(d.source(source_of(d, change, sales)).process.base_rate_per_hour(), 2.0 / 168 * 0.75,
              1e-12);
  EXPECT_NEAR(d.source(source_of(d, change, finance)).process.base_rate_per_hour(),
              2.0 / 168 * 0.25, 1e-12);
}

TEST(Demand, RaisesArrivalsAtEachSourcesRate) {
  // Poisson counts over 40,000 hours: within 6 standard deviations (sqrt of the mean).
  const Scenario s = load_part_scenario();
  Demand d(s, 42, 0);
  const double horizon_h = 40000;
  for (const auto& [w, u] : std::vector<std::pair<std::uint32_t, std::uint32_t>>{
           {incident, sales}, {incident, finance}, {request, sales}, {change, finance}}) {
    const std::uint32_t i = source_of(d, w, u);
    const double expected = d.source(i).process.base_rate_per_hour() * horizon_h;
    double n = 0;
    for (sim::SimTime t = d.next_arrival(i, sim::SimTime::zero()); t <= at_h(horizon_h);
         t = d.next_arrival(i, t))
      ++n;
    EXPECT_NEAR(n, expected, 6 * std::sqrt(expected)) << "work type " << w << ", unit " << u;
  }
}

TEST(Demand, RaisesTheSameItemsInTheSameReplicationWhateverTheOrderOfCalls) {
  // Common random numbers: a second Demand of the same replication raises the same
  // arrivals and attributes, even when its arrivals are drawn at other moments.
  const Scenario s = load_part_scenario();
  Demand a(s, 42, 3);
  Demand b(s, 42, 3);
  Demand other(s, 42, 4);
  for (std::uint32_t i = 0; i < a.sources(); ++i) {
    std::vector<sim::SimTime> times_a;
    sim::SimTime t = sim::SimTime::zero();
    for (int k = 0; k < 50; ++k) {
      t = a.next_arrival(i, t);
      times_a.push_back(t);
      expect_same(a.raise(i), b.raise(i));
    }
    t = sim::SimTime::zero();
    for (int k = 0; k < 50; ++k) {
      t = b.next_arrival(i, t);
      EXPECT_EQ(t, times_a[static_cast<std::size_t>(k)]);
    }
    EXPECT_NE(other.next_arrival(i, sim::SimTime::zero()), times_a[0]);
  }
}

TEST(Demand, DrawsAttributesWithTheWorkTypesMixAndShares) {
  const Scenario s = load_part_scenario();
  Demand d(s, 42, 0);
  constexpr int n = 100000;
  const std::uint32_t inc = source_of(d, incident, finance);
  const std::uint32_t chg = source_of(d, change, sales);
  int p1 = 0, spanning = 0;
  for (int k = 0; k < n; ++k) {
    const Demand::Raised r = d.raise(inc);
    ASSERT_TRUE(r.spec.priority == 0 || r.spec.priority == 2);
    p1 += r.spec.priority == 0;
    EXPECT_EQ(r.spec.unit, finance);
    EXPECT_DOUBLE_EQ(r.spec.effort_h, 1);
    EXPECT_DOUBLE_EQ(r.spec.patience_h, -1); // incidents have no patience
    EXPECT_DOUBLE_EQ(r.spec.value_week, 0);
    const Demand::Raised c = d.raise(chg);
    spanning += c.spec.spanning;
    EXPECT_EQ(c.spec.priority, 2);
    EXPECT_DOUBLE_EQ(c.spec.effort_h, 10);
    EXPECT_DOUBLE_EQ(c.spec.patience_h, 2 * 168);
    EXPECT_DOUBLE_EQ(c.spec.value_week, 100);
    EXPECT_EQ(c.spec.origin, ItemOrigin::demand);
  }
  EXPECT_NEAR(p1 / double(n), 0.25, six_sigma(0.25, n));
  EXPECT_NEAR(spanning / double(n), 0.5, six_sigma(0.5, n));
}

TEST(Demand, ServesItselfAndPreventsIncidentsWithTheSharesGiven) {
  // Incidents: a quarter self-served, then 40% of the rest prevented: 0.25, 0.3, 0.45.
  const Scenario s = load_part_scenario();
  Demand d(s, 42, 0);
  const std::vector<double> self_service = {0.25, 0, 0, 0};
  constexpr int n = 100000;
  std::array<int, 3> fates{};
  const std::uint32_t inc = source_of(d, incident, sales);
  for (int k = 0; k < n; ++k)
    ++fates[static_cast<std::size_t>(d.fate(d.raise(inc), self_service, 0.5, 0.4))];
  EXPECT_NEAR(fates[std::size_t(RaisedFate::self_served)] / double(n), 0.25, six_sigma(0.25, n));
  EXPECT_NEAR(fates[std::size_t(RaisedFate::prevented)] / double(n), 0.3, six_sigma(0.3, n));
  EXPECT_NEAR(fates[std::size_t(RaisedFate::to_it)] / double(n), 0.45, six_sigma(0.45, n));
}

TEST(Demand, AddsTheSelfServeBoostToRequestsOnlyAndPreventsIncidentsOnly) {
  const Scenario s = load_part_scenario();
  Demand d(s, 42, 0);
  const std::vector<double> self_service = {0, 0.1, 0.1, 0};
  constexpr int n = 100000;
  int self_requests = 0, self_changes = 0;
  const std::uint32_t req = source_of(d, request, sales);
  const std::uint32_t chg = source_of(d, change, sales);
  for (int k = 0; k < n; ++k) {
    // Requests: 0.1 + the boost of 0.2; never prevented, whatever the reduction.
    const RaisedFate r = d.fate(d.raise(req), self_service, 0.2, 1.0);
    EXPECT_NE(r, RaisedFate::prevented);
    self_requests += r == RaisedFate::self_served;
    // Enhancements: 0.1, no boost.
    const RaisedFate c = d.fate(d.raise(chg), self_service, 0.2, 1.0);
    EXPECT_NE(c, RaisedFate::prevented);
    self_changes += c == RaisedFate::self_served;
  }
  EXPECT_NEAR(self_requests / double(n), 0.3, six_sigma(0.3, n));
  EXPECT_NEAR(self_changes / double(n), 0.1, six_sigma(0.1, n));
}

} // namespace
} // namespace itsim::models::detail
