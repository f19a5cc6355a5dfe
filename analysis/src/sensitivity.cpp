// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/sensitivity.hpp"

#include "itsim/analysis/confidence.hpp"
#include "itsim/sim/error.hpp"
#include "itsim/sim/random_stream.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace itsim::analysis {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

Eigen::Index idx(std::size_t i) {
  return static_cast<Eigen::Index>(i);
}

// Whether every value equals the first (exact comparison; true for an empty span).
bool all_equal(std::span<const double> xs) {
  return std::all_of(xs.begin(), xs.end(), [&](double x) { return x == xs.front(); });
}

} // namespace

// ---------------------------------------------------------------------------------------
// Regression

RegressionSensitivity standardised_regression(std::span<const std::vector<double>> factors,
                                              std::span<const double> response,
                                              RegressionScale scale, double level) {
  constexpr std::string_view fn = "standardised_regression";
  const std::string name(fn);
  if (!(level > 0.0 && level < 1.0)) {
    throw ModelError(name + ": level must be in (0, 1), got " + format_double(level));
  }
  const std::size_t k = factors.size();
  const std::size_t n = response.size();
  if (k == 0) throw ModelError(name + ": no factors given");
  for (std::size_t j = 0; j < k; ++j) {
    if (factors[j].size() != n) {
      throw ModelError(name + ": factor " + std::to_string(j) + " has " +
                       std::to_string(factors[j].size()) + " values, the response has " +
                       std::to_string(n));
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < k; ++j) {
      if (!std::isfinite(factors[j][i])) {
        throw ModelError(name + ": row " + std::to_string(i) + ": factor " + std::to_string(j) +
                         " is " + format_double(factors[j][i]));
      }
    }
    if (!std::isfinite(response[i])) {
      throw ModelError(name + ": row " + std::to_string(i) + ": response is " +
                       format_double(response[i]));
    }
  }

  // The columns to fit: the values themselves, or their ranks.
  std::vector<std::vector<double>> ranked;
  std::vector<std::span<const double>> x(k);
  std::span<const double> y = response;
  if (scale == RegressionScale::ranks) {
    ranked.reserve(k + 1);
    for (std::size_t j = 0; j < k; ++j) {
      ranked.push_back(average_ranks(factors[j]));
      x[j] = ranked.back();
    }
    ranked.push_back(average_ranks(response));
    y = ranked.back();
  } else {
    for (std::size_t j = 0; j < k; ++j)
      x[j] = factors[j];
  }

  RegressionSensitivity result;
  result.factors.resize(k);
  result.n = n;
  result.level = level;
  result.scale = scale;
  std::vector<std::size_t> varying;
  for (std::size_t j = 0; j < k; ++j) {
    if (all_equal(x[j])) {
      result.factors[j] = {nan, nan, true};
    } else {
      varying.push_back(j);
    }
  }
  const std::size_t kv = varying.size();
  result.fitted_factors = kv;
  if (n <= kv + 1) {
    throw ModelError(
        name + ": need more rows than varying factors + 1, got n = " + std::to_string(n) +
        " rows for k = " + std::to_string(kv) + " varying factors (of " + std::to_string(k) + ")");
  }
  result.residual_dof = n - kv - 1;

  if (all_equal(y)) {
    for (auto& f : result.factors)
      f = {nan, nan, f.zero_variance};
    result.r_squared = nan;
    return result;
  }
  if (kv == 0) {
    result.r_squared = 0.0; // the fit is the mean alone
    return result;
  }

  // Standardised columns: the slopes of the centred, scaled regression are the SRC, and its
  // residuals equal those of the fit with an intercept.
  const auto ni = idx(n);
  const auto kvi = idx(kv);
  Eigen::MatrixXd z(ni, kvi);
  for (std::size_t c = 0; c < kv; ++c) {
    const auto col = x[varying[c]];
    const MeanVariance mv = mean_variance(col);
    const double sd = mv.sd();
    for (std::size_t i = 0; i < n; ++i)
      z(idx(i), idx(c)) = (col[i] - mv.mean) / sd;
  }
  Eigen::VectorXd yz(ni);
  {
    const MeanVariance mv = mean_variance(y);
    const double sd = mv.sd();
    for (std::size_t i = 0; i < n; ++i)
      yz(idx(i)) = (y[i] - mv.mean) / sd;
  }

  // A pivot below sqrt(epsilon) times the largest makes Z'Z singular to working precision
  // (condition number above 1 / epsilon): such factors are collinear for our purpose. Eigen's
  // default (epsilon times the size) misses an exact x2 = a x1 + b after rounding.
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(z);
  qr.setThreshold(std::sqrt(std::numeric_limits<double>::epsilon()));
  if (qr.rank() < kvi) {
    throw ModelError(name + ": the " + std::to_string(kv) +
                     " varying factors are collinear (rank " + std::to_string(qr.rank()) +
                     "): their coefficients are not identifiable");
  }
  const Eigen::VectorXd b = qr.solve(yz);
  const Eigen::VectorXd residual = yz - z * b;
  const double rss = residual.squaredNorm();
  const double tss = yz.squaredNorm();
  result.r_squared = std::clamp(1.0 - rss / tss, 0.0, 1.0);

  // (Z'Z)^-1 = P R^-1 R^-T P' from Z P = Q R: the diagonal entry of permuted column c is
  // the squared norm of row c of R^-1.
  const Eigen::MatrixXd r_upper = qr.matrixR().topLeftCorner(kvi, kvi);
  const Eigen::MatrixXd r_inv =
      r_upper.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(kvi, kvi));
  const double dof = static_cast<double>(result.residual_dof);
  const double sigma2 = rss / dof;
  const double t = student_t_quantile(1.0 - (1.0 - level) / 2.0, dof);
  const auto& perm = qr.colsPermutation().indices();
  for (Eigen::Index c = 0; c < kvi; ++c) {
    const auto original = static_cast<std::size_t>(perm(c));
    const double variance = sigma2 * r_inv.row(c).squaredNorm();
    auto& f = result.factors[varying[original]];
    f.coefficient = b(idx(original));
    f.half_width = t * std::sqrt(variance);
    f.zero_variance = false;
  }
  return result;
}

