// SPDX-License-Identifier: Apache-2.0
// From an experiment's runs to the results file's tables (docs/results-format.md).
#include "itsim/experiments/run_results.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "itsim/analysis/summary.hpp"
#include "itsim/sim/random_stream.hpp"

namespace itsim::experiments {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr auto not_tested = static_cast<std::uint8_t>(models::Stationarity::not_tested);

// P(X >= k) for X ~ Binomial(n, p).
double binomial_tail(std::size_t k, std::size_t n, double p) {
  double term = std::pow(1.0 - p, static_cast<double>(n)); // P(X = 0)
  double below = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    below += term;
    term *= static_cast<double>(n - i) / static_cast<double>(i + 1) * p / (1.0 - p);
  }
  return std::max(0.0, 1.0 - below);
}

std::string runs_word(std::size_t n) {
  return n == 1 ? " run" : " runs";
}

// A slope in items a year, signed, to a sensible precision.
std::string signed_items(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, std::abs(v) < 10 ? "%+.1f" : "%+.0f", v);
  return buf;
}

template <class T> std::vector<T>& column(analysis::ItemTable& t, std::size_t k) {
  return std::get<std::vector<T>>(t.columns[k].values);
}
template <class T> std::vector<T>& column(analysis::Table& t, std::size_t k) {
  return std::get<std::vector<T>>(t.columns[k].values);
}

analysis::ItemTable empty_item_table() {
  using analysis::ItemColumn;
  analysis::ItemTable t;
  auto add = [&t](const char* name, const char* unit, const char* description, auto empty) {
    t.columns.push_back(ItemColumn{name, unit, description, std::move(empty)});
  };
  add("run", "", "the item's row of /runs", std::vector<std::uint32_t>{});
  add("item", "", "creation order of the item within its run, from 0",
      std::vector<std::uint64_t>{});
  add("work_type", "", "work type id", std::vector<std::string>{});
  add("unit", "", "business unit id", std::vector<std::string>{});
  add("origin", "",
      "demand, proactive, change_failure, shadow, customer_opportunity or customer_contact",
      std::vector<std::string>{});
  add("outcome", "",
      "delivered, abandoned, declined (rationing), shadow_build or open (in IT at the end)",
      std::vector<std::string>{});
  add("priority", "", "1 (P1) to 4 (P4)", std::vector<std::uint32_t>{});
  add("created_h", "h", "when the item reached IT", std::vector<double>{});
  add("finished_h", "h", "delivery or abandonment; NaN when open", std::vector<double>{});
  add("lead_time_h", "h", "finished_h - created_h; NaN when open", std::vector<double>{});
  add("wait_h", "h", "time queueing", std::vector<double>{});
  add("touch_h", "h", "working time spent on the item", std::vector<double>{});
  add("handoff_h", "h", "time in handoffs, stage delays and gates", std::vector<double>{});
  add("handoffs", "handoffs", "handoffs on its route", std::vector<std::uint32_t>{});
  add("reworks", "items", "times it went back for rework", std::vector<std::uint32_t>{});
  add("visits", "items", "queue visits (stages served, rework included)",
      std::vector<std::uint32_t>{});
  add("value", "money", "value delivered, or built in the shadow", std::vector<double>{});
  add("sla_met", "share", "tickets: 1 when within the SLA, else 0; NaN for other work",
      std::vector<double>{});
  return t;
}

/// The per-run tables of where the time goes (docs/results-format.md), empty: the columns
/// run, model, replication, `key`, then `values`.
analysis::Table empty_run_table(const char* group, const char* description,
                                analysis::ItemColumn key,
                                std::vector<analysis::ItemColumn> values) {
  using analysis::ItemColumn;
  analysis::Table t;
  t.group = group;
  t.description = description;
  t.columns.push_back(ItemColumn{"run", "", "the row of /runs", std::vector<std::uint32_t>{}});
  t.columns.push_back(
      ItemColumn{"model", "", "model id (as /runs model)", std::vector<std::string>{}});
  t.columns.push_back(ItemColumn{"replication", "", "replication (as /runs replication)",
                                 std::vector<std::uint32_t>{}});
  t.columns.push_back(std::move(key));
  for (ItemColumn& c : values)
    t.columns.push_back(std::move(c));
  return t;
}

