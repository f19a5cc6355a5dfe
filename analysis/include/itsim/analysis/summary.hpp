// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "itsim/analysis/results.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace itsim::analysis {

/// Statistics of one KPI over the replications of one model at one sweep point, in the
/// KPI's unit. Only runs with status run_status_ok and a finite value count.
struct KpiSummary {
  /// Number of values behind the statistics.
  std::uint32_t n = 0;
  /// Sample mean; NaN when n = 0.
  double mean = 0.0;
  /// Half-width of the Student t confidence interval for the mean (confidence_interval());
  /// NaN when n < 2.
  double ci_half_width = 0.0;
  /// 10th, 50th and 90th percentiles by linear interpolation (percentile()); NaN when n = 0.
  double p10 = 0.0;
  double p50 = 0.0;
  double p90 = 0.0;
};

/// One (model, point) of the summary.
struct SummaryRow {
  std::string model;
  std::uint32_t point = 0;
  /// Runs of this model and point with status run_status_ok, and with another status.
  std::uint32_t runs_ok = 0;
  std::uint32_t runs_failed = 0;
  /// One entry per KPI, in Summary::kpi_names order.
  std::vector<KpiSummary> kpis;
};

/// Mean paired difference (model - baseline) of one KPI, in the KPI's unit.
struct KpiDifference {
  /// Number of pairs: replications at which both runs are ok and both values finite.
  std::uint32_t n = 0;
  /// Mean of model - baseline over the pairs; NaN when n = 0.
  double mean = 0.0;
  /// Half-width of the paired-t confidence interval (paired_difference()); NaN when n < 2.
  double ci_half_width = 0.0;
  /// Whether the interval excludes 0 (n >= 2): the models differ at the chosen level.
  bool significant = false;
};

/// One (model, point) against the baseline at the same point.
struct ComparisonRow {
  std::string model;
  std::uint32_t point = 0;
  /// One entry per KPI, in Summary::kpi_names order.
  std::vector<KpiDifference> kpis;
};

/// Statistics across replications of a results file (/summary and /comparison).
struct Summary {
  /// Confidence level of every interval, e.g. 0.95.
  double level = 0.95;
  /// The baseline model, "" when there is none (then `comparison` is empty).
  std::string baseline;
  /// KPI names and units, in RunTable::kpis order.
  std::vector<std::string> kpi_names;
  std::vector<std::string> kpi_units;
  /// Every (model, point) that has runs: models in ResultsFile::models order, points
  /// ascending.
  std::vector<SummaryRow> rows;
  /// Every (model, point) of `rows` whose model is not the baseline, same order; pairs are
  /// matched on (replication, point) with the baseline's runs.
  std::vector<ComparisonRow> comparison;
};

/// Computes the statistics of `file` at confidence `level` (in (0, 1)). Throws
/// std::invalid_argument when validate_results(file) does, or for a bad level.
Summary summarize(const ResultsFile& file, double level = 0.95);

/// The p-quantile (p in [0, 1]) of ascending `sorted` values by linear interpolation
/// between order statistics: h = (n - 1) p, x[floor h] + (h - floor h)(x[floor h + 1] -
/// x[floor h]). This is numpy's default (`np.percentile(x, 100 p)`) and R's type 7. NaN for
/// no values.
double percentile(std::span<const double> sorted, double p);

/// Statistics across replications of a per-run table (e.g. /resources: a row per run and
/// resource): one row per (model, point, key values), for every float64 column that is
/// not a key: COLUMN_n (uint32, the ok runs with a finite value), COLUMN_mean and
/// COLUMN_ci (the Student t half-width at `level`; NaN when n < 2), in COLUMN's unit.
///
/// `per_run` needs a uint32 column `run` (the row of file.runs); `keys` name its columns
/// (uint32 or string) that, with the run's model and point, identify a row (e.g.
/// {"resource"}). The result, a Table called `group` described by `description`, has the
/// columns model, point, the keys, then the statistics; rows in file.models order, points
/// ascending, key values in the order they first appear. Rows of failed runs count for
/// no statistic. Throws std::invalid_argument for a missing or mistyped `run` or key
/// column, a run that is not a row of file.runs, or a bad level.
Table summarize_table(const ResultsFile& file, const Table& per_run,
                      std::span<const std::string> keys, std::string group, std::string description,
                      double level = 0.95);

/// Reads /summary and /comparison of a results file written by write_results. Throws
/// ResultsReadError like read_results.
Summary read_summary(const std::string& path);

} // namespace itsim::analysis
