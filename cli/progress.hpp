// SPDX-License-Identifier: Apache-2.0
// Progress on stderr for long commands: one rewritten line at a terminal, plain lines in
// logs (--progress auto|bar|lines|none).
#pragma once

#include <cstddef>
#include <string>

namespace itsim::cli {

enum class Progress { bar, lines, none };

/// --progress's value: auto is bar when stderr is a terminal, lines otherwise. Throws
/// boost::program_options::error for anything else (exit 64).
Progress progress_mode(const std::string& text);

/// Seconds between two reports: a bar redraws often, a log gets a line now and then.
double progress_interval_s(Progress mode);

/// Prints "[####    ] 120/400 runs, 3.2 runs/s, ETA 1m27s, 2 failed" (bar) or
/// "itsim COMMAND: 120/400 runs done, 3.2 runs/s, ETA 1m27s, 2 failed" (lines) to stderr.
/// The bar ends its line when done == total.
void print_progress(Progress mode, const char* command, std::size_t done, std::size_t total,
                    std::size_t failed, double elapsed_s);

/// A number for the terminal's tables, short: 1.23M, 45.6k, 789, 0.123; "-" when not finite.
std::string format_value(double v);

/// A number rounded to `digits` significant digits (at least 1), trailing zeros kept:
/// 16.0M, 5.78M, 45.3k, 456, 45.3, 0.912, -0.00749; thousands, millions and billions as k, M,
/// G; below 1e-4 in exponent form (7.49e-05); 0 as "0"; "n/a" when not finite. With
/// `sign`, positive values (and 0) get a "+".
std::string format_significant(double v, int digits = 3, bool sign = false);

} // namespace itsim::cli
