// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

/// Global sensitivity analysis of a model output (a KPI) to its input factors
/// (docs/sensitivity.md): standardised (rank) regression coefficients from any sample of
/// runs, and Morris elementary effects from a Morris design. Factors are numbered 0..k-1 in
/// the order the caller gives them; nothing here knows their names or units.
namespace itsim::analysis {

// ---------------------------------------------------------------------------------------
// Regression-based measures: SRC and SRRC

/// Whether standardised_regression() fits the values themselves (SRC) or their ranks
/// (SRRC).
enum class RegressionScale {
  /// Standardised regression coefficients, on the values as given.
  values,
  /// Standardised rank regression coefficients: every factor column and the response are
  /// replaced by their average ranks (average_ranks()) before the fit.
  ranks,
};

/// One factor's standardised regression coefficient.
struct RegressionFactor {
  /// SRC_j (or SRRC_j), dimensionless: the change of the response, in standard deviations
  /// of the response, per standard deviation of factor j, the other factors held fixed.
  /// NaN when the factor has zero variance or the response is constant.
  double coefficient = 0.0;
  /// Half-width of the two-sided confidence interval coefficient +/- half_width at the
  /// result's level (dimensionless, same scale as coefficient); 0 for a perfect fit; NaN
  /// whenever coefficient is NaN.
  double half_width = 0.0;
  /// True when every value of the factor (or of its ranks) is the same: it cannot explain
  /// anything, so it was left out of the fit and its coefficient is NaN.
  bool zero_variance = false;
};

/// Outcome of standardised_regression().
struct RegressionSensitivity {
  /// One entry per factor, in the input order.
  std::vector<RegressionFactor> factors;
  /// Coefficient of determination of the fit, 1 - RSS / TSS, in [0, 1] (dimensionless).
  /// How much of the response's variance a linear (SRC) or monotone (SRRC) model in the
  /// factors explains: the coefficients describe the model well only when it is high
  /// (Saltelli et al. 2008 suggest R^2 >= 0.7). 0 when no factor varies; NaN for a
  /// constant response.
  double r_squared = 0.0;
  /// Number of observations (rows), n.
  std::size_t n = 0;
  /// Number of factors with nonzero variance, k' (those in the fit).
  std::size_t fitted_factors = 0;
  /// Residual degrees of freedom of the fit, n - k' - 1 (>= 1).
  std::size_t residual_dof = 0;
  /// Confidence level of the half-widths, in (0, 1).
  double level = 0.0;
  /// Values (SRC) or ranks (SRRC).
  RegressionScale scale = RegressionScale::values;
};

/// Standardised regression coefficients (Saltelli et al. 2008, ch. 1) of one response
/// on k factors, from n observations: `factors` holds k columns of n values each (column j
/// is factor j over the runs), `response` the n response values in the same row order.
///
/// Ordinary least squares fits y_i = b_0 + sum_j b_j x_ij + e_i over the factors with
/// nonzero variance (k' of them) and returns, per factor,
///   SRC_j = b_j * s(x_j) / s(y),
/// with s the sample standard deviation. The fit is computed on standardised columns
/// (z_ij = (x_ij - mean_j) / s(x_j), likewise y), which gives SRC_j directly as the slope,
/// by a column-pivoting Householder QR decomposition. For independent factors and a linear
/// model, SRC_j^2 is the share of the response variance due to factor j and the SRC_j^2
/// sum to R^2; with correlated factors that decomposition no longer holds.
///
/// Confidence half-widths come from the OLS standard errors:
///   half_width_j = t_{n-k'-1, 1-(1-level)/2} * sqrt(sigma^2 [(Z'Z)^-1]_jj),
///   sigma^2 = RSS / (n - k' - 1),
/// on the standardised scale, i.e. the half-width of b_j scaled by s(x_j) / s(y). The
/// scaling treats s(x_j) and s(y) as fixed (conditional on the sample), as is usual; the
/// interval assumes independent, homoscedastic, normal errors about a linear model.
/// R^2 = 1 - RSS / TSS.
///
/// With scale == RegressionScale::ranks each column and the response are first replaced
/// by their average ranks (ties share the mean of their ranks) and the same fit gives the
/// standardised rank regression coefficients SRRC_j, which measure monotone rather than
/// linear influence; the half-widths are then only approximate, since ranks are not
/// normal.
///
/// Edge cases: a factor whose values are all equal (exact comparison; for ranks, the same)
/// is left out of the fit, flagged zero_variance, and gets NaN coefficient and half-width.
/// If the response is constant every coefficient and half-width and R^2 are NaN. If no
/// factor varies the fit is the mean alone: R^2 = 0, all coefficients NaN.
///
/// Throws itsim::ModelError if there are no factors, if a column's length differs from the
/// response's, if a value is NaN or infinite (the message names the factor and the row),
/// if level is not in (0, 1), if n <= k' + 1 (no residual degree of freedom; the message
/// names n and k'), or if the varying factors are collinear (one is a linear combination of
/// the others, so their coefficients are not identifiable: in the QR decomposition of the
/// standardised columns a pivot is below sqrt(machine epsilon) ~ 1.5e-8 times the largest).
RegressionSensitivity standardised_regression(std::span<const std::vector<double>> factors,
                                              std::span<const double> response,
                                              RegressionScale scale = RegressionScale::values,
                                              double level = 0.95);

/// Average ranks (1-based) of the values: the smallest value gets rank 1, and a group of
/// tied values shares the mean of the ranks it spans, e.g. {10, 20, 20, 5} -> {2, 3.5,
/// 3.5, 1}. The ranks sum to n (n + 1) / 2. Values must not be NaN (not checked; NaN
/// breaks the ordering); +/-infinity ranks as expected.
std::vector<double> average_ranks(std::span<const double> values);

/// Indices of `scores` ordered by |score| descending: the most influential factor first.
/// NaN scores come last; equal magnitudes (and NaNs) keep their input order (stable), so
/// {0.1, -0.5, NaN, 0.5} -> {1, 3, 0, 2}.
std::vector<std::size_t> rank_by_magnitude(std::span<const double> scores);

/// Factors of a regression result by |coefficient| descending (rank_by_magnitude()):
/// zero-variance factors and all factors of a constant response (NaN) come last.
std::vector<std::size_t> rank_factors(const RegressionSensitivity& result);

// ---------------------------------------------------------------------------------------
// Morris elementary effects

/// One step of a Morris trajectory: from point i to point i + 1 only coordinate `factor`
/// changes, by `delta` (unit-cube units: +Delta or -Delta).
struct MorrisStep {
  /// The factor the step changes, in 0..k-1.
  std::size_t factor = 0;
  /// Signed change of that coordinate, x_{i+1}[factor] - x_i[factor], in the unit cube.
  double delta = 0.0;
};

/// One Morris trajectory (a "one factor at a time" path through the grid): k + 1 points,
/// each with k coordinates in [0, 1], and the k steps between consecutive points; every
/// factor is changed by exactly one step.
struct MorrisTrajectory {
  /// k + 1 points in the unit cube [0, 1]^k, each a vector of k coordinates.
  std::vector<std::vector<double>> points;
  /// steps[i] leads from points[i] to points[i + 1].
  std::vector<MorrisStep> steps;
};

/// A Morris design: r trajectories of k + 1 points each, r (k + 1) points in all.
struct MorrisDesign {
  /// Number of factors, k.
  std::size_t factors = 0;
  /// Number of grid levels per factor, p (even): coordinates lie on {0, 1/(p-1), ..., 1}.
  std::size_t levels = 0;
  /// Step size Delta = p / (2 (p - 1)) in unit-cube units (2/3 for p = 4).
  double delta = 0.0;
  /// The r trajectories.
  std::vector<MorrisTrajectory> trajectories;

