// SPDX-License-Identifier: Apache-2.0
// `itsim report RESULTS.h5 -o board.html [--pdf board.pdf]`: the board pack (docs/report.md).
#include <boost/program_options.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "itsim/analysis/results.hpp"
#include "itsim/report/html_report.hpp"
#include "itsim/report/pdf.hpp"
#include "itsim/report/spreadsheet.hpp"
#include "options.hpp"

namespace po = boost::program_options;

namespace itsim::cli {

int report_command(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::string output;
  std::string pdf;
  std::string format = "html";
  po::options_description opts(
      "usage: itsim report RESULTS.h5 -o REPORT.html [--pdf REPORT.pdf] [--force]\n"
      "       itsim report RESULTS.h5 --format xlsx -o RESULTS.xlsx [--force]\n"
      "       itsim report RESULTS.h5 --format csv -o DIRECTORY [--force]\n\n"
      "Turns a results file of `itsim run` or `itsim sweep` into the board pack: one\n"
      "self-contained HTML page (the answer with its uncertainty, the key figures, charts,\n"
      "the assumptions and how to reproduce the file) that opens offline. --pdf prints the\n"
      "same page through headless Chromium (exit 69 when none is installed).\n"
      "SOURCE_DATE_EPOCH fixes the page's date, for identical bytes. --format xlsx or csv\n"
      "exports /summary, /comparison, /runs (and /paths) for spreadsheets instead, units\n"
      "and currency in the headers: one workbook, or one CSV file per table in a directory.\n"
      "\noptions");
  opts.add_options()("help,h", "show this help")("output,o", po::value<std::string>(&output),
                                                 "HTML file to write")(
      "pdf", po::value<std::string>(&pdf), "also print the page to this PDF file (Chromium)")(
      "force", "overwrite existing output files")(
      "format", po::value<std::string>(&format)->default_value("html"), "html, xlsx or csv")(
      "files", po::value<std::vector<std::string>>(&files), "the results file");
  const std::optional<po::variables_map> parsed = parse_options(args, opts);
  if (!parsed) return exit_ok;
  const bool force = parsed->count("force") > 0;
  if (files.size() != 1) throw po::error("expected one results file (RESULTS.h5)");
  if (format != "html" && format != "xlsx" && format != "csv")
    throw po::error("--format must be html, xlsx or csv, got '" + format + "'");
  if (format != "html") {
    if (output.empty()) throw po::error("--format " + format + " needs --output (-o)");
    if (!pdf.empty()) throw po::error("--pdf goes with --format html");
    report::ReportInput input;
    try {
      input = report::read_report_input(files.front());
    } catch (const analysis::ResultsReadError& e) {
      std::fprintf(stderr, "itsim report: %s\n", e.what());
      return exit_no_input;
    }
    if (format == "xlsx") {
      report::write_xlsx(input.file, input.summary, output, force);
    } else {
      report::write_csv(input.file, input.summary, output, force);
    }
    return exit_ok;
  }
  if (output.empty() && pdf.empty()) throw po::error("--output (-o) or --pdf is required");
  // Everything that can be checked before reading is checked first: no half-made output.
  if (!pdf.empty() && report::find_chromium().empty())
    throw report::BrowserUnavailableError(
        "itsim report: --pdf needs headless Chromium: install Debian's `chromium` (or set "
        "ITSIM_CHROMIUM); the HTML report itself does not need it");
  if (!output.empty()) analysis::check_output_path(output, {.force = force});
  if (!pdf.empty()) analysis::check_output_path(pdf, {.force = force});

  report::ReportInput input;
  try {
    input = report::read_report_input(files.front());
  } catch (const analysis::ResultsReadError& e) {
    std::fprintf(stderr, "itsim report: %s\n", e.what());
    return exit_no_input;
  }
  const std::string html = report::render_html(input);
  if (!output.empty()) report::write_file_atomically(output, html, force);
  if (!pdf.empty()) {
    if (!output.empty()) {
      report::print_pdf(output, pdf, force);
    } else {
      // Print from a temporary page beside the PDF, removed afterwards.
      const std::string page = pdf + ".itsim-page.html";
      report::write_file_atomically(page, html, true);
      try {
        report::print_pdf(page, pdf, force);
      } catch (...) {
        std::remove(page.c_str());
        throw;
      }
      std::remove(page.c_str());
    }
  }
  return exit_ok;
}

} // namespace itsim::cli