analysis::ItemColumn number(const char* name, const char* unit, const char* description) {
  return {name, unit, description, std::vector<double>{}};
}

std::vector<analysis::ItemColumn> lead_time_columns() {
  return {number("delivered", "items", "items of the group delivered after the warm-up"),
          number("lead_time_p50_h", "h", "median lead time of those items; NaN when none"),
          number("lead_time_p95_h", "h", "95th percentile of their lead time; NaN when none")};
}

std::vector<analysis::ItemColumn> lead_time_distribution_columns() {
  return {number("delivered", "items", "items of the work type delivered after the warm-up"),
          number("lead_time_p10_h", "h", "10th percentile of their lead time; NaN when none"),
          number("lead_time_p25_h", "h", "25th percentile of their lead time; NaN when none"),
          number("lead_time_p50_h", "h", "median lead time of those items; NaN when none"),
          number("lead_time_p75_h", "h", "75th percentile of their lead time; NaN when none"),
          number("lead_time_p90_h", "h", "90th percentile of their lead time; NaN when none"),
          number("lead_time_p95_h", "h", "95th percentile of their lead time; NaN when none")};
}

analysis::Table* find_table(analysis::ResultsFile& file, std::string_view group) {
  for (analysis::Table& t : file.tables)
    if (t.group == group) return &t;
  return nullptr;
}

/// The table `group` of `file`, appended as `empty` when missing.
analysis::Table& table_of(analysis::ResultsFile& file, std::string_view group,
                          analysis::Table empty) {
  if (analysis::Table* t = find_table(file, group)) return *t;
  file.tables.push_back(std::move(empty));
  return file.tables.back();
}

/// Appends run `row`'s rows to the three per-run tables of where the time goes.
void add_pool_rows(analysis::ResultsFile& file, const scenarios::Scenario& s,
                   const ExperimentRun& run, std::uint32_t row) {
  using analysis::ItemColumn;
  const std::string& model = s.models[run.model].id;
  const auto replication = static_cast<std::uint32_t>(run.replication);
  // Created on the first run (pushing may move the tables: references only after).
  table_of(file, resources_group,
           empty_run_table(
               resources_group,
               "per run and resource (pool or team; by-unit copies pooled), after the warm-up",
               ItemColumn{"resource", "", "resource id (a pool or team of the model)",
                          std::vector<std::string>{}},
               {number("servers", "servers", "servers available, time-averaged (copies summed)"),
                number("utilisation", "share", "busy over available server-hours"),
                number("wait_mean_h", "h",
                       "mean queueing time per visit whose service started; NaN when none"),
                number("p_wait", "share", "share of those visits that had to queue; NaN when none"),
                number("queue_mean", "items", "items waiting, time-averaged (copies summed)"),
                number("served", "items", "visits completed")}));
  table_of(
      file, priority_group,
      empty_run_table(priority_group,
                      "lead time per run and priority, items delivered after "
                      "the warm-up",
                      ItemColumn{"priority", "", "1 (P1) to 4 (P4)", std::vector<std::uint32_t>{}},
                      lead_time_columns()));
  table_of(file, unit_group,
           empty_run_table(unit_group,
                           "lead time per run and business unit, items delivered "
                           "after the warm-up",
                           ItemColumn{"unit", "", "business unit id", std::vector<std::string>{}},
                           lead_time_columns()));
  table_of(file, work_type_group,
           empty_run_table(work_type_group,
                           "lead-time distribution per run and work type, items delivered "
                           "after the warm-up",
                           ItemColumn{"work_type", "", "work type id", std::vector<std::string>{}},
                           lead_time_distribution_columns()));
  analysis::Table& res = *find_table(file, resources_group);
  analysis::Table& pri = *find_table(file, priority_group);
  analysis::Table& unit = *find_table(file, unit_group);
  analysis::Table& work = *find_table(file, work_type_group);
  if (!run.ok) return;
  auto keys = [&](analysis::Table& t) {
    column<std::uint32_t>(t, 0).push_back(row);
    column<std::string>(t, 1).push_back(model);
    column<std::uint32_t>(t, 2).push_back(replication);
  };
  for (const models::ResourceResult& r : run.result.resources) {
    keys(res);
    std::size_t k = 3;
    column<std::string>(res, k++).push_back(r.id);
    for (const double v :
         {r.servers, r.utilisation, r.wait_mean_h, r.p_wait, r.queue_mean, double(r.served)})
      column<double>(res, k++).push_back(v);
  }
  auto lead = [&](analysis::Table& t, const models::LeadTimeGroup& g) {
    column<double>(t, 4).push_back(double(g.delivered));
    column<double>(t, 5).push_back(g.p50_h);
    column<double>(t, 6).push_back(g.p95_h);
  };
  for (std::uint32_t p = 0; p < run.result.lead_by_priority.size(); ++p) {
    keys(pri);
    column<std::uint32_t>(pri, 3).push_back(p + 1);
    lead(pri, run.result.lead_by_priority[p]);
  }
  for (std::size_t u = 0; u < run.result.lead_by_unit.size() && u < s.units.size(); ++u) {
    keys(unit);
    column<std::string>(unit, 3).push_back(s.units[u].id);
    lead(unit, run.result.lead_by_unit[u]);
  }
  for (std::size_t w = 0; w < run.result.lead_by_work_type.size() && w < s.work_types.size(); ++w) {
    const models::LeadTimeDistribution& d = run.result.lead_by_work_type[w];
    keys(work);
    column<std::string>(work, 3).push_back(s.work_types[w].id);
    column<double>(work, 4).push_back(double(d.delivered));
    for (std::size_t q = 0; q < d.p_h.size(); ++q)
      column<double>(work, 5 + q).push_back(d.p_h[q]);
  }
}

