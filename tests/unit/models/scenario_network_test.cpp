// SPDX-License-Identifier: Apache-2.0
// Scenarios mapped onto station networks: what each part of a scenario becomes, and each
// kind of scenario that is not a station network, rejected with the model, route and
// stage named.
#include "itsim/models/scenario_network.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "itsim/scenarios/loader.hpp"
#include "itsim/sim/error.hpp"

namespace itsim::models {
namespace {

using scenarios::Scenario;
using ::testing::HasSubstr;

// Two work types over three pools: incidents (P1 and P3, with patience) at the desk,
// requests (per employee, 150 people) at second line with a rework loop; `spare` is in
// no route.
constexpr const char* base = R"(name: net
horizon: 1000h
warmup: 100h
organisation:
  units:
    sales: {headcount: 100}
    finance: {headcount: 50}
demand:
  work_types:
    incident:
      rate: 0.8/h
      follows_profile: false
      priority_mix: {p1: 0.25, p3: 0.75}
      effort: {dist: exponential, mean: 1h}
      patience: {dist: exponential, mean: 2h}
    request:
      rate: 0.002/employee/h
      follows_profile: false
      effort: {dist: gamma, mean: 30min, cv: 0.5}
staff:
  pools:
    desk: {headcount: 3, discipline: priority, preemptive: true}
    l2: {headcount: 2, calendar: business}
    spare: {headcount: 1}
models:
  central:
    routes:
      incident:
        stages:
          l1: {pool: desk}
      request:
        stages:
          fix: {pool: l2, next: {done: 0.8, fix: 0.2}}
)";

/// The text with `from` replaced by `to` (which must occur exactly once).
std::string edit(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

Scenario load(const std::string& text) {
  scenarios::Diagnostics diags;
  auto loaded = scenarios::load_scenario_text(text, "net.yaml", ".", {}, diags);
  EXPECT_TRUE(loaded.has_value()) << diags.format_all();
  EXPECT_EQ(diags.warning_count(), 0U) << diags.format_all();
  if (!loaded) throw std::runtime_error("scenario did not load: " + diags.format_all());
  return std::move(loaded->scenario);
}

/// The ModelError network_from_scenario throws for `text`, or "(none)".
std::string error_of(const std::string& text, std::uint32_t model = 0) {
  const Scenario s = load(text);
  try {
    network_from_scenario(s, model);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "(none)";
}

/// The base scenario without the incidents' patience (which allows one queue per item).
std::string without_patience() {
  return edit(base, "      patience: {dist: exponential, mean: 2h}\n", "");
}

constexpr const char* prefix = "scenario \"net\", model \"central\" is not a station network: ";

TEST(ScenarioNetwork, MapsEachPoolToAStationAndEachPriorityOfAWorkTypeToASource) {
  const NetworkSpec spec = network_from_scenario(load(base), 0);
  EXPECT_DOUBLE_EQ(spec.horizon_h, 1000);
  EXPECT_DOUBLE_EQ(spec.warmup_h, 100);

  ASSERT_EQ(spec.sources.size(), 3U);
  const SourceSpec& p1 = spec.sources[0];
  const SourceSpec& p3 = spec.sources[1];
  const SourceSpec& req = spec.sources[2];
  EXPECT_EQ(p1.name, "incident.p1");
  EXPECT_EQ(p3.name, "incident.p3");
  EXPECT_EQ(req.name, "request.p3");
  EXPECT_EQ(p1.priority, 0);
  EXPECT_EQ(p3.priority, 2);
  EXPECT_EQ(req.priority, 2);
  // Flat rates: exponential interarrivals with mean 1 / (firm rate x share).
  for (const SourceSpec* src : {&p1, &p3, &req}) {
    EXPECT_FALSE(src->process.has_value()) << src->name;
    EXPECT_EQ(src->interarrival_h.kind(), sim::Distribution::Kind::exponential) << src->name;
  }
  EXPECT_DOUBLE_EQ(p1.interarrival_h.mean(), 1 / (0.8 * 0.25));
  EXPECT_DOUBLE_EQ(p3.interarrival_h.mean(), 1 / (0.8 * 0.75));
  EXPECT_NEAR(req.interarrival_h.mean(), 1 / (0.002 * 150), 1e-12); // per employee x 150
  EXPECT_EQ(p1.first_station, 0U);
  EXPECT_EQ(p3.first_station, 0U);
  EXPECT_EQ(req.first_station, 1U);
  ASSERT_TRUE(p1.patience_h.has_value());
  EXPECT_DOUBLE_EQ(p1.patience_h->mean(), 2);
  ASSERT_TRUE(p3.patience_h.has_value());
  EXPECT_FALSE(req.patience_h.has_value());

  ASSERT_EQ(spec.stations.size(), 3U);
  const NetworkStationSpec& desk = spec.stations[0];
  const NetworkStationSpec& l2 = spec.stations[1];
  const NetworkStationSpec& spare = spec.stations[2];
  EXPECT_EQ(desk.config.name, "desk");
  EXPECT_EQ(desk.config.capacity.max_capacity(), 3U);
  EXPECT_DOUBLE_EQ(desk.config.capacity.mean_capacity(), 3);
  EXPECT_FALSE(desk.config.calendar.has_value()); // `always`: no calendar at all
  EXPECT_EQ(desk.config.discipline, sim::QueueDiscipline::priority);
  EXPECT_TRUE(desk.config.preemptive);
  EXPECT_TRUE(desk.routing.empty());
  EXPECT_EQ(l2.config.name, "l2");
  ASSERT_TRUE(l2.config.calendar.has_value());
  EXPECT_DOUBLE_EQ(l2.config.calendar->working_per_week().hours_f(), 40);
  EXPECT_EQ(l2.config.discipline, sim::QueueDiscipline::fifo);
  EXPECT_FALSE(l2.config.preemptive);
  EXPECT_EQ(l2.routing, (std::vector<double>{0, 0.2, 0}));
  EXPECT_EQ(spare.config.name, "spare");
  EXPECT_TRUE(spare.routing.empty());

  // Service per source: the work type's effort where its route goes (effort_share 1).
  ASSERT_EQ(desk.service_h.size(), 3U);
  EXPECT_EQ(desk.service_h[0].kind(), sim::Distribution::Kind::exponential);
  EXPECT_DOUBLE_EQ(desk.service_h[0].mean(), 1);
  EXPECT_DOUBLE_EQ(desk.service_h[1].mean(), 1);
  ASSERT_EQ(l2.service_h.size(), 3U);
  EXPECT_EQ(l2.service_h[2].kind(), sim::Distribution::Kind::gamma);
  EXPECT_DOUBLE_EQ(l2.service_h[2].mean(), 0.5);
  EXPECT_NEAR(l2.service_h[2].variance(), 0.25 * 0.25, 1e-12);
  EXPECT_EQ(spare.service_h.size(), 3U);

  // The engine accepts the network and runs it.
  const NetworkResults r = run_network(spec, 7, 0);
  EXPECT_EQ(r.classes.size(), 3U);
  EXPECT_GT(r.classes[2].completed, 0U);
}

TEST(ScenarioNetwork, MapsEachModelOfAScenarioOnItsOwn) {
  const Scenario s = load(without_patience() + R"(  escalating:
    routes:
      incident:
        stages:
          l1: {pool: desk, service: 20min, next: {done: 0.7, l2: 0.3}}
          l2: {pool: l2, service: {dist: exponential, mean: 30min}}
      request:
        start: fix
        stages:
          triage: {pool: spare, service: 5min, next: {fix: 1}}
          fix: {pool: l2, service: {dist: exponential, mean: 30min}}
)");
  EXPECT_EQ(network_from_scenario(s, 0).stations[1].routing, (std::vector<double>{0, 0.2, 0}));
  const NetworkSpec spec = network_from_scenario(s, 1);
  EXPECT_EQ(spec.stations[0].routing, (std::vector<double>{0, 0.3, 0}));
  EXPECT_TRUE(spec.stations[1].routing.empty());
  // The route starts at `fix`: the unreachable triage stage is no part of the network.
  EXPECT_EQ(spec.sources[2].first_station, 1U);
  EXPECT_TRUE(spec.stations[2].routing.empty());
  // A stage's `service` wins over the effort; l2 serves both work types.
  EXPECT_EQ(spec.stations[0].service_h[0].kind(), sim::Distribution::Kind::deterministic);
  EXPECT_DOUBLE_EQ(spec.stations[0].service_h[0].mean(), 20.0 / 60);
  EXPECT_DOUBLE_EQ(spec.stations[1].service_h[0].mean(), 0.5);
  EXPECT_DOUBLE_EQ(spec.stations[1].service_h[2].mean(), 0.5);
}

TEST(ScenarioNetwork, ArrivalsFollowTheProfileOrGrowthWithAnArrivalProcess) {
  NetworkSpec spec = network_from_scenario(
      load(
          edit(edit(base, "      follows_profile: false\n      priority_mix", "      priority_mix"),
               "demand:\n", "demand:\n  profile:\n    weekday: [2, 1, 1, 1, 1, 0, 0]\n")),
      0);
  ASSERT_TRUE(spec.sources[0].process.has_value());
  EXPECT_FALSE(spec.sources[0].process->is_homogeneous());
  EXPECT_DOUBLE_EQ(spec.sources[0].process->base_rate_per_hour(), 0.8 * 0.25);
  EXPECT_DOUBLE_EQ(spec.sources[0].process->profile().weekday[0], 2 / (6.0 / 7));
  EXPECT_FALSE(spec.sources[2].process.has_value()); // requests do not follow the profile

  spec = network_from_scenario(load(edit(base, "demand:\n", "demand:\n  yearly_growth: 0.1\n")), 0);
  for (const SourceSpec& src : spec.sources) {
    ASSERT_TRUE(src.process.has_value()) << src.name;
    EXPECT_DOUBLE_EQ(src.process->profile().yearly_growth, 0.1);
  }
}

TEST(ScenarioNetwork, RejectsAModelIndexOutOfRange) {
  EXPECT_EQ(error_of(base, 1), "scenario \"net\": no model 1 (there are 1)");
}

TEST(ScenarioNetwork, RejectsARouteVisitingOnePoolAtTwoStages) {
  EXPECT_EQ(error_of(edit(base, "          fix: {pool: l2, next: {done: 0.8, fix: 0.2}}",
                          "          fix: {pool: l2, next: {check: 1}}\n"
                          "          check: {pool: l2, service: 10min}")),
            std::string(prefix) +
                "models.central.routes.request.stages.check.pool: pool \"l2\" is already "
                "visited at stage \"fix\" of this route; a station network routes by pool, so "
                "a route may visit each pool at one stage only");
}

TEST(ScenarioNetwork, RejectsTwoRoutesLeavingOnePoolWithDifferentRouting) {
  EXPECT_EQ(error_of(edit(without_patience(), "          l1: {pool: desk}",
                          "          l1: {pool: desk, next: {done: 0.9, l2: 0.1}}\n"
                          "          l2: {pool: l2, next: {done: 1}}")),
            std::string(prefix) +
                "models.central.routes.request.stages.fix.next: items leave pool \"l2\" here "
                "as {l2: 0.2, done: 0.8} but at models.central.routes.incident.stages.l2 as "
                "{done: 1}; a station network has one routing row per pool");
}

TEST(ScenarioNetwork, AcceptsTwoRoutesLeavingOnePoolAlike) {
  const NetworkSpec spec = network_from_scenario(
      load(edit(without_patience(), "          l1: {pool: desk}",
                "          l1: {pool: desk, next: {done: 0.9, l2: 0.1}}\n"
                "          l2: {pool: l2, service: 2h, next: {done: 0.8, l2: 0.2}}")),
      0);
  EXPECT_EQ(spec.stations[0].routing, (std::vector<double>{0, 0.1, 0}));
  EXPECT_EQ(spec.stations[1].routing, (std::vector<double>{0, 0.2, 0}));
  EXPECT_DOUBLE_EQ(spec.stations[1].service_h[0].mean(), 2);
  EXPECT_DOUBLE_EQ(spec.stations[1].service_h[2].mean(), 0.5);
}

TEST(ScenarioNetwork, RejectsAShareOfTheEffortWithoutAService) {
  EXPECT_EQ(error_of(edit(base, "          l1: {pool: desk}",
                          "          l1: {pool: desk, effort_share: 0.5}")),
            std::string(prefix) +
                "models.central.routes.incident.stages.l1.effort_share: the stage does a "
                "share 0.5 of the item's effort; a station network draws each visit's "
                "service on its own, so give the stage a `service` instead");
}

TEST(ScenarioNetwork, RejectsPatienceInBusinessTime) {
  EXPECT_EQ(error_of(edit(base, "patience: {dist: exponential, mean: 2h}",
                          "patience: {dist: exponential, mean: 2bd}")),
            std::string(prefix) +
                "demand.work_types.incident.patience: patience in business time (bh, bd, bw) "
                "needs a working calendar; a station network's patience runs on the wall clock");
}

TEST(ScenarioNetwork, RejectsPatienceOnARouteThatQueuesMoreThanOnce) {
  EXPECT_EQ(error_of(edit(base, "          l1: {pool: desk}",
                          "          l1: {pool: desk, next: {done: 0.9, l1: 0.1}}")),
            std::string(prefix) +
                "models.central.routes.incident: items of this route can queue more than once "
                "and have patience (demand.work_types.incident.patience); a station network "
                "would restart the patience clock at each queue");
}

TEST(ScenarioNetwork, RejectsAWsjfPool) {
  EXPECT_EQ(error_of(edit(base, "discipline: priority, preemptive: true", "discipline: wsjf")),
            std::string(prefix) +
                "models.central.routes.incident.stages.l1.pool: pool \"desk\" orders its queue "
                "by wsjf, which needs item values that a station network does not model");
}

TEST(ScenarioNetwork, RejectsAWarmUpDetectedPerRun) {
  EXPECT_EQ(error_of(edit(base, "warmup: 100h", "warmup: mser5")),
            std::string(prefix) +
                "warmup: a warm-up of mser5 is detected per run, but a station network needs "
                "a fixed warm-up (write a duration such as 1w)");
}

TEST(ScenarioNetwork, RejectsEachMechanismOfTheOperatingModelEngineNamingItsKey) {
  const std::string model = "  central:\n";
  const std::string fix = "          fix: {pool: l2, next: {done: 0.8, fix: 0.2}}";
  const std::string engine = " is a mechanism of the operating-model engine, not of a station "
                             "network";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {edit(base, model, model + "    teams: {squad: {members: {spare: 1}}}\n"),
       "models.central.teams.squad: a team" + engine},
      {edit(base, "    spare: {headcount: 1}", "    spare: {headcount: 1, availability: 0.5}"),
       "staff.pools.spare.availability: an availability of 0.5 (a share of the pool's time)" +
           engine},
      {edit(base, model, model + "    context_switch: [l2]\n"),
       "models.central.context_switch: a context switch" + engine},
      {edit(base, model, model + "    rotation: {pools: [l2]}\n"),
       "models.central.rotation: rotation" + engine},
      {edit(base, model, model + "    proactive: {pool: l2, work_type: request, rate: 1/week}\n"),
       "models.central.proactive: proactive work" + engine},
      {edit(base, model, model + "    self_service: {request: 0.1}\n"),
       "models.central.self_service.request: self-service" + engine},
      {edit(base, model, model + "    capabilities: {incident_reduction_per_item: 0.01}\n"),
       "models.central.capabilities.incident_reduction_per_item: incident reduction by "
       "capabilities" +
           engine},
      {edit(base, fix, "          fix: {pool: l2, handoff: true, next: {done: 0.8, fix: 0.2}}"),
       "models.central.routes.request.stages.fix.handoff: a handoff" + engine},
      {edit(base, fix, "          fix: {pool: l2, rework: fix, next: {done: 0.8, fix: 0.2}}"),
       "models.central.routes.request.stages.fix.rework: rework" + engine},
      {edit(base, fix, "          fix: {pool: l2, gate: {every: 1w}, next: {done: 0.8, fix: 0.2}}"),
       "models.central.routes.request.stages.fix.gate: a gate" + engine},
      {edit(base, fix, "          fix: {pool: l2, delay: 1h, next: {done: 0.8, fix: 0.2}}"),
       "models.central.routes.request.stages.fix.delay: a delay" + engine},
      {edit(base, fix,
            "          fix: {pool: l2, spanning: coordinate, next: {done: 0.8, fix: 0.2}}"),
       "models.central.routes.request.stages.fix.spanning: spanning work" + engine},
  };
  for (const auto& [text, why] : cases)
    EXPECT_EQ(error_of(text), std::string(prefix) + why);
}

TEST(ScenarioNetwork, IgnoresKnowledgeChangeFailureAndMechanismParameters) {
  const std::string model = "  central:\n";
  const std::string text =
      edit(base, model,
           model + "    knowledge: {initial: 0.9, learns: true}\n    change_failure: 0.5\n") +
      "mechanisms: {handoff: {retention: 0.5}}\n";
  EXPECT_EQ(network_from_scenario(load(text), 0).stations.size(), 3U);
}

} // namespace
} // namespace itsim::models
