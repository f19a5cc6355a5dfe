// SPDX-License-Identifier: Apache-2.0
// The time base of money (docs/models.md, "Money over the measured window") through the
// whole run, on one enhancement whose money follows by hand: the worked example of
// docs/models.md, with and without discounting, its value life inside the run and
// crossing its horizon.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "itsim/models/org_model.hpp"
#include "itsim/scenarios/loader.hpp"

namespace itsim::models {
namespace {

// One developer works Saturdays 10:00-20:00 only; enhancements are raised on weekdays,
// 1 a month. An enhancement raised in the first week (hours 0-120) waits for Saturday and
// is delivered at 10:00 + 2 h, hour 5 x 24 + 12 = 132, whenever it was raised. It is worth
// 168 a week (1 an hour) with no urgency and full quality; the developer costs 42 an hour
// for 40 paid hours a week: 10 per calendar hour. The run is 4 weeks (672 h), no warm-up.
const char* const one_item_yaml = R"(
name: one_item
horizon: 4w
calendars:
  saturdays: {days: [sat], hours: "10:00-20:00"}
organisation:
  units:
    shop: {headcount: 100, customer_facing: true}
demand:
  profile:
    weekday: [1, 1, 1, 1, 1, 0, 0]
  work_types:
    enhancement: {kind: enhancement, rate: 1/month, effort: 2h, value: 168, value_life: 2w}
staff:
  pools:
    dev: {headcount: 1, calendar: saturdays, cost_per_hour: 42}
models:
  only:
    change_failure: 0
    routes:
      enhancement: {stages: {build: {pool: dev}}}
mechanisms:
  knowledge: {effort_penalty: 0}
  handoff: {quality_loss: 0}
)";

constexpr double delivered_h = 132;
constexpr double horizon_h = 672;

scenarios::Scenario load(const std::vector<std::string>& overrides) {
  scenarios::Diagnostics diags;
  auto loaded =
      scenarios::load_scenario_text(one_item_yaml, "one_item.yaml", ".", overrides, diags);
  if (!loaded) throw std::runtime_error(diags.format_all());
  return std::move(loaded->scenario);
}

/// The first replication in which exactly one enhancement was raised, in the first week
/// (the demand is the same whatever the value life or discount rate).
std::uint64_t one_item_replication() {
  static const std::uint64_t rep = [] {
    const scenarios::Scenario s = load({});
    RunOptions options;
    options.record_items = true;
    for (std::uint64_t r = 0; r < 1000; ++r) {
      const RunResult run = run_model(s, 0, r, options);
      if (run[Kpi::demand_generated] == 1 && run.items.size() == 1 && run.items[0].created_h < 120)
        return r;
    }
    return std::uint64_t{1000};
  }();
  return rep;
}

RunResult run_one_item(const std::vector<std::string>& overrides) {
  const std::uint64_t rep = one_item_replication();
  EXPECT_LT(rep, 1000U) << "no replication with one item raised in the first week";
  RunOptions options;
  options.record_items = true;
  options.timeseries_step_h = 24;
  const RunResult r = run_model(load(overrides), 0, rep, options);
  EXPECT_EQ(r[Kpi::completed], 1);
  EXPECT_EQ(r.items.size(), 1U);
  if (!r.items.empty()) {
    EXPECT_DOUBLE_EQ(r.items[0].finished_h, delivered_h);
  }
  return r;
}

/// What 1 an hour over [a, b] is worth at hour 0 at annual rate `rate`: the integral of
/// (1 + rate)^-(t / 8760), by hand.
double pv_of_flow(double rate, double a, double b) {
  if (rate == 0) return b - a;
  auto at = [rate](double h) { return std::pow(1 + rate, -h / 8760); };
  return (at(a) - at(b)) / std::log(1 + rate) * 8760;
}

struct Case {
  std::string value_life;
  double life_h;
  double rate;
};

TEST(OneItemMoney, CountsValueAndCostOverTheMeasuredWindowByHand) {
  for (const Case& c :
       {Case{"2w", 336, 0}, Case{"52w", 8736, 0}, Case{"2w", 336, 0.1}, Case{"52w", 8736, 0.1}}) {
    SCOPED_TRACE("value_life " + c.value_life + ", discount_rate " + std::to_string(c.rate));
    const RunResult r = run_one_item({"demand.work_types.enhancement.value_life=" + c.value_life,
                                      "discount_rate=" + std::to_string(c.rate)});
    // 1 an hour from the delivery to the end of the value life or the horizon, the first.
    const double until = std::min(delivered_h + c.life_h, horizon_h);
    const double value = pv_of_flow(c.rate, delivered_h, until);
    const double cost = 10 * pv_of_flow(c.rate, 0, horizon_h);
    EXPECT_NEAR(r[Kpi::value_gross], value, 1e-6);
    EXPECT_NEAR(r[Kpi::customer_value], value, 1e-6);
    EXPECT_NEAR(r[Kpi::it_cost], cost, 1e-6);
    EXPECT_NEAR(r[Kpi::cost_total], cost, 1e-6);
    EXPECT_NEAR(r[Kpi::net_value], value - cost, 1e-6);
    // The whole life is what is at stake: booked at delivery, undiscounted.
    EXPECT_NEAR(r[Kpi::value_whole_life], c.life_h, 1e-6);
    EXPECT_DOUBLE_EQ(r[Kpi::value_lost_to_delay], 0);
    // The item record and the cumulative series take the same base.
    EXPECT_NEAR(r.items[0].value, value, 1e-6);
    const std::size_t last = r.series_points - 1;
    EXPECT_NEAR(r.series[std::size_t(Series::net_value_cumulative) * r.series_points + last],
                value - cost, 1e-6);
  }
}

TEST(OneItemMoney, MatchesTheWorkedExampleOfTheDocs) {
  // docs/models.md, "Money over the measured window": the numbers printed there.
  const RunResult inside = run_one_item({});
  EXPECT_NEAR(inside[Kpi::value_gross], 336, 1e-9);
  EXPECT_NEAR(inside[Kpi::it_cost], 6720, 1e-9);
  EXPECT_NEAR(inside[Kpi::net_value], -6384, 1e-9);
  const RunResult crossing = run_one_item({"demand.work_types.enhancement.value_life=52w"});
  EXPECT_NEAR(crossing[Kpi::value_gross], 540, 1e-9);
  EXPECT_NEAR(crossing[Kpi::value_whole_life], 8736, 1e-9);
  EXPECT_NEAR(crossing[Kpi::net_value], -6180, 1e-9);
  const RunResult discounted =
      run_one_item({"demand.work_types.enhancement.value_life=52w", "discount_rate=0.1"});
  EXPECT_NEAR(discounted[Kpi::value_gross], 537.644, 0.001);
  EXPECT_NEAR(discounted[Kpi::it_cost], 6695.493, 0.001);
  EXPECT_NEAR(discounted[Kpi::net_value], -6157.849, 0.001);
}

} // namespace
} // namespace itsim::models