/// (Re)computes the summaries of the per-run tables across replications.
void summarize_pool_tables(analysis::ResultsFile& file) {
  struct Pair {
    const char* per_run;
    const char* key;
    const char* description;
  };
  const Pair pairs[] = {
      {resources_group, "resource", "per model and resource: statistics of /resources"},
      {priority_group, "priority", "per model and priority: statistics of /lead_time_by_priority"},
      {unit_group, "unit", "per model and business unit: statistics of /lead_time_by_unit"},
      {work_type_group, "work_type",
       "per model and work type: statistics of /lead_time_by_work_type"},
  };
  for (const Pair& p : pairs) {
    const analysis::Table* t = file.table(p.per_run);
    if (t == nullptr) continue;
    const std::string name = std::string(p.per_run) + "_summary";
    const std::string keys[] = {p.key};
    analysis::Table summary = analysis::summarize_table(file, *t, keys, name, p.description);
    table_of(file, name, analysis::Table{}) = std::move(summary);
  }
}

} // namespace

analysis::ItemTable request_layout(const scenarios::Scenario& s) {
  analysis::ItemTable t = empty_item_table();
  for (analysis::ItemColumn& c : t.columns)
    if (c.unit == "money") c.unit = s.currency;
  return t;
}

std::vector<std::size_t> request_string_widths(const scenarios::Scenario& s) {
  const analysis::ItemTable t = empty_item_table();
  std::vector<std::size_t> widths(t.columns.size(), 0);
  const auto longest = [](std::size_t& w, std::string_view v) { w = std::max(w, v.size()); };
  for (std::size_t k = 0; k < t.columns.size(); ++k) {
    const std::string& name = t.columns[k].name;
    if (name == "work_type") {
      for (const auto& w : s.work_types)
        longest(widths[k], w.id);
    } else if (name == "unit") {
      for (const auto& u : s.units)
        longest(widths[k], u.id);
    } else if (name == "origin") {
      for (const auto o :
           {models::ItemOrigin::demand, models::ItemOrigin::proactive,
            models::ItemOrigin::change_failure, models::ItemOrigin::shadow,
            models::ItemOrigin::customer_opportunity, models::ItemOrigin::customer_contact})
        longest(widths[k], models::to_string(o));
    } else if (name == "outcome") {
      for (const auto o : {models::ItemOutcome::delivered, models::ItemOutcome::abandoned,
                           models::ItemOutcome::shadow_build, models::ItemOutcome::open,
                           models::ItemOutcome::declined})
        longest(widths[k], models::to_string(o));
    }
  }
  return widths;
}

