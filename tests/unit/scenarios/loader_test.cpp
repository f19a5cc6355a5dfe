// SPDX-License-Identifier: Apache-2.0
// The scenario loader end to end: text in, Scenario value or located diagnostics out.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "itsim/scenarios/input_error.hpp"
#include "itsim/scenarios/loader.hpp"

namespace itsim::scenarios {
namespace {

// A small but complete scenario; line numbers below refer to this text.
constexpr const char* tiny = R"(name: tiny
organisation:
  units:
    sales: {headcount: 100, customer_facing: true}
    finance: {headcount: 50}
demand:
  work_types:
    incident:
      rate: 0.73/employee/month
      priority_mix: {p1: 0.1, p3: 0.9}
      effort: {dist: exponential, mean: 30min}
      patience: {dist: lognormal, median: 2bd, sigma: 1}
staff:
  pools:
    desk: {headcount: 2, calendar: business, cost_per_hour: 45}
    l2: {headcount: 1}
models:
  central:
    routes:
      incident:
        stages:
          l1: {pool: desk, next: {done: 0.7, l2: 0.3}}
          l2: {pool: l2, service: 2h}
)";

struct Result {
  std::optional<LoadedScenario> loaded;
  Diagnostics diags;
};

Result load(const std::string& text, const std::vector<std::string>& overrides = {}) {
  Result r;
  r.loaded = load_scenario_text(text, "tiny.yaml", ".", overrides, r.diags);
  return r;
}

/// The text with `from` replaced by `to` (which must occur exactly once).
std::string edit(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(Loader, LoadsAValidScenarioWithUnitsConvertedAndDefaultsFilled) {
  const Result r = load(tiny);
  ASSERT_TRUE(r.loaded.has_value()) << r.diags.format_all();
  EXPECT_EQ(r.diags.warning_count(), 0U) << r.diags.format_all();
  const Scenario& s = r.loaded->scenario;
  EXPECT_EQ(s.name, "tiny");
  EXPECT_EQ(s.replications, 30U);
  EXPECT_EQ(s.seed, 42U);
  EXPECT_DOUBLE_EQ(s.horizon_h, 8760);
  EXPECT_DOUBLE_EQ(s.warmup_h, 0);
  ASSERT_EQ(s.units.size(), 2U);
  EXPECT_TRUE(s.units[0].customer_facing);
  EXPECT_EQ(s.total_headcount(), 150U);
  ASSERT_EQ(s.work_types.size(), 1U);
  const Scenario::WorkType& w = s.work_types[0];
  EXPECT_TRUE(w.per_employee);
  EXPECT_DOUBLE_EQ(w.rate_per_hour, 0.73 / 730);
  EXPECT_DOUBLE_EQ(w.firm_rate_per_hour(s.units), 0.73 / 730 * 150);
  EXPECT_EQ(w.units, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_DOUBLE_EQ(w.priority_mix[0], 0.1);
  EXPECT_DOUBLE_EQ(w.priority_mix[2], 0.9);
  EXPECT_DOUBLE_EQ(w.effort_h.mean(), 0.5);
  ASSERT_TRUE(w.patience.has_value());
  EXPECT_EQ(w.patience->base, TimeBase::business);
  EXPECT_NEAR(w.patience->hours.mean(), 16 * std::exp(0.5), 1e-9); // median 2bd = 16 h
  ASSERT_EQ(s.pools.size(), 2U);
  EXPECT_EQ(s.calendars[s.pools[0].calendar].id, "business");
  EXPECT_EQ(s.calendars[s.pools[1].calendar].id, "always");
  EXPECT_DOUBLE_EQ(s.pools[0].cost_per_hour, 45);
  ASSERT_EQ(s.models.size(), 1U);
  const Scenario::Route& route = s.models[0].routes[0];
  ASSERT_EQ(route.stages.size(), 2U);
  EXPECT_EQ(route.start, 0U);
  ASSERT_EQ(route.stages[0].next.size(), 2U);
  EXPECT_EQ(route.stages[0].next[0].stage, Scenario::Next::done);
  EXPECT_DOUBLE_EQ(route.stages[0].next[0].probability, 0.7);
  EXPECT_EQ(route.stages[0].next[1].stage, 1U);
  EXPECT_DOUBLE_EQ(route.stages[1].service_h->mean(), 2);
  EXPECT_EQ(s.baseline, 0U);
}

TEST(Loader, ResolvedYamlHasTheDefaultsAndLoadsToItself) {
  const Result r = load(tiny);
  ASSERT_TRUE(r.loaded.has_value()) << r.diags.format_all();
  const std::string& resolved = r.loaded->resolved_yaml;
  EXPECT_NE(resolved.find("replications: 30"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("discipline: fifo"), std::string::npos) << resolved;
  const Result again = load(resolved);
  ASSERT_TRUE(again.loaded.has_value()) << again.diags.format_all();
  EXPECT_EQ(again.loaded->resolved_yaml, resolved);
}

TEST(Loader, AComposedScenarioLoadsAsTheFileDoes) {
  const std::string path = std::string(ITSIM_SOURCE_DIR) + "/scenarios/midsize.yaml";
  Diagnostics open_diags;
  const auto composed = ComposedScenario::open(path, open_diags);
  ASSERT_TRUE(composed.has_value()) << open_diags.format_all();
  for (const std::vector<std::string>& overrides : {std::vector<std::string>{},
                                                    {"staff.pools.l1.headcount=9", "horizon=4w"},
                                                    {"mechanisms.handoff.retention=1.5"},
                                                    {"staff.pools.l1.headcont=9"}}) {
    Diagnostics a, b;
    const auto direct = load_scenario(path, overrides, a);
    const auto again = composed->load(overrides, b);
    ASSERT_EQ(direct.has_value(), again.has_value());
    EXPECT_EQ(a.format_all(), b.format_all());
    if (direct) {
      EXPECT_EQ(direct->resolved_yaml, again->resolved_yaml);
    }
  }
  Diagnostics missing;
  EXPECT_THROW(ComposedScenario::open(path + ".missing", missing), InputError);
}

TEST(Loader, ReportsAnUnknownKeyWithASuggestionAtTheKey) {
  const Result r = load(edit(tiny, "  units:", "  unitz:"));
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "tiny.yaml:3:3: organisation.unitz: unknown key \"unitz\" (did you mean \"units\"?)\n"
            "tiny.yaml:3:3: organisation: missing required key \"units\"");
}

TEST(Loader, ReportsAMissingKeyAtItsParent) {
  const Result r = load(edit(tiny, "    desk: {headcount: 2, ", "    desk: {"));
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "tiny.yaml:15:11: staff.pools.desk: missing required key \"headcount\"");
}

TEST(Loader, ReportsEveryProblemInOnePass) {
  std::string text = edit(tiny, "headcount: 50", "headcount: -5");
  text = edit(text, "mean: 30min", "mean: 30");
  text = edit(text, "calendar: business", "calendar: Business");
  text = edit(text, "{p1: 0.1, p3: 0.9}", "{p1: 1.1}");
  const Result r = load(text);
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "tiny.yaml:5:26: organisation.units.finance.headcount: must be >= 0, got \"-5\"\n"
            "tiny.yaml:10:26: demand.work_types.incident.priority_mix.p1: must be <= 1, got "
            "\"1.1\"\n"
            "tiny.yaml:11:41: demand.work_types.incident.effort.mean: expected a duration with "
            "a unit (e.g. \"15min\", \"4h\", \"2d\", \"3bd\"), got \"30\"\n"
            "tiny.yaml:15:36: staff.pools.desk.calendar: expected an id (lower-case letters, "
            "digits and '_', starting with a letter), got \"Business\"");
}

TEST(Loader, ListsTheAllowedValuesOfAChoice) {
  const Result r = load(edit(tiny, "cost_per_hour: 45", "discipline: lifo"));
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "tiny.yaml:15:58: staff.pools.desk.discipline: unknown value \"lifo\" (did you "
            "mean \"fifo\"?); expected one of: fifo, priority, wsjf");
}

