// SPDX-License-Identifier: Apache-2.0
#include "itsim/experiments/horizon_check.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "itsim/analysis/confidence.hpp"
#include "itsim/sim/format.hpp"
#include "table_text.hpp"

namespace itsim::experiments {

using detail::signed_amount;

namespace {
constexpr double hours_per_year = 8760.0;
} // namespace

std::vector<double> horizon_checkpoints(double warmup_h, double horizon_h) {
  std::vector<double> out;
  const double measured = horizon_h - warmup_h;
  if (!(measured > 0)) return out;
  if (measured >= 2 * hours_per_year) {
    for (double t = warmup_h + hours_per_year; t <= horizon_h * (1 + 1e-12); t += hours_per_year)
      out.push_back(std::min(t, horizon_h));
    if (out.back() < horizon_h - 1e-9) out.push_back(horizon_h);
  } else {
    for (int q = 1; q <= 4; ++q)
      out.push_back(warmup_h + measured * q / 4);
  }
  return out;
}

HorizonCheck horizon_check(const analysis::ResultsFile& file, double warmup_h,
                           std::string_view series, double level) {
  HorizonCheck check;
  check.series = std::string(series);
  check.baseline = file.baseline;
  check.warmup_h = warmup_h;
  if (!file.timeseries || file.baseline.empty()) return check;
  const analysis::TimeSeriesSet& ts = *file.timeseries;
  const analysis::TimeSeries* values = nullptr;
  for (const analysis::TimeSeries& s : ts.series)
    if (s.name == series) values = &s;
  if (values == nullptr || ts.points == 0) return check;
  check.unit = values->unit;
  const analysis::RunTable& runs = file.runs;
  for (const std::uint32_t p : runs.point)
    if (p != 0) return check; // a sweep: the comparison per point is /winners' job

  // Sample index at or before each checkpoint.
  std::vector<std::pair<double, std::size_t>> samples;
  for (const double t : horizon_checkpoints(warmup_h, ts.time_h(ts.points - 1))) {
    const double i = std::floor((t - ts.start_h) / ts.step_h * (1 + 1e-12));
    if (i < 0) continue;
    const auto index = std::min<std::size_t>(static_cast<std::size_t>(i), ts.points - 1);
    samples.emplace_back(ts.time_h(index), index);
  }
  // Run rows by (model, replication), ok runs only.
  std::map<std::string, std::map<std::uint32_t, std::size_t>> rows;
  for (std::size_t r = 0; r < runs.model.size(); ++r)
    if (runs.status[r] == analysis::run_status_ok) rows[runs.model[r]][runs.replication[r]] = r;
  const auto& base = rows[file.baseline];

  for (const std::string& model : file.models) {
    if (model == file.baseline) continue;
    HorizonComparison cmp;
    cmp.model = model;
    for (const auto& [time_h, index] : samples) {
      std::vector<double> a, b;
      for (const auto& [rep, row] : rows[model]) {
        const auto it = base.find(rep);
        if (it == base.end()) continue;
        const double va = values->values[row * ts.points + index];
        const double vb = values->values[it->second * ts.points + index];
        if (!std::isfinite(va) || !std::isfinite(vb)) continue;
        a.push_back(va);
        b.push_back(vb);
      }
      HorizonPoint p;
      p.time_h = time_h;
      p.half_width = std::numeric_limits<double>::quiet_NaN();
      if (a.size() >= 2) {
        const analysis::ConfidenceInterval ci = analysis::paired_difference(a, b, level);
        p.mean = ci.mean;
        p.half_width = ci.half_width;
        p.significant = ci.lower() > 0 || ci.upper() < 0;
      } else if (a.size() == 1) {
        p.mean = a[0] - b[0];
      } else {
        p.mean = std::numeric_limits<double>::quiet_NaN();
      }
      cmp.points.push_back(p);
    }
    for (std::size_t i = 0; i < cmp.points.size() && !cmp.flips; ++i) {
      if (!cmp.points[i].significant) continue;
      for (std::size_t j = i + 1; j < cmp.points.size(); ++j) {
        if (cmp.points[j].significant && (cmp.points[j].mean > 0) != (cmp.points[i].mean > 0)) {
          cmp.flips = true;
          cmp.flip_from = i;
          cmp.flip_to = j;
          break;
        }
      }
    }
    check.models.push_back(std::move(cmp));
  }
  return check;
}

namespace {

/// A checkpoint's label: the years measured since the warm-up ("1y", "0.19y").
std::string label(double time_h, double warmup_h) {
  return format_double((time_h - warmup_h) / hours_per_year, 3) + "y";
}

} // namespace

std::vector<std::string> describe_horizon_check(const HorizonCheck& check) {
  std::vector<std::string> out;
  for (const HorizonComparison& m : check.models) {
    std::string line = m.model + " - " + check.baseline + ", " + check.series + ":";
    for (const HorizonPoint& p : m.points)
      line += " " + label(p.time_h, check.warmup_h) + " " + signed_amount(p.mean) +
              (p.significant ? "*" : "");
    const auto at = [&](std::size_t i) {
      return signed_amount(m.points[i].mean) + " at " + label(m.points[i].time_h, check.warmup_h);
    };
    if (m.flips) {
      line += "; FLIPS with the horizon: " + at(m.flip_from) + ", " + at(m.flip_to);
    } else if (!m.points.empty() && !m.points.back().significant) {
      for (std::size_t i = 0; i + 1 < m.points.size(); ++i) {
        if (!m.points[i].significant) continue;
        line += "; significant at " + label(m.points[i].time_h, check.warmup_h) +
                ", not at the horizon";
        break;
      }
    }
    out.push_back(std::move(line));
  }
  return out;
}

} // namespace itsim::experiments
