// SPDX-License-Identifier: Apache-2.0
// The keys of the operating-model mechanisms (MODEL.md M3-M9): pools' availability, work
// types' spanning share and expected lead time, a model's teams, knowledge, self-service,
// rotation, proactive work and capabilities, stages' handoffs, rework, gates, delays and
// spanning, and the scenario-wide `mechanisms:` section. Each is built into the Scenario
// value, and each error is reported with its exact location and message.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "itsim/scenarios/loader.hpp"

namespace itsim::scenarios {
namespace {

// Line numbers in the messages below refer to this text (then to lines appended to it).
constexpr const char* org = R"(name: org
organisation:
  units:
    sales: {headcount: 300}
    finance: {headcount: 100}
demand:
  work_types:
    incident:
      kind: incident
      rate: 0.5/employee/month
      effort: {dist: exponential, mean: 30min}
    change:
      kind: enhancement
      rate: 2/week
      effort: {dist: lognormal, median: 3bd, sigma: 1}
staff:
  pools:
    desk: {headcount: 4, calendar: business, cost_per_hour: 40, first_line: true}
    dev: {headcount: 10, calendar: business, cost_per_hour: 80, availability: 0.5}
    ops: {headcount: 6, cost_per_hour: 60}
models:
  central:
    routes:
      incident:
        stages:
          l1: {pool: desk, next: {done: 0.8, ops: 0.2}}
          ops: {pool: ops}
      change:
        stages:
          build: {pool: dev}
)";

struct Result {
  std::optional<LoadedScenario> loaded;
  Diagnostics diags;
};

Result load(const std::string& text, const std::vector<std::string>& overrides = {}) {
  Result r;
  r.loaded = load_scenario_text(text, "org.yaml", ".", overrides, r.diags);
  return r;
}

/// The scenario `r` loaded (a copy: `r` may be a temporary).
Scenario scenario_of(const Result& r) {
  EXPECT_TRUE(r.loaded.has_value()) << r.diags.format_all();
  if (!r.loaded) throw std::runtime_error(r.diags.format_all());
  return r.loaded->scenario;
}

/// The text with `from` replaced by `to` (which must occur exactly once).
std::string edit(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

/// `org` with `lines` added to model `central` (after its `central:` line).
std::string with_model_keys(const std::string& lines) {
  return edit(org, "  central:\n", "  central:\n" + lines);
}

/// The errors of `text`, which must not load.
std::string errors_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  const Result r = load(text, overrides);
  EXPECT_FALSE(r.loaded.has_value());
  return r.diags.format_errors();
}

TEST(ModelKeys, FillsEveryNewKeyWithItsDefault) {
  const Result r = load(org);
  const Scenario& s = scenario_of(r);
  EXPECT_EQ(r.diags.warning_count(), 0U) << r.diags.format_all();

  EXPECT_DOUBLE_EQ(s.pools[0].availability, 1);
  EXPECT_TRUE(s.pools[0].first_line);
  EXPECT_DOUBLE_EQ(s.pools[1].availability, 0.5);
  EXPECT_FALSE(s.pools[1].first_line);

  const Scenario::WorkType& incident = s.work_types[0];
  EXPECT_DOUBLE_EQ(incident.spanning_share, 0);
  EXPECT_DOUBLE_EQ(incident.expected_lead_h, 8); // 8bh
  EXPECT_EQ(incident.expected_lead_base, TimeBase::business);
  EXPECT_DOUBLE_EQ(s.work_types[1].expected_lead_h, 4 * 168.0); // 4w
  EXPECT_EQ(s.work_types[1].expected_lead_base, TimeBase::calendar);

  const Scenario::Model& m = s.models[0];
  EXPECT_EQ(m.preset, "");
  ASSERT_EQ(m.resources.size(), 3U);
  const Scenario::Resource& dev = m.resources[1];
  EXPECT_EQ(dev.id, "dev");
  EXPECT_FALSE(dev.team);
  EXPECT_DOUBLE_EQ(dev.people, 10);
  EXPECT_FALSE(dev.by_unit);
  EXPECT_EQ(dev.wip_limit, 0U);
  EXPECT_EQ(s.calendars[dev.calendar].id, "business");
  EXPECT_DOUBLE_EQ(dev.cost_per_hour, 80);
  EXPECT_DOUBLE_EQ(dev.availability, 0.5);
  EXPECT_FALSE(dev.first_line);
  EXPECT_TRUE(m.resources[0].first_line);
  EXPECT_DOUBLE_EQ(dev.knowledge, 1); // neutral by default: no effort penalty
  EXPECT_FALSE(dev.learns);
  EXPECT_FALSE(dev.context_switch);
  EXPECT_EQ(m.self_service, (std::vector<double>{0, 0}));
  EXPECT_FALSE(m.rotation.has_value());
  EXPECT_FALSE(m.proactive.has_value());
  EXPECT_DOUBLE_EQ(m.incident_reduction_per_item, 0);
  EXPECT_DOUBLE_EQ(m.max_incident_reduction, 0.5);
  EXPECT_DOUBLE_EQ(m.change_failure, 0); // neutral by default

  const Scenario::Stage& build = m.routes[1].stages[0];
  EXPECT_EQ(build.pool, 1U); // dev
  EXPECT_FALSE(build.handoff);
  EXPECT_FALSE(build.rework_to.has_value());
  EXPECT_DOUBLE_EQ(build.gate_every_h, 0);
  EXPECT_DOUBLE_EQ(build.gate_offset_h, 0);
  EXPECT_FALSE(build.delay.has_value());
  EXPECT_EQ(build.spanning, Scenario::Spanning::none);

  // The mechanisms' defaults are MODEL.md's numbers (but shadow.build_share, neutral), the
  // same as Scenario::Mechanisms'.
  const Scenario::Mechanisms& x = s.mechanisms;
  const Scenario::Mechanisms d;
  EXPECT_EQ(x.handoff_delay.base, TimeBase::business);
  EXPECT_DOUBLE_EQ(x.handoff_delay.hours.mean(), (2 + 8 + 24) / 3.0); // 0.25bd, 1bd, 3bd
  EXPECT_DOUBLE_EQ(x.handoff_retention, d.handoff_retention);
  EXPECT_DOUBLE_EQ(x.base_understanding, d.base_understanding);
  EXPECT_DOUBLE_EQ(x.knowledge_weight, d.knowledge_weight);
  EXPECT_DOUBLE_EQ(x.rework_effort_share, d.rework_effort_share);
  EXPECT_DOUBLE_EQ(x.quality_loss, d.quality_loss);
  EXPECT_DOUBLE_EQ(x.effort_penalty, d.effort_penalty);
  EXPECT_DOUBLE_EQ(x.progress_ratio, d.progress_ratio);
  EXPECT_DOUBLE_EQ(x.learning_hours, d.learning_hours);
  EXPECT_DOUBLE_EQ(x.monthly_retention, d.monthly_retention);
  EXPECT_DOUBLE_EQ(x.context_switch_cost, d.context_switch_cost);
  EXPECT_DOUBLE_EQ(x.coordination_factor, d.coordination_factor);
  EXPECT_DOUBLE_EQ(x.user_hour_cost, d.user_hour_cost);
  EXPECT_EQ(x.users_affected, d.users_affected);
  EXPECT_DOUBLE_EQ(x.customer_facing_factor, d.customer_facing_factor);
  EXPECT_DOUBLE_EQ(x.decay_half_life_h, d.decay_half_life_h);
  EXPECT_DOUBLE_EQ(x.deadline_h, d.deadline_h);
  EXPECT_DOUBLE_EQ(x.effort_cost_rate, d.effort_cost_rate);
  EXPECT_DOUBLE_EQ(x.shadow_build_share, d.shadow_build_share);
  EXPECT_DOUBLE_EQ(x.shadow_build_share, 0); // neutral by default
  EXPECT_DOUBLE_EQ(x.shadow_value_share, d.shadow_value_share);
  EXPECT_DOUBLE_EQ(x.shadow_cost_factor, d.shadow_cost_factor);
  EXPECT_DOUBLE_EQ(x.shadow_incident_factor, d.shadow_incident_factor);
  EXPECT_DOUBLE_EQ(x.shadow_run_cost_per_week, d.shadow_run_cost_per_week);
  EXPECT_DOUBLE_EQ(x.expectation_rise_per_year, d.expectation_rise_per_year);
  EXPECT_EQ(x.sla_h, d.sla_h);
  EXPECT_EQ(x.sla_base, d.sla_base);
}

TEST(ModelKeys, FillsTheExpectedLeadTimeByKind) {
  std::string text = edit(org, "      kind: incident\n", "      kind: request\n");
  text = edit(text, "      kind: enhancement\n", "      kind: project\n");
  const Result r = load("business_day: 7h\n" + text);
  const Scenario& s = scenario_of(r);
  EXPECT_DOUBLE_EQ(s.work_types[0].expected_lead_h, 21); // 3bd of 7 h
  EXPECT_EQ(s.work_types[0].expected_lead_base, TimeBase::business);
  EXPECT_DOUBLE_EQ(s.work_types[1].expected_lead_h, 26 * 168.0);
  EXPECT_EQ(s.work_types[1].expected_lead_base, TimeBase::calendar);
  const Scenario& other = scenario_of(load(edit(org, "      kind: incident\n", "")));
  EXPECT_DOUBLE_EQ(other.work_types[0].expected_lead_h, 168);
  EXPECT_EQ(other.work_types[0].expected_lead_base, TimeBase::calendar);
}

TEST(ModelKeys, BuildsWrittenPoolAndWorkTypeKeys) {
  std::string text = edit(org, "      kind: incident\n",
                          "      kind: incident\n      spanning_share: 0.25\n"
                          "      expected_lead: 2bd\n");
  text =
      edit(text, "      kind: enhancement\n", "      kind: enhancement\n      expected_lead: 6w\n");
  const Scenario& s = scenario_of(load(text));
  EXPECT_DOUBLE_EQ(s.work_types[0].spanning_share, 0.25);
  EXPECT_DOUBLE_EQ(s.work_types[0].expected_lead_h, 16);
  EXPECT_EQ(s.work_types[0].expected_lead_base, TimeBase::business);
  EXPECT_DOUBLE_EQ(s.work_types[1].expected_lead_h, 6 * 168.0);
  EXPECT_EQ(s.work_types[1].expected_lead_base, TimeBase::calendar);
}

TEST(ModelKeys, BuildsEveryMechanismAsWritten) {
  const std::string mechanisms = R"(mechanisms:
  handoff:
    delay: {dist: uniform, min: 1h, max: 3h}
    retention: 0.6
    base_understanding: 0.9
    knowledge_weight: 0.25
    rework_effort_share: 0.5
    quality_loss: 0.3
  knowledge: {effort_penalty: 0.5, progress_ratio: 0.8, learning_hours: 10bd, monthly_retention: 0.75}
  coordination: {context_switch_cost: 0.1, spanning_factor: 2}
  value:
    user_hour_cost: 50
    users_affected: {p1: 100, p4: 2}
    customer_facing_factor: 4
    decay_half_life: 13w
    deadline: 8w
    effort_cost_per_hour: 70
  shadow: {build_share: 0.5, value_share: 0.4, cost_factor: 2, incident_factor: 3, run_cost_per_week: 25}
  perception: {expectation_rise_per_year: 0.2}
  sla: {p1: 1h, p2: 8h, p3: 2bd, p4: 1w}
)";
  const Scenario& s = scenario_of(load(std::string(org) + mechanisms));
  const Scenario::Mechanisms& x = s.mechanisms;
  EXPECT_EQ(x.handoff_delay.base, TimeBase::calendar);
  EXPECT_DOUBLE_EQ(x.handoff_delay.hours.mean(), 2);
  EXPECT_DOUBLE_EQ(x.handoff_retention, 0.6);
  EXPECT_DOUBLE_EQ(x.base_understanding, 0.9);
  EXPECT_DOUBLE_EQ(x.knowledge_weight, 0.25);
  EXPECT_DOUBLE_EQ(x.rework_effort_share, 0.5);
  EXPECT_DOUBLE_EQ(x.quality_loss, 0.3);
  EXPECT_DOUBLE_EQ(x.effort_penalty, 0.5);
  EXPECT_DOUBLE_EQ(x.progress_ratio, 0.8);
  EXPECT_DOUBLE_EQ(x.learning_hours, 80);
  EXPECT_DOUBLE_EQ(x.monthly_retention, 0.75);
  EXPECT_DOUBLE_EQ(x.context_switch_cost, 0.1);
  EXPECT_DOUBLE_EQ(x.coordination_factor, 2);
  EXPECT_DOUBLE_EQ(x.user_hour_cost, 50);
  EXPECT_EQ(x.users_affected, (std::array<double, 4>{100, 10, 3, 2}));
  EXPECT_DOUBLE_EQ(x.customer_facing_factor, 4);
  EXPECT_DOUBLE_EQ(x.decay_half_life_h, 13 * 168.0);
  EXPECT_DOUBLE_EQ(x.deadline_h, 8 * 168.0);
  EXPECT_DOUBLE_EQ(x.effort_cost_rate, 70);
  EXPECT_DOUBLE_EQ(x.shadow_build_share, 0.5);
  EXPECT_DOUBLE_EQ(x.shadow_value_share, 0.4);
  EXPECT_DOUBLE_EQ(x.shadow_cost_factor, 2);
  EXPECT_DOUBLE_EQ(x.shadow_incident_factor, 3);
  EXPECT_DOUBLE_EQ(x.shadow_run_cost_per_week, 25);
  EXPECT_DOUBLE_EQ(x.expectation_rise_per_year, 0.2);
  EXPECT_EQ(x.sla_h, (std::array<double, 4>{1, 8, 16, 168}));
  EXPECT_EQ(x.sla_base, (std::array<TimeBase, 4>{TimeBase::calendar, TimeBase::calendar,
                                                 TimeBase::business, TimeBase::calendar}));
}