TEST(Loader, RejectsQuotedNumbersAndYaml11Booleans) {
  std::string text = edit(tiny, "headcount: 100,", "headcount: \"100\",");
  text = edit(text, "customer_facing: true", "customer_facing: yes");
  const Result r = load(text);
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "tiny.yaml:4:24: organisation.units.sales.headcount: expected an integer, got the "
            "quoted string \"100\"\n"
            "tiny.yaml:4:48: organisation.units.sales.customer_facing: expected true or false, "
            "got \"yes\"");
}

TEST(Loader, ChecksRoutingRowsAndReferences) {
  std::string text = edit(tiny, "{done: 0.7, l2: 0.3}", "{done: 0.7, l3: 0.2}");
  text = edit(text, "{pool: l2, service: 2h}", "{pool: l22, service: 2h}");
  const Result r = load(text);
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "tiny.yaml:22:46: models.central.routes.incident.stages.l1.next.l3: unknown next "
            "stage \"l3\"; the route's stages (or done) has: l1, l2, done\n"
            "tiny.yaml:22:34: models.central.routes.incident.stages.l1.next: routing row sums "
            "to 0.9; it must sum to 1\n"
            "tiny.yaml:23:22: models.central.routes.incident.stages.l2.pool: unknown pool "
            "\"l22\" (did you mean \"l2\"?)");
}

