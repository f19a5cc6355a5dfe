// SPDX-License-Identifier: Apache-2.0
#include "itsim/report/spreadsheet.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <utility>

#include "atomic_output.hpp" // analysis/src: the temporary-file-then-rename protocol

namespace itsim::report {

namespace {

using analysis::ItemValues;

std::string with_unit(const std::string& name, const std::string& unit) {
  return unit.empty() ? name : name + " (" + unit + ")";
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(" \t\r");
  return std::string(s.substr(first, last - first + 1));
}

// The value of a plain scalar line `currency: EUR`, `currency: "EUR"  # note`.
std::string scalar_value(std::string_view v) {
  std::string t = trim(v);
  if (!t.empty() && (t.front() == '"' || t.front() == '\'')) {
    const auto end = t.find(t.front(), 1);
    return end == std::string::npos ? t.substr(1) : t.substr(1, end - 1);
  }
  if (const auto hash = t.find(" #"); hash != std::string::npos) t = trim(t.substr(0, hash));
  return t;
}

Sheet summary_sheet(const analysis::Summary& s, const std::string& currency) {
  Sheet sheet{"summary", {}};
  std::vector<std::string> model;
  std::vector<std::uint32_t> point, ok, failed;
  for (const analysis::SummaryRow& r : s.rows) {
    model.push_back(r.model);
    point.push_back(r.point);
    ok.push_back(r.runs_ok);
    failed.push_back(r.runs_failed);
  }
  sheet.columns.push_back({"model", std::move(model)});
  sheet.columns.push_back({"point", std::move(point)});
  sheet.columns.push_back({"runs_ok", std::move(ok)});
  sheet.columns.push_back({"runs_failed", std::move(failed)});
  for (std::size_t k = 0; k < s.kpi_names.size(); ++k) {
    const std::string& name = s.kpi_names[k];
    const std::string unit = display_unit(s.kpi_units[k], currency);
    std::vector<std::uint32_t> n;
    std::vector<double> mean, ci, p10, p50, p90;
    for (const analysis::SummaryRow& r : s.rows) {
      const analysis::KpiSummary& v = r.kpis.at(k);
      n.push_back(v.n);
      mean.push_back(v.mean);
      ci.push_back(v.ci_half_width);
      p10.push_back(v.p10);
      p50.push_back(v.p50);
      p90.push_back(v.p90);
    }
    sheet.columns.push_back({name + "_n", std::move(n)});
    sheet.columns.push_back({with_unit(name + "_mean", unit), std::move(mean)});
    sheet.columns.push_back({with_unit(name + "_ci", unit), std::move(ci)});
    sheet.columns.push_back({with_unit(name + "_p10", unit), std::move(p10)});
    sheet.columns.push_back({with_unit(name + "_p50", unit), std::move(p50)});
    sheet.columns.push_back({with_unit(name + "_p90", unit), std::move(p90)});
  }
  return sheet;
}

Sheet comparison_sheet(const analysis::Summary& s, const std::string& currency) {
  Sheet sheet{"comparison", {}};
  std::vector<std::string> model;
  std::vector<std::uint32_t> point;
  for (const analysis::ComparisonRow& r : s.comparison) {
    model.push_back(r.model);
    point.push_back(r.point);
  }
  sheet.columns.push_back({"model", std::move(model)});
  sheet.columns.push_back({"point", std::move(point)});
  for (std::size_t k = 0; k < s.kpi_names.size(); ++k) {
    const std::string& name = s.kpi_names[k];
    const std::string unit = display_unit(s.kpi_units[k], currency);
    std::vector<std::uint32_t> n, significant;
    std::vector<double> diff, ci;
    for (const analysis::ComparisonRow& r : s.comparison) {
      const analysis::KpiDifference& d = r.kpis.at(k);
      n.push_back(d.n);
      diff.push_back(d.mean);
      ci.push_back(d.ci_half_width);
      significant.push_back(d.significant ? 1U : 0U);
    }
    sheet.columns.push_back({name + "_n", std::move(n)});
    sheet.columns.push_back({with_unit(name + "_diff", unit), std::move(diff)});
    sheet.columns.push_back({with_unit(name + "_ci", unit), std::move(ci)});
    sheet.columns.push_back({name + "_significant", std::move(significant)});
  }
  return sheet;
}

Sheet runs_sheet(const analysis::ResultsFile& f, const std::string& currency) {
  const analysis::RunTable& r = f.runs;
  Sheet sheet{"runs", {}};
  std::vector<std::uint32_t> run(r.size());
  for (std::size_t i = 0; i < run.size(); ++i)
    run[i] = static_cast<std::uint32_t>(i);
  std::vector<std::uint32_t> status(r.status.begin(), r.status.end());
  sheet.columns.push_back({"run", std::move(run)});
  sheet.columns.push_back({"model", r.model});
  sheet.columns.push_back({"replication", r.replication});
  sheet.columns.push_back({"point", r.point});
  sheet.columns.push_back({"seed", r.seed});
  sheet.columns.push_back({"status", std::move(status)});
  sheet.columns.push_back({"message", r.message});
  if (!r.steady.empty()) {
    sheet.columns.push_back(
        {"steady", std::vector<std::uint32_t>(r.steady.begin(), r.steady.end())});
    sheet.columns.push_back({"backlog_slope_per_year (items/year)", r.backlog_slope_per_year});
  }
  for (const analysis::FactorColumn& c : r.factors)
    sheet.columns.push_back({with_unit(c.name, display_unit(c.unit, currency)), c.values});
  for (const analysis::KpiColumn& c : r.kpis)
    sheet.columns.push_back({with_unit(c.name, display_unit(c.unit, currency)), c.values});
  return sheet;
}

Sheet table_sheet(const analysis::Table& t, const std::string& currency) {
  Sheet sheet{t.group, {}};
  for (const analysis::ItemColumn& c : t.columns)
    sheet.columns.push_back({with_unit(c.name, display_unit(c.unit, currency)), c.values});
  return sheet;
}

// ---- CSV

void append_csv_text(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_csv_number(std::string& out, double v) {
  if (std::isnan(v)) return; // an empty field
  if (std::isinf(v)) {
    out += v > 0 ? "inf" : "-inf";
    return;
  }
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc() ? end : buf);
}

template <class T> void append_csv_integer(std::string& out, T v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc() ? end : buf);
}

void append_csv_cell(std::string& out, const ItemValues& values, std::size_t row) {
  std::visit(
      [&](const auto& v) {
        using T = typename std::decay_t<decltype(v)>::value_type;
        if constexpr (std::is_same_v<T, std::string>) {
          append_csv_text(out, v[row]);
        } else if constexpr (std::is_same_v<T, double>) {
          append_csv_number(out, v[row]);
        } else {
          append_csv_integer(out, v[row]);
        }
      },
      values);
}

std::string csv_text(const Sheet& sheet) {
  std::string out;
  for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
    if (c > 0) out += ',';
    append_csv_text(out, sheet.columns[c].header);
  }
  out += '\n';
  const std::size_t rows = sheet.rows();
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
      if (c > 0) out += ',';
      append_csv_cell(out, sheet.columns[c].values, r);
    }
    out += '\n';
  }
  return out;
}

