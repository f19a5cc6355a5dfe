// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "itsim/analysis/results.hpp"
#include "itsim/analysis/summary.hpp"
#include "itsim/report/report_input.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace itsim::report {

/// The board pack as one self-contained HTML page (docs/report.md): the answer sentence
/// and its caveats, the KPI table, the charts (Vega-Lite specs with their data inlined,
/// rendered by the Vega, Vega-Lite and vega-embed builds inlined into the page), the
/// assumptions and what reproduces the file. No request leaves the page. The same input
/// gives the same bytes; the page's date is analysis::utc_now_iso8601() (so
/// SOURCE_DATE_EPOCH fixes it).
std::string render_html(const ReportInput& input);

/// The answer of the board pack in plain text, for the terminal under `itsim run`'s table:
/// the sentence (the model with the most net value against the baseline, the paired
/// difference over the measured window with its 95% CI, in how many paired replications
/// it is ahead), then one line per caveat (a backlog the stationarity verdict flags, unless
/// `stationarity` is false; an interval that includes 0; failed runs).
std::vector<std::string> answer_lines(const analysis::ResultsFile& file,
                                      const analysis::Summary& summary, bool stationarity = true);

/// `s` with &, <, > and " escaped for HTML text and attributes (the board pack's rule, for
/// other pages built around its fragments).
std::string html_escape(std::string_view s);

/// Writes `content` to `path` so that `path` never holds a partial file (a temporary file
/// beside it, flushed, then renamed). Without `force` an existing `path` is left alone.
/// Throws analysis::OutputCreateError (exit 73) when `path` cannot be created,
/// analysis::OutputWriteError (74) when writing fails.
void write_file_atomically(const std::string& path, const std::string& content, bool force);

} // namespace itsim::report
