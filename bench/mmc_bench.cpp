// SPDX-License-Identifier: Apache-2.0
// Engine speed on M/M/10 at rho 0.9: the full engine path (StationNetwork, Station,
// Simulation, EventQueue, named streams) against a bare minimum heap loop on the same
// model. items_per_second counts events: an arrival and a departure count one each.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <queue>
#include <vector>

#include "itsim/models/station_network.hpp"
#include "itsim/sim/random_stream.hpp"

namespace {

using itsim::sim::Distribution;

constexpr double lambda = 9.0; // per hour
constexpr double mu = 1.0;     // per hour and server
constexpr std::uint32_t servers = 10;
constexpr double horizon_h = 50'000.0; // about 900k events

itsim::models::NetworkSpec mmc_spec() {
  itsim::models::NetworkSpec spec;
  itsim::models::SourceSpec src;
  src.name = "arrivals";
  src.interarrival_h = Distribution::exponential(1.0 / lambda);
  spec.sources.push_back(src);
  itsim::models::NetworkStationSpec st;
  st.config.name = "pool";
  st.config.capacity = itsim::sim::CapacitySchedule::constant(servers);
  st.service_h.push_back(Distribution::exponential(1.0 / mu));
  spec.stations.push_back(st);
  spec.horizon_h = horizon_h;
  return spec;
}

void BM_MMc(benchmark::State& state) {
  const itsim::models::NetworkSpec spec = mmc_spec();
  std::uint64_t events = 0;
  std::uint64_t rep = 0;
  for (auto _ : state) {
    const auto r = itsim::models::run_network(spec, 1, rep++);
    events += r.events;
    benchmark::DoNotOptimize(r.classes[0].wait_h.mean());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}
BENCHMARK(BM_MMc)->Unit(benchmark::kMillisecond);

// The least a simulator of this model must do: a std::priority_queue of (time, type)
// pairs, a FIFO of arrival times for the waits, the same generator and inverse-transform
// exponentials. No statistics beyond the mean wait, no generality.
void BM_BareHeapMMc(benchmark::State& state) {
  struct Ev {
    double t;
    bool arrival;
    bool operator>(const Ev& o) const { return t > o.t; }
  };
  std::uint64_t events = 0;
  std::uint64_t rep = 0;
  for (auto _ : state) {
    itsim::sim::RandomStream arr(1, rep, "arrivals");
    itsim::sim::RandomStream svc(1, rep++, "service");
    std::priority_queue<Ev, std::vector<Ev>, std::greater<>> heap;
    std::queue<double> waiting;
    std::uint32_t busy = 0;
    double wait_sum = 0;
    std::uint64_t started = 0;
    heap.push({-std::log(arr.uniform_open01()) / lambda, true});
    while (!heap.empty()) {
      const Ev e = heap.top();
      heap.pop();
      if (e.t > horizon_h) break;
      ++events;
      if (e.arrival) {
        heap.push({e.t - std::log(arr.uniform_open01()) / lambda, true});
        if (busy < servers) {
          ++busy;
          ++started;
          heap.push({e.t - std::log(svc.uniform_open01()) / mu, false});
        } else {
          waiting.push(e.t);
        }
      } else if (!waiting.empty()) {
        wait_sum += e.t - waiting.front();
        waiting.pop();
        ++started;
        heap.push({e.t - std::log(svc.uniform_open01()) / mu, false});
      } else {
        --busy;
      }
    }
    benchmark::DoNotOptimize(wait_sum / static_cast<double>(started));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}
BENCHMARK(BM_BareHeapMMc)->Unit(benchmark::kMillisecond);

} // namespace