void append_request_rows(analysis::ItemTable& t, const scenarios::Scenario& s,
                         const ExperimentRun& run, std::uint32_t row) {
  for (const models::ItemRecord& r : run.result.items) {
    std::size_t k = 0;
    column<std::uint32_t>(t, k++).push_back(row);
    column<std::uint64_t>(t, k++).push_back(r.serial);
    column<std::string>(t, k++).push_back(s.work_types[r.work_type].id);
    column<std::string>(t, k++).push_back(s.units[r.unit].id);
    column<std::string>(t, k++).push_back(models::to_string(r.origin));
    column<std::string>(t, k++).push_back(models::to_string(r.outcome));
    column<std::uint32_t>(t, k++).push_back(r.priority + 1u);
    column<double>(t, k++).push_back(r.created_h);
    column<double>(t, k++).push_back(r.finished_h);
    column<double>(t, k++).push_back(r.finished_h - r.created_h);
    column<double>(t, k++).push_back(r.wait_h);
    column<double>(t, k++).push_back(r.touch_h);
    column<double>(t, k++).push_back(r.handoff_h);
    column<std::uint32_t>(t, k++).push_back(r.handoffs);
    column<std::uint32_t>(t, k++).push_back(r.reworks);
    column<std::uint32_t>(t, k++).push_back(r.visits);
    column<double>(t, k++).push_back(r.value);
    column<double>(t, k++).push_back(r.sla_met);
  }
}

analysis::ResultsFile start_results(const scenarios::Scenario& s, std::string yaml_resolved) {
  analysis::ResultsFile file;
  file.scenario.yaml_resolved = std::move(yaml_resolved);
  file.scenario.master_seed = s.seed;
  for (const auto& m : s.models)
    file.models.push_back(m.id);
  file.baseline = s.models[s.baseline].id;
  for (std::size_t k = 0; k < models::kpi_count; ++k) {
    const models::KpiInfo& info = models::kpi_table()[k];
    const std::string unit = std::string(info.unit) == "money" ? s.currency : info.unit;
    file.runs.kpis.push_back({info.name, unit, info.description, {}});
  }
  return file;
}

