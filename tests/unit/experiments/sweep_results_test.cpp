// SPDX-License-Identifier: Apache-2.0
// The analysis tables of a whole sweep (/sensitivity, /winners) on small hand-made runs
// whose rows can be worked out by hand, and the generic step from row structs to columns.
#include "itsim/experiments/sweep_tables.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "itsim/analysis/confidence.hpp"
#include "itsim/experiments/row_table.hpp"
#include "itsim/experiments/sweep_results.hpp"
#include "itsim/sim/error.hpp"

namespace itsim::experiments {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint8_t ok = analysis::run_status_ok;
constexpr std::uint8_t failed = analysis::run_status_failed;

template <class T> const std::vector<T>& values(const analysis::Table& t, const char* name) {
  const analysis::ItemColumn* c = t.column(name);
  EXPECT_NE(c, nullptr) << name;
  return std::get<std::vector<T>>(c->values);
}

std::string attribute(const analysis::Table& t, const std::string& key) {
  for (const auto& [k, v] : t.attributes)
    if (k == key) return v;
  return "(absent)";
}

/// Runs with two KPIs, net_value (money) and wait_h (h).
analysis::RunTable two_kpi_runs() {
  analysis::RunTable runs;
  runs.kpis = {{"net_value", "money", "net value", {}}, {"wait_h", "h", "mean wait", {}}};
  return runs;
}

void add(analysis::RunTable& runs, const std::string& model, std::uint32_t point,
         std::uint32_t replication, double net, double wait = 1.0, std::uint8_t status = ok) {
  runs.add_run(model, replication, point, 0, status, status == ok ? "" : "boom",
               std::vector<double>{net, wait});
}

// ---------------------------------------------------------------------------------------
// row_table

struct Sample {
  std::uint32_t id = 0;
  std::string name;
  double value = 0.0;
  std::uint64_t big = 0;
};

TEST(RowTable, WritesOneColumnPerMemberInTheGivenOrder) {
  const std::vector<Sample> rows = {{1, "a", 0.5, 10}, {2, "b", -1.5, 20}};
  const std::vector<RowColumn<Sample>> columns = {{"value", "h", "a value", &Sample::value},
                                                  {"id", "", "an id", &Sample::id},
                                                  {"name", "", "a name", &Sample::name},
                                                  {"big", "", "a count", &Sample::big}};
  const analysis::Table t = row_table<Sample>("sample", "two rows", {{"k", "v"}}, rows, columns);
  EXPECT_EQ(t.group, "sample");
  EXPECT_EQ(t.description, "two rows");
  ASSERT_EQ(t.attributes.size(), 1u);
  EXPECT_EQ(t.attributes[0].first, "k");
  ASSERT_EQ(t.columns.size(), 4u);
  EXPECT_EQ(t.columns[0].name, "value");
  EXPECT_EQ(t.columns[0].unit, "h");
  EXPECT_EQ(t.columns[0].description, "a value");
  EXPECT_THAT(values<double>(t, "value"), ElementsAre(0.5, -1.5));
  EXPECT_THAT(values<std::uint32_t>(t, "id"), ElementsAre(1u, 2u));
  EXPECT_THAT(values<std::string>(t, "name"), ElementsAre("a", "b"));
  EXPECT_THAT(values<std::uint64_t>(t, "big"), ElementsAre(10u, 20u));
  EXPECT_EQ(t.rows(), 2u);
}

TEST(RowTable, KeepsTheColumnTypesWithoutRows) {
  const std::vector<RowColumn<Sample>> columns = {{"id", "", "an id", &Sample::id},
                                                  {"name", "", "a name", &Sample::name}};
  const analysis::Table t = row_table<Sample>("empty", "none", {}, {}, columns);
  ASSERT_EQ(t.columns.size(), 2u);
  EXPECT_TRUE(values<std::uint32_t>(t, "id").empty());
  EXPECT_TRUE(values<std::string>(t, "name").empty());
}

// ---------------------------------------------------------------------------------------
// numeric_factors, sweep_morris_design, point_means

TEST(NumericFactors, TakesTheFactorsNumericInRunsAndPointsWithTheirPointValues) {
  analysis::RunTable runs = two_kpi_runs();
  add(runs, "A", 0, 0, 1.0);
  add(runs, "A", 1, 0, 2.0);
  runs.factors = {{"x", "p.x", "factor", "", "", std::vector<double>{0.1, 0.2}},
                  {"mode", "p.mode", "factor", "", "", std::vector<std::string>{"a", "b"}},
                  {"y", "p.y", "lever", "", "", std::vector<double>{3.0, 4.0}}};
  analysis::Table points;
  points.group = "points";
  points.columns = {{"point", "", "", std::vector<std::uint32_t>{0, 1}},
                    {"x", "", "", std::vector<double>{0.1, 0.2}},
                    {"mode", "", "", std::vector<std::string>{"a", "b"}}};
  const std::vector<NumericFactor> f = numeric_factors(runs, points);
  ASSERT_EQ(f.size(), 1u); // y is missing from /points, mode is text
  EXPECT_EQ(f[0].name, "x");
  EXPECT_EQ(f[0].key_path, "p.x");
  EXPECT_THAT(f[0].values, ElementsAre(0.1, 0.2));
}

analysis::Table morris_points(std::size_t rows, const std::string& design = "morris") {
  analysis::Table points;
  points.group = "points";
  points.attributes = {{"design", design},    {"design_seed", "11"}, {"samples", "0"},
                       {"trajectories", "3"}, {"levels", "4"},       {"constraint", ""}};
  std::vector<std::uint32_t> index(rows);
  for (std::uint32_t p = 0; p < rows; ++p)
    index[p] = p;
  points.columns = {{"point", "", "", index}};
  return points;
}

TEST(SweepMorrisDesign, RebuildsTheDesignFromThePointsAttributes) {
  const auto d = sweep_morris_design(morris_points(9), 2);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->points(), analysis::morris_design(2, 3, 11, 4).points());
  EXPECT_FALSE(sweep_morris_design(morris_points(9, "lhs"), 2).has_value());
  EXPECT_FALSE(sweep_morris_design(morris_points(9), 0).has_value());
}