std::size_t values_size(const ItemValues& v) {
  return std::visit([](const auto& x) { return x.size(); }, v);
}

// ---- xlsx

// libxlsxwriter's limits of a worksheet (Excel's).
constexpr std::size_t xlsx_max_rows = 1048576;
constexpr std::size_t xlsx_max_columns = 16384;
// The largest integer a spreadsheet's double holds exactly.
constexpr std::uint64_t exact_integer_limit = std::uint64_t{1} << 53;

struct WorkbookCloser {
  void operator()(lxw_workbook* wb) const {
    if (wb != nullptr) workbook_close(wb);
  }
};

[[noreturn]] void xlsx_fail(const std::string& path, const std::string& what, lxw_error e) {
  throw analysis::OutputWriteError(path + ": " + what + ": " + lxw_strerror(e));
}

void write_sheet(lxw_workbook* wb, const Sheet& sheet, lxw_format* bold, const std::string& path) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
  if (ws == nullptr) throw analysis::OutputWriteError(path + ": cannot add sheet " + sheet.name);
  const auto check = [&](lxw_error e) {
    if (e != LXW_NO_ERROR) xlsx_fail(path, "sheet " + sheet.name, e);
  };
  for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    const std::string& header = sheet.columns[c].header;
    check(worksheet_write_string(ws, 0, col, header.c_str(), bold));
    const double width = std::min(60.0, std::max(10.0, static_cast<double>(header.size()) + 2));
    check(worksheet_set_column(ws, col, col, width, nullptr));
    std::visit(
        [&](const auto& v) {
          using T = typename std::decay_t<decltype(v)>::value_type;
          for (std::size_t r = 0; r < v.size(); ++r) {
            const auto row = static_cast<lxw_row_t>(r + 1);
            if constexpr (std::is_same_v<T, std::string>) {
              check(worksheet_write_string(ws, row, col, v[r].c_str(), nullptr));
            } else if constexpr (std::is_same_v<T, double>) {
              if (std::isfinite(v[r])) check(worksheet_write_number(ws, row, col, v[r], nullptr));
            } else if constexpr (std::is_same_v<T, std::uint64_t>) {
              if (v[r] > exact_integer_limit) {
                check(worksheet_write_string(ws, row, col, std::to_string(v[r]).c_str(), nullptr));
              } else {
                check(worksheet_write_number(ws, row, col, static_cast<double>(v[r]), nullptr));
              }
            } else {
              check(worksheet_write_number(ws, row, col, static_cast<double>(v[r]), nullptr));
            }
          }
        },
        sheet.columns[c].values);
  }
  worksheet_freeze_panes(ws, 1, 0);
  if (!sheet.columns.empty() && sheet.rows() > 0) {
    check(worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(sheet.rows()),
                               static_cast<lxw_col_t>(sheet.columns.size() - 1)));
  }
}

