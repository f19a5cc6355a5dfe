// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "itsim/scenarios/diagnostics.hpp"
#include "itsim/scenarios/scenario.hpp"

namespace itsim::models {

/// The work offered to one resource of a model (a pool or team), or to one by-unit copy of
/// it, per week, against what its people can do (docs/models.md, "The load check").
struct ResourceLoad {
  std::uint32_t resource = 0;        ///< index into Model::resources
  std::optional<std::uint32_t> unit; ///< the unit of a by-unit copy; none: the whole resource
  /// Person-hours of work offered a week, before abandonment: arrivals to IT (less
  /// self-service) x the expected work of an item along its route at the resource's
  /// initial knowledge K0 (rework loops, knowledge and context-switch multipliers,
  /// coordination, second-team visits), follow-up incidents of failed changes, and
  /// proactive discovery at its maximum rate.
  double offered_h = 0;
  double proactive_h = 0; ///< the part of offered_h that is proactive discovery
  /// Person-hours available a week: people x availability x working hours a week of the
  /// resource's calendar.
  double available_h = 0;
  /// Some of its work has patience: requesters who give up hide an overload.
  bool impatient = false;
  /// Some of its work is changes that rationing declines when their portfolio is full
  /// (mechanisms.rationing.max_backlog): the overload is turned away, not queued.
  bool rationed = false;

  /// offered_h / available_h: an upper bound on the utilisation the simulation reports
  /// (K rises with learning), +inf when work meets no people, 0 when there is no work.
  double bound() const;
};

/// The load of every resource of one model that some stage or proactive work uses.
struct ModelLoad {
  std::uint32_t model = 0;             ///< index into Scenario::models
  std::vector<ResourceLoad> resources; ///< whole resources, in resource order
  std::vector<ResourceLoad> copies;    ///< by-unit copies, by resource then unit
};

/// The offered load of each model of `s`, in model order, reorganisation paths left out (theirs
/// are their two models'). A pure function of the scenario.
std::vector<ModelLoad> offered_load(const scenarios::Scenario& s);
/// The offered load of model `model` (index into Scenario::models).
ModelLoad offered_load(const scenarios::Scenario& s, std::uint32_t model);

/// Adds a warning for each resource (for a by-unit one, each copy) whose utilisation bound
/// is at least 1, located at the model's key (Model::where), e.g. `models.passive: warning:
/// pool l3 offered 612 person-hours a week against 294 available (utilisation bound 2.08):
/// the queue grows without limit`. Returns the number of warnings added.
std::size_t check_load(const scenarios::Scenario& s, const std::vector<ModelLoad>& loads,
                       scenarios::Diagnostics& diags);

/// The whole table, one line per model and resource (and by-unit copy): offered, of which
/// proactive, available and the bound, for `itsim validate --show-load`.
std::string load_table(const scenarios::Scenario& s, const std::vector<ModelLoad>& loads);

/// The expected base work of one item of work type `work_type` under model `model`, in
/// person-hours: each stage's mean service time (or the mean effort x its effort share)
/// times the stage's expected visits by the routing rows alone, before every mechanism
/// multiplier (knowledge, context switching, rework, a second team). MODEL.md's rules for a
/// fair comparison ask it to be equal across the presets compared.
double base_work_h(const scenarios::Scenario& s, std::uint32_t model, std::uint32_t work_type);

} // namespace itsim::models
