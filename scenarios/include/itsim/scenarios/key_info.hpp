// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace itsim::scenarios {

/// What the scenario format declares about one key (docs/scenario-format.md): its meaning,
/// whose text cites the number's source or calls it an assumption, and its default.
struct KeyInfo {
  std::string description;
  std::optional<std::string> default_yaml; ///< the default as YAML text; none when required
};

/// The declaration of dotted `key_path` of a scenario (collection ids match any id, e.g.
/// "staff.pools.dev.headcount"); nullopt when the format has no such key (or it names a
/// parameter of a distribution).
std::optional<KeyInfo> key_info(std::string_view key_path);

} // namespace itsim::scenarios
