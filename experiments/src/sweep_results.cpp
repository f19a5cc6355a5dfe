// SPDX-License-Identifier: Apache-2.0
// A sweep's results file: /runs with factor columns, /points, /sweep, and the analysis
// that only a whole sweep supports (/sensitivity, /winners), computed from the file's own
// tables so that a merge of shards gives what a serial sweep gives.
#include "itsim/experiments/sweep_results.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "itsim/analysis/summary.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/experiments/sweep_tables.hpp"
#include "itsim/sim/error.hpp"
#include "itsim/sim/random_stream.hpp"

namespace itsim::experiments {

namespace {

const char* const points_group = "points";

bool fixed_column(const std::string& name) {
  static const std::set<std::string> fixed = {"run",  "model",  "replication", "point",
                                              "seed", "status", "message"};
  if (fixed.count(name) > 0) return true;
  for (const models::KpiInfo& k : models::kpi_table())
    if (name == k.name) return true;
  return false;
}

} // namespace

std::string factor_column_name(const std::string& path) {
  std::string name = path;
  std::replace(name.begin(), name.end(), '.', '_');
  return fixed_column(name) ? "factor_" + name : name;
}

std::string shard_file_name(const std::string& output, std::uint32_t k, std::uint32_t n) {
  const std::string tag = ".shard-" + std::to_string(k) + "-of-" + std::to_string(n);
  const std::size_t slash = output.find_last_of('/');
  const std::size_t dot = output.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash) ||
      dot == (slash == std::string::npos ? 0 : slash + 1))
    return output + tag;
  return output.substr(0, dot) + tag + output.substr(dot);
}

analysis::ResultsFile sweep_results(const SweepPlan& plan, std::span<const RunRecord> records,
                                    std::uint32_t shard_k, std::uint32_t shard_n) {
  const scenarios::Scenario& s = plan.base.scenario;
  analysis::ResultsFile f = start_results(s, plan.base.resolved_yaml);
  f.models.clear();
  for (const std::uint32_t m : plan.models)
    f.models.push_back(s.models[m].id);
  const std::string baseline = s.models[s.baseline].id;
  f.baseline = std::find(f.models.begin(), f.models.end(), baseline) != f.models.end()
                   ? baseline
                   : f.models.front();
  // Factor columns, numeric or text.
  const auto& factors = plan.spec.factors;
  std::vector<std::vector<double>> numbers(factors.size());
  std::vector<std::vector<std::string>> texts(factors.size());
  std::vector<double> kpis(models::kpi_count);
  for (const RunRecord& r : records) {
    const RunKey key = plan.run(r.index);
    for (std::size_t k = 0; k < models::kpi_count; ++k)
      kpis[k] = r.kpi[k];
    f.runs.add_run(s.models[key.model].id, key.replication, key.point,
                   sim::derive_stream_seed(s.seed, key.replication, "run"), r.status, r.message,
                   kpis);
    for (std::size_t j = 0; j < factors.size(); ++j) {
      const scenarios::FactorLevel& level = plan.points[key.point][j];
      if (factors[j].numeric()) {
        numbers[j].push_back(*level.number);
      } else {
        texts[j].push_back(level.text);
      }
    }
  }
  analysis::Table points;
  points.group = points_group;
  points.description = "the sweep's design points: the value of every factor at each point";
  points.attributes = {{"design", scenarios::to_string(plan.spec.design)},
                       {"design_seed", std::to_string(plan.spec.design_seed)},
                       {"samples", std::to_string(plan.spec.samples)},
                       {"trajectories", std::to_string(plan.spec.trajectories)},
                       {"levels", std::to_string(plan.spec.levels)},
                       {"constraint", plan.spec.constraint}};
  std::vector<std::uint32_t> index(plan.points.size());
  for (std::uint32_t p = 0; p < index.size(); ++p)
    index[p] = p;
  points.columns.push_back({"point", "", "point index (as /runs point)", index});
  for (std::size_t j = 0; j < factors.size(); ++j) {
    const scenarios::SweepFactor& x = factors[j];
    analysis::FactorColumn c;
    c.name = factor_column_name(x.path);
    c.key_path = x.path;
    c.role = x.lever ? "lever" : "factor";
    c.description = std::string(x.lever ? "lever " : "factor ") + x.path + " at the run's point";
    std::vector<double> point_numbers;
    std::vector<std::string> point_texts;
    for (const auto& pt : plan.points) {
      if (x.numeric()) {
        point_numbers.push_back(*pt[j].number);
      } else {
        point_texts.push_back(pt[j].text);
      }
    }
    if (x.numeric()) {
      c.values = std::move(numbers[j]);
      points.columns.push_back({c.name, "", x.path, std::move(point_numbers)});
    } else {
      c.values = std::move(texts[j]);
      points.columns.push_back({c.name, "", x.path, std::move(point_texts)});
    }
    f.runs.factors.push_back(std::move(c));
  }
  f.tables.push_back(std::move(points));
  analysis::SweepInfo info;
  info.name = plan.spec.name;
  info.yaml = plan.spec.canonical_yaml;
  info.id = plan.id;
  info.runs_total = plan.run_count();
  info.points = static_cast<std::uint32_t>(plan.points.size());
  info.design = scenarios::to_string(plan.spec.design);
  info.shard_index = shard_k;
  info.shard_count = shard_n;
  f.sweep = std::move(info);
  return f;
}