// ---- directories

[[noreturn]] void throw_errno(const std::string& message, int e) {
  const std::string text = message + ": " + std::strerror(e);
  if (e == EACCES || e == EPERM || e == EROFS || e == ENOENT || e == ENOTDIR || e == EISDIR ||
      e == ENAMETOOLONG || e == ELOOP)
    throw analysis::OutputCreateError(text);
  throw analysis::OutputWriteError(text);
}

// A new, empty directory ".NAME.tmp-PID-N" beside `target` (mode 0777 less the umask).
std::string make_temp_dir(const std::string& target) {
  const std::filesystem::path t(target);
  const std::string base = t.filename().string();
  const std::string parent = t.parent_path().empty() ? "." : t.parent_path().string();
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::string name = analysis::detail::temporary_name(parent, base);
    if (::mkdir(name.c_str(), 0777) == 0) return name;
    if (errno != EEXIST) throw_errno(target + ": cannot create the output in " + parent, errno);
  }
  throw analysis::OutputCreateError(target + ": cannot create a unique temporary directory in " +
                                    parent);
}

// Removes a temporary directory and what it holds unless released.
class TempDir {
public:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  void release() { path_.clear(); }

private:
  std::string path_;
};

std::string without_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/')
    path.pop_back();
  return path;
}

} // namespace

std::string scenario_currency(const analysis::ResultsFile& file) {
  std::string_view text = file.scenario.yaml_resolved;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    constexpr std::string_view key = "currency:";
    if (line.substr(0, key.size()) == key) {
      const std::string value = scalar_value(line.substr(key.size()));
      if (!value.empty()) return value;
    }
  }
  return "USD";
}

std::string display_unit(const std::string& unit, const std::string& currency) {
  return unit == "money" ? currency : unit;
}

std::size_t Sheet::rows() const {
  return columns.empty() ? 0 : values_size(columns.front().values);
}

