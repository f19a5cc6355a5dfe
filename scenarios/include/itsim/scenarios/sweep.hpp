// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "itsim/scenarios/diagnostics.hpp"
#include "itsim/scenarios/loader.hpp"

namespace itsim::scenarios {

/// One value a factor takes: its YAML text as it goes into the scenario (`--set
/// PATH=TEXT`), and its number when it is one.
struct FactorLevel {
  std::string text;
  std::optional<double> number;
};

/// A swept setting of the scenario (docs/sweeps.md).
struct SweepFactor {
  /// Dotted key path in the scenario, e.g. "mechanisms.handoff_retention".
  std::string path;
  /// Where its key is written in the sweep file.
  Location where;
  /// A lever (`levers:`, a decision crossed with every design point) rather than an
  /// uncertainty (`factors:`, placed by the design).
  bool lever = false;
  /// Explicit values (a list, `values:`, or a range with `steps`), in order; empty for a
  /// plain range.
  std::vector<FactorLevel> levels;
  /// A numeric range [min, max] (`min:`/`max:`), for random, Latin hypercube and Morris
  /// designs (and grids, with `steps`).
  std::optional<double> min, max;
  /// Round sampled values to whole numbers (`integer: true`), e.g. head counts.
  bool integer = false;
  /// Text written after a sampled or stepped number, e.g. "h" or "/month" (`suffix:`).
  std::string suffix;

  /// True when every value is a number (a range, or numeric levels): such a factor gets a
  /// float64 column in /runs and enters the sensitivity analysis.
  bool numeric() const;
};

enum class DesignType : std::uint8_t { grid, zip, random, lhs, morris };
const char* to_string(DesignType d);

/// A sweep file (docs/sweeps.md), parsed and checked on its own; plan_sweep (experiments/)
/// checks it against the scenario.
struct SweepSpec {
  std::string file;          ///< the sweep file as given
  std::string name;          ///< `sweep:`, or the file's stem
  std::string description;   ///< `description:`
  std::string scenario_path; ///< `scenario:`, resolved against the sweep file's directory
  Location scenario_where;
  /// `set:` as --set assignments "PATH=VALUE", in file order, applied to the base scenario.
  std::vector<std::string> overrides;
  std::vector<Location> override_where;
  /// `models:`: the subset of the scenario's models to run, in the scenario's order later;
  /// empty for all.
  std::vector<std::string> models;
  Location models_where;
  std::optional<std::uint32_t> replications; ///< per point and model; else the scenario's
  std::optional<std::uint64_t> seed;         ///< master seed; else the scenario's
  DesignType design = DesignType::grid;
  Location design_where;
  std::uint32_t samples = 0;      ///< random, lhs: points drawn
  std::uint32_t trajectories = 0; ///< morris: r
  std::uint32_t levels = 4;       ///< morris: p (even)
  std::uint64_t design_seed = 1;  ///< random, lhs, morris
  /// Uncertainties first (in file order), then levers (in file order).
  std::vector<SweepFactor> factors;
  /// `constraint:` (muParser syntax over the numeric factors' key paths), "" for none.
  std::string constraint;
  Location constraint_where;
  /// The sweep file as parsed, in canonical YAML (provenance and the sweep's identity).
  std::string canonical_yaml;

  std::size_t uncertainty_count() const;
};

/// Reads and checks the sweep file `path` on its own: its keys, each factor's form (a list
/// of values, `{values: [...]}`, or `{min, max[, steps][, integer][, suffix]}`), what the
/// design needs (grid: values or steps for every factor; zip: equal value counts; random
/// and lhs: `samples` >= 1; morris: ranges, trajectories >= 1, even levels, no levers and
/// no constraint), empty lists and ranges, factors named twice. Every problem goes to
/// `diags` as FILE:LINE:COL: KEY.PATH: message; empty result on any error. Throws
/// InputError when the file cannot be read (exit 66).
std::optional<SweepSpec> load_sweep(const std::string& path, Diagnostics& diags);

/// Checks that each factor of `spec` names an existing setting of `base` (the resolved
/// scenario, defaults filled) that holds a single value, reporting those that do not at
/// the factor's key, with what the scenario has there.
void check_sweep_paths(const SweepSpec& spec, const LoadedScenario& base, Diagnostics& diags);

} // namespace itsim::scenarios
