// SPDX-License-Identifier: Apache-2.0
// BM_Reorg/T: what `itsim run scenarios/reorg.yaml` computes before it writes: every model
// and reorganisation path of the shipped case (the midsize company over three years, 20
// replications, the daily time series the file records) on T threads, then each
// path's J-curve, trough and break-even with their intervals. The budget for the
// whole command is 10 s on a 2-core machine.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "itsim/experiments/experiment.hpp"
#include "itsim/experiments/path_check.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/scenarios/loader.hpp"

namespace {

const itsim::scenarios::Scenario& reorg() {
  static const itsim::scenarios::Scenario scenario = [] {
    itsim::scenarios::Diagnostics diags;
    const auto loaded = itsim::scenarios::load_scenario(
        std::string(ITSIM_SOURCE_DIR) + "/scenarios/reorg.yaml", {}, diags);
    if (!loaded) {
      std::fprintf(stderr, "%s\n", diags.format_all().c_str());
      std::exit(1);
    }
    return loaded->scenario;
  }();
  return scenario;
}

void BM_Reorg(benchmark::State& state) {
  const auto& s = reorg();
  for (auto _ : state) {
    itsim::experiments::ExperimentOptions options;
    options.timeseries_step_h = s.timeseries_step_h;
    options.scheduler.threads = static_cast<unsigned>(state.range(0));
    const std::vector<itsim::experiments::ExperimentRun> runs =
        itsim::experiments::run_experiment(s, options);
    itsim::analysis::ResultsFile file = itsim::experiments::start_results(s, "");
    itsim::experiments::add_runs(file, s, runs, 0, s.timeseries_step_h, false);
    const auto paths = itsim::experiments::path_outcomes(file, s, 0.95);
    benchmark::DoNotOptimize(paths.data());
  }
}
BENCHMARK(BM_Reorg)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace
