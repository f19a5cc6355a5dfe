// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/design.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "itsim/sim/error.hpp"
#include "itsim/sim/random_stream.hpp"

namespace itsim::analysis {

namespace {

/// A uniform integer in [0, n) by rejection (no modulo bias), from the stream.
std::size_t below(sim::RandomStream& rng, std::size_t n) {
  const std::uint64_t bound = n;
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  for (;;) {
    const std::uint64_t x = rng.next_u64();
    if (x < limit) return static_cast<std::size_t>(x % bound);
  }
}

void check_sizes(std::size_t factors, std::size_t samples, const char* what) {
  if (factors == 0) throw ModelError(std::string(what) + ": needs at least one factor");
  if (samples == 0) throw ModelError(std::string(what) + ": needs at least one sample, got 0");
}

} // namespace

std::vector<std::vector<std::size_t>> full_factorial(const std::vector<std::size_t>& level_counts,
                                                     std::size_t max_points) {
  std::size_t total = 1;
  for (std::size_t j = 0; j < level_counts.size(); ++j) {
    if (level_counts[j] == 0)
      throw ModelError("full factorial: factor " + std::to_string(j) + " has no levels");
    if (total > max_points / level_counts[j])
      throw ModelError("full factorial: more than " + std::to_string(max_points) + " points");
    total *= level_counts[j];
  }
  std::vector<std::vector<std::size_t>> points;
  points.reserve(total);
  std::vector<std::size_t> index(level_counts.size(), 0);
  for (std::size_t p = 0; p < total; ++p) {
    points.push_back(index);
    for (std::size_t j = level_counts.size(); j-- > 0;) { // the last factor fastest
      if (++index[j] < level_counts[j]) break;
      index[j] = 0;
    }
  }
  return points;
}

std::vector<std::vector<double>> random_design(std::size_t factors, std::size_t samples,
                                               std::uint64_t seed) {
  check_sizes(factors, samples, "random design");
  sim::RandomStream rng(seed);
  std::vector<std::vector<double>> points(samples, std::vector<double>(factors));
  for (auto& point : points)
    for (double& u : point)
      u = rng.uniform01();
  return points;
}

std::vector<std::vector<double>> latin_hypercube(std::size_t factors, std::size_t samples,
                                                 std::uint64_t seed) {
  check_sizes(factors, samples, "Latin hypercube");
  sim::RandomStream rng(seed);
  std::vector<std::vector<double>> points(samples, std::vector<double>(factors));
  std::vector<std::size_t> perm(samples);
  const double n = static_cast<double>(samples);
  for (std::size_t j = 0; j < factors; ++j) {
    for (std::size_t i = 0; i < samples; ++i)
      perm[i] = i;
    for (std::size_t i = samples; i-- > 1;) // Fisher-Yates
      std::swap(perm[i], perm[below(rng, i + 1)]);
    for (std::size_t i = 0; i < samples; ++i)
      points[i][j] = (static_cast<double>(perm[i]) + rng.uniform01()) / n;
  }
  return points;
}

std::size_t level_of(double u, std::size_t levels) {
  const auto i = static_cast<std::size_t>(std::floor(u * static_cast<double>(levels)));
  return std::min(i, levels - 1);
}

} // namespace itsim::analysis
