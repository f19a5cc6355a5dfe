// SPDX-License-Identifier: Apache-2.0
// The board pack's charts (docs/report.md, "Charts"): Vega-Lite specifications with their
// data inlined, each a function of the results file and its statistics, so that the page
// and other readers of a results file (itsim serve) draw the same charts.
#include "itsim/report/charts.hpp"

#include "json.hpp"
#include "report_context.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace itsim::report {

namespace detail {

namespace {

using analysis::Summary;
using analysis::SummaryRow;

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
std::optional<ChartSpec> forest_chart(const Context& c) {
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
  ChartSpec chart;
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

std::optional<ChartSpec> series_chart(const Context& c, const std::string& series,
                                      const std::string& id, const std::string& title,
                                      const std::string& axis, const std::string& caption) {
  if (!c.file.timeseries) return std::nullopt;
  const std::string rows = series_rows(c, series, 200);
  if (rows == "[]") return std::nullopt;
  ChartSpec chart;
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

std::optional<ChartSpec> jcurve_chart(const Context& c) {
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
  ChartSpec chart;
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

std::optional<ChartSpec> parts_chart(const Context& c) {
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
  ChartSpec chart;
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

std::optional<ChartSpec> utilisation_chart(const Context& c) {
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
  ChartSpec chart;
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

/// Lead-time distributions per model and work type: the replications' means of each
/// percentile of /lead_time_by_work_type_summary (p10-p90 whisker, p25-p75 box, p50 tick)
/// on a log axis in hours.
std::optional<ChartSpec> lead_time_chart(const Context& c) {
  const analysis::Table* t = c.file.table("lead_time_by_work_type_summary");
  if (t == nullptr || t->rows() == 0 || t->column("lead_time_p50_h_mean") == nullptr)
    return std::nullopt;
  // Below 0.01 h (36 s) a log axis has nothing to show: such values are drawn at 0.01 h.
  static constexpr double floor_h = 0.01;
  const auto at_least = [](double v) { return std::max(v, floor_h); };
  std::string rows = "[";
  bool first = true;
  for (std::size_t r = 0; r < t->rows(); ++r) {
    if (table_number(*t, "point", r) != 0.0) continue;
    double p[6];
    bool finite = true;
    const char* names[6] = {"lead_time_p10_h_mean", "lead_time_p25_h_mean", "lead_time_p50_h_mean",
                            "lead_time_p75_h_mean", "lead_time_p90_h_mean", "lead_time_p95_h_mean"};
    for (int k = 0; k < 6; ++k) {
      p[k] = table_number(*t, names[k], r);
      finite = finite && std::isfinite(p[k]);
    }
    if (!finite) continue; // a work type the model never delivered
    if (!first) rows += ',';
    first = false;
    rows += "{\"model\":" + json_string(table_string(*t, "model", r)) +
            ",\"work_type\":" + json_string(table_string(*t, "work_type", r)) +
            ",\"p10\":" + json_number(at_least(p[0])) + ",\"p25\":" + json_number(at_least(p[1])) +
            ",\"p50\":" + json_number(at_least(p[2])) + ",\"p75\":" + json_number(at_least(p[3])) +
            ",\"p90\":" + json_number(at_least(p[4])) + ",\"p95\":" + json_number(p[5]) +
            ",\"delivered\":" + json_number(table_number(*t, "delivered_mean", r)) + "}";
  }
  rows += "]";
  if (first) return std::nullopt;
  ChartSpec chart;
  chart.id = "lead-time";
  chart.title = "Lead time per work type";
  chart.caption = "Lead time of the items delivered after the warm-up, per work type and "
                  "model (/lead_time_by_work_type): the whisker spans the 10th to 90th "
                  "percentile, the box the 25th to 75th, the tick is the median; each the "
                  "mean over replications. Hours, log scale.";
  const std::string x_title = json_string("lead time (hours, log scale)");
  chart.spec =
      "{" + vl_head(520, 0) + "\"data\":{\"values\":" + rows + "},\"height\":{\"step\":10" +
      "},\"encoding\":{\"y\":{\"field\":\"work_type\",\"type\":\"nominal\",\"sort\":null,"
      "\"title\":null},\"yOffset\":{\"field\":\"model\",\"sort\":null},\"color\":{\"field\":"
      "\"model\",\"type\":\"nominal\",\"sort\":null,\"scale\":" +
      model_color_scale(c) +
      "},\"tooltip\":[{\"field\":\"model\"},{\"field\":\"work_type\"},{\"field\":\"p10\","
      "\"format\":\".3g\"},{\"field\":\"p25\",\"format\":\".3g\"},{\"field\":\"p50\","
      "\"format\":\".3g\"},{\"field\":\"p75\",\"format\":\".3g\"},{\"field\":\"p90\","
      "\"format\":\".3g\"},{\"field\":\"delivered\",\"format\":\",.0f\"}]},\"layer\":[{"
      "\"mark\":{\"type\":\"rule\"},\"encoding\":{\"x\":{\"field\":\"p10\",\"type\":"
      "\"quantitative\",\"scale\":{\"type\":\"log\"},\"title\":" +
      x_title +
      "},\"x2\":{\"field\":\"p90\"}}},{\"mark\":{\"type\":\"bar\",\"opacity\":0.7},"
      "\"encoding\":{\"x\":{\"field\":\"p25\",\"type\":\"quantitative\"},\"x2\":{\"field\":"
      "\"p75\"}}},{\"mark\":{\"type\":\"tick\",\"color\":\"#222\",\"thickness\":2},"
      "\"encoding\":{\"x\":{\"field\":\"p50\",\"type\":\"quantitative\"}}}]}";
  return chart;
}

/// The numeric factors of a sweep's /sensitivity for net value, most influential first: by
/// the mean over models of |SRC| (|mu*| for a Morris design), as stored.
struct Influence {
  std::string factor;   ///< column name (as /points and /runs)
  std::string key_path; ///< the scenario's key path
  double score = 0;
};

bool is_morris(const Context& c) {
  return c.file.sweep && c.file.sweep->design == "morris";
}

std::vector<Influence> net_value_influence(const Context& c) {
  std::vector<Influence> out;
  const analysis::Table* t = c.file.table("sensitivity");
  if (t == nullptr) return out;
  const char* measure = is_morris(c) ? "morris_mu_star" : "src";
  std::map<std::string, std::pair<double, int>> sum;
  for (std::size_t r = 0; r < t->rows(); ++r) {
    if (table_string(*t, "kpi", r) != "net_value") continue;
    const std::string f = table_string(*t, "factor", r);
    if (std::none_of(out.begin(), out.end(), [&](const Influence& i) { return i.factor == f; }))
      out.push_back({f, table_string(*t, "key_path", r), 0.0});
    const double v = table_number(*t, measure, r);
    if (std::isfinite(v)) {
      sum[f].first += std::fabs(v);
      ++sum[f].second;
    }
  }
  for (Influence& i : out)
    i.score = sum[i.factor].second > 0 ? sum[i.factor].first / sum[i.factor].second : 0.0;
  std::stable_sort(out.begin(), out.end(),
                   [](const Influence& a, const Influence& b) { return a.score > b.score; });
  return out;
}

/// Tornado chart: each model's sensitivity of net value to each numeric factor, as stored
/// in /sensitivity (SRC with its CI; Morris mu* for a Morris design).
std::optional<ChartSpec> tornado_chart(const Context& c) {
  const analysis::Table* t = c.file.table("sensitivity");
  if (t == nullptr) return std::nullopt;
  const std::vector<Influence> order = net_value_influence(c);
  const bool morris = is_morris(c);
  std::string rows = "[";
  bool first = true;
  for (std::size_t r = 0; r < t->rows(); ++r) {
    if (table_string(*t, "kpi", r) != "net_value") continue;
    const double v = table_number(*t, morris ? "morris_mu_star" : "src", r);
    if (!std::isfinite(v)) continue;
    const double h = morris ? std::nan("") : table_number(*t, "src_ci", r);
    if (!first) rows += ',';
    first = false;
    rows += "{\"model\":" + json_string(table_string(*t, "model", r)) +
            ",\"factor\":" + json_string(table_string(*t, "key_path", r)) +
            ",\"value\":" + json_number(v) +
            ",\"lo\":" + json_number(std::isfinite(h) ? v - h : v) +
            ",\"hi\":" + json_number(std::isfinite(h) ? v + h : v) +
            ",\"rank\":" + json_number(table_number(*t, "rank", r)) + "}";
  }
  rows += "]";
  if (first) return std::nullopt;
  std::string sort = "[";
  for (std::size_t i = 0; i < order.size(); ++i)
    sort += (i ? "," : "") + json_string(order[i].key_path);
  sort += "]";
  const std::string measure =
      morris ? "Morris mu* of net value (" + c.currency + " per traverse of the factor's range)"
             : "standardised regression coefficient of net value";
  ChartSpec chart;
  chart.id = "tornado";
  chart.title = "What moves net value";
  chart.caption =
      morris ? "Per model and factor, the mean absolute elementary effect (Morris mu*) of net "
               "value over the sweep's points (/sensitivity), most influential factor on top."
             : "Per model and numeric factor, the standardised regression coefficient (SRC) of "
               "net value on the factors over the sweep's points, with its 95% confidence "
               "interval (/sensitivity): the change of net value, in standard deviations, per "
               "standard deviation of the factor. Most influential factor on top.";
  chart.spec =
      "{" + vl_head(520, 0) + "\"data\":{\"values\":" + rows + "},\"height\":{\"step\":10" +
      "},\"encoding\":{\"y\":{\"field\":\"factor\",\"type\":\"nominal\",\"sort\":" + sort +
      ",\"title\":null},\"yOffset\":{\"field\":\"model\",\"sort\":null},\"color\":{\"field\":"
      "\"model\",\"type\":\"nominal\",\"sort\":null,\"scale\":" +
      model_color_scale(c) +
      "},\"tooltip\":[{\"field\":\"model\"},{\"field\":\"factor\"},{\"field\":\"value\","
      "\"format\":\".3g\"},{\"field\":\"lo\",\"format\":\".3g\"},{\"field\":\"hi\",\"format\":"
      "\".3g\"},{\"field\":\"rank\"}]},\"layer\":[{\"mark\":\"bar\",\"encoding\":{\"x\":{"
      "\"field\":\"value\",\"type\":\"quantitative\",\"title\":" +
      json_string(measure) +
      "}}},{\"mark\":{\"type\":\"rule\",\"color\":\"#333\"},\"encoding\":{\"x\":{\"field\":"
      "\"lo\",\"type\":\"quantitative\"},\"x2\":{\"field\":\"hi\"}}}]}";
  return chart;
}

/// Win map: at each point of the sweep, the model with the highest mean net value (/winners,
/// as stored) over the two most influential factors (/points); a heatmap of the model that
/// wins most points of each cell for a grid design, a scatter of the points otherwise.
std::optional<ChartSpec> winmap_chart(const Context& c) {
  const analysis::Table* points = c.file.table("points");
  const analysis::Table* winners = c.file.table("winners");
  if (points == nullptr || winners == nullptr || winners->rows() == 0) return std::nullopt;
  std::vector<Influence> order = net_value_influence(c);
  std::erase_if(order, [&](const Influence& i) {
    const analysis::ItemColumn* col = points->column(i.factor);
    return col == nullptr || !std::holds_alternative<std::vector<double>>(col->values);
  });
  if (order.empty()) return std::nullopt;
  const Influence& fx = order[0];
  const bool two = order.size() >= 2;
  std::map<std::uint32_t, std::size_t> point_row;
  for (std::size_t r = 0; r < points->rows(); ++r)
    point_row[static_cast<std::uint32_t>(table_number(*points, "point", r))] = r;
  const bool grid = c.file.sweep && c.file.sweep->design == "grid";
  // At most 5,000 points are drawn (every k-th point of the sweep beyond that).
  const std::size_t stride = std::max<std::size_t>(1, (winners->rows() + 4999) / 5000);
  std::string rows = "[";
  bool first = true;
  // For a grid: per cell (x, y), wins per model, in the file's model order.
  std::map<std::pair<double, double>, std::vector<std::uint32_t>> cells;
  for (std::size_t r = 0; r < winners->rows(); ++r) {
    const auto p = static_cast<std::uint32_t>(table_number(*winners, "point", r));
    const auto it = point_row.find(p);
    const std::string best = table_string(*winners, "best_model", r);
    if (it == point_row.end() || best.empty()) continue;
    const double x = table_number(*points, fx.factor, it->second);
    const double y = two ? table_number(*points, order[1].factor, it->second) : 0.0;
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    if (grid) {
      std::vector<std::uint32_t>& wins = cells[{x, y}];
      wins.resize(c.file.models.size(), 0);
      for (std::size_t m = 0; m < c.file.models.size(); ++m)
        if (c.file.models[m] == best) ++wins[m];
      continue;
    }
    if (r % stride != 0) continue;
    if (!first) rows += ',';
    first = false;
    rows += "{\"point\":" + std::to_string(p) + ",\"x\":" + json_number(x) +
            (two ? ",\"y\":" + json_number(y) : std::string()) +
            ",\"winner\":" + json_string(best) +
            ",\"margin\":" + json_number(table_number(*winners, "margin", r)) + "}";
  }
  for (const auto& [xy, wins] : cells) {
    std::size_t best = 0;
    std::uint32_t total = 0;
    for (std::size_t m = 0; m < wins.size(); ++m) {
      total += wins[m];
      if (wins[m] > wins[best]) best = m;
    }
    if (!first) rows += ',';
    first = false;
    rows += "{\"x\":" + json_number(xy.first) +
            (two ? ",\"y\":" + json_number(xy.second) : std::string()) +
            ",\"winner\":" + json_string(c.file.models[best]) +
            ",\"wins\":" + std::to_string(wins[best]) + ",\"points\":" + std::to_string(total) +
            "}";
  }
  rows += "]";
  if (first) return std::nullopt;
  ChartSpec chart;
  chart.id = "winmap";
  chart.title = "Where each model wins";
  chart.caption =
      std::string(grid ? "Per cell of the grid, the model with the highest mean net value at "
                         "most of its points"
                       : "Each point of the sweep, coloured by the model with the highest mean "
                         "net value there") +
      " (/winners), over " +
      (two ? "the two factors that move net value most (/sensitivity): " + fx.key_path + " and " +
                 order[1].key_path
           : "the factor that moves net value most (/sensitivity): " + fx.key_path) +
      (stride > 1 ? "; one point in " + std::to_string(stride) + " drawn." : ".");
  const std::string x = "\"x\":{\"field\":\"x\",\"type\":\"" +
                        std::string(grid ? "ordinal" : "quantitative") +
                        "\",\"title\":" + json_string(fx.key_path) +
                        (grid ? "" : ",\"scale\":{\"zero\":false}") + "}";
  const std::string y =
      two ? ",\"y\":{\"field\":\"y\",\"type\":\"" + std::string(grid ? "ordinal" : "quantitative") +
                "\",\"title\":" + json_string(order[1].key_path) +
                (grid ? ",\"sort\":\"descending\"" : ",\"scale\":{\"zero\":false}") + "}"
          : std::string();
  const std::string color = ",\"color\":{\"field\":\"winner\",\"type\":\"nominal\",\"title\":"
                            "\"highest net value\",\"scale\":" +
                            model_color_scale(c) + "}";
  const std::string tooltip =
      grid ? ",\"tooltip\":[{\"field\":\"winner\"},{\"field\":\"wins\"},{\"field\":\"points\"},"
             "{\"field\":\"x\"}" +
                 std::string(two ? ",{\"field\":\"y\"}" : "") + "]"
           : ",\"tooltip\":[{\"field\":\"point\"},{\"field\":\"winner\"},{\"field\":\"margin\","
             "\"format\":\",.0f\"},{\"field\":\"x\"}" +
                 std::string(two ? ",{\"field\":\"y\"}" : "") + "]";
  chart.spec = "{" + vl_head(480, two ? 320 : 60) + "\"data\":{\"values\":" + rows + "},\"mark\":" +
               (grid ? std::string("{\"type\":\"rect\"}")
                     : std::string("{\"type\":\"point\",\"filled\":true,\"size\":70}")) +
               ",\"encoding\":{" + x + y + color + tooltip + "}}";
  return chart;
}

} // namespace

std::vector<ChartSpec> charts_of(const Context& c) {
  std::vector<ChartSpec> charts;
  if (c.file.sweep.has_value()) {
    for (auto ch : {tornado_chart(c), winmap_chart(c)})
      if (ch) charts.push_back(std::move(*ch));
    return charts;
  }
  for (auto ch : {forest_chart(c), lead_time_chart(c),
                  series_chart(c, "net_value_cumulative", "net-value", "Cumulative net value",
                               "cumulative net value (" + c.currency + ")",
                               "Net value accrued since the warm-up, mean over replications, per "
                               "model (reorganisation paths are models too)."),
                  series_chart(c, "backlog", "backlog", "Backlog", "items in IT",
                               "Items in IT (queueing, in service, in handoffs), mean over "
                               "replications."),
                  jcurve_chart(c), parts_chart(c), utilisation_chart(c)})
    if (ch) charts.push_back(std::move(*ch));
  return charts;
}

} // namespace detail

std::vector<ChartSpec> charts(const ReportInput& input) {
  return detail::charts_of(detail::context_of(input.file, input.summary));
}

} // namespace itsim::report
