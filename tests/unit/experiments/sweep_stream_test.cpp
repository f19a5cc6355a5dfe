// SPDX-License-Identifier: Apache-2.0
// A sweep's results file assembled from its journals a point at a time (write_sweep_results,
// bounded memory) holds, value for value, what the in-memory assembly (sweep_results,
// add_sweep_analysis, write_results) gives for the same records: /runs, /points, /summary,
// /comparison, /sensitivity and /winners, for a whole sweep and for a shard.
#include "itsim/experiments/sweep_results.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "itsim/analysis/summary.hpp"
#include "itsim/experiments/journal.hpp"
#include "itsim/experiments/sweep_plan.hpp"
#include "itsim/experiments/sweep_runner.hpp"
#include "itsim/scenarios/sweep.hpp"

namespace itsim::experiments {
namespace {

namespace fs = std::filesystem;

// Bit for bit, NaN equal to NaN.
bool same(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::memcmp(&a, &b, sizeof a) == 0;
}

void expect_same(const std::vector<double>& a, const std::vector<double>& b,
                 const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(same(a[i], b[i])) << what << " row " << i << ": " << a[i] << " vs " << b[i];
}

void expect_same(const analysis::ItemValues& a, const analysis::ItemValues& b,
                 const std::string& what) {
  ASSERT_EQ(a.index(), b.index()) << what;
  if (const auto* x = std::get_if<std::vector<double>>(&a)) {
    expect_same(*x, std::get<std::vector<double>>(b), what);
  } else {
    EXPECT_TRUE(a == b) << what;
  }
}

void expect_same_tables(const analysis::Table& a, const analysis::Table& b) {
  EXPECT_EQ(a.attributes, b.attributes) << a.group;
  ASSERT_EQ(a.columns.size(), b.columns.size()) << a.group;
  for (std::size_t c = 0; c < a.columns.size(); ++c) {
    EXPECT_EQ(a.columns[c].name, b.columns[c].name);
    EXPECT_EQ(a.columns[c].unit, b.columns[c].unit);
    expect_same(a.columns[c].values, b.columns[c].values, a.group + "/" + a.columns[c].name);
  }
}

void expect_same_files(const std::string& streamed, const std::string& in_memory) {
  const analysis::ResultsFile a = analysis::read_results(streamed);
  const analysis::ResultsFile b = analysis::read_results(in_memory);
  EXPECT_EQ(a.models, b.models);
  EXPECT_EQ(a.baseline, b.baseline);
  EXPECT_EQ(a.provenance.command_line, b.provenance.command_line);
  ASSERT_TRUE(a.sweep && b.sweep);
  EXPECT_EQ(a.sweep->id, b.sweep->id);
  EXPECT_EQ(a.sweep->shard_index, b.sweep->shard_index);
  EXPECT_EQ(a.runs.model, b.runs.model);
  EXPECT_EQ(a.runs.replication, b.runs.replication);
  EXPECT_EQ(a.runs.point, b.runs.point);
  EXPECT_EQ(a.runs.seed, b.runs.seed);
  EXPECT_EQ(a.runs.status, b.runs.status);
  EXPECT_EQ(a.runs.message, b.runs.message);
  ASSERT_EQ(a.runs.factors.size(), b.runs.factors.size());
  for (std::size_t j = 0; j < a.runs.factors.size(); ++j) {
    EXPECT_EQ(a.runs.factors[j].name, b.runs.factors[j].name);
    EXPECT_EQ(a.runs.factors[j].key_path, b.runs.factors[j].key_path);
    EXPECT_EQ(a.runs.factors[j].role, b.runs.factors[j].role);
    expect_same(a.runs.factors[j].values, b.runs.factors[j].values, a.runs.factors[j].name);
  }
  ASSERT_EQ(a.runs.kpis.size(), b.runs.kpis.size());
  for (std::size_t k = 0; k < a.runs.kpis.size(); ++k) {
    EXPECT_EQ(a.runs.kpis[k].name, b.runs.kpis[k].name);
    EXPECT_EQ(a.runs.kpis[k].unit, b.runs.kpis[k].unit);
    expect_same(a.runs.kpis[k].values, b.runs.kpis[k].values, "runs/" + a.runs.kpis[k].name);
  }
  ASSERT_EQ(a.tables.size(), b.tables.size());
  for (std::size_t t = 0; t < a.tables.size(); ++t) {
    EXPECT_EQ(a.tables[t].group, b.tables[t].group);
    expect_same_tables(a.tables[t], b.tables[t]);
  }
  const analysis::Summary sa = analysis::read_summary(streamed);
  const analysis::Summary sb = analysis::read_summary(in_memory);
  EXPECT_EQ(sa.kpi_names, sb.kpi_names);
  ASSERT_EQ(sa.rows.size(), sb.rows.size());
  for (std::size_t i = 0; i < sa.rows.size(); ++i) {
    const auto& x = sa.rows[i];
    const auto& y = sb.rows[i];
    EXPECT_EQ(x.model, y.model);
    EXPECT_EQ(x.point, y.point);
    EXPECT_EQ(x.runs_ok, y.runs_ok);
    EXPECT_EQ(x.runs_failed, y.runs_failed);
    ASSERT_EQ(x.kpis.size(), y.kpis.size());
    for (std::size_t k = 0; k < x.kpis.size(); ++k) {
      EXPECT_EQ(x.kpis[k].n, y.kpis[k].n);
      for (auto m :
           {&analysis::KpiSummary::mean, &analysis::KpiSummary::ci_half_width,
            &analysis::KpiSummary::p10, &analysis::KpiSummary::p50, &analysis::KpiSummary::p90})
        EXPECT_TRUE(same(x.kpis[k].*m, y.kpis[k].*m)) << "summary row " << i << " kpi " << k;
    }
  }
  ASSERT_EQ(sa.comparison.size(), sb.comparison.size());
  for (std::size_t i = 0; i < sa.comparison.size(); ++i) {
    const auto& x = sa.comparison[i];
    const auto& y = sb.comparison[i];
    EXPECT_EQ(x.model, y.model);
    EXPECT_EQ(x.point, y.point);
    for (std::size_t k = 0; k < x.kpis.size(); ++k) {
      EXPECT_EQ(x.kpis[k].n, y.kpis[k].n);
      EXPECT_TRUE(same(x.kpis[k].mean, y.kpis[k].mean)) << "comparison row " << i;
      EXPECT_TRUE(same(x.kpis[k].ci_half_width, y.kpis[k].ci_half_width));
      EXPECT_EQ(x.kpis[k].significant, y.kpis[k].significant);
    }
  }
}

class SweepStreamTest : public ::testing::Test {
protected:
  fs::path dir_ =
      fs::temp_directory_path() / ("itsim_sweep_stream_test_" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(dir_); }
  void TearDown() override { fs::remove_all(dir_); }

