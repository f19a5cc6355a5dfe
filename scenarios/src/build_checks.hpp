// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_scenarios: checks of a built scenario that look at whole routes.
// (Whether each pool and team can carry its load is models/load.hpp's check: it needs the
// model's rules for turning items into work.)
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

} // namespace itsim::scenarios
