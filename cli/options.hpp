// SPDX-License-Identifier: Apache-2.0
// Command-line parsing shared by the commands (Boost.Program_options).
#pragma once

#include <boost/program_options.hpp>

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

} // namespace itsim::cli