  SweepPlan plan(const std::string& body) {
    const fs::path p = dir_ / "s.yaml";
    std::ofstream(p) << "scenario: " << ITSIM_SOURCE_DIR << "/scenarios/midsize.yaml\n"
                     << "set: {horizon: 4w, warmup: 1w}\n"
                     << body;
    scenarios::Diagnostics d;
    std::optional<SweepPlan> out;
    if (auto spec = scenarios::load_sweep(p.string(), d)) out = plan_sweep(*spec, d);
    if (!out) throw std::runtime_error(d.format_all());
    return *out;
  }

  // Made-up records: KPIs linear in the point's numeric factors with a spread over
  // replications, one failed run, some non-finite values.
  static std::vector<RunRecord> records(const SweepPlan& p) {
    std::vector<RunRecord> out;
    for (std::uint64_t i = 0; i < p.run_count(); ++i) {
      const RunKey key = p.run(i);
      RunRecord r;
      r.index = i;
      double x = 0;
      for (const auto& level : p.points[key.point])
        if (level.number) x += *level.number;
      for (std::size_t k = 0; k < r.kpi.size(); ++k) {
        r.kpi[k] = (1.0 + 0.1 * double(k)) * x + 0.37 * double(key.model) * x +
                   std::sin(double(i * 7 + k)) * 0.3;
      }
      if (i % 11 == 4) r.kpi[2] = std::numeric_limits<double>::quiet_NaN();
      if (i == 9) {
        r.status = analysis::run_status_failed;
        r.message = "point 1 went wrong in a long way";
        r.kpi.fill(std::numeric_limits<double>::quiet_NaN());
      }
      out.push_back(r);
    }
    return out;
  }

