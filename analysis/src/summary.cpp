// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/summary.hpp"

#include "itsim/analysis/confidence.hpp"
#include "itsim/sim/format.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace itsim::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

KpiSummary summarize_values(std::vector<double>& values, double level) {
  KpiSummary s;
  s.n = static_cast<std::uint32_t>(values.size());
  std::sort(values.begin(), values.end());
  if (values.empty()) {
    s.mean = s.ci_half_width = s.p10 = s.p50 = s.p90 = nan;
    return s;
  }
  if (values.size() == 1) {
    s.mean = values.front();
    s.ci_half_width = nan;
  } else {
    const ConfidenceInterval ci = confidence_interval(values, level);
    s.mean = ci.mean;
    s.ci_half_width = ci.half_width;
  }
  s.p10 = percentile(values, 0.10);
  s.p50 = percentile(values, 0.50);
  s.p90 = percentile(values, 0.90);
  return s;
}

KpiDifference difference(const std::vector<double>& a, const std::vector<double>& b, double level) {
  KpiDifference d;
  d.n = static_cast<std::uint32_t>(a.size());
  if (a.empty()) {
    d.mean = d.ci_half_width = nan;
  } else if (a.size() == 1) {
    d.mean = a.front() - b.front();
    d.ci_half_width = nan;
  } else {
    const ConfidenceInterval ci = paired_difference(a, b, level);
    d.mean = ci.mean;
    d.ci_half_width = ci.half_width;
    d.significant = ci.lower() > 0.0 || ci.upper() < 0.0;
  }
  return d;
}

} // namespace

double percentile(std::span<const double> sorted, double p) {
  if (sorted.empty()) return nan;
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const double lo = std::floor(h);
  const auto i = static_cast<std::size_t>(lo);
  if (i + 1 >= sorted.size()) return sorted.back();
  const double t = h - lo;
  const double a = sorted[i];
  const double b = sorted[i + 1];
  // numpy's _lerp: from the nearer end, so that t = 1 gives b exactly.
  return t >= 0.5 ? b - (b - a) * (1.0 - t) : a + (b - a) * t;
}

Summary summarize(const ResultsFile& file, double level) {
  validate_results(file);
  if (!(level > 0.0 && level < 1.0)) {
    throw std::invalid_argument("summarize: level must be in (0, 1)");
  }
  const RunTable& runs = file.runs;
  Summary s;
  s.level = level;
  s.baseline = file.baseline;
  for (const auto& k : runs.kpis) {
    s.kpi_names.push_back(k.name);
    s.kpi_units.push_back(k.unit);
  }

  // Runs by (model index, point), each group's runs by replication: the statistics do not
  // depend on the order of the rows (shards merged in any order give the same file).
  std::map<std::string, std::size_t> model_index;
  for (std::size_t m = 0; m < file.models.size(); ++m)
    model_index.emplace(file.models[m], m);
  std::map<std::pair<std::size_t, std::uint32_t>, std::vector<std::size_t>> groups;
  for (std::size_t r = 0; r < runs.size(); ++r)
    groups[{model_index.at(runs.model[r]), runs.point[r]}].push_back(r);
  for (auto& [key, members] : groups) {
    std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
      return runs.replication[a] < runs.replication[b];
    });
  }
  const auto ok = [&](std::size_t r) { return runs.status[r] == run_status_ok; };

  std::vector<double> values;
  for (const auto& [key, members] : groups) {
    SummaryRow row;
    row.model = file.models[key.first];
    row.point = key.second;
    for (std::size_t r : members)
      ++(ok(r) ? row.runs_ok : row.runs_failed);
    for (const auto& k : runs.kpis) {
      values.clear();
      for (std::size_t r : members) {
        if (ok(r) && std::isfinite(k.values[r])) values.push_back(k.values[r]);
      }
      row.kpis.push_back(summarize_values(values, level));
    }
    s.rows.push_back(std::move(row));
  }

  if (file.baseline.empty()) return s;
  const std::size_t base = model_index.at(file.baseline);
  std::vector<double> a;
  std::vector<double> b;
  for (const auto& [key, members] : groups) {
    if (key.first == base) continue;
    // The baseline's ok runs at this point, by replication.
    std::map<std::uint32_t, std::size_t> base_runs;
    if (auto it = groups.find({base, key.second}); it != groups.end()) {
      for (std::size_t r : it->second) {
        if (ok(r)) base_runs.emplace(runs.replication[r], r);
      }
    }
    ComparisonRow row;
    row.model = file.models[key.first];
    row.point = key.second;
    for (const auto& k : runs.kpis) {
      a.clear();
      b.clear();
      for (std::size_t r : members) {
        if (!ok(r)) continue;
        const auto it = base_runs.find(runs.replication[r]);
        if (it == base_runs.end()) continue;
        const double x = k.values[r];
        const double y = k.values[it->second];
        if (std::isfinite(x) && std::isfinite(y)) {
          a.push_back(x);
          b.push_back(y);
        }
      }
      row.kpis.push_back(difference(a, b, level));
    }
    s.comparison.push_back(std::move(row));
  }
  return s;
}

