// SPDX-License-Identifier: Apache-2.0
#include "itsim/experiments/experiment.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <bit>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "itsim/experiments/run_results.hpp"
#include "itsim/scenarios/loader.hpp"
#include "itsim/sim/error.hpp"

namespace itsim::experiments {
namespace {

scenarios::Scenario midsize(const std::vector<std::string>& overrides) {
  scenarios::Diagnostics diags;
  const auto loaded = scenarios::load_scenario(
      std::string(ITSIM_SOURCE_DIR) + "/scenarios/midsize.yaml", overrides, diags);
  if (!loaded) throw std::runtime_error(diags.format_all());
  return loaded->scenario;
}

/// The default company, over a short horizon so that the test stays quick.
scenarios::Scenario short_midsize() {
  return midsize({"horizon=6w", "warmup=1w", "replications=3"});
}

bool same_bits(const models::RunResult& a, const models::RunResult& b) {
  return std::memcmp(a.kpi.data(), b.kpi.data(), sizeof(double) * models::kpi_count) == 0 &&
         a.events == b.events;
}

TEST(Experiment, ReturnsRunsModelByModelInReplicationOrder) {
  const scenarios::Scenario s = short_midsize();
  ExperimentOptions options;
  options.scheduler.threads = 2;
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
  one.scheduler.threads = 1;
  const auto serial = run_experiment(s, one);
  for (const unsigned threads : {2U, 3U, 7U}) {
    ExperimentOptions many;
    many.scheduler.threads = threads;
    const auto parallel = run_experiment(s, many);
    ASSERT_EQ(parallel.size(), serial.size());
    for (std::size_t i = 0; i < serial.size(); ++i)
      EXPECT_TRUE(same_bits(serial[i].result, parallel[i].result))
          << "run " << i << ", " << threads << " threads";
  }
  // And each run is the one run_model gives on its own.
  EXPECT_TRUE(
      same_bits(serial[4].result, models::run_model(s, serial[4].model, serial[4].replication)));
}

TEST(Experiment, HandsRunsOverInRunOrderWithTheirItemsForAnyThreadCount) {
  const scenarios::Scenario s = midsize({"horizon=4w", "warmup=1w", "replications=4"});
  ExperimentOptions whole;
  whole.record_items = true;
  whole.scheduler.threads = 1;
  const auto reference = run_experiment(s, whole);
  analysis::ResultsFile file = start_results(s, "");
  add_runs(file, s, reference, 0, 0, true);
  ASSERT_GT(file.requests->rows(), 1000u);
  for (const unsigned threads : {1U, 2U, 5U}) {
    ExperimentOptions options;
    options.record_items = true;
    options.scheduler.threads = threads;
    std::vector<std::size_t> order;
    analysis::ItemTable rows = request_layout(s);
    options.in_order = [&](std::size_t i, ExperimentRun& run) {
      order.push_back(i);
      append_request_rows(rows, s, run, static_cast<std::uint32_t>(i));
      run.result.items.clear();
    };
    const auto runs = run_experiment(s, options);
    ASSERT_EQ(order.size(), runs.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      EXPECT_EQ(order[i], i);
      EXPECT_TRUE(runs[i].result.items.empty()); // left as in_order left them
      EXPECT_TRUE(same_bits(runs[i].result, reference[i].result));
    }
    // The rows add_runs builds from runs kept whole, in the same order.
    ASSERT_EQ(rows.columns.size(), file.requests->columns.size());
    for (std::size_t k = 0; k < rows.columns.size(); ++k) {
      EXPECT_EQ(rows.columns[k].name, file.requests->columns[k].name);
      EXPECT_EQ(rows.columns[k].unit, file.requests->columns[k].unit);
      EXPECT_TRUE(rows.columns[k].values == file.requests->columns[k].values ||
                  rows.columns[k].name == "finished_h" || rows.columns[k].name == "lead_time_h" ||
                  rows.columns[k].name == "sla_met")
          << rows.columns[k].name; // (NaN != NaN: compared below)
    }
    const auto bits = [](const analysis::ItemValues& v) {
      std::vector<std::uint64_t> out;
      for (const double x : std::get<std::vector<double>>(v))
        out.push_back(std::bit_cast<std::uint64_t>(x));
      return out;
    };
    for (const char* name : {"finished_h", "lead_time_h", "sla_met"})
      EXPECT_EQ(bits(rows.column(name)->values), bits(file.requests->column(name)->values)) << name;
  }
}

TEST(Experiment, RequestStringWidthsHoldEveryValue) {
  const scenarios::Scenario s = short_midsize();
  const auto widths = request_string_widths(s);
  const analysis::ItemTable layout = request_layout(s);
  ASSERT_EQ(widths.size(), layout.columns.size());
  for (std::size_t k = 0; k < widths.size(); ++k) {
    const bool text = std::holds_alternative<std::vector<std::string>>(layout.columns[k].values);
    EXPECT_EQ(widths[k] > 0, text) << layout.columns[k].name;
  }
  EXPECT_EQ(widths[4], std::strlen("customer_opportunity")); // origin
  EXPECT_EQ(widths[5], std::strlen("shadow_build"));         // outcome
}

TEST(Experiment, OverridesTheReplicationsAndReportsProgress) {
  const scenarios::Scenario s = short_midsize();
  ExperimentOptions options;
  options.replications = 2;
  RunProgress last;
  options.scheduler.progress = [&](const RunProgress& p) {
    EXPECT_GE(p.done, last.done);
    EXPECT_EQ(p.failed, 0U);
    last = p;
  };
  const auto runs = run_experiment(s, options);
  EXPECT_EQ(runs.size(), s.models.size() * 2);
  EXPECT_EQ(last.done, runs.size());
  EXPECT_EQ(last.total, runs.size());
}

TEST(Experiment, PassesRecordingOptionsAndReplicationOffset) {
  const scenarios::Scenario s = midsize({"horizon=4w", "warmup=0d", "replications=2"});
  ExperimentOptions options;
  options.scheduler.threads = 2;
  options.first_replication = 5;
  options.timeseries_step_h = 12;
  options.record_items = true;
  const auto runs = run_experiment(s, options);
  ASSERT_EQ(runs.size(), s.models.size() * 2);
  for (const ExperimentRun& run : runs) {
    ASSERT_TRUE(run.ok) << run.error;
    EXPECT_GE(run.replication, 5u);
    EXPECT_LE(run.replication, 6u);
    EXPECT_EQ(run.result.series_points, 56u);
    EXPECT_FALSE(run.result.items.empty());
    const models::RunOptions plain;
    EXPECT_EQ(std::memcmp(run.result.kpi.data(),
                          models::run_model(s, run.model, run.replication, plain).kpi.data(),
                          sizeof(double) * models::kpi_count),
              0);
  }
}

TEST(Experiment, RecordsAFailedRunWithItsMessageAndGoesOn) {
  // An infinite arrival rate (which the loader would refuse) makes every run throw.
  scenarios::Scenario s = midsize({"horizon=2w", "warmup=0d", "replications=2"});
  s.work_types.at(0).rate_per_hour = std::numeric_limits<double>::infinity();
  ExperimentOptions options;
  options.scheduler.threads = 2;
  std::size_t failed = 0;
  options.scheduler.progress = [&failed](const RunProgress& p) { failed = p.failed; };
  const auto runs = run_experiment(s, options);
  ASSERT_EQ(runs.size(), s.models.size() * 2);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].model, i / 2); // every run is there, in its place
    EXPECT_FALSE(runs[i].ok);
    EXPECT_NE(runs[i].error.find("must be finite"), std::string::npos) << runs[i].error;
  }
  EXPECT_EQ(failed, runs.size());
}

TEST(Experiment, StopsWhenInterrupted) {
  const scenarios::Scenario s = short_midsize();
  std::atomic<bool> interrupt{true};
  ExperimentOptions options;
  options.scheduler.interrupt = &interrupt;
  EXPECT_THROW(run_experiment(s, options), itsim::Error);
}

} // namespace
} // namespace itsim::experiments
