// SPDX-License-Identifier: Apache-2.0
// MODEL.md's calibration targets for the passive baseline, declared once: `itsim show
// --calibration`, tests/validation/calibration_test.cpp and docs/models.md ("Calibration")
// read this table, so that what is shown, what is tested and what is documented agree.
#pragma once

#include <vector>

#include "itsim/models/kpi.hpp"

namespace itsim::models {

/// How a target's value comes about: fixed by an input (arithmetic on the inputs gives it,
/// with no queueing involved) or emerging from the simulation.
enum class CalibrationKind : bool { set_by_input, emerges };

/// One calibration target: a published figure the passive baseline of the default company
/// should reproduce, the KPI that measures it and the band its mean must lie in.
struct CalibrationTarget {
  const char* target; ///< as MODEL.md states it, e.g. "first-contact resolution 0.67-0.74"
  const char* source; ///< where the published figure comes from
  Kpi kpi;            ///< the KPI that measures it
  double low;         ///< band the mean's confidence interval must lie in, in the KPI's unit
  double high;
  CalibrationKind kind;
  /// For set_by_input: the input key(s) that fix it and how; for emerges: what it emerges
  /// from and which input was calibrated to land it in the band, if any.
  const char* how;
};

/// Confidence level of the interval that must lie inside each band (0.99).
inline constexpr double calibration_level = 0.99;

/// MODEL.md's calibration targets in its order.
const std::vector<CalibrationTarget>& calibration_targets();

/// "set by input" or "emerges".
const char* to_string(CalibrationKind kind);

} // namespace itsim::models
