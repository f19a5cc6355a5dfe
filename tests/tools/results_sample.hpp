// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "itsim/analysis/results.hpp"

#include <cstdint>

namespace itsim::test {

/// A deterministic results file exercising every part of the layout: models "passive"
/// (the baseline), "embedded" and "coe"; `replications` replications at sweep points 0 and
/// 1; the 25 KPIs CONTRACT.md requires (and one more); one failed run (coe, replication 1,
/// point 1: NaN KPIs, a UTF-8 message); two time series on a weekly grid of 53 samples; a
/// per-item table with float, integer and string columns; the parts of a sweep: factor
/// columns in /runs (float64 "handoff_retention", uint32 "l1.staff", string lever
/// "intake-policy"), /sweep (a whole grid sweep) and five extra tables, /points,
/// /sensitivity, the empty /winners, /resources (two resources per ok run, as `itsim run`
/// writes it) and /resources_summary (analysis::summarize_table). No randomness: the values come
/// from a fixed integer hash.
analysis::ResultsFile sample_results(std::uint32_t replications);

} // namespace itsim::test
