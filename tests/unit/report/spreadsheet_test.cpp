// SPDX-License-Identifier: Apache-2.0
#include "itsim/report/spreadsheet.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "results_sample.hpp"

namespace fs = std::filesystem;
using namespace itsim;

namespace {

using Rows = std::vector<std::vector<std::string>>;

// RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks.
Rows parse_csv(const std::string& text) {
  Rows rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field += c;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  EXPECT_TRUE(field.empty() && row.empty()) << "no line break after the last row";
  return rows;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

double number(const std::string& cell) {
  if (cell.empty()) return std::nan("");
  double v = 0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
  EXPECT_TRUE(ec == std::errc() && end == cell.data() + cell.size()) << "not a number: " << cell;
  return v;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  ADD_FAILURE() << "no column " << name;
  return 0;
}

void expect_same(double expected, double got, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": " << got;
  } else {
    EXPECT_EQ(expected, got) << what;
  }
}

// A sample file with a currency, a message that needs quoting and a /paths table.
analysis::ResultsFile sample() {
  analysis::ResultsFile f = test::sample_results(4);
  f.scenario.yaml_resolved += "currency: EUR\nother:\n  currency: GBP\n";
  f.runs.message[0] = "a, \"quoted\"\nline";
  analysis::Table paths;
  paths.group = "paths";
  paths.description = "reorganisation paths";
  paths.columns.push_back({"path", "", "the path", std::vector<std::string>{"to_coe"}});
  paths.columns.push_back(
      {"trough", "money", "lowest mean difference", std::vector<double>{-1.5e6}});
  paths.columns.push_back({"break_even_h", "h", "break-even", std::vector<double>{std::nan("")}});
  f.tables.push_back(std::move(paths));
  return f;
}

class SpreadsheetTest : public ::testing::Test {
protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("itsim_spreadsheet_test_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    file_ = sample();
    summary_ = analysis::summarize(file_, 0.95);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& e : fs::recursive_directory_iterator(dir_))
      names.push_back(e.path().lexically_relative(dir_).string());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
  analysis::ResultsFile file_;
  analysis::Summary summary_;
};

TEST(ScenarioCurrency, IsTheTopLevelKeyOrUsd) {
  analysis::ResultsFile f;
  f.scenario.yaml_resolved = "name: x\nnested:\n  currency: GBP\n";
  EXPECT_EQ(report::scenario_currency(f), "USD");
  f.scenario.yaml_resolved += "currency: \"EUR\"  # euros\n";
  EXPECT_EQ(report::scenario_currency(f), "EUR");
  f.scenario.yaml_resolved = "currency: CHF";
  EXPECT_EQ(report::scenario_currency(f), "CHF");
  EXPECT_EQ(report::display_unit("money", "CHF"), "CHF");
  EXPECT_EQ(report::display_unit("h", "CHF"), "h");
}

TEST_F(SpreadsheetTest, SheetsCarryUnitsAndTheCurrencyInTheirHeaders) {
  const std::vector<report::Sheet> sheets = report::export_sheets(file_, summary_);
  ASSERT_EQ(sheets.size(), 4U);
  EXPECT_EQ(sheets[0].name, "summary");
  EXPECT_EQ(sheets[1].name, "comparison");
  EXPECT_EQ(sheets[2].name, "runs");
  EXPECT_EQ(sheets[3].name, "paths");
  std::map<std::string, std::vector<std::string>> headers;
  for (const auto& s : sheets)
    for (const auto& c : s.columns)
      headers[s.name].push_back(c.header);
  const auto has = [&](const std::string& sheet, const std::string& h) {
    const auto& v = headers[sheet];
    return std::find(v.begin(), v.end(), h) != v.end();
  };
  EXPECT_TRUE(has("summary", "net_value_mean (EUR)"));
  EXPECT_TRUE(has("summary", "lead_time_p50_h_p90 (h)"));
  EXPECT_TRUE(has("summary", "net_value_n"));
  EXPECT_TRUE(has("comparison", "net_value_diff (EUR)"));
  EXPECT_TRUE(has("comparison", "net_value_significant"));
  EXPECT_TRUE(has("runs", "lead_time_p50_h (h)"));
  EXPECT_TRUE(has("runs", "sla_attainment (share)"));
  EXPECT_TRUE(has("runs", "backlog_slope_per_year (items/year)"));
  EXPECT_TRUE(has("paths", "trough (EUR)"));
  EXPECT_TRUE(has("paths", "path"));
  EXPECT_EQ(sheets[0].rows(), summary_.rows.size());
  EXPECT_EQ(sheets[1].rows(), summary_.comparison.size());
  EXPECT_EQ(sheets[2].rows(), file_.runs.size());
  // Every factor of the sweep is a column of runs, after the fixed ones.
  for (const auto& f : file_.runs.factors) {
    const std::string h = f.unit.empty() ? f.name : f.name + " (" + f.unit + ")";
    EXPECT_TRUE(has("runs", h)) << h;
  }
}

TEST_F(SpreadsheetTest, CsvReadsBackAsTheSummaryComparisonAndRuns) {
  const std::string out = path("csv");
  report::write_csv(file_, summary_, out, false);
  EXPECT_EQ(listing(), (std::vector<std::string>{"csv", "csv/comparison.csv", "csv/paths.csv",
                                                 "csv/runs.csv", "csv/summary.csv"}));

  const Rows summary = parse_csv(slurp(fs::path(out) / "summary.csv"));
  ASSERT_EQ(summary.size(), summary_.rows.size() + 1);
  const auto& sh = summary[0];
  for (std::size_t k = 0; k < summary_.kpi_names.size(); ++k) {
    const std::string& name = summary_.kpi_names[k];
    const std::string u = report::display_unit(summary_.kpi_units[k], "EUR");
    const std::size_t mean = column(sh, u.empty() ? name + "_mean" : name + "_mean (" + u + ")");
    const std::size_t ci = column(sh, u.empty() ? name + "_ci" : name + "_ci (" + u + ")");
    const std::size_t n = column(sh, name + "_n");
    for (std::size_t r = 0; r < summary_.rows.size(); ++r) {
      const auto& kpi = summary_.rows[r].kpis[k];
      expect_same(kpi.mean, number(summary[r + 1][mean]), name + " mean");
      expect_same(kpi.ci_half_width, number(summary[r + 1][ci]), name + " ci");
      EXPECT_EQ(std::to_string(kpi.n), summary[r + 1][n]);
    }
  }
  EXPECT_EQ(summary[1][column(sh, "model")], "passive");

  const Rows cmp = parse_csv(slurp(fs::path(out) / "comparison.csv"));
  ASSERT_EQ(cmp.size(), summary_.comparison.size() + 1);
  const std::size_t diff = column(cmp[0], "net_value_diff (EUR)");
  const std::size_t sig = column(cmp[0], "net_value_significant");
  const auto k_net = static_cast<std::size_t>(
      std::find(summary_.kpi_names.begin(), summary_.kpi_names.end(), "net_value") -
      summary_.kpi_names.begin());
  for (std::size_t r = 0; r < summary_.comparison.size(); ++r) {
    const auto& d = summary_.comparison[r].kpis[k_net];
    expect_same(d.mean, number(cmp[r + 1][diff]), "net_value diff");
    EXPECT_EQ(cmp[r + 1][sig], d.significant ? "1" : "0");
    EXPECT_EQ(cmp[r + 1][0], summary_.comparison[r].model);
  }

  const Rows runs = parse_csv(slurp(fs::path(out) / "runs.csv"));
  ASSERT_EQ(runs.size(), file_.runs.size() + 1);
  EXPECT_EQ(runs[1][column(runs[0], "message")], "a, \"quoted\"\nline");
  const std::size_t seed = column(runs[0], "seed");
  const std::size_t lead = column(runs[0], "lead_time_p50_h (h)");
  const auto& lead_values = file_.runs.kpi("lead_time_p50_h")->values;
  for (std::size_t r = 0; r < file_.runs.size(); ++r) {
    EXPECT_EQ(runs[r + 1][seed], std::to_string(file_.runs.seed[r])); // exact, not a double
    expect_same(lead_values[r], number(runs[r + 1][lead]), "lead_time_p50_h");
    EXPECT_EQ(runs[r + 1][column(runs[0], "model")], file_.runs.model[r]);
  }

  const Rows paths = parse_csv(slurp(fs::path(out) / "paths.csv"));
  ASSERT_EQ(paths.size(), 2U);
  EXPECT_EQ(paths[0], (std::vector<std::string>{"path", "trough (EUR)", "break_even_h (h)"}));
  EXPECT_EQ(paths[1], (std::vector<std::string>{"to_coe", "-1500000", ""}));
}

TEST_F(SpreadsheetTest, CsvIntoAnExistingDirectoryNeedsForceForExistingFiles) {
  fs::create_directories(path("out"));
  std::ofstream(path("out/runs.csv")) << "keep me";
  EXPECT_THROW(report::write_csv(file_, summary_, path("out") + "/", false),
               analysis::OutputExistsError);
  EXPECT_EQ(slurp(path("out/runs.csv")), "keep me");
  EXPECT_EQ(listing(), (std::vector<std::string>{"out", "out/runs.csv"})); // nothing new

  report::write_csv(file_, summary_, path("out"), true);
  EXPECT_EQ(listing(), (std::vector<std::string>{"out", "out/comparison.csv", "out/paths.csv",
                                                 "out/runs.csv", "out/summary.csv"}));
  EXPECT_EQ(parse_csv(slurp(path("out/runs.csv"))).size(), file_.runs.size() + 1);
}

TEST_F(SpreadsheetTest, CsvRefusesAFileOrAMissingParentAndLeavesNothing) {
  std::ofstream(path("plain")) << "x";
  EXPECT_THROW(report::write_csv(file_, summary_, path("plain"), true),
               analysis::OutputCreateError);
  EXPECT_THROW(report::write_csv(file_, summary_, path("missing/out"), true),
               analysis::OutputCreateError);
  EXPECT_THROW(report::write_csv(file_, summary_, path("plain/out"), true),
               analysis::OutputCreateError);
  EXPECT_EQ(listing(), std::vector<std::string>{"plain"});
  EXPECT_EQ(slurp(path("plain")), "x");
}

TEST_F(SpreadsheetTest, XlsxRefusesADirectoryAnExistingFileOrAMissingParentAndLeavesNothing) {
  fs::create_directories(path("adir"));
  EXPECT_THROW(report::write_xlsx(file_, summary_, path("adir"), true),
               analysis::OutputCreateError);
  EXPECT_THROW(report::write_xlsx(file_, summary_, path("missing/out.xlsx"), true),
               analysis::OutputCreateError);
  std::ofstream(path("old.xlsx")) << "keep me";
  EXPECT_THROW(report::write_xlsx(file_, summary_, path("old.xlsx"), false),
               analysis::OutputExistsError);
  EXPECT_EQ(slurp(path("old.xlsx")), "keep me");
  EXPECT_EQ(listing(), (std::vector<std::string>{"adir", "old.xlsx"}));
  report::write_xlsx(file_, summary_, path("old.xlsx"), true);
  EXPECT_EQ(slurp(path("old.xlsx")).substr(0, 2), "PK"); // a zip now
  EXPECT_EQ(listing(), (std::vector<std::string>{"adir", "old.xlsx"}));
}

TEST_F(SpreadsheetTest, XlsxReadsBackWithOpenpyxl) {
  const std::string out = path("results.xlsx");
  report::write_xlsx(file_, summary_, out, false);
  EXPECT_EQ(listing(), std::vector<std::string>{"results.xlsx"});
  const std::string dump = path("dump.txt");
  const std::string command =
      "/usr/bin/python3 " ITSIM_READ_XLSX_PY " '" + out + "' > '" + dump + "'";
  const int rc = std::system(command.c_str());
  if (WIFEXITED(rc) && WEXITSTATUS(rc) == 3) GTEST_SKIP() << "python3-openpyxl is not installed";
  ASSERT_EQ(rc, 0) << command;
  // Sheets as name -> rows of tab-separated cells.
  std::map<std::string, Rows> sheets;
  std::vector<std::string> order;
  std::istringstream in(slurp(dump));
  std::string line;
  Rows* current = nullptr;
  while (std::getline(in, line)) {
    if (line.rfind("SHEET ", 0) == 0) {
      order.push_back(line.substr(6));
      current = &sheets[order.back()];
      continue;
    }
    ASSERT_NE(current, nullptr);
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (;;) {
      const auto tab = line.find('\t', start);
      cells.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    current->push_back(std::move(cells));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"summary", "comparison", "runs", "paths"}));

