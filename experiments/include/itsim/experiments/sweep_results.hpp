// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "itsim/analysis/results.hpp"
#include "itsim/experiments/journal.hpp"
#include "itsim/experiments/sweep_plan.hpp"
#include "itsim/sim/error.hpp"

namespace itsim::experiments {

/// Shards that cannot be merged: of different sweeps, overlapping, missing runs, or not
/// shards at all. The CLI exits with 65.
class MergeError : public Error {
public:
  using Error::Error;
};

/// The results file of the runs `records` of `plan` (docs/sweeps.md, "Results"): /runs in
/// run-index order with one column per factor, /sweep, and /points (the factor values of
/// every point, with the design's parameters as attributes). `shard_k`/`shard_n` 0 for a
/// whole sweep; then the records must be every run, and add_sweep_analysis should follow.
analysis::ResultsFile sweep_results(const SweepPlan& plan, std::span<const RunRecord> records,
                                    std::uint32_t shard_k, std::uint32_t shard_n);

/// Adds /sensitivity and /winners to a whole sweep's file (from its /runs and /points
/// alone, so that `itsim merge` computes exactly what a serial sweep does); each table is
/// built as rows by sweep_tables.hpp:
///  - /sensitivity: per model, KPI and numeric factor, the standardised regression
///    coefficient of the KPI's mean over replications at each point on the factors (and
///    its rank version), with confidence half-widths and R^2; for a Morris design also mu,
///    mu* and sigma of the elementary effects (per traverse of the factor's whole range);
///    and the factor's rank for that model and KPI (1 = most influential). Measures the
///    points cannot support are NaN, and the attributes regression_left_out and
///    morris_left_out then say why (sensitivity_table()).
///  - /winners: per point, the model with the highest mean net value, the runner-up, and
///    the paired difference between them over replications with its 95% CI.
/// Throws itsim::ModelError when the file has no /points table, or when a Morris design's
/// /points does not match the design its attributes describe.
void add_sweep_analysis(analysis::ResultsFile& file);

/// What write_sweep_results wrote: the file without its /runs, /summary and /comparison
/// (its models, /sweep and tables: /points, and /sensitivity and /winners for a whole
/// sweep), and the run counts.
struct StreamedSweep {
  analysis::ResultsFile file;
  std::uint64_t runs = 0;
  std::uint64_t failed = 0;
};

/// Writes the results file of runs [first, last) of `plan` to `target` as sweep_results()
/// (and add_sweep_analysis() for a whole sweep, `shard_n` 0) followed by write_results()
/// would, without holding the runs: the records are read from `journals` in run order
/// (points outermost, then models, then replications) and streamed into /runs
/// (analysis::RunsStream), a point at a time; /summary and /comparison are computed per
/// point by summarize() (a point's runs are all there is to its rows), /winners per point,
/// and /sensitivity from the point means. The values equal the in-memory assembly's bit
/// for bit (the same arithmetic in the same order). Memory: a point's runs, the rows of
/// /summary, /comparison and /winners and the point means (O(points x models x KPIs)),
/// not O(runs). Every run of the range must be in `journals`. Throws as write_results.
StreamedSweep write_sweep_results(const std::string& target, const SweepPlan& plan,
                                  const JournalIndex& journals, std::uint64_t first,
                                  std::uint64_t last, std::uint32_t shard_k, std::uint32_t shard_n,
                                  const analysis::Provenance& provenance,
                                  const analysis::WriteOptions& options = {});

/// Combines shard files of one sweep into the whole sweep's file, identical in /runs,
/// /points, /summary, /comparison, /sensitivity and /winners to a serial run. Throws
/// MergeError (the CLI exits 65) naming the file at fault when a shard is not a shard,
/// belongs to another sweep, overlaps another or has other columns, or when runs are
/// missing (it says how many, and into how many shards the sweep was split).
analysis::ResultsFile merge_shards(std::span<const analysis::ResultsFile> shards,
                                   std::span<const std::string> names);

/// The shard file name for output `output`: "sweep.h5" -> "sweep.shard-3-of-10.h5".
std::string shard_file_name(const std::string& output, std::uint32_t k, std::uint32_t n);

/// Name of factor `path`'s column: the key path with '.' -> '_' ("mechanisms_handoff_
/// retention"), prefixed "factor_" when that would clash with a column of /runs.
std::string factor_column_name(const std::string& path);

} // namespace itsim::experiments
