// SPDX-License-Identifier: Apache-2.0
#include "itsim/scenarios/scenario.hpp"

namespace itsim::scenarios {

double Scenario::WorkType::firm_rate_per_hour(const std::vector<Unit>& all_units) const {
  if (!per_employee) return rate_per_hour;
  std::uint64_t people = 0;
  for (const std::uint32_t u : units)
    people += all_units[u].headcount;
  return rate_per_hour * static_cast<double>(people);
}

std::uint64_t Scenario::total_headcount() const {
  std::uint64_t people = 0;
  for (const Unit& u : units)
    people += u.headcount;
  return people;
}

const char* to_string(Scenario::WorkKind kind) {
  switch (kind) {
  case Scenario::WorkKind::incident:
    return "incident";
  case Scenario::WorkKind::request:
    return "request";
  case Scenario::WorkKind::enhancement:
    return "enhancement";
  case Scenario::WorkKind::project:
    return "project";
  case Scenario::WorkKind::other:
    break;
  }
  return "other";
}

const char* to_string(Scenario::Urgency urgency) {
  switch (urgency) {
  case Scenario::Urgency::linear:
    return "linear";
  case Scenario::Urgency::decaying:
    return "decaying";
  case Scenario::Urgency::fixed_date:
    return "fixed_date";
  case Scenario::Urgency::none:
    break;
  }
  return "none";
}

} // namespace itsim::scenarios