std::vector<double> average_ranks(std::span<const double> values) {
  const std::size_t n = values.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(n);
  for (std::size_t first = 0; first < n;) {
    std::size_t last = first; // inclusive end of the tie group
    while (last + 1 < n && values[order[last + 1]] == values[order[first]])
      ++last;
    // Mean of the 1-based ranks first + 1 .. last + 1.
    const double rank = static_cast<double>(first + last) / 2.0 + 1.0;
    for (std::size_t p = first; p <= last; ++p)
      ranks[order[p]] = rank;
    first = last + 1;
  }
  return ranks;
}

std::vector<std::size_t> rank_by_magnitude(std::span<const double> scores) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double sa = scores[a];
    const double sb = scores[b];
    if (std::isnan(sa)) return false;
    if (std::isnan(sb)) return true;
    return std::abs(sa) > std::abs(sb);
  });
  return order;
}

std::vector<std::size_t> rank_factors(const RegressionSensitivity& result) {
  std::vector<double> scores;
  scores.reserve(result.factors.size());
  for (const auto& f : result.factors)
    scores.push_back(f.coefficient);
  return rank_by_magnitude(scores);
}

// ---------------------------------------------------------------------------------------
// Morris

std::size_t MorrisDesign::point_count() const {
  std::size_t count = 0;
  for (const auto& t : trajectories)
    count += t.points.size();
  return count;
}

std::vector<std::vector<double>> MorrisDesign::points() const {
  std::vector<std::vector<double>> out;
  out.reserve(point_count());
  for (const auto& t : trajectories)
    out.insert(out.end(), t.points.begin(), t.points.end());
  return out;
}

