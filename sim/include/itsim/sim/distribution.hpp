// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "itsim/sim/random_stream.hpp"

namespace itsim::sim {

/// A univariate continuous distribution, stored by value; sampling is a switch on the kind
/// (no virtual call, no allocation per draw).
///
/// Why our own code: the std:: distributions are specified by their results, not by their
/// algorithms, so libstdc++ and libc++ turn the same uniforms into different variates. Every
/// kind here is built on RandomStream with a fixed algorithm, pinned by golden tests
/// (tests/unit/sim/distribution_test.cpp), so a seed gives the same numbers with either
/// standard library. The only platform dependence left is the C library's log, exp and pow
/// (glibc for GCC and Clang on Linux alike).
///
/// Draws per variate: deterministic draws nothing; uniform, exponential, lognormal, Weibull,
/// triangular and interpolated empirical draw exactly one 64-bit word (inversion, so models
/// that draw the same items stay in step for common random numbers); resampled empirical
/// draws one word except with probability below n / 2^64 (Lemire's rejection); gamma draws
/// two or more (Marsaglia-Tsang rejection, plus one for shape < 1).
///
/// Values and parameters are in whatever unit the caller uses (the models use hours); the
/// distribution itself is unit-free. A parameter out of range (negative, zero where not
/// allowed, NaN or infinite) throws itsim::ModelError naming the distribution, the
/// parameter and the bad value.
class Distribution {
public:
  /// The family; both lognormal (and both gamma) parametrisations share one kind.
  enum class Kind : std::uint8_t {
    deterministic,
    uniform,
    exponential,
    lognormal,
    gamma,
    weibull,
    triangular,
    empirical
  };
  /// How an empirical distribution uses its data.
  enum class EmpiricalMode : std::uint8_t {
    interpolated, ///< piecewise-linear inverse of the sorted data (Law, sec. 6.2.4)
    resample,     ///< each observation with probability 1/n
  };

  /// Always `value` (finite, any sign); draws no random number.
  static Distribution deterministic(double value);
  /// Uniform on [min, max) (finite, min <= max); min == max gives min (still one draw).
  static Distribution uniform(double min, double max);
  /// Exponential with mean `mean` (> 0), by inversion: -mean * log(u).
  static Distribution exponential(double mean);
  /// Lognormal with mean `mean` (> 0) and coefficient of variation `cv` (> 0):
  /// sigma^2 = log(1 + cv^2), mu = log(mean) - sigma^2 / 2.
  static Distribution lognormal_mean_cv(double mean, double cv);
  /// Lognormal with median `median` = exp(mu) (> 0) and log-scale deviation `sigma` (>= 0).
  static Distribution lognormal_median_sigma(double median, double sigma);
  /// Gamma with shape k (> 0) and scale theta (> 0): mean k * theta.
  static Distribution gamma(double shape, double scale);
  /// Gamma with mean `mean` (> 0) and coefficient of variation `cv` (> 0):
  /// shape = 1 / cv^2, scale = mean * cv^2.
  static Distribution gamma_mean_cv(double mean, double cv);
  /// Weibull with shape k (> 0) and scale lambda (> 0), by inversion:
  /// lambda * (-log(u))^(1/k).
  static Distribution weibull(double shape, double scale);
  /// Triangular on [min, max] with peak at `mode` (finite, min <= mode <= max, min < max).
  static Distribution triangular(double min, double mode, double max);
  /// Continuous empirical distribution from observed data: piecewise-linear interpolation of
  /// the sorted data (Law, Simulation Modeling and Analysis, sec. 6.2.4), or resampling the
  /// observations when mode == resample. Needs at least 1 point (2 for interpolated), all
  /// finite; the data are sorted and shared between copies.
  static Distribution empirical(std::vector<double> data,
                                EmpiricalMode mode = EmpiricalMode::interpolated);

  /// One variate, drawn from `rng` (see the class comment for how many words it draws).
  double sample(RandomStream& rng) const {
    // Exponential times drive most models (Poisson arrivals, memoryless service): keep
    // them inline; every other kind goes through the out-of-line switch.
    if (kind_ == Kind::exponential) return -c_[0] * std::log(rng.uniform_open01());
    return sample_other(rng);
  }
  /// Exact theoretical mean (empirical: of the distribution as sampled).
  double mean() const { return mean_; }
  /// Exact theoretical variance (empirical: of the distribution as sampled).
  double variance() const { return variance_; }
  /// E[X^2] = variance + mean^2, as the Pollaczek-Khinchine formula needs it.
  double second_moment() const { return variance_ + mean_ * mean_; }
  /// The family.
  Kind kind() const { return kind_; }
  /// The distribution as its constructor was called, for messages,
  /// e.g. "lognormal(mean=13, cv=1)".
  std::string describe() const;

private:
  double sample_other(RandomStream& rng) const;
  /// Which factory made it (lognormal and gamma have two), so describe() can echo it.
  enum class Form : std::uint8_t { plain, mean_cv, median_sigma, interpolated, resample };

  Distribution(Kind kind, Form form) : kind_(kind), form_(form) {}

  Kind kind_;
  Form form_;
  double param_[3] = {}; ///< the arguments as given, for describe()
  double c_[5] = {};     ///< sampling constants per kind; see distribution.cpp
  double mean_ = 0;
  double variance_ = 0;
  std::shared_ptr<const std::vector<double>> data_; ///< empirical only: sorted data
};

/// Picks one of n outcomes with given non-negative weights (not all zero) in O(1) per draw:
/// Walker/Vose alias method, built once.
///
/// A draw takes exactly one uniform u (one 64-bit word): the integer part of u * n picks a
/// column, its fraction decides between the column and its alias. Outcomes of weight zero
/// never come up.
class DiscreteChoice {
public:
  /// Builds the alias table. Throws itsim::ModelError for no weights, or a weight that is
  /// negative, NaN or infinite, or weights that are all zero or sum to infinity.
  explicit DiscreteChoice(std::vector<double> weights);
  /// One outcome in [0, size()), drawn from `rng`.
  std::size_t sample(RandomStream& rng) const;
  /// Probability of outcome i: weights[i] / sum of weights. i must be < size().
  double probability(std::size_t i) const;
  /// Number of outcomes.
  std::size_t size() const { return probability_.size(); }

private:
  struct Column {
    double threshold;  ///< keep the column when the fraction of u * n is below this
    std::size_t alias; ///< otherwise take this outcome
  };
  std::vector<Column> table_;
  std::vector<double> probability_;
};

/// Standard normal quantile Phi^{-1}(p) by Wichura's AS241 (PPND16, relative accuracy about
/// 1e-16). Returns -inf at p == 0, +inf at p == 1 and NaN outside [0, 1] or for NaN.
double standard_normal_quantile(double p);

/// Standard normal variate by inversion of one uniform_open01() (one word per normal), so
/// draws stay synchronised between models (good for common random numbers).
double sample_standard_normal(RandomStream& rng);

} // namespace itsim::sim
