// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "itsim/sim/error.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace itsim::analysis {

/// Value of the root attribute `format` of every itsim results file.
inline constexpr std::string_view results_format = "itsim-results";
/// The results-file layout this itsim writes and reads (docs/results-format.md). A reader
/// refuses files with a larger format_version.
inline constexpr std::int32_t results_format_version = 1;

/// The output file cannot be created: the target exists (see OutputExistsError), its
/// directory is missing, not a directory or not writable. The CLI exits with 73.
class OutputCreateError : public OutputError {
public:
  using OutputError::OutputError;
};

/// The target exists and overwriting was not asked for (WriteOptions::force); the message
/// ends with "exists; use --force to overwrite". The CLI exits with 73.
class OutputExistsError : public OutputCreateError {
public:
  using OutputCreateError::OutputCreateError;
};

/// Writing the output failed after it was created (disk full, file too large, I/O error);
/// the temporary file has been removed. The CLI exits with 74.
class OutputWriteError : public OutputError {
public:
  using OutputError::OutputError;
};

/// A results file cannot be read: missing, not HDF5, not an itsim results file, written by
/// a newer itsim (format_version), or malformed. The message starts with the path and names
/// the object at fault. The CLI exits with 66.
class ResultsReadError : public Error {
public:
  using Error::Error;
};

/// Who wrote the file, when and how (root attributes).
struct Provenance {
  /// Always results_format; the writer refuses anything else.
  std::string format{results_format};
  /// Always results_format_version when writing; what the file says when read.
  std::int32_t format_version = results_format_version;
  /// itsim's version, e.g. "0.1.0".
  std::string itsim_version;
  /// `git describe --always --dirty` of the build, or "" when unknown.
  std::string git_describe;
  /// The command line that produced the file, arguments joined by single spaces.
  std::string command_line;
  /// Creation time, ISO 8601 UTC ("2026-11-25T14:03:07Z"). Left empty, write_results fills
  /// in the current time (see utc_now_iso8601()).
  std::string created_utc;
};

/// The scenario that was run (group /scenario).
struct ScenarioInfo {
  /// The merged scenario as YAML text (extends merged, overrides applied, defaults filled).
  std::string yaml_resolved;
  /// The master seed every random stream derives from.
  std::uint64_t master_seed = 0;
};

/// `status` of a run that finished normally; any other value is a failure whose reason is
/// in `message`.
inline constexpr std::uint8_t run_status_ok = 0;
/// `status` of a run that threw (its KPIs are NaN).
inline constexpr std::uint8_t run_status_failed = 1;

/// One KPI over all runs: a float64 column of /runs.
struct KpiColumn {
  /// Dataset name, e.g. "wait_mean_h": letters, digits and '_' are safest for users.
  std::string name;
  /// Unit, e.g. "h", "items", "share", "money". Must not contain the word "since" (xarray
  /// would decode it as a time).
  std::string unit;
  /// One line saying what it measures.
  std::string description;
  /// One value per run (row of RunTable); NaN where the run failed or the KPI is undefined.
  std::vector<double> values;
};

/// Values of one per-item column (or of a factor column or a table column).
using ItemValues = std::variant<std::vector<double>, std::vector<std::uint32_t>,
                                std::vector<std::uint64_t>, std::vector<std::string>>;

/// `role` of a factor column that is an uncertainty set by the sweep's design.
inline constexpr std::string_view factor_role_factor = "factor";
/// `role` of a factor column that is a decision, crossed with every design point.
inline constexpr std::string_view factor_role_lever = "lever";

/// One swept factor over all runs: a column of /runs written after `message` and before
/// the KPIs. read_results recognises it by its attribute `key_path`.
struct FactorColumn {
  /// Dataset name: letters, digits, '_', '.' and '-' only; unique in /runs (not one of the
  /// fixed columns run, model, replication, point, seed, status, message nor a KPI).
  std::string name;
  /// The scenario key the factor sets, e.g. "mechanisms.handoff_retention" (attribute
  /// `key_path`); not empty.
  std::string key_path;
  /// factor_role_factor ("factor": an uncertainty set by the design) or factor_role_lever
  /// ("lever": a decision crossed with every design point) (attribute `role`).
  std::string role;
  /// Unit of the values, "" when none; must not contain "since".
  std::string unit;
  /// One line saying what it is.
  std::string description;
  /// One value per run (row of RunTable): std::vector<double> for numeric factors,
  /// std::vector<std::string> otherwise; uint32 and uint64 are allowed too.
  ItemValues values;

