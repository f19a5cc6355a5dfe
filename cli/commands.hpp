// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace itsim::cli {

/// `itsim demo`: the pooling effect, simulated and compared with theory. Returns the exit
/// code; throws boost::program_options errors on bad usage.
int demo_command(const std::vector<std::string>& args);

/// `itsim calibrate TICKETS.csv --mapping MAP.yaml -o BASELINE.yaml`: a baseline scenario
/// fitted to a ticket export; 1 when --check misses its tolerances; 64/65/66/73.
int calibrate_command(const std::vector<std::string>& args);

/// `itsim validate SCENARIO.yaml...`: 0 when every file is valid, 65 when one is invalid,
/// 66 when one cannot be read; every problem on stderr.
int validate_command(const std::vector<std::string>& args);

/// `itsim show --resolved SCENARIO.yaml`: the merged scenario, defaults filled in, on stdout.
int show_command(const std::vector<std::string>& args);

/// `itsim schema [--format json|markdown]`: the scenario format for editors and docs.
int schema_command(const std::vector<std::string>& args);

/// `itsim run SCENARIO.yaml [-o FILE.h5] ...`: every model over the replications, results
/// to HDF5, the comparison on stdout. 0, or 1 when some runs failed; 64/65/66/73/74.
int run_command(const std::vector<std::string>& args);

/// `itsim explain SCENARIO.yaml --model M ...`: model M's paired difference from the
/// baseline split into structure and one Shapley value per mechanism switch, to stdout and
/// HDF5 (/attribution). 0, or 1 when some runs failed; 64 for an unknown model, a model
/// equal to the baseline or too many switches; 65 when the models do not differ.
int explain_command(const std::vector<std::string>& args);

/// `itsim sweep SWEEP.yaml -o FILE.h5 ...`: a design of experiments; 0, or 1 when some
/// runs failed; 64/65/66/73/74; 130 when interrupted (finished runs kept for --resume).
int sweep_command(const std::vector<std::string>& args);

/// `itsim merge -o FILE.h5 SHARD.h5...`: shards into the whole sweep's file; 65 for shards
/// that do not belong together.
int merge_command(const std::vector<std::string>& args);

/// `itsim report RESULTS.h5 -o REPORT.html [--pdf REPORT.pdf]`: the board pack
/// (docs/report.md). 0; 64 usage; 66 unreadable or not a results file; 69 --pdf without
/// Chromium; 73/74 output.
int report_command(const std::vector<std::string>& args);

/// `itsim serve SCENARIO.yaml [--port P] [--host H] [-j N]`: the live what-if page
/// (docs/serve.md) until SIGINT or SIGTERM; 0 then; 64 usage; 65/66 scenario; 69 when it
/// cannot listen.
int serve_command(const std::vector<std::string>& args);

/// `itsim models`: the operating-model presets, one line each.
int models_command(const std::vector<std::string>& args);

} // namespace itsim::cli
