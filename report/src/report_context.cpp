// SPDX-License-Identifier: Apache-2.0
// What every part of the board pack reads of a results file, and the formatting of its
// numbers (report_context.hpp).
#include "report_context.hpp"

#include "itsim/models/kpi.hpp"
#include "itsim/scenarios/key_info.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

namespace itsim::report::detail {

using analysis::ComparisonRow;
using analysis::KpiDifference;
using analysis::ResultsFile;
using analysis::Summary;
using analysis::SummaryRow;

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

} // namespace itsim::report::detail

namespace itsim::report {
std::string html_escape(std::string_view s) {
  return detail::esc(s);
}
} // namespace itsim::report

namespace itsim::report::detail {

/// Exact value for a data attribute (17 significant digits: what h5py reads back).
std::string exact(double x) {
  if (!std::isfinite(x)) return "NaN";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

/// `x` with three significant digits and k/M/B for large magnitudes: 15.6M, 0.727, 40.7.
std::string sig3(double x, bool plus) {
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

std::string money(double x, const std::string& currency, bool plus) {
  std::string s = sig3(x, plus);
  if (!std::isfinite(x)) return s;
  if (currency == "USD") {
    // +$15.6M, -$52.3k
    if (s[0] == '+' || s[0] == '-') return s.substr(0, 1) + "$" + s.substr(1);
    return "$" + s;
  }
  return s + " " + currency;
}

std::string unit_label(const Context& c, const std::string& unit) {
  if (unit == "money") return c.currency;
  if (unit == "h") return "hours";
  return unit;
}

std::string value_text(const Context& c, double x, const std::string& unit, bool plus) {
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

namespace {
models::Better better_of(std::string_view kpi) {
  const models::Kpi k = models::kpi_named(kpi);
  return k == models::Kpi::count ? models::Better::none : models::info(k).better;
}

} // namespace

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

std::string scalar(const YAML::Node& n, const std::string& fallback) {
  if (n && n.IsScalar()) return n.as<std::string>();
  return fallback;
}

/// Mean over ok replications of one series per (model, time), thinned to at most
/// `max_points` samples per model; rows {model, week, value}.
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

namespace {

/// A node as comparable text: scalars as written (numbers normalised), maps and lists in
/// flow style, keys in order.
std::string canonical(const YAML::Node& n) {
  if (!n) return {};
  if (n.IsScalar()) {
    const std::string t = n.Scalar();
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (!t.empty() && end != nullptr && *end == '\0' && std::isfinite(v)) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.15g", v);
      return buf;
    }
    return t;
  }
  std::string out;
  if (n.IsMap()) {
    out = "{";
    for (const auto& kv : n)
      out += kv.first.Scalar() + ":" + canonical(kv.second) + ",";
    return out + "}";
  }
  if (n.IsSequence()) {
    out = "[";
    for (const auto& e : n)
      out += canonical(e) + ",";
    return out + "]";
  }
  return {};
}

/// The node at dotted `key_path` of `root`; an invalid node when absent.
YAML::Node node_at(const YAML::Node& root, const std::string& key_path) {
  YAML::Node n;
  n.reset(root);
  std::size_t start = 0;
  while (n.IsMap()) {
    const std::size_t dot = key_path.find('.', start);
    const std::string key =
        key_path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const YAML::Node& map = n;
    const YAML::Node child = map[key]; // const: a missing key is not inserted
    if (!child.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
    n.reset(child);
    if (dot == std::string::npos) return n;
    start = dot + 1;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

/// Whether a schema description cites a source: MODEL.md (whose numbers cite their own),
/// a year (an author's work: "Wright 1936"), or "et al".
bool cites_source(const std::string& d) {
  if (d.find("MODEL.md") != std::string::npos || d.find("et al") != std::string::npos) return true;
  for (std::size_t i = 0; i + 4 <= d.size(); ++i) {
    const bool year = (d.compare(i, 2, "19") == 0 || d.compare(i, 2, "20") == 0) &&
                      std::isdigit(static_cast<unsigned char>(d[i + 2])) &&
                      std::isdigit(static_cast<unsigned char>(d[i + 3]));
    const bool alone = (i == 0 || !std::isdigit(static_cast<unsigned char>(d[i - 1]))) &&
                       (i + 4 == d.size() || !std::isdigit(static_cast<unsigned char>(d[i + 4])));
    if (year && alone) return true;
  }
  return false;
}

} // namespace

Basis basis_of(const YAML::Node& scenario, const std::string& key_path) {
  try {
    if (!scenario || !scenario.IsMap()) return {};
    // 1. The scenario's own citation.
    std::size_t best = 0;
    Basis cited;
    if (const YAML::Node sources = scenario["sources"]; sources && sources.IsSequence()) {
      for (const auto& e : sources) {
        const std::string key = scalar(e["key"]);
        if (key.empty() || key.size() < best) continue;
        if (key_path == key || key_path.starts_with(key + ".")) {
          best = key.size();
          const std::string source = scalar(e["source"]);
          // A citation that starts with "calibrated" says the number was fitted to a target.
          const bool calibrated =
              source.size() >= 10 &&
              std::equal(source.begin(), source.begin() + 10, "calibrated", [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == b;
              });
          cited = {calibrated ? "calibrated" : "sourced", source};
        }
      }
    }
    if (!cited.mark.empty()) return cited;
    const YAML::Node value = node_at(scenario, key_path);
    if (!value.IsDefined() || value.IsNull()) return {};
    // 2. The format's default, marked by the schema's own description.
    if (const auto info = scenarios::key_info(key_path); info && info->default_yaml) {
      const YAML::Node def = YAML::Load(*info->default_yaml);
      if (canonical(def) == canonical(value)) {
        const std::string& d = info->description;
        if (d.find("calibrated") != std::string::npos) return {"calibrated", d};
        if (d.find("assumption") != std::string::npos || !cites_source(d)) return {"assumption", d};
        return {"sourced", d};
      }
    }
    // 3. Set by the scenario, without a source.
    return {"scenario", "set by the scenario; no source given (add one under `sources:`)"};
  } catch (const YAML::Exception&) {
    return {};
  }
}

} // namespace itsim::report::detail