  /// Number of values.
  std::size_t size() const;
};

/// One row per run (model x replication x sweep point), as columns (group /runs).
struct RunTable {
  std::vector<std::string> model;         ///< model id, one of ResultsFile::models
  std::vector<std::uint32_t> replication; ///< replication index, from 0
  std::vector<std::uint32_t> point;       ///< sweep point index; 0 without a sweep
  std::vector<std::uint64_t> seed;        ///< the run's seed (from master seed, replication)
  std::vector<std::uint8_t> status;       ///< run_status_ok or a failure code
  std::vector<std::string> message;       ///< why the run failed; "" when ok
  /// Stationarity verdict of each run's backlog after the warm-up (column `steady`, the
  /// codes of analysis::Stationarity: 0 trending, 1 steady, 2 too short to tell, 255 not
  /// tested). Empty when no run was tested: the file then has neither this column nor
  /// backlog_slope_per_year. Otherwise one value per run; add_run does not touch it.
  std::vector<std::uint8_t> steady;
  /// Trend of each run's backlog after the warm-up, items a year (column
  /// `backlog_slope_per_year`); NaN when not tested or too short. As many values as steady.
  std::vector<double> backlog_slope_per_year;
  /// Swept factors and levers of a sweep (empty without one), in output order; one value
  /// per run each. add_run does not touch them: the caller fills their values.
  std::vector<FactorColumn> factors;
  std::vector<KpiColumn> kpis; ///< in output order

  /// Number of runs (rows).
  std::size_t size() const { return model.size(); }
  /// The KPI column called `name`, or nullptr.
  const KpiColumn* kpi(std::string_view name) const;
  /// The factor column called `name`, or nullptr.
  const FactorColumn* factor(std::string_view name) const;
  /// Appends one run. `kpi_values` has one value per column of `kpis`, in that order
  /// (their units); throws std::invalid_argument otherwise.
  void add_run(std::string model_id, std::uint32_t replication_index, std::uint32_t point_index,
               std::uint64_t run_seed, std::uint8_t run_status, std::string run_message,
               std::span<const double> kpi_values);
};

/// A series sampled on the regular time grid of TimeSeriesSet, for every run.
struct TimeSeries {
  /// Dataset name, e.g. "backlog".
  std::string name;
  /// Unit of the values (not of time); must not contain "since".
  std::string unit;
  /// One line saying what it measures.
  std::string description;
  /// Row-major matrix [run][time]: values[run * points + i] is the value of run `run` (row
  /// of RunTable) at time_h(i). NaN where undefined (e.g. a failed run).
  std::vector<double> values;
};

/// Optional time series (group /timeseries), all on one regular grid.
struct TimeSeriesSet {
  /// Time of the first sample, in simulated hours from the start of the run.
  double start_h = 0.0;
  /// Time between samples, in hours (> 0).
  double step_h = 1.0;
  /// Number of samples per run.
  std::uint32_t points = 0;
  /// The series, in output order.
  std::vector<TimeSeries> series;

  /// Time of sample i in hours: start_h + i * step_h.
  double time_h(std::size_t i) const { return start_h + static_cast<double>(i) * step_h; }
};

/// One column of the per-item table.
struct ItemColumn {
  /// Dataset name, e.g. "lead_time_h".
  std::string name;
  /// Unit ("" for identifiers and categories); must not contain "since".
  std::string unit;
  /// One line saying what it holds.
  std::string description;
  /// One value per item.
  ItemValues values;

  /// Number of values.
  std::size_t size() const;
};

/// Optional per-item table (group /requests): one row per item (request, incident, ...),
/// as columns. One column must be called "run", of type uint32 or uint64, holding the row
/// of RunTable the item belongs to.
struct ItemTable {
  /// The columns, in output order; all of the same length.
  std::vector<ItemColumn> columns;

