// SPDX-License-Identifier: Apache-2.0
// The KPI declaration (kpi.hpp): one table from which the enum, the results file's
// columns, the terminal table and the docs come.
#include "itsim/models/kpi.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace itsim::models {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Kpi, DocsModelsCarryTheGeneratedTable) {
  const std::string doc = read_text(ITSIM_SOURCE_DIR "/docs/models.md");
  EXPECT_NE(doc.find(kpi_markdown_table()), std::string::npos)
      << "docs/models.md's KPI table is out of date; regenerate it with "
         "`itsim models --kpis --format markdown`";
}

TEST(Kpi, NamesAreUniqueAndFoundByName) {
  std::set<std::string> names;
  for (std::size_t k = 0; k < kpi_count; ++k) {
    const KpiInfo& info = kpi_table()[k];
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_EQ(kpi_named(info.name), static_cast<Kpi>(k));
    EXPECT_NE(std::string(info.unit), "");
    EXPECT_NE(std::string(info.description), "");
  }
  EXPECT_EQ(kpi_named("speed"), Kpi::count);
  EXPECT_STREQ(info(Kpi::net_value).name, "net_value");
  EXPECT_STREQ(info(Kpi::net_value).unit, "money");
  EXPECT_EQ(info(Kpi::net_value).better, Better::higher);
  EXPECT_EQ(info(Kpi::lead_time_p95_h).family, KpiFamily::latency);
}

TEST(Kpi, ContractsRequiredKpisComeFirstInItsOrder) {
  const std::vector<std::string> required = {
      "demand_generated", "arrivals_to_it",  "self_served",         "completed",
      "abandoned",        "shadow_builds",   "backlog_end",         "wait_mean_h",
      "lead_time_mean_h", "lead_time_p50_h", "lead_time_p95_h",     "first_contact_resolution",
      "resolved_at_l1",   "handoffs_mean",   "rework_rate",         "flow_efficiency",
      "sla_attainment",   "value_gross",     "value_lost_to_delay", "downtime_cost",
      "customer_value",   "cost_total",      "net_value",           "utilisation_mean",
      "perception"};
  for (std::size_t k = 0; k < required.size(); ++k)
    EXPECT_EQ(kpi_table()[k].name, required[k]) << "position " << k;
}

TEST(Kpi, TheTerminalTableShowsTheHeadlineKpis) {
  std::vector<std::string> shown;
  for (const KpiInfo& info : kpi_table())
    if (*info.heading != '\0') shown.push_back(info.name);
  EXPECT_EQ(shown, (std::vector<std::string>{"shadow_builds", "lead_time_p50_h", "lead_time_p95_h",
                                             "sla_attainment", "value_gross", "cost_total",
                                             "net_value", "perception"}));
}

TEST(Kpi, SeriesAreDeclaredWithUnits) {
  EXPECT_STREQ(series_table()[static_cast<std::size_t>(Series::backlog)].name, "backlog");
  for (const KpiInfo& s : series_table())
    EXPECT_NE(std::string(s.unit), "");
  EXPECT_EQ(series_points(24 * 7, 24), 7u);
  EXPECT_EQ(series_points(100, 0), 0u);
}

} // namespace
} // namespace itsim::models
