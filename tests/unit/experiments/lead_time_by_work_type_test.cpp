// SPDX-License-Identifier: Apache-2.0
// /lead_time_by_work_type (docs/results-format.md): per run and work type, the six
// lead-time percentiles of the items delivered after the warm-up, computed as the KPIs'
// (Hyndman & Fan 7, sim::QuantileSample), their deliveries adding up to `completed`; and
// the table written from RunResult::lead_by_work_type as it stands (a hand-made run).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "itsim/experiments/experiment.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/models/kpi.hpp"
#include "itsim/models/org_model.hpp"
#include "itsim/scenarios/loader.hpp"
#include "itsim/sim/statistics.hpp"

namespace itsim::experiments {
namespace {

scenarios::Scenario midsize(const std::vector<std::string>& overrides) {
  scenarios::Diagnostics diags;
  auto loaded = scenarios::load_scenario(std::string(ITSIM_SOURCE_DIR) + "/scenarios/midsize.yaml",
                                         overrides, diags);
  if (!loaded) throw std::runtime_error(diags.format_all());
  return std::move(loaded->scenario);
}

const std::vector<double>& numbers(const analysis::Table& t, const std::string& column) {
  const analysis::ItemColumn* c = t.column(column);
  if (c == nullptr) throw std::runtime_error("no column " + column);
  return std::get<std::vector<double>>(c->values);
}

TEST(LeadTimeByWorkType, PercentilesAreThoseOfTheDeliveredItemsAsTheKpisCompute) {
  const scenarios::Scenario s = midsize({"horizon=6w", "warmup=1w"});
  ASSERT_GE(s.work_types.size(), 3U);
  models::RunOptions options;
  options.record_items = true;
  std::size_t groups_checked = 0;
  for (const std::uint32_t model : {0U, 3U}) {
    const models::RunResult r = models::run_model(s, model, 0, options);
    ASSERT_EQ(r.lead_by_work_type.size(), s.work_types.size());
    std::vector<sim::QuantileSample> by_type(s.work_types.size());
    for (const models::ItemRecord& it : r.items) {
      // Items are recorded only when created after the warm-up, as the KPIs count them.
      if (it.outcome != models::ItemOutcome::delivered) continue;
      by_type[it.work_type].add(it.finished_h - it.created_h);
    }
    std::uint64_t delivered = 0;
    for (std::size_t w = 0; w < s.work_types.size(); ++w) {
      const models::LeadTimeDistribution& d = r.lead_by_work_type[w];
      const sim::QuantileSample& q = by_type[w];
      delivered += d.delivered;
      ASSERT_EQ(d.delivered, q.count()) << s.work_types[w].id;
      if (q.count() == 0) {
        for (const double p : d.p_h)
          EXPECT_TRUE(std::isnan(p));
        continue;
      }
      ++groups_checked;
      for (std::size_t k = 0; k < d.p_h.size(); ++k) {
        EXPECT_NEAR(d.p_h[k], q.quantile(models::lead_time_distribution_p[k]), 1e-9)
            << s.work_types[w].id << " p" << models::lead_time_distribution_p[k];
        if (k > 0) {
          EXPECT_LE(d.p_h[k - 1], d.p_h[k]);
        }
      }
    }
    EXPECT_EQ(double(delivered), r[models::Kpi::completed]);
  }
  EXPECT_GE(groups_checked, 4U);
}

TEST(LeadTimeByWorkType, TableHoldsEachRunsDistributionAndItsSummary) {
  const scenarios::Scenario s = midsize({});
  // Two hand-made runs of model 0: work type 0 with known percentiles, work type 1 with
  // nothing delivered (NaN), the rest empty.
  std::vector<ExperimentRun> runs(2);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    ExperimentRun& run = runs[i];
    run.model = 0;
    run.replication = i;
    run.ok = true;
    run.result.lead_by_work_type.assign(s.work_types.size(), models::LeadTimeDistribution{});
    models::LeadTimeDistribution& d = run.result.lead_by_work_type[0];
    d.delivered = 10 + i;
    for (std::size_t k = 0; k < d.p_h.size(); ++k)
      d.p_h[k] = double(k + 1) * (i == 0 ? 1.0 : 3.0); // 1..6 h, then 3..18 h
  }
  analysis::ResultsFile file = start_results(s, "");
  add_runs(file, s, runs, 0, 0.0, false);
  const analysis::Table* t = file.table(work_type_group);
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->rows(), 2 * s.work_types.size());
  const auto& type = std::get<std::vector<std::string>>(t->column("work_type")->values);
  EXPECT_EQ(type[0], s.work_types[0].id);
  EXPECT_EQ(type[1], s.work_types[1].id);
  EXPECT_EQ(numbers(*t, "delivered")[0], 10.0);
  EXPECT_EQ(numbers(*t, "lead_time_p10_h")[0], 1.0);
  EXPECT_EQ(numbers(*t, "lead_time_p50_h")[0], 3.0);
  EXPECT_EQ(numbers(*t, "lead_time_p95_h")[0], 6.0);
  EXPECT_EQ(numbers(*t, "delivered")[1], 0.0);
  EXPECT_TRUE(std::isnan(numbers(*t, "lead_time_p50_h")[1]));
  EXPECT_EQ(numbers(*t, "lead_time_p95_h")[s.work_types.size()], 18.0);

  const analysis::Table* summary = file.table(std::string(work_type_group) + "_summary");
  ASSERT_NE(summary, nullptr);
  ASSERT_EQ(std::get<std::vector<std::string>>(summary->column("work_type")->values)[0],
            s.work_types[0].id);
  EXPECT_DOUBLE_EQ(numbers(*summary, "lead_time_p50_h_mean")[0], (3.0 + 9.0) / 2);
  EXPECT_DOUBLE_EQ(numbers(*summary, "delivered_mean")[0], 10.5);
}

} // namespace
} // namespace itsim::experiments
