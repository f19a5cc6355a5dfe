// SPDX-License-Identifier: Apache-2.0
// `itsim run`: every model of a scenario over its replications with common random
// numbers, the results to HDF5 (analysis/results.hpp) and the comparison to stdout.
#include <boost/program_options.hpp>

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h> // isatty

#include "commands.hpp"
#include "exit_codes.hpp"
#include "itsim/analysis/results.hpp"
#include "itsim/analysis/summary.hpp"
#include "itsim/models/experiment.hpp"
#include "itsim/scenarios/input_error.hpp"
#include "itsim/scenarios/loader.hpp"
#include "itsim/sim/random_stream.hpp"

namespace itsim::cli {

namespace po = boost::program_options;

namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int /*signal*/) {
  interrupted.store(true);
}

enum class Progress { bar, lines, none };

Progress progress_mode(const std::string& text) {
  if (text == "bar") return Progress::bar;
  if (text == "lines") return Progress::lines;
  if (text == "none") return Progress::none;
  if (text == "auto") return isatty(STDERR_FILENO) != 0 ? Progress::bar : Progress::lines;
  throw po::error("--progress must be auto, bar, lines or none, got '" + text + "'");
}

/// The KPIs of the terminal table, in order, with a short heading each.
struct Column {
  models::Kpi kpi;
  const char* heading;
};
const std::vector<Column> table_columns = {
    {models::Kpi::lead_time_p50_h, "lead p50 h"}, {models::Kpi::lead_time_p95_h, "lead p95 h"},
    {models::Kpi::sla_attainment, "SLA"},         {models::Kpi::shadow_builds, "shadow"},
    {models::Kpi::value_gross, "value"},          {models::Kpi::cost_total, "cost"},
    {models::Kpi::net_value, "net value"},        {models::Kpi::perception, "perception"},
};

std::string format_value(double v) {
  char buf[32];
  const double a = std::fabs(v);
  if (!std::isfinite(v)) return "-";
  if (a >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  } else if (a >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  } else if (a >= 100) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g", v);
  }
  return buf;
}

/// The comparison table: per model, each KPI's mean with its CI half-width, and under it
/// the paired difference against the baseline, starred where its CI excludes zero.
void print_table(const analysis::Summary& summary, double level) {
  std::vector<std::size_t> index;
  for (const Column& c : table_columns) {
    const char* name = models::kpi_table()[static_cast<std::size_t>(c.kpi)].name;
    for (std::size_t k = 0; k < summary.kpi_names.size(); ++k)
      if (summary.kpi_names[k] == name) index.push_back(k);
  }
  std::printf("%-14s", "model");
  for (const Column& c : table_columns)
    std::printf(" %18s", c.heading);
  std::printf("\n");
  for (const analysis::SummaryRow& row : summary.rows) {
    std::printf("%-14s", row.model.c_str());
    for (const std::size_t k : index) {
      const analysis::KpiSummary& s = row.kpis[k];
      const std::string cell = format_value(s.mean) + " ±" + format_value(s.ci_half_width);
      std::printf(" %18s", cell.c_str());
    }
    std::printf("\n");
    for (const analysis::ComparisonRow& cmp : summary.comparison) {
      if (cmp.model != row.model || cmp.point != row.point) continue;
      std::printf("%-14s", "  vs baseline");
      for (const std::size_t k : index) {
        const analysis::KpiDifference& d = cmp.kpis[k];
        std::string cell = (d.mean >= 0 ? "+" : "") + format_value(d.mean) + " ±" +
                           format_value(d.ci_half_width) + (d.significant ? "*" : " ");
        std::printf(" %18s", cell.c_str());
      }
      std::printf("\n");
    }
  }
  std::printf("\nmean ±%.0f%% CI half-width over replications; \"vs baseline\": paired "
              "difference against %s (common random numbers), * where its CI excludes 0\n",
              level * 100, summary.baseline.c_str());
}

std::string joined_command_line(const std::vector<std::string>& args) {
  std::string out = "itsim run";
  for (const std::string& a : args)
    out += " " + a;
  return out;
}

} // namespace

