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
  if (want.requests) {
    const auto& x = got.requests->columns;
    const auto& y = want.requests->columns;
    ASSERT_EQ(x.size(), y.size());
    for (std::size_t c = 0; c < x.size(); ++c) {
      EXPECT_EQ(x[c].name, y[c].name);
      EXPECT_EQ(x[c].unit, y[c].unit);
      EXPECT_EQ(x[c].description, y[c].description);
      ASSERT_EQ(x[c].values.index(), y[c].values.index()) << "column " << y[c].name;
      if (const auto* d = std::get_if<std::vector<double>>(&y[c].values)) {
        expect_same_doubles(std::get<std::vector<double>>(x[c].values), *d, "column " + y[c].name);
      } else {
        EXPECT_TRUE(x[c].values == y[c].values) << "column " << y[c].name;
      }
    }
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
  write_results(path("r.h5"), f);
  const ResultsFile back = read_results(path("r.h5"));
  EXPECT_FALSE(back.timeseries.has_value());
  EXPECT_FALSE(back.requests.has_value());
  expect_same(back, f);
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

TEST(ResultsFile, UtcNowIsIso8601) {
  const std::string t = utc_now_iso8601();
  ASSERT_EQ(t.size(), 20u) << t;
  EXPECT_EQ(t.substr(0, 2), "20");
  EXPECT_EQ(t[13], ':');
  EXPECT_EQ(t.back(), 'Z');
}

} // namespace
} // namespace itsim::analysis
