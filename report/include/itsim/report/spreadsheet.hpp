// SPDX-License-Identifier: Apache-2.0
// Export of a results file for spreadsheets: an .xlsx workbook (libxlsxwriter) or CSV
// files, with the units in the column headers, so that consultants can finish in Excel.
// docs/results-format.md ("Spreadsheet export") describes the sheets and files.
#pragma once

#include "itsim/analysis/results.hpp"
#include "itsim/analysis/summary.hpp"

#include <string>
#include <vector>

namespace itsim::report {

/// The scenario's currency: the top-level `currency:` key of `file.scenario.yaml_resolved`
/// (e.g. "EUR"), or "USD" (the schema's default) when the key is absent.
std::string scenario_currency(const analysis::ResultsFile& file);

/// The unit as a column header shows it: "money" becomes `currency`, anything else is
/// returned as is ("" for none).
std::string display_unit(const std::string& unit, const std::string& currency);

/// One exported table: a header row, then the cells column by column.
struct SheetColumn {
  /// Header cell: the column's name, then its unit in parentheses when it has one, e.g.
  /// "net_value_mean (USD)", "lead_time_p50_h (h)", "model".
  std::string header;
  /// One value per row: numbers as numbers (NaN: an empty cell), strings as text.
  analysis::ItemValues values;
};

/// One sheet of the workbook, or one CSV file (`name`.csv).
struct Sheet {
  /// "summary", "comparison", "runs" or "paths".
  std::string name;
  std::vector<SheetColumn> columns;

  /// Number of data rows (the header aside).
  std::size_t rows() const;
};

/// The sheets the export writes, in order: summary (one row per model and point: runs_ok,
/// runs_failed and for each KPI KPI_n, KPI_mean, KPI_ci, KPI_p10, KPI_p50, KPI_p90), comparison
/// (one row per model and point except the baseline's: KPI_n, KPI_diff, KPI_ci,
/// KPI_significant 0/1), runs (the columns of /runs: run, model, replication, point, seed,
/// status, message, steady and backlog_slope_per_year when tested, the factors, the KPIs)
/// and, when the file has the /paths table, paths (its columns). Headers carry the units,
/// money in the scenario's currency. Throws std::invalid_argument when `summary` does not
/// match `file` (other KPIs).
std::vector<Sheet> export_sheets(const analysis::ResultsFile& file,
                                 const analysis::Summary& summary);

/// Writes export_sheets(file, summary) as an .xlsx workbook at `path`, one worksheet per
/// sheet, header row bold and frozen, numbers as numbers (NaN as an empty cell; a seed above
/// 2^53, which a spreadsheet's double cannot hold, as text).
///
/// Atomic like analysis::write_results: the workbook is written under a temporary name
/// beside `path`, flushed, then renamed, so `path` never holds a partial file; on failure
/// the temporary file is removed. Throws analysis::OutputExistsError when `path` exists and
/// !force; analysis::OutputCreateError when `path` is a directory or its directory is
/// missing or not writable; analysis::OutputWriteError when writing fails (e.g. a sheet
/// over the 1,048,576 rows a worksheet holds: use CSV).
void write_xlsx(const analysis::ResultsFile& file, const analysis::Summary& summary,
                const std::string& path, bool force);

/// Writes export_sheets(file, summary) as CSV files in the directory `dir`: summary.csv,
/// comparison.csv, runs.csv and (with /paths) paths.csv. RFC 4180: comma-separated, UTF-8,
/// "\n" line ends, a field quoted when it holds a comma, a quote or a line break; numbers
/// in the shortest form that reads back to the same double; NaN as an empty field.
///
/// A `dir` that does not exist is created whole: the files are written into a temporary
/// directory beside it, which is then renamed to `dir`, so `dir` either does not exist or
/// holds every file. Into a `dir` that exists, each file is written under a temporary name
/// and the files are renamed into place only once all are written. Throws
/// analysis::OutputExistsError when one of the files exists and !force (nothing is
/// written); analysis::OutputCreateError when `dir` is not a directory, its parent is
/// missing or not writable; analysis::OutputWriteError when writing fails. On any failure
/// nothing new is left behind.
void write_csv(const analysis::ResultsFile& file, const analysis::Summary& summary,
               const std::string& dir, bool force);

} // namespace itsim::report