TEST(ModelKeys, ChecksTheRangesOfMechanisms) {
  const std::string text = std::string(org) + R"(mechanisms:
  knowledge: {progress_ratio: 0, learning_hours: 0h}
  coordination: {spanning_factor: 0.5}
  value: {decay_half_life: 2bd}
  sla: {p1: 0h}
)";
  EXPECT_EQ(errors_of(text),
            "org.yaml:32:31: mechanisms.knowledge.progress_ratio: must be > 0, got \"0\"\n"
            "org.yaml:32:50: mechanisms.knowledge.learning_hours: must be > 0h, got \"0h\"\n"
            "org.yaml:33:35: mechanisms.coordination.spanning_factor: must be >= 1, got \"0.5\"\n"
            "org.yaml:34:28: mechanisms.value.decay_half_life: expected calendar time (ms, s, "
            "min, h, d, w, mo, y), got business time \"2bd\"\n"
            "org.yaml:35:13: mechanisms.sla.p1: must be > 0h, got \"0h\"");
}

// A model with two teams: `stream` (by unit, WIP-limited, WSJF) takes 6 developers and 2
// operations people; `platform` takes 3 more from operations.
const std::string teams = R"(    knowledge: {initial: 0.4, learns: true}
    teams:
      stream:
        members: {dev: 6, ops: 2}
        by_unit: true
        wip_limit: 3
        discipline: wsjf
        knowledge: 0.7
      platform:
        members: {ops: 3}
        calendar: always
        discipline: priority
        preemptive: true
        learns: false
        context_switch: true
        first_line: true
    context_switch: [desk]
)";

