// SPDX-License-Identifier: Apache-2.0
#include "results_sample.hpp"

#include "itsim/analysis/summary.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace itsim::test {

namespace {

// SplitMix64 finaliser: a fixed hash, so the sample is the same everywhere.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// A value in [0, 1) from a key.
double unit(std::uint64_t key) {
  return static_cast<double>(mix(key) >> 11) * 0x1.0p-53;
}

struct KpiSpec {
  const char* name;
  const char* unit;
  const char* description;
  double level; // typical value of the baseline
};

// CONTRACT.md's required KPIs, then one more.
constexpr std::array<KpiSpec, 26> kpi_specs = {{
    {"demand_generated", "items", "work items the organisation generated", 12000},
    {"arrivals_to_it", "items", "items that reached IT", 9000},
    {"self_served", "items", "items resolved by self-service", 1500},
    {"completed", "items", "items IT completed", 8500},
    {"abandoned", "items", "items abandoned while waiting", 300},
    {"shadow_builds", "items", "items built outside IT (shadow IT)", 120},
    {"backlog_end", "items", "items open at the end", 250},
    {"wait_mean_h", "h", "mean time waiting in queues", 30},
    {"lead_time_mean_h", "h", "mean lead time of completed items", 70},
    {"lead_time_p50_h", "h", "median lead time", 40},
    {"lead_time_p95_h", "h", "95th percentile of lead time", 300},
    {"first_contact_resolution", "share", "share resolved at first contact", 0.6},
    {"resolved_at_l1", "share", "share resolved at level 1", 0.7},
    {"handoffs_mean", "handoffs", "mean handoffs per completed item", 2.5},
    {"rework_rate", "share", "share of items reworked", 0.08},
    {"flow_efficiency", "share", "touch time over lead time", 0.15},
    {"sla_attainment", "share", "share of items within their SLA", 0.85},
    {"value_gross", "money", "value delivered before delay losses", 5.0e6},
    {"value_lost_to_delay", "money", "value lost to delay", 8.0e5},
    {"downtime_cost", "money", "cost of downtime", 3.0e5},
    {"customer_value", "money", "value to customers", 2.0e6},
    {"cost_total", "money", "total cost", 4.0e6},
    {"net_value", "money", "value minus cost", 1.9e6},
    {"utilisation_mean", "share", "mean utilisation of IT staff", 0.75},
    {"perception", "score", "business perception of IT, 0 to 10", 6.5},
    {"knowledge_mean", "share", "mean knowledge level at the end", 0.55},
}};

} // namespace