TEST(SweepMorrisDesign, RejectsPointsTheDesignDidNotDraw) {
  try {
    sweep_morris_design(morris_points(8), 2);
    FAIL() << "expected ModelError";
  } catch (const ModelError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/points has 8 rows"));
    EXPECT_THAT(e.what(), HasSubstr("has 9 points"));
  }
}

TEST(PointMeans, AveragesTheOkFiniteRunsOfTheModelAtEachPoint) {
  analysis::RunTable runs = two_kpi_runs();
  add(runs, "A", 0, 0, 1.0);
  add(runs, "A", 0, 1, 2.0);
  add(runs, "A", 0, 2, 100.0, 1.0, failed); // failed: left out
  add(runs, "B", 0, 0, 50.0);               // another model
  add(runs, "A", 1, 0, nan);                // not finite: left out
  add(runs, "A", 1, 1, 4.0);
  add(runs, "A", 2, 0, 7.0, 1.0, failed); // no ok run at point 2
  const auto m = point_means(runs, "A", runs.kpis[0].values, 3);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0], 1.5);
  EXPECT_EQ(m[1], 4.0);
  EXPECT_TRUE(std::isnan(m[2]));
}

// ---------------------------------------------------------------------------------------
// winner_rows

// Two models, four points, net values by replication:
//   point 0: A 12, 12.5, 13 (mean 12.5)   B 10, 10, 10 (mean 10)   A by 2.5, diffs sd 0.5
//   point 1: A 5, 5, 5                    B 6, 8, 7 (mean 7)       B by 2, diffs sd 1
//   point 2: A 20 (reps 1, 2 failed)      B 3, 4, 5                A, one pair: 20 - 3
//   point 3: no runs
TEST(WinnerRows, NamesTheBestModelPerPointAndItsPairedMargin) {
  analysis::RunTable runs = two_kpi_runs();
  const double a[3][3] = {{12, 12.5, 13}, {5, 5, 5}, {20, 0, 0}};
  const double b[3][3] = {{10, 10, 10}, {6, 8, 7}, {3, 4, 5}};
  for (std::uint32_t p = 0; p < 3; ++p) {
    for (std::uint32_t r = 0; r < 3; ++r)
      add(runs, "A", p, r, a[p][r], 1.0, p == 2 && r > 0 ? failed : ok);
    for (std::uint32_t r = 0; r < 3; ++r)
      add(runs, "B", p, r, b[p][r]);
  }
  const std::vector<std::string> models = {"A", "B"};
  const auto rows = winner_rows(runs, models, runs.kpis[0].values, 4);
  ASSERT_EQ(rows.size(), 4u);
  const double t2 = analysis::student_t_quantile(0.975, 2.0); // 4.3027
  // Point 0: diffs 2, 2.5, 3: mean 2.5, sd 0.5; the CI [2.5 -+ t 0.5 / sqrt 3] excludes 0.
  EXPECT_EQ(rows[0].point, 0u);
  EXPECT_EQ(rows[0].best_model, "A");
  EXPECT_EQ(rows[0].best_value, 12.5);
  EXPECT_EQ(rows[0].runner_up, "B");
  EXPECT_EQ(rows[0].runner_up_value, 10.0);
  EXPECT_DOUBLE_EQ(rows[0].margin, 2.5);
  EXPECT_DOUBLE_EQ(rows[0].margin_ci, t2 * 0.5 / std::sqrt(3.0));
  EXPECT_EQ(rows[0].significant, 1u);
  EXPECT_EQ(rows[0].pairs, 3u);
  // Point 1: diffs 1, 3, 2: mean 2, sd 1; half-width 2.48 > 2, not significant.
  EXPECT_EQ(rows[1].best_model, "B");
  EXPECT_EQ(rows[1].best_value, 7.0);
  EXPECT_EQ(rows[1].runner_up, "A");
  EXPECT_DOUBLE_EQ(rows[1].margin, 2.0);
  EXPECT_DOUBLE_EQ(rows[1].margin_ci, t2 / std::sqrt(3.0));
  EXPECT_EQ(rows[1].significant, 0u);
  // Point 2: A's only ok run pairs with B's replication 0: a margin without an interval.
  EXPECT_EQ(rows[2].best_model, "A");
  EXPECT_EQ(rows[2].best_value, 20.0);
  EXPECT_EQ(rows[2].runner_up_value, 4.0);
  EXPECT_EQ(rows[2].margin, 17.0);
  EXPECT_TRUE(std::isnan(rows[2].margin_ci));
  EXPECT_EQ(rows[2].pairs, 1u);
  EXPECT_EQ(rows[2].significant, 0u);
  // Point 3: nobody ran.
  EXPECT_EQ(rows[3].point, 3u);
  EXPECT_EQ(rows[3].best_model, "");
  EXPECT_TRUE(std::isnan(rows[3].best_value));
  EXPECT_EQ(rows[3].runner_up, "");
  EXPECT_TRUE(std::isnan(rows[3].margin));
  EXPECT_EQ(rows[3].pairs, 0u);
}

