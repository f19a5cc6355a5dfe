// SPDX-License-Identifier: Apache-2.0
// The passive baseline of the default scenario (scenarios/midsize.yaml) against the
// calibration targets of MODEL.md (models::calibration_targets()): the mean over
// replications of each KPI, with its 99% confidence interval, must lie inside the target
// range (docs/models.md, "Calibration").
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "itsim/analysis/confidence.hpp"
#include "itsim/models/calibration.hpp"
#include "itsim/models/org_model.hpp"
#include "itsim/scenarios/loader.hpp"

namespace itsim::validation {
namespace {

using models::Kpi;
using models::RunResult;

constexpr std::size_t replications = 30; // the scenario's own count

const std::vector<RunResult>& passive_runs() {
  static const std::vector<RunResult> runs = [] {
    scenarios::Diagnostics diags;
    const auto loaded = scenarios::load_scenario(
        std::string(ITSIM_VALIDATION_SCENARIOS_DIR) + "/../midsize.yaml", {}, diags);
    if (!loaded) throw std::runtime_error(diags.format_all());
    const scenarios::Scenario& s = loaded->scenario;
    std::uint32_t passive = 0;
    while (s.models.at(passive).id != "passive")
      ++passive;
    std::vector<RunResult> out;
    for (std::size_t r = 0; r < replications; ++r) // about 25 ms a run: no threads needed
      out.push_back(models::run_model(s, passive, r));
    return out;
  }();
  return runs;
}

::testing::AssertionResult within(const models::CalibrationTarget& t) {
  std::vector<double> v;
  for (const RunResult& r : passive_runs())
    v.push_back(r[t.kpi]);
  const auto ci = analysis::confidence_interval(v, models::calibration_level);
  if (ci.lower() >= t.low && ci.upper() <= t.high) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << t.target << ": " << models::info(t.kpi).name << " mean " << ci.mean << ", 99% CI ["
         << ci.lower() << ", " << ci.upper() << "], target [" << t.low << ", " << t.high << "]";
}

// The targets are models::calibration_targets() (what `itsim show --calibration` prints):
// first-contact resolution, the share resolved at L1, L1 cost per ticket, flow efficiency of
// changes and of all items, enhancement lead time and the shadow share of spend.
TEST(Calibration, PassiveBaselineMeetsEveryTargetOfModelMd) {
  ASSERT_EQ(models::calibration_targets().size(), 7U);
  for (const models::CalibrationTarget& t : models::calibration_targets())
    EXPECT_TRUE(within(t));
}

TEST(Calibration, TargetsSetByAnInputAreTheRoutingAndCostIdentities) {
  // MODEL.md's first three targets follow from inputs alone; the other four emerge.
  std::vector<Kpi> by_input;
  for (const models::CalibrationTarget& t : models::calibration_targets())
    if (t.kind == models::CalibrationKind::set_by_input) by_input.push_back(t.kpi);
  EXPECT_EQ(by_input, (std::vector<Kpi>{Kpi::first_contact_resolution, Kpi::resolved_at_l1,
                                        Kpi::cost_per_ticket_l1}));
}

} // namespace
} // namespace itsim::validation
