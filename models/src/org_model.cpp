// SPDX-License-Identifier: Apache-2.0
// run_model: one run of one operating model (org_run.hpp, the coordinator over the
// mechanism parts), twice with a pilot when the warm-up is detected by MSER-5.
#include "itsim/models/org_model.hpp"

#include <algorithm>
#include <span>
#include <string>

#include "itsim/analysis/warmup.hpp"
#include "itsim/sim/error.hpp"
#include "org_run.hpp"

namespace itsim::models {

using detail::OrgRun;
using scenarios::Scenario;

RunResult run_model(const Scenario& s, std::uint32_t model, std::uint64_t replication,
                    const RunOptions& options) {
  if (model >= s.models.size()) {
    throw ModelError("scenario " + s.name + ": no model " + std::to_string(model) + " (it has " +
                     std::to_string(s.models.size()) + ")");
  }
  if (!s.warmup_mser5) {
    OrgRun run(s, model, replication, options, s.warmup_h);
    return run.run();
  }
  // Pilot: the backlog on a grid of at most a day and at least 100 points, no warm-up.
  RunOptions pilot_options;
  pilot_options.interrupt = options.interrupt;
  pilot_options.timeseries_step_h = std::min(24.0, s.horizon_h / 100);
  OrgRun pilot(s, model, replication, pilot_options, 0.0);
  const RunResult p = pilot.run();
  const std::span<const double> backlog(
      p.series.data() + static_cast<std::size_t>(Series::backlog) * p.series_points,
      p.series_points);
  const analysis::WarmupResult w = analysis::mser5(backlog);
  // Sample i is at (i + 1) step: deleting d samples deletes d step hours.
  const double warmup_h =
      static_cast<double>(w.truncate_observations) * pilot_options.timeseries_step_h;
  OrgRun run(s, model, replication, options, warmup_h);
  RunResult r = run.run();
  r.warmup_reliable = w.reliable;
  return r;
}

} // namespace itsim::models
