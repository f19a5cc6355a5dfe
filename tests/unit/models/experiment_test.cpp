// SPDX-License-Identifier: Apache-2.0
#include "itsim/models/experiment.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <string>

#include "itsim/scenarios/loader.hpp"
#include "itsim/sim/error.hpp"

namespace itsim::models {
namespace {

/// The default company, over a short horizon so that the test stays quick.
scenarios::Scenario short_midsize() {
  scenarios::Diagnostics diags;
  const auto loaded =
      scenarios::load_scenario(std::string(ITSIM_SOURCE_DIR) + "/scenarios/midsize.yaml",
                               {"horizon=6w", "warmup=1w", "replications=3"}, diags);
  if (!loaded) throw std::runtime_error(diags.format_all());
  return loaded->scenario;
}

bool same_bits(const RunResult& a, const RunResult& b) {
  return std::memcmp(a.kpi.data(), b.kpi.data(), sizeof(double) * kpi_count) == 0 &&
         a.events == b.events;
}

TEST(Experiment, ReturnsRunsModelByModelInReplicationOrder) {
  const scenarios::Scenario s = short_midsize();
  ExperimentOptions options;
  options.threads = 2;
  const auto runs = run_experiment(s, options);
  ASSERT_EQ(runs.size(), s.models.size() * 3);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].model, i / 3);
    EXPECT_EQ(runs[i].replication, i % 3);
    EXPECT_TRUE(runs[i].ok) << runs[i].error;
  }
}

TEST(Experiment, GivesTheSameBitsForAnyThreadCount) {
  const scenarios::Scenario s = short_midsize();
  ExperimentOptions one;
  one.threads = 1;
  const auto serial = run_experiment(s, one);
  for (const unsigned threads : {2U, 3U, 7U}) {
    ExperimentOptions many;
    many.threads = threads;
    const auto parallel = run_experiment(s, many);
    ASSERT_EQ(parallel.size(), serial.size());
    for (std::size_t i = 0; i < serial.size(); ++i)
      EXPECT_TRUE(same_bits(serial[i].result, parallel[i].result))
          << "run " << i << ", " << threads << " threads";
  }
  // And each run is the one run_model gives on its own.
  EXPECT_TRUE(same_bits(serial[4].result, run_model(s, serial[4].model, serial[4].replication)));
}

TEST(Experiment, OverridesTheReplicationsAndReportsProgress) {
  const scenarios::Scenario s = short_midsize();
  ExperimentOptions options;
  options.replications = 2;
  std::size_t last_done = 0;
  std::size_t last_total = 0;
  options.progress = [&](std::size_t done, std::size_t total, std::size_t failed) {
    EXPECT_GE(done, last_done);
    EXPECT_EQ(failed, 0U);
    last_done = done;
    last_total = total;
  };
  const auto runs = run_experiment(s, options);
  EXPECT_EQ(runs.size(), s.models.size() * 2);
  EXPECT_EQ(last_done, runs.size());
  EXPECT_EQ(last_total, runs.size());
}

TEST(Experiment, StopsWhenInterrupted) {
  const scenarios::Scenario s = short_midsize();
  std::atomic<bool> interrupt{true};
  ExperimentOptions options;
  options.interrupt = &interrupt;
  EXPECT_THROW(run_experiment(s, options), itsim::Error);
}

} // namespace
} // namespace itsim::models
