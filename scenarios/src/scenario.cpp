// SPDX-License-Identifier: Apache-2.0
#include "itsim/scenarios/scenario.hpp"

#include "itsim/scenarios/choices.hpp"

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
  return spelling_of(work_kinds, kind).data();
}

const char* to_string(Scenario::Urgency urgency) {
  return spelling_of(urgencies, urgency).data();
}

} // namespace itsim::scenarios
