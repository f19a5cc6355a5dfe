// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/results.hpp"

#include "itsim/analysis/summary.hpp"
#include "results_sample.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace itsim::analysis {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

// ---------------------------------------------------------------------------------------
// Comparison helpers: doubles compare by bits, so NaN == NaN and -0 != +0.

void expect_same_doubles(const std::vector<double>& got, const std::vector<double>& want,
                         const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(got[i]), std::bit_cast<std::uint64_t>(want[i]))
        << what << "[" << i << "]: " << got[i] << " != " << want[i];
  }
}

void expect_same_values(const ItemValues& got, const ItemValues& want, const std::string& what) {
  ASSERT_EQ(got.index(), want.index()) << what;
  if (const auto* d = std::get_if<std::vector<double>>(&want)) {
    expect_same_doubles(std::get<std::vector<double>>(got), *d, what);
  } else {
    EXPECT_TRUE(got == want) << what;
  }
}

void expect_same_columns(const std::vector<ItemColumn>& x, const std::vector<ItemColumn>& y,
                         const std::string& what) {
  ASSERT_EQ(x.size(), y.size()) << what;
  for (std::size_t c = 0; c < x.size(); ++c) {
    EXPECT_EQ(x[c].name, y[c].name) << what;
    EXPECT_EQ(x[c].unit, y[c].unit) << what;
    EXPECT_EQ(x[c].description, y[c].description) << what;
    expect_same_values(x[c].values, y[c].values, what + " column " + y[c].name);
  }
}

void expect_same(const ResultsFile& got, const ResultsFile& want) {
  EXPECT_EQ(got.provenance.format, want.provenance.format);
  EXPECT_EQ(got.provenance.format_version, want.provenance.format_version);
  EXPECT_EQ(got.provenance.itsim_version, want.provenance.itsim_version);
  EXPECT_EQ(got.provenance.git_describe, want.provenance.git_describe);
  EXPECT_EQ(got.provenance.command_line, want.provenance.command_line);
  EXPECT_EQ(got.provenance.created_utc, want.provenance.created_utc);
  EXPECT_EQ(got.scenario.yaml_resolved, want.scenario.yaml_resolved);
  EXPECT_EQ(got.scenario.master_seed, want.scenario.master_seed);
  EXPECT_EQ(got.models, want.models);
  EXPECT_EQ(got.baseline, want.baseline);

  const RunTable& a = got.runs;
  const RunTable& b = want.runs;
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.replication, b.replication);
  EXPECT_EQ(a.point, b.point);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.message, b.message);
  EXPECT_EQ(a.steady, b.steady);
  expect_same_doubles(a.backlog_slope_per_year, b.backlog_slope_per_year, "backlog_slope_per_year");
  ASSERT_EQ(a.factors.size(), b.factors.size());
  for (std::size_t k = 0; k < a.factors.size(); ++k) {
    EXPECT_EQ(a.factors[k].name, b.factors[k].name);
    EXPECT_EQ(a.factors[k].key_path, b.factors[k].key_path);
    EXPECT_EQ(a.factors[k].role, b.factors[k].role);
    EXPECT_EQ(a.factors[k].unit, b.factors[k].unit);
    EXPECT_EQ(a.factors[k].description, b.factors[k].description);
    expect_same_values(a.factors[k].values, b.factors[k].values, "factor " + b.factors[k].name);
  }
  ASSERT_EQ(a.kpis.size(), b.kpis.size());
  for (std::size_t k = 0; k < a.kpis.size(); ++k) {
    EXPECT_EQ(a.kpis[k].name, b.kpis[k].name);
    EXPECT_EQ(a.kpis[k].unit, b.kpis[k].unit);
    EXPECT_EQ(a.kpis[k].description, b.kpis[k].description);
    expect_same_doubles(a.kpis[k].values, b.kpis[k].values, "KPI " + b.kpis[k].name);
  }

  ASSERT_EQ(got.timeseries.has_value(), want.timeseries.has_value());
  if (want.timeseries) {
    const TimeSeriesSet& x = *got.timeseries;
    const TimeSeriesSet& y = *want.timeseries;
    EXPECT_EQ(std::bit_cast<std::uint64_t>(x.start_h), std::bit_cast<std::uint64_t>(y.start_h));
    EXPECT_EQ(std::bit_cast<std::uint64_t>(x.step_h), std::bit_cast<std::uint64_t>(y.step_h));
    EXPECT_EQ(x.points, y.points);
    ASSERT_EQ(x.series.size(), y.series.size());
    for (std::size_t s = 0; s < x.series.size(); ++s) {
      EXPECT_EQ(x.series[s].name, y.series[s].name);
      EXPECT_EQ(x.series[s].unit, y.series[s].unit);
      EXPECT_EQ(x.series[s].description, y.series[s].description);
      expect_same_doubles(x.series[s].values, y.series[s].values, "series " + y.series[s].name);
    }
  }

  ASSERT_EQ(got.requests.has_value(), want.requests.has_value());
  if (want.requests) expect_same_columns(got.requests->columns, want.requests->columns, "requests");

  ASSERT_EQ(got.sweep.has_value(), want.sweep.has_value());
  if (want.sweep) {
    const SweepInfo& x = *got.sweep;
    const SweepInfo& y = *want.sweep;
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.yaml, y.yaml);
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.runs_total, y.runs_total);
    EXPECT_EQ(x.points, y.points);
    EXPECT_EQ(x.design, y.design);
    EXPECT_EQ(x.shard_index, y.shard_index);
    EXPECT_EQ(x.shard_count, y.shard_count);
  }

  ASSERT_EQ(got.tables.size(), want.tables.size());
  for (std::size_t t = 0; t < got.tables.size(); ++t) {
    const Table& x = got.tables[t];
    const Table& y = want.tables[t];
    EXPECT_EQ(x.group, y.group);
    EXPECT_EQ(x.description, y.description);
    EXPECT_EQ(x.attributes, y.attributes) << "table " << y.group;
    expect_same_columns(x.columns, y.columns, "table " + y.group);
  }
}

