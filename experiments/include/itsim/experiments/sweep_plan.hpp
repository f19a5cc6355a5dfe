// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "itsim/analysis/sensitivity.hpp"
#include "itsim/scenarios/loader.hpp"
#include "itsim/scenarios/sweep.hpp"

namespace itsim::experiments {

/// Which run of a sweep: its design point, model (an index into the scenario's models) and
/// replication.
struct RunKey {
  std::uint32_t point = 0;
  std::uint32_t model = 0;
  std::uint32_t replication = 0;
};

/// A sweep made concrete (docs/sweeps.md): the base scenario, the design points after the
/// constraint, and the run list. A pure function of the sweep file and the scenario
/// files: run i has the same point, model, replication and seed wherever it is planned,
/// so any subset of the runs can run anywhere and give the same bytes.
struct SweepPlan {
  scenarios::SweepSpec spec;
  /// The scenario file composed once (extends, presets): every point's scenario is this
  /// with the point's overrides.
  std::optional<scenarios::ComposedScenario> composed;
  /// The base scenario: the sweep's `set`, `seed` and `replications` applied.
  scenarios::LoadedScenario base;
  /// Overrides giving the base (spec.overrides, then seed and replications).
  std::vector<std::string> base_overrides;
  /// The models run at every point (indices into base.scenario.models, scenario order).
  std::vector<std::uint32_t> models;
  std::uint32_t replications = 0;
  /// The points: one level per factor of spec.factors, in that order. Design points
  /// outermost, lever combinations inside (the last lever fastest).
  std::vector<std::vector<scenarios::FactorLevel>> points;
  /// For a Morris design, the unit-cube design the points come from (point i is the i-th
  /// point of its points()).
  std::optional<analysis::MorrisDesign> morris;
  /// Identity of the sweep: 16 hex digits of a hash of the sweep file as parsed and the
  /// resolved base scenario. Shards, journals and the results carry it.
  std::string id;

  /// Runs in all: points x models x replications.
  std::uint64_t run_count() const;
  /// Run `index`: points outermost, then models, replications innermost.
  RunKey run(std::uint64_t index) const;
  std::uint64_t index_of(const RunKey& key) const;
  /// The --set assignments that give point `point`'s scenario: base_overrides, then one
  /// per factor.
  std::vector<std::string> point_overrides(std::uint32_t point) const;
};

/// Plans `spec`: loads the base scenario (its errors reported as the loader reports
/// them), checks the model subset, each factor's key path and each of its values (a
/// range's ends) against the scenario, generates the design, crosses it with the levers
/// and applies the constraint (muParser; its variables are the numeric factors' key
/// paths). Problems go to `diags`, located in the sweep file; empty result on any error,
/// including a design of more than max_points points and a constraint no point meets.
std::optional<SweepPlan> plan_sweep(const scenarios::SweepSpec& spec, scenarios::Diagnostics& diags,
                                    std::size_t max_points = 1'000'000);

} // namespace itsim::experiments