TEST(WinnerRows, BreaksTiesByModelOrderAndNeedsTwoModelsForAMargin) {
  analysis::RunTable runs = two_kpi_runs();
  add(runs, "B", 0, 0, 3.0);
  add(runs, "A", 0, 0, 3.0);
  add(runs, "C", 1, 0, 1.0);
  const std::vector<std::string> models = {"A", "B", "C"};
  const auto rows = winner_rows(runs, models, runs.kpis[0].values, 2);
  EXPECT_EQ(rows[0].best_model, "A");
  EXPECT_EQ(rows[0].runner_up, "B");
  EXPECT_EQ(rows[0].margin, 0.0);
  EXPECT_EQ(rows[1].best_model, "C");
  EXPECT_EQ(rows[1].runner_up, "");
  EXPECT_TRUE(std::isnan(rows[1].margin));
}

TEST(WinnersTable, HasTheDocumentedColumnsInTheKpisUnit) {
  WinnerRow r;
  r.point = 4;
  r.best_model = "A";
  r.best_value = 2.0;
  r.significant = 1;
  const std::vector<WinnerRow> rows = {r};
  const analysis::Table t = winners_table(rows, "money");
  EXPECT_EQ(t.group, "winners");
  std::vector<std::string> names;
  for (const auto& c : t.columns)
    names.push_back(c.name);
  EXPECT_THAT(names,
              ElementsAre("point", "best_model", "best_net_value", "runner_up",
                          "runner_up_net_value", "margin", "margin_ci", "significant", "pairs"));
  EXPECT_EQ(t.column("best_net_value")->unit, "money");
  EXPECT_EQ(t.column("margin_ci")->unit, "money");
  EXPECT_EQ(t.column("pairs")->unit, "");
  EXPECT_THAT(values<std::uint32_t>(t, "point"), ElementsAre(4u));
  EXPECT_THAT(values<std::uint32_t>(t, "significant"), ElementsAre(1u));
  EXPECT_EQ(attribute(t, "kpi"), "net_value");
}