TEST(Loader, ChecksPriorityMixesSumToOne) {
  const Result r = load(edit(tiny, "{p1: 0.1, p3: 0.9}", "{p1: 0.1, p3: 0.8}"));
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "tiny.yaml:10:21: demand.work_types.incident.priority_mix: shares sum to 0.9; they "
            "must sum to 1");
}

TEST(Loader, RequiresEveryWorkTypeToBeRoutedByEveryModel) {
  const std::string text = std::string(tiny) + R"(  other:
    routes: {}
)";
  const Result r = load(text);
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "tiny.yaml:25:13: models.other.routes: no route for work type \"incident\" (every "
            "model must route every work type)");
}

TEST(Loader, RejectsARouteItemsCanNeverLeave) {
  const Result r = load(edit(edit(tiny, "{done: 0.7, l2: 0.3}", "{l2: 1}"),
                             "{pool: l2, service: 2h}", "{pool: l2, next: {l1: 1}}"));
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "tiny.yaml:22:11: models.central.routes.incident.stages.l1: items reaching this "
            "stage can never leave the route (no path to done)\n"
            "tiny.yaml:23:11: models.central.routes.incident.stages.l2: items reaching this "
            "stage can never leave the route (no path to done)");
}

TEST(Loader, LocatesEachModelAtItsKey) {
  // Checks made after loading (the load check, models/load.hpp) report at the model's key,
  // and the loader itself no longer judges loads: 15 per hour x 0.5 h at a desk of 2 is
  // not its business.
  const Result r = load(edit(edit(tiny, "0.73/employee/month", "73/employee/month"),
                             "      patience: {dist: lognormal, median: 2bd, sigma: 1}\n", ""));
  ASSERT_TRUE(r.loaded.has_value()) << r.diags.format_all();
  EXPECT_EQ(r.diags.warning_count(), 0U) << r.diags.format_all();
  const Location& where = r.loaded->scenario.models.at(0).where;
  EXPECT_EQ(where.file, "tiny.yaml");
  EXPECT_EQ(where.line, 17); // the patience line is gone
  EXPECT_EQ(where.column, 3);
}

TEST(Loader, AppliesOverridesAsYaml) {
  const Result r =
      load(tiny, {"replications=5", "staff.pools.l2={headcount: 3, role: l2}", "horizon=2y"});
  ASSERT_TRUE(r.loaded.has_value()) << r.diags.format_all();
  EXPECT_EQ(r.loaded->scenario.replications, 5U);
  EXPECT_DOUBLE_EQ(r.loaded->scenario.horizon_h, 2 * 8760);
  EXPECT_EQ(r.loaded->scenario.pools[1].headcount, 3U);
  EXPECT_EQ(r.loaded->scenario.pools[1].role, "l2");
}

TEST(Loader, LocatesErrorsInOverridesOnTheCommandLine) {
  const Result r = load(tiny, {"replications=5", "horizon=2bd", "staff.poolz.desk=1"});
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "--set:3:7: staff.poolz: no setting \"staff.poolz\" (did you mean \"pools\"?)\n"
            "--set:2:9: horizon: expected calendar time (ms, s, min, h, d, w, mo, y), got "
            "business time \"2bd\"");
}

