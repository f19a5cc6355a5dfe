// SPDX-License-Identifier: Apache-2.0
// Reorganisation paths (MODEL.md M14) on the default company, through the experiment
// runner, as `itsim run` runs them:
//  - an instant, free move at the start behaves as the target model (common random
//    numbers: only the follow-up incidents' seeds differ), and after an instant, free move
//    in mid-run the path earns what the target earns over the same window;
//  - a one-off cost and nothing else lowers the path's cumulative net value by exactly that
//    amount from the wave on, so its break-even is where a hand calculation on the free
//    path's curve puts it;
//  - attrition: people leave at the stated rate (Poisson, against rate x headcount x time),
//    and their knowledge leaves with them;
//  - path_outcomes' trough and break-even on a curve known by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "itsim/analysis/confidence.hpp"
#include "itsim/experiments/experiment.hpp"
#include "itsim/experiments/path_check.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/models/kpi.hpp"
#include "itsim/scenarios/loader.hpp"

namespace itsim::experiments {
namespace {

using models::Kpi;

struct Study {
  scenarios::Scenario scenario;
  std::vector<ExperimentRun> runs;
  analysis::ResultsFile file;
  std::vector<PathOutcome> paths;

  std::uint32_t index(const std::string& id) const {
    for (std::uint32_t m = 0; m < scenario.models.size(); ++m)
      if (scenario.models[m].id == id) return m;
    throw std::runtime_error("no model " + id);
  }
  /// KPI `k` of model `id`, one value per replication.
  std::vector<double> kpi(const std::string& id, Kpi k) const {
    std::vector<double> out;
    const std::uint32_t m = index(id);
    for (const ExperimentRun& r : runs)
      if (r.model == m) out.push_back(r.result[k]);
    return out;
  }
  const ExperimentRun& run(const std::string& id, std::uint64_t rep) const {
    for (const ExperimentRun& r : runs)
      if (r.model == index(id) && r.replication == rep) return r;
    throw std::runtime_error("no run");
  }
};

Study study(std::vector<std::string> overrides, std::uint32_t replications, double step_h = 168,
            bool record_items = false) {
  scenarios::Diagnostics diags;
  auto loaded = scenarios::load_scenario(std::string(ITSIM_SOURCE_DIR) + "/scenarios/midsize.yaml",
                                         overrides, diags);
  if (!loaded) throw std::runtime_error(diags.format_all());
  Study s{std::move(loaded->scenario), {}, {}, {}};
  ExperimentOptions options;
  options.replications = replications;
  options.timeseries_step_h = step_h;
  options.record_items = record_items;
  s.runs = run_experiment(s.scenario, options);
  for (const ExperimentRun& r : s.runs)
    if (!r.ok) throw std::runtime_error(r.error);
  s.file = start_results(s.scenario, "");
  add_runs(s.file, s.scenario, s.runs, 0, step_h, false);
  s.paths = path_outcomes(s.file, s.scenario, 0.95);
  return s;
}

/// The 99% paired interval of a - b contains 0.
void expect_same(const std::vector<double>& a, const std::vector<double>& b, const char* what) {
  const analysis::ConfidenceInterval ci = analysis::paired_difference(a, b, 0.99);
  EXPECT_LE(ci.lower(), 0) << what << ": " << ci.mean << " +- " << ci.half_width;
  EXPECT_GE(ci.upper(), 0) << what << ": " << ci.mean << " +- " << ci.half_width;
}

const PathOutcome& outcome(const Study& s, const std::string& id) {
  for (const PathOutcome& p : s.paths)
    if (p.path == id) return p;
  throw std::runtime_error("no path " + id);
}

TEST(Paths, AnInstantFreeMoveAtTheStartBehavesAsTheTarget) {
  const Study s = study({"paths.to_embedded={from: passive, to: embedded, waves: [{at: 0h}]}",
                         "paths.to_coe={from: passive, to: coe, waves: [{at: 0h}]}"},
                        12);
  for (const char* target : {"embedded", "coe"}) {
    const std::string path = std::string("to_") + target;
    SCOPED_TRACE(path);
    for (const Kpi k : {Kpi::completed, Kpi::lead_time_mean_h, Kpi::utilisation_mean,
                        Kpi::value_gross, Kpi::net_value, Kpi::knowledge_mean})
      expect_same(s.kpi(path, k), s.kpi(target, k), models::info(k).name);
    // Against the starting model the path is the target, not the start: its lead on
    // passive is the target's (net value, paired).
    const std::vector<double> cost_path = s.kpi(path, Kpi::it_cost);
    const std::vector<double> cost_target = s.kpi(target, Kpi::it_cost);
    for (std::size_t i = 0; i < cost_path.size(); ++i)
      EXPECT_NEAR(cost_path[i], cost_target[i], 1e-6 * cost_target[i]);
    EXPECT_EQ(s.kpi(path, Kpi::reorg_cost), std::vector<double>(12, 0.0));
  }
}

TEST(Paths, AfterAnInstantFreeMoveInMidRunThePathWorksAsTheTarget) {
  // Two years; the move at 26 weeks, work in flight moving with it; compare the work the
  // path and the target do on the items raised from a quarter after the move (the moved
  // backlog worked down) to a quarter before the horizon. The target started from the same
  // state as far as the state is the backlog: what the target model builds up over time
  // and keeps (its teams' learning, the capabilities its proactive work delivers, the value
  // its deliveries still accrue) is switched off or left out, since a target run from time
  // 0 has had half a year more of it than the path.
  const Study s =
      study({"horizon=2y", "models.coe.teams.stream.learns=false",
             "models.coe.teams.platform.learns=false",
             "models.coe.capabilities.incident_reduction_per_item=0",
             "paths.late={from: passive, to: coe, waves: [{at: 26w}], in_flight: move}"},
            10, 168, /*record_items=*/true);
  const double from_h = (26 + 13) * 168.0, to_h = 2 * 8760.0 - 13 * 168.0;
  const auto window = [&](const std::string& id, std::uint64_t rep, bool changes) {
    double delivered = 0, lead = 0;
    for (const models::ItemRecord& r : s.run(id, rep).result.items) {
      if (r.created_h < from_h || r.created_h >= to_h) continue;
      if (r.origin != models::ItemOrigin::demand) continue;
      const auto kind = s.scenario.work_types[r.work_type].kind;
      const bool change = kind == scenarios::Scenario::WorkKind::enhancement ||
                          kind == scenarios::Scenario::WorkKind::project;
      if (change != changes || r.outcome != models::ItemOutcome::delivered) continue;
      delivered += 1;
      lead += r.finished_h - r.created_h;
    }
    return std::pair<double, double>{delivered, delivered > 0 ? lead / delivered : 0.0};
  };
  for (const bool changes : {false, true}) {
    SCOPED_TRACE(changes ? "changes" : "tickets");
    std::vector<double> late_n, coe_n, passive_n, late_lead, coe_lead, passive_lead;
    for (std::uint64_t rep = 0; rep < 10; ++rep) {
      const auto [a, la] = window("late", rep, changes);
      const auto [b, lb] = window("coe", rep, changes);
      const auto [c, lc] = window("passive", rep, changes);
      late_n.push_back(a);
      coe_n.push_back(b);
      passive_n.push_back(c);
      late_lead.push_back(la);
      coe_lead.push_back(lb);
      passive_lead.push_back(lc);
    }
    expect_same(late_n, coe_n, "items delivered");
    expect_same(late_lead, coe_lead, "mean lead time");
    if (changes) {
      // ... and not as staying: the check can tell the structures apart.
      const analysis::ConfidenceInterval stay =
          analysis::paired_difference(late_n, passive_n, 0.99);
      EXPECT_TRUE(stay.lower() > 0 || stay.upper() < 0) << stay.mean << " +- " << stay.half_width;
    }
  }
}

TEST(Paths, AOneOffCostAloneLowersTheCurveByItselfAndBreaksEvenWhereTheHandCalculationSays) {
  // The free path's curve, then the same path paying a one-off cost at its wave: nothing
  // else changes, so every KPI but the money is the same, the money moves by the cost
  // exactly, and the curve drops by it from the wave on.
  const Study free = study({"paths.p={from: passive, to: coe, waves: [{at: 13w}]}"}, 8);
  const PathOutcome& f = outcome(free, "p");
  ASSERT_GT(f.at_horizon.mean, 0); // coe pays on midsize: something to break even against
  const double cost = std::round(f.at_horizon.mean / 2);
  const Study paid =
      study({"paths.p={from: passive, to: coe, waves: [{at: 13w}], costs: {tooling: " +
             std::to_string(cost * 0.4) + ", outside_help: " + std::to_string(cost * 0.6) + "}}"},
            8);
  for (std::uint64_t rep = 0; rep < 8; ++rep) {
    const models::RunResult& a = free.run("p", rep).result;
    const models::RunResult& b = paid.run("p", rep).result;
    EXPECT_EQ(a.events, b.events);
    EXPECT_EQ(a[Kpi::completed], b[Kpi::completed]);
    EXPECT_EQ(a[Kpi::value_gross], b[Kpi::value_gross]);
    EXPECT_NEAR(b[Kpi::reorg_cost], cost, 1e-6 * cost);
    EXPECT_NEAR(a[Kpi::cost_total] + cost, b[Kpi::cost_total], 1e-6 * cost);
    EXPECT_NEAR(a[Kpi::net_value] - cost, b[Kpi::net_value], 1e-6 * cost);
  }
  const PathOutcome& p = outcome(paid, "p");
  ASSERT_EQ(p.curve.size(), f.curve.size());
  for (std::size_t i = 0; i < p.curve.size(); ++i) {
    const double drop = p.curve[i].time_h >= 13 * 168.0 ? cost : 0.0;
    EXPECT_NEAR(p.curve[i].mean, f.curve[i].mean - drop, 1e-6 * cost) << p.curve[i].time_h;
  }
  // By hand: the first sample from which the free curve stays above the cost.
  double expected = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = f.curve.size(); i-- > 0;) {
    if (!(f.curve[i].mean - cost > 0)) break;
    expected = f.curve[i].time_h;
  }
  ASSERT_TRUE(std::isfinite(expected));
  EXPECT_DOUBLE_EQ(p.break_even_h, expected);
  EXPECT_LE(p.break_even_early_h, p.break_even_h);
  EXPECT_TRUE(!std::isfinite(p.break_even_late_h) || p.break_even_late_h >= p.break_even_h);
  EXPECT_LE(p.trough.mean, -cost * 0.5); // the cost is paid before the gains come in
}

TEST(Paths, PeopleLeaveAtTheAttritionRateAndTakeTheirKnowledgeWithThem) {
  // Half a year of attrition at 50% a year, replacements at once; no warm-up, so every
  // leaver counts. Embedded staff know 0.8 and learn; replacements know nothing.
  const std::string path = "{from: passive, to: embedded, waves: [{at: 0h}], attrition: "
                           "{rate: 0.5, lasts: 26w, hiring_delay: 0h, new_hire_knowledge: 0}}";
  const Study s = study({"warmup=0h", "paths.churn=" + path,
                         "paths.calm={from: passive, to: embedded, waves: [{at: 0h}]}"},
                        20);
  // Headcount on the embedded model's stations: the people of every resource a stage uses.
  const scenarios::Scenario::Model& m = s.scenario.models[s.index("embedded")];
  std::vector<bool> used(m.resources.size(), false);
  for (const auto& route : m.routes)
    for (const auto& st : route.stages)
      used[st.pool] = true;
  double headcount = 0;
  for (std::size_t r = 0; r < m.resources.size(); ++r)
    if (used[r]) headcount += m.resources[r].people;
  const double expected = 0.5 * headcount * 26 * 168 / 8760;
  const std::vector<double> leavers = s.kpi("churn", Kpi::leavers);
  const analysis::ConfidenceInterval ci = analysis::confidence_interval(leavers, 0.99);
  EXPECT_LE(ci.lower(), expected) << ci.mean << " +- " << ci.half_width;
  EXPECT_GE(ci.upper(), expected) << ci.mean << " +- " << ci.half_width;
  EXPECT_EQ(s.kpi("calm", Kpi::leavers), std::vector<double>(20, 0.0));
  // Their knowledge leaves: the teams end the year knowing less than without attrition.
  const analysis::ConfidenceInterval k = analysis::paired_difference(
      s.kpi("churn", Kpi::knowledge_mean), s.kpi("calm", Kpi::knowledge_mean), 0.99);
  EXPECT_LT(k.upper(), 0) << k.mean << " +- " << k.half_width;
}

TEST(PathOutcomes, FindsTheTroughAndTheBreakEvenOfACurveKnownByHand) {
  // Two replications, the path's curve below its start's by a known amount per sample.
  analysis::ResultsFile file;
  scenarios::Scenario s;
  s.warmup_h = 0;
  scenarios::Scenario::Model a, b, p;
  a.id = "stay";
  b.id = "target";
  p.id = "move";
  p.path.emplace();
  p.path->from = 0;
  p.path->to = 1;
  p.path->waves = {{100, {}}};
  s.models = {a, b, p};
  file.models = {"stay", "target", "move"};
  file.baseline = "stay";
  analysis::TimeSeriesSet ts;
  ts.start_h = 100;
  ts.step_h = 100;
  ts.points = 6;
  analysis::TimeSeries net;
  net.name = "net_value_cumulative";
  // Paired differences per sample: rep 0 and rep 1 (the start's values are 0).
  const std::vector<double> d0 = {0, -10, -30, -5, 5, 20};
  const std::vector<double> d1 = {0, -14, -26, 1, 1, 30};
  for (const std::string model : {"stay", "move"}) {
    for (std::uint32_t rep = 0; rep < 2; ++rep) {
      file.runs.add_run(model, rep, 0, 0, analysis::run_status_ok, "", {});
      for (std::size_t i = 0; i < 6; ++i)
        net.values.push_back(model == "stay" ? 0.0 : (rep == 0 ? d0[i] : d1[i]));
    }
  }
  ts.series.push_back(net);
  file.timeseries = ts;
  const std::vector<PathOutcome> out = path_outcomes(file, s, 0.95);
  ASSERT_EQ(out.size(), 1U);
  const PathOutcome& o = out[0];
  EXPECT_EQ(o.from, "stay");
  EXPECT_EQ(o.pairs, 2U);
  ASSERT_EQ(o.curve.size(), 6U);
  EXPECT_DOUBLE_EQ(o.trough.mean, -28);
  EXPECT_DOUBLE_EQ(o.trough.time_h, 300);
  // Means: 0, -12, -28, -2, 3, 25: positive from t = 500 on.
  EXPECT_DOUBLE_EQ(o.break_even_h, 500);
  // With two pairs the t interval is wide (t = 12.706): the upper bound is positive from
  // t = 400 on (-2 + 38.1), the lower bound is not positive even at the horizon
  // (25 - 63.5), so the latest break-even is not within reach.
  EXPECT_DOUBLE_EQ(o.break_even_early_h, 400);
  EXPECT_TRUE(std::isnan(o.break_even_late_h));
  EXPECT_DOUBLE_EQ(o.at_horizon.mean, 25);
  EXPECT_DOUBLE_EQ(o.broke_even_share, 1.0);
  const std::vector<std::string> lines = describe_paths(out);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_NE(lines[0].find("trough -28"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("break-even at"), std::string::npos) << lines[0];
}

} // namespace
} // namespace itsim::experiments