// ---------------------------------------------------------------------------------------
// sensitivity_rows

// A 2 x 2 factorial over x1, x2 in {0, 1} (points 0..3: (0,0) (0,1) (1,0) (1,1)), two
// replications per point at mean +- 1:
//   model A: net value 1 + 2 x1 + 4 x2 = 1, 5, 3, 7: s(x) = sqrt(1/3), s(y) = sqrt(20/3), so
//            SRC = 2 / sqrt(20), 4 / sqrt(20) and R^2 = 1; the ranks are additive too
//            (1, 3, 2, 4), so SRRC is the same; x2 ranks first.
//   model B: net value 10 - 3 x1 = 10, 10, 7, 7: SRC = -1 for x1, 0 for x2.
//   wait_h is constant: no measures, ranks in factor order.
struct Factorial {
  analysis::RunTable runs = two_kpi_runs();
  std::vector<NumericFactor> factors = {{"x1", "p.x1", {0, 0, 1, 1}}, {"x2", "p.x2", {0, 1, 0, 1}}};
  std::vector<std::string> models = {"A", "B"};

  Factorial() {
    for (std::uint32_t p = 0; p < 4; ++p) {
      const double x1 = factors[0].values[p];
      const double x2 = factors[1].values[p];
      for (std::uint32_t r = 0; r < 2; ++r)
        add(runs, "A", p, r, 1 + 2 * x1 + 4 * x2 + (r == 0 ? -1 : 1), 3.0);
      add(runs, "A", p, 2, 1e6, 3.0, failed); // ignored
      for (std::uint32_t r = 0; r < 2; ++r)
        add(runs, "B", p, r, 10 - 3 * x1 + (r == 0 ? -1 : 1), 3.0);
    }
  }
};

TEST(SensitivityRows, RecoverTheCoefficientsOfALinearResponse) {
  const Factorial f;
  const auto rows = sensitivity_rows(f.runs, f.models, f.factors, 4, nullptr);
  ASSERT_EQ(rows.size(), 8u); // 2 models x 2 KPIs x 2 factors
  // Order: model, then KPI, then factor.
  const auto& a1 = rows[0];
  const auto& a2 = rows[1];
  EXPECT_EQ(a1.model, "A");
  EXPECT_EQ(a1.kpi, "net_value");
  EXPECT_EQ(a1.factor, "x1");
  EXPECT_EQ(a1.key_path, "p.x1");
  EXPECT_EQ(a2.factor, "x2");
  EXPECT_NEAR(a1.src, 2 / std::sqrt(20.0), 1e-12);
  EXPECT_NEAR(a2.src, 4 / std::sqrt(20.0), 1e-12);
  EXPECT_NEAR(a1.srrc, 2 / std::sqrt(20.0), 1e-12);
  EXPECT_NEAR(a2.srrc, 4 / std::sqrt(20.0), 1e-12);
  EXPECT_NEAR(a1.src_ci, 0.0, 1e-6); // a perfect fit
  EXPECT_NEAR(a1.r2, 1.0, 1e-12);
  EXPECT_EQ(a1.r2, a2.r2);
  EXPECT_NEAR(a1.r2_rank, 1.0, 1e-12);
  EXPECT_EQ(a1.rank, 2u);
  EXPECT_EQ(a2.rank, 1u);
  EXPECT_TRUE(std::isnan(a1.morris_mu));
  EXPECT_TRUE(std::isnan(a1.morris_mu_star));
  EXPECT_TRUE(std::isnan(a1.morris_sigma));
  EXPECT_EQ(a1.regression_left_out, "");
  EXPECT_EQ(a1.morris_left_out, "");

  // A constant KPI: the measures are NaN but nothing is "left out".
  EXPECT_EQ(rows[2].kpi, "wait_h");
  EXPECT_TRUE(std::isnan(rows[2].src));
  EXPECT_TRUE(std::isnan(rows[2].r2));
  EXPECT_EQ(rows[2].rank, 1u);
  EXPECT_EQ(rows[3].rank, 2u);
  EXPECT_EQ(rows[2].regression_left_out, "");

  const auto& b1 = rows[4];
  const auto& b2 = rows[5];
  EXPECT_EQ(b1.model, "B");
  EXPECT_NEAR(b1.src, -1.0, 1e-12);
  EXPECT_NEAR(b2.src, 0.0, 1e-12);
  EXPECT_EQ(b1.rank, 1u);
  EXPECT_EQ(b2.rank, 2u);
}