int run_command(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::vector<std::string> overrides;
  std::string output;
  std::string progress_text = "auto";
  po::options_description opts(
      "usage: itsim run SCENARIO.yaml [-o FILE.h5] [-r N] [--seed S] [--set KEY.PATH=VALUE]...\n"
      "                 [-j N] [--progress auto|bar|lines|none] [--force]\n\n"
      "Runs every model of the scenario over its replications with common random numbers,\n"
      "writes the results to FILE.h5 (docs/results-format.md) and prints the comparison\n"
      "against the baseline model.\n\noptions");
  opts.add_options()("help,h", "show this help")("output,o", po::value<std::string>(&output),
                                                 "results file (HDF5) to write")(
      "replications,r", po::value<std::int64_t>(),
      "replications per model (default: the scenario's)")("seed", po::value<std::uint64_t>(),
                                                          "master seed (default: the scenario's)")(
      "set", po::value<std::vector<std::string>>(&overrides)->composing(),
      "override a setting, VALUE parsed as YAML (repeatable)")(
      "threads,j", po::value<std::int64_t>(), "worker threads (default: all cores)")(
      "progress", po::value<std::string>(&progress_text)->default_value("auto"),
      "auto, bar, lines or none")("force", "overwrite an existing output file")(
      "files", po::value<std::vector<std::string>>(&files), "scenario file");
  po::positional_options_description positional;
  positional.add("files", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(positional).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return exit_ok;
  }
  if (files.size() != 1) throw po::error("expected exactly one scenario file");
  const Progress progress = progress_mode(progress_text);
  std::uint32_t replications = 0;
  if (vm.count("replications")) {
    const std::int64_t r = vm["replications"].as<std::int64_t>();
    if (r < 1 || r > 1000000) throw po::error("--replications must be in 1..1000000");
    replications = static_cast<std::uint32_t>(r);
  }
  unsigned threads = 0;
  if (vm.count("threads")) {
    const std::int64_t j = vm["threads"].as<std::int64_t>();
    if (j < 1 || j > 4096) throw po::error("--threads must be in 1..4096");
    threads = static_cast<unsigned>(j);
  }
  const bool force = vm.count("force") > 0;

  // Refuse an output that cannot be created before spending the run on it (exit 73 via
  // main's handler); write_results checks again, and writes atomically.
  analysis::WriteOptions write;
  write.force = force;
  if (!output.empty()) analysis::check_output_path(output, write);

  scenarios::Diagnostics diags;
  if (!scenarios::check_override_syntax(overrides, diags)) {
    std::fprintf(stderr, "%s\n", diags.format_all().c_str());
    return exit_usage;
  }
  std::vector<std::string> all_overrides = overrides;
  if (vm.count("seed"))
    all_overrides.push_back("seed=" + std::to_string(vm["seed"].as<std::uint64_t>()));
  if (replications > 0) all_overrides.push_back("replications=" + std::to_string(replications));
  std::optional<scenarios::LoadedScenario> loaded;
  try {
    loaded = scenarios::load_scenario(files.front(), all_overrides, diags);
  } catch (const scenarios::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return exit_no_input;
  }
  if (const std::string text = diags.format_all(); !text.empty())
    std::fprintf(stderr, "%s\n", text.c_str());
  if (!loaded) return exit_invalid_scenario;
  const scenarios::Scenario& s = loaded->scenario;

  models::ExperimentOptions options;
  options.threads = threads;
  options.interrupt = &interrupted;
  if (progress != Progress::none) {
    options.progress = [progress](std::size_t done, std::size_t total, std::size_t failed) {
      if (progress == Progress::bar) {
        const int width = 40;
        const int filled = total > 0 ? static_cast<int>(width * done / total) : width;
        std::fprintf(stderr, "\r[%.*s%*s] %zu/%zu runs%s", filled,
                     "########################################", width - filled, "", done, total,
                     failed > 0 ? " (some failed)" : "");
        if (done == total) std::fprintf(stderr, "\n");
      } else {
        std::fprintf(stderr, "itsim run: %zu/%zu runs done, %zu failed\n", done, total, failed);
      }
      std::fflush(stderr);
    };
    options.progress_interval_s = progress == Progress::bar ? 0.2 : 5.0;
  }
  const auto previous = std::signal(SIGINT, on_interrupt);
  std::vector<models::ExperimentRun> runs;
  try {
    runs = models::run_experiment(s, options);
  } catch (const itsim::Error&) {
    std::signal(SIGINT, previous);
    if (!interrupted.load()) throw;
    std::fprintf(stderr, "\nitsim run: interrupted; nothing written\n");
    return 130;
  }
  std::signal(SIGINT, previous);

  analysis::ResultsFile file;
  file.provenance.itsim_version = ITSIM_VERSION;
  file.provenance.git_describe = ITSIM_GIT_DESCRIBE;
  file.provenance.command_line = joined_command_line(args);
  file.scenario.yaml_resolved = loaded->resolved_yaml;
  file.scenario.master_seed = s.seed;
  for (const auto& m : s.models)
    file.models.push_back(m.id);
  file.baseline = s.models[s.baseline].id;
  for (std::size_t k = 0; k < models::kpi_count; ++k) {
    const models::KpiInfo& info = models::kpi_table()[k];
    const std::string unit = std::string(info.unit) == "money" ? s.currency : info.unit;
    file.runs.kpis.push_back({info.name, unit, info.description, {}});
  }
  std::size_t failed = 0;
  std::vector<double> values(models::kpi_count);
  for (const models::ExperimentRun& run : runs) {
    for (std::size_t k = 0; k < models::kpi_count; ++k)
      values[k] = run.ok ? run.result.kpi[k] : std::nan("");
    if (!run.ok) ++failed;
    file.runs.add_run(s.models[run.model].id, static_cast<std::uint32_t>(run.replication), 0,
                      sim::derive_stream_seed(s.seed, run.replication, "run"),
                      run.ok ? analysis::run_status_ok : analysis::run_status_failed, run.error,
                      values);
  }
  if (!output.empty()) analysis::write_results(output, file, write);
  const analysis::Summary summary = analysis::summarize(file, 0.95);
  std::printf("%s: %zu models x %u replications, horizon %.0f h, warm-up %.0f h%s%s\n\n",
              s.name.c_str(), s.models.size(), replications > 0 ? replications : s.replications,
              s.horizon_h, s.warmup_h, output.empty() ? "" : ", results in ", output.c_str());
  print_table(summary, 0.95);
  if (failed > 0) {
    std::fprintf(stderr, "itsim run: %zu of %zu runs failed (recorded in the file)\n", failed,
                 runs.size());
    return exit_runs_failed;
  }
  return exit_ok;
}

} // namespace itsim::cli