std::vector<Sheet> export_sheets(const analysis::ResultsFile& file,
                                 const analysis::Summary& summary) {
  if (summary.kpi_names.size() != file.runs.kpis.size() ||
      summary.kpi_units.size() != summary.kpi_names.size())
    throw std::invalid_argument("export: the summary's KPIs are not the results file's");
  for (std::size_t k = 0; k < summary.kpi_names.size(); ++k)
    if (summary.kpi_names[k] != file.runs.kpis[k].name)
      throw std::invalid_argument("export: the summary's KPI " + summary.kpi_names[k] +
                                  " is not the results file's " + file.runs.kpis[k].name);
  const std::string currency = scenario_currency(file);
  std::vector<Sheet> sheets;
  sheets.push_back(summary_sheet(summary, currency));
  sheets.push_back(comparison_sheet(summary, currency));
  sheets.push_back(runs_sheet(file, currency));
  if (const analysis::Table* paths = file.table("paths"))
    sheets.push_back(table_sheet(*paths, currency));
  return sheets;
}

void write_xlsx(const analysis::ResultsFile& file, const analysis::Summary& summary,
                const std::string& path, bool force) {
  const std::vector<Sheet> sheets = export_sheets(file, summary);
  for (const Sheet& s : sheets) {
    if (s.rows() + 1 > xlsx_max_rows || s.columns.size() > xlsx_max_columns)
      throw analysis::OutputWriteError(
          path + ": sheet " + s.name + " has " + std::to_string(s.rows()) + " rows and " +
          std::to_string(s.columns.size()) + " columns, more than a worksheet holds; use CSV");
  }
  analysis::detail::check_target(path, force);
  analysis::detail::TempFile temp(path);
  {
    lxw_workbook_options options{};
    options.use_zip64 = LXW_FALSE;
    std::unique_ptr<lxw_workbook, WorkbookCloser> wb(
        workbook_new_opt(temp.path().c_str(), &options));
    if (!wb) throw analysis::OutputWriteError(path + ": cannot start the workbook");
    lxw_format* bold = workbook_add_format(wb.get());
    format_set_bold(bold);
    for (const Sheet& s : sheets)
      write_sheet(wb.get(), s, bold, path);
    const lxw_error e = workbook_close(wb.release());
    if (e != LXW_NO_ERROR) xlsx_fail(path, "writing the workbook", e);
  }
  temp.write_and_close({}); // flushes what libxlsxwriter wrote to the same file to disk
  analysis::detail::publish(temp.path(), path, force);
  temp.release();
}

void write_csv(const analysis::ResultsFile& file, const analysis::Summary& summary,
               const std::string& dir_arg, bool force) {
  const std::vector<Sheet> sheets = export_sheets(file, summary);
  const std::string dir = without_trailing_slashes(dir_arg);
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) throw analysis::OutputCreateError(dir + ": not a directory");
    // Into an existing directory: refuse before writing anything, then write every file
    // under a temporary name, then move them all into place.
    std::vector<std::string> targets;
    for (const Sheet& s : sheets) {
      targets.push_back(dir + "/" + s.name + ".csv");
      analysis::detail::check_target(targets.back(), force);
    }
    std::vector<std::unique_ptr<analysis::detail::TempFile>> temps;
    for (std::size_t i = 0; i < sheets.size(); ++i) {
      temps.push_back(std::make_unique<analysis::detail::TempFile>(targets[i]));
      const std::string text = csv_text(sheets[i]);
      temps.back()->write_and_close(text);
    }
    for (std::size_t i = 0; i < sheets.size(); ++i) {
      analysis::detail::publish(temps[i]->path(), targets[i], force);
      temps[i]->release();
    }
    return;
  }
  if (errno != ENOENT) throw_errno(dir + ": cannot create the output", errno);
  // A new directory: build it whole under a temporary name, then rename it.
  TempDir temp(make_temp_dir(dir));
  for (const Sheet& s : sheets) {
    const std::string target = temp.path() + "/" + s.name + ".csv";
    analysis::detail::TempFile f(target);
    const std::string text = csv_text(s);
    f.write_and_close(text);
    analysis::detail::publish(f.path(), target, false);
    f.release();
  }
  if (::rename(temp.path().c_str(), dir.c_str()) != 0) {
    const int e = errno;
    if (e == EEXIST || e == ENOTEMPTY)
      throw analysis::OutputExistsError(dir + ": exists; use --force to overwrite");
    throw_errno(dir + ": cannot create the output", e);
  }
  temp.release();
}

} // namespace itsim::report
