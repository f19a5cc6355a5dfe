// SPDX-License-Identifier: Apache-2.0
// Test helper of the models tests: a shipped scenario loaded through the real loader.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "itsim/scenarios/loader.hpp"

namespace itsim::models::test {

/// `file` (relative to the source tree) with `overrides`; throws with the loader's
/// messages when it does not load.
inline scenarios::Scenario load_shipped(const std::string& file,
                                        const std::vector<std::string>& overrides = {}) {
  scenarios::Diagnostics diags;
  auto loaded =
      scenarios::load_scenario(std::string(ITSIM_SOURCE_DIR) + "/" + file, overrides, diags);
  if (!loaded) throw std::runtime_error(file + " does not load:\n" + diags.format_all());
  return std::move(loaded->scenario);
}

/// scenarios/midsize.yaml with `overrides`.
inline scenarios::Scenario load_midsize(const std::vector<std::string>& overrides = {}) {
  return load_shipped("scenarios/midsize.yaml", overrides);
}

/// The index of model `id` in `s`.
inline std::uint32_t model_index(const scenarios::Scenario& s, const std::string& id) {
  for (std::uint32_t m = 0; m < s.models.size(); ++m)
    if (s.models[m].id == id) return m;
  throw std::runtime_error("scenario " + s.name + " has no model " + id);
}

} // namespace itsim::models::test
