// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "itsim/report/report_input.hpp"

#include <string>
#include <vector>

namespace itsim::report {

/// One chart of the board pack: a Vega-Lite specification with its data inlined, taken from
/// the results file (docs/report.md, "Charts").
struct ChartSpec {
  std::string id;      ///< stable identifier, also the id of the page's element ("forest")
  std::string title;   ///< a heading for people
  std::string caption; ///< what the chart shows and where its numbers come from
  std::string spec;    ///< the Vega-Lite JSON (schema v6), data included
};

/// The charts of `input`, in the order the board pack shows them. For a run file: the
/// forest plot of paired differences, lead-time distributions per work type, cumulative
/// net value, backlog, the J-curve of reorganisation paths, net value's parts and
/// utilisation; for a sweep file: the tornado of net value's sensitivity and the win map. Charts
/// whose tables the file lacks are left out. Pure: the same input gives the same bytes.
std::vector<ChartSpec> charts(const ReportInput& input);

} // namespace itsim::report