namespace {

/// A key value of row `i` as text (for grouping).
std::string key_text(const ItemColumn& c, std::size_t i) {
  if (const auto* v = std::get_if<std::vector<std::string>>(&c.values)) return (*v)[i];
  if (const auto* v = std::get_if<std::vector<std::uint32_t>>(&c.values))
    return std::to_string((*v)[i]);
  throw std::invalid_argument("summarize_table: key column '" + c.name +
                              "' must be uint32 or string");
}

/// Appends value `i` of `from` to `to` (of the same type).
void append_value(ItemColumn& to, const ItemColumn& from, std::size_t i) {
  std::visit(
      [&](auto& dst) {
        using V = std::decay_t<decltype(dst)>;
        dst.push_back(std::get<V>(from.values)[i]);
      },
      to.values);
}

} // namespace

Table summarize_table(const ResultsFile& file, const Table& per_run,
                      std::span<const std::string> keys, std::string group, std::string description,
                      double level) {
  if (!(level > 0.0 && level < 1.0)) {
    throw std::invalid_argument("summarize_table: level must be in (0, 1)");
  }
  const ItemColumn* run_column = per_run.column("run");
  const auto* run_of =
      run_column ? std::get_if<std::vector<std::uint32_t>>(&run_column->values) : nullptr;
  if (run_of == nullptr) {
    throw std::invalid_argument("summarize_table: /" + per_run.group +
                                " needs a uint32 column 'run'");
  }
  std::vector<const ItemColumn*> key_columns;
  for (const std::string& k : keys) {
    const ItemColumn* c = per_run.column(k);
    if (c == nullptr) {
      throw std::invalid_argument("summarize_table: /" + per_run.group + " has no column '" + k +
                                  "'");
    }
    key_columns.push_back(c);
  }
  std::vector<const ItemColumn*> value_columns;
  for (const ItemColumn& c : per_run.columns) {
    const bool is_key = std::find(keys.begin(), keys.end(), c.name) != keys.end();
    if (!is_key && std::holds_alternative<std::vector<double>>(c.values))
      value_columns.push_back(&c);
  }

  std::map<std::string, std::size_t> model_index;
  for (std::size_t m = 0; m < file.models.size(); ++m)
    model_index.emplace(file.models[m], m);
  // Groups by (model, point, key values in order of first appearance): rows of per_run.
  std::map<std::string, std::size_t> key_order;
  std::map<std::tuple<std::size_t, std::uint32_t, std::size_t>, std::vector<std::size_t>> groups;
  const RunTable& runs = file.runs;
  for (std::size_t i = 0; i < per_run.rows(); ++i) {
    const std::uint32_t run = (*run_of)[i];
    if (run >= runs.size()) {
      throw std::invalid_argument("summarize_table: /" + per_run.group + " row " +
                                  std::to_string(i) + " refers to run " + std::to_string(run) +
                                  ", not a row of /runs");
    }
    std::string key;
    for (const ItemColumn* c : key_columns)
      key += key_text(*c, i) + '\x1f';
    const std::size_t order = key_order.emplace(key, key_order.size()).first->second;
    groups[{model_index.at(runs.model[run]), runs.point[run], order}].push_back(i);
  }

  Table out;
  out.group = std::move(group);
  out.description = std::move(description);
  out.attributes.emplace_back("confidence_level", format_double(level, 4));
  out.columns.push_back({"model", "", "model id", std::vector<std::string>{}});
  out.columns.push_back(
      {"point", "", "sweep point index (0 without a sweep)", std::vector<std::uint32_t>{}});
  for (const ItemColumn* c : key_columns) {
    ItemColumn k{c->name, c->unit, c->description, c->values};
    std::visit([](auto& v) { v.clear(); }, k.values);
    out.columns.push_back(std::move(k));
  }
  const std::string percent = std::to_string(static_cast<int>(level * 100.0 + 0.5)) + " %";
  for (const ItemColumn* c : value_columns) {
    out.columns.push_back({c->name + "_n", "", "ok replications with a finite " + c->name,
                           std::vector<std::uint32_t>{}});
    out.columns.push_back({c->name + "_mean", c->unit, "mean of " + c->name + " over replications",
                           std::vector<double>{}});
    out.columns.push_back({c->name + "_ci", c->unit,
                           percent +
                               " confidence interval half-width (Student t) of the mean "
                               "of " +
                               c->name,
                           std::vector<double>{}});
  }

  std::vector<double> values;
  for (const auto& [id, members] : groups) {
    const std::size_t first = members.front();
    std::size_t col = 0;
    std::get<std::vector<std::string>>(out.columns[col++].values)
        .push_back(file.models[std::get<0>(id)]);
    std::get<std::vector<std::uint32_t>>(out.columns[col++].values).push_back(std::get<1>(id));
    for (const ItemColumn* c : key_columns)
      append_value(out.columns[col++], *c, first);
    for (const ItemColumn* c : value_columns) {
      const auto& v = std::get<std::vector<double>>(c->values);
      values.clear();
      for (const std::size_t i : members) {
        if (runs.status[(*run_of)[i]] == run_status_ok && std::isfinite(v[i]))
          values.push_back(v[i]);
      }
      const KpiSummary k = summarize_values(values, level);
      std::get<std::vector<std::uint32_t>>(out.columns[col++].values).push_back(k.n);
      std::get<std::vector<double>>(out.columns[col++].values).push_back(k.mean);
      std::get<std::vector<double>>(out.columns[col++].values).push_back(k.ci_half_width);
    }
  }
  return out;
}

} // namespace itsim::analysis
