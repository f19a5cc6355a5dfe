// SPDX-License-Identifier: Apache-2.0
// BM_Report: `itsim report` of the main job's file (scenarios/midsize.yaml, every model, 30
// replications, the time series and tables `itsim run` writes): read the file and its
// statistics, render the board pack, write it (atomically). The file is made once, before
// timing. The budget: under 2 s, and the page under 5 MB (counter html_bytes).
//
// BM_ReportSweep: the same for a sweep of 10,000 runs (scenarios/midsize.yaml's four
// models x 5 replications x a 500-point Latin hypercube over three factors): planned by the
// real planner, its runs' KPIs synthesised (a model's offset, a linear effect of each
// factor and noise, no simulation) and put through the real sweep_results and
// add_sweep_analysis, so that /runs, /points, /summary, /comparison, /sensitivity and
// /winners are those of a real sweep of that size. The budget: under 10 s, and
// the page under 5 MB.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "itsim/analysis/results.hpp"
#include "itsim/experiments/experiment.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/experiments/sweep_plan.hpp"
#include "itsim/experiments/sweep_results.hpp"
#include "itsim/models/kpi.hpp"
#include "itsim/report/html_report.hpp"
#include "itsim/scenarios/loader.hpp"
#include "itsim/scenarios/sweep.hpp"
#include "itsim/sim/random_stream.hpp"

namespace {

const std::string& main_job_file() {
  static const std::string path = [] {
    itsim::scenarios::Diagnostics diags;
    const auto loaded = itsim::scenarios::load_scenario(
        std::string(ITSIM_SOURCE_DIR) + "/scenarios/midsize.yaml", {}, diags);
    if (!loaded) {
      std::fprintf(stderr, "%s\n", diags.format_all().c_str());
      std::exit(1);
    }
    const auto& s = loaded->scenario;
    itsim::experiments::ExperimentOptions options;
    options.timeseries_step_h = s.timeseries_step_h;
    const auto runs = itsim::experiments::run_experiment(s, options);
    itsim::analysis::ResultsFile file = itsim::experiments::start_results(s, "");
    itsim::experiments::add_runs(file, s, runs, 0, s.timeseries_step_h, false);
    const std::string p = (std::filesystem::temp_directory_path() /
                           ("itsim-bm-report-" + std::to_string(::getpid()) + ".h5"))
                              .string();
    itsim::analysis::write_results(p, file, {.force = true});
    return p;
  }();
  return path;
}

void BM_Report(benchmark::State& state) {
  const std::string& results = main_job_file();
  const std::string out = results + ".html";
  std::size_t bytes = 0;
  for (auto _ : state) {
    const itsim::report::ReportInput input = itsim::report::read_report_input(results);
    const std::string html = itsim::report::render_html(input);
    itsim::report::write_file_atomically(out, html, true);
    bytes = html.size();
  }
  state.counters["html_bytes"] = static_cast<double>(bytes);
  std::filesystem::remove(out);
  std::filesystem::remove(results);
}
BENCHMARK(BM_Report)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

const std::string& sweep_file() {
  static const std::string path = [] {
    namespace fs = std::filesystem;
    const fs::path dir =
        fs::temp_directory_path() / ("itsim-bm-report-sweep-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string yaml = (dir / "sweep.yaml").string();
    std::ofstream(yaml) << "sweep: bench-10k\nscenario: " << ITSIM_SOURCE_DIR
                        << "/scenarios/midsize.yaml\nreplications: 5\n"
                           "design: {type: lhs, samples: 500, seed: 3}\nfactors:\n"
                           "  mechanisms.handoff.retention: {min: 0.6, max: 0.95}\n"
                           "  staff.pools.dev.headcount: {min: 40, max: 52, integer: true}\n"
                           "  staff.pools.l1.headcount: {min: 6, max: 10, integer: true}\n";
    itsim::scenarios::Diagnostics diags;
    const auto spec = itsim::scenarios::load_sweep(yaml, diags);
    const auto plan = spec ? itsim::experiments::plan_sweep(*spec, diags) : std::nullopt;
    if (!plan || plan->run_count() != 10'000) {
      std::fprintf(stderr, "bench sweep: %s\n", diags.format_all().c_str());
      std::exit(1);
    }
    // Synthetic KPIs: every KPI a positive noise, net value a model's offset plus a
    // linear effect of each numeric factor (scaled to its range) plus noise.
    itsim::sim::RandomStream noise(42, 0, "bench-report-sweep");
    std::vector<itsim::experiments::RunRecord> records(plan->run_count());
    const auto net = static_cast<std::size_t>(itsim::models::Kpi::net_value);
    for (std::uint64_t i = 0; i < records.size(); ++i) {
      const itsim::experiments::RunKey key = plan->run(i);
      itsim::experiments::RunRecord& r = records[i];
      r.index = i;
      for (double& v : r.kpi)
        v = 100.0 * (1.0 + noise.uniform01());
      double effect = 1e6 * double(key.model);
      double weight = 4e6;
      for (const itsim::scenarios::FactorLevel& level : plan->points[key.point]) {
        effect += weight * level.number.value_or(0.0);
        weight /= -8.0;
      }
      r.kpi[net] = effect + 2e5 * (noise.uniform01() - 0.5);
    }
    itsim::analysis::ResultsFile file = itsim::experiments::sweep_results(*plan, records, 0, 0);
    itsim::experiments::add_sweep_analysis(file);
    const std::string p = (dir / "sweep.h5").string();
    itsim::analysis::write_results(p, file, {.force = true});
    return p;
  }();
  return path;
}

void BM_ReportSweep(benchmark::State& state) {
  const std::string& results = sweep_file();
  const std::string out = results + ".html";
  std::size_t bytes = 0;
  for (auto _ : state) {
    const itsim::report::ReportInput input = itsim::report::read_report_input(results);
    const std::string html = itsim::report::render_html(input);
    itsim::report::write_file_atomically(out, html, true);
    bytes = html.size();
  }
  state.counters["html_bytes"] = static_cast<double>(bytes);
  state.counters["runs"] = 10'000;
  std::filesystem::remove_all(std::filesystem::path(results).parent_path());
}
BENCHMARK(BM_ReportSweep)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

} // namespace
