// SPDX-License-Identifier: Apache-2.0
// The passive baseline of the default scenario (scenarios/midsize.yaml) against the
// calibration targets of MODEL.md: the mean over replications of each KPI, with its 99%
// confidence interval, must lie inside the target range (docs/models.md, "Calibration").
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "itsim/analysis/confidence.hpp"
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

::testing::AssertionResult within(Kpi k, double lo, double hi) {
  std::vector<double> v;
  for (const RunResult& r : passive_runs())
    v.push_back(r[k]);
  const auto ci = analysis::confidence_interval(v, 0.99);
  const char* name = models::kpi_table()[static_cast<std::size_t>(k)].name;
  if (ci.lower() >= lo && ci.upper() <= hi) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << name << ": mean " << ci.mean << ", 99% CI [" << ci.lower() << ", " << ci.upper()
         << "], target [" << lo << ", " << hi << "]";
}

TEST(Calibration, FirstContactResolutionIsTypicalOfServiceDesks) {
  EXPECT_TRUE(within(Kpi::first_contact_resolution, 0.67, 0.74)); // MODEL.md, MetricNet
}

TEST(Calibration, AboutEightyFivePercentOfTicketsAreResolvedAtL1) {
  EXPECT_TRUE(within(Kpi::resolved_at_l1, 0.80, 0.90));
}

TEST(Calibration, L1CostPerTicketIsAboutTwentyTwoDollars) {
  EXPECT_TRUE(within(Kpi::cost_per_ticket_l1, 18.0, 26.0)); // MetricNet: about $22
}

TEST(Calibration, FlowEfficiencyOfChangesIsUnderFifteenPercent) {
  EXPECT_TRUE(within(Kpi::change_flow_efficiency, 0.0, 0.15));
  EXPECT_TRUE(within(Kpi::flow_efficiency, 0.0, 0.15));
}

TEST(Calibration, EnhancementLeadTimeIsOneToSixMonths) {
  constexpr double month_h = 8760.0 / 12; // DORA's medium and low performers
  EXPECT_TRUE(within(Kpi::enhancement_lead_time_p50_h, 1 * month_h, 6 * month_h));
}

TEST(Calibration, ShadowItIsTwentyFiveToFortyPercentOfSpend) {
  EXPECT_TRUE(within(Kpi::shadow_share, 0.25, 0.40)); // Gartner, Everest Group
}

} // namespace
} // namespace itsim::validation
