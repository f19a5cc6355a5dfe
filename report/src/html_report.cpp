// SPDX-License-Identifier: Apache-2.0
// The board pack: one self-contained HTML page from a results file (docs/report.md).
#include "itsim/report/html_report.hpp"

#include "atomic_output.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/models/kpi.hpp"
#include "itsim/models/org_model.hpp"
#include "json.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace itsim::report {

namespace detail {
std::span<const std::string_view> asset_vega();
std::span<const std::string_view> asset_vega_lite();
std::span<const std::string_view> asset_vega_embed();
} // namespace detail

namespace {

using analysis::ComparisonRow;
using analysis::KpiDifference;
using analysis::KpiSummary;
using analysis::ResultsFile;
using analysis::Summary;
using analysis::SummaryRow;
using detail::json_number;
using detail::json_string;

constexpr double hours_per_week = 168.0;

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

/// Exact value for a data attribute (17 significant digits: what h5py reads back).
std::string exact(double x) {
  if (!std::isfinite(x)) return "NaN";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

/// `x` with three significant digits and k/M/B for large magnitudes: 15.6M, 0.727, 40.7.
std::string sig3(double x, bool plus = false) {
  if (!std::isfinite(x)) return "n/a";
  const double a = std::fabs(x);
  const char* suffix = "";
  double v = x;
  if (a >= 1e9) {
    v = x / 1e9;
    suffix = "B";
  } else if (a >= 1e6) {
    v = x / 1e6;
    suffix = "M";
  } else if (a >= 1e4) {
    v = x / 1e3;
    suffix = "k";
  }
  const double av = std::fabs(v);
  int decimals = 0;
  if (av == 0.0)
    decimals = 0;
  else if (av < 1.0)
    decimals = std::min(6, 2 - static_cast<int>(std::floor(std::log10(av))));
  else if (av < 10.0)
    decimals = 2;
  else if (av < 100.0)
    decimals = 1;
  char buf[64];
  std::snprintf(buf, sizeof buf, plus ? "%+.*f%s" : "%.*f%s", decimals, v, suffix);
  std::string s = buf;
  if (s == "-0" || s == "+0" || s == "-0.00" || s == "+0.00") s = "0";
  return s;
}

std::string money(double x, const std::string& currency, bool plus = false) {
  std::string s = sig3(x, plus);
  if (!std::isfinite(x)) return s;
  if (currency == "USD") {
    // +$15.6M, -$52.3k
    if (s[0] == '+' || s[0] == '-') return s.substr(0, 1) + "$" + s.substr(1);
    return "$" + s;
  }
  return s + " " + currency;
}

struct Context {
  const ResultsFile& file;
  const Summary& summary;
  std::string currency = "money";
  std::string horizon;
  std::string warmup;
  YAML::Node yaml;
};

std::string unit_label(const Context& c, const std::string& unit) {
  if (unit == "money") return c.currency;
  if (unit == "h") return "hours";
  return unit;
}

std::string value_text(const Context& c, double x, const std::string& unit, bool plus = false) {
  if (unit == "money") return money(x, c.currency, plus);
  if (unit == "share" && std::isfinite(x)) {
    // A difference of shares is in percentage points.
    return sig3(100.0 * x, plus) + (plus ? " pp" : "%");
  }
  return sig3(x, plus);
}

int kpi_index(const Summary& s, std::string_view name) {
  for (std::size_t i = 0; i < s.kpi_names.size(); ++i)
    if (s.kpi_names[i] == name) return static_cast<int>(i);
  return -1;
}

const SummaryRow* summary_row(const Summary& s, const std::string& model, std::uint32_t point) {
  for (const auto& r : s.rows)
    if (r.model == model && r.point == point) return &r;
  return nullptr;
}

const ComparisonRow* comparison_row(const Summary& s, const std::string& model,
                                    std::uint32_t point) {
  for (const auto& r : s.comparison)
    if (r.model == model && r.point == point) return &r;
  return nullptr;
}

models::Better better_of(std::string_view kpi) {
  const models::Kpi k = models::kpi_named(kpi);
  return k == models::Kpi::count ? models::Better::none : models::info(k).better;
}

/// Significance in words: "better", "worse", "higher", "lower" or "no clear difference".
std::string verdict(const KpiDifference& d, std::string_view kpi) {
  if (!d.significant) return "no clear difference";
  const bool up = d.mean > 0.0;
  switch (better_of(kpi)) {
  case models::Better::higher:
    return up ? "better" : "worse";
  case models::Better::lower:
    return up ? "worse" : "better";
  default:
    return up ? "higher" : "lower";
  }
}

std::string scalar(const YAML::Node& n, const std::string& fallback = "") {
  if (n && n.IsScalar()) return n.as<std::string>();
  return fallback;
}

/// Mean over ok replications of one series per (model, time), thinned to at most
/// `max_points` samples per model; rows {model, week, value}.
std::string series_rows(const Context& c, const std::string& series, std::size_t max_points) {
  const auto& ts = *c.file.timeseries;
  const analysis::TimeSeries* s = nullptr;
  for (const auto& x : ts.series)
    if (x.name == series) s = &x;
  if (s == nullptr || ts.points == 0) return "[]";
  const std::size_t n = ts.points;
  const std::size_t stride = std::max<std::size_t>(1, (n + max_points - 1) / max_points);
  std::string out = "[";
  bool first = true;
  for (const auto& model : c.file.models) {
    std::vector<double> sum(n, 0.0);
    std::vector<std::uint32_t> count(n, 0);
    for (std::size_t r = 0; r < c.file.runs.size(); ++r) {
      if (c.file.runs.model[r] != model || c.file.runs.point[r] != 0 ||
          c.file.runs.status[r] != analysis::run_status_ok)
        continue;
      for (std::size_t i = 0; i < n; ++i) {
        const double v = s->values[r * n + i];
        if (std::isfinite(v)) {
          sum[i] += v;
          ++count[i];
        }
      }
    }
    for (std::size_t i = 0; i < n; i += stride) {
      if (count[i] == 0) continue;
      if (!first) out += ',';
      first = false;
      out += "{\"model\":" + json_string(model) +
             ",\"week\":" + json_number(ts.time_h(i) / hours_per_week, 5) +
             ",\"value\":" + json_number(sum[i] / count[i]) + "}";
    }
  }
  return out + "]";
}

struct Chart {
  std::string id;
  std::string title;
  std::string caption;
  std::string spec; // Vega-Lite JSON
};

std::string vl_head(int width, int height) {
  return "\"$schema\":\"https://vega.github.io/schema/vega-lite/v6.json\",\"width\":" +
         std::to_string(width) + ",\"height\":" + std::to_string(height) +
         ",\"config\":{\"font\":\"Helvetica, Arial, sans-serif\",\"view\":{\"stroke\":null}},";
}

std::string model_color_scale(const Context& c) {
  std::string domain = "[";
  for (std::size_t i = 0; i < c.file.models.size(); ++i)
    domain += (i ? "," : "") + json_string(c.file.models[i]);
  return "{\"domain\":" + domain + "],\"scheme\":\"tableau10\"}";
}

/// Forest plot: the paired difference of a few KPIs per model, with the CI.
std::optional<Chart> forest_chart(const Context& c) {
  if (c.summary.comparison.empty()) return std::nullopt;
  const std::vector<std::string> kpis = {"net_value", "cost_total", "value_gross",
                                         "lead_time_mean_h", "sla_attainment"};
  std::string rows = "[";
  bool first = true;
  for (const auto& kpi : kpis) {
    const int k = kpi_index(c.summary, kpi);
    if (k < 0) continue;
    const std::string unit = c.summary.kpi_units[static_cast<std::size_t>(k)];
    const std::string label = kpi + " (" + unit_label(c, unit) + ")";
    for (const auto& row : c.summary.comparison) {
      if (row.point != 0) continue;
      const auto& d = row.kpis[static_cast<std::size_t>(k)];
      if (!std::isfinite(d.mean)) continue;
      const double h = std::isfinite(d.ci_half_width) ? d.ci_half_width : 0.0;
      if (!first) rows += ',';
      first = false;
      rows += "{\"kpi\":" + json_string(label) + ",\"model\":" + json_string(row.model) +
              ",\"diff\":" + json_number(d.mean) + ",\"lo\":" + json_number(d.mean - h) +
              ",\"hi\":" + json_number(d.mean + h) +
              ",\"verdict\":" + json_string(verdict(d, kpi)) + "}";
    }
  }
  rows += "]";
  Chart chart;
  chart.id = "forest";
  chart.title = "Paired differences against " + c.summary.baseline;
  chart.caption = "Mean of (model - " + c.summary.baseline +
                  ") over paired replications (common random numbers), with its 95% "
                  "confidence interval; the dashed line is no difference.";
  chart.spec =
      "{\"$schema\":\"https://vega.github.io/schema/vega-lite/v6.json\",\"config\":{\"font\":"
      "\"Helvetica, Arial, sans-serif\"},\"data\":{\"values\":" +
      rows +
      "},\"facet\":{\"row\":{\"field\":\"kpi\",\"type\":\"nominal\",\"title\":null,\"header\":{"
      "\"labelAngle\":0,\"labelAlign\":\"left\",\"labelFontWeight\":\"bold\"},\"sort\":null}},"
      "\"resolve\":{\"scale\":{\"x\":\"independent\"}},\"spec\":{\"width\":520,\"height\":{"
      "\"step\":18},\"layer\":[{\"mark\":{\"type\":\"rule\",\"strokeDash\":[4,3],\"color\":"
      "\"#888\"},\"encoding\":{\"x\":{\"datum\":0,\"type\":\"quantitative\"}}},{\"mark\":"
      "\"rule\",\"encoding\":{\"y\":{\"field\":\"model\",\"type\":\"nominal\",\"title\":null,"
      "\"sort\":null},\"x\":{\"field\":\"lo\",\"type\":\"quantitative\",\"title\":null,"
      "\"scale\":{\"zero\":true}},\"x2\":{\"field\":\"hi\"},\"color\":{\"field\":\"model\","
      "\"scale\":" +
      model_color_scale(c) +
      ",\"legend\":null}}},{\"mark\":{\"type\":\"point\",\"filled\":true,\"size\":60},"
      "\"encoding\":{\"y\":{\"field\":\"model\",\"type\":\"nominal\",\"sort\":null},\"x\":{"
      "\"field\":\"diff\",\"type\":\"quantitative\"},\"color\":{\"field\":\"model\",\"scale\":" +
      model_color_scale(c) +
      ",\"legend\":null},\"tooltip\":[{\"field\":\"model\"},{\"field\":\"diff\"},{\"field\":"
      "\"lo\"},{\"field\":\"hi\"},{\"field\":\"verdict\"}]}}]}}";
  return chart;
}

std::optional<Chart> series_chart(const Context& c, const std::string& series,
                                  const std::string& id, const std::string& title,
                                  const std::string& axis, const std::string& caption) {
  if (!c.file.timeseries) return std::nullopt;
  const std::string rows = series_rows(c, series, 200);
  if (rows == "[]") return std::nullopt;
  Chart chart;
  chart.id = id;
  chart.title = title;
  chart.caption = caption;
  chart.spec = "{" + vl_head(560, 260) + "\"data\":{\"values\":" + rows +
               "},\"mark\":{\"type\":\"line\",\"strokeWidth\":2},\"encoding\":{\"x\":{\"field\":"
               "\"week\",\"type\":\"quantitative\",\"title\":\"weeks from the start\"},\"y\":{"
               "\"field\":\"value\",\"type\":\"quantitative\",\"title\":" +
               json_string(axis) +
               "},\"color\":{\"field\":\"model\",\"type\":\"nominal\",\"sort\":null,\"scale\":" +
               model_color_scale(c) + "}}}";
  return chart;
}

double table_number(const analysis::Table& t, std::string_view column, std::size_t row) {
  const auto* col = t.column(column);
  if (col == nullptr) return std::nan("");
  if (const auto* v = std::get_if<std::vector<double>>(&col->values)) return (*v)[row];
  if (const auto* v = std::get_if<std::vector<std::uint32_t>>(&col->values)) return (*v)[row];
  if (const auto* v = std::get_if<std::vector<std::uint64_t>>(&col->values))
    return static_cast<double>((*v)[row]);
  return std::nan("");
}

std::string table_string(const analysis::Table& t, std::string_view column, std::size_t row) {
  const auto* col = t.column(column);
  if (col == nullptr) return {};
  if (const auto* v = std::get_if<std::vector<std::string>>(&col->values)) return (*v)[row];
  return {};
}

std::optional<Chart> jcurve_chart(const Context& c) {
  const analysis::Table* curves = c.file.table("path_curves");
  const analysis::Table* paths = c.file.table("paths");
  if (curves == nullptr || paths == nullptr || curves->rows() == 0) return std::nullopt;
  // At most 300 samples a path.
  std::map<std::string, std::size_t> per_path;
  for (std::size_t r = 0; r < curves->rows(); ++r)
    ++per_path[table_string(*curves, "path", r)];
  std::string rows = "[";
  bool first = true;
  std::map<std::string, std::size_t> seen;
  for (std::size_t r = 0; r < curves->rows(); ++r) {
    const std::string path = table_string(*curves, "path", r);
    const std::size_t stride = std::max<std::size_t>(1, (per_path[path] + 299) / 300);
    if (seen[path]++ % stride != 0) continue;
    if (!first) rows += ',';
    first = false;
    rows += "{\"path\":" + json_string(path) +
            ",\"week\":" + json_number(table_number(*curves, "time_h", r) / hours_per_week, 5) +
            ",\"mean\":" + json_number(table_number(*curves, "mean", r)) +
            ",\"lower\":" + json_number(table_number(*curves, "lower", r)) +
            ",\"upper\":" + json_number(table_number(*curves, "upper", r)) + "}";
  }
  rows += "]";
  std::string marks = "[";
  first = true;
  for (std::size_t r = 0; r < paths->rows(); ++r) {
    const double be = table_number(*paths, "break_even_h", r);
    if (!std::isfinite(be)) continue;
    if (!first) marks += ',';
    first = false;
    marks += "{\"path\":" + json_string(table_string(*paths, "path", r)) +
             ",\"week\":" + json_number(be / hours_per_week, 5) + "}";
  }
  marks += "]";
  Chart chart;
  chart.id = "jcurve";
  chart.title = "Reorganisation paths: the J-curve";
  chart.caption = "Mean paired difference of cumulative net value (" + c.currency +
                  "), each path minus the model it starts from, with its 95% confidence "
                  "band; dashed verticals mark the break-even (the first sample from which "
                  "the mean stays above 0).";
  const std::string color =
      "\"color\":{\"field\":\"path\",\"type\":\"nominal\",\"scale\":{\"scheme\":\"dark2\"}}";
  chart.spec =
      "{" + vl_head(560, 280) + "\"layer\":[{\"data\":{\"values\":" + rows +
      "},\"mark\":{\"type\":\"area\",\"opacity\":0.2},\"encoding\":{\"x\":{\"field\":\"week\","
      "\"type\":\"quantitative\",\"title\":\"weeks from the start\"},\"y\":{\"field\":"
      "\"lower\",\"type\":\"quantitative\",\"title\":" +
      json_string("cumulative net value vs start (" + c.currency + ")") +
      "},\"y2\":{\"field\":\"upper\"}," + color + "}},{\"data\":{\"values\":" + rows +
      "},\"mark\":{\"type\":\"line\",\"strokeWidth\":2},\"encoding\":{\"x\":{\"field\":\"week\","
      "\"type\":\"quantitative\"},\"y\":{\"field\":\"mean\",\"type\":\"quantitative\"}," +
      color +
      "}},{\"data\":{\"values\":[{\"y\":0}]},\"mark\":{\"type\":\"rule\",\"color\":\"#888\"},"
      "\"encoding\":{\"y\":{\"field\":\"y\",\"type\":\"quantitative\"}}},{\"data\":{\"values\":" +
      marks +
      "},\"mark\":{\"type\":\"rule\",\"strokeDash\":[4,3]},\"encoding\":{\"x\":{\"field\":"
      "\"week\",\"type\":\"quantitative\"}," +
      color + "}}]}";
  return chart;
}

std::optional<Chart> parts_chart(const Context& c) {
  // net_value = value_gross + shadow_value - downtime_cost - cost_total, and cost_total is
  // it_cost + shadow_cost + rotation_business_cost + provider_cost + reorg_cost.
  const std::vector<std::pair<std::string, double>> parts = {
      {"value_gross", 1.0}, {"shadow_value", 1.0},  {"downtime_cost", -1.0},
      {"it_cost", -1.0},    {"shadow_cost", -1.0},  {"rotation_business_cost", -1.0},
      {"reorg_cost", -1.0}, {"provider_cost", -1.0}};
  const int net = kpi_index(c.summary, "net_value");
  if (net < 0) return std::nullopt;
  std::string rows = "[";
  bool first = true;
  auto add = [&](const std::string& model, const std::string& part, double v) {
    if (!first) rows += ',';
    first = false;
    rows += "{\"model\":" + json_string(model) + ",\"part\":" + json_string(part) +
            ",\"value\":" + json_number(v) + "}";
  };
  for (const auto& model : c.file.models) {
    const SummaryRow* row = summary_row(c.summary, model, 0);
    if (row == nullptr) continue;
    double sum = 0.0;
    for (const auto& [name, sign] : parts) {
      const int k = kpi_index(c.summary, name);
      if (k < 0) continue;
      const double v = sign * row->kpis[static_cast<std::size_t>(k)].mean;
      if (!std::isfinite(v)) continue;
      sum += v;
      add(model, (sign < 0 ? "- " : "+ ") + name, v);
    }
    const double total = row->kpis[static_cast<std::size_t>(net)].mean;
    const double rest = total - sum;
    if (std::isfinite(rest) && std::fabs(rest) > 1e-6 * std::max(1.0, std::fabs(total)))
      add(model, "other", rest);
    add(model, "= net_value", total);
  }
  rows += "]";
  Chart chart;
  chart.id = "parts";
  chart.title = "Net value and its parts";
  chart.caption = "Mean over replications, in " + c.currency +
                  ", over the measured window: value earned plus shadow systems' value, less "
                  "downtime, IT staff, shadow IT, rotation, reorganisation and providers' cost.";
  chart.spec = "{" + vl_head(520, 0) + "\"data\":{\"values\":" + rows +
               "},\"height\":{\"step\":9},\"mark\":\"bar\",\"encoding\":{\"y\":{\"field\":"
               "\"part\",\"type\":\"nominal\",\"sort\":null,\"title\":null},\"yOffset\":{"
               "\"field\":\"model\",\"sort\":null},\"x\":{\"field\":\"value\",\"type\":"
               "\"quantitative\",\"title\":" +
               json_string(c.currency) +
               "},\"color\":{\"field\":\"model\",\"type\":\"nominal\",\"sort\":null,\"scale\":" +
               model_color_scale(c) +
               "},\"tooltip\":[{\"field\":\"model\"},{\"field\":\"part\"},{\"field\":\"value\","
               "\"format\":\",.0f\"}]}}";
  return chart;
}

std::optional<Chart> utilisation_chart(const Context& c) {
  const analysis::Table* t = c.file.table("resources_summary");
  if (t == nullptr || t->rows() == 0 || t->column("utilisation_mean") == nullptr)
    return std::nullopt;
  std::string rows = "[";
  bool first = true;
  for (std::size_t r = 0; r < t->rows(); ++r) {
    if (table_number(*t, "point", r) != 0.0) continue;
    const double u = table_number(*t, "utilisation_mean", r);
    const double h = table_number(*t, "utilisation_ci", r);
    if (!first) rows += ',';
    first = false;
    rows += "{\"model\":" + json_string(table_string(*t, "model", r)) +
            ",\"resource\":" + json_string(table_string(*t, "resource", r)) +
            ",\"u\":" + json_number(u) + ",\"lo\":" + json_number(std::isfinite(h) ? u - h : u) +
            ",\"hi\":" + json_number(std::isfinite(h) ? u + h : u) + "}";
  }
  rows += "]";
  Chart chart;
  chart.id = "utilisation";
  chart.title = "Utilisation per team and pool";
  chart.caption = "Busy over available server-hours after the warm-up, mean over "
                  "replications with its 95% confidence interval.";
  chart.spec = "{" + vl_head(520, 0) + "\"data\":{\"values\":" + rows +
               "},\"height\":{\"step\":8},\"encoding\":{\"y\":{\"field\":\"resource\",\"type\":"
               "\"nominal\",\"sort\":null,\"title\":null},\"yOffset\":{\"field\":\"model\","
               "\"sort\":null}},\"layer\":[{\"mark\":\"bar\",\"encoding\":{\"x\":{\"field\":"
               "\"u\",\"type\":\"quantitative\",\"title\":\"utilisation\",\"axis\":{"
               "\"format\":\".0%\"},\"scale\":{\"domain\":[0,1]}},\"color\":{\"field\":"
               "\"model\",\"type\":\"nominal\",\"sort\":null,\"scale\":" +
               model_color_scale(c) +
               "}}},{\"mark\":{\"type\":\"rule\",\"color\":\"#333\"},\"encoding\":{\"x\":{"
               "\"field\":\"lo\",\"type\":\"quantitative\"},\"x2\":{\"field\":\"hi\"}}}]}";
  return chart;
}

// ---------------------------------------------------------------------------------------
// Text parts

struct Answer {
  std::string sentence;
  std::vector<std::string> caveats;
};

/// The answer and its caveats, as HTML (`html`) or as plain text for the terminal.
Answer answer(const Context& c, bool html = true, bool stationarity = true) {
  Answer a;
  // Markup only in the page; the terminal gets the same words.
  const auto strong = [html](const std::string& t) {
    return html ? "<strong>" + esc(t) + "</strong>" : t;
  };
  const auto text = [html](const std::string& t) { return html ? esc(t) : t; };
  const auto tagged = [html](const std::string& attr, double v, const std::string& t) {
    return html ? "<span " + attr + "=\"" + exact(v) + "\">" + t + "</span>" : t;
  };
  const Summary& s = c.summary;
  const int net = kpi_index(s, "net_value");
  const std::string window =
      c.horizon.empty() ? std::string("the measured window")
                        : "the measured window (horizon " + c.horizon +
                              (c.warmup.empty() ? "" : " less a warm-up of " + c.warmup) + ")";
  if (net < 0 || s.baseline.empty() || s.comparison.empty()) {
    a.sentence = "This file has no comparison against a baseline model, so there is no answer "
                 "to give: see the KPI table.";
    return a;
  }
  const auto k = static_cast<std::size_t>(net);
  const ComparisonRow* best = nullptr;
  for (const auto& row : s.comparison)
    if (row.point == 0 && std::isfinite(row.kpis[k].mean) &&
        (best == nullptr || row.kpis[k].mean > best->kpis[k].mean))
      best = &row;
  if (best == nullptr) {
    a.sentence = "No model has a paired net value difference against " + s.baseline +
                 " (too many failed runs).";
    return a;
  }
  const KpiDifference& d = best->kpis[k];
  // Paired replications in which the model is ahead, from /runs.
  const analysis::KpiColumn* col = c.file.runs.kpi("net_value");
  std::uint32_t ahead = 0;
  std::uint32_t pairs = 0;
  if (col != nullptr) {
    std::map<std::uint32_t, double> base;
    for (std::size_t r = 0; r < c.file.runs.size(); ++r)
      if (c.file.runs.model[r] == s.baseline && c.file.runs.point[r] == 0 &&
          c.file.runs.status[r] == analysis::run_status_ok && std::isfinite(col->values[r]))
        base[c.file.runs.replication[r]] = col->values[r];
    for (std::size_t r = 0; r < c.file.runs.size(); ++r) {
      if (c.file.runs.model[r] != best->model || c.file.runs.point[r] != 0 ||
          c.file.runs.status[r] != analysis::run_status_ok || !std::isfinite(col->values[r]))
        continue;
      const auto it = base.find(c.file.runs.replication[r]);
      if (it == base.end()) continue;
      ++pairs;
      if (col->values[r] > it->second) ++ahead;
    }
  }
  const std::string ci = std::isfinite(d.ci_half_width)
                             ? ", 95% CI " + money(d.mean - d.ci_half_width, c.currency, true) +
                                   " to " + money(d.mean + d.ci_half_width, c.currency, true)
                             : "";
  if (d.mean > 0.0) {
    a.sentence = strong(best->model) + " delivers the most net value: " +
                 tagged("data-answer-diff", d.mean, money(d.mean, c.currency, true)) + " over " +
                 text(window) + " against " + text(s.baseline) + ci + ", ahead in " +
                 std::to_string(ahead) + " of " + std::to_string(pairs) + " paired replications.";
    if (!d.significant)
      a.caveats.push_back("The 95% interval includes 0: " + text(best->model) +
                          " is not distinguishable from " + text(s.baseline) +
                          " on net value with these replications; run more.");
  } else {
    a.sentence = strong(s.baseline) + " (the baseline) delivers the most net value; the nearest, " +
                 text(best->model) + ", is " +
                 tagged("data-answer-diff", d.mean, money(d.mean, c.currency, true)) + " over " +
                 text(window) + ci + ", ahead in " + std::to_string(ahead) + " of " +
                 std::to_string(pairs) + " paired replications.";
  }
  // Stationarity: the models the verdict of `itsim run` flags (more runs trending than the
  // test's false alarms explain); reorganisation paths change by design and are left out.
  if (stationarity) {
    std::vector<std::string> paths;
    if (const analysis::Table* t = c.file.table("paths"))
      for (std::size_t r = 0; r < t->rows(); ++r)
        paths.push_back(table_string(*t, "path", r));
    for (const std::string& line :
         experiments::describe_stationarity(c.file, models::stationarity_level, paths)) {
      if (line.find("results depend on the horizon") == std::string::npos) continue;
      const std::size_t first = line.find_first_not_of(' ');
      a.caveats.push_back(text(line.substr(first == std::string::npos ? 0 : first)) + ".");
    }
  }
  std::uint32_t failed = 0;
  for (const auto& row : s.rows)
    failed += row.runs_failed;
  if (failed > 0)
    a.caveats.push_back(html ? "<span class=\"failed\">" + std::to_string(failed) +
                                   " run(s) failed</span> and are left out of every statistic: "
                                   "see \"Failed runs\" below."
                             : std::to_string(failed) +
                                   " run(s) failed and are left out of every statistic.");
  return a;
}

const std::vector<std::string>& table_kpis() {
  static const std::vector<std::string> k = {
      "demand_generated", "arrivals_to_it", "completed",
      "abandoned",        "backlog_end",    "lead_time_mean_h",
      "lead_time_p95_h",  "sla_attainment", "first_contact_resolution",
      "value_gross",      "cost_total",     "net_value",
      "downtime_cost",    "shadow_builds",  "utilisation_mean",
      "perception"};
  return k;
}

std::string kpi_table(const Context& c, std::uint32_t point) {
  const Summary& s = c.summary;
  std::string h = "<table class=\"kpi\"><thead><tr><th>KPI</th><th>unit</th>";
  std::vector<const SummaryRow*> rows;
  for (const auto& model : c.file.models)
    if (const SummaryRow* r = summary_row(s, model, point)) rows.push_back(r);
  for (const auto* r : rows)
    h += "<th>" + esc(r->model) + (r->model == s.baseline ? " (baseline)" : "") + "</th>";
  h += "</tr></thead><tbody>";
  for (const auto& kpi : table_kpis()) {
    const int k = kpi_index(s, kpi);
    if (k < 0) continue;
    const auto ku = static_cast<std::size_t>(k);
    const std::string& unit = s.kpi_units[ku];
    const models::Kpi id = models::kpi_named(kpi);
    const std::string meaning = id == models::Kpi::count ? "" : models::info(id).description;
    h += "<tr><th title=\"" + esc(meaning) + "\">" + esc(kpi) + "</th><td>" +
         esc(unit_label(c, unit)) + "</td>";
    for (const auto* r : rows) {
      const KpiSummary& m = r->kpis[ku];
      h += "<td data-kpi=\"" + esc(kpi) + "\" data-model=\"" + esc(r->model) + "\" data-mean=\"" +
           exact(m.mean) + "\" data-ci=\"" + exact(m.ci_half_width) + "\"";
      const ComparisonRow* cr = comparison_row(s, r->model, point);
      if (cr != nullptr) {
        const KpiDifference& d = cr->kpis[ku];
        h += " data-diff=\"" + exact(d.mean) + "\" data-diff-ci=\"" + exact(d.ci_half_width) +
             "\" data-significant=\"" + (d.significant ? "1" : "0") + "\"";
      }
      h += "><span class=\"v\">" + value_text(c, m.mean, unit) + "</span>";
      if (std::isfinite(m.ci_half_width))
        h += " <span class=\"ci\">&plusmn;" + value_text(c, m.ci_half_width, unit) + "</span>";
      if (cr != nullptr) {
        const KpiDifference& d = cr->kpis[ku];
        const std::string v = verdict(d, kpi);
        const std::string cls = v == "better" ? "better" : v == "worse" ? "worse" : "same";
        h += "<div class=\"diff " + cls + "\">" + value_text(c, d.mean, unit, true);
        if (std::isfinite(d.ci_half_width))
          h += " (" + value_text(c, d.mean - d.ci_half_width, unit, true) + " to " +
               value_text(c, d.mean + d.ci_half_width, unit, true) + ")";
        h += ": " + v + "</div>";
      }
      h += "</td>";
    }
    h += "</tr>";
  }
  h += "</tbody></table>";
  return h;
}

std::string failed_runs(const Context& c) {
  const auto& runs = c.file.runs;
  std::string h;
  std::size_t shown = 0;
  std::size_t failed = 0;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    if (runs.status[r] == analysis::run_status_ok) continue;
    ++failed;
    if (shown++ >= 50) continue;
    h += "<tr class=\"failed\"><td>" + esc(runs.model[r]) + "</td><td>" +
         std::to_string(runs.replication[r]) + "</td><td>" + std::to_string(runs.point[r]) +
         "</td><td>" + std::to_string(runs.seed[r]) + "</td><td>" + esc(runs.message[r]) +
         "</td></tr>";
  }
  if (failed == 0) return {};
  std::string out = "<section class=\"failed-runs\"><h2>Failed runs</h2><p><span "
                    "class=\"failed\" data-failed-runs=\"" +
                    std::to_string(failed) + "\">" + std::to_string(failed) + " of " +
                    std::to_string(runs.size()) +
                    " runs failed</span>; their KPIs are left out of every statistic." +
                    (failed > 50 ? " The first 50:" : "") +
                    "</p><table><thead><tr><th>model</th><th>replication</th><th>point</th><th>"
                    "seed</th><th>why</th></tr></thead><tbody>" +
                    h + "</tbody></table></section>";
  return out;
}

std::string assumptions(const Context& c) {
  const YAML::Node& y = c.yaml;
  std::string rows;
  auto row = [&](const std::string& key, const std::string& value) {
    rows += "<tr><th>" + esc(key) + "</th><td>" + esc(value) + "</td></tr>";
  };
  row("scenario", scalar(y["name"]) +
                      (scalar(y["description"]).empty() ? "" : ": " + scalar(y["description"])));
  row("horizon", c.horizon);
  row("warm-up", c.warmup);
  row("replications", scalar(y["replications"]));
  row("master seed", std::to_string(c.file.scenario.master_seed));
  row("currency", c.currency);
  row("discount rate", scalar(y["discount_rate"]));
  row("models", [&] {
    std::string m;
    for (const auto& id : c.file.models)
      m += (m.empty() ? "" : ", ") + id;
    return m;
  }());
  row("baseline", c.file.baseline);
  try {
    if (const YAML::Node units = y["organisation"]["units"]; units && units.IsMap()) {
      long total = 0;
      std::string text;
      for (const auto& u : units) {
        const std::string hc = scalar(u.second["headcount"]);
        text += (text.empty() ? "" : ", ") + u.first.as<std::string>() + " " + hc;
        total += std::atol(hc.c_str());
      }
      row("business units (headcount)", text + " (" + std::to_string(total) + " people)");
    }
    if (const YAML::Node pools = y["staff"]["pools"]; pools && pools.IsMap()) {
      for (const auto& p : pools) {
        std::string text = scalar(p.second["headcount"]) + " people";
        if (const std::string role = scalar(p.second["role"]); !role.empty())
          text = role + ", " + text;
        if (const std::string cost = scalar(p.second["cost_per_hour"]); !cost.empty())
          text += ", " + cost + " " + c.currency + " an hour";
        if (const std::string av = scalar(p.second["availability"]); !av.empty() && av != "1")
          text += ", availability " + av;
        row("pool " + p.first.as<std::string>(), text);
      }
    }
    if (const YAML::Node wts = y["demand"]["work_types"]; wts && wts.IsMap()) {
      for (const auto& w : wts) {
        std::string text = scalar(w.second["rate"]);
        if (const std::string e = scalar(w.second["effort"]["mean"]); !e.empty())
          text += ", effort mean " + e;
        row("demand " + w.first.as<std::string>(), text);
      }
    }
    if (const YAML::Node paths = y["paths"]; paths && paths.IsMap()) {
      for (const auto& p : paths)
        row("path " + p.first.as<std::string>(),
            scalar(p.second["from"]) + " to " + scalar(p.second["to"]));
    }
  } catch (const YAML::Exception&) {
    // A scenario shape this page does not know: the full YAML is below anyway.
  }
  return "<table class=\"assumptions\"><tbody>" + rows + "</tbody></table>";
}

std::string sweep_section(const Context& c) {
  const auto& sw = *c.file.sweep;
  const Summary& s = c.summary;
  const int net = kpi_index(s, "net_value");
  std::string h = "<section class=\"sweep\"><h2>Sweep</h2><p class=\"note\">This file is the "
                  "sweep <strong>" +
                  esc(sw.name) + "</strong> (" + esc(sw.design) + " design, " +
                  std::to_string(sw.points) + " points, " + std::to_string(c.file.runs.size()) +
                  " runs). The table gives each model's mean net value per point (first 200 "
                  "points); the charts of a single run (time series, paths, utilisation) do not "
                  "apply, and the sweep's own charts are not in this version of the report.</p>";
  if (net < 0) return h + "</section>";
  const auto k = static_cast<std::size_t>(net);
  std::map<std::uint32_t, std::uint32_t> wins;
  std::map<std::string, std::uint32_t> wins_by_model;
  std::string body;
  std::uint32_t shown = 0;
  std::vector<std::uint32_t> points;
  for (const auto& r : s.rows)
    if (std::find(points.begin(), points.end(), r.point) == points.end()) points.push_back(r.point);
  std::sort(points.begin(), points.end());
  for (const std::uint32_t p : points) {
    std::string best;
    double best_v = -INFINITY;
    std::string cells;
    for (const auto& model : c.file.models) {
      const SummaryRow* r = summary_row(s, model, p);
      const double v = r != nullptr ? r->kpis[k].mean : std::nan("");
      if (std::isfinite(v) && v > best_v) {
        best_v = v;
        best = model;
      }
      cells += "<td data-kpi=\"net_value\" data-model=\"" + esc(model) + "\" data-point=\"" +
               std::to_string(p) + "\" data-mean=\"" + exact(v) + "\">" + money(v, c.currency) +
               (r != nullptr && std::isfinite(r->kpis[k].ci_half_width)
                    ? " <span class=\"ci\">&plusmn;" + money(r->kpis[k].ci_half_width, c.currency) +
                          "</span>"
                    : "") +
               "</td>";
    }
    if (!best.empty()) ++wins_by_model[best];
    if (shown++ < 200)
      body += "<tr><th>" + std::to_string(p) + "</th>" + cells + "<td>" + esc(best) + "</td></tr>";
  }
  std::string head = "<tr><th>point</th>";
  for (const auto& model : c.file.models)
    head += "<th>" + esc(model) + "</th>";
  head += "<th>best</th></tr>";
  std::string w;
  for (const auto& model : c.file.models)
    w += (w.empty() ? "" : ", ") + esc(model) + " at " + std::to_string(wins_by_model[model]);
  h += "<p>Highest mean net value: " + w + " of " + std::to_string(points.size()) +
       " points.</p><table class=\"kpi\"><thead>" + head + "</thead><tbody>" + body +
       "</tbody></table></section>";
  return h;
}

constexpr std::string_view css = R"(
body{font-family:Helvetica,Arial,sans-serif;color:#222;max-width:60rem;margin:1.5rem auto;padding:0 1rem;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:1.6rem;border-bottom:1px solid #ddd}
.meta{color:#666;font-size:.85rem}
.answer{font-size:1.25rem;background:#f3f7fb;border-left:4px solid #2b6cb0;padding:.7rem 1rem;margin:1rem 0 .4rem}
.caveats{color:#8a4b00;font-size:.95rem;margin-top:.2rem}
table{border-collapse:collapse;font-size:.82rem;margin:.5rem 0}th,td{border-bottom:1px solid #e5e5e5;padding:.25rem .5rem;text-align:right;vertical-align:top}
th:first-child{text-align:left}thead th{background:#f6f6f6}.assumptions td{text-align:left}
.ci{color:#777;font-size:.9em}.diff{font-size:.85em;color:#666}.diff.better{color:#1b7f3b}.diff.worse{color:#b42318}
.failed{color:#b42318;font-weight:bold}
section.chart{break-inside:avoid;page-break-inside:avoid;margin:1rem 0}
section.chart .caption{color:#555;font-size:.85rem;margin:.2rem 0 .4rem}
pre{font-size:.72rem;background:#f8f8f8;padding:.5rem;overflow-x:auto;white-space:pre-wrap}
table.kpi,table.assumptions,.answer{break-inside:avoid;page-break-inside:avoid}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}}
)";

constexpr std::string_view embed_script = R"(
(function(){
  var charts = JSON.parse(document.getElementById('itsim-charts').textContent);
  var done = charts.map(function(c){
    return vegaEmbed('#' + c.id, c.spec, {actions:false, renderer:'svg'});
  });
  Promise.all(done).then(function(){
    document.body.setAttribute('data-charts-rendered', String(charts.length));
  }).catch(function(e){
    document.body.setAttribute('data-charts-rendered', 'error');
    console.error('itsim report: a chart failed: ' + e);
  });
})();
)";

void append_asset(std::string& out, std::span<const std::string_view> parts) {
  out += "<script>";
  for (const auto p : parts)
    out += p;
  out += "</script>\n";
}

} // namespace

ReportInput read_report_input(const std::string& results_path) {
  ReportInput in{analysis::read_results(results_path), analysis::read_summary(results_path),
                 std::filesystem::path(results_path).filename().string()};
  return in;
}

namespace {

/// What every part of the report reads of the file: the scenario's currency, horizon and
/// warm-up from its resolved YAML.
Context context_of(const ResultsFile& file, const Summary& summary) {
  Context c{file, summary, "money", "", "", YAML::Node()};
  try {
    c.yaml = YAML::Load(file.scenario.yaml_resolved);
    c.currency = scalar(c.yaml["currency"], "money");
    c.horizon = scalar(c.yaml["horizon"]);
    c.warmup = scalar(c.yaml["warmup"]);
  } catch (const YAML::Exception&) {
    c.yaml = YAML::Node();
  }
  return c;
}

} // namespace

std::vector<std::string> answer_lines(const ResultsFile& file, const Summary& summary,
                                      bool stationarity) {
  const Answer a = answer(context_of(file, summary), /*html=*/false, stationarity);
  std::vector<std::string> lines{a.sentence};
  lines.insert(lines.end(), a.caveats.begin(), a.caveats.end());
  return lines;
}

std::string render_html(const ReportInput& input) {
  const Context c = context_of(input.file, input.summary);
  const auto& prov = input.file.provenance;
  const std::string name = scalar(c.yaml["name"], input.source_name);

  std::vector<Chart> charts;
  const bool sweep = input.file.sweep.has_value();
  if (!sweep) {
    for (auto ch : {forest_chart(c),
                    series_chart(c, "net_value_cumulative", "net-value", "Cumulative net value",
                                 "cumulative net value (" + c.currency + ")",
                                 "Net value accrued since the warm-up, mean over replications, per "
                                 "model (reorganisation paths are models too)."),
                    series_chart(c, "backlog", "backlog", "Backlog", "items in IT",
                                 "Items in IT (queueing, in service, in handoffs), mean over "
                                 "replications."),
                    jcurve_chart(c), parts_chart(c), utilisation_chart(c)})
      if (ch) charts.push_back(std::move(*ch));
  }

  std::string h;
  h.reserve(1200000);
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
       "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:\">\n"
       "<title>itsim board pack: " +
       esc(name) + "</title>\n<style>" + std::string(css) + "</style>\n";
  append_asset(h, detail::asset_vega());
  append_asset(h, detail::asset_vega_lite());
  append_asset(h, detail::asset_vega_embed());
  h += "</head>\n<body data-charts-expected=\"" + std::to_string(charts.size()) + "\">\n";
  h += "<h1>" + esc(name) + ": which operating model?</h1>\n<p class=\"meta\">" +
       esc(scalar(c.yaml["description"])) + "<br>Board pack made " +
       esc(analysis::utc_now_iso8601()) + " by itsim " + esc(prov.itsim_version) + " from " +
       esc(input.source_name) + " (written " + esc(prov.created_utc) + ").</p>\n";

  if (!sweep) {
    const Answer a = answer(c);
    h += "<p class=\"answer\">" + a.sentence + "</p>\n";
    if (!a.caveats.empty()) {
      h += "<ul class=\"caveats\">";
      for (const auto& cv : a.caveats)
        h += "<li>" + cv + "</li>";
      h += "</ul>\n";
    }
    h += "<h2>Key figures</h2><p class=\"meta\">Mean over replications &plusmn; 95% CI "
         "half-width; below, the paired difference against " +
         esc(c.summary.baseline) +
         " with its 95% CI and whether it is significant (better, worse; higher, lower where "
         "neither is better; no clear difference when the interval includes 0). Money in " +
         esc(c.currency) +
         " over the measured window; times in hours; shares in %, their differences in percentage "
         "points (pp).</p>\n" +
         kpi_table(c, 0) + "\n";
  } else {
    h += sweep_section(c);
  }
  h += failed_runs(c);
  if (!charts.empty()) h += "<h2>Charts</h2>\n";
  for (const auto& ch : charts)
    h += "<section class=\"chart\" data-chart=\"" + ch.id + "\"><h3>" + esc(ch.title) +
         "</h3><p class=\"caption\">" + esc(ch.caption) + "</p><div id=\"" + ch.id +
         "\" class=\"vis\"></div></section>\n";

  h += "<h2>Assumptions</h2>\n" + assumptions(c) + "\n";
  h += "<h2>Reproduce</h2><table class=\"assumptions\"><tbody><tr><th>command line</th><td><code>" +
       esc(prov.command_line) + "</code></td></tr><tr><th>itsim version</th><td>" +
       esc(prov.itsim_version) +
       (prov.git_describe.empty() ? "" : " (" + esc(prov.git_describe) + ")") +
       "</td></tr><tr><th>master seed</th><td>" + std::to_string(input.file.scenario.master_seed) +
       "</td></tr><tr><th>results format</th><td>" + esc(prov.format) + " version " +
       std::to_string(prov.format_version) +
       "</td></tr></tbody></table>\n<details><summary>The scenario as run (resolved "
       "YAML)</summary><pre>" +
       esc(input.file.scenario.yaml_resolved) + "</pre></details>\n";

  h += "<script type=\"application/json\" id=\"itsim-charts\">[";
  for (std::size_t i = 0; i < charts.size(); ++i)
    h += (i ? ",\n" : "\n") + std::string("{\"id\":") + json_string(charts[i].id) +
         ",\"spec\":" + charts[i].spec + "}";
  h += "]</script>\n<script>" + std::string(embed_script) + "</script>\n</body></html>\n";
  return h;
}

void write_file_atomically(const std::string& path, const std::string& content, bool force) {
  analysis::detail::check_target(path, force);
  analysis::detail::TempFile temp(path);
  temp.write_and_close(content);
  analysis::detail::publish(temp.path(), path, force);
  temp.release();
}

} // namespace itsim::report