TEST(ModelKeys, BuildsTeamsAfterThePoolsTheyTakePeopleFrom) {
  const std::string text =
      edit(with_model_keys(teams), "          build: {pool: dev}",
           "          build: {pool: stream}\n          test: {pool: platform}");
  const Result r = load(text);
  const Scenario& s = scenario_of(r);
  const Scenario::Model& m = s.models[0];
  ASSERT_EQ(m.resources.size(), 5U);
  EXPECT_EQ(m.resources[0].id, "desk");
  EXPECT_DOUBLE_EQ(m.resources[0].people, 4);
  EXPECT_TRUE(m.resources[0].context_switch);
  EXPECT_DOUBLE_EQ(m.resources[0].knowledge, 0.4);
  EXPECT_TRUE(m.resources[0].learns);
  EXPECT_DOUBLE_EQ(m.resources[1].people, 4); // dev: 10 - 6
  EXPECT_DOUBLE_EQ(m.resources[2].people, 1); // ops: 6 - 2 - 3
  EXPECT_FALSE(m.resources[2].context_switch);

  const Scenario::Resource& stream = m.resources[3];
  EXPECT_EQ(stream.id, "stream");
  EXPECT_TRUE(stream.team);
  EXPECT_DOUBLE_EQ(stream.people, 8);
  EXPECT_TRUE(stream.by_unit);
  EXPECT_EQ(stream.wip_limit, 3U);
  EXPECT_EQ(stream.discipline, sim::QueueDiscipline::value_density);
  EXPECT_FALSE(stream.preemptive);
  EXPECT_EQ(s.calendars[stream.calendar].id, "business"); // dev's, its first member
  EXPECT_DOUBLE_EQ(stream.cost_per_hour, (6 * 80 + 2 * 60) / 8.0);
  EXPECT_DOUBLE_EQ(stream.availability, (6 * 0.5 + 2 * 1) / 8.0);
  EXPECT_DOUBLE_EQ(stream.knowledge, 0.7);
  EXPECT_TRUE(stream.learns);
  EXPECT_FALSE(stream.context_switch);
  EXPECT_FALSE(stream.first_line);

  const Scenario::Resource& platform = m.resources[4];
  EXPECT_DOUBLE_EQ(platform.people, 3);
  EXPECT_FALSE(platform.by_unit);
  EXPECT_EQ(platform.wip_limit, 0U);
  EXPECT_EQ(s.calendars[platform.calendar].id, "always");
  EXPECT_EQ(platform.discipline, sim::QueueDiscipline::priority);
  EXPECT_TRUE(platform.preemptive);
  EXPECT_DOUBLE_EQ(platform.cost_per_hour, 60);
  EXPECT_DOUBLE_EQ(platform.knowledge, 1); // neutral by default
  EXPECT_FALSE(platform.learns);
  EXPECT_TRUE(platform.context_switch);
  EXPECT_TRUE(platform.first_line);

  EXPECT_EQ(m.routes[1].stages[0].pool, 3U);
  EXPECT_EQ(m.routes[1].stages[1].pool, 4U);
  // Teams live in their model: the scenario's pools are unchanged.
  EXPECT_EQ(s.pools[1].headcount, 10U);
}

