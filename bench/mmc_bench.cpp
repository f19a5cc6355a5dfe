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
#include "itsim/sim/simulation.hpp"

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
    benchmark::DoNotOptimize(r.classes[0].wait_mean_h());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}
BENCHMARK(BM_MMc)->Unit(benchmark::kMillisecond);

// The kernel alone: Simulation, EventQueue, named streams and Distribution driven by a
// minimal handler (a busy count and a FIFO of arrival times), without Station's records,
// disciplines and statistics. The gap between this and BM_MMc is the cost of the generic
// station; the gap between this and BM_BareHeapMMc is the cost of the kernel.
class KernelMMc final : public itsim::sim::EventHandler {
public:
  KernelMMc(itsim::sim::Simulation& sim)
      : sim_(sim), id_(sim.add_handler(*this)), arrivals_(sim.stream("arrivals")),
        service_(sim.stream("service")) {
    waiting_.reserve(1024);
  }
  void start() { schedule_arrival(); }
  void handle(const itsim::sim::Event& e) override {
    const auto now = sim_.now();
    if (e.kind == 0) {
      schedule_arrival();
      if (busy_ < servers) {
        ++busy_;
        start_service();
      } else {
        waiting_.push_back(now.ticks());
      }
    } else if (head_ < waiting_.size()) {
      wait_ticks_ += now.ticks() - waiting_[head_++];
      if (head_ == waiting_.size()) waiting_.clear(), head_ = 0;
      start_service();
    } else {
      --busy_;
    }
  }
  std::int64_t wait_ticks() const { return wait_ticks_; }

private:
  void schedule_arrival() {
    sim_.schedule_in(itsim::sim::SimDuration::from_hours(interarrival_.sample(arrivals_)), id_, 0);
  }
  void start_service() {
    sim_.schedule_in(itsim::sim::SimDuration::from_hours(service_time_.sample(service_)), id_, 1);
  }
  itsim::sim::Simulation& sim_;
  itsim::sim::HandlerId id_;
  itsim::sim::RandomStream arrivals_;
  itsim::sim::RandomStream service_;
  const Distribution interarrival_ = Distribution::exponential(1.0 / lambda);
  const Distribution service_time_ = Distribution::exponential(1.0 / mu);
  std::vector<std::int64_t> waiting_;
  std::size_t head_ = 0;
  std::uint32_t busy_ = 0;
  std::int64_t wait_ticks_ = 0;
};

void BM_KernelMMc(benchmark::State& state) {
  std::uint64_t events = 0;
  std::uint64_t rep = 0;
  for (auto _ : state) {
    itsim::sim::Simulation sim(1, rep++);
    KernelMMc model(sim);
    model.start();
    sim.run_until(itsim::sim::SimTime::zero() + itsim::sim::SimDuration::from_hours(horizon_h));
    events += sim.events_processed();
    benchmark::DoNotOptimize(model.wait_ticks());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}
BENCHMARK(BM_KernelMMc)->Unit(benchmark::kMillisecond);

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