  /// Number of points, r (k + 1): the number of model runs the design needs.
  std::size_t point_count() const;
  /// All points in run order: trajectory t's point i is entry t (k + 1) + i. Responses for
  /// morris_effects() are given in this order.
  std::vector<std::vector<double>> points() const;
};

/// Random Morris design (Morris 1991, sec. 3): `trajectories` (r >= 1) trajectories for
/// `factors` (k >= 1) factors on a grid of `levels` (p >= 2, even) levels per factor.
///
/// With Delta = p / (2 (p - 1)), each trajectory is Morris's
///   B* = (J x* + (Delta / 2) [(2 B - J) D* + J]) P*
/// with B the (k+1) x k strictly lower triangular matrix of ones and J matrices of ones:
///   x*  base point, each coordinate uniform on {0, 1/(p-1), ..., 1 - Delta} (p/2 values);
///   D*  diagonal of independent random signs, the direction of each factor's step;
///   P*  random permutation, the order in which factors are changed.
/// So factor j starts at x*_j (step +Delta) or x*_j + Delta (step -Delta), and every point
/// lies on the grid in [0, 1]. Coordinates are computed as (integer level) / (p - 1), so
/// they are exact grid values; each step's signed delta is recorded in the trajectory.
///
/// Randomness comes from one itsim::sim::RandomStream seeded with `seed`, drawn per
/// trajectory in a fixed order (the k base levels by uniform_index(p / 2), factors in
/// order; then a Fisher-Yates shuffle of 0..k-1 from the last position down, by
/// uniform_index; then the k signs, in step order, from the top bit of next_u64(): 0 gives +Delta,
/// 1 gives -Delta), so the same arguments give the same design with any compiler and standard
/// library. Trajectories are independent draws: two may coincide, more likely for small p and k.
///
/// Throws itsim::ModelError if factors or trajectories is 0, or levels is odd or below 2.
MorrisDesign morris_design(std::size_t factors, std::size_t trajectories, std::uint64_t seed,
                           std::size_t levels = 4);

/// A factor's range for mapping unit-cube coordinates to real values.
struct FactorRange {
  /// Value at unit coordinate 0 (the factor's unit).
  double min = 0.0;
  /// Value at unit coordinate 1 (the factor's unit); max >= min.
  double max = 1.0;
};

/// Maps a unit-cube point to factor values linearly: x_j = min_j + u_j (max_j - min_j), so
/// u = 0 gives min and u = 1 gives max exactly. A factor that must take integer values
/// (a head count) should be given a grid of levels matching its integers, or be rounded by
/// the caller. Throws itsim::ModelError if the sizes differ, if a coordinate is not in
/// [0, 1] (or NaN), or if a range has a non-finite end or width, or max < min.
std::vector<double> map_to_ranges(std::span<const double> unit_point,
                                  std::span<const FactorRange> ranges);

/// Morris measures of one factor (Morris 1991; Campolongo, Cariboni & Saltelli 2007).
struct MorrisFactor {
  /// The factor's elementary effects, one per trajectory, in trajectory order (response
  /// unit per unit-cube unit, or per factor unit when ranges were given).
  std::vector<double> elementary_effects;
  /// mu = mean of the elementary effects: the overall (signed) influence; effects of
  /// opposite sign cancel in it.
  double mu = 0.0;
  /// mu* = mean of |elementary effect| (Campolongo et al. 2007): the overall influence,
  /// the measure to rank factors by.
  double mu_star = 0.0;
  /// sigma = sample standard deviation of the effects (divisor count - 1): large when the
  /// effect depends on where in the space it is measured, i.e. nonlinearity or interaction
  /// with other factors. NaN with a single effect.
  double sigma = 0.0;
  /// Number of elementary effects, r (one per trajectory).
  std::size_t count = 0;
};

/// Outcome of morris_effects().
struct MorrisResult {
  /// One entry per factor, in factor order.
  std::vector<MorrisFactor> factors;
};

/// Elementary effects and the Morris measures of one response (Morris 1991; Campolongo et
/// al. 2007). `responses` holds one value per design point, in the order of
/// design.points(): entry t (k + 1) + i is the response at trajectory t's point i.
///
/// For the step i of trajectory t that changes factor j by delta (unit cube),
///   EE_j = (y_{t,i+1} - y_{t,i}) / delta,
/// the effect per unit of the unit cube; with `ranges` given (one per factor), per unit of
/// the real factor instead: EE_j = (y_{t,i+1} - y_{t,i}) / (delta (max_j - min_j)). Then
/// per factor, over its r effects: mu = mean EE, mu* = mean |EE|, sigma = sample standard
/// deviation (n - 1). For a linear response y = b_0 + sum b_j u_j, EE_j = b_j exactly:
/// mu = mu* = b_j, sigma = 0.
///
/// Throws itsim::ModelError if responses.size() != design.point_count(), a response is NaN
/// or infinite (the message names the point, its trajectory and its index there), ranges
/// is neither empty nor of size k or has a range with non-finite ends or max <= min, or the
/// design is malformed (a trajectory without k + 1 points of k coordinates and k steps, a
/// step naming a factor outside 0..k-1, a zero or non-finite step delta, or a factor not
/// changed exactly once in a trajectory).
MorrisResult morris_effects(const MorrisDesign& design, std::span<const double> responses,
                            std::span<const FactorRange> ranges = {});

/// Factors of a Morris result by mu* descending (rank_by_magnitude()).
std::vector<std::size_t> rank_factors(const MorrisResult& result);

} // namespace itsim::analysis
