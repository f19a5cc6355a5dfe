// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "itsim/analysis/confidence.hpp"
#include "itsim/models/org_model.hpp"
#include "itsim/models/station_network.hpp"
#include "itsim/scenarios/scenario.hpp"

namespace itsim::validation {

/// Runs `replications` independent replications of `spec` (master seed fixed, streams
/// differ by replication number) on all available cores and returns their results in
/// replication order.
std::vector<models::NetworkResults> run_replications(const models::NetworkSpec& spec,
                                                     std::size_t replications,
                                                     std::uint64_t master_seed = 20261122);

/// The 99% confidence interval of `metric` over the replications.
analysis::ConfidenceInterval
ci99(const std::vector<models::NetworkResults>& runs,
     const std::function<double(const models::NetworkResults&)>& metric);

/// A validation verdict: the theoretical value must lie in the 99% CI and the CI must be
/// narrower than `max_half_width`, so that passing means something.
::testing::AssertionResult covers(const analysis::ConfidenceInterval& ci, double theory,
                                  double max_half_width);

/// A single station with Poisson arrivals (rate per hour), `servers` servers and the
/// given service time (hours), FIFO; warm-up and horizon in hours.
models::NetworkSpec single_station(double lambda, sim::Distribution service, std::uint32_t servers,
                                   double warmup_h, double horizon_h);

/// Loads scenario text with the real loader; a load with an error throws, and a warning
/// fails the test (the validation scenarios are meant to be clean).
scenarios::Scenario load(const std::string& yaml, const std::string& label,
                         const std::vector<std::string>& overrides = {});

/// The index of model `id` in `s`.
std::uint32_t model_index(const scenarios::Scenario& s, const std::string& id);

/// The index of resource `id` (a pool or team) in model `model` of `s`.
std::size_t resource_index(const scenarios::Scenario& s, std::uint32_t model,
                           const std::string& id);

/// Replications 0..n-1 of each of `models` (indices into s.models) through
/// models::run_model, run in parallel (up to 4 threads): out[i][r] is replication r of
/// models[i]. Replication r of every model faces the same demand (common random numbers),
/// so differences can be paired.
std::vector<std::vector<models::RunResult>> run_all(const scenarios::Scenario& s,
                                                    const std::vector<std::uint32_t>& models,
                                                    std::size_t n,
                                                    const models::RunOptions& options = {});

/// metric(run) for each run, in order.
template <class F> std::vector<double> each(const std::vector<models::RunResult>& runs, F metric) {
  std::vector<double> v;
  v.reserve(runs.size());
  for (const models::RunResult& r : runs)
    v.push_back(metric(r));
  return v;
}

/// KPI `k` of each run, in order.
std::vector<double> each(const std::vector<models::RunResult>& runs, models::Kpi k);

/// The 99% confidence interval of the mean of `v`.
analysis::ConfidenceInterval ci99(const std::vector<double>& v);

/// The 99% paired-t interval of the mean of a - b.
analysis::ConfidenceInterval paired99(const std::vector<double>& a, const std::vector<double>& b);

/// Prints what a check saw, so that a passing run still shows its numbers.
void show(const std::string& what, const analysis::ConfidenceInterval& ci, double theory);

} // namespace itsim::validation
