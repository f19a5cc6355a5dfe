// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "itsim/analysis/results.hpp"
#include "itsim/experiments/experiment.hpp"
#include "itsim/experiments/run_scheduler.hpp"
#include "itsim/scenarios/scenario.hpp"
#include "itsim/sim/error.hpp"

namespace itsim::experiments {

/// One mechanism that can separate an operating model from the baseline, as a switch: a
/// named transformation of a model that turns the mechanism off, i.e. puts the model's
/// setting of it back to the baseline's (`itsim explain`, docs/models.md "Why a model
/// wins"). A switch never adds or removes resources, routes or stages, so every index in
/// the model stays valid. Adding one is one entry in mechanism_switches().
struct MechanismSwitch {
  /// Short name, as in the terminal and the results file ("wip_limits").
  const char* name;
  /// One line: what turning it off does.
  const char* description;
  /// Turns the mechanism off in `model`: its setting becomes `baseline`'s (see
  /// baseline_setting for resources the baseline does not have). Returns whether it
  /// changed anything. `s` is the scenario both models belong to.
  bool (*turn_off)(scenarios::Scenario::Model& model, const scenarios::Scenario::Model& baseline,
                   const scenarios::Scenario& s);
};

/// Every mechanism switch, in the order they are applied and reported.
std::span<const MechanismSwitch> mechanism_switches();

/// The baseline's setting for a resource of another model: the baseline's resource with the
/// same id when it has one, otherwise the baseline's resources as a whole: their
/// people-weighted mean knowledge and, for every other setting, the value that most of
/// their people have. Only the settings switches use are meaningful (id, people and the
/// rest are the baseline's or default).
scenarios::Scenario::Resource baseline_setting(const scenarios::Scenario::Model& baseline,
                                               const scenarios::Scenario::Resource& r);

/// Why `itsim explain` cannot explain a model: what the CLI turns into exit 64 or 65.
class AttributionError : public Error {
public:
  enum class Kind : std::uint8_t {
    unknown_model,  ///< no model of that id (exit 64)
    same_model,     ///< the model is the baseline (exit 64)
    nothing_differs ///< no switch applies and the models are otherwise the same (exit 65)
  };
  AttributionError(Kind kind, const std::string& message) : Error(message), kind_(kind) {}
  /// What went wrong.
  Kind kind() const { return kind_; }

private:
  Kind kind_;
};

/// Index of the model `id` in `s.models`; throws AttributionError(unknown_model) naming
/// the `role` ("--model") and the models there are.
std::uint32_t attribution_model(const scenarios::Scenario& s, const std::string& id,
                                const std::string& role);

/// Whether two models are the same operating model: every setting equal except their id,
/// description, preset and location in the file.
bool same_model(const scenarios::Scenario::Model& a, const scenarios::Scenario::Model& b);

/// Most switches an exact Shapley attribution runs (2^n variants of the model each).
inline constexpr std::size_t max_shapley_switches = 10;

/// What separates a model from the baseline: the switches that apply.
struct AttributionPlan {
  std::uint32_t target = 0;   ///< index into Scenario::models
  std::uint32_t baseline = 0; ///< index into Scenario::models
  /// The switches that change the target (indices into mechanism_switches(), in order).
  std::vector<std::size_t> switches;
};

/// The plan for explaining model `target` against `baseline`. Throws AttributionError:
/// same_model when they are the same index, nothing_differs when no switch applies and
/// same_model() holds (both naming the models).
AttributionPlan plan_attribution(const scenarios::Scenario& s, std::uint32_t target,
                                 std::uint32_t baseline);

/// The target with the plan's switches outside `on` turned off (bit i of `on` set: the
/// plan's i-th switch stays on), applied in the table's order; its id stays the target's,
/// so it draws from the target's streams (common random numbers).
scenarios::Scenario::Model attribution_variant(const scenarios::Scenario& s,
                                               const AttributionPlan& plan, std::uint64_t on);

/// Exact Shapley values of the game on `n` players whose worth of coalition S is
/// `v[mask(S)]` (bit i of the mask: player i is in S; v has 2^n values):
///   phi_i = sum over S not holding i of |S|! (n - |S| - 1)! / n! x (v(S + i) - v(S)).
/// They add up to v(all) - v(none) (efficiency). n at most 20.
std::vector<double> shapley_values(std::span<const double> v, std::size_t n);

/// Options of run_attribution.
struct AttributionOptions {
  /// Replications; 0: the scenario's.
  std::uint32_t replications = 0;
  /// KPIs to attribute (names in models::kpi_table()); empty: default_attribution_kpis.
  std::vector<std::string> kpis;
  /// Only the one-at-a-time effects (n + 2 variants instead of 2^n): no Shapley values.
  bool one_at_a_time = false;
  /// Confidence level of the intervals.
  double level = 0.95;
  /// Threads, progress (one task per run) and interruption.
  SchedulerOptions scheduler;
};

/// The KPIs `itsim explain` attributes unless told otherwise.
inline constexpr const char* default_attribution_kpis[] = {"net_value",
                                                           "enhancement_lead_time_p50_h"};

/// One row of an attribution: a part of the paired difference in one KPI, with its
/// per-replication values and t interval across them.
struct AttributionTerm {
  /// "structure" (what no switch covers), a switch's name, or "total" (the difference).
  std::string mechanism;
  std::string description;
  /// Shapley value per replication used (KpiAttribution::replications); for structure
  /// v(none), for total v(all); empty in one-at-a-time mode for the switches.
  std::vector<double> shapley;
  /// v(all) - v(all but this switch) per replication; empty for structure and total.
  std::vector<double> one_at_a_time;
  double shapley_mean = 0, shapley_ci = 0; ///< NaN when not computed
  double one_at_a_time_mean = 0, one_at_a_time_ci = 0;
};

/// The attribution of one KPI.
struct KpiAttribution {
  std::string kpi;
  std::string unit;
  /// Replications whose runs all finished with a finite value of the KPI (the others are
  /// left out of every term, so the terms still add up).
  std::vector<std::uint32_t> replications;
  /// structure, then each switch of the plan, then total.
  std::vector<AttributionTerm> terms;
};

/// The result of run_attribution.
struct Attribution {
  std::string model;
  std::string baseline;
  /// Names of the plan's switches.
  std::vector<std::string> switches;
  bool one_at_a_time = false;
  double level = 0.95;
  std::uint32_t replications = 0;
  /// The variants run: masks of switches kept on (Shapley: 0 .. 2^n - 1; one at a time:
  /// all on, all on but each, none on).
  std::vector<std::uint64_t> variants;
  /// KPI values per [kpi][variant][replication] minus the baseline's: v(S) per replication.
  std::vector<std::vector<std::vector<double>>> differences;
  std::vector<KpiAttribution> kpis;
  /// Runs of the baseline and of the whole target (model index 0 and 1 of a two-model
  /// scenario: baseline, target), for the results file.
  std::vector<ExperimentRun> baseline_runs;
  std::vector<ExperimentRun> target_runs;
  std::size_t runs = 0;
  std::size_t failed_runs = 0;
  std::string first_failure; ///< "variant V, replication R: reason" of the first failure
};

/// Works out one KPI's terms from v(S) per replication (`differences[variant][rep]`, the
/// variants as Attribution::variants), leaving out replications with a non-finite value or
/// listed in `bad_replications`. Pure arithmetic: run_attribution's last step.
KpiAttribution attribute_kpi(const std::string& kpi, const std::vector<std::string>& switches,
                             const std::vector<std::string>& descriptions, bool one_at_a_time,
                             std::span<const std::uint64_t> variants,
                             const std::vector<std::vector<double>>& differences,
                             const std::vector<bool>& bad_replications, double level);

/// Runs the baseline and the variants of the plan over the replications (common random
/// numbers: replication r of each with the same streams) on the run scheduler, then
/// attributes each KPI. Throws std::invalid_argument for an unknown KPI or for more than
/// max_shapley_switches switches without one_at_a_time; itsim::Error("interrupted").
Attribution run_attribution(const scenarios::Scenario& s, const AttributionPlan& plan,
                            const AttributionOptions& options);

/// Group names of the attribution tables (docs/results-format.md).
inline constexpr const char* attribution_group = "attribution";
inline constexpr const char* attribution_replications_group = "attribution_replications";
inline constexpr const char* attribution_variants_group = "attribution_variants";

/// The results file of `itsim explain`: the scenario, /runs of the baseline and the target
/// (and their /summary and /comparison), and the tables /attribution (one row per KPI and
/// term), /attribution_replications (per replication) and /attribution_variants (v(S) per
/// variant and replication).
analysis::ResultsFile attribution_results(const scenarios::Scenario& s, const AttributionPlan& plan,
                                          const Attribution& a, std::string yaml_resolved);

} // namespace itsim::experiments
