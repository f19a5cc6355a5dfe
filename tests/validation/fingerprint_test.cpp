// SPDX-License-Identifier: Apache-2.0
// Determinism: a run is a pure function of (scenario, master seed, replication). The
// trajectory fingerprint (a hash of every event's time, target, kind and payload) must
// repeat exactly, and must equal the golden values in tests/regression/fingerprints.csv,
// which pins the numbers across compilers and standard libraries. An intended change of
// behaviour updates that file in the same commit and says why.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "itsim/sim/arrival_process.hpp"
#include "replications.hpp"

namespace itsim::validation {
namespace {

using sim::Distribution;
using sim::SimDuration;

// Exercises every mechanism of the engine at once: a business-hours profile of arrivals,
// two priority classes with patience, a shift schedule, a calendar, pre-emption and a
// rework loop into a second station.
models::NetworkSpec mixed_network() {
  models::NetworkSpec spec;
  sim::RateProfile profile;
  for (int h = 0; h < 24; ++h)
    profile.hour_of_day[static_cast<std::size_t>(h)] = (h >= 8 && h < 18) ? 3.0 : 0.2;
  profile.weekday = {1.4, 1.0, 1.0, 1.0, 0.9, 0.1, 0.1};
  profile.yearly_growth = 0.05;
  models::SourceSpec incidents;
  incidents.name = "incidents";
  incidents.process = sim::ArrivalProcess(2.0, profile.normalised());
  incidents.priority = 0;
  incidents.patience_h = Distribution::lognormal_median_sigma(4.0, 1.0);
  spec.sources.push_back(incidents);
  models::SourceSpec requests;
  requests.name = "requests";
  requests.interarrival_h = Distribution::exponential(1.0);
  requests.priority = 1;
  requests.patience_h = Distribution::weibull(1.5, 24.0);
  spec.sources.push_back(requests);

  models::NetworkStationSpec desk;
  desk.config.name = "desk";
  desk.config.discipline = sim::QueueDiscipline::priority;
  desk.config.preemptive = true;
  std::vector<sim::ShiftLevel> shifts;
  for (int d = 0; d < 5; ++d)
    shifts.push_back({d, SimDuration::hours(8), SimDuration::hours(18), 4});
  desk.config.capacity = sim::CapacitySchedule(1, shifts);
  desk.service_h = {Distribution::lognormal_mean_cv(0.25, 1.0),
                    Distribution::gamma_mean_cv(0.5, 0.8)};
  desk.routing = {0.0, 0.3};
  spec.stations.push_back(desk);

  models::NetworkStationSpec experts;
  experts.config.name = "experts";
  experts.config.capacity = sim::CapacitySchedule::constant(2);
  experts.config.calendar =
      sim::Calendar::business_hours(SimDuration::hours(9), SimDuration::hours(17));
  experts.service_h = {Distribution::triangular(0.5, 1.0, 3.0)};
  experts.routing = {0.1, 0.15};
  spec.stations.push_back(experts);
  spec.warmup_h = 24 * 7;
  spec.horizon_h = 24 * 7 * 8;
  return spec;
}

std::map<std::string, std::string> golden_fingerprints() {
  std::ifstream in(ITSIM_REGRESSION_DIR "/fingerprints.csv");
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    // name, seed=S, rep=R, fp=HEX
    std::istringstream fields(line);
    std::string name, seed, rep, fp;
    std::getline(fields, name, ',');
    std::getline(fields, seed, ',');
    std::getline(fields, rep, ',');
    std::getline(fields, fp, ',');
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(' '));
      return s;
    };
    out[name + "," + trim(seed) + "," + trim(rep)] = trim(fp).substr(3);
  }
  return out;
}

std::string hex(std::uint64_t v) {
  std::ostringstream s;
  s << std::hex << v;
  return s.str();
}

TEST(Fingerprint, SameSeedGivesTheSameTrajectory) {
  const auto a = models::run_network(mixed_network(), 42, 0, true);
  const auto b = models::run_network(mixed_network(), 42, 0, true);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.events, b.events);
  EXPECT_GT(a.events, 1000U);
  EXPECT_GT(a.stations[0].preemptions, 0U) << "the case should exercise pre-emption";
  EXPECT_GT(a.classes[1].reneged, 0U) << "the case should exercise reneging";
}

TEST(Fingerprint, OtherSeedOrReplicationGivesAnotherTrajectory) {
  const auto a = models::run_network(mixed_network(), 42, 0, true);
  EXPECT_NE(a.fingerprint, models::run_network(mixed_network(), 43, 0, true).fingerprint);
  EXPECT_NE(a.fingerprint, models::run_network(mixed_network(), 42, 1, true).fingerprint);
}

TEST(Fingerprint, MatchesTheGoldenValuesOnRecord) {
  const auto golden = golden_fingerprints();
  for (std::uint64_t rep : {0U, 1U}) {
    const std::string key = "mixed_network,seed=42,rep=" + std::to_string(rep);
    const auto it = golden.find(key);
    ASSERT_NE(it, golden.end()) << key << " missing from fingerprints.csv";
    EXPECT_EQ(hex(models::run_network(mixed_network(), 42, rep, true).fingerprint), it->second)
        << key << ": the trajectory changed; if intended, update tests/regression/fingerprints.csv";
  }
}

TEST(Fingerprint, ParallelReplicationsEqualSequentialOnes) {
  models::NetworkSpec spec = mixed_network();
  spec.horizon_h = 24 * 7 * 3;
  const auto parallel = run_replications(spec, 6, 7);
  for (std::uint64_t r = 0; r < 6; ++r) {
    const auto seq = models::run_network(spec, 7, r);
    EXPECT_EQ(parallel[r].events, seq.events);
    EXPECT_EQ(parallel[r].classes[0].sojourn_h.sum(), seq.classes[0].sojourn_h.sum());
  }
}

} // namespace
} // namespace itsim::validation