  // The records in two journals, out of order, one run in both (as --resume may leave).
  std::vector<std::string> journals(const SweepPlan& p, const std::string& target,
                                    const std::vector<RunRecord>& rs) {
    {
      JournalWriter a(target + ".journal", p.id, p.run_count());
      JournalWriter b(target + ".journal.1", p.id, p.run_count());
      for (std::size_t i = rs.size(); i-- > 0;)
        (i % 3 == 0 ? b : a).append(rs[i]);
      a.append(rs[3]);
      a.close();
      b.close();
    }
    return find_journals(target);
  }

  void check(const std::string& body, std::uint32_t shard_k, std::uint32_t shard_n) {
    const SweepPlan p = plan(body);
    const std::vector<RunRecord> rs = records(p);
    const auto [first, last] = shard_n > 0
                                   ? shard_range(p.run_count(), shard_k, shard_n)
                                   : std::make_pair(std::uint64_t{0}, std::uint64_t{p.run_count()});
    analysis::Provenance provenance;
    provenance.command_line = "itsim sweep s.yaml";
    provenance.created_utc = "2026-12-01T00:00:00Z";
    // In memory, as itsim sweep did before.
    const std::vector<RunRecord> range(rs.begin() + static_cast<std::ptrdiff_t>(first),
                                       rs.begin() + static_cast<std::ptrdiff_t>(last));
    analysis::ResultsFile f = sweep_results(p, range, shard_k, shard_n);
    if (shard_n == 0) add_sweep_analysis(f);
    f.provenance = provenance;
    const std::string in_memory = (dir_ / "memory.h5").string();
    analysis::write_results(in_memory, f);
    // Streamed from the journals.
    const std::string streamed = (dir_ / "streamed.h5").string();
    const JournalIndex index(journals(p, streamed, rs), p.id, p.run_count(), first, last);
    ASSERT_FALSE(index.first_missing().has_value());
    const StreamedSweep s =
        write_sweep_results(streamed, p, index, first, last, shard_k, shard_n, provenance);
    EXPECT_EQ(s.runs, last - first);
    EXPECT_EQ(s.failed, first <= 9 && 9 < last ? 1u : 0u);
    expect_same_files(streamed, in_memory);
  }
};

const char* const lhs = "replications: 3\n"
                        "models: [passive, coe, rotation]\n"
                        "design: {type: lhs, samples: 7, seed: 5}\n"
                        "factors:\n"
                        "  mechanisms.handoff.retention: {min: 0.6, max: 0.95}\n"
                        "  staff.pools.l1.headcount: {min: 6, max: 9, integer: true}\n";

TEST_F(SweepStreamTest, WholeSweepEqualsTheInMemoryAssembly) {
  check(lhs, 0, 0);
}

TEST_F(SweepStreamTest, ShardEqualsTheInMemoryAssembly) {
  check(lhs, 2, 3); // starts and ends inside a point
}

TEST_F(SweepStreamTest, MorrisSweepEqualsTheInMemoryAssembly) {
  check("replications: 2\n"
        "models: [passive, coe]\n"
        "design: {type: morris, trajectories: 4, levels: 4, seed: 2}\n"
        "factors:\n"
        "  mechanisms.handoff.retention: {min: 0.6, max: 0.95}\n"
        "  mechanisms.knowledge.effort_penalty: {min: 0, max: 0.4}\n",
        0, 0);
}

TEST_F(SweepStreamTest, JournalIndexSaysWhichRunIsMissing) {
  const SweepPlan p = plan(lhs);
  std::vector<RunRecord> rs = records(p);
  rs.erase(rs.begin() + 17);
  const std::string target = (dir_ / "missing.h5").string();
  const JournalIndex index(journals(p, target, rs), p.id, p.run_count(), 0, p.run_count());
  EXPECT_EQ(index.first_missing(), std::optional<std::uint64_t>(17));
  EXPECT_EQ(index.longest_message(), std::string("point 1 went wrong in a long way").size());
  EXPECT_EQ(index.read(9).message, "point 1 went wrong in a long way");
  EXPECT_TRUE(same(index.read(20).kpi[3], rs[19].kpi[3]));
}

} // namespace
} // namespace itsim::experiments
