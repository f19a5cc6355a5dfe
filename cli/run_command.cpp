// SPDX-License-Identifier: Apache-2.0
// `itsim run`: every model of a scenario over its replications with common random
// numbers, the results to HDF5 (analysis/results.hpp) and the comparison to stdout.
#include <boost/program_options.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "itsim/analysis/results.hpp"
#include "itsim/analysis/summary.hpp"
#include "itsim/experiments/experiment.hpp"
#include "itsim/experiments/horizon_check.hpp"
#include "itsim/experiments/path_check.hpp"
#include "itsim/experiments/precision.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/models/load.hpp"
#include "itsim/report/html_report.hpp"
#include "itsim/scenarios/input_error.hpp"
#include "itsim/scenarios/loader.hpp"
#include "itsim/sim/random_stream.hpp"
#include "options.hpp"
#include "progress.hpp"

namespace itsim::cli {

namespace po = boost::program_options;

namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int /*signal*/) {
  interrupted.store(true);
}

/// The comparison table, one column per KPI declared with a terminal heading
/// (models/include/itsim/models/kpi.hpp), its unit under the heading (money in the
/// scenario's currency, as the file's units have it). Per model, a line of means and
/// under it their CI half-widths; per model other than the baseline, a line of paired
/// differences against the baseline, starred where the CI excludes 0, and their half-widths.
/// Three significant digits throughout; about 110 columns for the eight KPIs.
void print_table(const analysis::Summary& summary, double level) {
  std::vector<std::size_t> index; // into summary.kpi_names, in heading order
  std::vector<std::string> heading, unit;
  for (const models::KpiInfo& info : models::kpi_table()) {
    if (*info.heading == '\0') continue;
    for (std::size_t k = 0; k < summary.kpi_names.size(); ++k) {
      if (summary.kpi_names[k] != info.name) continue;
      index.push_back(k);
      const std::string& u = summary.kpi_units[k];
      std::string h = info.heading;
      // The unit line shows it: "lead p50 h" over "(h)" becomes "lead p50".
      if (!u.empty() && h.size() > u.size() + 1 && h.ends_with(" " + u))
        h.resize(h.size() - u.size() - 1);
      heading.push_back(std::move(h));
      unit.push_back(u.empty() ? "" : "(" + u + ")");
    }
  }
  // Every line as cells: the label, then one cell per KPI.
  struct Line {
    std::string label;
    std::vector<std::string> cells;
  };
  std::vector<Line> lines;
  const std::string versus = "  vs " + summary.baseline;
  for (const analysis::SummaryRow& row : summary.rows) {
    Line mean{row.model, {}}, ci{"", {}};
    for (const std::size_t k : index) {
      const analysis::KpiSummary& s = row.kpis[k];
      // A trailing space where a difference has its star, so that digits line up.
      mean.cells.push_back(format_significant(s.mean) + " ");
      ci.cells.push_back(
          std::isfinite(s.ci_half_width) ? "±" + format_significant(s.ci_half_width) + " " : "");
    }
    lines.push_back(std::move(mean));
    lines.push_back(std::move(ci));
    for (const analysis::ComparisonRow& cmp : summary.comparison) {
      if (cmp.model != row.model || cmp.point != row.point) continue;
      Line diff{versus, {}}, half{"", {}};
      for (const std::size_t k : index) {
        const analysis::KpiDifference& d = cmp.kpis[k];
        diff.cells.push_back(format_significant(d.mean, 3, true) + (d.significant ? "*" : " "));
        half.cells.push_back(
            std::isfinite(d.ci_half_width) ? "±" + format_significant(d.ci_half_width) + " " : "");
      }
      lines.push_back(std::move(diff));
      lines.push_back(std::move(half));
    }
  }
  // Widths: "±" is one column but two bytes in UTF-8.
  const auto columns = [](const std::string& text) {
    std::size_t n = 0;
    for (const char c : text)
      n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
  };
  std::size_t label_width = std::string("model").size();
  for (const Line& l : lines)
    label_width = std::max(label_width, columns(l.label));
  std::vector<std::size_t> width(index.size());
  for (std::size_t c = 0; c < index.size(); ++c) {
    width[c] = std::max(columns(heading[c]), columns(unit[c])) + 1; // left of the star
    for (const Line& l : lines)
      width[c] = std::max(width[c], columns(l.cells[c]));
  }
  const auto print_line = [&](const std::string& label, const std::vector<std::string>& cells) {
    std::string out = label + std::string(label_width - columns(label), ' ');
    for (std::size_t c = 0; c < cells.size(); ++c)
      out += "  " + std::string(width[c] - columns(cells[c]), ' ') + cells[c];
    while (!out.empty() && out.back() == ' ')
      out.pop_back();
    std::printf("%s\n", out.c_str());
  };
  // Headings and units end where the digits do, left of the star column.
  for (std::string& h : heading)
    h += " ";
  for (std::string& u : unit)
    u += " ";
  print_line("", heading);
  print_line("model", unit);
  for (const Line& l : lines)
    print_line(l.label, l.cells);
  std::printf("\nper model: mean over replications, under it the %.0f%% CI half-width (±);\n"
              "\"vs %s\": paired difference against the baseline (common random numbers),\n"
              "* where its CI excludes 0 (significant); 3 significant digits\n",
              level * 100, summary.baseline.c_str());
}

