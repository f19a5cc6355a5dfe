// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace itsim::cli {

/// `itsim demo`: the pooling effect, simulated and compared with theory. Returns the exit
/// code; throws boost::program_options errors on bad usage.
int demo_command(const std::vector<std::string>& args);

} // namespace itsim::cli
