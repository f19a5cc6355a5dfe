// SPDX-License-Identifier: Apache-2.0
// The small scenario the unit tests of the operating model's parts (models/src: demand,
// routing, knowledge, rotation, proactive work, value, requesters, KPI recorder) drive
// each part with, without the coordinator: fake clocks are plain SimTime values, items
// are made by hand.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "itsim/scenarios/loader.hpp"
#include "itsim/sim/sim_time.hpp"

namespace itsim::models::detail::part_test {

// Two units (sales faces customers, 3:1 by headcount), four work types and two pools on
// the business calendar. Every distribution is deterministic, so that hand calculations
// hold exactly; the tests change what they need with overrides.
//   incident (0): per employee, P1 a quarter, P3 the rest; desk, then a fifth to dev.
//   request (1):  per employee, patience in business time (3bd), expected lead 2bd.
//   change (2):   enhancement, 2/week for the firm, value 100/week over 52 weeks,
//                 linear urgency, patience 2w (calendar); analysis -> build (a handoff,
//                 spanning work coordinates, rework back to analysis) -> release (a
//                 weekly gate on Tuesdays at 10:00).
//   project (3):  one stage on a by-unit squad that sends spanning work to a second team.
inline constexpr const char* part_scenario = R"(name: parts
horizon: 1000h
organisation:
  units:
    sales: {headcount: 300, customer_facing: true}
    finance: {headcount: 100}
demand:
  work_types:
    incident:
      kind: incident
      rate: 0.5/employee/month
      follows_profile: false
      priority_mix: {p1: 0.25, p3: 0.75}
      effort: 1h
    request:
      kind: request
      rate: 0.2/employee/month
      follows_profile: false
      effort: 20min
      patience: 3bd
      expected_lead: 2bd
    change:
      kind: enhancement
      rate: 2/week
      follows_profile: false
      priority_mix: {p3: 1}
      effort: 10h
      patience: 2w
      value: 100
      value_life: 52w
      urgency: linear
      spanning_share: 0.5
      expected_lead: 4w
    project:
      kind: project
      rate: 4/year
      follows_profile: false
      effort: 100h
      spanning_share: 0.2
staff:
  pools:
    desk: {headcount: 4, calendar: business, cost_per_hour: 40, first_line: true}
    dev: {headcount: 10, calendar: business, cost_per_hour: 80, availability: 0.5}
models:
  central:
    teams:
      squad: {members: {dev: 4}, by_unit: true}
    routes:
      incident:
        stages:
          l1: {pool: desk, service: 30min, next: {done: 0.8, l2: 0.2}}
          l2: {pool: dev}
      request:
        stages:
          l1: {pool: desk}
      change:
        stages:
          analysis: {pool: desk, effort_share: 0.2, next: {build: 1}}
          build: {pool: dev, effort_share: 0.5, handoff: true, rework: analysis, spanning: coordinate, next: {release: 1}}
          release: {pool: dev, effort_share: 0.3, gate: {every: 1w, offset: 34h}}
      project:
        stages:
          build: {pool: squad, spanning: second_team}
mechanisms:
  handoff:
    delay: 2h
)";

// Indices into the scenario above.
inline constexpr std::uint32_t incident = 0, request = 1, change = 2, project = 3;
inline constexpr std::uint32_t sales = 0, finance = 1;

/// `text` (the part scenario by default) loaded with `overrides` (`KEY.PATH=VALUE`); a
/// problem fails the test.
inline scenarios::Scenario load_part_scenario(const std::vector<std::string>& overrides = {},
                                              const std::string& text = part_scenario) {
  scenarios::Diagnostics diags;
  auto loaded = scenarios::load_scenario_text(text, "parts.yaml", ".", overrides, diags);
  EXPECT_TRUE(loaded.has_value()) << diags.format_all();
  EXPECT_EQ(diags.warning_count(), 0U) << diags.format_all();
  if (!loaded) throw std::runtime_error("scenario did not load: " + diags.format_all());
  return std::move(loaded->scenario);
}

/// `h` hours after the start of a run (a Monday at 00:00).
inline sim::SimTime at_h(double h) {
  return sim::SimTime::zero() + sim::SimDuration::from_hours(h);
}

/// The index of stage `id` in the route of work type `w` of model 0.
inline std::uint32_t stage_of(const scenarios::Scenario& s, std::uint32_t w,
                              const std::string& id) {
  const auto& stages = s.models.at(0).routes.at(w).stages;
  for (std::uint32_t i = 0; i < stages.size(); ++i)
    if (stages[i].id == id) return i;
  throw std::runtime_error("no stage " + id);
}

/// Half-width of a 6-sigma band for a frequency of probability `p` over `n` trials: a
/// correct implementation falls outside it with probability about 2e-9.
inline double six_sigma(double p, double n) {
  return 6 * std::sqrt(p * (1 - p) / n);
}

} // namespace itsim::models::detail::part_test
