// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "itsim/analysis/confidence.hpp"
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

} // namespace itsim::validation
