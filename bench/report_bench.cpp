// SPDX-License-Identifier: Apache-2.0
// BM_Report: `itsim report` of the main job's file (scenarios/midsize.yaml, every model, 30
// replications, the time series and tables `itsim run` writes): read the file and its
// statistics, render the board pack, write it (atomically). The file is made once, before
// timing. The budget: under 2 s, and the page under 5 MB (counter html_bytes).
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "itsim/analysis/results.hpp"
#include "itsim/experiments/experiment.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/report/html_report.hpp"
#include "itsim/scenarios/loader.hpp"

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

} // namespace
