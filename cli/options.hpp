// SPDX-License-Identifier: Apache-2.0
// Command-line parsing shared by the commands (Boost.Program_options).
#pragma once

#include <boost/program_options.hpp>

#include "itsim/scenarios/loader.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace itsim::cli {

/// Parses `args` against `opts`, every positional argument going to the option "files".
/// Prints the options and returns nothing for --help/-h (the command then exits 0).
/// Throws boost::program_options::error on bad usage (exit 64).
std::optional<boost::program_options::variables_map>
parse_options(const std::vector<std::string>& args,
              const boost::program_options::options_description& opts);

/// -j/--threads: 0 (all cores) when absent; throws boost::program_options::error outside
/// 1..4096.
unsigned threads_option(const boost::program_options::variables_map& vm);

/// The scenario a command that runs models asks for (`itsim run`, `itsim explain`): `file`
/// with its --set `overrides`, --seed and -r `replications` (0: the file's), its
/// diagnostics printed to stderr.
struct CommandScenario {
  std::optional<scenarios::LoadedScenario> loaded;
  std::size_t warnings = 0; ///< printed while loading (for --strict)
  /// exit_ok, or why it did not load: bad --set syntax (64), no input (66), invalid (65).
  int exit_code = 0;
};
CommandScenario load_command_scenario(const std::string& file,
                                      const std::vector<std::string>& overrides,
                                      const boost::program_options::variables_map& vm,
                                      std::uint32_t replications);

} // namespace itsim::cli