TEST(ModelKeys, BuildsStagesWithHandoffsReworkGatesDelaysAndSpanning) {
  const std::string text = edit(
      with_model_keys("    teams: {stream: {members: {dev: 6}, by_unit: true}}\n"),
      "          build: {pool: dev}",
      "          build: {pool: stream, handoff: true, spanning: second_team, next: {test: 1}}\n"
      "          test:\n"
      "            pool: ops\n"
      "            rework: build\n"
      "            gate: {every: 1w, offset: 34h}\n"
      "            delay: {dist: uniform, min: 1bd, max: 2bd}\n"
      "            spanning: coordinate");
  const Scenario& s = scenario_of(load(text));
  const Scenario::Route& change = s.models[0].routes[1];
  const Scenario::Stage& build = change.stages[0];
  EXPECT_EQ(build.pool, 3U);
  EXPECT_TRUE(build.handoff);
  EXPECT_EQ(build.spanning, Scenario::Spanning::second_team);
  EXPECT_FALSE(build.rework_to.has_value());
  const Scenario::Stage& test = change.stages[1];
  EXPECT_FALSE(test.handoff);
  EXPECT_EQ(test.rework_to, std::optional<std::uint32_t>(0));
  EXPECT_DOUBLE_EQ(test.gate_every_h, 168);
  EXPECT_DOUBLE_EQ(test.gate_offset_h, 34);
  ASSERT_TRUE(test.delay.has_value());
  EXPECT_EQ(test.delay->base, TimeBase::business);
  EXPECT_DOUBLE_EQ(test.delay->hours.mean(), 12);
  EXPECT_EQ(test.spanning, Scenario::Spanning::coordinate);
}

