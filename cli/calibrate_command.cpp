// SPDX-License-Identifier: Apache-2.0
// `itsim calibrate TICKETS.csv --mapping MAP.yaml -o baseline.yaml`: the baseline scenario
// from a ticket export (docs/calibration.md).
#include <boost/program_options.hpp>

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "itsim/analysis/results.hpp"
#include "itsim/calibration/calibrate.hpp"
#include "itsim/report/html_report.hpp"
#include "itsim/scenarios/calibration_mapping.hpp"
#include "options.hpp"

namespace po = boost::program_options;

namespace itsim::cli {

namespace {

/// `l1=7,l2=6` -> {l1: 7, l2: 6}.
std::map<std::string, int> parse_staff(const std::vector<std::string>& values) {
  std::map<std::string, int> staff;
  for (const std::string& v : values) {
    std::size_t start = 0;
    while (start <= v.size()) {
      const std::size_t comma = std::min(v.find(',', start), v.size());
      const std::string item = v.substr(start, comma - start);
      const std::size_t eq = item.find('=');
      int n = -1;
      if (eq != std::string::npos && eq > 0) {
        try {
          std::size_t used = 0;
          n = std::stoi(item.substr(eq + 1), &used);
          if (used != item.size() - eq - 1) n = -1;
        } catch (const std::exception&) {
          n = -1;
        }
      }
      if (n < 0) throw po::error("--staff expects POOL=N[,POOL=N...], got '" + item + "'");
      staff[item.substr(0, eq)] = n;
      start = comma + 1;
    }
  }
  return staff;
}

} // namespace

int calibrate_command(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::string mapping_path;
  std::string output;
  std::string events;
  std::vector<std::string> staff_values;
  int employees = 0;
  int replications = 5;
  calibration::CheckTolerances tol;
  po::options_description opts(
      "usage: itsim calibrate TICKETS.csv --mapping MAP.yaml -o BASELINE.yaml\n"
      "                       [--staff POOL=N,...] [--employees N] [--skip-bad-rows]\n"
      "                       [--check [-r N] [--tolerance-volume R] [--tolerance-share A]\n"
      "                       [--tolerance-lead R]] [--force] [--events EVENTS.csv]\n\n"
      "Builds a baseline scenario from a ticket export in one streaming pass: arrival\n"
      "rates, priority mix, weekly profile and trend; the routing between the tiers;\n"
      "handle times chosen among lognormal, gamma and Weibull by maximum likelihood and\n"
      "AIC; each number with its evidence in a comment. --events adds the audit/event log\n"
      "(one row per state change or reassignment): the routing between the tiers then comes\n"
      "from the moves it shows, bounce-backs included, and the handle times from the time\n"
      "each visit spends in work states (the mapping's events: section). The scenario extends the "
      "four\n"
      "presets, so `itsim run BASELINE.yaml` compares them on the client's demand. It is\n"
      "validated before it is written, and written atomically. --check runs the fitted\n"
      "passive model and compares it with the export (exit 1 when it misses the\n"
      "tolerances). Mappings: scenarios/calibration/. Exit 65 for bad data (FILE:ROW:COLUMN),\n"
      "66 for an unreadable input.\n"
      "\noptions");
  opts.add_options()("help,h", "show this help")("mapping", po::value<std::string>(&mapping_path),
                                                 "the mapping file (YAML)")(
      "output,o", po::value<std::string>(&output), "the scenario to write")(
      "staff", po::value<std::vector<std::string>>(&staff_values)->composing(),
      "headcount per pool, e.g. l1=7,l2=6 (otherwise estimated from distinct assignees)")(
      "employees", po::value<int>(&employees),
      "business headcount raising the enhancements and projects (default 2000)")(
      "skip-bad-rows", "skip rows with bad values (counted and reported) instead of failing")(
      "check", "back-test: run the fitted passive model and compare it with the export")(
      "replications,r", po::value<int>(&replications)->default_value(5),
      "replications of the back-test")("force", "overwrite an existing output file")(
      "tolerance-volume", po::value<double>(&tol.volume)->default_value(tol.volume),
      "--check: tickets a week may miss by this share of the export's")(
      "tolerance-share", po::value<double>(&tol.share)->default_value(tol.share),
      "--check: resolution shares by tier may miss by this much (absolute)")(
      "tolerance-lead", po::value<double>(&tol.lead)->default_value(tol.lead),
      "--check: lead-time p50 and p90 by priority may miss by this share")(
      "events", po::value<std::string>(&events),
      "the audit/event log of the tickets (the mapping's events: section)")(
      "files", po::value<std::vector<std::string>>(&files), "the ticket export");
  const std::optional<po::variables_map> parsed = parse_options(args, opts);
  if (!parsed) return exit_ok;
  if (files.size() != 1) throw po::error("expected one ticket export (TICKETS.csv)");
  if (mapping_path.empty()) throw po::error("--mapping is required");
  if (output.empty()) throw po::error("--output (-o) is required");
  for (const double t : {tol.volume, tol.share, tol.lead})
    if (!(t >= 0)) throw po::error("--tolerance-* must be at least 0");
  if (parsed->count("check") == 0)
    for (const char* o : {"tolerance-volume", "tolerance-share", "tolerance-lead"})
      if (!parsed->at(o).defaulted()) throw po::error(std::string("--") + o + " needs --check");
  if (replications < 1) throw po::error("--replications must be at least 1");
  const std::map<std::string, int> staff = parse_staff(staff_values);
  const bool force = parsed->count("force") > 0;
  analysis::check_output_path(output, {.force = force});

  scenarios::Diagnostics diags;
  const std::optional<scenarios::CalibrationMapping> mapping =
      scenarios::load_calibration_mapping(mapping_path, diags);
  if (!mapping) {
    std::fprintf(stderr, "%s\n", diags.format_errors().c_str());
    return exit_invalid_scenario;
  }
  const bool skip = parsed->count("skip-bad-rows") > 0;
  calibration::TicketSummary summary = calibration::read_tickets(files.front(), *mapping, skip);
  if (!events.empty()) calibration::read_events(events, *mapping, skip, summary);
  calibration::CalibrateOptions copt;
  copt.staff = staff;
  copt.employees = employees;
  copt.source_label = files.front() + " (mapping " + mapping_path + ")";
  const calibration::Calibration cal = calibration::calibrate(summary, copt);
  for (const std::string& w : cal.warnings)
    std::fprintf(stderr, "itsim calibrate: warning: %s\n", w.c_str());
  if (summary.skipped > 0) {
    std::fprintf(stderr, "itsim calibrate: skipped %llu of %llu rows (--skip-bad-rows):\n",
                 static_cast<unsigned long long>(summary.skipped),
                 static_cast<unsigned long long>(summary.rows));
    for (const std::string& m : summary.skip_messages)
      std::fprintf(stderr, "  %s\n", m.c_str());
    if (summary.skipped > summary.skip_messages.size())
      std::fprintf(stderr, "  ... and %llu more\n",
                   static_cast<unsigned long long>(summary.skipped - summary.skip_messages.size()));
  }
  if (summary.events) {
    const calibration::EventLogStats& e = *summary.events;
    if (e.unknown_tickets > 0)
      std::fprintf(stderr,
                   "itsim calibrate: warning: %s: %llu rows name tickets not in the ticket "
                   "export (left out)\n",
                   e.file.c_str(), static_cast<unsigned long long>(e.unknown_tickets));
    if (e.open_at_end > 0)
      std::fprintf(stderr,
                   "itsim calibrate: warning: %s: %llu tickets not done at the log's end (their "
                   "last visit left out of the routing)\n",
                   e.file.c_str(), static_cast<unsigned long long>(e.open_at_end));
    if (e.skipped > 0) {
      std::fprintf(stderr, "itsim calibrate: skipped %llu of %llu event rows (--skip-bad-rows):\n",
                   static_cast<unsigned long long>(e.skipped),
                   static_cast<unsigned long long>(e.rows));
      for (const std::string& m : e.skip_messages)
        std::fprintf(stderr, "  %s\n", m.c_str());
    }
  }
  report::write_file_atomically(output, cal.yaml, force);
  std::printf("wrote %s: %llu tickets, %zu work types, %zu tiers\n", output.c_str(),
              static_cast<unsigned long long>(summary.rows - summary.skipped),
              summary.work_types.size(), summary.tiers.size());
  if (parsed->count("check") == 0) return exit_ok;

  const std::vector<calibration::CheckLine> lines =
      calibration::back_test(summary, cal, replications, tol);
  std::printf("\nback-test: the fitted passive model (%d replications) beside the export\n",
              replications);
  std::printf("%-34s %12s %12s %12s  %s\n", "measure", "export", "simulated", "tolerance", "");
  bool all_ok = true;
  for (const calibration::CheckLine& l : lines) {
    char allowed[32];
    if (l.relative)
      std::snprintf(allowed, sizeof allowed, "+-%.0f%%", l.tolerance * 100);
    else
      std::snprintf(allowed, sizeof allowed, "+-%.3g", l.tolerance);
    std::printf("%-34s %12.4g %12.4g %12s  %s\n", l.measure.c_str(), l.exported, l.simulated,
                allowed, l.ok ? "ok" : "MISS");
    all_ok = all_ok && l.ok;
  }
  if (!all_ok) {
    std::printf("\nthe fitted model misses the export where marked MISS: see docs/calibration.md, "
                "\"When the back-test misses\"\n");
    return exit_runs_failed;
  }
  return exit_ok;
}

} // namespace itsim::cli