TEST(SensitivityRows, LeaveTheRegressionOutWhenTooFewPointsHaveResults) {
  Factorial f;
  // Every run of B at point 3 fails: 3 points for 2 factors leave no residual freedom.
  for (std::size_t i = 0; i < f.runs.size(); ++i)
    if (f.runs.model[i] == "B" && f.runs.point[i] == 3) f.runs.status[i] = failed;
  const auto rows = sensitivity_rows(f.runs, f.models, f.factors, 4, nullptr);
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_EQ(rows[0].regression_left_out, ""); // A is fine
  for (std::size_t i = 4; i < 8; ++i) {
    EXPECT_TRUE(std::isnan(rows[i].src)) << i;
    EXPECT_TRUE(std::isnan(rows[i].srrc_ci)) << i;
    EXPECT_TRUE(std::isnan(rows[i].r2)) << i;
    EXPECT_THAT(rows[i].regression_left_out, HasSubstr("got n = 3 rows for k = 2")) << i;
  }
  const analysis::Table t = sensitivity_table(rows);
  EXPECT_THAT(attribute(t, "regression_left_out"),
              HasSubstr("varying factors (of 2) (2 model-KPI pairs)"));
  EXPECT_EQ(attribute(t, "morris_left_out"), "(absent)");
}

TEST(SensitivityRows, LeaveTheRegressionOutForCollinearFactors) {
  Factorial f;
  f.factors[1].values = {0, 0, 2, 2}; // x2 = 2 x1, as a zip design in lockstep would
  const auto rows = sensitivity_rows(f.runs, f.models, f.factors, 4, nullptr);
  EXPECT_TRUE(std::isnan(rows[0].src));
  EXPECT_THAT(rows[0].regression_left_out, HasSubstr("collinear"));
  // The constant wait_h stops before the collinearity check (its measures are NaN with no
  // reason to give): only net value, of both models, is left out.
  EXPECT_EQ(rows[2].regression_left_out, "");
  const analysis::Table t = sensitivity_table(rows);
  EXPECT_THAT(attribute(t, "regression_left_out"), HasSubstr("collinear"));
  EXPECT_THAT(attribute(t, "regression_left_out"), HasSubstr("(2 model-KPI pairs)"));
}

TEST(SensitivityRows, UseTheMorrisMeasuresOfALinearResponse) {
  // y = 5 + 2 u0 - 3 u1 on a Morris design in the unit cube: every elementary effect of u0
  // is 2 and of u1 is -3, so mu = 2, -3, mu* = 2, 3, sigma = 0, and u1 ranks first.
  const analysis::MorrisDesign d = analysis::morris_design(2, 3, 11, 4);
  const auto pts = d.points();
  analysis::RunTable runs = two_kpi_runs();
  std::vector<NumericFactor> factors = {{"u0", "p.u0", {}}, {"u1", "p.u1", {}}};
  for (std::uint32_t p = 0; p < pts.size(); ++p) {
    factors[0].values.push_back(pts[p][0]);
    factors[1].values.push_back(pts[p][1]);
    add(runs, "A", p, 0, 5 + 2 * pts[p][0] - 3 * pts[p][1]);
  }
  const std::vector<std::string> models = {"A"};
  const auto rows = sensitivity_rows(runs, models, factors, pts.size(), &d);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_NEAR(rows[0].morris_mu, 2.0, 1e-12);
  EXPECT_NEAR(rows[0].morris_mu_star, 2.0, 1e-12);
  EXPECT_NEAR(rows[0].morris_sigma, 0.0, 1e-12);
  EXPECT_NEAR(rows[1].morris_mu, -3.0, 1e-12);
  EXPECT_NEAR(rows[1].morris_mu_star, 3.0, 1e-12);
  EXPECT_EQ(rows[0].rank, 2u);
  EXPECT_EQ(rows[1].rank, 1u);
  EXPECT_EQ(rows[0].morris_left_out, "");
  EXPECT_NEAR(rows[0].r2, 1.0, 1e-12); // the regression holds for Morris points too

  // Without the run at point 4 the design has a hole: no Morris measures, and a reason.
  analysis::RunTable holed = runs;
  holed.status[4] = failed;
  const auto h = sensitivity_rows(holed, models, factors, pts.size(), &d);
  EXPECT_TRUE(std::isnan(h[0].morris_mu));
  EXPECT_TRUE(std::isnan(h[1].morris_mu_star));
  EXPECT_THAT(h[0].morris_left_out, HasSubstr("point 4 has no ok run"));
  EXPECT_FALSE(std::isnan(h[0].src)); // the other 8 points still support the regression
  EXPECT_THAT(attribute(sensitivity_table(h), "morris_left_out"),
              HasSubstr("point 4 has no ok run with a finite value (Morris needs all) (2 "
                        "model-KPI pairs)"));

  // A design that does not match the points is a caller's error.
  EXPECT_THROW(sensitivity_rows(runs, models, factors, pts.size() - 1, &d), ModelError);
}