TEST(ModelKeys, BuildsSelfServiceRotationProactiveWorkAndCapabilities) {
  const std::string text = with_model_keys(R"(    teams: {stream: {members: {dev: 6}}}
    self_service: {change: 0.1}
    rotation:
      pools: [ops, stream]
      period: 4mo
      stint: 2mo
      it_share: 0.1
      business_staff: 4
      ramp: {from: 0.4, to: 0.8, over: 1mo}
      learning_multiplier: 2
      retention_boost: 0.05
      self_serve_boost: 0.2
    proactive: {pool: stream, work_type: change, rate: 2/week, value_factor: 1.5}
    capabilities: {incident_reduction_per_item: 0.002, max_incident_reduction: 0.4}
    change_failure: 0.1
)");
  const Scenario& s = scenario_of(load(text));
  const Scenario::Model& m = s.models[0];
  EXPECT_EQ(m.self_service, (std::vector<double>{0, 0.1}));
  ASSERT_TRUE(m.rotation.has_value());
  const Scenario::Rotation& r = *m.rotation;
  EXPECT_EQ(r.resources, (std::vector<std::uint32_t>{2, 3}));
  EXPECT_DOUBLE_EQ(r.period_h, 4 * 730.0);
  EXPECT_DOUBLE_EQ(r.stint_h, 2 * 730.0);
  EXPECT_DOUBLE_EQ(r.it_share, 0.1);
  EXPECT_EQ(r.business_staff, 4U);
  EXPECT_DOUBLE_EQ(r.ramp_from, 0.4);
  EXPECT_DOUBLE_EQ(r.ramp_to, 0.8);
  EXPECT_DOUBLE_EQ(r.ramp_h, 730);
  EXPECT_DOUBLE_EQ(r.learning_multiplier, 2);
  EXPECT_DOUBLE_EQ(r.retention_boost, 0.05);
  EXPECT_DOUBLE_EQ(r.self_serve_boost, 0.2);
  ASSERT_TRUE(m.proactive.has_value());
  EXPECT_EQ(m.proactive->resource, 3U);
  EXPECT_EQ(m.proactive->work_type, 1U);
  EXPECT_DOUBLE_EQ(m.proactive->rate_per_hour, 2 / 168.0);
  EXPECT_DOUBLE_EQ(m.proactive->value_factor, 1.5);
  EXPECT_DOUBLE_EQ(m.incident_reduction_per_item, 0.002);
  EXPECT_DOUBLE_EQ(m.max_incident_reduction, 0.4);
  EXPECT_DOUBLE_EQ(m.change_failure, 0.1);
}

