// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "itsim/analysis/results.hpp"
#include "itsim/experiments/experiment.hpp"
#include "itsim/scenarios/scenario.hpp"

namespace itsim::experiments {

/// Extra tables add_runs writes (docs/results-format.md): per run, where the time goes at
/// each resource, the lead time by priority and by business unit, and the lead-time
/// distribution by work type; each has a summary
/// across replications called NAME_summary (e.g. "resources_summary").
inline constexpr const char* resources_group = "resources";
inline constexpr const char* priority_group = "lead_time_by_priority";
inline constexpr const char* unit_group = "lead_time_by_unit";
inline constexpr const char* work_type_group = "lead_time_by_work_type";

/// Starts the results of an experiment on `s`: the models, the baseline, the scenario and
/// the KPI columns of /runs (money in the scenario's currency); no runs yet.
analysis::ResultsFile start_results(const scenarios::Scenario& s, std::string yaml_resolved);

/// Appends `runs` (all of sweep point `point`) to `file`: a row of /runs each (the run's
/// seed derived from the master seed and its replication; a failed run with NaN KPIs and
/// its message), their time series when they recorded some (/timeseries; NaN rows for
/// failed runs), their item records when they kept some (/requests), when any run was
/// tested for a trend every run's stationarity verdict (RunTable::steady), and their rows of
/// the tables /resources, /lead_time_by_priority, /lead_time_by_unit and
/// /lead_time_by_work_type (none for a failed run), whose summaries (NAME_summary, over every run
/// in `file`) it then recomputes.
void add_runs(analysis::ResultsFile& file, const scenarios::Scenario& s,
              std::span<const ExperimentRun> runs, std::uint32_t point, double timeseries_step_h,
              bool record_items);

/// The columns of /requests (docs/results-format.md), empty: money in the scenario's
/// currency.
analysis::ItemTable request_layout(const scenarios::Scenario& s);

/// The width in bytes of each string column of request_layout(s) when stored fixed-length:
/// the longest value the column can hold in a run of `s` (0 for numeric columns).
std::vector<std::size_t> request_string_widths(const scenarios::Scenario& s);

/// Appends the item records of `run` (of `s`), the run being row `row` of /runs, to `t`
/// (a table laid out as request_layout(s)), in the order the run recorded them.
void append_request_rows(analysis::ItemTable& t, const scenarios::Scenario& s,
                         const ExperimentRun& run, std::uint32_t row);

/// What the terminal says under the comparison table about the runs' stationarity
/// (RunTable::steady, from the trend test at false-alarm rate `level`): a heading, then one
/// line per model with tested ok runs, in the file's model order. A model is called
/// growing (or shrinking) when more of its runs trend than false alarms explain (a binomial
/// tail below `level`): "passive: backlog still growing in 28 of 30 runs: +140 items a
/// year (median); results depend on the horizon"; otherwise steady ("coe: steady in 30 of
/// 30 runs"). Runs too short for the test add "cannot tell in K runs: the run is too short
/// for the stationarity test". Empty when no run was tested (e.g. a sweep's runs). A model
/// named in `paths` (a reorganisation path, whose organisation changes by design) gets no
/// verdict: "to_coe: a reorganisation path, not meant to be steady (its J-curve below)".
std::vector<std::string> describe_stationarity(const analysis::ResultsFile& file, double level,
                                               const std::vector<std::string>& paths = {});

} // namespace itsim::experiments
