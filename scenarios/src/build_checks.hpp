// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_scenarios: checks of a built scenario that look at whole routes
// and whole models.
#pragma once

#include <string>

#include "itsim/scenarios/diagnostics.hpp"
#include "itsim/scenarios/scenario.hpp"
#include "schema_view.hpp"
#include "tree.hpp"

namespace itsim::scenarios {

/// Every stage an item can reach must lead to `done` with positive probability, or
/// items would circulate for ever.
/// Reports, at its key in `stages` (the route's `stages` map), each stage that cannot.
void check_leaves(const Scenario::Route& r, const Tree& stages, const std::string& path,
                  Diagnostics& diags);

/// Warns about pools and teams that long-run demand loads at or beyond their capacity:
/// queues then grow without bound (unless requesters abandon). The work counted is the
/// routes' own (services, or effort times effort_share, at the visit ratios), less what
/// requesters serve themselves; the capacity is people x availability over the calendar.
/// The mechanisms mostly add work (rework, knowledge, context switches, coordination,
/// change failures) or take people away (rotation), so the load reported is a lower
/// bound (but for rotation's self-service boost).
/// `root` is the scenario's tree, where the warnings are located.
void warn_overload(const Scenario& s, const schema::View& root, Diagnostics& diags);

} // namespace itsim::scenarios