  /// Number of rows (0 without columns).
  std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
  /// The column called `name`, or nullptr.
  const ItemColumn* column(std::string_view name) const;
};

/// The sweep a results file comes from (group /sweep, attributes only); absent for a plain
/// `itsim run`.
struct SweepInfo {
  /// The sweep's name.
  std::string name;
  /// The sweep definition as run (YAML text).
  std::string yaml;
  /// Identity of the sweep: 16 hexadecimal digits; the shards and journals of one sweep
  /// share it.
  std::string id;
  /// Runs in the whole sweep (all shards).
  std::uint64_t runs_total = 0;
  /// Design points after the constraint.
  std::uint32_t points = 0;
  /// The design: "grid", "zip", "random", "lhs" or "morris".
  std::string design;
  /// K of shard K/N (1-based) when this file is one shard; 0 for a whole sweep.
  std::uint32_t shard_index = 0;
  /// N of shard K/N; 0 for a whole sweep.
  std::uint32_t shard_count = 0;
};

/// A generic extra table: a root group (e.g. /points, /sensitivity, /winners) of equal-length
/// columns over a `row` dimension scale, like /requests.
struct Table {
  /// Group name at the root: letters, digits, '_', '.' and '-' only; unique; not one of
  /// scenario, runs, summary, comparison, timeseries, requests, sweep.
  std::string group;
  /// One line saying what the table holds (group attribute `description`).
  std::string description;
  /// More string attributes of the group, in output order: unique names, none called
  /// "description".
  std::vector<std::pair<std::string, std::string>> attributes;
  /// The columns, in output order; all of the same length (possibly 0). Names are unique
  /// and not "row"; units must not contain "since".
  std::vector<ItemColumn> columns;

  /// Number of rows (0 without columns).
  std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
  /// The column called `name`, or nullptr.
  const ItemColumn* column(std::string_view name) const;
};

/// Everything an itsim results file holds, apart from the statistics that write_results
/// derives from the runs (/summary, /comparison; see summary.hpp). docs/results-format.md
/// describes the file.
struct ResultsFile {
  Provenance provenance;
  ScenarioInfo scenario;
  /// Model ids in the scenario's order; every RunTable::model value is one of them.
  std::vector<std::string> models;
  /// The model the others are compared with (one of `models`), or "" for no comparison.
  std::string baseline;
  RunTable runs;
  /// Time series, when recorded (absent: no /timeseries group).
  std::optional<TimeSeriesSet> timeseries;
  /// Per-item table, when recorded (absent: no /requests group).
  std::optional<ItemTable> requests;
  /// The sweep, for the results of `itsim sweep` (absent: no /sweep group).
  std::optional<SweepInfo> sweep;
  /// Extra tables, written in this order after the other groups.
  std::vector<Table> tables;

  /// The table whose group is `group`, or nullptr.
  const Table* table(std::string_view group) const;
};

/// Options of write_results.
struct WriteOptions {
  /// Replace an existing file at the target path.
  bool force = false;
};

/// Throws std::invalid_argument naming the first inconsistency of `file`: column lengths
/// that differ, a run of a model not in `models`, two runs with the same (model,
/// replication, point), an empty, duplicate or reserved dataset name or one containing '/',
/// a unit containing "since", a baseline not in `models`, a bad time grid, a per-item table
/// without a valid "run" column, a bad factor column (length, name, key_path, role), a bad
/// SweepInfo (id, design, shard) or a bad extra table (group name, column lengths and
/// names, attributes). write_results calls it before creating anything.
void validate_results(const ResultsFile& file);

