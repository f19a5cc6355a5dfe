// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/sim_time.hpp"

#include <string>

#include "itsim/sim/error.hpp"

namespace itsim::sim {

void SimDuration::reject_duration(double original, const char* unit) {
  throw ModelError("duration of " + std::to_string(original) + " " + unit +
                   " is not a finite time the clock can hold");
}

} // namespace itsim::sim
