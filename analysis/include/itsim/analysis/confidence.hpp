// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <span>

namespace itsim::analysis {

/// A two-sided confidence interval for a mean, mean +/- half_width. Values are in the unit
/// of the samples it was built from.
struct ConfidenceInterval {
  /// Point estimate: the sample mean (samples' unit).
  double mean = 0.0;
  /// Half the interval's width (samples' unit); 0 when the samples do not vary.
  double half_width = 0.0;
  /// Confidence level in (0, 1), e.g. 0.95.
  double level = 0.0;
  /// Number of samples (replications) behind the interval.
  std::size_t n = 0;

  /// Lower end, mean - half_width (samples' unit).
  double lower() const { return mean - half_width; }
  /// Upper end, mean + half_width (samples' unit).
  double upper() const { return mean + half_width; }
  /// Whether x (samples' unit) lies in the closed interval [lower(), upper()].
  bool contains(double x) const { return lower() <= x && x <= upper(); }
  /// half_width / |mean| (dimensionless): 0 when half_width is 0, +infinity when the mean is
  /// 0 and half_width is not.
  double relative_half_width() const;
};

/// Mean and spread of a sample (the values of one KPI over replications, of a factor over
/// points, ...): the one place itsim's analysis computes them.
struct MeanVariance {
  /// Number of values.
  std::size_t n = 0;
  /// Arithmetic mean (the values' unit), sample_mean(); NaN for no values.
  double mean = 0.0;
  /// Sample variance, divisor n - 1 (the values' unit squared), never negative; NaN for
  /// fewer than 2 values.
  double variance = 0.0;

  /// Sample standard deviation sqrt(variance) (the values' unit); NaN for fewer than 2
  /// values.
  double sd() const;
};

/// The arithmetic mean of `values`, summed in order then divided by their count; NaN for
/// no values.
double sample_mean(std::span<const double> values);

/// Mean and sample variance of `values` by two passes: the mean (sample_mean()), then the
/// sum of squared deviations from it, less the correction for the rounding error of the
/// mean (Chan, Golub & LeVeque 1983, eq. 1.7), over n - 1. Unlike a running sum of squares
/// it keeps its precision for values far from 0 with a small spread, and a sample of equal
/// values gets a variance of exactly 0 even when their mean is rounded. Values are not
/// checked (a NaN or infinity gives NaN).
MeanVariance mean_variance(std::span<const double> values);

/// The p-quantile of Student's t distribution with `dof` degrees of freedom (dof > 0, may be
/// fractional), e.g. student_t_quantile(0.975, 4) = 2.7764451051977987. Computed by
/// Boost.Math. Throws itsim::ModelError unless 0 < p < 1 and dof > 0.
double student_t_quantile(double p, double dof);

/// Confidence interval for the mean of independent, identically distributed samples (one
/// value per replication) at confidence `level` in (0, 1), by Student's t (Law, Simulation
/// Modeling and Analysis, ch. 9, fixed-sample-size procedure):
///   mean +/- t_{n-1, 1-(1-level)/2} * s / sqrt(n), with s the sample standard deviation.
/// Throws itsim::ModelError if fewer than 2 samples are given, if level is not in (0, 1),
/// or if a sample is NaN or infinite (the message names its index and the level).
ConfidenceInterval confidence_interval(std::span<const double> samples, double level = 0.95);

/// Paired-t confidence interval for the mean difference mean(a_i - b_i) (Law ch. 10):
/// the right comparison when replication i of both alternatives used the same random
/// numbers (common random numbers), since the shared noise cancels in each difference.
/// Throws itsim::ModelError if the sizes differ, and for the same reasons as
/// confidence_interval().
ConfidenceInterval paired_difference(std::span<const double> a, std::span<const double> b,
                                     double level = 0.95);

/// Number of replications needed to estimate the mean with relative error at most
/// `target_relative_half_width` (gamma > 0, e.g. 0.05 for 5 %) at confidence `level`, from a
/// pilot run of n0 >= 2 replications (Law ch. 9, "obtaining a specified precision"):
///   the smallest n >= n0 with t_{n-1, 1-(1-level)/2} * s / sqrt(n) <= gamma' * |mean|,
/// where mean and s are the pilot's sample mean and standard deviation and
/// gamma' = gamma / (1 + gamma) is Law's adjusted relative error (a relative half-width of
/// gamma' around the estimate gives an actual relative error of at most gamma). The pilot
/// variance is treated as the true one, so this is an estimate: run the extra replications
/// and check the new interval. Returns n0 when the pilot already meets the target. Throws
/// itsim::ModelError if the pilot mean is 0, if an argument is out of range or the pilot
/// has a non-finite value, or if more than `max_n` replications would be needed.
std::size_t replications_for_precision(std::span<const double> pilot,
                                       double target_relative_half_width, double level = 0.95,
                                       std::size_t max_n = 100000);

} // namespace itsim::analysis
