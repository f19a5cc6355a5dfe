// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

/// Designs of experiments over k factors (docs/sweeps.md): which combinations of factor
/// values a sweep runs. Every design here returns points as indices or unit-cube
/// coordinates; the caller maps them to values. Random designs draw from itsim's own
/// portable generator (sim::RandomStream), so a seed gives the same design everywhere.
namespace itsim::analysis {

/// Full factorial: every combination of levels, `level_counts[j]` levels of factor j.
/// Points are in lexicographic order, the last factor varying fastest (as nested loops,
/// or Python's itertools.product). Point i holds one level index per factor. The number
/// of points is the product of the counts; throws itsim::ModelError if a count is 0 or
/// the product exceeds `max_points`.
std::vector<std::vector<std::size_t>> full_factorial(const std::vector<std::size_t>& level_counts,
                                                     std::size_t max_points = 10'000'000);

/// Uniform random sampling: `samples` points of the unit cube [0, 1)^k, each coordinate an
/// independent uniform. Draw order: point by point, factor by factor, from
/// RandomStream(seed).uniform01(). Throws itsim::ModelError if k or samples is 0.
std::vector<std::vector<double>> random_design(std::size_t factors, std::size_t samples,
                                               std::uint64_t seed);

/// Latin hypercube (McKay, Beckman & Conover 1979): `samples` points of [0, 1)^k such
/// that, for every factor, each of the n strata [i/n, (i+1)/n) holds exactly one point.
/// Factor j's coordinates are (pi_j(i) + u_ij) / n with pi_j a uniformly random
/// permutation of 0..n-1 (Fisher-Yates) and u_ij uniform in [0, 1). Draw order: for each
/// factor, its permutation, then its n offsets, from RandomStream(seed). Throws
/// itsim::ModelError if k or samples is 0.
std::vector<std::vector<double>> latin_hypercube(std::size_t factors, std::size_t samples,
                                                 std::uint64_t seed);

/// Index of the level a unit coordinate u in [0, 1) selects among `levels` equally likely
/// ones: floor(u levels), clamped to levels - 1 (for u = 1 exactly).
std::size_t level_of(double u, std::size_t levels);

} // namespace itsim::analysis
