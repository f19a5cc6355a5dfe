// SPDX-License-Identifier: Apache-2.0
// Rotation (MODEL.md M5) driven without the coordinator: people shared by largest
// remainder, the newcomers' ramp, the staffing of a stint with and without a WIP limit,
// the experience brought back and the boosts of the largest units. The stations are those
// of docs/models.md's worked example (midsize's rotation preset).
#include "rotation.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

#include "part_scenario.hpp"
#include "shipped_scenario.hpp"

namespace itsim::models::detail {
namespace {

using namespace part_test;
using scenarios::Scenario;
using Spread = std::vector<std::uint32_t>;

Scenario midsize() {
  return test::load_midsize();
}

const Scenario::Rotation& rotation_of(const Scenario& s) {
  for (const Scenario::Model& m : s.models)
    if (m.id == "rotation") return *m.rotation;
  throw std::runtime_error("no rotation model");
}

// The rotating stations of midsize's rotation model (l2, l3, ba, dev), as the coordinator
// builds them: people x availability, servers round(people), speed people per server.
std::vector<Rotation::StationView> midsize_stations() {
  return {
      {1, none, 6, 1, 1, 6, false},
      {2, none, 7, 0.5, 1, 7, false},
      {3, none, 5.1, 0.85, 5.1 / 5, 5, false},
      {4, none, 15.3, 0.3825, 15.3 / 15, 15, false},
  };
}

TEST(Rotation, SpreadsPeopleByLargestRemainderWithExactTotals) {
  EXPECT_EQ(Rotation::spread(10, {1, 1, 1}), (Spread{4, 3, 3}));
  EXPECT_EQ(Rotation::spread(2, {1, 1, 1}), (Spread{1, 1, 0})); // ties: the first
  // docs/models.md: 3 of 66 rotating people go out, 10 newcomers come in.
  EXPECT_EQ(Rotation::spread(3, {6, 14, 6, 40}), (Spread{0, 1, 0, 2}));
  EXPECT_EQ(Rotation::spread(10, {6, 14, 6, 40}), (Spread{1, 2, 1, 6}));
  EXPECT_EQ(Rotation::spread(7, {0, 2, 0}), (Spread{0, 7, 0}));
  EXPECT_EQ(Rotation::spread(5, {0, 0}), (Spread{0, 0}));
  EXPECT_EQ(Rotation::spread(5, {}), Spread{});
  sim::RandomStream rng(11);
  for (int k = 0; k < 1000; ++k) {
    std::vector<double> w(1 + rng.uniform_index(8));
    for (double& x : w)
      x = rng.uniform01() * 50;
    const auto total = static_cast<std::uint32_t>(rng.uniform_index(100));
    const Spread out = Rotation::spread(total, w);
    EXPECT_EQ(std::accumulate(out.begin(), out.end(), 0U), total);
    const double sum = std::accumulate(w.begin(), w.end(), 0.0);
    for (std::size_t i = 0; i < w.size(); ++i)
      EXPECT_LT(std::abs(out[i] - total * w[i] / sum), 1.0);
  }
}

TEST(Rotation, AveragesTheNewcomersRampOverTheStint) {
  const Scenario s = midsize();
  Scenario::Rotation r = rotation_of(s); // 0.5 to 0.9 over 3 months, 3-month stints
  ASSERT_DOUBLE_EQ(r.ramp_h, 2190);
  ASSERT_DOUBLE_EQ(r.stint_h, 2190);
  EXPECT_NEAR(Rotation(s, r, {}).newcomer_productivity(), 0.7, 1e-12);
  r.stint_h = 1095; // half the ramp: 0.5 + 0.4 x 0.5 / 2
  EXPECT_NEAR(Rotation(s, r, {}).newcomer_productivity(), 0.6, 1e-12);
  r.stint_h = 4380; // the ramp (mean 0.7), then as long at 0.9
  EXPECT_NEAR(Rotation(s, r, {}).newcomer_productivity(), 0.8, 1e-12);
  r.ramp_h = 0;
  EXPECT_DOUBLE_EQ(Rotation(s, r, {}).newcomer_productivity(), 0.9);
}

TEST(Rotation, LetsServersFollowThePeopleOnAStintWithoutAWipLimit) {
  // docs/models.md's example: out {0, 1, 0, 2}, in {1, 2, 1, 6}, rho = 0.7.
  const Scenario s = midsize();
  Rotation rot(s, rotation_of(s), midsize_stations());
  const std::vector<Rotation::Staffing> st = rot.start_stint(at_h(4380));
  EXPECT_EQ(rot.stint_start(), at_h(4380));
  ASSERT_EQ(st.size(), 4U);
  // l2: 6 + 1 newcomer on 7 servers, working 6.7.
  EXPECT_EQ(st[0].station, 1U);
  EXPECT_EQ(st[0].capacity_delta, 1);
  EXPECT_NEAR(st[0].productivity, 6.7 / 7, 1e-12);
  // l3: 7 - 0.5 + 1 = 7.5 people on 8 servers, working 7 - 0.5 + 0.7 = 7.2.
  EXPECT_EQ(st[1].capacity_delta, 1);
  EXPECT_NEAR(st[1].productivity, 7.2 / 8, 1e-12);
  // ba: 5.1 + 0.85 = 5.95 on 6 servers, working 5.1 + 0.595 = 5.695, at 1.02 per server.
  EXPECT_EQ(st[2].capacity_delta, 1);
  EXPECT_NEAR(st[2].productivity, 5.695 / 6 / 1.02, 1e-12);
  // dev: 15.3 - 0.765 + 2.295 = 16.83 on 17 servers, working 16.1415.
  EXPECT_EQ(st[3].station, 4U);
  EXPECT_EQ(st[3].capacity_delta, 2);
  EXPECT_NEAR(st[3].productivity, 16.1415 / 17 / 1.02, 1e-12);
  // The station's capacity is exactly the work rate: servers x productivity x speed.
  const std::vector<Rotation::StationView> v = midsize_stations();
  const double working[] = {6.7, 7.2, 5.695, 16.1415};
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_NEAR((double(v[i].servers) + st[i].capacity_delta) * st[i].productivity * v[i].speed,
                working[i], 1e-12);
}

TEST(Rotation, KeepsTheServersAndScalesTheirSpeedUnderAWipLimit) {
  // A team of 6 with a WIP limit of 3: one goes out, two newcomers come in at rho 0.7.
  const Scenario s = midsize();
  Scenario::Rotation r = rotation_of(s);
  r.it_share = 1.0 / 6;
  r.business_staff = 2;
  Rotation rot(s, r, {{0, none, 6, 1, 2, 3, true}});
  const std::vector<Rotation::Staffing> st = rot.start_stint(at_h(0));
  ASSERT_EQ(st.size(), 1U);
  EXPECT_EQ(st[0].capacity_delta, 0);
  EXPECT_NEAR(st[0].productivity, (6 - 1 + 2 * 0.7) / 6, 1e-12);
}

TEST(Rotation, BringsBackExperienceForEveryUnitByHeadcountShare) {
  // Each person back brings stint hours x 3 (learning multiplier), spread over midsize's
  // units by headcount (600, 500, 400, 300, 200 of 2000); l3 had 1 out, dev 2.
  const Scenario s = midsize();
  Rotation rot(s, rotation_of(s), midsize_stations());
  rot.start_stint(at_h(4380));
  std::vector<Rotation::Staffing> back;
  const std::vector<Rotation::Experience> gained = rot.end_stint(520, back);
  ASSERT_EQ(gained.size(), 10U);
  const double share[] = {0.3, 0.25, 0.2, 0.15, 0.1};
  for (std::uint32_t u = 0; u < 5; ++u) {
    EXPECT_EQ(gained[u].station, 2U);
    EXPECT_EQ(gained[u].unit, u);
    EXPECT_NEAR(gained[u].person_hours, 1 * 520 * share[u] * 3, 1e-9);
    EXPECT_EQ(gained[5 + u].station, 4U);
    EXPECT_EQ(gained[5 + u].unit, u);
    EXPECT_NEAR(gained[5 + u].person_hours, 2 * 520 * share[u] * 3, 1e-9);
  }
  ASSERT_EQ(back.size(), 4U);
  for (const Rotation::Staffing& b : back) {
    EXPECT_DOUBLE_EQ(b.productivity, 1);
    EXPECT_EQ(b.capacity_delta, 0);
  }
  // Nobody is out any more: ending again brings nothing back.
  EXPECT_TRUE(rot.end_stint(520, back).empty());
}

TEST(Rotation, BringsAUnitCopysExperienceToItsOwnUnit) {
  const Scenario s = midsize();
  Scenario::Rotation r = rotation_of(s);
  r.it_share = 0.2;
  Rotation rot(s, r, {{6, 2, 10, 1, 1, 10, false}});
  rot.start_stint(at_h(0));
  std::vector<Rotation::Staffing> back;
  const std::vector<Rotation::Experience> gained = rot.end_stint(100, back);
  ASSERT_EQ(gained.size(), 5U);
  for (std::uint32_t u = 0; u < 5; ++u)
    EXPECT_DOUBLE_EQ(gained[u].person_hours, u == 2 ? 2 * 100 * 3 : 0) << u;
}

TEST(Rotation, BoostsTheLargestUnitsOnlyOnceTheStintEnds) {
  const Scenario s = midsize();
  Scenario::Rotation r = rotation_of(s); // +0.1 retention, +0.1 self-service
  r.business_staff = 2;
  r.retention_boost = 0.15;
  Rotation rot(s, r, midsize_stations());
  rot.start_stint(at_h(0));
  for (std::uint32_t u = 0; u < 5; ++u) {
    EXPECT_DOUBLE_EQ(rot.retention_boost(u), 0);
    EXPECT_DOUBLE_EQ(rot.self_serve_boost(u), 0);
  }
  std::vector<Rotation::Staffing> back;
  rot.end_stint(100, back);
  // Two business people went home: to sales (600) and service (500).
  for (std::uint32_t u = 0; u < 5; ++u) {
    EXPECT_DOUBLE_EQ(rot.retention_boost(u), u < 2 ? 0.15 : 0) << u;
    EXPECT_DOUBLE_EQ(rot.self_serve_boost(u), u < 2 ? 0.1 : 0) << u;
  }
  // Ten business people reach every unit; boosts do not add up over rotations.
  Rotation all(s, rotation_of(s), midsize_stations());
  for (int k = 0; k < 2; ++k) {
    all.start_stint(at_h(4380.0 * k));
    all.end_stint(100, back);
  }
  for (std::uint32_t u = 0; u < 5; ++u)
    EXPECT_DOUBLE_EQ(all.retention_boost(u), 0.1) << u;
}

} // namespace
} // namespace itsim::models::detail
