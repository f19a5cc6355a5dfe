// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/results.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>

namespace itsim::analysis {

namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw std::invalid_argument("results: " + message);
}

bool has_nul(std::string_view s) {
  return s.find('\0') != std::string_view::npos;
}

// A dataset name: an HDF5 link name that every reader takes as is.
void check_name(std::string_view what, const std::string& name,
                std::initializer_list<std::string_view> reserved) {
  if (name.empty()) invalid(std::string(what) + " has an empty name");
  if (name.find('/') != std::string::npos || name == "." || has_nul(name)) {
    invalid(std::string(what) + " '" + name + "': a name must not contain '/' or NUL or be '.'");
  }
  for (std::string_view r : reserved) {
    if (name == r) invalid(std::string(what) + " '" + name + "': the name is reserved");
  }
}

// xarray decodes a variable whose `units` contain "since" as a time (PITFALLS.md).
void check_unit(std::string_view what, const std::string& name, const std::string& unit) {
  std::string lower(unit);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("since") != std::string::npos) {
    invalid(std::string(what) + " '" + name + "': unit '" + unit +
            "' contains \"since\", which xarray decodes as a time; write e.g. \"h\"");
  }
  if (has_nul(unit)) invalid(std::string(what) + " '" + name + "': unit contains NUL");
}

void check_unique(std::string_view what, std::set<std::string>& seen, const std::string& name) {
  if (!seen.insert(name).second) invalid(std::string(what) + " '" + name + "' appears twice");
}

void check_text(std::string_view what, const std::string& text) {
  if (has_nul(text)) invalid(std::string(what) + " contains a NUL character");
}

// A name of the sweep's vocabulary (a factor column, a table's group): letters, digits,
// '_', '.' and '-', so that it is a valid HDF5, netCDF and Python identifier-ish name.
void check_plain_name(std::string_view what, const std::string& name,
                      std::initializer_list<std::string_view> reserved) {
  if (name.empty()) invalid(std::string(what) + " has an empty name");
  const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || c == '_' || c == '.' || c == '-';
  });
  if (!plain || name == "." || name == "..") {
    invalid(std::string(what) + " '" + name +
            "': a name may hold only letters, digits, '_', '.' and '-' (and not be '.' or '..')");
  }
  for (std::string_view r : reserved) {
    if (name == r) invalid(std::string(what) + " '" + name + "': the name is reserved");
  }
}

template <typename V> void check_size(std::string_view what, const V& v, std::size_t n) {
  if (v.size() != n) {
    invalid(std::string(what) + " has " + std::to_string(v.size()) + " values, expected " +
            std::to_string(n));
  }
}

// Equal lengths, legal unique names and units, no NUL in strings: the columns of /requests
// and of the extra tables.
void check_columns(const std::string& what, const std::vector<ItemColumn>& columns) {
  std::set<std::string> names;
  const std::size_t rows = columns.empty() ? 0 : columns.front().size();
  for (const auto& c : columns) {
    check_name(what + " column", c.name, {"row"});
    check_unique(what + " column", names, c.name);
    check_unit(what + " column", c.name, c.unit);
    check_text(what + " column description", c.description);
    check_size(what + " column '" + c.name + "'", c, rows);
    if (const auto* s = std::get_if<std::vector<std::string>>(&c.values)) {
      for (const auto& v : *s)
        check_text(what + " column '" + c.name + "'", v);
    }
  }
}

bool is_hex16(const std::string& s) {
  return s.size() == 16 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

} // namespace

std::size_t FactorColumn::size() const {
  return std::visit([](const auto& v) { return v.size(); }, values);
}