MorrisDesign morris_design(std::size_t factors, std::size_t trajectories, std::uint64_t seed,
                           std::size_t levels) {
  if (factors == 0) throw ModelError("morris_design: need at least 1 factor, got 0");
  if (trajectories == 0) throw ModelError("morris_design: need at least 1 trajectory, got 0");
  if (levels < 2 || levels % 2 != 0) {
    throw ModelError("morris_design: levels must be even and >= 2, got " + std::to_string(levels));
  }
  const std::size_t half = levels / 2; // Delta in grid steps
  const auto last_level = static_cast<double>(levels - 1);
  MorrisDesign design;
  design.factors = factors;
  design.levels = levels;
  design.delta = static_cast<double>(half) / last_level;
  design.trajectories.resize(trajectories);

  sim::RandomStream stream(seed);
  std::vector<std::size_t> level(factors); // current grid level of each coordinate
  std::vector<std::size_t> order(factors);
  std::vector<bool> down(factors);
  const auto to_point = [&] {
    std::vector<double> p(factors);
    for (std::size_t j = 0; j < factors; ++j)
      p[j] = static_cast<double>(level[j]) / last_level;
    return p;
  };
  for (auto& traj : design.trajectories) {
    for (std::size_t j = 0; j < factors; ++j)
      level[j] = static_cast<std::size_t>(stream.uniform_index(half));
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = factors - 1; i > 0; --i) {
      const auto j = static_cast<std::size_t>(stream.uniform_index(i + 1));
      std::swap(order[i], order[j]);
    }
    for (std::size_t s = 0; s < factors; ++s)
      down[s] = (stream.next_u64() >> 63) != 0;

    // A factor stepping down starts Delta above the base point.
    for (std::size_t s = 0; s < factors; ++s) {
      if (down[s]) level[order[s]] += half;
    }
    traj.points.reserve(factors + 1);
    traj.steps.reserve(factors);
    traj.points.push_back(to_point());
    for (std::size_t s = 0; s < factors; ++s) {
      const std::size_t f = order[s];
      if (down[s]) {
        level[f] -= half;
      } else {
        level[f] += half;
      }
      traj.points.push_back(to_point());
      traj.steps.push_back({f, down[s] ? -design.delta : design.delta});
    }
  }
  return design;
}

std::vector<double> map_to_ranges(std::span<const double> unit_point,
                                  std::span<const FactorRange> ranges) {
  if (unit_point.size() != ranges.size()) {
    throw ModelError("map_to_ranges: the point has " + std::to_string(unit_point.size()) +
                     " coordinates, but " + std::to_string(ranges.size()) + " ranges were given");
  }
  std::vector<double> out(unit_point.size());
  for (std::size_t j = 0; j < unit_point.size(); ++j) {
    const double u = unit_point[j];
    const FactorRange r = ranges[j];
    if (!(u >= 0.0 && u <= 1.0)) {
      throw ModelError("map_to_ranges: coordinate " + std::to_string(j) + " is " +
                       format_double(u) + ", outside [0, 1]");
    }
    if (!std::isfinite(r.min) || !std::isfinite(r.max) || !std::isfinite(r.max - r.min) ||
        r.max < r.min) {
      throw ModelError("map_to_ranges: range " + std::to_string(j) + " [" + format_double(r.min) +
                       ", " + format_double(r.max) + "] must be finite with max >= min");
    }
    out[j] = u == 1.0 ? r.max : r.min + u * (r.max - r.min);
  }
  return out;
}

