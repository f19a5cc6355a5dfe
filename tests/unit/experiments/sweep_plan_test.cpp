// SPDX-License-Identifier: Apache-2.0
// Sweep files and plans: designs, levers, constraints, the run list, and every bad input
// located in the sweep file.
#include "itsim/experiments/sweep_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "itsim/experiments/journal.hpp"
#include "itsim/experiments/sweep_runner.hpp"
#include "itsim/sim/format.hpp"

namespace itsim::experiments {
namespace {

namespace fs = std::filesystem;

class SweepPlanTest : public ::testing::Test {
protected:
  fs::path dir_ = fs::temp_directory_path() / ("itsim_sweep_test_" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(dir_); }
  void TearDown() override { fs::remove_all(dir_); }

  /// Writes a sweep file over the default company (short horizon) with `body` appended.
  std::string sweep_file(const std::string& body, const std::string& name = "s.yaml") {
    const fs::path p = dir_ / name;
    std::ofstream out(p);
    out << "scenario: " << ITSIM_SOURCE_DIR << "/scenarios/midsize.yaml\n"
        << "set: {horizon: 4w, warmup: 1w}\n"
        << "replications: 2\n"
        << body;
    return p.string();
  }

  std::optional<SweepPlan> plan(const std::string& body, std::string* errors = nullptr) {
    scenarios::Diagnostics d;
    const std::string file = sweep_file(body);
    std::optional<SweepPlan> p;
    if (auto spec = scenarios::load_sweep(file, d)) p = plan_sweep(*spec, d);
    if (errors != nullptr) *errors = d.format_all();
    return p;
  }

  /// The errors of a sweep that must fail, one string.
  std::string errors_of(const std::string& body) {
    std::string e;
    EXPECT_FALSE(plan(body, &e).has_value()) << body;
    return e;
  }
};

TEST_F(SweepPlanTest, LatinHypercubeFillsEveryStratumOfEveryFactor) {
  const auto p = plan("design: {type: lhs, samples: 10, seed: 3}\n"
                      "factors:\n"
                      "  mechanisms.handoff.retention: {min: 0.5, max: 1}\n"
                      "  mechanisms.knowledge.effort_penalty: {min: 0, max: 0.4}\n");
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->points.size(), 10u);
  EXPECT_EQ(p->models.size(), 4u);
  EXPECT_EQ(p->replications, 2u);
  EXPECT_EQ(p->run_count(), 80u);
  for (std::size_t j = 0; j < 2; ++j) {
    const double lo = j == 0 ? 0.5 : 0, width = j == 0 ? 0.5 : 0.4;
    std::set<int> strata;
    for (const auto& pt : p->points) {
      const double u = (*pt[j].number - lo) / width;
      ASSERT_GE(u, 0);
      ASSERT_LT(u, 1);
      strata.insert(static_cast<int>(std::floor(u * 10)));
      EXPECT_EQ(format_double(*pt[j].number), pt[j].text);
    }
    EXPECT_EQ(strata.size(), 10u) << "factor " << j;
  }
  // The same file gives the same plan and id; another design seed another one.
  const auto again = plan("design: {type: lhs, samples: 10, seed: 3}\n"
                          "factors:\n"
                          "  mechanisms.handoff.retention: {min: 0.5, max: 1}\n"
                          "  mechanisms.knowledge.effort_penalty: {min: 0, max: 0.4}\n");
  EXPECT_EQ(again->id, p->id);
  EXPECT_EQ(again->points[7][1].text, p->points[7][1].text);
  const auto other = plan("design: {type: lhs, samples: 10, seed: 4}\n"
                          "factors:\n"
                          "  mechanisms.handoff.retention: {min: 0.5, max: 1}\n"
                          "  mechanisms.knowledge.effort_penalty: {min: 0, max: 0.4}\n");
  EXPECT_NE(other->id, p->id);
  EXPECT_EQ(p->id.size(), 16u);
}

TEST_F(SweepPlanTest, RunListHasReplicationsInnermostAndInverts) {
  const auto p = plan("models: [coe, passive]\n"
                      "factors:\n"
                      "  staff.pools.l1.headcount: [6, 7, 8]\n");
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->models, (std::vector<std::uint32_t>{0, 3})); // scenario order: passive, coe
  ASSERT_EQ(p->run_count(), 12u);
  const RunKey k5 = p->run(5); // 4 runs a point (2 models x 2 replications): point 1,
  EXPECT_EQ(k5.point, 1u);     // its first model (passive), replication 1
  EXPECT_EQ(k5.model, 0u);
  EXPECT_EQ(k5.replication, 1u);
  for (std::uint64_t i = 0; i < p->run_count(); ++i)
    EXPECT_EQ(p->index_of(p->run(i)), i);
  const auto over = p->point_overrides(2);
  EXPECT_EQ(over.back(), "staff.pools.l1.headcount=8");
}