const FactorColumn* RunTable::factor(std::string_view name) const {
  for (const auto& c : factors) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const ItemColumn* Table::column(std::string_view name) const {
  for (const auto& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const Table* ResultsFile::table(std::string_view name) const {
  for (const auto& t : tables) {
    if (t.group == name) return &t;
  }
  return nullptr;
}

const KpiColumn* RunTable::kpi(std::string_view name) const {
  for (const auto& k : kpis) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

void RunTable::add_run(std::string model_id, std::uint32_t replication_index,
                       std::uint32_t point_index, std::uint64_t run_seed, std::uint8_t run_status,
                       std::string run_message, std::span<const double> kpi_values) {
  if (kpi_values.size() != kpis.size()) {
    throw std::invalid_argument("RunTable::add_run: " + std::to_string(kpi_values.size()) +
                                " KPI values for " + std::to_string(kpis.size()) + " KPIs");
  }
  model.push_back(std::move(model_id));
  replication.push_back(replication_index);
  point.push_back(point_index);
  seed.push_back(run_seed);
  status.push_back(run_status);
  message.push_back(std::move(run_message));
  for (std::size_t k = 0; k < kpis.size(); ++k)
    kpis[k].values.push_back(kpi_values[k]);
}

std::size_t ItemColumn::size() const {
  return std::visit([](const auto& v) { return v.size(); }, values);
}

const ItemColumn* ItemTable::column(std::string_view name) const {
  for (const auto& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

void validate_results(const ResultsFile& f) {
  const Provenance& p = f.provenance;
  if (p.format != results_format) {
    invalid("provenance.format is '" + p.format + "', expected '" + std::string(results_format) +
            "'");
  }
  if (p.format_version != results_format_version) {
    invalid("provenance.format_version is " + std::to_string(p.format_version) +
            "; this itsim writes " + std::to_string(results_format_version));
  }
  check_text("provenance.itsim_version", p.itsim_version);
  check_text("provenance.git_describe", p.git_describe);
  check_text("provenance.command_line", p.command_line);
  check_text("provenance.created_utc", p.created_utc);
  check_text("scenario.yaml_resolved", f.scenario.yaml_resolved);

  std::set<std::string> models;
  for (const auto& m : f.models) {
    if (m.empty()) invalid("a model id is empty");
    check_text("model id", m);
    check_unique("model", models, m);
  }
  if (!f.baseline.empty() && !models.contains(f.baseline)) {
    invalid("baseline '" + f.baseline + "' is not one of the models");
  }

  const RunTable& r = f.runs;
  const std::size_t n = r.size();
  check_size("runs.replication", r.replication, n);
  check_size("runs.point", r.point, n);
  check_size("runs.seed", r.seed, n);
  check_size("runs.status", r.status, n);
  check_size("runs.message", r.message, n);
  if (!r.steady.empty() || !r.backlog_slope_per_year.empty()) {
    check_size("runs.steady", r.steady, n);
    check_size("runs.backlog_slope_per_year", r.backlog_slope_per_year, n);
    for (std::size_t i = 0; i < n; ++i) {
      if (r.steady[i] > 2 && r.steady[i] != 255) {
        invalid("runs row " + std::to_string(i) + ": steady is " + std::to_string(r.steady[i]) +
                "; expected 0, 1, 2 or 255");
      }
    }
  }
  std::set<std::tuple<std::string, std::uint32_t, std::uint32_t>> keys;
  for (std::size_t i = 0; i < n; ++i) {
    if (!models.contains(r.model[i])) {
      invalid("runs row " + std::to_string(i) + ": model '" + r.model[i] +
              "' is not one of the models");
    }
    check_text("runs.message", r.message[i]);
    if (!keys.emplace(r.model[i], r.replication[i], r.point[i]).second) {
      invalid("runs row " + std::to_string(i) + ": model '" + r.model[i] + "' replication " +
              std::to_string(r.replication[i]) + " point " + std::to_string(r.point[i]) +
              " appears twice");
    }
  }
  std::set<std::string> kpi_names;
  for (const auto& k : r.kpis) {
    check_name("KPI", k.name,
               {"run", "row", "model", "replication", "point", "seed", "status", "message",
                "steady", "backlog_slope_per_year"});
    check_unique("KPI", kpi_names, k.name);
    check_unit("KPI", k.name, k.unit);
    check_text("KPI description", k.description);
    check_size("KPI '" + k.name + "'", k.values, n);
  }
  std::set<std::string> factor_names;
  for (const auto& c : r.factors) {
    check_plain_name("factor", c.name,
                     {"run", "row", "model", "replication", "point", "seed", "status", "message",
                      "steady", "backlog_slope_per_year"});
    check_unique("factor", factor_names, c.name);
    if (kpi_names.contains(c.name)) {
      invalid("factor '" + c.name + "': a KPI has the same name");
    }
    if (c.key_path.empty()) invalid("factor '" + c.name + "' has an empty key_path");
    check_text("factor '" + c.name + "' key_path", c.key_path);
    if (c.role != factor_role_factor && c.role != factor_role_lever) {
      invalid("factor '" + c.name + "': role '" + c.role + "' is neither \"" +
              std::string(factor_role_factor) + "\" nor \"" + std::string(factor_role_lever) +
              "\"");
    }
    check_unit("factor", c.name, c.unit);
    check_text("factor '" + c.name + "' description", c.description);
    check_size("factor '" + c.name + "'", c, n);
    if (const auto* s = std::get_if<std::vector<std::string>>(&c.values)) {
      for (const auto& v : *s)
        check_text("factor '" + c.name + "'", v);
    }
  }

  if (f.timeseries) {
    const TimeSeriesSet& t = *f.timeseries;
    if (!(std::isfinite(t.step_h) && t.step_h > 0)) invalid("timeseries.step_h must be > 0");
    if (!std::isfinite(t.start_h)) invalid("timeseries.start_h must be finite");
    if (t.points > 0 && n > std::numeric_limits<std::size_t>::max() / t.points) {
      invalid("timeseries: too many values");
    }
    std::set<std::string> names;
    for (const auto& s : t.series) {
      check_name("time series", s.name, {"run", "time_h", "model", "replication", "point"});
      check_unique("time series", names, s.name);
      check_unit("time series", s.name, s.unit);
      check_text("time series description", s.description);
      check_size("time series '" + s.name + "'", s.values, n * t.points);
    }
  }

  if (f.requests) {
    const ItemTable& t = *f.requests;
    check_columns("requests", t.columns);
    const ItemColumn* run = t.column("run");
    if (run == nullptr) invalid("requests: no column 'run' (the row of /runs of each item)");
    auto check_runs = [&](const auto& values) {
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i] >= n) {
          invalid("requests.run row " + std::to_string(i) + " is " + std::to_string(values[i]) +
                  ", but there are " + std::to_string(n) + " runs");
        }
      }
    };
    if (const auto* u32 = std::get_if<std::vector<std::uint32_t>>(&run->values)) {
      check_runs(*u32);
    } else if (const auto* u64 = std::get_if<std::vector<std::uint64_t>>(&run->values)) {
      check_runs(*u64);
    } else {
      invalid("requests: column 'run' must hold uint32 or uint64 values");
    }
  }

  if (f.sweep) {
    const SweepInfo& w = *f.sweep;
    check_text("sweep.name", w.name);
    check_text("sweep.yaml", w.yaml);
    if (!is_hex16(w.id)) invalid("sweep.id '" + w.id + "' is not 16 hexadecimal digits");
    static constexpr std::string_view designs[] = {"grid", "zip", "random", "lhs", "morris"};
    if (std::find(std::begin(designs), std::end(designs), w.design) == std::end(designs)) {
      invalid("sweep.design '" + w.design +
              "' is not one of \"grid\", \"zip\", \"random\", \"lhs\", \"morris\"");
    }
    const bool whole = w.shard_index == 0 && w.shard_count == 0;
    const bool shard = w.shard_index >= 1 && w.shard_index <= w.shard_count;
    if (!whole && !shard) {
      invalid("sweep shard " + std::to_string(w.shard_index) + "/" + std::to_string(w.shard_count) +
              ": expected K/N with 1 <= K <= N, or 0/0 for a whole sweep");
    }
  }

  std::set<std::string> groups;
  for (const auto& t : f.tables) {
    check_plain_name(
        "table", t.group,
        {"scenario", "runs", "summary", "comparison", "timeseries", "requests", "sweep"});
    check_unique("table", groups, t.group);
    check_text("table '" + t.group + "' description", t.description);
    std::set<std::string> attributes;
    for (const auto& [name, value] : t.attributes) {
      const std::string what = "table '" + t.group + "' attribute";
      check_name(what, name, {"description"});
      check_unique(what, attributes, name);
      check_text(what + " '" + name + "'", value);
    }
    check_columns("table '" + t.group + "'", t.columns);
  }
}

std::string utc_iso8601(std::int64_t seconds_since_epoch) {
  const auto t = static_cast<std::time_t>(seconds_since_epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  const std::size_t len = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, len);
}

std::string utc_now_iso8601() {
  if (const char* env = std::getenv("SOURCE_DATE_EPOCH"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(env, &end, 10);
    if (errno == 0 && *end == '\0' && v >= 0 && v <= 253402300799LL) return utc_iso8601(v);
  }
  return utc_iso8601(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()));
}

} // namespace itsim::analysis
