// SPDX-License-Identifier: Apache-2.0
// The board pack: one self-contained HTML page from a results file (docs/report.md).
#include "itsim/report/html_report.hpp"

#include "atomic_output.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/models/kpi.hpp"
#include "itsim/models/org_model.hpp"
#include "json.hpp"
#include "report_context.hpp"

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
using detail::comparison_row;
using detail::Context;
using detail::context_of;
using detail::esc;
using detail::exact;
using detail::json_string;
using detail::kpi_index;
using detail::money;
using detail::scalar;
using detail::sig3;
using detail::summary_row;
using detail::table_string;
using detail::unit_label;
using detail::value_text;
using detail::verdict;

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

/// Scalar leaves (and distributions, lists) under `node`, as (key path, text) in order.
void leaves(const YAML::Node& node, const std::string& path,
            std::vector<std::pair<std::string, std::string>>& out) {
  if (!node.IsMap()) return;
  for (const auto& kv : node) {
    const std::string key = path + "." + kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (v.IsScalar()) {
      out.emplace_back(key, v.Scalar());
    } else if (v.IsMap() && !v["dist"]) {
      leaves(v, key, out);
    } else {
      YAML::Emitter e;
      e << YAML::Flow << v;
      out.emplace_back(key, e.c_str());
    }
  }
}

std::string assumptions(const Context& c) {
  const YAML::Node& y = c.yaml;
  std::string rows;
  std::map<std::string, int> marks;
  auto row = [&](const std::string& label, const std::string& value, const std::string& key = "") {
    const detail::Basis b = key.empty() ? detail::Basis{} : detail::basis_of(y, key);
    if (!b.mark.empty()) ++marks[b.mark];
    rows += "<tr" + (key.empty() ? std::string() : " data-key=\"" + esc(key) + "\"") +
            (b.mark.empty() ? std::string() : " data-basis=\"" + b.mark + "\"") + "><th>" +
            esc(label) + "</th><td>" + esc(value) + "</td><td class=\"basis" +
            (b.mark.empty() ? std::string() : " b-" + b.mark) + "\"" +
            (b.note.empty() ? std::string() : " title=\"" + esc(b.note) + "\"") + ">" +
            esc(b.mark) + "</td></tr>";
  };
  row("scenario", scalar(y["name"]) +
                      (scalar(y["description"]).empty() ? "" : ": " + scalar(y["description"])));
  row("horizon", c.horizon, "horizon");
  row("warm-up", c.warmup, "warmup");
  row("replications", scalar(y["replications"]), "replications");
  row("master seed", std::to_string(c.file.scenario.master_seed));
  row("currency", c.currency, "currency");
  row("discount rate", scalar(y["discount_rate"]), "discount_rate");
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
      row("business units (headcount)", text + " (" + std::to_string(total) + " people)",
          "organisation.units");
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
        const std::string id = p.first.as<std::string>();
        row("pool " + id, text, "staff.pools." + id);
      }
    }
    if (const YAML::Node wts = y["demand"]["work_types"]; wts && wts.IsMap()) {
      for (const auto& w : wts) {
        std::string text = scalar(w.second["rate"]);
        if (const std::string e = scalar(w.second["effort"]["mean"]); !e.empty())
          text += ", effort mean " + e;
        const std::string id = w.first.as<std::string>();
        row("demand " + id, text, "demand.work_types." + id);
      }
    }
    if (const YAML::Node paths = y["paths"]; paths && paths.IsMap()) {
      for (const auto& p : paths) {
        const std::string id = p.first.as<std::string>();
        row("path " + id, scalar(p.second["from"]) + " to " + scalar(p.second["to"]),
            "paths." + id);
      }
    }
    // The mechanisms every model shares: the model's assumptions, one row per number.
    std::vector<std::pair<std::string, std::string>> mech;
    leaves(y["mechanisms"], "mechanisms", mech);
    for (const auto& [key, value] : mech)
      row(key, value, key);
  } catch (const YAML::Exception&) {
    // A scenario shape this page does not know: the full YAML is below anyway.
  }
  std::string legend = "<p class=\"meta basis-legend\">Basis of each number: <span class=\"basis "
                       "b-sourced\">sourced</span> cites its source (the format's documented "
                       "source for a default, MODEL.md and the work it cites; or the scenario's "
                       "<code>sources:</code>), <span class=\"basis b-calibrated\">calibrated"
                       "</span> is tuned to MODEL.md's calibration targets, <span class=\"basis "
                       "b-assumption\">assumption</span> is a documented assumption to sweep, "
                       "<span class=\"basis b-scenario\">scenario</span> is set by this "
                       "scenario without a source. Hover a mark for its source. Here: ";
  std::string counts;
  for (const char* m : {"sourced", "calibrated", "assumption", "scenario"})
    counts += (counts.empty() ? "" : ", ") + std::to_string(marks[m]) + " " + m;
  return legend + counts +
         ".</p><table class=\"assumptions\"><thead><tr><th>key</th><th>value"
         "</th><th>basis</th></tr></thead><tbody>" +
         rows + "</tbody></table>";
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
                  "points); the charts below show what moves net value (a tornado chart of "
                  "/sensitivity) and where each model wins (/winners over the two most "
                  "influential factors); the charts of a single run (time series, paths, "
                  "utilisation) do not apply.</p>";
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
th:first-child{text-align:left}thead th{background:#f6f6f6}.assumptions th,.assumptions td{text-align:left}
.basis{font-size:.8em;white-space:nowrap}span.basis,td.basis:not(:empty){padding:0 .3rem}.b-sourced{color:#1b7f3b}.b-calibrated{color:#2b6cb0}.b-assumption{color:#8a4b00}.b-scenario{color:#555}
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

  const std::vector<ChartSpec> charts = detail::charts_of(c);
  const bool sweep = input.file.sweep.has_value();

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