TEST(ModelKeys, FillsRotationDefaults) {
  const Scenario& s = scenario_of(load(with_model_keys("    rotation: {pools: [dev]}\n")));
  const Scenario::Rotation& r = *s.models[0].rotation;
  EXPECT_DOUBLE_EQ(r.period_h, 6 * 730.0);
  EXPECT_DOUBLE_EQ(r.stint_h, 3 * 730.0);
  EXPECT_DOUBLE_EQ(r.it_share, 0.05);
  EXPECT_EQ(r.business_staff, 10U);
  EXPECT_DOUBLE_EQ(r.ramp_from, 0.5);
  EXPECT_DOUBLE_EQ(r.ramp_to, 0.9);
  EXPECT_DOUBLE_EQ(r.ramp_h, 3 * 730.0);
  EXPECT_DOUBLE_EQ(r.learning_multiplier, 3);
  EXPECT_DOUBLE_EQ(r.retention_boost, 0.1);
  EXPECT_DOUBLE_EQ(r.self_serve_boost, 0.1);
}

// ---- errors ------------------------------------------------------------------------------

TEST(ModelKeys, RejectsATeamWhoseIdIsAPoolId) {
  EXPECT_EQ(errors_of(with_model_keys("    teams: {dev: {members: {dev: 2}}}\n")),
            "org.yaml:23:13: models.central.teams.dev: team id \"dev\" is also a pool id in "
            "staff.pools; give the team an id of its own");
}

TEST(ModelKeys, RejectsATeamWithoutMembers) {
  EXPECT_EQ(errors_of(with_model_keys("    teams:\n"
                                      "      a: {members: {}}\n"
                                      "      b: {by_unit: true}\n")),
            "org.yaml:24:20: models.central.teams.a.members: a team needs members: people taken "
            "from staff.pools, e.g. {dev: 5}\n"
            "org.yaml:25:10: models.central.teams.b: a team needs members: people taken from "
            "staff.pools, e.g. {dev: 5}");
}

TEST(ModelKeys, RejectsAWipLimitOfZeroAndMembersOfNoPeople) {
  EXPECT_EQ(errors_of(with_model_keys("    teams: {a: {members: {dev: 0}, wip_limit: 0}}\n")),
            "org.yaml:23:32: models.central.teams.a.members.dev: must be > 0, got \"0\"\n"
            "org.yaml:23:47: models.central.teams.a.wip_limit: WIP limit must be at least 1, got "
            "\"0\"");
}

TEST(ModelKeys, RejectsMembersFromUnknownPools) {
  EXPECT_EQ(errors_of(with_model_keys("    teams: {a: {members: {devs: 2, qa: 1}}}\n")),
            "org.yaml:23:27: models.central.teams.a.members.devs: unknown pool \"devs\" (did you "
            "mean \"dev\"?)\n"
            "org.yaml:23:36: models.central.teams.a.members.qa: unknown pool \"qa\"; staff.pools "
            "has: desk, dev, ops");
}

