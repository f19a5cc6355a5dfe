// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "itsim/analysis/results.hpp"
#include "itsim/analysis/sensitivity.hpp"

/// The analysis tables of a whole sweep (/sensitivity and /winners, docs/sweeps.md): each
/// is built as a vector of row structs from the file's /runs and /points, then written by
/// row_table() (row_table.hpp). add_sweep_analysis() (sweep_results.hpp) puts them together.
namespace itsim::experiments {

/// A numeric factor of a sweep and its value at every point.
struct NumericFactor {
  /// Column name in /runs and /points.
  std::string name;
  /// The scenario key the factor sets.
  std::string key_path;
  /// One value per point (row of /points), in the factor's unit.
  std::vector<double> values;
};

/// The factors of `runs` that are numeric (float64) both in /runs and in `points` (the
/// /points table), in /runs order, with their values per point: the factors that enter the
/// sensitivity analysis.
std::vector<NumericFactor> numeric_factors(const analysis::RunTable& runs,
                                           const analysis::Table& points);

/// The Morris design a /points table was drawn from, rebuilt from its attributes (design,
/// trajectories, design_seed, levels) for `factor_count` numeric factors; nullopt when the
/// design is not Morris or there are no numeric factors. Throws itsim::ModelError when the
/// design has another number of points than the table has rows: such a table was not
/// written by that design (a Morris sweep allows no constraint and no levers).
std::optional<analysis::MorrisDesign> sweep_morris_design(const analysis::Table& points,
                                                          std::size_t factor_count);

/// The mean of a KPI (`kpi_values`, one per run of `runs`) for model `model` at each of
/// `point_count` points, over the runs with status run_status_ok and a finite value, in
/// row order; NaN at a point without such a run.
std::vector<double> point_means(const analysis::RunTable& runs, std::string_view model,
                                std::span<const double> kpi_values, std::size_t point_count);

/// One row of /sensitivity: how one numeric factor moves one KPI of one model, over the
/// points. Measures are dimensionless unless said; NaN when not computed.
struct SensitivityRow {
  std::string model;
  std::string kpi;
  /// The factor's column name, and the scenario key it sets.
  std::string factor;
  std::string key_path;
  /// Standardised regression coefficient and its 95 % CI half-width.
  double src = std::numeric_limits<double>::quiet_NaN();
  double src_ci = std::numeric_limits<double>::quiet_NaN();
  /// The same on ranks.
  double srrc = std::numeric_limits<double>::quiet_NaN();
  double srrc_ci = std::numeric_limits<double>::quiet_NaN();
  /// R^2 of the linear and of the rank fit (share; the same for every factor of a model
  /// and KPI).
  double r2 = std::numeric_limits<double>::quiet_NaN();
  double r2_rank = std::numeric_limits<double>::quiet_NaN();
  /// Morris mean elementary effect, mean |effect| and their sd (KPI unit per traverse of
  /// the factor's range); NaN unless a Morris design.
  double morris_mu = std::numeric_limits<double>::quiet_NaN();
  double morris_mu_star = std::numeric_limits<double>::quiet_NaN();
  double morris_sigma = std::numeric_limits<double>::quiet_NaN();
  /// 1 = most influential factor for this model and KPI (by |src|, or by mu* for Morris).
  std::uint32_t rank = 0;
  /// Why the regression measures were left out ("" when they were computed): the
  /// ModelError of standardised_regression(), e.g. too few points with a result for the
  /// factors, or collinear factors. Not a column (see sensitivity_table()).
  std::string regression_left_out;
  /// Why the Morris measures were left out of a Morris design ("" otherwise): a point
  /// without an ok run. Not a column.
  std::string morris_left_out;
};

/// The rows of /sensitivity: for every model (in `models` order), KPI (in /runs order) and
/// factor of `factors`, the measures of the KPI's point means (point_means()) regressed on
/// the factors' values over the points that have one (SRC, SRRC), and with `morris` (its
/// point count must be `point_count` and its factor count that of `factors`) the Morris
/// measures when every point has a mean. No rows without factors.
std::vector<SensitivityRow> sensitivity_rows(const analysis::RunTable& runs,
                                             std::span<const std::string> models,
                                             std::span<const NumericFactor> factors,
                                             std::size_t point_count,
                                             const analysis::MorrisDesign* morris);

/// sensitivity_rows() from the point means alone (the regression needs nothing else), for
/// an assembly that reads the runs a point at a time: `means[m * kpis.size() + k]` holds
/// point_means() of model `models[m]` and KPI `kpis[k]`, one per point.
std::vector<SensitivityRow>
sensitivity_rows(std::span<const std::string> models, std::span<const std::string> kpis,
                 std::span<const std::vector<double>> means, std::span<const NumericFactor> factors,
                 std::size_t point_count, const analysis::MorrisDesign* morris);

/// /sensitivity from its rows. When some rows left measures out, the attributes
/// `regression_left_out` and `morris_left_out` say why: each distinct reason once, with the
/// number of (model, KPI) pairs it concerns; they are absent otherwise.
analysis::Table sensitivity_table(std::span<const SensitivityRow> rows);

/// One row of /winners: which model has the highest mean of the compared KPI (net value)
/// at one point, and by how much it beats the runner-up. Values in the KPI's unit.
struct WinnerRow {
  std::uint32_t point = 0;
  /// The best model and its mean over its ok replications ("" and NaN when no model has
  /// an ok run at the point).
  std::string best_model;
  double best_value = std::numeric_limits<double>::quiet_NaN();
  /// The second best ("" and NaN with fewer than two models with ok runs).
  std::string runner_up;
  double runner_up_value = std::numeric_limits<double>::quiet_NaN();
  /// Mean paired difference best - runner-up over the replications where both are ok
  /// (common random numbers), and its 95 % paired-t CI half-width (NaN below 2 pairs).
  double margin = std::numeric_limits<double>::quiet_NaN();
  double margin_ci = std::numeric_limits<double>::quiet_NaN();
  /// 1 when the margin's CI excludes 0, else 0.
  std::uint32_t significant = 0;
  /// Replications paired.
  std::uint32_t pairs = 0;
};

/// The rows of /winners, one per point 0..point_count-1, for the KPI column `kpi_values`
/// (one value per run of `runs`) over the models `models` (ties keep `models` order); only
/// runs with status run_status_ok and a finite value count.
std::vector<WinnerRow> winner_rows(const analysis::RunTable& runs,
                                   std::span<const std::string> models,
                                   std::span<const double> kpi_values, std::size_t point_count);

/// /winners from its rows; `unit` is the unit of net value.
analysis::Table winners_table(std::span<const WinnerRow> rows, const std::string& unit);

} // namespace itsim::experiments
