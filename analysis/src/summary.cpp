// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/summary.hpp"

#include "itsim/analysis/confidence.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <utility>

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

} // namespace itsim::analysis