void add_sweep_analysis(analysis::ResultsFile& file) {
  const analysis::Table* points = file.table(points_group);
  if (points == nullptr) throw ModelError("sweep results: no /points table");
  const std::size_t n_points = points->rows();
  const std::vector<NumericFactor> numeric = numeric_factors(file.runs, *points);
  const std::optional<analysis::MorrisDesign> morris = sweep_morris_design(*points, numeric.size());
  analysis::Table sensitivity = sensitivity_table(
      sensitivity_rows(file.runs, file.models, numeric, n_points, morris ? &*morris : nullptr));
  // Where does each model win? Net value per (point, model, replication); without the KPI
  // the table has its columns and no rows.
  const analysis::KpiColumn* net = file.runs.kpi("net_value");
  const std::vector<WinnerRow> winners =
      net != nullptr ? winner_rows(file.runs, file.models, net->values, n_points)
                     : std::vector<WinnerRow>{};
  analysis::Table win = winners_table(winners, net != nullptr ? net->unit : "");
  file.tables.push_back(std::move(sensitivity)); // invalidates `points`
  file.tables.push_back(std::move(win));
}

StreamedSweep write_sweep_results(const std::string& target, const SweepPlan& plan,
                                  const JournalIndex& journals, std::uint64_t first,
                                  std::uint64_t last, std::uint32_t shard_k, std::uint32_t shard_n,
                                  const analysis::Provenance& provenance,
                                  const analysis::WriteOptions& options) {
  const scenarios::Scenario& s = plan.base.scenario;
  StreamedSweep out;
  out.file = sweep_results(plan, {}, shard_k, shard_n); // no runs: the columns and tables
  analysis::ResultsFile& file = out.file;
  file.provenance = provenance;
  const std::size_t n_points = plan.points.size();
  const auto& factors = plan.spec.factors;
  // Widths of the fixed-length string columns of /runs.
  std::size_t model_width = 1;
  for (const std::string& m : file.models)
    model_width = std::max(model_width, m.size());
  std::vector<std::size_t> factor_widths(factors.size(), 1);
  for (const auto& pt : plan.points)
    for (std::size_t j = 0; j < factors.size(); ++j)
      factor_widths[j] = std::max(factor_widths[j], pt[j].text.size());
  analysis::RunsStream stream(target, file.runs, model_width, journals.longest_message(),
                              factor_widths, options);

  // The runs of one point, read in run order.
  analysis::ResultsFile at;
  at.models = file.models;
  at.baseline = file.baseline;
  at.runs.kpis = file.runs.kpis;
  at.runs.factors = file.runs.factors;
  const auto clear_point = [&] {
    analysis::RunTable& r = at.runs;
    r.model.clear();
    r.replication.clear();
    r.point.clear();
    r.seed.clear();
    r.status.clear();
    r.message.clear();
    for (auto& c : r.factors)
      std::visit([](auto& v) { v.clear(); }, c.values);
    for (auto& k : r.kpis)
      k.values.clear();
  };
  analysis::Summary summary;
  summary.baseline = file.baseline;
  for (const analysis::KpiColumn& k : file.runs.kpis) {
    summary.kpi_names.push_back(k.name);
    summary.kpi_units.push_back(k.unit);
  }
  const bool whole = shard_n == 0;
  // Point means per model and KPI (for /sensitivity), NaN where a point has none.
  const std::size_t n_kpis = file.runs.kpis.size();
  std::vector<std::vector<double>> means;
  if (whole)
    means.assign(file.models.size() * n_kpis,
                 std::vector<double>(n_points, std::numeric_limits<double>::quiet_NaN()));
  std::size_t net_kpi = n_kpis;
  for (std::size_t k = 0; k < n_kpis; ++k)
    if (file.runs.kpis[k].name == "net_value") net_kpi = k;
  std::vector<WinnerRow> winners;

  const auto finish_point = [&](std::uint32_t p) {
    if (at.runs.size() == 0) return;
    stream.append_runs(at.runs);
    // The statistics of a point depend on its runs alone; computed as point 0 (point_means
    // and winner_rows size their tables by the point count) and renumbered.
    std::fill(at.runs.point.begin(), at.runs.point.end(), 0u);
    analysis::Summary one = analysis::summarize(at);
    for (auto& row : one.rows) {
      row.point = p;
      summary.rows.push_back(std::move(row));
    }
    for (auto& row : one.comparison) {
      row.point = p;
      summary.comparison.push_back(std::move(row));
    }
    if (whole) {
      for (std::size_t m = 0; m < file.models.size(); ++m)
        for (std::size_t k = 0; k < n_kpis; ++k)
          means[m * n_kpis + k][p] =
              point_means(at.runs, file.models[m], at.runs.kpis[k].values, 1)[0];
      if (net_kpi < n_kpis) {
        WinnerRow w = winner_rows(at.runs, file.models, at.runs.kpis[net_kpi].values, 1)[0];
        w.point = p;
        winners.push_back(std::move(w));
      }
    }
    clear_point();
  };

  std::vector<double> kpis(models::kpi_count);
  std::uint32_t point = 0;
  for (std::uint64_t i = first; i < last; ++i) {
    const RunKey key = plan.run(i);
    if (key.point != point) {
      finish_point(point);
      point = key.point;
    }
    const RunRecord r = journals.read(i);
    for (std::size_t k = 0; k < models::kpi_count; ++k)
      kpis[k] = r.kpi[k];
    at.runs.add_run(s.models[key.model].id, key.replication, key.point,
                    sim::derive_stream_seed(s.seed, key.replication, "run"), r.status, r.message,
                    kpis);
    for (std::size_t j = 0; j < factors.size(); ++j) {
      const scenarios::FactorLevel& level = plan.points[key.point][j];
      if (factors[j].numeric()) {
        std::get<std::vector<double>>(at.runs.factors[j].values).push_back(*level.number);
      } else {
        std::get<std::vector<std::string>>(at.runs.factors[j].values).push_back(level.text);
      }
    }
    ++out.runs;
    if (r.status != analysis::run_status_ok) ++out.failed;
  }
  finish_point(point);
  // summarize()'s order: models in file order, points ascending.
  std::map<std::string, std::size_t> model_index;
  for (std::size_t m = 0; m < file.models.size(); ++m)
    model_index.emplace(file.models[m], m);
  const auto by_model = [&](const auto& a, const auto& b) {
    return model_index.at(a.model) < model_index.at(b.model);
  };
  std::stable_sort(summary.rows.begin(), summary.rows.end(), by_model);
  std::stable_sort(summary.comparison.begin(), summary.comparison.end(), by_model);

  if (whole) {
    const analysis::Table& points = *file.table(points_group);
    const std::vector<NumericFactor> numeric = numeric_factors(file.runs, points);
    const std::optional<analysis::MorrisDesign> morris =
        sweep_morris_design(points, numeric.size());
    analysis::Table sensitivity = sensitivity_table(sensitivity_rows(
        file.models, summary.kpi_names, means, numeric, n_points, morris ? &*morris : nullptr));
    analysis::Table win =
        winners_table(winners, net_kpi < n_kpis ? file.runs.kpis[net_kpi].unit : std::string());
    file.tables.push_back(std::move(sensitivity)); // invalidates `points`
    file.tables.push_back(std::move(win));
  }
  stream.finish(file, summary);
  return out;
}

