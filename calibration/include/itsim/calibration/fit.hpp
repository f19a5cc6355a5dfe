// SPDX-License-Identifier: Apache-2.0
// Maximum-likelihood fits of service-time distributions (lognormal, gamma, Weibull) and
// the choice among them by AIC, for `itsim calibrate`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace itsim::calibration {

/// The families `itsim calibrate` chooses among, spelt as the scenario format spells them.
enum class Family : std::uint8_t { lognormal, gamma, weibull };

/// "lognormal", "gamma" or "weibull".
const char* to_string(Family f);

/// One family fitted by maximum likelihood to positive samples (hours).
struct FamilyFit {
  Family family = Family::lognormal;
  /// lognormal: mu, sigma of log(x); gamma: shape k, scale theta; Weibull: shape k, scale.
  double p1 = 0;
  double p2 = 0;
  double log_likelihood = 0;
  double aic = 0;  ///< 2 x 2 parameters - 2 log L
  double mean = 0; ///< the fitted distribution's mean, hours
  double cv = 0;   ///< its coefficient of variation
};

/// The three fits to one sample and the one with the smallest AIC.
struct ServiceFit {
  std::size_t n = 0;           ///< positive samples used
  double sample_mean = 0;      ///< hours
  std::vector<FamilyFit> fits; ///< lognormal, gamma, Weibull (in that order)
  std::size_t best = 0;        ///< index into fits of the smallest AIC
  const FamilyFit& chosen() const { return fits[best]; }
};

/// Fits the three families to `samples` (hours; values <= 0 and non-finite values are left
/// out). Needs at least 2 distinct positive values; throws itsim::Error otherwise.
ServiceFit fit_service_time(const std::vector<double>& samples);

} // namespace itsim::calibration
