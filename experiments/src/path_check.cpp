// SPDX-License-Identifier: Apache-2.0
#include "itsim/experiments/path_check.hpp"

#include <cmath>
#include <map>

#include "itsim/analysis/confidence.hpp"
#include "itsim/sim/format.hpp"
#include "table_text.hpp"

namespace itsim::experiments {

namespace {

constexpr double hours_per_year = 8760.0;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// The first time from which `value(i)` is positive at every sample i >= from up to the
/// last; NaN when the last is not positive.
template <class F>
double stays_positive_from(const std::vector<PathPoint>& curve, std::size_t from, F value) {
  if (curve.empty() || !(value(curve.back()) > 0)) return nan;
  std::size_t i = curve.size() - 1;
  while (i > from && value(curve[i - 1]) > 0)
    --i;
  return curve[i].time_h;
}

std::string years(double h) {
  return std::isfinite(h) ? format_double(h / hours_per_year, 3) + "y" : "-";
}

} // namespace

std::vector<PathOutcome> path_outcomes(const analysis::ResultsFile& file,
                                       const scenarios::Scenario& s, double level) {
  std::vector<PathOutcome> out;
  if (!file.timeseries || file.timeseries->points == 0) return out;
  const analysis::TimeSeriesSet& ts = *file.timeseries;
  const analysis::TimeSeries* values = nullptr;
  for (const analysis::TimeSeries& series : ts.series)
    if (series.name == "net_value_cumulative") values = &series;
  if (values == nullptr) return out;
  const analysis::RunTable& runs = file.runs;
  for (const std::uint32_t p : runs.point)
    if (p != 0) return out; // a sweep
  std::map<std::string, std::map<std::uint32_t, std::size_t>> rows;
  for (std::size_t r = 0; r < runs.model.size(); ++r)
    if (runs.status[r] == analysis::run_status_ok) rows[runs.model[r]][runs.replication[r]] = r;

  for (const scenarios::Scenario::Model& m : s.models) {
    if (!m.path) continue;
    PathOutcome po;
    po.path = m.id;
    po.from = s.models.at(m.path->from).id;
    po.to = s.models.at(m.path->to).id;
    po.first_wave_h = m.path->waves.empty() ? 0.0 : m.path->waves.front().at_h;
    // Replications where both ran.
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    const auto& base = rows[po.from];
    for (const auto& [rep, row] : rows[m.id])
      if (const auto it = base.find(rep); it != base.end()) pairs.emplace_back(row, it->second);
    po.pairs = pairs.size();
    if (pairs.empty()) {
      out.push_back(std::move(po));
      continue;
    }
    std::size_t first = 0; // the first sample at or after the warm-up's end
    while (first < ts.points && ts.time_h(first) < s.warmup_h - 1e-9)
      ++first;
    std::size_t wave_index = 0; // index into the curve of the first sample after the first wave
    std::vector<std::vector<double>> per_pair(pairs.size());
    std::vector<double> a, b;
    for (std::size_t i = first; i < ts.points; ++i) {
      a.clear();
      b.clear();
      for (std::size_t k = 0; k < pairs.size(); ++k) {
        const double va = values->values[pairs[k].first * ts.points + i];
        const double vb = values->values[pairs[k].second * ts.points + i];
        a.push_back(va);
        b.push_back(vb);
        per_pair[k].push_back(va - vb);
      }
      PathPoint p;
      p.time_h = ts.time_h(i);
      if (a.size() >= 2) {
        const analysis::ConfidenceInterval ci = analysis::paired_difference(a, b, level);
        p.mean = ci.mean;
        p.lower = ci.lower();
        p.upper = ci.upper();
      } else {
        p.mean = a[0] - b[0];
      }
      if (p.time_h < po.first_wave_h - 1e-9) wave_index = po.curve.size() + 1;
      po.curve.push_back(p);
    }
    if (po.curve.empty()) {
      out.push_back(std::move(po));
      continue;
    }
    wave_index = std::min(wave_index, po.curve.size() - 1);
    po.trough = po.curve.front();
    for (const PathPoint& p : po.curve)
      if (p.mean < po.trough.mean) po.trough = p;
    po.at_horizon = po.curve.back();
    po.break_even_h =
        stays_positive_from(po.curve, wave_index, [](const PathPoint& p) { return p.mean; });
    po.break_even_early_h =
        stays_positive_from(po.curve, wave_index, [](const PathPoint& p) { return p.upper; });
    po.break_even_late_h =
        stays_positive_from(po.curve, wave_index, [](const PathPoint& p) { return p.lower; });
    std::size_t broke = 0;
    for (const std::vector<double>& d : per_pair)
      if (!d.empty() && d.back() > 0) ++broke;
    po.broke_even_share = double(broke) / double(pairs.size());
    out.push_back(std::move(po));
  }
  return out;
}

void add_path_tables(analysis::ResultsFile& file, const std::vector<PathOutcome>& paths,
                     double level) {
  if (paths.empty()) return;
  using analysis::ItemColumn;
  const std::string unit = "money"; // as the KPIs' (the scenario's currency)
  const auto strings = detail::string_column;
  const auto numbers = detail::number_column;
  const auto push = [](ItemColumn& c, auto value) { detail::push_value(c, std::move(value)); };
  const std::vector<std::pair<std::string, std::string>> attributes = {
      {"series", "net_value_cumulative"},
      {"confidence_level", format_double(level, 6)},
  };
  analysis::Table summary;
  summary.group = "paths";
  summary.description = "reorganisation paths against staying in their starting model: the "
                        "trough and break-even of the paired cumulative net value, with CIs";
  summary.attributes = attributes;
  summary.columns = {
      strings("path", "the path's model id"),
      strings("from", "the model it starts in and is compared with"),
      strings("to", "the model it moves to"),
      numbers("first_wave_h", "h", "when its first wave moves, from the start of the run"),
      ItemColumn{"pairs", "", "replications where both runs succeeded",
                 std::vector<std::uint32_t>{}},
      numbers("trough", unit, "the lowest mean paired difference of cumulative net value"),
      numbers("trough_lower", unit, "its CI's lower bound"),
      numbers("trough_upper", unit, "its CI's upper bound"),
      numbers("trough_h", "h", "when the trough is, from the start of the run"),
      numbers("break_even_h", "h",
              "first time from which the mean difference stays positive; NaN: not within the "
              "horizon"),
      numbers("break_even_early_h", "h", "the same for the CI's upper bound: the earliest"),
      numbers("break_even_late_h", "h",
              "the same for the CI's lower bound: the latest; NaN: not within the horizon"),
      numbers("broke_even_share", "share", "share of pairs ahead at the horizon"),
      numbers("at_horizon", unit, "mean paired difference at the horizon"),
      numbers("at_horizon_lower", unit, "its CI's lower bound"),
      numbers("at_horizon_upper", unit, "its CI's upper bound"),
  };
  analysis::Table curves;
  curves.group = "path_curves";
  curves.description = "the J-curve: paired difference (path - starting model) of cumulative "
                       "net value at every sample from the warm-up's end, with CI bands";
  curves.attributes = attributes;
  curves.columns = {
      strings("path", "the path's model id"),
      numbers("time_h", "h", "hours from the start of the run"),
      numbers("mean", unit, "mean paired difference"),
      numbers("lower", unit, "CI lower bound (NaN with fewer than 2 pairs)"),
      numbers("upper", unit, "CI upper bound"),
  };
  for (const PathOutcome& p : paths) {
    push(summary.columns[0], p.path);
    push(summary.columns[1], p.from);
    push(summary.columns[2], p.to);
    push(summary.columns[3], p.first_wave_h);
    push(summary.columns[4], static_cast<std::uint32_t>(p.pairs));
    push(summary.columns[5], p.curve.empty() ? nan : p.trough.mean);
    push(summary.columns[6], p.curve.empty() ? nan : p.trough.lower);
    push(summary.columns[7], p.curve.empty() ? nan : p.trough.upper);
    push(summary.columns[8], p.curve.empty() ? nan : p.trough.time_h);
    push(summary.columns[9], p.break_even_h);
    push(summary.columns[10], p.break_even_early_h);
    push(summary.columns[11], p.break_even_late_h);
    push(summary.columns[12], p.broke_even_share);
    push(summary.columns[13], p.curve.empty() ? nan : p.at_horizon.mean);
    push(summary.columns[14], p.curve.empty() ? nan : p.at_horizon.lower);
    push(summary.columns[15], p.curve.empty() ? nan : p.at_horizon.upper);
    for (const PathPoint& q : p.curve) {
      push(curves.columns[0], p.path);
      push(curves.columns[1], q.time_h);
      push(curves.columns[2], q.mean);
      push(curves.columns[3], q.lower);
      push(curves.columns[4], q.upper);
    }
  }
  file.tables.push_back(std::move(summary));
  file.tables.push_back(std::move(curves));
}

std::vector<std::string> describe_paths(const std::vector<PathOutcome>& paths) {
  std::vector<std::string> out;
  for (const PathOutcome& p : paths) {
    std::string line = p.path + " (" + p.from + " -> " + p.to + "): ";
    if (p.curve.empty()) {
      out.push_back(line + "no paired runs to compare");
      continue;
    }
    const auto ci = [](const PathPoint& q) {
      return std::isfinite(q.lower) ? " [" + detail::signed_amount(q.lower) + ", " +
                                          detail::signed_amount(q.upper) + "]"
                                    : "";
    };
    line += "trough " + detail::signed_amount(p.trough.mean) + ci(p.trough) + " at " +
            years(p.trough.time_h);
    if (std::isfinite(p.break_even_h)) {
      line += "; break-even at " + years(p.break_even_h) + " [" + years(p.break_even_early_h) +
              ", " +
              (std::isfinite(p.break_even_late_h) ? years(p.break_even_late_h)
                                                  : std::string("not within the horizon")) +
              "]";
    } else {
      line += "; break-even not within the horizon";
      if (std::isfinite(p.break_even_early_h))
        line += " (the CI allows it from " + years(p.break_even_early_h) + ")";
    }
    line += "; at the horizon " + detail::signed_amount(p.at_horizon.mean) + ci(p.at_horizon) +
            ", ahead in " +
            std::to_string(static_cast<long>(std::lround(p.broke_even_share * double(p.pairs)))) +
            " of " + std::to_string(p.pairs) + " runs";
    out.push_back(std::move(line));
  }
  return out;
}

} // namespace itsim::experiments