analysis::ResultsFile sample_results(std::uint32_t replications) {
  analysis::ResultsFile f;
  f.provenance.itsim_version = "0.1.0";
  f.provenance.git_describe = "v0.1.0-sample";
  f.provenance.command_line = "itsim_write_sample_results sample.h5";
  f.provenance.created_utc = "2026-11-25T12:00:00Z";
  f.scenario.yaml_resolved = "schema_version: 1\n"
                             "name: Sample — Müller & Søn (日本)\n"
                             "seed: 42\n"
                             "models:\n  passive: {preset: passive}\n"
                             "  embedded: {preset: embedded}\n  coe: {preset: coe}\n"
                             "baseline: passive\n";
  f.scenario.master_seed = 42;
  f.models = {"passive", "embedded", "coe"};
  f.baseline = "passive";

  for (const auto& k : kpi_specs)
    f.runs.kpis.push_back({k.name, k.unit, k.description, {}});

  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Model effects on the baseline's level: embedded a little better, coe clearly better.
  const std::array<double, 3> effect = {1.0, 0.97, 0.85};
  std::vector<double> values(kpi_specs.size());
  for (std::uint32_t point = 0; point < 2; ++point) {
    for (std::uint32_t m = 0; m < f.models.size(); ++m) {
      for (std::uint32_t r = 0; r < replications; ++r) {
        const std::uint64_t seed = mix(42 ^ (std::uint64_t{r} << 20) ^ point);
        const bool failed = m == 2 && r == 1 && point == 1;
        for (std::size_t k = 0; k < kpi_specs.size(); ++k) {
          // Common random numbers: the replication's noise is shared by the models.
          const double noise = 0.1 * (unit(seed ^ (k << 8)) - 0.5) + 0.02 * (unit(seed + m) - 0.5);
          const bool share = std::string_view(kpi_specs[k].unit) == "share";
          const double scale = share ? 1.0 : 1.0 + 0.25 * point;
          values[k] = failed ? nan : kpi_specs[k].level * scale * (effect[m] + noise);
        }
        // An ok run whose lead-time percentile is undefined (no item completed).
        if (m == 1 && r == 0 && point == 0) values[10] = nan;
        f.runs.add_run(f.models[m], r, point, seed,
                       failed ? analysis::run_status_failed : analysis::run_status_ok,
                       failed ? "model 'coe': stage « build » has no people (équipe vide)" : "",
                       values);
      }
    }
  }

  const std::size_t runs = f.runs.size();
  // The stationarity verdict: every code, a NaN slope where not measured.
  for (std::size_t run = 0; run < runs; ++run) {
    const bool failed = f.runs.status[run] != analysis::run_status_ok;
    const std::uint8_t codes[] = {1, 0, 1, 2};
    const std::uint8_t code = failed ? 255 : codes[run % 4];
    f.runs.steady.push_back(code);
    f.runs.backlog_slope_per_year.push_back(code <= 1 ? 40.0 * unit(run) - 10.0 : nan);
  }
  analysis::TimeSeriesSet ts;
  ts.start_h = 168.0;
  ts.step_h = 168.0;
  ts.points = 53;
  analysis::TimeSeries backlog{"backlog", "items", "items open at the sample time", {}};
  analysis::TimeSeries busy{"utilisation", "share", "utilisation of IT staff over the week", {}};
  for (std::size_t run = 0; run < runs; ++run) {
    const bool failed = f.runs.status[run] != analysis::run_status_ok;
    for (std::uint32_t i = 0; i < ts.points; ++i) {
      const double u = unit((run << 16) ^ i);
      backlog.values.push_back(failed ? nan : std::floor(200.0 + 100.0 * u + 0.5 * i));
      busy.values.push_back(failed ? nan : 0.6 + 0.3 * u);
    }
  }
  ts.series = {std::move(backlog), std::move(busy)};
  f.timeseries = std::move(ts);

  analysis::ItemTable items;
  std::vector<std::uint32_t> run_col;
  std::vector<std::uint64_t> id_col;
  std::vector<std::string> kind_col;
  std::vector<double> lead_col;
  const std::array<const char*, 4> kinds = {"incident", "request", "enhancement", "projet ä"};
  for (std::size_t i = 0; i < 4 * runs + 7; ++i) {
    const auto run = static_cast<std::uint32_t>(i % runs);
    run_col.push_back(run);
    id_col.push_back((std::uint64_t{1} << 40) + i);
    kind_col.push_back(kinds[mix(i) % kinds.size()]);
    lead_col.push_back(i % 11 == 3 ? nan : 200.0 * unit(i ^ 0xABCDEFull));
  }
  items.columns.push_back({"run", "", "row of /runs the item belongs to", std::move(run_col)});
  items.columns.push_back({"item_id", "", "item id within the run", std::move(id_col)});
  items.columns.push_back({"kind", "", "work type", std::move(kind_col)});
  items.columns.push_back(
      {"lead_time_h", "h", "arrival to completion; NaN when open", std::move(lead_col)});
  f.requests = std::move(items);

  // A sweep over two points: a numeric factor, an integer factor and a string lever.
  analysis::FactorColumn retention{"handoff_retention",
                                   "mechanisms.handoff_retention",
                                   "factor",
                                   "share",
                                   "knowledge kept across a handoff",
                                   {}};
  analysis::FactorColumn staff{"l1.staff", "units.service_desk.staff", "factor",
                               "people",   "service desk staff",       {}};
  analysis::FactorColumn intake{
      "intake-policy", "intake.policy", "lever", "", "how demand enters IT (a decision)", {}};
  std::vector<double> retention_values;
  std::vector<std::uint32_t> staff_values;
  std::vector<std::string> intake_values;
  for (std::size_t run = 0; run < runs; ++run) {
    const std::uint32_t point = f.runs.point[run];
    retention_values.push_back(point == 0 ? 0.25 : 0.75);
    staff_values.push_back(point == 0 ? 12 : 18);
    intake_values.push_back(point == 0 ? "triage — centrale" : "direct");
  }
  retention.values = std::move(retention_values);
  staff.values = std::move(staff_values);
  intake.values = std::move(intake_values);
  f.runs.factors = {std::move(retention), std::move(staff), std::move(intake)};

  analysis::SweepInfo sweep;
  sweep.name = "sample-sweep";
  sweep.yaml = "schema_version: 1\nname: sample-sweep\nscenario: sample.yaml\n"
               "design: {kind: grid}\nfactors:\n"
               "  mechanisms.handoff_retention: [0.25, 0.75]\n";
  sweep.id = "0123456789abcdef";
  sweep.runs_total = runs;
  sweep.points = 2;
  sweep.design = "grid";
  f.sweep = std::move(sweep);

  analysis::Table points;
  points.group = "points";
  points.description = "one row per design point: the factors' values";
  points.attributes = {{"design", "grid"}, {"constraint", ""}};
  points.columns.push_back({"point", "", "design point index", std::vector<std::uint32_t>{0, 1}});
  points.columns.push_back(
      {"handoff_retention", "share", "knowledge kept", std::vector<double>{0.25, 0.75}});
  points.columns.push_back({"intake-policy", "", "intake policy",
                            std::vector<std::string>{"triage — centrale", "direct"}});
  f.tables.push_back(std::move(points));

  analysis::Table sensitivity;
  sensitivity.group = "sensitivity";
  sensitivity.description = "standardised regression coefficients of each KPI on each factor";
  sensitivity.attributes = {{"method", "src"}, {"note", "Größe ≠ effet (UTF-8)"}};
  std::vector<std::string> kpi_col;
  std::vector<std::string> factor_col;
  std::vector<double> src_col;
  std::vector<std::uint64_t> n_col;
  for (std::size_t k = 0; k < 3; ++k) {
    for (const char* factor : {"handoff_retention", "l1.staff"}) {
      kpi_col.push_back(kpi_specs[k].name);
      factor_col.push_back(factor);
      src_col.push_back(2.0 * unit(mix(k) ^ static_cast<unsigned char>(factor[0])) - 1.0);
      n_col.push_back(runs);
    }
  }
  sensitivity.columns.push_back({"kpi", "", "the KPI", std::move(kpi_col)});
  sensitivity.columns.push_back({"factor", "", "the factor", std::move(factor_col)});
  sensitivity.columns.push_back(
      {"src", "", "standardised regression coefficient", std::move(src_col)});
  sensitivity.columns.push_back({"n", "", "runs behind the coefficient", std::move(n_col)});
  f.tables.push_back(std::move(sensitivity));

  analysis::Table winners;
  winners.group = "winners";
  winners.description = "the best model per point (none: an empty table)";
  winners.columns.push_back({"point", "", "design point", std::vector<std::uint32_t>{}});
  winners.columns.push_back({"model", "", "the winning model", std::vector<std::string>{}});
  winners.columns.push_back({"net_value", "money", "its mean net value", std::vector<double>{}});
  f.tables.push_back(std::move(winners));

  // Where the time goes, as `itsim run` writes it: a row per ok run and resource, and its
  // summary across replications.
  analysis::Table resources;
  resources.group = "resources";
  resources.description = "per run and resource, after the warm-up";
  std::vector<std::uint32_t> res_run, res_rep;
  std::vector<std::string> res_model, res_id;
  std::vector<double> util, wait, p_wait, queue, served;
  for (std::uint32_t run = 0; run < runs; ++run) {
    if (f.runs.status[run] != analysis::run_status_ok) continue;
    for (const char* id : {"l1", "dev"}) {
      const double u = unit((std::uint64_t{run} << 8) ^ static_cast<unsigned char>(id[0]));
      res_run.push_back(run);
      res_rep.push_back(f.runs.replication[run]);
      res_model.push_back(f.runs.model[run]);
      res_id.push_back(id);
      util.push_back(0.5 + 0.4 * u);
      wait.push_back(2.0 + 10.0 * u);
      p_wait.push_back(0.3 + 0.5 * u);
      queue.push_back(1.0 + 5.0 * u);
      served.push_back(std::floor(1000.0 + 500.0 * u));
    }
  }
  resources.columns = {
      {"run", "", "the row of /runs", std::move(res_run)},
      {"model", "", "model id", std::move(res_model)},
      {"replication", "", "replication", std::move(res_rep)},
      {"resource", "", "resource id", std::move(res_id)},
      {"utilisation", "share", "busy over available server-hours", std::move(util)},
      {"wait_mean_h", "h", "mean queueing time per visit", std::move(wait)},
      {"p_wait", "share", "share of visits that queued", std::move(p_wait)},
      {"queue_mean", "items", "items waiting, time-averaged", std::move(queue)},
      {"served", "items", "visits completed", std::move(served)},
  };
  const std::string keys[] = {"resource"};
  analysis::Table summary =
      analysis::summarize_table(f, resources, keys, "resources_summary", "per model and resource");
  f.tables.push_back(std::move(resources));
  f.tables.push_back(std::move(summary));
  return f;
}

} // namespace itsim::test
