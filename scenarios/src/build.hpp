// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_scenarios.
#pragma once

#include <optional>

#include "itsim/scenarios/diagnostics.hpp"
#include "itsim/scenarios/scenario.hpp"
#include "schema.hpp"
#include "tree.hpp"

namespace itsim::scenarios {

/// Turns a tree that passed schema::validate (defaults filled in) into a Scenario:
/// converts units, resolves references between collections and checks what spans keys
/// (unknown units, pools, calendars, stages and work types with suggestions; routing rows
/// and priority mixes summing to 1; every work type routed by every model; every stage
/// able to reach `done`; the baseline). Then, when there is no error, warns about pools
/// that the long-run demand of a model loads at or beyond capacity (visit ratios solved
/// from each route's routing matrix). Empty when any error was reported.
std::optional<Scenario> build_scenario(const Tree& root, Diagnostics& diags);

} // namespace itsim::scenarios
