// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

#include "itsim/models/station_network.hpp"
#include "itsim/scenarios/scenario.hpp"

namespace itsim::models {

/// Maps operating model `model` (an index into s.models) of scenario `s` onto the plain
/// queueing network the engine validates against theory, when the model is one. This is
/// how the validation scenarios (scenarios/validation/*.yaml) run: a scenario file states
/// a queueing model in the users' terms, and its run can be compared with closed forms.
///
/// The mapping (a model without teams has one resource per pool, in the order of
/// staff.pools, so a stage's resource index is its pool's index):
///  - one station per pool, in the order of staff.pools, named after the pool: capacity
///    its headcount, its calendar (none for the built-in `always`), discipline and
///    pre-emption;
///  - one source per (work type, priority whose share is > 0), in work-type then P1..P4
///    order, named `WORK_TYPE.pN`: rate the firm's rate of the work type times the share
///    (exponential interarrivals when the rate is flat, otherwise the work type's
///    ArrivalProcess), the priority index (0 = P1), the start stage's pool as first
///    station and the work type's patience;
///  - per station and source, the service of the stage of the source's route at that
///    pool: the stage's `service`, or the work type's effort when `effort_share` is 1.
///    Every visit draws its service afresh, as a queueing network does;
///  - the routing row of each station from the `next` of the stage at that pool;
///  - horizon and warm-up from the scenario.
///
/// Throws itsim::ModelError, naming the scenario, the model and the route and stage (as a
/// key path, e.g. `models.central.routes.incident.stages.l2`) and why, when the model is
/// not such a network: a route visiting one pool at two stages; two routes leaving one
/// pool with different routing; `effort_share` other than 1 without a `service`; a pool
/// with the wsjf discipline (a network has no item values); patience in business time,
/// or patience on a route that can queue an item more than once (a network restarts the
/// patience clock at each queue); a warm-up of `mser5`; or `model` out of range. Also
/// when the model uses a mechanism of the operating-model engine (MODEL.md M3-M9), named
/// by its key: teams (`models.M.teams.T`), a pool's `availability` other than 1,
/// `context_switch`, `rotation`, `proactive`, `self_service` above 0,
/// `capabilities.incident_reduction_per_item` above 0, or a stage's `handoff`, `rework`,
/// `gate`, `delay` or `spanning` other than none. (Knowledge, change failures and the
/// scenario's `mechanisms` only act through those, or on items a network does not
/// have, and are ignored.)
NetworkSpec network_from_scenario(const scenarios::Scenario& s, std::uint32_t model);

} // namespace itsim::models
