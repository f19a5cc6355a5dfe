// SPDX-License-Identifier: Apache-2.0
// BM_Sweep/T: a 1,000-run sweep of the default company (25 Latin-hypercube points x 4
// models x 10 replications of 4 simulated weeks) through the sweep runner on T threads,
// journal included, as `itsim sweep` runs it; items_per_second counts runs.
// BM_SweepRunsAlone: the same 1,000 runs by run_model in a plain loop, scenarios loaded
// once a point: what the runs cost without the runner (its overhead is the difference
// with BM_Sweep/1).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "itsim/experiments/journal.hpp"
#include "itsim/experiments/sweep_plan.hpp"
#include "itsim/experiments/sweep_runner.hpp"

namespace {

namespace fs = std::filesystem;
using namespace itsim;

const experiments::SweepPlan& plan() {
  static const experiments::SweepPlan p = [] {
    const fs::path file = fs::temp_directory_path() / "itsim_bench_sweep.yaml";
    std::ofstream(file) << "scenario: " << ITSIM_SOURCE_DIR << "/scenarios/midsize.yaml\n"
                        << "set: {horizon: 4w, warmup: 1w}\n"
                        << "replications: 10\n"
                        << "design: {type: lhs, samples: 25, seed: 1}\n"
                        << "factors:\n"
                        << "  mechanisms.handoff.retention: {min: 0.6, max: 0.95}\n"
                        << "  staff.pools.l1.headcount: {min: 6, max: 10, integer: true}\n";
    scenarios::Diagnostics diags;
    std::optional<experiments::SweepPlan> planned;
    if (auto spec = scenarios::load_sweep(file.string(), diags))
      planned = experiments::plan_sweep(*spec, diags);
    if (!planned) {
      std::fprintf(stderr, "%s\n", diags.format_all().c_str());
      std::exit(1);
    }
    return *planned;
  }();
  return p;
}

void BM_Sweep(benchmark::State& state) {
  const auto& p = plan();
  std::vector<std::uint64_t> all(p.run_count());
  for (std::uint64_t i = 0; i < all.size(); ++i)
    all[i] = i;
  experiments::SchedulerOptions options;
  options.threads = static_cast<unsigned>(state.range(0));
  const std::string journal = (fs::temp_directory_path() / "itsim_bench_sweep.journal").string();
  for (auto _ : state) {
    fs::remove(journal);
    experiments::JournalWriter w(journal, p.id, p.run_count());
    experiments::run_sweep(p, all, options, [&w](const experiments::RunRecord& r) { w.append(r); });
    w.close();
  }
  fs::remove(journal);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(all.size()));
}
BENCHMARK(BM_Sweep)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SweepRunsAlone(benchmark::State& state) {
  const auto& p = plan();
  std::vector<scenarios::Scenario> points;
  for (std::uint32_t i = 0; i < p.points.size(); ++i) {
    scenarios::Diagnostics d;
    points.push_back(p.composed->load(p.point_overrides(i), d)->scenario);
  }
  for (auto _ : state) {
    for (std::uint64_t i = 0; i < p.run_count(); ++i) {
      const experiments::RunKey k = p.run(i);
      const auto r = models::run_model(points[k.point], k.model, k.replication);
      benchmark::DoNotOptimize(r.kpi.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(p.run_count()));
}
BENCHMARK(BM_SweepRunsAlone)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace
