// SPDX-License-Identifier: Apache-2.0
// run_model: one run of one operating model (org_run.hpp, the coordinator over the
// mechanism parts), twice with a pilot when the warm-up is detected by MSER-5; the trend
// test of the backlog after the warm-up (analysis/stationarity.hpp).
#include "itsim/models/org_model.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <string>

#include "itsim/analysis/stationarity.hpp"
#include "itsim/analysis/warmup.hpp"
#include "itsim/sim/error.hpp"
#include "org_run.hpp"

namespace itsim::models {

using detail::OrgRun;
using scenarios::Scenario;

namespace {

static_assert(static_cast<int>(Stationarity::trending) ==
                  static_cast<int>(analysis::Stationarity::trending) &&
              static_cast<int>(Stationarity::steady) ==
                  static_cast<int>(analysis::Stationarity::steady) &&
              static_cast<int>(Stationarity::too_short) ==
                  static_cast<int>(analysis::Stationarity::too_short) &&
              static_cast<int>(Stationarity::not_tested) ==
                  static_cast<int>(analysis::Stationarity::not_tested));

std::span<const double> series_of(const RunResult& r, Series s, std::size_t first) {
  const std::size_t points = r.series_points;
  first = std::min(first, points);
  return {r.series.data() + static_cast<std::size_t>(s) * points + first, points - first};
}

struct Verdict {
  Stationarity stationarity = Stationarity::not_tested;
  double backlog_slope_per_year = std::nan("");
};

// The trend test of the backlog and of the queue length from sample `first` on (the first
// after the warm-up), each at half the level so that a stationary run is called trending
// with a probability of at most stationarity_level (Bonferroni). The run trends when
// either does.
Verdict trend_of(const RunResult& r, std::size_t first, double step_h) {
  Verdict v;
  if (r.series_points == 0 || step_h <= 0) return v;
  analysis::TrendOptions options;
  options.level = stationarity_level / 2;
  const analysis::TrendResult backlog =
      analysis::trend_test(series_of(r, Series::backlog, first), step_h, options);
  const analysis::TrendResult queue =
      analysis::trend_test(series_of(r, Series::queue_length, first), step_h, options);
  v.backlog_slope_per_year = backlog.slope_per_year();
  if (backlog.verdict == analysis::Stationarity::too_short) {
    v.stationarity = Stationarity::too_short;
  } else if (backlog.verdict == analysis::Stationarity::trending ||
             queue.verdict == analysis::Stationarity::trending) {
    v.stationarity = Stationarity::trending;
  } else {
    v.stationarity = Stationarity::steady;
  }
  return v;
}

// Samples at or before the warm-up's end: sample i is at (i + 1) step.
std::size_t samples_in_warmup(double warmup_h, double step_h) {
  if (step_h <= 0 || warmup_h <= 0) return 0;
  return static_cast<std::size_t>(std::floor(warmup_h / step_h + 1e-9));
}

void set_verdict(RunResult& r, double step_h) {
  const Verdict v = trend_of(r, samples_in_warmup(r.warmup_h, step_h), step_h);
  r.stationarity = v.stationarity;
  r.backlog_slope_per_year = v.backlog_slope_per_year;
}

} // namespace

const char* to_string(Stationarity s) {
  return analysis::to_string(static_cast<analysis::Stationarity>(s));
}

RunResult run_model(const Scenario& s, std::uint32_t model, std::uint64_t replication,
                    const RunOptions& options) {
  if (model >= s.models.size()) {
    throw ModelError("scenario " + s.name + ": no model " + std::to_string(model) + " (it has " +
                     std::to_string(s.models.size()) + ")");
  }
  if (!s.warmup_mser5) {
    OrgRun run(s, model, replication, options, s.warmup_h);
    RunResult r = run.run();
    set_verdict(r, options.timeseries_step_h);
    return r;
  }
  // Pilot: the backlog on a grid of at most a day and at least 100 points, no warm-up.
  RunOptions pilot_options;
  pilot_options.interrupt = options.interrupt;
  pilot_options.timeseries_step_h = std::min(24.0, s.horizon_h / 100);
  OrgRun pilot(s, model, replication, pilot_options, 0.0);
  const RunResult p = pilot.run();
  const analysis::WarmupResult w = analysis::mser5(series_of(p, Series::backlog, 0));
  // Sample i is at (i + 1) step: deleting d samples deletes d step hours.
  const double warmup_h =
      static_cast<double>(w.truncate_observations) * pilot_options.timeseries_step_h;
  // MSER-5 assumes the series settles after the truncation; one still trending there has
  // no end of its warm-up to find.
  const bool pilot_trends =
      trend_of(p, w.truncate_observations, pilot_options.timeseries_step_h).stationarity ==
      Stationarity::trending;
  OrgRun run(s, model, replication, options, warmup_h);
  RunResult r = run.run();
  r.warmup_reliable = w.reliable && !pilot_trends;
  set_verdict(r, options.timeseries_step_h);
  return r;
}

} // namespace itsim::models