TEST(ModelKeys, RejectsTeamsTakingMorePeopleThanAPoolHas) {
  EXPECT_EQ(errors_of(with_model_keys("    teams:\n"
                                      "      a: {members: {ops: 4, dev: 5}}\n"
                                      "      b: {members: {ops: 2.5}}\n"
                                      "      c: {members: {ops: 1}}\n")),
            "org.yaml:25:21: models.central.teams.b.members.ops: pool \"ops\" has 6 people, but "
            "this model's teams take 7.5 from it\n"
            "org.yaml:31:23: models.central.routes.incident.stages.ops.pool: pool \"ops\" has no "
            "people left in this model: its teams take all 6");
}

TEST(ModelKeys, RejectsAStageAtAPoolWithoutPeople) {
  std::string text = with_model_keys("    teams: {a: {members: {ops: 6}}}\n");
  text = edit(text, "    ops: {headcount: 6,", "    ops: {headcount: 6,");
  text = edit(text, "    desk: {headcount: 4,", "    desk: {headcount: 0,");
  EXPECT_EQ(errors_of(text),
            "org.yaml:27:22: models.central.routes.incident.stages.l1.pool: pool \"desk\" has no "
            "people (headcount 0)\n"
            "org.yaml:28:23: models.central.routes.incident.stages.ops.pool: pool \"ops\" has no "
            "people left in this model: its teams take all 6");
}

TEST(ModelKeys, ChecksThatTicketsFirstHasAPriorityOrWsjfQueue) {
  EXPECT_EQ(
      errors_of(with_model_keys("    teams: {a: {members: {dev: 1}, tickets_first: true}}\n")),
      "org.yaml:23:51: models.central.teams.a.tickets_first: tickets_first needs "
      "discipline: priority or wsjf (this team is fifo)");
  const Result ok = load(with_model_keys("    teams: {a: {members: {dev: 1}, discipline: wsjf, "
                                         "tickets_first: true, preemptive: true}}\n"));
  EXPECT_TRUE(ok.loaded.has_value()) << ok.diags.format_all();
}

TEST(ModelKeys, ChecksATeamsDisciplineAndCalendar) {
  EXPECT_EQ(errors_of(with_model_keys(
                "    teams: {a: {members: {dev: 1}, preemptive: true, calendar: nights}}\n")),
            "org.yaml:23:48: models.central.teams.a.preemptive: pre-emption needs discipline: "
            "priority, or tickets_first: true (this team is fifo)\n"
            "org.yaml:23:64: models.central.teams.a.calendar: unknown calendar \"nights\"; "
            "calendars (with always and business) has: always, business");
}

TEST(ModelKeys, ResolvesStagePoolsAmongPoolsAndTeams) {
  EXPECT_EQ(errors_of(edit(with_model_keys("    teams: {stream: {members: {dev: 1}}}\n"),
                           "{pool: dev}", "{pool: streem}")),
            "org.yaml:31:25: models.central.routes.change.stages.build.pool: unknown pool or "
            "team \"streem\" (did you mean \"stream\"?)");
  EXPECT_EQ(errors_of(edit(with_model_keys("    teams: {stream: {members: {dev: 1}}}\n"),
                           "{pool: dev}", "{pool: qa}")),
            "org.yaml:31:25: models.central.routes.change.stages.build.pool: unknown pool or "
            "team \"qa\"; staff.pools (with the model's teams) has: desk, dev, ops, stream");
}

TEST(ModelKeys, RejectsContextSwitchOnTeamsAndUnknownPools) {
  EXPECT_EQ(errors_of(with_model_keys("    teams: {stream: {members: {dev: 1}}}\n"
                                      "    context_switch: [stream, dew]\n")),
            "org.yaml:24:22: models.central.context_switch[0]: \"stream\" is a team: set the "
            "team's own context_switch instead\n"
            "org.yaml:24:30: models.central.context_switch[1]: unknown pool \"dew\" (did you mean "
            "\"dev\"?)");
}