void add_runs(analysis::ResultsFile& file, const scenarios::Scenario& s,
              std::span<const ExperimentRun> runs, std::uint32_t point, double timeseries_step_h,
              bool record_items) {
  std::vector<double> values(models::kpi_count);
  if (timeseries_step_h > 0 && !file.timeseries) {
    analysis::TimeSeriesSet ts;
    ts.start_h = timeseries_step_h;
    ts.step_h = timeseries_step_h;
    ts.points = models::series_points(s.horizon_h, timeseries_step_h);
    for (const models::KpiInfo& info : models::series_table()) {
      const std::string unit = std::string(info.unit) == "money" ? s.currency : info.unit;
      ts.series.push_back({info.name, unit, info.description, {}});
    }
    file.timeseries = std::move(ts);
  }
  if (record_items && !file.requests) file.requests = request_layout(s);
  for (const ExperimentRun& run : runs) {
    const auto row = static_cast<std::uint32_t>(file.runs.size());
    for (std::size_t k = 0; k < models::kpi_count; ++k)
      values[k] = run.ok ? run.result.kpi[k] : nan;
    file.runs.add_run(s.models[run.model].id, static_cast<std::uint32_t>(run.replication), point,
                      sim::derive_stream_seed(s.seed, run.replication, "run"),
                      run.ok ? analysis::run_status_ok : analysis::run_status_failed, run.error,
                      values);
    // The verdict columns exist once any run was tested; earlier rows are "not tested".
    const bool tested = run.ok && run.result.stationarity != models::Stationarity::not_tested;
    if (tested || !file.runs.steady.empty()) {
      file.runs.steady.resize(row, not_tested);
      file.runs.backlog_slope_per_year.resize(row, nan);
      file.runs.steady.push_back(tested ? static_cast<std::uint8_t>(run.result.stationarity)
                                        : not_tested);
      file.runs.backlog_slope_per_year.push_back(tested ? run.result.backlog_slope_per_year : nan);
    }
    if (file.timeseries) {
      analysis::TimeSeriesSet& ts = *file.timeseries;
      const bool have = run.ok && run.result.series_points == ts.points &&
                        run.result.series.size() == models::series_count * ts.points;
      for (std::size_t k = 0; k < ts.series.size(); ++k) {
        std::vector<double>& v = ts.series[k].values;
        if (have) {
          const auto first = run.result.series.begin() + static_cast<std::ptrdiff_t>(k * ts.points);
          v.insert(v.end(), first, first + ts.points);
        } else {
          v.insert(v.end(), ts.points, nan);
        }
      }
    }
    add_pool_rows(file, s, run, row);
    if (file.requests && run.ok) append_request_rows(*file.requests, s, run, row);
  }
  summarize_pool_tables(file);
}

std::vector<std::string> describe_stationarity(const analysis::ResultsFile& file, double level,
                                               const std::vector<std::string>& paths) {
  const analysis::RunTable& r = file.runs;
  std::vector<std::string> lines;
  if (r.steady.size() != r.size()) return lines;
  for (const std::string& model : file.models) {
    if (std::find(paths.begin(), paths.end(), model) != paths.end()) {
      lines.push_back("  " + model +
                      ": a reorganisation path, not meant to be steady (its J-curve below)");
      continue;
    }
    std::size_t steady = 0, trending = 0, too_short = 0;
    std::vector<double> slopes; // of the trending runs
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (r.model[i] != model || r.status[i] != analysis::run_status_ok) continue;
      switch (static_cast<models::Stationarity>(r.steady[i])) {
      case models::Stationarity::steady:
        ++steady;
        break;
      case models::Stationarity::trending:
        ++trending;
        slopes.push_back(r.backlog_slope_per_year[i]);
        break;
      case models::Stationarity::too_short:
        ++too_short;
        break;
      default:
        break;
      }
    }
    const std::size_t tested = steady + trending;
    if (tested + too_short == 0) continue;
    std::string line = "  " + model + ": ";
    if (tested > 0 && binomial_tail(trending, tested, level) < level) {
      std::sort(slopes.begin(), slopes.end());
      const std::size_t h = slopes.size() / 2;
      const double median = slopes.size() % 2 == 1 ? slopes[h] : (slopes[h - 1] + slopes[h]) / 2;
      line += std::string("backlog still ") + (median >= 0 ? "growing" : "shrinking") + " in " +
              std::to_string(trending) + " of " + std::to_string(tested) + runs_word(tested) +
              ": " + signed_items(median) + " items a year (median); results depend on the horizon";
    } else if (tested > 0) {
      line += "steady in " + std::to_string(steady) + " of " + std::to_string(tested) +
              runs_word(tested);
      if (trending > 0) {
        line += " (" + std::to_string(trending) + " flagged, as the test's false alarms can)";
      }
    }
    if (too_short > 0) {
      if (tested > 0) line += "; ";
      line += "cannot tell in " + std::to_string(too_short) + runs_word(too_short) +
              ": the run is too short for the stationarity test";
    }
    lines.push_back(std::move(line));
  }
  if (!lines.empty()) {
    char head[160];
    std::snprintf(head, sizeof head,
                  "Backlog after the warm-up (batch-means trend test, %g%% false alarms a run):",
                  100 * level);
    lines.insert(lines.begin(), head);
  }
  return lines;
}

} // namespace itsim::experiments
