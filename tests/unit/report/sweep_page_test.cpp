// SPDX-License-Identifier: Apache-2.0
// The board pack of a large sweep stays small (docs/report.md): a 6,000-point sweep (its
// KPIs synthesised, its /summary, /sensitivity and /winners those of the real sweep code)
// gives a page under 5 MB whose sweep table shows the first 200 points and whose win map
// draws at most 5,000; the tornado chart and the win map are the sweep's charts, in that
// order, and the win map's axes are the two factors /sensitivity ranks first. Sizes only:
// no timing (BM_ReportSweep in bench/report_bench.cpp times it).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "itsim/analysis/summary.hpp"
#include "itsim/experiments/sweep_plan.hpp"
#include "itsim/experiments/sweep_results.hpp"
#include "itsim/models/kpi.hpp"
#include "itsim/report/charts.hpp"
#include "itsim/report/html_report.hpp"
#include "itsim/scenarios/sweep.hpp"

namespace itsim::report {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

TEST(SweepPage, ALargeSweepsPageCapsWhatItInlines) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("itsim-sweep-page-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string yaml = (dir / "sweep.yaml").string();
  std::ofstream(yaml) << "sweep: big\nscenario: " << ITSIM_SOURCE_DIR
                      << "/scenarios/midsize.yaml\nreplications: 1\nmodels: [passive, coe]\n"
                         "design: {type: lhs, samples: 6000, seed: 3}\nfactors:\n"
                         "  mechanisms.handoff.retention: {min: 0.6, max: 0.95}\n"
                         "  staff.pools.dev.headcount: {min: 40, max: 52}\n"
                         "  staff.pools.l1.headcount: {min: 6, max: 10}\n";
  scenarios::Diagnostics diags;
  const auto spec = scenarios::load_sweep(yaml, diags);
  const auto plan = spec ? experiments::plan_sweep(*spec, diags) : std::nullopt;
  fs::remove_all(dir);
  ASSERT_TRUE(plan.has_value()) << diags.format_all();
  ASSERT_EQ(plan->run_count(), 12'000U);
  // Net value: l1 headcount matters most, then retention; dev headcount not at all.
  std::vector<experiments::RunRecord> records(plan->run_count());
  for (std::uint64_t i = 0; i < records.size(); ++i) {
    const experiments::RunKey key = plan->run(i);
    const auto& levels = plan->points[key.point];
    records[i].index = i;
    records[i].kpi.fill(1.0);
    records[i].kpi[static_cast<std::size_t>(models::Kpi::net_value)] =
        1e5 * double(key.model) * (levels[0].number.value_or(0) - 0.8) +
        1e6 * levels[2].number.value_or(0) + 1e3 * double(i % 7);
  }
  ReportInput input;
  input.file = experiments::sweep_results(*plan, records, 0, 0);
  experiments::add_sweep_analysis(input.file);
  input.summary = analysis::summarize(input.file);
  input.source_name = "big.h5";

  const std::vector<ChartSpec> charts = report::charts(input);
  ASSERT_EQ(charts.size(), 2U);
  EXPECT_EQ(charts[0].id, "tornado");
  EXPECT_EQ(charts[1].id, "winmap");
  // The win map: every 2nd of the 6,000 points, over l1 headcount (x) and retention (y).
  EXPECT_EQ(count(charts[1].spec, "\"winner\":"), 3000U);
  EXPECT_NE(charts[1].spec.find("\"title\":\"staff.pools.l1.headcount\""), std::string::npos);
  EXPECT_NE(charts[1].spec.find("\"title\":\"mechanisms.handoff.retention\""), std::string::npos);
  EXPECT_NE(charts[1].caption.find("one point in 2 drawn"), std::string::npos) << charts[1].caption;

  const std::string html = render_html(input);
  EXPECT_LT(html.size(), 5'000'000U);
  // The sweep table: 200 rows of points, each with one cell per model.
  EXPECT_EQ(count(html, "data-kpi=\"net_value\""), 200U * 2);
  EXPECT_NE(html.find("data-charts-expected=\"2\""), std::string::npos);
}

} // namespace
} // namespace itsim::report