TEST(Loader, ReportsSyntaxErrorsWithoutValidating) {
  const Result r = load("name: [unclosed\n");
  ASSERT_FALSE(r.loaded.has_value());
  ASSERT_EQ(r.diags.error_count(), 1U);
  EXPECT_EQ(r.diags.all()[0].where.file, "tiny.yaml");
  EXPECT_GT(r.diags.all()[0].where.line, 0);
}

TEST(Loader, RejectsAnUnknownBaselineAndBadWarmup) {
  const Result r = load(std::string(tiny) + "baseline: centrl\nwarmup: 2y\n");
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "tiny.yaml:25:9: warmup: must be shorter than the horizon (1y)\n"
            "tiny.yaml:24:11: baseline: unknown model \"centrl\" (did you mean \"central\"?)");
}

TEST(Loader, ChecksDistributionParameters) {
  const Result r = load(
      edit(tiny, "{dist: exponential, mean: 30min}", "{dist: lognormal, mean: 30min, sigma: 1}"));
  ASSERT_FALSE(r.loaded.has_value());
  EXPECT_EQ(r.diags.format_errors(),
            "tiny.yaml:11:15: demand.work_types.incident.effort: lognormal takes {mean, cv} or "
            "{median, sigma}, got {mean, sigma}");
}

TEST(Loader, SchemaIsDraft07AndNamesEveryTopLevelKey) {
  const std::string json = scenario_json_schema();
  EXPECT_NE(json.find("\"$schema\": \"http://json-schema.org/draft-07/schema#\""),
            std::string::npos);
  for (const char* key : {"organisation", "demand", "staff", "models", "baseline", "horizon"})
    EXPECT_NE(json.find(std::string("\"") + key + "\": {"), std::string::npos) << key;
  const std::string table = scenario_key_table();
  EXPECT_NE(table.find("| `demand.work_types.<work_type>.rate` | rate"), std::string::npos)
      << table;
}

} // namespace
} // namespace itsim::scenarios

