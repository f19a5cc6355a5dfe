// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "itsim/analysis/results.hpp"
#include "itsim/analysis/summary.hpp"

#include <string>

namespace itsim::report {

/// Everything the board pack is made from: a results file and its statistics.
struct ReportInput {
  analysis::ResultsFile file;
  analysis::Summary summary;
  /// The file's name without its directory, printed in the page.
  std::string source_name;
};

/// Reads `results_path` with analysis::read_results and analysis::read_summary. Throws
/// analysis::ResultsReadError (the message starts with the path) for a missing file, one
/// that is not an itsim results file or one from a newer format_version.
ReportInput read_report_input(const std::string& results_path);

} // namespace itsim::report
