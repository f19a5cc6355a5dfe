// SPDX-License-Identifier: Apache-2.0
// The load check (models/load.hpp) on scenarios small enough to work out by hand: one pool,
// known rates and efforts, then one mechanism at a time.
#include "itsim/models/load.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "itsim/scenarios/loader.hpp"

namespace itsim::models {
namespace {

using scenarios::Diagnostics;
using scenarios::Scenario;

// 100 people raise 0.4 incidents a week each (40 a week) of 2 h of work, to a desk of 4 on
// the business calendar (40 h a week): 80 of 160 person-hours, a bound of 0.5. K0 = 1, so
// that the knowledge penalty stays out until a test puts it in.
constexpr const char* one_pool = R"(name: load
organisation:
  units:
    sales: {headcount: 100}
demand:
  work_types:
    incident:
      kind: incident
      rate: 0.4/employee/week
      effort: 2h
staff:
  pools:
    desk: {headcount: 4, calendar: business}
models:
  central:
    knowledge: {initial: 1}
    routes:
      incident:
        stages:
          fix: {pool: desk}
)";

/// The text with `from` replaced by `to` (which must occur exactly once).
std::string edit(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at == std::string::npos) return text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

Scenario load(const std::string& text, const std::vector<std::string>& overrides = {}) {
  Diagnostics diags;
  const auto loaded = scenarios::load_scenario_text(text, "load.yaml", ".", overrides, diags);
  if (!loaded) throw std::runtime_error(diags.format_all());
  return loaded->scenario;
}

/// The row of resource `id` of the first model.
ResourceLoad row(const Scenario& s, const std::string& id) {
  const ModelLoad ml = offered_load(s, 0);
  for (const ResourceLoad& l : ml.resources)
    if (s.models[0].resources[l.resource].id == id) return l;
  ADD_FAILURE() << "no row for " << id;
  return {};
}

TEST(Load, OfferedIsRateTimesEffortAgainstPeopleTimesWorkingHours) {
  const ResourceLoad l = row(load(one_pool), "desk");
  EXPECT_NEAR(l.offered_h, 80, 1e-9);
  EXPECT_NEAR(l.available_h, 4 * 40, 1e-9);
  EXPECT_NEAR(l.bound(), 0.5, 1e-12);
  EXPECT_FALSE(l.impatient);
  EXPECT_EQ(l.proactive_h, 0);
}

TEST(Load, AvailabilityAndAnyFortyHourCalendarGiveTheSameHours) {
  // Four ten-hour days are 40 h a week too; half the people's time on this work halves it.
  const Scenario s = load(edit(edit(one_pool, "staff:\n",
                                    "calendars:\n  long: {days: [mon, tue, wed, thu], hours: "
                                    "\"07:00-17:00\"}\nstaff:\n"),
                               "{headcount: 4, calendar: business}",
                               "{headcount: 4, calendar: long, availability: 0.5}"));
  const ResourceLoad l = row(s, "desk");
  EXPECT_NEAR(l.available_h, 4 * 0.5 * 40, 1e-9);
  EXPECT_NEAR(l.bound(), 1.0, 1e-12);
  // Around the clock: 168 h a week.
  EXPECT_NEAR(row(load(edit(one_pool, ", calendar: business", "")), "desk").available_h, 4 * 168,
              1e-9);
}

TEST(Load, ReworkWithProbabilityPMakesOneOverOneMinusPVisits) {
  // No handoff and K0 = 1: u = u0 = 0.75, so p = 0.25 and 1/(1-p) = 4/3 visits when a
  // rework costs the whole effort again.
  const std::string text =
      edit(edit(one_pool, "fix: {pool: desk}", "fix: {pool: desk, rework: fix}"), "models:\n",
           "mechanisms:\n  handoff: {base_understanding: 0.75, "
           "rework_effort_share: 1}\nmodels:\n");
  EXPECT_NEAR(row(load(text), "desk").offered_h, 80 / 0.75, 1e-6);
  // At 40% of the effort: 1 + 0.4 x p/(1-p) = 1 + 0.4/3 times the work.
  EXPECT_NEAR(
      row(load(edit(text, "rework_effort_share: 1", "rework_effort_share: 0.4")), "desk").offered_h,
      80 * (1 + 0.4 / 3), 1e-6);
}

TEST(Load, HandoffsLowerUnderstandingAndKnowledgeRaisesEffort) {
  // A handoff into the stage (h = 1, k = 0.8) and K0 = 0.5 (w = 0.5, penalty 0.3):
  // u = 0.8 x (1 - 0.5 x 0.5) = 0.6, so 1/0.6 visits at full effort, each 1.15 times the work.
  const std::string text = edit(
      edit(edit(one_pool, "fix: {pool: desk}", "fix: {pool: desk, handoff: true, rework: fix}"),
           "models:\n", "mechanisms:\n  handoff: {rework_effort_share: 1}\nmodels:\n"),
      "initial: 1", "initial: 0.5");
  EXPECT_NEAR(row(load(text), "desk").offered_h, 80 * 1.15 / 0.6, 1e-6);
}

TEST(Load, ContextSwitchMultipliesTheWorkAndCoordinationAndCrewsDoNot) {
  // A fifth of the items span two units at a coordinate stage: their time there is 2.5
  // times their service, but the people's work is unchanged (MODEL.md M6 says duration),
  // and a crew of 3 shares the work without changing it: 80 h either way. A context switch
  // adds 20%.
  std::string text = edit(one_pool, "effort: 2h\n", "effort: 2h\n      spanning_share: 0.2\n");
  EXPECT_NEAR(row(load(text), "desk").offered_h, 80, 1e-6);
  text = edit(text, "fix: {pool: desk}", "fix: {pool: desk, spanning: coordinate, crew: 3}");
  EXPECT_NEAR(row(load(text), "desk").offered_h, 80, 1e-6);
  text = edit(text, "    knowledge: {initial: 1}\n",
              "    knowledge: {initial: 1}\n    context_switch: [desk]\n");
  EXPECT_NEAR(row(load(text), "desk").offered_h, 80 * 1.2, 1e-6);
}

TEST(Load, SecondTeamVisitsLoadTheNextUnitsCopy) {
  // Two units of 100 people; a by-unit team of 4 (2 per copy); half the items span units
  // and visit the next unit's copy once more at full effort.
  std::string text = edit(one_pool, "    sales: {headcount: 100}\n",
                          "    sales: {headcount: 100}\n    finance: {headcount: 100}\n");
  text = edit(text, "effort: 2h\n", "effort: 2h\n      spanning_share: 0.5\n");
  text = edit(text, "    knowledge: {initial: 1}\n",
              "    teams: {squad: {members: {desk: 4}, by_unit: true, knowledge: 1}}\n");
  text = edit(text, "fix: {pool: desk}", "fix: {pool: squad, spanning: second_team}");
  const Scenario s = load(text);
  const ModelLoad ml = offered_load(s, 0);
  ASSERT_EQ(ml.copies.size(), 2U);
  // Each unit raises 40 items a week (80 h); half again at the other copy: 120 h at each.
  for (const ResourceLoad& c : ml.copies) {
    EXPECT_NEAR(c.offered_h, 120, 1e-6);
    EXPECT_NEAR(c.available_h, 2 * 40, 1e-9);
    EXPECT_NEAR(c.bound(), 1.5, 1e-9);
  }
  Diagnostics diags;
  EXPECT_EQ(check_load(s, {ml}, diags), 2U);
  EXPECT_EQ(diags.all()[0].format(),
            "load.yaml:17:3: models.central: warning: team squad's copy for unit sales offered "
            "120 person-hours a week against 80 available (utilisation bound 1.5): the queue "
            "grows without limit");
}

TEST(Load, SelfServiceRemovesDemandAndFailedChangesAddIncidents) {
  std::string text = edit(one_pool, "models:\n  central:\n",
                          "models:\n  central:\n    self_service: {incident: 0.25}\n");
  EXPECT_NEAR(row(load(text), "desk").offered_h, 60, 1e-6);
  // 4 changes a week of 10 h at dev; 15% of them fail and raise a 2 h incident at the desk
  // (change_failure is 0, neutral, unless a model states it).
  text = edit(one_pool, "    knowledge: {initial: 1}\n",
              "    knowledge: {initial: 1}\n    change_failure: 0.15\n");
  text = edit(text, "staff:\n",
              "    change: {kind: enhancement, rate: 4/week, effort: 10h}\nstaff:\n");
  text = edit(text, "    desk: {headcount: 4, calendar: business}\n",
              "    desk: {headcount: 4, calendar: business}\n    dev: {headcount: 2}\n");
  text = edit(text, "          fix: {pool: desk}\n",
              "          fix: {pool: desk}\n      change:\n        stages:\n          build: "
              "{pool: dev}\n");
  const Scenario s = load(text);
  EXPECT_NEAR(row(s, "dev").offered_h, 40, 1e-6);
  EXPECT_NEAR(row(s, "desk").offered_h, 80 + 4 * 0.15 * 2, 1e-6);
}

TEST(Load, ProactiveWorkCountsAtItsHighestRate) {
  const std::string text =
      edit(one_pool, "    knowledge: {initial: 1}\n",
           "    knowledge: {initial: 1}\n    proactive: {pool: desk, work_type: incident, "
           "rate: 5/week}\n");
  const ResourceLoad l = row(load(text), "desk");
  EXPECT_NEAR(l.proactive_h, 10, 1e-6);
  EXPECT_NEAR(l.offered_h, 90, 1e-6);
}

TEST(Load, PatienceDoesNotHideAnOverload) {
  // 12 incidents a week per person: 2400 h of work against 160, and requesters who give up.
  const std::string text =
      edit(edit(one_pool, "0.4/employee/week", "12/employee/week"), "effort: 2h\n",
           "effort: 2h\n      patience: {dist: lognormal, median: 2bd, "
           "sigma: 1}\n");
  const Scenario s = load(text);
  const ResourceLoad l = row(s, "desk");
  EXPECT_TRUE(l.impatient);
  EXPECT_NEAR(l.bound(), 15, 1e-9);
  Diagnostics diags;
  EXPECT_EQ(check_load(s, offered_load(s), diags), 1U);
  EXPECT_EQ(diags.format_all(),
            "load.yaml:16:3: models.central: warning: pool desk offered 2400 person-hours a week "
            "against 160 available (utilisation bound 15): the queue grows until requesters give "
            "up (patience), which only hides the overload");
}

TEST(Load, RationingTurnsAnOverloadOfChangesAway) {
  // The same overload made of changes, with a capped portfolio: the warning says that the
  // excess is declined rather than queued; tickets alone are never rationed.
  const std::string changes = edit(edit(one_pool, "0.4/employee/week", "12/employee/week"),
                                   "kind: incident", "kind: enhancement") +
                              "mechanisms:\n  rationing: {max_backlog: 13w}\n";
  const Scenario s = load(changes);
  const ResourceLoad l = row(s, "desk");
  EXPECT_TRUE(l.rationed);
  Diagnostics diags;
  EXPECT_EQ(check_load(s, offered_load(s), diags), 1U);
  EXPECT_NE(diags.format_all().find("(utilisation bound 15): rationing declines changes while its "
                                    "work on hand exceeds 13 weeks of its people's time"),
            std::string::npos)
      << diags.format_all();
  const Scenario tickets = load(edit(one_pool, "0.4/employee/week", "12/employee/week") +
                                "mechanisms:\n  rationing: {max_backlog: 13w}\n");
  EXPECT_FALSE(row(tickets, "desk").rationed);
}

TEST(Load, NoWarningBelowCapacityAndTheTableListsEveryResource) {
  const Scenario s = load(one_pool);
  Diagnostics diags;
  EXPECT_EQ(check_load(s, offered_load(s), diags), 0U);
  EXPECT_EQ(load_table(s, offered_load(s)),
            "model          resource                   offered h/wk  proactive available h/wk    "
            "bound\n"
            "central        desk                               80.0        0.0          160.0      "
            "0.5\n");
}

} // namespace
} // namespace itsim::models