  const std::vector<report::Sheet> expected = report::export_sheets(file_, summary_);
  for (const report::Sheet& s : expected) {
    const Rows& rows = sheets[s.name];
    ASSERT_EQ(rows.size(), s.rows() + 1) << s.name;
    ASSERT_EQ(rows[0].size(), s.columns.size()) << s.name;
    for (std::size_t c = 0; c < s.columns.size(); ++c) {
      EXPECT_EQ(rows[0][c], s.columns[c].header) << s.name;
      std::visit(
          [&](const auto& v) {
            using T = typename std::decay_t<decltype(v)>::value_type;
            for (std::size_t r = 0; r < v.size(); ++r) {
              const std::string& cell = rows[r + 1][c];
              if constexpr (std::is_same_v<T, std::string>) {
                std::string escaped = v[r];
                for (std::size_t at = 0; (at = escaped.find('\n', at)) != std::string::npos;)
                  escaped.replace(at, 1, "\\n");
                EXPECT_EQ(cell, escaped) << s.name << " " << s.columns[c].header;
              } else if constexpr (std::is_same_v<T, std::uint64_t>) {
                // Seeds above 2^53 are text (exact), smaller ones numbers.
                if (v[r] > (std::uint64_t{1} << 53))
                  EXPECT_EQ(cell, std::to_string(v[r]));
                else
                  EXPECT_EQ(number(cell), static_cast<double>(v[r]));
              } else {
                // libxlsxwriter writes 16 significant digits ("%.16G"), one short of an
                // exact double: equal to a relative 1e-15.
                const double want = static_cast<double>(v[r]);
                const double got = number(cell);
                if (std::isnan(want))
                  EXPECT_TRUE(std::isnan(got)) << s.name << " " << s.columns[c].header;
                else
                  EXPECT_NEAR(got, want, 1e-15 * std::fabs(want))
                      << s.name << " " << s.columns[c].header;
              }
            }
          },
          s.columns[c].values);
    }
  }
}

} // namespace