analysis::ResultsFile merge_shards(std::span<const analysis::ResultsFile> shards,
                                   std::span<const std::string> names) {
  if (shards.empty()) throw MergeError("itsim merge: no shard files given");
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const auto& sw = shards[i].sweep;
    if (!sw || sw->shard_count == 0)
      throw MergeError(names[i] + ": not a shard of a sweep (written by itsim sweep --shard)");
    if (sw->id != shards[0].sweep->id || sw->runs_total != shards[0].sweep->runs_total)
      throw MergeError(names[i] + ": a shard of another sweep (" + sw->name + ", id " + sw->id +
                       ") than " + names[0] + " (" + shards[0].sweep->name + ", id " +
                       shards[0].sweep->id + ")");
    if (shards[i].table(points_group) == nullptr) throw MergeError(names[i] + ": no /points table");
  }
  const analysis::ResultsFile& first = shards[0];
  std::map<std::string, std::size_t> model_order;
  for (std::size_t m = 0; m < first.models.size(); ++m)
    model_order[first.models[m]] = m;
  // Every run once, in run-list order: point, model, replication.
  using Key = std::tuple<std::uint32_t, std::size_t, std::uint32_t>;
  std::map<Key, std::pair<std::size_t, std::size_t>> where; // key -> (shard, row)
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const analysis::RunTable& r = shards[i].runs;
    for (std::size_t row = 0; row < r.size(); ++row) {
      const Key key{r.point[row], model_order.at(r.model[row]), r.replication[row]};
      const auto [it, added] = where.emplace(key, std::make_pair(i, row));
      if (!added)
        throw MergeError(names[i] + ": overlaps " + names[it->second.first] + " (both hold point " +
                         std::to_string(r.point[row]) + ", model " + r.model[row] +
                         ", replication " + std::to_string(r.replication[row]) + ")");
    }
  }
  const std::uint64_t total = first.sweep->runs_total;
  if (where.size() != total) {
    throw MergeError("itsim merge: " + std::to_string(total - where.size()) + " of the sweep's " +
                     std::to_string(total) +
                     " runs are missing; merge every shard (this sweep was "
                     "split into " +
                     std::to_string(first.sweep->shard_count) + ")");
  }
  analysis::ResultsFile out;
  out.scenario = first.scenario;
  out.models = first.models;
  out.baseline = first.baseline;
  out.sweep = first.sweep;
  out.sweep->shard_index = out.sweep->shard_count = 0;
  out.tables.push_back(*first.table(points_group));
  for (const analysis::KpiColumn& k : first.runs.kpis)
    out.runs.kpis.push_back({k.name, k.unit, k.description, {}});
  for (const analysis::FactorColumn& c : first.runs.factors) {
    analysis::FactorColumn e = c;
    std::visit([](auto& v) { v.clear(); }, e.values);
    out.runs.factors.push_back(std::move(e));
  }
  std::vector<double> kpis(first.runs.kpis.size());
  for (const auto& [key, at] : where) {
    const analysis::RunTable& r = shards[at.first].runs;
    const std::size_t row = at.second;
    if (r.kpis.size() != kpis.size() || r.factors.size() != out.runs.factors.size())
      throw MergeError(names[at.first] + ": its columns differ from " + names[0] + "'s");
    for (std::size_t k = 0; k < kpis.size(); ++k)
      kpis[k] = r.kpis[k].values[row];
    out.runs.add_run(r.model[row], r.replication[row], r.point[row], r.seed[row], r.status[row],
                     r.message[row], kpis);
    for (std::size_t j = 0; j < r.factors.size(); ++j) {
      std::visit(
          [&](auto& dst) {
            using V = std::decay_t<decltype(dst)>;
            const V* src = std::get_if<V>(&r.factors[j].values);
            if (src == nullptr)
              throw MergeError(names[at.first] + ": factor " + r.factors[j].name +
                               " has another type than in " + names[0]);
            dst.push_back((*src)[row]);
          },
          out.runs.factors[j].values);
    }
  }
  add_sweep_analysis(out);
  return out;
}

} // namespace itsim::experiments