TEST_F(SweepPlanTest, GridStepsZipLeversAndConstraint) {
  auto p = plan("factors:\n"
                "  staff.pools.l1.headcount: {min: 6, max: 8, steps: 3}\n"
                "  mechanisms.handoff.retention: [0.7, 0.9]\n");
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->points.size(), 6u);
  EXPECT_EQ(p->points[0][0].text, "6");
  EXPECT_EQ(p->points[1][1].text, "0.9"); // the last factor fastest
  EXPECT_EQ(p->points[5][0].text, "8");

  p = plan("design: zip\n"
           "factors:\n"
           "  staff.pools.l1.headcount: [6, 7, 8]\n"
           "  mechanisms.handoff.retention: [0.7, 0.8, 0.9]\n");
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->points.size(), 3u);
  EXPECT_EQ(p->points[2][0].text + "/" + p->points[2][1].text, "8/0.9");

  // Levers crossed with every design point, inside; then the constraint.
  p = plan("design: {type: random, samples: 4, seed: 9}\n"
           "factors:\n"
           "  mechanisms.handoff.retention: {min: 0.6, max: 0.9}\n"
           "levers:\n"
           "  staff.pools.l1.headcount: [6, 9]\n"
           "constraint: staff.pools.l1.headcount > 6 || mechanisms.handoff.retention > 0.75\n");
  ASSERT_TRUE(p.has_value());
  ASSERT_LE(p->points.size(), 8u);
  ASSERT_GE(p->points.size(), 4u); // every point with 9 agents stays
  for (const auto& pt : p->points)
    EXPECT_TRUE(*pt[1].number > 6 || *pt[0].number > 0.75);
  EXPECT_TRUE(p->spec.factors[1].lever);
}

TEST_F(SweepPlanTest, IntegerRangesAndSuffixes) {
  std::string e;
  const auto p = plan("design: {type: random, samples: 30}\n"
                      "factors:\n"
                      "  staff.pools.l2.headcount: {min: 6, max: 9, integer: true}\n"
                      "  mechanisms.value.decay_half_life: {min: 10, max: 30, suffix: w}\n",
                      &e);
  ASSERT_TRUE(p.has_value()) << e;
  for (const auto& pt : p->points) {
    EXPECT_EQ(*pt[0].number, std::round(*pt[0].number));
    EXPECT_GE(*pt[0].number, 6);
    EXPECT_LE(*pt[0].number, 9);
    EXPECT_EQ(pt[1].text.back(), 'w');
  }
}

TEST_F(SweepPlanTest, MorrisDesignHasTrajectoriesOfKPlusOnePoints) {
  const auto p = plan("design: {type: morris, trajectories: 3, levels: 4, seed: 2}\n"
                      "factors:\n"
                      "  mechanisms.handoff.retention: {min: 0.6, max: 0.9}\n"
                      "  mechanisms.knowledge.effort_penalty: {min: 0.1, max: 0.5}\n");
  ASSERT_TRUE(p.has_value());
  ASSERT_TRUE(p->morris.has_value());
  EXPECT_EQ(p->points.size(), 9u);
}