void expect_same(const Summary& got, const Summary& want) {
  EXPECT_EQ(got.level, want.level);
  EXPECT_EQ(got.baseline, want.baseline);
  EXPECT_EQ(got.kpi_names, want.kpi_names);
  EXPECT_EQ(got.kpi_units, want.kpi_units);
  const auto bits = [](double x) { return std::bit_cast<std::uint64_t>(x); };
  ASSERT_EQ(got.rows.size(), want.rows.size());
  for (std::size_t i = 0; i < got.rows.size(); ++i) {
    const SummaryRow& x = got.rows[i];
    const SummaryRow& y = want.rows[i];
    EXPECT_EQ(x.model, y.model);
    EXPECT_EQ(x.point, y.point);
    EXPECT_EQ(x.runs_ok, y.runs_ok);
    EXPECT_EQ(x.runs_failed, y.runs_failed);
    ASSERT_EQ(x.kpis.size(), y.kpis.size());
    for (std::size_t k = 0; k < x.kpis.size(); ++k) {
      EXPECT_EQ(x.kpis[k].n, y.kpis[k].n);
      EXPECT_EQ(bits(x.kpis[k].mean), bits(y.kpis[k].mean));
      EXPECT_EQ(bits(x.kpis[k].ci_half_width), bits(y.kpis[k].ci_half_width));
      EXPECT_EQ(bits(x.kpis[k].p10), bits(y.kpis[k].p10));
      EXPECT_EQ(bits(x.kpis[k].p50), bits(y.kpis[k].p50));
      EXPECT_EQ(bits(x.kpis[k].p90), bits(y.kpis[k].p90));
    }
  }
  ASSERT_EQ(got.comparison.size(), want.comparison.size());
  for (std::size_t i = 0; i < got.comparison.size(); ++i) {
    const ComparisonRow& x = got.comparison[i];
    const ComparisonRow& y = want.comparison[i];
    EXPECT_EQ(x.model, y.model);
    EXPECT_EQ(x.point, y.point);
    ASSERT_EQ(x.kpis.size(), y.kpis.size());
    for (std::size_t k = 0; k < x.kpis.size(); ++k) {
      EXPECT_EQ(x.kpis[k].n, y.kpis[k].n);
      EXPECT_EQ(bits(x.kpis[k].mean), bits(y.kpis[k].mean));
      EXPECT_EQ(bits(x.kpis[k].ci_half_width), bits(y.kpis[k].ci_half_width));
      EXPECT_EQ(x.kpis[k].significant, y.kpis[k].significant);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Fixture: a fresh directory per test.

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// A small file with every part: UTF-8 text, NaN, a failed run, large YAML text.
ResultsFile small_file() {
  ResultsFile f = test::sample_results(3);
  f.provenance.command_line = "itsim run scénario.yaml -o résultats.h5 --set name=\"Ωmega\"";
  f.scenario.master_seed = std::numeric_limits<std::uint64_t>::max();
  std::string yaml = f.scenario.yaml_resolved;
  while (yaml.size() < 100'000) // beyond the 64 KiB of an HDF5 object header
    yaml += "# Grüße, 你好, ☃ — padding line to make the text long\n";
  f.scenario.yaml_resolved = yaml;
  f.runs.kpis[0].unit = "m²/€";
  f.runs.kpis[1].values[2] = -0.0;
  f.runs.kpis[1].values[3] = std::numeric_limits<double>::infinity();
  auto& kinds = std::get<std::vector<std::string>>(f.requests->columns[2].values);
  kinds[0] = "";
  kinds[1] = "naïve — ünïcødé ✓";
  return f;
}

class ResultsFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("itsim_results_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

// ---------------------------------------------------------------------------------------
// Round trips

TEST_F(ResultsFileTest, ReadsBackEveryPartExactly) {
  const ResultsFile f = small_file();
  write_results(path("r.h5"), f);
  expect_same(read_results(path("r.h5")), f);
}

TEST_F(ResultsFileTest, ReadsBackAFileWithoutOptionalParts) {
  ResultsFile f = small_file();
  f.timeseries.reset();
  f.requests.reset();
  f.runs.factors.clear();
  f.runs.steady.clear();
  f.runs.backlog_slope_per_year.clear();
  f.sweep.reset();
  f.tables.clear();
  write_results(path("r.h5"), f);
  const ResultsFile back = read_results(path("r.h5"));
  EXPECT_FALSE(back.timeseries.has_value());
  EXPECT_FALSE(back.requests.has_value());
  EXPECT_THAT(back.runs.factors, IsEmpty());
  EXPECT_FALSE(back.sweep.has_value());
  EXPECT_THAT(back.tables, IsEmpty());
  expect_same(back, f);
  {
    // Nothing of a sweep is in the file: it is what the writer wrote before sweeps.
    const hid_t file = H5Fopen(path("r.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    EXPECT_EQ(H5Lexists(file, "/sweep", H5P_DEFAULT), 0);
    EXPECT_EQ(H5Lexists(file, "/points", H5P_DEFAULT), 0);
    H5Fclose(file);
  }
}

// A sweep of 1100 runs (so that string factors are fixed-length and compressed), factors of
// every type, a shard's SweepInfo and tables of every column type, one of them empty.
ResultsFile sweep_file() {
  ResultsFile f;
  f.provenance.itsim_version = "0.1.0";
  f.provenance.created_utc = "2026-11-25T00:00:00Z";
  f.provenance.command_line = "itsim sweep s.yaml --shard 2/3";
  f.scenario.yaml_resolved = "name: s\n";
  f.models = {"a", "b"};
  f.baseline = "a";
  f.runs.kpis.push_back({"net_value", "money", "value minus cost", {}});
  f.runs.factors = {
      {"retention", "mechanisms.handoff_retention", "factor", "share", "kept",
       std::vector<double>{}},
      {"staff", "units.desk.staff", "factor", "people", "", std::vector<std::uint32_t>{}},
      {"budget.k", "finance.budget", "factor", "", "", std::vector<std::uint64_t>{}},
      {"policy", "intake.policy", "lever", "", "a decision — ça", std::vector<std::string>{}}};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::uint32_t point = 0; point < 550; ++point) {
    for (std::uint32_t m = 0; m < 2; ++m) {
      const double kpi = m == 1 && point % 7 == 0 ? nan : 1000.0 * point + m;
      f.runs.add_run(f.models[m], 0, point, 17 * point + m, run_status_ok, "",
                     std::vector<double>{kpi});
      std::get<std::vector<double>>(f.runs.factors[0].values).push_back(0.001 * point);
      std::get<std::vector<std::uint32_t>>(f.runs.factors[1].values).push_back(point % 9);
      std::get<std::vector<std::uint64_t>>(f.runs.factors[2].values)
          .push_back((std::uint64_t{1} << 50) + point);
      std::get<std::vector<std::string>>(f.runs.factors[3].values)
          .push_back(point % 2 == 0 ? "triage" : "");
    }
  }
  f.sweep = SweepInfo{.name = "big sweep ✓",
                      .yaml = "design: {kind: lhs, points: 550}\n",
                      .id = "FEDCBA9876543210",
                      .runs_total = 3300,
                      .points = 550,
                      .design = "lhs",
                      .shard_index = 2,
                      .shard_count = 3};
  Table sens{.group = "sensitivity",
             .description = "Morris elementary effects",
             .attributes = {{"method", "morris"}, {"a_first", "1"}, {"Zeta", "Ω"}},
             .columns = {}};
  sens.columns.push_back({"kpi", "", "KPI", std::vector<std::string>{"net_value", "net_value"}});
  sens.columns.push_back({"factor", "", "factor", std::vector<std::string>{"retention", "staff"}});
  sens.columns.push_back({"mu_star", "money", "mean |EE|", std::vector<double>{1.5, nan}});
  sens.columns.push_back({"r", "", "trajectories", std::vector<std::uint32_t>{10, 10}});
  sens.columns.push_back(
      {"seed", "", "seed",
       std::vector<std::uint64_t>{std::numeric_limits<std::uint64_t>::max(), 0}});
  f.tables.push_back(std::move(sens));
  f.tables.push_back(Table{.group = "winners",
                           .description = "",
                           .attributes = {},
                           .columns = {{"point", "", "point", std::vector<std::uint32_t>{}},
                                       {"model", "", "model", std::vector<std::string>{}},
                                       {"value", "money", "", std::vector<double>{}}}});
  f.tables.push_back(
      Table{.group = "no_columns", .description = "nothing", .attributes = {}, .columns = {}});
  return f;
}

TEST_F(ResultsFileTest, ReadsBackFactorsSweepAndTablesExactly) {
  const ResultsFile f = sweep_file();
  write_results(path("r.h5"), f);
  const ResultsFile back = read_results(path("r.h5"));
  expect_same(back, f);
  ASSERT_NE(back.runs.factor("policy"), nullptr);
  EXPECT_EQ(back.runs.factor("policy")->role, "lever");
  EXPECT_EQ(back.runs.factor("net_value"), nullptr);
  ASSERT_NE(back.table("winners"), nullptr);
  EXPECT_EQ(back.table("winners")->rows(), 0u);
  EXPECT_EQ(back.table("sensitivity")->rows(), 2u);
  EXPECT_NE(back.table("sensitivity")->column("mu_star"), nullptr);
  EXPECT_EQ(back.table("runs"), nullptr);
  // The statistics see the KPIs only, not the factors.
  const Summary s = read_summary(path("r.h5"));
  EXPECT_EQ(s.kpi_names, std::vector<std::string>{"net_value"});
  expect_same(s, summarize(f));
  EXPECT_EQ(s.rows.size(), 1100u); // 2 models x 550 points
}

TEST_F(ResultsFileTest, SweepFileGivesTheSameBytesEveryTime) {
  const ResultsFile f = sweep_file();
  write_results(path("a.h5"), f);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  write_results(path("b.h5"), f);
  const std::string a = read_bytes(dir_ / "a.h5");
  EXPECT_FALSE(a.empty());
  EXPECT_TRUE(a == read_bytes(dir_ / "b.h5")) << "the two files differ";
}

TEST_F(ResultsFileTest, ReadsOnlyGroupsWithARowScaleAsTables) {
  write_results(path("r.h5"), sweep_file());
  {
    // Another program's additions: a group without a `row` scale, and a plain table.
    const hid_t file = H5Fopen(path("r.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t notes = H5Gcreate2(file, "notes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const hsize_t three[1] = {3};
    const hid_t space = H5Screate_simple(1, three, nullptr);
    const double x[3] = {1, 2, 3};
    const hid_t d =
        H5Dcreate2(notes, "row", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    EXPECT_GE(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x), 0);
    H5Dclose(d);
    const hid_t extra = H5Gcreate2(file, "extra", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const std::uint32_t index[3] = {0, 1, 2};
    const hid_t row =
        H5Dcreate2(extra, "row", H5T_STD_U32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    EXPECT_GE(H5Dwrite(row, H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, index), 0);
    EXPECT_GE(H5DSset_scale(row, "row"), 0);
    const hid_t v =
        H5Dcreate2(extra, "v", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    EXPECT_GE(H5Dwrite(v, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x), 0);
    H5Dclose(v);
    H5Dclose(row);
    H5Sclose(space);
    H5Gclose(extra);
    H5Gclose(notes);
    H5Fclose(file);
  }
  const ResultsFile back = read_results(path("r.h5"));
  ASSERT_EQ(back.tables.size(), 4u);
  EXPECT_EQ(back.tables[3].group, "extra");
  EXPECT_EQ(back.tables[3].description, "");
  ASSERT_EQ(back.tables[3].columns.size(), 1u);
  expect_same_doubles(std::get<std::vector<double>>(back.tables[3].columns[0].values), {1, 2, 3},
                      "/extra/v");
  EXPECT_EQ(back.table("notes"), nullptr);
}

TEST_F(ResultsFileTest, ReadsBackEmptyOptionalPartsAndEmptyTables) {
  ResultsFile f;
  f.provenance.itsim_version = "0.1.0";
  f.provenance.created_utc = "2026-11-25T00:00:00Z";
  f.models = {"only"};
  f.baseline = "only";
  f.runs.kpis.push_back({"net_value", "money", "value minus cost", {}});
  f.timeseries = TimeSeriesSet{.start_h = 0.0, .step_h = 24.0, .points = 0, .series = {}};
  f.requests = ItemTable{{{"run", "", "row of /runs", std::vector<std::uint32_t>{}}}};
  write_results(path("empty.h5"), f);
  const ResultsFile back = read_results(path("empty.h5"));
  expect_same(back, f);
  EXPECT_EQ(back.runs.size(), 0u);
  const Summary s = read_summary(path("empty.h5"));
  EXPECT_THAT(s.rows, IsEmpty());
  EXPECT_THAT(s.comparison, IsEmpty());
}

TEST_F(ResultsFileTest, FillsInTheCreationTimeWhenEmpty) {
  ResultsFile f = small_file();
  f.provenance.created_utc.clear();
  write_results(path("r.h5"), f);
  const std::string t = read_results(path("r.h5")).provenance.created_utc;
  ASSERT_EQ(t.size(), 20u) << t;
  EXPECT_EQ(t[4], '-');
  EXPECT_EQ(t[10], 'T');
  EXPECT_EQ(t[19], 'Z');
}

TEST_F(ResultsFileTest, SummaryAndComparisonReadBackAsComputed) {
  const ResultsFile f = test::sample_results(5);
  write_results(path("r.h5"), f);
  const Summary s = read_summary(path("r.h5"));
  expect_same(s, summarize(f));
  EXPECT_EQ(s.baseline, "passive");
  EXPECT_EQ(s.rows.size(), 6u);       // 3 models x 2 points
  EXPECT_EQ(s.comparison.size(), 4u); // 2 models x 2 points
}

TEST_F(ResultsFileTest, RewritingTheSameValueGivesTheSameBytes) {
  const ResultsFile f = small_file();
  write_results(path("a.h5"), f);
  // Object timestamps have one-second resolution: a second later they would differ.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  write_results(path("b.h5"), f);
  const std::string a = read_bytes(dir_ / "a.h5");
  const std::string b = read_bytes(dir_ / "b.h5");
  ASSERT_GT(a.size(), 100'000u);
  EXPECT_TRUE(a == b) << "the two files differ";
}

// ---------------------------------------------------------------------------------------
// Output safety

TEST_F(ResultsFileTest, RefusesToOverwriteWithoutForce) {
  const std::string target = path("r.h5");
  { std::ofstream(target) << "precious"; }
  try {
    write_results(target, small_file());
    FAIL() << "expected OutputExistsError";
  } catch (const OutputExistsError& e) {
    EXPECT_EQ(std::string(e.what()), target + ": exists; use --force to overwrite");
  }
  EXPECT_EQ(read_bytes(target), "precious");
  EXPECT_EQ(entries(dir_), std::vector<std::string>{"r.h5"});
}

TEST_F(ResultsFileTest, ForceOverwrites) {
  const std::string target = path("r.h5");
  { std::ofstream(target) << "old"; }
  const ResultsFile f = small_file();
  write_results(target, f, {.force = true});
  expect_same(read_results(target), f);
  EXPECT_EQ(entries(dir_), std::vector<std::string>{"r.h5"});
}

TEST_F(ResultsFileTest, LeavesOnlyTheTargetBehind) {
  write_results(path("r.h5"), small_file());
  EXPECT_EQ(entries(dir_), std::vector<std::string>{"r.h5"});
}

TEST_F(ResultsFileTest, MissingDirectoryIsCannotCreate) {
  const std::string target = path("missing/r.h5");
  try {
    write_results(target, small_file());
    FAIL() << "expected OutputCreateError";
  } catch (const OutputExistsError&) {
    FAIL() << "not an OutputExistsError";
  } catch (const OutputCreateError& e) {
    EXPECT_THAT(e.what(), StartsWith(target + ": cannot create the output"));
    EXPECT_THAT(e.what(), HasSubstr("No such file or directory"));
  }
  EXPECT_THAT(entries(dir_), IsEmpty());
}

TEST_F(ResultsFileTest, ParentThatIsAFileIsCannotCreate) {
  { std::ofstream(path("file")) << "x"; }
  EXPECT_THROW(write_results(path("file/r.h5"), small_file()), OutputCreateError);
  EXPECT_EQ(entries(dir_), std::vector<std::string>{"file"});
}

TEST_F(ResultsFileTest, TargetThatIsADirectoryIsCannotCreate) {
  fs::create_directory(dir_ / "d.h5");
  try {
    write_results(path("d.h5"), small_file(), {.force = true});
    FAIL() << "expected OutputCreateError";
  } catch (const OutputCreateError& e) {
    EXPECT_EQ(std::string(e.what()), path("d.h5") + ": is a directory");
  }
  EXPECT_EQ(entries(dir_), std::vector<std::string>{"d.h5"});
}

TEST_F(ResultsFileTest, UnwritableDirectoryIsCannotCreate) {
  fs::create_directory(dir_ / "ro");
  fs::permissions(dir_ / "ro", fs::perms::owner_read | fs::perms::owner_exec);
  // Root ignores permissions: then use /sys, where no one may create files.
  const auto can_create_in = [](const fs::path& dir) {
    const fs::path probe = dir / ".itsim_probe";
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) return false;
    ::close(fd);
    ::unlink(probe.c_str());
    return true;
  };
  std::string target = path("ro/r.h5");
  if (can_create_in(dir_ / "ro")) {
    if (!fs::is_directory("/sys") || can_create_in("/sys")) {
      GTEST_SKIP() << "no unwritable directory available to this user";
    }
    target = "/sys/itsim_results_test.h5";
  }
  try {
    write_results(target, small_file());
    FAIL() << "expected OutputCreateError";
  } catch (const OutputCreateError& e) {
    EXPECT_THAT(e.what(), StartsWith(target + ": cannot create the output"));
  }
  EXPECT_FALSE(fs::exists(target));
  EXPECT_THAT(entries(dir_ / "ro"), IsEmpty());
}

// Lowers RLIMIT_FSIZE for its lifetime so that writes beyond `bytes` fail with EFBIG (a
// stand-in for a full disk), with SIGXFSZ ignored.
class FileSizeLimit {
public:
  explicit FileSizeLimit(rlim_t bytes) {
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &old_);
    rlimit lim = old_;
    lim.rlim_cur = bytes;
    ok_ = ::setrlimit(RLIMIT_FSIZE, &lim) == 0;
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;
  bool ok() const { return ok_; }

private:
  rlimit old_{};
  void (*old_handler_)(int) = nullptr;
  bool ok_ = false;
};

TEST_F(ResultsFileTest, WriteErrorIsAnIoErrorAndRemovesTheTemporaryFile) {
  const ResultsFile f = test::sample_results(200); // about 1.3 MB
  const std::string target = path("r.h5");
  std::string message;
  {
    const FileSizeLimit limit(256 * 1024);
    ASSERT_TRUE(limit.ok());
    try {
      write_results(target, f);
    } catch (const OutputWriteError& e) {
      message = e.what();
    }
  }
  ASSERT_FALSE(message.empty()) << "expected OutputWriteError";
  EXPECT_EQ(message, target + ": writing: File too large");
  EXPECT_THAT(entries(dir_), IsEmpty());
  // The same value writes fine once there is room.
  write_results(target, f);
  EXPECT_EQ(entries(dir_), std::vector<std::string>{"r.h5"});
}

// ---------------------------------------------------------------------------------------
// ResultsStream: /requests written as rows come

// `f` with a per-item table of `rows` rows over its runs (every column type, strings up
// to 9 bytes, NaN), in run order.
ResultsFile with_many_items(ResultsFile f, std::size_t rows) {
  std::vector<std::uint32_t> run;
  std::vector<std::uint64_t> serial;
  std::vector<std::string> kind;
  std::vector<double> lead;
  const std::array<const char*, 4> kinds = {"incident", "", "projet ä", "request"};
  for (std::size_t i = 0; i < rows; ++i) {
    run.push_back(static_cast<std::uint32_t>(i * f.runs.size() / rows));
    serial.push_back(i * 7919 % 100003);
    kind.push_back(kinds[(i * 31) % kinds.size()]);
    lead.push_back(i % 13 == 5 ? std::numeric_limits<double>::quiet_NaN() : 0.25 * double(i));
  }
  ItemTable t;
  t.columns.push_back({"run", "", "row of /runs", std::move(run)});
  t.columns.push_back({"item", "", "creation order", std::move(serial)});
  t.columns.push_back({"kind", "", "work type", std::move(kind)});
  t.columns.push_back({"lead_time_h", "h", "lead time", std::move(lead)});
  f.requests = std::move(t);
  return f;
}

// Rows first .. first+n of `t`.
ItemTable slice(const ItemTable& t, std::size_t first, std::size_t n) {
  ItemTable out;
  for (const ItemColumn& c : t.columns) {
    ItemColumn d{c.name, c.unit, c.description, {}};
    d.values = std::visit(
        [&](const auto& v) -> ItemValues {
          using V = std::decay_t<decltype(v)>;
          return V(v.begin() + static_cast<std::ptrdiff_t>(first),
                   v.begin() + static_cast<std::ptrdiff_t>(first + n));
        },
        c.values);
    out.columns.push_back(std::move(d));
  }
  return out;
}

// Streams f's /requests to `target` in uneven pieces (one row, less than a chunk, more than
// one) and finishes with the rest of f.
void write_streamed(const std::string& target, const ResultsFile& f) {
  const ItemTable& all = *f.requests;
  ResultsStream stream(target, all, {0, 0, 9, 0}, f.timeseries.has_value());
  const std::size_t n = all.rows();
  const std::size_t cuts[] = {0, std::min<std::size_t>(1, n), std::min<std::size_t>(1000, n),
                              std::min<std::size_t>(70000, n), n};
  for (std::size_t i = 0; i + 1 < std::size(cuts); ++i)
    stream.append_requests(slice(all, cuts[i], cuts[i + 1] - cuts[i]));
  EXPECT_EQ(stream.request_rows(), n);
  ResultsFile rest = f;
  rest.requests.reset();
  stream.finish(rest);
}

TEST_F(ResultsFileTest, StreamedRequestsReadBackAsWriteResultsWritesThem) {
  // Small (variable-length strings, contiguous in write_results) and over two chunks.
  for (const std::size_t rows : {std::size_t{40}, std::size_t{150'000}}) {
    const ResultsFile f = with_many_items(small_file(), rows);
    const std::string whole = path("whole-" + std::to_string(rows) + ".h5");
    const std::string streamed = path("streamed-" + std::to_string(rows) + ".h5");
    write_results(whole, f);
    write_streamed(streamed, f);
    const ResultsFile a = read_results(whole);
    const ResultsFile b = read_results(streamed);
    expect_same(b, a);
    expect_same(b, f);
    expect_same(read_summary(streamed), read_summary(whole));
  }
  EXPECT_EQ(entries(dir_).size(), 4u); // no temporary file left
}

TEST_F(ResultsFileTest, StreamedFileListsItsGroupsInTheUsualOrder) {
  const ResultsFile f = with_many_items(small_file(), 3000);
  write_results(path("whole.h5"), f);
  write_streamed(path("streamed.h5"), f);
  const auto groups = [](const std::string& file) {
    std::vector<std::string> names;
    const hid_t h = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    H5Literate(
        h, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr,
        [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
          static_cast<std::vector<std::string>*>(out)->push_back(name);
          return 0;
        },
        &names);
    H5Fclose(h);
    return names;
  };
  EXPECT_EQ(groups(path("streamed.h5")), groups(path("whole.h5")));
  EXPECT_THAT(groups(path("whole.h5")), ::testing::Contains("requests"));
}

TEST_F(ResultsFileTest, StreamedRowsBeyondTheirWidthOrRunsAreRefused) {
  const ResultsFile f = with_many_items(small_file(), 100);
  {
    ResultsStream stream(path("r.h5"), *f.requests, {0, 0, 3, 0}, true);
    EXPECT_THROW(stream.append_requests(*f.requests), std::invalid_argument); // "incident"
  }
  {
    ResultsStream stream(path("r.h5"), *f.requests, {0, 0, 9, 0}, true);
    ItemTable rows = *f.requests;
    std::get<std::vector<std::uint32_t>>(rows.columns[0].values)[7] =
        static_cast<std::uint32_t>(f.runs.size());
    stream.append_requests(rows);
    ResultsFile rest = f;
    rest.requests.reset();
    EXPECT_THROW(stream.finish(rest), std::invalid_argument);
  }
  EXPECT_THAT(entries(dir_), IsEmpty());
}

TEST_F(ResultsFileTest, AbandonedStreamLeavesNothing) {
  const ResultsFile f = with_many_items(small_file(), 100'000);
  {
    ResultsStream stream(path("r.h5"), *f.requests, {0, 0, 9, 0}, true);
    stream.append_requests(*f.requests);
    EXPECT_EQ(entries(dir_).size(), 1u); // the temporary file
  }
  EXPECT_THAT(entries(dir_), IsEmpty());
}

TEST_F(ResultsFileTest, StreamWriteErrorIsAnIoErrorAndRemovesTheTemporaryFile) {
  // 300,000 rows: about 4 MB compressed, far beyond the limit.
  const ResultsFile f = with_many_items(small_file(), 300'000);
  const std::string target = path("r.h5");
  std::string message;
  {
    const FileSizeLimit limit(256 * 1024);
    ASSERT_TRUE(limit.ok());
    try {
      write_streamed(target, f);
    } catch (const OutputWriteError& e) {
      message = e.what();
    }
  }
  ASSERT_FALSE(message.empty()) << "expected OutputWriteError";
  EXPECT_THAT(message, StartsWith(target + ": "));
  EXPECT_THAT(message, HasSubstr("File too large"));
  EXPECT_THAT(entries(dir_), IsEmpty());
  // HDF5 still works, and the same rows stream fine once there is room.
  write_streamed(target, f);
  expect_same(read_results(target), f);
}

TEST_F(ResultsFileTest, CheckOutputPathRefusesWhatWriteResultsWouldRefuse) {
  EXPECT_NO_THROW(check_output_path(path("r.h5")));
  EXPECT_THROW(check_output_path(path("missing/r.h5")), OutputCreateError);
  { std::ofstream(path("r.h5")) << "x"; }
  EXPECT_THROW(check_output_path(path("r.h5")), OutputExistsError);
  EXPECT_NO_THROW(check_output_path(path("r.h5"), {.force = true}));
  EXPECT_EQ(entries(dir_), std::vector<std::string>{"r.h5"}); // the probe is gone
}

TEST_F(ResultsFileTest, InvalidValueIsRejectedBeforeAnythingIsCreated) {
  ResultsFile f = small_file();
  f.runs.kpis[3].values.pop_back();
  try {
    write_results(path("r.h5"), f);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("KPI 'completed' has"));
  }
  EXPECT_THAT(entries(dir_), IsEmpty());
}

// ---------------------------------------------------------------------------------------
// Validation

std::string invalid_message(const ResultsFile& f) {
  try {
    validate_results(f);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(valid)";
}

TEST(ResultsValidation, NamesTheFirstInconsistency) {
  const ResultsFile good = test::sample_results(2);
  EXPECT_EQ(invalid_message(good), "(valid)");
  {
    ResultsFile f = good;
    f.runs.kpis[0].unit = "hours since start";
    EXPECT_THAT(invalid_message(f), HasSubstr("contains \"since\""));
  }
  {
    ResultsFile f = good;
    f.runs.model[4] = "nobody";
    EXPECT_THAT(invalid_message(f), HasSubstr("model 'nobody' is not one of the models"));
  }
  {
    ResultsFile f = good;
    f.runs.replication[1] = 0;
    EXPECT_THAT(invalid_message(f), HasSubstr("appears twice"));
  }
  {
    ResultsFile f = good;
    f.runs.kpis[2].name = "status";
    EXPECT_THAT(invalid_message(f), HasSubstr("'status': the name is reserved"));
  }
  {
    ResultsFile f = good;
    f.runs.kpis[2].name = "a/b";
    EXPECT_THAT(invalid_message(f), HasSubstr("must not contain '/'"));
  }
  {
    ResultsFile f = good;
    f.runs.steady[3] = 7;
    EXPECT_THAT(invalid_message(f), HasSubstr("runs row 3: steady is 7"));
  }
  {
    ResultsFile f = good;
    f.runs.backlog_slope_per_year.pop_back();
    EXPECT_THAT(invalid_message(f), HasSubstr("runs.backlog_slope_per_year"));
  }
  {
    ResultsFile f = good;
    f.runs.kpis[2].name = "steady";
    EXPECT_THAT(invalid_message(f), HasSubstr("'steady': the name is reserved"));
  }
  {
    ResultsFile f = good;
    f.baseline = "other";
    EXPECT_THAT(invalid_message(f), HasSubstr("baseline 'other' is not one of the models"));
  }
  {
    ResultsFile f = good;
    f.timeseries->series[0].values.pop_back();
    EXPECT_THAT(invalid_message(f), HasSubstr("time series 'backlog' has"));
  }
  {
    ResultsFile f = good;
    std::get<std::vector<std::uint32_t>>(f.requests->columns[0].values)[0] = 1000;
    EXPECT_THAT(invalid_message(f), HasSubstr("requests.run row 0 is 1000"));
  }
  {
    ResultsFile f = good;
    f.requests->columns.erase(f.requests->columns.begin());
    EXPECT_THAT(invalid_message(f), HasSubstr("no column 'run'"));
  }
}

TEST(ResultsValidation, NamesTheBadFactorColumn) {
  const ResultsFile good = test::sample_results(2);
  ASSERT_EQ(invalid_message(good), "(valid)");
  ASSERT_EQ(good.runs.factors[0].name, "handoff_retention");
  const auto with = [&](auto change) {
    ResultsFile f = good;
    change(f.runs.factors[0]);
    return invalid_message(f);
  };
  EXPECT_THAT(with([](FactorColumn& c) { std::get<std::vector<double>>(c.values).pop_back(); }),
              HasSubstr("factor 'handoff_retention' has 11 values, expected 12"));
  EXPECT_THAT(with([](FactorColumn& c) { c.name = "retention rate"; }),
              HasSubstr("factor 'retention rate': a name may hold only letters"));
  EXPECT_THAT(with([](FactorColumn& c) { c.name = ""; }), HasSubstr("factor has an empty name"));
  EXPECT_THAT(with([](FactorColumn& c) { c.name = "seed"; }),
              HasSubstr("factor 'seed': the name is reserved"));
  EXPECT_THAT(with([](FactorColumn& c) { c.name = "message"; }),
              HasSubstr("factor 'message': the name is reserved"));
  EXPECT_THAT(with([](FactorColumn& c) { c.name = "l1.staff"; }),
              HasSubstr("factor 'l1.staff' appears twice"));
  EXPECT_THAT(with([](FactorColumn& c) { c.name = "net_value"; }),
              HasSubstr("factor 'net_value': a KPI has the same name"));
  EXPECT_THAT(with([](FactorColumn& c) { c.key_path.clear(); }),
              HasSubstr("factor 'handoff_retention' has an empty key_path"));
  EXPECT_THAT(with([](FactorColumn& c) { c.role = "Factor"; }),
              HasSubstr("factor 'handoff_retention': role 'Factor' is neither"));
  EXPECT_THAT(with([](FactorColumn& c) { c.unit = "days since launch"; }),
              HasSubstr("factor 'handoff_retention': unit 'days since launch' contains \"since\""));
}

TEST(ResultsValidation, NamesTheBadSweepInfo) {
  const ResultsFile good = test::sample_results(2);
  const auto with = [&](auto change) {
    ResultsFile f = good;
    change(*f.sweep);
    return invalid_message(f);
  };
  EXPECT_THAT(with([](SweepInfo& w) { w.id = "0123456789abcde"; }),
              HasSubstr("sweep.id '0123456789abcde' is not 16 hexadecimal digits"));
  EXPECT_THAT(with([](SweepInfo& w) { w.id = "0123456789abcdeg"; }),
              HasSubstr("sweep.id '0123456789abcdeg'"));
  EXPECT_THAT(with([](SweepInfo& w) { w.design = "sobol"; }),
              HasSubstr("sweep.design 'sobol' is not one of"));
  const auto shard = [&](std::uint32_t k, std::uint32_t n) {
    return with([&](SweepInfo& w) {
      w.shard_index = k;
      w.shard_count = n;
    });
  };
  EXPECT_THAT(shard(3, 2), HasSubstr("sweep shard 3/2"));
  EXPECT_THAT(shard(0, 2), HasSubstr("sweep shard 0/2"));
  EXPECT_THAT(shard(1, 0), HasSubstr("sweep shard 1/0"));
  EXPECT_EQ(shard(2, 2), "(valid)");
  EXPECT_EQ(shard(1, 1), "(valid)");
}

TEST(ResultsValidation, NamesTheBadTable) {
  const ResultsFile good = test::sample_results(2);
  ASSERT_EQ(good.tables[1].group, "sensitivity");
  const auto with = [&](auto change) {
    ResultsFile f = good;
    change(f.tables[1]);
    return invalid_message(f);
  };
  EXPECT_THAT(with([](Table& t) { t.group = "sweep"; }),
              HasSubstr("table 'sweep': the name is reserved"));
  EXPECT_THAT(with([](Table& t) { t.group = "runs"; }),
              HasSubstr("table 'runs': the name is reserved"));
  EXPECT_THAT(with([](Table& t) { t.group = "a/b"; }),
              HasSubstr("table 'a/b': a name may hold only letters"));
  EXPECT_THAT(with([](Table& t) { t.group = ""; }), HasSubstr("table has an empty name"));
  EXPECT_THAT(with([](Table& t) { t.group = "points"; }),
              HasSubstr("table 'points' appears twice"));
  EXPECT_THAT(with([](Table& t) { std::get<std::vector<double>>(t.columns[2].values).pop_back(); }),
              HasSubstr("table 'sensitivity' column 'src' has 5 values, expected 6"));
  EXPECT_THAT(with([](Table& t) { t.columns[2].name = "row"; }),
              HasSubstr("table 'sensitivity' column 'row': the name is reserved"));
  EXPECT_THAT(with([](Table& t) { t.columns[2].name = "kpi"; }),
              HasSubstr("table 'sensitivity' column 'kpi' appears twice"));
  EXPECT_THAT(with([](Table& t) { t.columns[2].name = "x/y"; }),
              HasSubstr("table 'sensitivity' column 'x/y': a name must not contain '/'"));
  EXPECT_THAT(with([](Table& t) { t.columns[2].unit = "h since start"; }),
              HasSubstr("table 'sensitivity' column 'src': unit 'h since start' contains"));
  EXPECT_THAT(with([](Table& t) { t.attributes.emplace_back("method", "srrc"); }),
              HasSubstr("table 'sensitivity' attribute 'method' appears twice"));
  EXPECT_THAT(with([](Table& t) { t.attributes.emplace_back("description", "x"); }),
              HasSubstr("table 'sensitivity' attribute 'description': the name is reserved"));
}

// ---------------------------------------------------------------------------------------
// Reading errors

std::string read_error(const std::string& path) {
  try {
    (void)read_results(path);
  } catch (const ResultsReadError& e) {
    return e.what();
  }
  return "(read fine)";
}

TEST_F(ResultsFileTest, ReadingAMissingFileSaysSo) {
  EXPECT_EQ(read_error(path("nope.h5")), path("nope.h5") + ": no such file");
}

TEST_F(ResultsFileTest, ReadingANonHdf5FileSaysSo) {
  { std::ofstream(path("t.h5")) << "schema_version: 1\n"; }
  EXPECT_EQ(read_error(path("t.h5")),
            path("t.h5") + ": not an HDF5 file (expected an itsim results file)");
}

TEST_F(ResultsFileTest, ReadingAnotherHdf5FormatSaysSo) {
  {
    const hid_t file = H5Fcreate(path("other.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    H5Fclose(file);
  }
  EXPECT_EQ(read_error(path("other.h5")),
            path("other.h5") + ": not an itsim results file (no root attribute 'format')");
}

TEST_F(ResultsFileTest, ReadingANewerFormatVersionSaysSo) {
  write_results(path("r.h5"), small_file());
  {
    const hid_t file = H5Fopen(path("r.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t attr = H5Aopen(file, "format_version", H5P_DEFAULT);
    const std::int32_t two = 2;
    EXPECT_GE(H5Awrite(attr, H5T_NATIVE_INT32, &two), 0);
    H5Aclose(attr);
    H5Fclose(file);
  }
  EXPECT_THAT(read_error(path("r.h5")),
              HasSubstr(": format_version 2 is newer than this itsim reads (1)"));
}

TEST_F(ResultsFileTest, ReadingAFileWithoutRunsNamesTheMissingGroup) {
  write_results(path("r.h5"), small_file());
  {
    const hid_t file = H5Fopen(path("r.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    EXPECT_GE(H5Ldelete(file, "/runs", H5P_DEFAULT), 0);
    H5Fclose(file);
  }
  EXPECT_EQ(read_error(path("r.h5")), path("r.h5") + ": /runs: missing group");
}

// ---------------------------------------------------------------------------------------
// Layout details that readers rely on (docs/results-format.md)

// Whether dataset `name` has the filter `filter` in its creation property list, and its
// chunk dimensions (empty when not chunked).
struct Storage {
  bool shuffle = false;
  bool deflate = false;
  unsigned deflate_level = 0;
  std::vector<hsize_t> chunk;
};

Storage storage(hid_t file, const char* name) {
  Storage s;
  const hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
  const hid_t dcpl = H5Dget_create_plist(d);
  for (int i = 0; i < H5Pget_nfilters(dcpl); ++i) {
    unsigned flags = 0;
    std::size_t n = 1;
    unsigned values[1] = {0};
    const H5Z_filter_t f =
        H5Pget_filter2(dcpl, static_cast<unsigned>(i), &flags, &n, values, 0, nullptr, nullptr);
    if (f == H5Z_FILTER_SHUFFLE) s.shuffle = true;
    if (f == H5Z_FILTER_DEFLATE) {
      s.deflate = true;
      s.deflate_level = values[0];
    }
  }
  if (H5Pget_layout(dcpl) == H5D_CHUNKED) {
    s.chunk.resize(static_cast<std::size_t>(H5Pget_chunk(dcpl, 0, nullptr)));
    H5Pget_chunk(dcpl, static_cast<int>(s.chunk.size()), s.chunk.data());
  }
  H5Pclose(dcpl);
  H5Dclose(d);
  return s;
}

bool attached(hid_t file, const char* dataset, const char* scale, unsigned dim) {
  const hid_t d = H5Dopen2(file, dataset, H5P_DEFAULT);
  const hid_t s = H5Dopen2(file, scale, H5P_DEFAULT);
  const bool yes = H5DSis_scale(s) > 0 && H5DSis_attached(d, s, dim) > 0;
  H5Dclose(s);
  H5Dclose(d);
  return yes;
}

std::string string_attribute(hid_t file, const char* object, const char* name) {
  const hid_t a = H5Aopen_by_name(file, object, name, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t t = H5Aget_type(a);
  char* value = nullptr;
  std::string out;
  if (H5Tis_variable_str(t) > 0 && H5Aread(a, t, &value) >= 0 && value != nullptr) {
    out = value;
    H5free_memory(value);
  }
  H5Tclose(t);
  H5Aclose(a);
  return out;
}

TEST_F(ResultsFileTest, ColumnsAreAttachedToDimensionScalesAndLargeOnesCompressed) {
  write_results(path("r.h5"), test::sample_results(200)); // 1200 runs
  const hid_t file = H5Fopen(path("r.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  for (const char* column : {"/runs/model", "/runs/replication", "/runs/point", "/runs/seed",
                             "/runs/status", "/runs/message", "/runs/wait_mean_h"}) {
    EXPECT_TRUE(attached(file, column, "/runs/run", 0)) << column;
  }
  EXPECT_TRUE(attached(file, "/summary/net_value_mean", "/summary/row", 0));
  EXPECT_TRUE(attached(file, "/comparison/net_value_significant", "/comparison/row", 0));
  EXPECT_TRUE(attached(file, "/timeseries/backlog", "/timeseries/run", 0));
  EXPECT_TRUE(attached(file, "/timeseries/backlog", "/timeseries/time_h", 1));
  EXPECT_TRUE(attached(file, "/requests/kind", "/requests/row", 0));
  // Each scale lists every dataset of its group once (the writer builds the lists itself):
  // as many REFERENCE_LIST entries as the group has datasets besides the scale(s).
  const auto references = [&](const char* scale) {
    const hid_t a = H5Aopen_by_name(file, scale, "REFERENCE_LIST", H5P_DEFAULT, H5P_DEFAULT);
    const hid_t sp = H5Aget_space(a);
    const hssize_t n = H5Sget_simple_extent_npoints(sp);
    H5Sclose(sp);
    H5Aclose(a);
    return n;
  };
  const auto datasets = [&](const char* group) {
    H5G_info_t info;
    EXPECT_GE(H5Gget_info_by_name(file, group, &info, H5P_DEFAULT), 0);
    return static_cast<hssize_t>(info.nlinks);
  };
  EXPECT_EQ(references("/runs/run"), datasets("/runs") - 1);
  EXPECT_EQ(references("/summary/row"), datasets("/summary") - 1);
  EXPECT_EQ(references("/requests/row"), datasets("/requests") - 1);
  // /timeseries: run scales the key columns and the series, time_h the series only.
  EXPECT_EQ(references("/timeseries/run") + references("/timeseries/time_h"),
            datasets("/timeseries") - 2 + (datasets("/timeseries") - 2 - 3));

  EXPECT_EQ(string_attribute(file, "/runs/wait_mean_h", "units"), "h");
  EXPECT_EQ(string_attribute(file, "/runs/wait_mean_h", "description"),
            "mean time waiting in queues");
  EXPECT_EQ(string_attribute(file, "/timeseries/time_h", "units"), "h");
  EXPECT_EQ(string_attribute(file, "/", "format"), "itsim-results");

  const Storage kpi = storage(file, "/runs/wait_mean_h");
  EXPECT_TRUE(kpi.shuffle);
  EXPECT_TRUE(kpi.deflate);
  EXPECT_EQ(kpi.deflate_level, 4u);
  EXPECT_EQ(kpi.chunk, std::vector<hsize_t>{1200});
  const Storage series = storage(file, "/timeseries/backlog");
  EXPECT_TRUE(series.shuffle && series.deflate);
  EXPECT_EQ(series.chunk, (std::vector<hsize_t>{1200, 53}));
  // Small tables (6 summary rows) are contiguous: compression gains nothing there.
  EXPECT_THAT(storage(file, "/summary/net_value_mean").chunk, IsEmpty());
  H5Fclose(file);
}

// Names of the links of group `group`, in creation order.
std::vector<std::string> link_names(hid_t file, const char* group) {
  std::vector<std::string> names;
  const hid_t g = H5Gopen2(file, group, H5P_DEFAULT);
  hsize_t n = 0;
  H5G_info_t info{};
  if (H5Gget_info(g, &info) >= 0) n = info.nlinks;
  for (hsize_t i = 0; i < n; ++i) {
    char name[256] = {};
    if (H5Lget_name_by_idx(g, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, name, sizeof name,
                           H5P_DEFAULT) >= 0) {
      names.emplace_back(name);
    }
  }
  H5Gclose(g);
  return names;
}

TEST_F(ResultsFileTest, FactorsAndTablesAreLaidOutLikeTheOtherTables) {
  write_results(path("r.h5"), sweep_file());
  const hid_t file = H5Fopen(path("r.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  for (const char* column : {"/runs/retention", "/runs/staff", "/runs/budget.k", "/runs/policy"})
    EXPECT_TRUE(attached(file, column, "/runs/run", 0)) << column;
  EXPECT_EQ(string_attribute(file, "/runs/retention", "key_path"), "mechanisms.handoff_retention");
  EXPECT_EQ(string_attribute(file, "/runs/retention", "role"), "factor");
  EXPECT_EQ(string_attribute(file, "/runs/retention", "units"), "share");
  EXPECT_EQ(string_attribute(file, "/runs/policy", "role"), "lever");
  // 1100 runs: the string factor is fixed-length and compressed, like a long /runs/model.
  EXPECT_EQ(string_attribute(file, "/runs/policy", "_Encoding"), "utf-8");
  EXPECT_TRUE(storage(file, "/runs/policy").deflate);
  EXPECT_TRUE(storage(file, "/runs/retention").deflate);
  // The factors come after message and before the KPIs.
  EXPECT_EQ(
      link_names(file, "/runs"),
      (std::vector<std::string>{"run", "model", "replication", "point", "seed", "status", "message",
                                "retention", "staff", "budget.k", "policy", "net_value"}));
  // The extra tables come last, in order.
  EXPECT_EQ(link_names(file, "/"),
            (std::vector<std::string>{"scenario", "runs", "summary", "comparison", "sweep",
                                      "sensitivity", "winners", "no_columns"}));
  EXPECT_TRUE(attached(file, "/sensitivity/mu_star", "/sensitivity/row", 0));
  EXPECT_TRUE(attached(file, "/winners/model", "/winners/row", 0));
  EXPECT_EQ(string_attribute(file, "/sensitivity", "description"), "Morris elementary effects");
  EXPECT_EQ(string_attribute(file, "/sensitivity", "method"), "morris");
  EXPECT_EQ(string_attribute(file, "/sensitivity/mu_star", "units"), "money");
  EXPECT_EQ(string_attribute(file, "/sweep", "id"), "FEDCBA9876543210");
  EXPECT_EQ(string_attribute(file, "/sweep", "design"), "lhs");
  H5Fclose(file);
}

TEST(ResultsFile, UtcNowIsIso8601) {
  const std::string t = utc_now_iso8601();
  ASSERT_EQ(t.size(), 20u) << t;
  EXPECT_EQ(t.substr(0, 2), "20");
  EXPECT_EQ(t[13], ':');
  EXPECT_EQ(t.back(), 'Z');
}

} // namespace
} // namespace itsim::analysis
