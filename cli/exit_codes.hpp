// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <exception>

namespace itsim::cli {

/// Exit codes of every command (sysexits.h values, as CONTRACT.md lists them).
enum ExitCode : int {
  exit_ok = 0,
  exit_runs_failed = 1,
  exit_usage = 64,
  exit_invalid_scenario = 65,
  exit_no_input = 66,
  exit_unavailable = 69, ///< a program the command needs is missing (--pdf without Chromium)
  exit_internal = 70,
  exit_cannot_create = 73,
  exit_io_error = 74,
};

/// The exit code main() gives an exception escaping a command (usage 64, unreadable input
/// 66, missing browser 69, invalid scenario or shards 65, cannot create the output 73, I/O error
/// 74, anything else 70).
int exit_code_of(const std::exception& e);

} // namespace itsim::cli