TEST_F(SweepPlanTest, BadSweepFilesAreLocatedErrors) {
  const auto has = [](const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  };
  std::string e = errors_of("desing: grid\nfactors: {staff.pools.l1.headcount: [6]}\n");
  EXPECT_TRUE(has(e, "s.yaml:4:1: desing: unknown key \"desing\"; did you mean \"design\"?")) << e;
  e = errors_of("factors:\n  staff.pools.l9.headcount: [6]\n");
  EXPECT_TRUE(has(e, "s.yaml:5:3: factors.staff.pools.l9.headcount: the scenario has no "
                     "\"staff.pools.l9\" (staff.pools has l1, l2, l3, dev, ba, management)"))
      << e;
  e = errors_of("factors:\n  staff.pools.dev.headcont: [6]\n");
  EXPECT_TRUE(has(e, "did you mean \"staff.pools.dev.headcount\"?")) << e;
  e = errors_of("factors:\n  mechanisms.handoff.delay: [1h]\n");
  EXPECT_TRUE(has(e, "factors.mechanisms.handoff.delay: is a map in the scenario")) << e;
  e = errors_of("factors:\n  staff.pools.l1.headcount: []\n");
  EXPECT_TRUE(has(e, "empty list")) << e;
  e = errors_of("design: lhs\nfactors:\n  staff.pools.l1.headcount: {min: 9, max: 6}\n");
  EXPECT_TRUE(has(e, "max: empty range: max 6 is below min 9")) << e;
  EXPECT_TRUE(has(e, "design.samples: a Latin hypercube needs `samples` of at least 1")) << e;
  e = errors_of("design: {type: lhs, samples: 0}\nfactors:\n  staff.pools.l1.headcount: "
                "{min: 6, max: 9}\n");
  EXPECT_TRUE(has(e, "s.yaml:4:30: design.samples: a Latin hypercube needs `samples` of at "
                     "least 1, got 0"))
      << e;
  e = errors_of("factors:\n  staff.pools.l1.headcount: {min: 6, max: 9}\n");
  EXPECT_TRUE(has(e, "a grid needs the values")) << e;
  e = errors_of("design: zip\nfactors:\n  staff.pools.l1.headcount: [6, 7]\n"
                "  mechanisms.handoff.retention: [0.7]\n");
  EXPECT_TRUE(has(e, "zip needs lists of equal length")) << e;
  e = errors_of("design: {type: morris, trajectories: 2}\nfactors:\n"
                "  mechanisms.handoff.retention: {min: 0.6, max: 0.9}\n"
                "levers:\n  staff.pools.l1.headcount: [6, 7]\n");
  EXPECT_TRUE(has(e, "a Morris design varies one factor at a time")) << e;
  e = errors_of("factors:\n  mechanisms.handoff.retention: [0.7, 1.5]\n");
  EXPECT_TRUE(has(e, "s.yaml:5:3: factors.mechanisms.handoff.retention: value \"1.5\"")) << e;
  e = errors_of("factors:\n  staff.pools.l1.headcount: [6, 7]\nconstraint: "
                "staff.pools.l1.headcount > 10\n");
  EXPECT_TRUE(has(e, "s.yaml:6:13: constraint: removes every one of the 2 points")) << e;
  e = errors_of("factors:\n  staff.pools.l1.headcount: [6, 7]\nconstraint: l1 > 10\n");
  EXPECT_TRUE(has(e, "constraint: cannot evaluate")) << e;
  e = errors_of("models: [coe, pasive]\nfactors:\n  staff.pools.l1.headcount: [6]\n");
  EXPECT_TRUE(has(e, "the scenario has no model \"pasive\"; did you mean \"passive\"?")) << e;
  e = errors_of("replications: 0\nfactors:\n  staff.pools.l1.headcount: [6]\n");
  EXPECT_FALSE(e.empty());
  e = errors_of("design: grid\n");
  EXPECT_TRUE(has(e, "a sweep needs at least one factor or lever")) << e;
}

TEST_F(SweepPlanTest, ShardsCoverTheRunListOnce) {
  for (const std::uint64_t runs : {0ULL, 1ULL, 7ULL, 100ULL, 12345ULL}) {
    for (const std::uint32_t n : {1U, 2U, 3U, 7U, 64U}) {
      std::uint64_t next = 0;
      for (std::uint32_t k = 1; k <= n; ++k) {
        const auto [first, last] = shard_range(runs, k, n);
        EXPECT_EQ(first, next);
        EXPECT_LE(last - first, runs / n + 1);
        next = last;
      }
      EXPECT_EQ(next, runs);
    }
  }
}