/// `--show pools`: per model, each resource's statistics across replications (the table
/// /resources_summary of the file).
void print_pools(const analysis::ResultsFile& file, double level) {
  const std::string name = std::string(experiments::resources_group) + "_summary";
  const analysis::Table* t = file.table(name);
  if (t == nullptr) return;
  const auto& model = std::get<std::vector<std::string>>(t->column("model")->values);
  const auto& resource = std::get<std::vector<std::string>>(t->column("resource")->values);
  const char* const stats[] = {"servers", "utilisation", "wait_mean_h",
                               "p_wait",  "queue_mean",  "served"};
  const char* const headings[] = {"servers", "utilisation", "wait h", "P(wait)", "queue", "served"};
  std::printf("\nwhere the time goes, per pool and team (per run, after the warm-up; mean "
              "±%.0f%% CI half-width over replications)\n",
              level * 100);
  const auto value = [t](const std::string& column, std::size_t i) {
    const analysis::ItemColumn* c = t->column(column);
    return c ? std::get<std::vector<double>>(c->values)[i] : std::nan("");
  };
  for (const std::string& m : file.models) {
    std::printf("\n%-22s", m.c_str());
    for (const char* h : headings)
      std::printf(" %18s", h);
    std::printf("\n");
    std::string idle;
    for (std::size_t i = 0; i < t->rows(); ++i) {
      if (model[i] != m) continue;
      if (!(value("servers_mean", i) > 0) && !(value("served_mean", i) > 0)) {
        idle += (idle.empty() ? "" : ", ") + resource[i];
        continue;
      }
      std::printf("  %-20s", resource[i].c_str());
      for (const char* stat : stats) {
        const double mean = value(std::string(stat) + "_mean", i);
        const double ci = value(std::string(stat) + "_ci", i);
        std::string cell = format_value(mean);
        if (std::isfinite(mean) && std::isfinite(ci)) cell += " ±" + format_value(ci);
        std::printf(" %18s", cell.c_str());
      }
      std::printf("\n");
    }
    if (!idle.empty()) std::printf("  (no servers: %s)\n", idle.c_str());
  }
  std::printf("\nwait h: mean queueing per visit; P(wait): share of visits that queued; queue: "
              "items waiting, time-averaged; served: visits completed; by-unit copies pooled\n");
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
  std::vector<std::string> details;
  std::vector<std::string> precision_kpis;
  std::vector<std::string> shows;
  std::string output;
  std::string progress_text = "auto";
  po::options_description opts(
      "usage: itsim run SCENARIO.yaml [-o FILE.h5] [-r N] [--seed S] [--set KEY.PATH=VALUE]...\n"
      "                 [-j N] [--progress auto|bar|lines|none] [--force] [--detail requests]\n"
      "                 [--strict] [--show pools]\n"
      "                 [--precision REL [--precision-kpi KPI]... [--max-replications N]]\n\n"
      "Runs every model of the scenario over its replications with common random numbers,\n"
      "writes the results to FILE.h5 (docs/results-format.md) and prints the comparison\n"
      "against the baseline model. Warns first about each pool or team offered at least as\n"
      "many person-hours of work a week as its people have (itsim validate --show-load).\n\n"
      "options");
  opts.add_options()("help,h", "show this help")("output,o", po::value<std::string>(&output),
                                                 "results file (HDF5) to write")(
      "replications,r", po::value<std::int64_t>(),
      "replications per model (default: the scenario's); with --precision, the first batch")(
      "seed", po::value<std::uint64_t>(), "master seed (default: the scenario's)")(
      "set", po::value<std::vector<std::string>>(&overrides)->composing(),
      "override a setting, VALUE parsed as YAML (repeatable)")(
      "threads,j", po::value<std::int64_t>(), "worker threads (default: all cores)")(
      "progress", po::value<std::string>(&progress_text)->default_value("auto"),
      "auto, bar, lines or none")("force", "overwrite an existing output file")(
      "strict",
      "refuse (exit 65) a scenario with warnings, such as a pool or team at or over "
      "capacity")("detail", po::value<std::vector<std::string>>(&details)->composing(),
                  "detail table to record: requests (one row per item, /requests); adds to the "
                  "scenario's output.detail")(
      "precision", po::value<double>(),
      "add replications until every model's 95% CI half-width is at most REL times the "
      "|mean| (e.g. 0.05) for each --precision-kpi")(
      "precision-kpi", po::value<std::vector<std::string>>(&precision_kpis)->composing(),
      "KPI that --precision applies to (repeatable; default net_value)")(
      "max-replications", po::value<std::int64_t>(),
      "most replications --precision may run per model (default 1000)")(
      "show", po::value<std::vector<std::string>>(&shows)->composing(),
      "more to print after the comparison: pools (per model, each pool and team's "
      "utilisation, mean wait, P(wait), mean queue and visits served)")(
      "files", po::value<std::vector<std::string>>(&files), "scenario file");
  const std::optional<po::variables_map> parsed = parse_options(args, opts);
  if (!parsed) return exit_ok;
  const po::variables_map& vm = *parsed;
  if (files.size() != 1) throw po::error("expected exactly one scenario file");
  const Progress progress = progress_mode(progress_text);
  std::uint32_t replications = 0;
  if (vm.count("replications")) {
    const std::int64_t r = vm["replications"].as<std::int64_t>();
    if (r < 1 || r > 1000000) throw po::error("--replications must be in 1..1000000");
    replications = static_cast<std::uint32_t>(r);
  }
  const unsigned threads = threads_option(vm);
  bool detail_requests = false;
  for (const std::string& d : details) {
    if (d != "requests") throw po::error("--detail must be requests, got '" + d + "'");
    detail_requests = true;
  }
  bool show_pools = false;
  for (const std::string& w : shows) {
    if (w != "pools") throw po::error("--show must be pools, got '" + w + "'");
    show_pools = true;
  }
  std::optional<experiments::PrecisionTarget> precision;
  if (vm.count("precision")) {
    experiments::PrecisionTarget p;
    p.relative = vm["precision"].as<double>();
    if (!(p.relative > 0 && p.relative < 1))
      throw po::error("--precision must be a relative half-width in (0, 1), e.g. 0.05");
    if (vm.count("max-replications")) {
      const std::int64_t m = vm["max-replications"].as<std::int64_t>();
      if (m < 2 || m > 1000000) throw po::error("--max-replications must be in 2..1000000");
      p.max_replications = static_cast<std::uint32_t>(m);
    }
    if (precision_kpis.empty()) precision_kpis.push_back("net_value");
    for (const std::string& name : precision_kpis) {
      const auto& table = models::kpi_table();
      const auto it = std::find_if(table.begin(), table.end(),
                                   [&name](const models::KpiInfo& k) { return name == k.name; });
      if (it == table.end())
        throw po::error("--precision-kpi: no KPI '" + name + "' (itsim models lists them)");
      p.kpis.push_back(name);
    }
    precision = std::move(p);
  } else if (!precision_kpis.empty() || vm.count("max-replications")) {
    throw po::error("--precision-kpi and --max-replications need --precision");
  }
  const bool force = vm.count("force") > 0;

  // Refuse an output that cannot be created before spending the run on it (exit 73 via
  // main's handler); write_results checks again, and writes atomically.
  analysis::WriteOptions write;
  write.force = force;
  if (!output.empty()) analysis::check_output_path(output, write);

  const CommandScenario loaded = load_command_scenario(files.front(), overrides, vm, replications);
  if (loaded.exit_code != exit_ok) return loaded.exit_code;
  const scenarios::Scenario& s = loaded.loaded->scenario;
  scenarios::Diagnostics load_diags; // the load check (models/load.hpp)
  const std::size_t warnings =
      loaded.warnings + models::check_load(s, models::offered_load(s), load_diags);
  if (const std::string text = load_diags.format_all(); !text.empty())
    std::fprintf(stderr, "%s\n", text.c_str());
  if (vm.count("strict") && warnings > 0) {
    std::fprintf(stderr, "itsim run: %zu warning%s, an error under --strict; nothing run\n",
                 warnings, warnings == 1 ? "" : "s");
    return exit_invalid_scenario;
  }
  detail_requests = detail_requests || s.detail_requests;

  experiments::ExperimentOptions options;
  options.timeseries_step_h = s.timeseries_step_h;
  options.record_items = detail_requests;
  options.scheduler.threads = threads;
  options.scheduler.interrupt = &interrupted;
  if (progress != Progress::none) {
    options.scheduler.progress = [progress](const experiments::RunProgress& p) {
      print_progress(progress, "run", p.done, p.total, p.failed, p.elapsed_s);
    };
    options.scheduler.progress_interval_s = progress_interval_s(progress);
  }

  analysis::ResultsFile file = experiments::start_results(s, loaded.loaded->resolved_yaml);
  file.provenance.itsim_version = ITSIM_VERSION;
  file.provenance.git_describe = ITSIM_GIT_DESCRIBE;
  file.provenance.command_line = joined_command_line(args);

  // Item detail goes to the file as runs finish, in run order (runs are model by model,
  // replications in order: run i is row i of /runs), never all in memory; the rest of the
  // file is written at the end. (--precision adds replications in rounds, so its rows are
  // gathered and written at the end as before.)
  std::optional<analysis::ResultsStream> stream;
  const bool stream_requests = detail_requests && !precision;
  if (stream_requests) {
    if (!output.empty()) {
      stream.emplace(output, experiments::request_layout(s), experiments::request_string_widths(s),
                     s.timeseries_step_h > 0, write);
    }
    options.in_order = [&stream, &s](std::size_t i, experiments::ExperimentRun& run) {
      if (stream && run.ok) {
        analysis::ItemTable rows = experiments::request_layout(s);
        experiments::append_request_rows(rows, s, run, static_cast<std::uint32_t>(i));
        stream->append_requests(rows);
      }
      run.result.items.clear();
      run.result.items.shrink_to_fit();
    };
  }

  const auto previous = std::signal(SIGINT, on_interrupt);
  std::vector<experiments::ExperimentRun> runs;
  std::uint32_t done_replications = s.replications;
  std::string precision_note;
  try {
    if (precision) {
      experiments::PrecisionRun run = experiments::run_to_precision(s, *precision, options);
      runs = std::move(run.runs);
      done_replications = run.replications;
      precision_note = experiments::describe_precision(run.check, *precision, done_replications);
    } else {
      runs = experiments::run_experiment(s, options);
    }
  } catch (const itsim::Error&) {
    std::signal(SIGINT, previous);
    if (!interrupted.load()) throw;
    std::fprintf(stderr, "\nitsim run: interrupted; nothing written\n");
    return 130;
  }
  std::signal(SIGINT, previous);

  std::size_t failed = 0, unreliable_warmups = 0;
  std::string first_failure; // the reason of the first failed run, for stderr
  for (const experiments::ExperimentRun& run : runs) {
    if (!run.ok && failed++ == 0)
      first_failure = s.models[run.model].id + ", replication " + std::to_string(run.replication) +
                      ": " + run.error;
    if (run.ok && !run.result.warmup_reliable) ++unreliable_warmups;
  }
  experiments::add_runs(file, s, runs, 0, s.timeseries_step_h, detail_requests && !stream_requests);
  runs.clear();
  runs.shrink_to_fit();
  const std::vector<experiments::PathOutcome> paths = experiments::path_outcomes(file, s, 0.95);
  experiments::add_path_tables(file, paths, 0.95);
  std::vector<std::string> path_ids;
  for (const experiments::PathOutcome& p : paths)
    path_ids.push_back(p.path);
  if (stream) {
    stream->finish(file);
  } else if (!output.empty()) {
    analysis::write_results(output, file, write);
  }
  const analysis::Summary summary = analysis::summarize(file, 0.95);
  std::printf("%s: %zu models x %u replications, horizon %.0f h, warm-up %s%s%s\n", s.name.c_str(),
              s.models.size(), done_replications, s.horizon_h,
              s.warmup_mser5 ? "MSER-5 per run (KPI warmup_h)"
                             : (format_value(s.warmup_h) + " h").c_str(),
              output.empty() ? "" : ", results in ", output.c_str());
  if (!precision_note.empty()) std::printf("%s\n", precision_note.c_str());
  std::printf("\n");
  print_table(summary, 0.95);
  // The board pack's answer, in words, right under the table (its caveats included).
  {
    // (The stationarity verdict follows below, so it is not repeated as a caveat.)
    const std::vector<std::string> answer = report::answer_lines(file, summary, false);
    std::printf("\n");
    for (std::size_t i = 0; i < answer.size(); ++i)
      std::printf("%s%s\n", i == 0 ? "" : "  caveat: ", answer[i].c_str());
  }
  const std::vector<std::string> verdicts =
      experiments::describe_stationarity(file, models::stationarity_level, path_ids);
  if (!verdicts.empty()) std::printf("\n");
  for (const std::string& line : verdicts)
    std::printf("%s\n", line.c_str());
  // Does the answer depend on when the runs stopped? The same runs, read at earlier horizons.
  // Paths are meant to dip and recover: their J-curve answers for them below.
  experiments::HorizonCheck check = experiments::horizon_check(file, s.warmup_h);
  std::erase_if(check.models, [&](const experiments::HorizonComparison& c) {
    return std::any_of(paths.begin(), paths.end(),
                       [&](const experiments::PathOutcome& p) { return p.path == c.model; });
  });
  const std::vector<std::string> horizon = experiments::describe_horizon_check(check);
  if (!horizon.empty()) {
    std::printf("\nagainst the baseline at earlier horizons (paired, * where the 95%% CI "
                "excludes 0):\n");
    for (const std::string& line : horizon)
      std::printf("  %s\n", line.c_str());
  }
  if (!paths.empty()) {
    std::printf("\nreorganisation paths against staying where they start (cumulative net value, "
                "paired, 95%% CIs; times from the start of the run):\n");
    for (const std::string& line : experiments::describe_paths(paths))
      std::printf("  %s\n", line.c_str());
  }
  if (show_pools) print_pools(file, 0.95);
  if (unreliable_warmups > 0) {
    std::fprintf(stderr,
                 "itsim run: warning: in %zu of %zu runs MSER-5 found no end of the warm-up "
                 "(none in the first half of the horizon, or the backlog still trends after "
                 "it); lengthen the horizon or check the load\n",
                 unreliable_warmups, file.runs.size());
  }
  if (failed > 0) {
    std::fprintf(stderr,
                 "itsim run: %zu of %zu runs failed (recorded in the file); the first, %s\n",
                 failed, file.runs.size(), first_failure.c_str());
    return exit_runs_failed;
  }
  return exit_ok;
}

} // namespace itsim::cli
