// SPDX-License-Identifier: Apache-2.0
// Checks of a built scenario that look at whole routes (every stage can leave). The load
// check of pools and teams is models/load.hpp's (offered_load, check_load).
#include "build_checks.hpp"

#include <vector>

namespace itsim::scenarios {

void check_leaves(const Scenario::Route& r, const Tree& stages, const std::string& path,
                  Diagnostics& diags) {
  const std::size_t n = r.stages.size();
  std::vector<bool> leaves(n, false);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (leaves[i]) continue;
      for (const Scenario::Next& x : r.stages[i].next) {
        if (x.probability > 0 && (x.stage == Scenario::Next::done || leaves[x.stage])) {
          leaves[i] = changed = true;
          break;
        }
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (leaves[i]) continue;
    const Tree::Entry& e = stages.entries[i];
    diags.error(e.key_where, path + ".stages." + e.key,
                "items reaching this stage can never leave the route (no path to done)");
  }
}

} // namespace itsim::scenarios