TEST_F(SweepPlanTest, JournalKeepsCompleteRecordsAndDropsATornTail) {
  const std::string path = (dir_ / "j.journal").string();
  {
    JournalWriter w(path, "0123456789abcdef", 10);
    for (std::uint64_t i : {3ULL, 1ULL, 7ULL}) {
      RunRecord r;
      r.index = i;
      r.status = i == 7 ? 1 : 0;
      r.message = i == 7 ? "boom" : "";
      r.kpi.fill(double(i));
      w.append(r);
    }
    w.close();
  }
  auto records = read_journal(path, "0123456789abcdef", 10);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].index, 1u);
  EXPECT_EQ(records[2].message, "boom");
  EXPECT_EQ(records[2].kpi[5], 7.0);
  // A kill in the middle of a record: the torn record is ignored, and appending repairs.
  const auto size = fs::file_size(path);
  fs::resize_file(path, size - 5);
  std::uint64_t ignored = 0;
  records = read_journal(path, "0123456789abcdef", 10, &ignored);
  EXPECT_EQ(records.size(), 2u);
  EXPECT_GT(ignored, 0u);
  {
    JournalWriter w(path, "0123456789abcdef", 10);
    RunRecord r;
    r.index = 9;
    w.append(r);
    w.close();
  }
  records = read_journal(path, "0123456789abcdef", 10, &ignored);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].index, 9u);
  EXPECT_EQ(ignored, 0u);
  // Another sweep's journal is refused, by name.
  EXPECT_THROW(read_journal(path, "fedcba9876543210", 10), OutputError);
  EXPECT_THROW(JournalWriter(path, "0123456789abcdef", 11), OutputError);
  EXPECT_EQ(find_journals((dir_ / "j").string()), std::vector<std::string>{path});
}

TEST_F(SweepPlanTest, RunOneGivesTheRunOfThePointsScenario) {
  const auto p = plan("models: [passive]\nfactors:\n  staff.pools.l1.headcount: [5, 9]\n");
  ASSERT_TRUE(p.has_value());
  PointScenarios scenarios(*p);
  const RunRecord a = run_one(*p, 0, scenarios); // 5 agents, replication 0
  const RunRecord b = run_one(*p, 2, scenarios); // 9 agents, replication 0
  ASSERT_EQ(a.status, 0) << a.message;
  ASSERT_EQ(b.status, 0) << b.message;
  const auto wait = static_cast<std::size_t>(models::Kpi::wait_mean_h);
  const auto demand = static_cast<std::size_t>(models::Kpi::demand_generated);
  EXPECT_EQ(a.kpi[demand], b.kpi[demand]); // common random numbers across points
  EXPECT_GT(a.kpi[wait], b.kpi[wait]);     // fewer agents, longer waits
}

TEST_F(SweepPlanTest, RunSweepSinksEveryRunOnceWhateverTheThreads) {
  const auto p = plan("models: [passive, coe]\nfactors:\n  staff.pools.l1.headcount: [5, 9]\n");
  ASSERT_TRUE(p.has_value());
  const std::vector<std::uint64_t> indices = {7, 0, 3, 5, 1};
  std::vector<RunRecord> serial;
  for (const unsigned threads : {1U, 3U}) {
    SchedulerOptions options;
    options.threads = threads;
    RunProgress last;
    options.progress = [&last](const RunProgress& pr) { last = pr; };
    std::vector<RunRecord> sunk;
    run_sweep(*p, indices, options, [&sunk](const RunRecord& r) { sunk.push_back(r); });
    ASSERT_EQ(sunk.size(), indices.size());
    EXPECT_EQ(last.done, indices.size());
    EXPECT_EQ(last.failed, 0u);
    std::sort(sunk.begin(), sunk.end(),
              [](const RunRecord& a, const RunRecord& b) { return a.index < b.index; });
    if (serial.empty()) {
      serial = sunk;
      continue;
    }
    for (std::size_t i = 0; i < sunk.size(); ++i) {
      EXPECT_EQ(sunk[i].index, serial[i].index);
      EXPECT_EQ(sunk[i].kpi, serial[i].kpi) << "run " << sunk[i].index;
    }
  }
  EXPECT_EQ(serial.front().index, 0u);
  EXPECT_EQ(serial.back().index, 7u);
}

TEST_F(SweepPlanTest, RunSweepRethrowsWhatTheSinkThrowsAndStopsWhenInterrupted) {
  const auto p = plan("models: [passive]\nfactors:\n  staff.pools.l1.headcount: [5, 9]\n");
  ASSERT_TRUE(p.has_value());
  const std::vector<std::uint64_t> indices = {0, 1, 2, 3};
  SchedulerOptions options;
  options.threads = 2;
  std::size_t sunk = 0;
  EXPECT_THROW(run_sweep(*p, indices, options,
                         [&sunk](const RunRecord&) {
                           ++sunk;
                           throw OutputError("journal: disk full");
                         }),
               OutputError);
  EXPECT_EQ(sunk, 1u);
  std::atomic<bool> interrupt{true};
  options.interrupt = &interrupt;
  sunk = 0;
  EXPECT_THROW(run_sweep(*p, indices, options, [&sunk](const RunRecord&) { ++sunk; }), Error);
  EXPECT_EQ(sunk, 0u);
}

} // namespace
} // namespace itsim::experiments
