// SPDX-License-Identifier: Apache-2.0
// The engine against queueing-network theory: tandem (Jackson) lines, Little's law on a
// network with feedback, and the pooling effect.
#include <gtest/gtest.h>

#include "itsim/analysis/queueing_theory.hpp"
#include "replications.hpp"

namespace itsim::validation {
namespace {

using models::NetworkResults;
using sim::Distribution;

constexpr std::size_t reps = 30;

models::NetworkStationSpec mm1_station(const std::string& name, double mu,
                                       std::vector<double> routing) {
  models::NetworkStationSpec st;
  st.config.name = name;
  st.service_h.push_back(Distribution::exponential(1.0 / mu));
  st.routing = std::move(routing);
  return st;
}

TEST(Validation, TandemJacksonLineSojournIsTheSumOfMM1Sojourns) {
  // lambda 1/h through mu 1.25/h then mu 1.5/h: W = 1/0.25 + 1/0.5 = 6 h.
  models::NetworkSpec spec = single_station(1.0, Distribution::exponential(0.8), 1, 500, 20500);
  spec.stations[0].routing = {0.0, 1.0};
  spec.stations.push_back(mm1_station("second", 1.5, {}));
  const auto runs = run_replications(spec, reps);
  EXPECT_TRUE(covers(
      ci99(runs, [](const NetworkResults& r) { return r.classes[0].sojourn_h.mean(); }), 6.0, 0.4));
  // The second station alone is an M/M/1 at rho 2/3 (Burke: its input is Poisson too).
  EXPECT_TRUE(covers(ci99(runs, [](const NetworkResults& r) { return r.stations[1].wait_mean_h; }),
                     (1 / 1.5) / 0.5, 0.15));
}

// Three stations, with feedback: 0 -> 1 (0.6) or 2 (0.4); 1 -> 0 (0.2) else out; 2 -> out.
// Traffic equations: g0 = 1 + 0.2 g1, g1 = 0.6 g0, g2 = 0.4 g0 -> g0 = 1/0.88.
models::NetworkSpec feedback_network() {
  models::NetworkSpec spec =
      single_station(1.0, Distribution::exponential(1.0 / 2.0), 1, 500, 20500);
  spec.stations[0].config.name = "triage";
  spec.stations[0].routing = {0.0, 0.6, 0.4};
  spec.stations.push_back(mm1_station("fix", 1.2, {0.2, 0.0, 0.0}));
  spec.stations.push_back(mm1_station("change", 0.8, {}));
  return spec;
}

TEST(Validation, LittlesLawHoldsOnANetworkWithFeedback) {
  const double g0 = 1 / 0.88, g1 = 0.6 * g0, g2 = 0.4 * g0;
  const double rho[] = {g0 / 2.0, g1 / 1.2, g2 / 0.8};
  double l_theory = 0;
  for (double r : rho)
    l_theory += r / (1 - r);
  const auto runs = run_replications(feedback_network(), reps);
  // L measured as the time-average number in the network, lambda W from arrivals and
  // sojourns: the two must agree in each replication up to edge effects.
  auto little_gap = [](const NetworkResults& r) {
    const double lambda = static_cast<double>(r.classes[0].arrivals) / r.observed_h;
    return r.in_system_mean - lambda * r.classes[0].sojourn_h.mean();
  };
  EXPECT_TRUE(covers(ci99(runs, little_gap), 0.0, 0.05));
  EXPECT_TRUE(covers(ci99(runs, [](const NetworkResults& r) { return r.in_system_mean; }), l_theory,
                     0.1 * l_theory));
  EXPECT_TRUE(covers(ci99(runs, [](const NetworkResults& r) { return r.classes[0].visits_mean(); }),
                     g0 + g1 + g2, 0.02));
}

TEST(Validation, FiveSplitMM2QueuesWaitMuchLongerThanOnePooledMM10) {
  // Five units each with their own M/M/2 at rho 0.8 wait 1.78 service times; pooling the
  // ten servers (M/M/10, same load) cuts the wait to 0.205 service times.
  models::NetworkSpec split;
  for (int u = 0; u < 5; ++u) {
    models::SourceSpec src;
    src.name = "unit" + std::to_string(u);
    src.interarrival_h = Distribution::exponential(1.0 / 1.6);
    src.first_station = static_cast<std::uint32_t>(u);
    split.sources.push_back(src);
    models::NetworkStationSpec st;
    st.config.name = "desk" + std::to_string(u);
    st.config.capacity = sim::CapacitySchedule::constant(2);
    st.service_h.push_back(Distribution::exponential(1.0));
    split.stations.push_back(std::move(st));
  }
  split.warmup_h = 200;
  split.horizon_h = 6200;
  const models::NetworkSpec pooled =
      single_station(8.0, Distribution::exponential(1.0), 10, 200, 6200);

  const auto split_runs = run_replications(split, reps);
  const auto pooled_runs = run_replications(pooled, reps);
  auto mean_wait = [](const NetworkResults& r) {
    double sum = 0;
    std::uint64_t n = 0;
    for (const auto& c : r.classes) {
      sum += c.wait_h_total;
      n += c.completed;
    }
    return sum / static_cast<double>(n);
  };
  EXPECT_TRUE(covers(ci99(split_runs, mean_wait), analysis::mmc_mean_wait(1.6, 1.0, 2), 0.1));
  EXPECT_TRUE(covers(ci99(pooled_runs, mean_wait), analysis::mmc_mean_wait(8.0, 1.0, 10), 0.02));
}

} // namespace
} // namespace itsim::validation
