// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <span>

#include "itsim/analysis/results.hpp"
#include "itsim/experiments/experiment.hpp"
#include "itsim/scenarios/scenario.hpp"

namespace itsim::experiments {

/// Starts the results of an experiment on `s`: the models, the baseline, the scenario and
/// the KPI columns of /runs (money in the scenario's currency); no runs yet.
analysis::ResultsFile start_results(const scenarios::Scenario& s, std::string yaml_resolved);

/// Appends `runs` (all of sweep point `point`) to `file`: a row of /runs each (the run's
/// seed derived from the master seed and its replication; a failed run with NaN KPIs and
/// its message), their time series when they recorded some (/timeseries; NaN rows for
/// failed runs) and their item records when they kept some (/requests).
void add_runs(analysis::ResultsFile& file, const scenarios::Scenario& s,
              std::span<const ExperimentRun> runs, std::uint32_t point, double timeseries_step_h,
              bool record_items);

} // namespace itsim::experiments