namespace itsim::scenarios {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(Docs, ScenarioFormatShowsTheShippedExampleAndTheCurrentKeyTable) {
  const std::string doc = read_text(ITSIM_SOURCE_DIR "/docs/scenario-format.md");
  const std::string example = read_text(ITSIM_SOURCE_DIR "/scenarios/examples/service_desk.yaml");
  EXPECT_NE(doc.find("```yaml\n" + example + "```"), std::string::npos)
      << "docs/scenario-format.md must quote scenarios/examples/service_desk.yaml verbatim";
  const std::string table = scenario_key_table();
  EXPECT_NE(doc.find(table), std::string::npos)
      << "docs/scenario-format.md's key table is out of date; regenerate it with "
         "`itsim schema --format markdown`:\n"
      << table;
}

TEST(Docs, ShippedExampleIsValidWithoutWarnings) {
  Diagnostics diags;
  const auto loaded =
      load_scenario(ITSIM_SOURCE_DIR "/scenarios/examples/service_desk.yaml", {}, diags);
  ASSERT_TRUE(loaded.has_value()) << diags.format_all();
  EXPECT_EQ(diags.warning_count(), 0U) << diags.format_all();
  EXPECT_EQ(loaded->scenario.models.size(), 2U);
}

TEST(Docs, ModelsShowsTheHybridExample) {
  const std::string doc = read_text(ITSIM_SOURCE_DIR "/docs/models.md");
  const std::string example = read_text(ITSIM_SOURCE_DIR "/scenarios/examples/hybrid.yaml");
  EXPECT_NE(doc.find("```yaml\n" + example + "```"), std::string::npos)
      << "docs/models.md must quote scenarios/examples/hybrid.yaml verbatim";
}

/// A route as text, stage by stage in order: the stage, who serves it, its work, its
/// routing row and its mechanisms. Two routes with the same outline send items the same
/// way through resources of the same names.
std::vector<std::string> outline(const Scenario::Model& m, const Scenario::Route& route) {
  std::vector<std::string> out;
  for (const Scenario::Stage& st : route.stages) {
    std::ostringstream line;
    line << st.id << " @" << m.resources.at(st.pool).id;
    if (st.service_h) {
      line << " service " << st.service_h->mean() << "h";
    } else {
      line << " effort x " << st.effort_share;
    }
    line << " next {";
    for (const Scenario::Next& n : st.next)
      line << (n.stage == Scenario::Next::done ? std::string("done") : route.stages.at(n.stage).id)
           << ": " << n.probability << ", ";
    line << "}";
    if (st.handoff) line << " handoff";
    if (st.rework_to) line << " rework " << route.stages.at(*st.rework_to).id;
    if (st.gate_every_h > 0) line << " gate " << st.gate_every_h << "h+" << st.gate_offset_h << "h";
    if (st.delay) line << " delay " << st.delay->hours.mean() << "h";
    line << " spanning " << static_cast<int>(st.spanning);
    out.push_back(line.str());
  }
  out.push_back("start " + route.stages.at(route.start).id);
  return out;
}

const Scenario::Model& model_named(const Scenario& s, const std::string& id) {
  for (const Scenario::Model& m : s.models)
    if (m.id == id) return m;
  throw std::runtime_error("no model " + id);
}

const Scenario::Resource* resource_named(const Scenario::Model& m, const std::string& id) {
  for (const Scenario::Resource& r : m.resources)
    if (r.id == id) return &r;
  return nullptr;
}

// The hybrid means what docs/models.md says: built on the coe preset with the platform team
// and its stages removed (`~`), tickets go through the passive desk exactly as in the
// passive model, changes through the stream teams exactly as in the coe model, and no
// stage is left over from the preset. Guards against a preset change or a key that is not
// removed after all.
TEST(Docs, HybridExampleIsValidAndRoutesChangesOnlyThroughTheStreamTeams) {
  Diagnostics diags;
  const auto loaded = load_scenario(ITSIM_SOURCE_DIR "/scenarios/examples/hybrid.yaml", {}, diags);
  ASSERT_TRUE(loaded.has_value()) << diags.format_all();
  EXPECT_EQ(diags.warning_count(), 0U) << diags.format_all();
  const Scenario& s = loaded->scenario;
  ASSERT_EQ(s.models.size(), 5U);
  const Scenario::Model& hybrid = s.models.back();
  EXPECT_EQ(hybrid.id, "hybrid");
  EXPECT_EQ(hybrid.preset, "coe");
  const Scenario::Model& passive = model_named(s, "passive");
  const Scenario::Model& coe = model_named(s, "coe");

  // The platform team is gone; the desk's pools keep their people, the stream teams take
  // every developer.
  EXPECT_EQ(resource_named(hybrid, "platform"), nullptr);
  ASSERT_NE(resource_named(coe, "platform"), nullptr); // so that the line above means something
  const Scenario::Resource* stream = resource_named(hybrid, "stream");
  ASSERT_NE(stream, nullptr);
  EXPECT_DOUBLE_EQ(stream->people, 6 + 40 + 5);
  EXPECT_DOUBLE_EQ(resource_named(hybrid, "l2")->people, 6);
  EXPECT_DOUBLE_EQ(resource_named(hybrid, "l3")->people, 14 - 5);
  EXPECT_DOUBLE_EQ(resource_named(hybrid, "dev")->people, 0);

  ASSERT_EQ(hybrid.routes.size(), s.work_types.size());
  for (std::size_t w = 0; w < hybrid.routes.size(); ++w) {
    const Scenario::WorkType& wt = s.work_types[hybrid.routes[w].work_type];
    const std::vector<std::string> got = outline(hybrid, hybrid.routes[w]);
    if (wt.kind == Scenario::WorkKind::enhancement || wt.kind == Scenario::WorkKind::project) {
      EXPECT_EQ(got, outline(coe, coe.routes[w])) << wt.id;
      ASSERT_EQ(hybrid.routes[w].stages.size(), 1U) << wt.id;
      EXPECT_EQ(hybrid.resources[hybrid.routes[w].stages[0].pool].id, "stream") << wt.id;
    } else {
      EXPECT_EQ(got, outline(passive, passive.routes[w])) << wt.id;
      for (const Scenario::Stage& st : hybrid.routes[w].stages) {
        const std::string& r = hybrid.resources[st.pool].id;
        EXPECT_TRUE(r == "l1" || r == "l2" || r == "l3") << wt.id << " visits " << r;
      }
    }
  }
}

} // namespace
} // namespace itsim::scenarios