TEST(ModelKeys, RejectsSelfServiceOfAnUnknownWorkType) {
  EXPECT_EQ(errors_of(with_model_keys("    self_service: {chnage: 0.1}\n")),
            "org.yaml:23:20: models.central.self_service.chnage: unknown work type \"chnage\" "
            "(did you mean \"change\"?)");
}

TEST(ModelKeys, RejectsARotationOfUnknownPoolsOrWithAStintLongerThanItsPeriod) {
  EXPECT_EQ(
      errors_of(with_model_keys("    rotation: {pools: [dev, l2], period: 3mo, stint: 4mo}\n")),
      "org.yaml:23:29: models.central.rotation.pools[1]: unknown pool \"l2\"; staff.pools "
      "has: desk, dev, ops\n"
      "org.yaml:23:54: models.central.rotation.stint: a stint (4mo) cannot be longer than "
      "the rotation period (3mo)");
  EXPECT_EQ(errors_of(with_model_keys("    rotation: {pools: []}\n")),
            "org.yaml:23:23: models.central.rotation.pools: expected at least 1 values, got 0");
}

TEST(ModelKeys, ChecksProactiveWork) {
  EXPECT_EQ(errors_of(with_model_keys(
                "    proactive: {pool: opps, work_type: changes, rate: 2/employee/week}\n")),
            "org.yaml:23:55: models.central.proactive.rate: unknown entity \"employee\" in a "
            "rate; expected N/UNIT");
  EXPECT_EQ(errors_of(with_model_keys("    proactive: {pool: opps, work_type: changes, rate: "
                                      "2/week}\n")),
            "org.yaml:23:23: models.central.proactive.pool: unknown pool \"opps\" (did you mean "
            "\"ops\"?)\n"
            "org.yaml:23:40: models.central.proactive.work_type: unknown work type \"changes\" "
            "(did you mean \"change\"?)");
  EXPECT_EQ(errors_of(with_model_keys("    teams: {a: {members: {ops: 6}}}\n"
                                      "    proactive: {pool: ops, work_type: change, rate: "
                                      "2/week}\n")),
            "org.yaml:29:23: models.central.routes.incident.stages.ops.pool: pool \"ops\" has no "
            "people left in this model: its teams take all 6\n"
            "org.yaml:24:23: models.central.proactive.pool: pool \"ops\" has no people left in "
            "this model: its teams take all 6");
}

TEST(ModelKeys, RejectsReworkToAnUnknownStage) {
  EXPECT_EQ(errors_of(edit(org, "{pool: ops}", "{pool: ops, rework: l2}")),
            "org.yaml:27:36: models.central.routes.incident.stages.ops.rework: unknown stage "
            "\"l2\" (did you mean \"l1\"?)");
  EXPECT_EQ(errors_of(edit(org, "{pool: ops}", "{pool: ops, rework: check}")),
            "org.yaml:27:36: models.central.routes.incident.stages.ops.rework: unknown stage "
            "\"check\"; the route's stages has: l1, ops");
  EXPECT_EQ(errors_of(edit(org, "{pool: ops}", "{pool: ops, rework: op}")),
            "org.yaml:27:36: models.central.routes.incident.stages.ops.rework: unknown stage "
            "\"op\" (did you mean \"ops\"?)");
}

TEST(ModelKeys, RejectsASecondTeamAtAResourceNotSplitByUnit) {
  EXPECT_EQ(errors_of(edit(org, "{pool: dev}", "{pool: dev, spanning: second_team}")),
            "org.yaml:30:40: models.central.routes.change.stages.build.spanning: second_team "
            "needs a by_unit team or pool; \"dev\" is a pool, not split by unit");
  const Result ok =
      load(edit(with_model_keys("    teams: {s: {members: {dev: 2}, by_unit: true}}\n"),
                "{pool: dev}", "{pool: s, spanning: second_team}"));
  EXPECT_TRUE(ok.loaded.has_value()) << ok.diags.format_all();
}

TEST(ModelKeys, ChecksGates) {
  EXPECT_EQ(errors_of(edit(org, "{pool: dev}", "{pool: dev, gate: {offset: 2bd}}")),
            "org.yaml:30:45: models.central.routes.change.stages.build.gate.offset: expected "
            "calendar time (ms, s, min, h, d, w, mo, y), got business time \"2bd\"\n"
            "org.yaml:30:36: models.central.routes.change.stages.build.gate: missing required "
            "key \"every\"");
}

} // namespace
} // namespace itsim::scenarios