TEST(SensitivityRows, AreNoneWithoutNumericFactors) {
  const Factorial f;
  EXPECT_TRUE(sensitivity_rows(f.runs, f.models, {}, 4, nullptr).empty());
}

TEST(SensitivityTable, HasTheDocumentedColumnsAndNoLeftOutAttributesWhenAllIsComputed) {
  const Factorial f;
  const auto rows = sensitivity_rows(f.runs, f.models, f.factors, 4, nullptr);
  const analysis::Table t = sensitivity_table(rows);
  EXPECT_EQ(t.group, "sensitivity");
  std::vector<std::string> names;
  for (const auto& c : t.columns)
    names.push_back(c.name);
  EXPECT_THAT(names,
              ElementsAre("model", "kpi", "factor", "key_path", "src", "src_ci", "srrc", "srrc_ci",
                          "r2", "r2_rank", "morris_mu", "morris_mu_star", "morris_sigma", "rank"));
  EXPECT_EQ(t.rows(), 8u);
  EXPECT_THAT(values<std::uint32_t>(t, "rank"), ElementsAre(2u, 1u, 1u, 2u, 1u, 2u, 1u, 2u));
  std::vector<std::string> keys;
  for (const auto& [k, v] : t.attributes)
    keys.push_back(k);
  EXPECT_THAT(keys, ElementsAre("confidence_level", "response", "morris_effects"));
}

// ---------------------------------------------------------------------------------------
// add_sweep_analysis

TEST(AddSweepAnalysis, AppendsSensitivityAndWinnersFromRunsAndPoints) {
  const Factorial f;
  analysis::ResultsFile file;
  file.models = f.models;
  file.runs = f.runs;
  std::vector<double> x1, x2;
  for (std::size_t i = 0; i < file.runs.size(); ++i) {
    x1.push_back(f.factors[0].values[file.runs.point[i]]);
    x2.push_back(f.factors[1].values[file.runs.point[i]]);
  }
  file.runs.factors = {{"x1", "p.x1", "factor", "", "", x1}, {"x2", "p.x2", "factor", "", "", x2}};
  analysis::Table points;
  points.group = "points";
  points.attributes = {{"design", "grid"}};
  points.columns = {{"point", "", "", std::vector<std::uint32_t>{0, 1, 2, 3}},
                    {"x1", "", "", f.factors[0].values},
                    {"x2", "", "", f.factors[1].values}};
  file.tables.push_back(points);
  add_sweep_analysis(file);
  ASSERT_EQ(file.tables.size(), 3u);
  EXPECT_EQ(file.tables[1].group, "sensitivity");
  EXPECT_EQ(file.tables[1].rows(), 8u);
  EXPECT_NEAR(values<double>(file.tables[1], "src")[1], 4 / std::sqrt(20.0), 1e-12);
  EXPECT_EQ(file.tables[2].group, "winners");
  // B's 10, 10, 7 beat A's 1, 5, 3 at the first three points; at (1,1) both have 7 and
  // the tie goes to A, the first model.
  EXPECT_THAT(values<std::string>(file.tables[2], "best_model"), ElementsAre("B", "B", "B", "A"));
  EXPECT_EQ(file.tables[2].column("margin")->unit, "money");

  analysis::ResultsFile bare;
  EXPECT_THROW(add_sweep_analysis(bare), ModelError);
}

} // namespace
} // namespace itsim::experiments