MorrisResult morris_effects(const MorrisDesign& design, std::span<const double> responses,
                            std::span<const FactorRange> ranges) {
  const std::string name = "morris_effects";
  const std::size_t k = design.factors;
  const std::size_t r = design.trajectories.size();
  if (k == 0) throw ModelError(name + ": the design has no factors");
  if (r == 0) throw ModelError(name + ": the design has no trajectories");
  for (std::size_t t = 0; t < r; ++t) {
    const auto& traj = design.trajectories[t];
    const std::string where = name + ": trajectory " + std::to_string(t);
    if (traj.points.size() != k + 1 || traj.steps.size() != k) {
      throw ModelError(where + " has " + std::to_string(traj.points.size()) + " points and " +
                       std::to_string(traj.steps.size()) + " steps, expected " +
                       std::to_string(k + 1) + " and " + std::to_string(k));
    }
    for (std::size_t i = 0; i <= k; ++i) {
      if (traj.points[i].size() != k) {
        throw ModelError(where + " point " + std::to_string(i) + " has " +
                         std::to_string(traj.points[i].size()) + " coordinates, expected " +
                         std::to_string(k));
      }
    }
    std::vector<bool> seen(k, false);
    for (std::size_t s = 0; s < k; ++s) {
      const MorrisStep& step = traj.steps[s];
      if (step.factor >= k || seen[step.factor]) {
        throw ModelError(where + " step " + std::to_string(s) + " changes factor " +
                         std::to_string(step.factor) + ", but each of the factors 0.." +
                         std::to_string(k - 1) + " must be changed exactly once");
      }
      seen[step.factor] = true;
      if (!std::isfinite(step.delta) || step.delta == 0.0) {
        throw ModelError(where + " step " + std::to_string(s) + " has delta " +
                         format_double(step.delta));
      }
    }
  }
  if (responses.size() != design.point_count()) {
    throw ModelError(name + ": got " + std::to_string(responses.size()) +
                     " responses for a design of " + std::to_string(design.point_count()) +
                     " points");
  }
  for (std::size_t p = 0; p < responses.size(); ++p) {
    if (!std::isfinite(responses[p])) {
      throw ModelError(name + ": response of point " + std::to_string(p) + " (trajectory " +
                       std::to_string(p / (k + 1)) + ", point " + std::to_string(p % (k + 1)) +
                       ") is " + format_double(responses[p]));
    }
  }
  if (!ranges.empty() && ranges.size() != k) {
    throw ModelError(name + ": got " + std::to_string(ranges.size()) + " ranges for " +
                     std::to_string(k) + " factors");
  }
  for (std::size_t j = 0; j < ranges.size(); ++j) {
    const double width = ranges[j].max - ranges[j].min;
    if (!std::isfinite(ranges[j].min) || !std::isfinite(ranges[j].max) || !std::isfinite(width) ||
        !(width > 0.0)) {
      throw ModelError(name + ": range " + std::to_string(j) + " [" + format_double(ranges[j].min) +
                       ", " + format_double(ranges[j].max) + "] must be finite with max > min");
    }
  }

  MorrisResult result;
  result.factors.resize(k);
  for (auto& f : result.factors)
    f.elementary_effects.reserve(r);
  for (std::size_t t = 0; t < r; ++t) {
    const auto& steps = design.trajectories[t].steps;
    const std::size_t base = t * (k + 1);
    for (std::size_t s = 0; s < k; ++s) {
      const MorrisStep& step = steps[s];
      const double dy = responses[base + s + 1] - responses[base + s];
      const double dx = ranges.empty()
                            ? step.delta
                            : step.delta * (ranges[step.factor].max - ranges[step.factor].min);
      result.factors[step.factor].elementary_effects.push_back(dy / dx);
    }
  }
  std::vector<double> magnitudes;
  for (auto& f : result.factors) {
    const auto& ee = f.elementary_effects;
    f.count = ee.size();
    const MeanVariance mv = mean_variance(ee);
    f.mu = mv.mean;
    f.sigma = mv.sd(); // NaN for a single effect
    magnitudes.clear();
    for (double e : ee)
      magnitudes.push_back(std::abs(e));
    f.mu_star = sample_mean(magnitudes);
  }
  return result;
}

std::vector<std::size_t> rank_factors(const MorrisResult& result) {
  std::vector<double> scores;
  scores.reserve(result.factors.size());
  for (const auto& f : result.factors)
    scores.push_back(f.mu_star);
  return rank_by_magnitude(scores);
}

} // namespace itsim::analysis
