// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_report: what every part of the board pack reads of a results
// file (the Context) and the number formatting they share, used by the page
// (html_report.cpp) and the chart builders (charts.cpp).
#pragma once

#include "itsim/analysis/results.hpp"
#include "itsim/analysis/summary.hpp"
#include "itsim/report/charts.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace itsim::report::detail {

inline constexpr double hours_per_week = 168.0;

/// A results file, its statistics and what the report reads of its resolved scenario.
struct Context {
  const analysis::ResultsFile& file;
  const analysis::Summary& summary;
  std::string currency = "money";
  std::string horizon;
  std::string warmup;
  YAML::Node yaml;
};

/// The scenario's currency, horizon and warm-up from the file's resolved YAML (an empty
/// node when it does not parse).
Context context_of(const analysis::ResultsFile& file, const analysis::Summary& summary);

/// `s` with &, <, > and " escaped for HTML text and attributes.
std::string esc(std::string_view s);
/// Exact value for a data attribute (17 significant digits: what h5py reads back).
std::string exact(double x);
/// `x` with three significant digits and k/M/B for large magnitudes: 15.6M, 0.727, 40.7.
std::string sig3(double x, bool plus = false);
/// Money in `currency`: $15.6M for USD, "15.6M EUR" otherwise.
std::string money(double x, const std::string& currency, bool plus = false);
/// A unit for people: the currency for "money", "hours" for "h".
std::string unit_label(const Context& c, const std::string& unit);
/// `x` in `unit` for people (money, %, pp for a difference of shares).
std::string value_text(const Context& c, double x, const std::string& unit, bool plus = false);
/// Index of the KPI `name` in the summary, -1 when absent.
int kpi_index(const analysis::Summary& s, std::string_view name);
const analysis::SummaryRow* summary_row(const analysis::Summary& s, const std::string& model,
                                        std::uint32_t point);
const analysis::ComparisonRow* comparison_row(const analysis::Summary& s, const std::string& model,
                                              std::uint32_t point);
/// Significance in words: "better", "worse", "higher", "lower" or "no clear difference".
std::string verdict(const analysis::KpiDifference& d, std::string_view kpi);
/// A scalar node's text, `fallback` otherwise.
std::string scalar(const YAML::Node& n, const std::string& fallback = "");
/// A numeric cell of a table (NaN when the column is absent or not numeric).
double table_number(const analysis::Table& t, std::string_view column, std::size_t row);
/// A string cell of a table (empty when the column is absent or not of strings).
std::string table_string(const analysis::Table& t, std::string_view column, std::size_t row);

/// On what a number of the scenario rests (docs/report.md, "Assumptions"): `mark` is
/// "sourced", "calibrated", "assumption" or "scenario", `note` the citation or the
/// schema's description behind it.
struct Basis {
  std::string mark;
  std::string note;
};

/// The basis of the value at dotted `key_path` of the resolved scenario `scenario`:
///  1. "sourced" with its citation when the scenario's `sources:` names the key path (or one
///     above it; the longest such wins);
///  2. else, when the value equals the format's default, the schema's own word for it: its
///     description says "calibrated" -> "calibrated"; says "assumption", or cites nothing
///     -> "assumption"; cites a source (MODEL.md, a year, "et al") -> "sourced"; the note
///     is the description;
///  3. else "scenario": the scenario set it and gave no source.
/// An empty mark when the scenario has no value there.
Basis basis_of(const YAML::Node& scenario, const std::string& key_path);

/// The charts of the page (charts.cpp), in order.
std::vector<ChartSpec> charts_of(const Context& c);

} // namespace itsim::report::detail
