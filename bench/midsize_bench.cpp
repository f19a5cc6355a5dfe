// SPDX-License-Identifier: Apache-2.0
// BM_Midsize: one replication of the default scenario (scenarios/midsize.yaml: 2,000
// employees, 82 IT staff, one simulated year) for every operating model it compares;
// BM_MidsizeModel/N: model N alone. items_per_second counts simulation events.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "itsim/models/org_model.hpp"
#include "itsim/scenarios/loader.hpp"

namespace {

const itsim::scenarios::Scenario& midsize() {
  static const itsim::scenarios::Scenario scenario = [] {
    itsim::scenarios::Diagnostics diags;
    const auto loaded = itsim::scenarios::load_scenario(
        std::string(ITSIM_SOURCE_DIR) + "/scenarios/midsize.yaml", {}, diags);
    if (!loaded) {
      std::fprintf(stderr, "%s\n", diags.format_all().c_str());
      std::exit(1);
    }
    return loaded->scenario;
  }();
  return scenario;
}

void BM_Midsize(benchmark::State& state) {
  const auto& s = midsize();
  std::uint64_t events = 0;
  std::uint64_t replication = 0;
  for (auto _ : state) {
    for (std::uint32_t m = 0; m < s.models.size(); ++m) {
      const auto r = itsim::models::run_model(s, m, replication);
      events += r.events;
      benchmark::DoNotOptimize(r.kpi.data());
    }
    ++replication;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}
BENCHMARK(BM_Midsize)->Unit(benchmark::kMillisecond);

void BM_MidsizeModel(benchmark::State& state) {
  const auto& s = midsize();
  const auto m = static_cast<std::uint32_t>(state.range(0));
  state.SetLabel(s.models.at(m).id);
  std::uint64_t events = 0;
  std::uint64_t replication = 0;
  for (auto _ : state) {
    const auto r = itsim::models::run_model(s, m, replication++);
    events += r.events;
    benchmark::DoNotOptimize(r.kpi.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}
BENCHMARK(BM_MidsizeModel)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

} // namespace