/// Writes `file` and its statistics (summarize(file), 95 % intervals) to `path` as HDF5.
///
/// The file is built in memory (about its own size, at most the uncompressed data), written
/// under a unique temporary name in the target's directory (".NAME.tmp-PID-N"), flushed to
/// disk, closed, then renamed to `path`, so that `path` never holds a partial file; on any
/// failure the temporary file is removed. Without options.force an existing `path` is left
/// alone. The same `file` always gives the same bytes (HDF5 object timestamps are off),
/// created_utc aside. Call it from one thread at a time (HDF5 serialises anyway).
///
/// Throws std::invalid_argument when validate_results does; OutputExistsError when `path`
/// exists and !options.force; OutputCreateError when `path` is a directory or its directory
/// is missing or not writable; OutputWriteError when writing fails (the message names the
/// file, the dataset and HDF5's reason, e.g. "No space left on device").
void write_results(const std::string& path, const ResultsFile& file,
                   const WriteOptions& options = {});

/// A results file written while its runs finish, so that the per-item table (/requests)
/// never has to fit in memory: the file is created on disk under the temporary name at
/// once, /requests grows chunk by chunk (chunked, shuffle + gzip 4, extended as rows come)
/// and finish() writes every other group from a ResultsFile, then renames the file over
/// `path` as write_results does. The file holds the same values as write_results gives for
/// the same file with its /requests in memory; the string columns of /requests are
/// fixed-length (NUL-padded to the width given), whatever the row count.
///
/// Memory: the rows of one chunk (65,536) per column, whatever the row count. Not
/// thread-safe: one thread at a time (HDF5 serialises anyway). Destroyed without a
/// successful finish(), it removes the temporary file and leaves `path` alone. Throws
/// as write_results does: OutputExistsError, OutputCreateError when it cannot be created,
/// OutputWriteError (exit 74) when a write fails (a full disk, a file-size limit).
class ResultsStream {
public:
  /// Creates the temporary file and the empty /requests of `layout`'s columns (their names,
  /// units, descriptions and types; values ignored). `string_widths[i]` is the width in
  /// bytes of string column i (ignored for numeric ones); `timeseries` says whether the
  /// finished file has /timeseries (groups keep the write_results order).
  ResultsStream(const std::string& path, const ItemTable& layout,
                const std::vector<std::size_t>& string_widths, bool timeseries,
                const WriteOptions& options = {});
  ResultsStream(const ResultsStream&) = delete;
  ResultsStream& operator=(const ResultsStream&) = delete;
  ~ResultsStream();

  /// Appends `rows` (the layout's columns, in order) to /requests. Throws
  /// std::invalid_argument for columns that do not match the layout or a string longer
  /// than its width, OutputWriteError when writing fails.
  void append_requests(const ItemTable& rows);
  /// Rows appended so far.
  std::uint64_t request_rows() const;
  /// Writes the rest of the file from `file` (whose `requests` must be empty: they were
  /// streamed) and its statistics, flushes it to disk and renames it over the target.
  /// Throws as write_results does, and std::invalid_argument when a streamed row names a
  /// run beyond file.runs.
  void finish(const ResultsFile& file);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Throws what write_results would throw for `path` before writing anything:
/// OutputExistsError when it exists and !options.force, OutputCreateError when it is a
/// directory or its directory is missing or not writable (probed by creating and removing
/// a temporary file there). For the CLI to call before hours of simulation.
void check_output_path(const std::string& path, const WriteOptions& options = {});

/// Reads back everything write_results wrote (not /summary and /comparison: see
/// read_summary): the datasets of /runs with an attribute `key_path` as factor columns, the
/// others after the fixed columns as KPIs; /sweep when present; every other root group that
/// has a `row` dimension scale as a Table, in the file's order (files without these parts
/// read as before). Throws ResultsReadError when `path` is missing, not HDF5, not an itsim
/// results file, has a format_version newer than results_format_version, or lacks or
/// garbles a required part (the message names it).
ResultsFile read_results(const std::string& path);

/// The current time as ISO 8601 UTC with seconds, e.g. "2026-11-25T14:03:07Z"; or, when
/// the environment variable SOURCE_DATE_EPOCH holds a whole number of seconds since
/// 1970-01-01 UTC (the reproducible-builds convention), that time instead, so that an
/// experiment rerun gives a byte-identical file.
std::string utc_now_iso8601();

/// `seconds_since_epoch` as ISO 8601 UTC with seconds.
std::string utc_iso8601(std::int64_t seconds_since_epoch);

} // namespace itsim::analysis
