// SPDX-License-Identifier: Apache-2.0
// itsim calibrate: the mapping, the streaming reader's errors (row and column), the fits,
// and a synthetic export whose known rates, shares and handle times must come back.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "itsim/calibration/calibrate.hpp"
#include "itsim/calibration/fit.hpp"
#include "itsim/scenarios/calibration_mapping.hpp"
#include "itsim/scenarios/input_error.hpp"
#include "itsim/sim/error.hpp"

namespace fs = std::filesystem;
using namespace itsim;
using namespace itsim::calibration;

namespace {

const std::string source = ITSIM_SOURCE_DIR;
const std::string mapping_path = source + "/scenarios/calibration/servicenow-incident.yaml";

scenarios::CalibrationMapping mapping() {
  scenarios::Diagnostics d;
  auto m = scenarios::load_calibration_mapping(mapping_path, d);
  EXPECT_TRUE(m) << d.format_all();
  return *m;
}

/// A fixed uniform stream for the synthetic exports (splitmix64).
struct Uniform {
  std::uint64_t s = 12345;
  double operator()() {
    s += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (static_cast<double>(z >> 11) + 0.5) / 9007199254740992.0;
  }
  double normal() { return std::sqrt(-2 * std::log((*this)())) * std::cos(2 * M_PI * (*this)()); }
};

std::string write_file(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / ("itsim_calib_" + name);
  std::ofstream(p, std::ios::binary) << text;
  return p.string();
}

const std::string header = "number,opened_at,resolved_at,closed_at,priority,category,"
                           "assignment_group,reassignment_count,reopen_count,time_worked,"
                           "resolved_by\n";
const std::string good_row = "INC1,2024-03-04 09:12:00,2024-03-04 09:40:00,,3 - Moderate,"
                             "software,Service Desk,0,0,900,alice\n";

/// The error message read_tickets throws for `rows` after the header.
std::string error_of(const std::string& name, const std::string& rows) {
  const std::string path = write_file(name, header + rows);
  try {
    read_tickets(path, mapping(), false);
  } catch (const ScenarioError& e) {
    const std::string msg = e.what();
    return msg.substr(msg.find(name));
  }
  return "no error";
}

} // namespace

TEST(CalibrationFit, RecoversLognormalParametersAndPrefersItByAic) {
  Uniform u;
  std::vector<double> x;
  for (int i = 0; i < 5000; ++i)
    x.push_back(std::exp(std::log(0.2) + 0.8 * u.normal()));
  const ServiceFit f = fit_service_time(x);
  EXPECT_EQ(f.chosen().family, Family::lognormal);
  EXPECT_NEAR(f.fits[0].p1, std::log(0.2), 0.03); // mu: SE 0.8/sqrt(5000) = 0.011
  EXPECT_NEAR(f.fits[0].p2, 0.8, 0.03);
  EXPECT_NEAR(f.chosen().mean, 0.2 * std::exp(0.32), 0.01);
}

TEST(CalibrationFit, PrefersWeibullForWeibullData) {
  Uniform u;
  std::vector<double> x;
  // Inverse CDF: scale (-ln U)^(1/k), k = 2.5, scale 3 h.
  for (int i = 0; i < 5000; ++i)
    x.push_back(3 * std::pow(-std::log(u()), 1 / 2.5));
  const ServiceFit f = fit_service_time(x);
  EXPECT_EQ(f.chosen().family, Family::weibull);
  EXPECT_NEAR(f.fits[2].p1, 2.5, 0.1);
  EXPECT_NEAR(f.fits[2].p2, 3, 0.05);
  EXPECT_NEAR(f.fits[1].p1, 1 / (0.4 * 0.4) * 1.0, 2.5); // gamma shape near 1/cv^2 (cv 0.44)
}

TEST(CalibrationFit, RefusesFewerThanTwoDistinctValues) {
  EXPECT_THROW(fit_service_time({1.0, 1.0, -2.0}), Error);
}

TEST(CalibrationMapping, ShippedServiceNowMappingParses) {
  const auto m = mapping();
  EXPECT_EQ(m.columns.opened, "opened_at");
  EXPECT_EQ(m.priorities.at("1 - Critical"), 0);
  EXPECT_EQ(m.tiers, (std::vector<std::string>{"l1", "l2", "l3"}));
  EXPECT_NEAR(m.work_time_unit_h, 1.0 / 3600, 1e-12);
}

TEST(CalibrationMapping, ErrorsAreLocatedAtFileLineColumn) {
  const std::string path =
      write_file("bad_mapping.yaml", "columns:\n  id: number\n  openned: opened_at\n"
                                     "priorities: {\"1\": p5}\ngroups: {SD: l1}\n");
  scenarios::Diagnostics d;
  EXPECT_FALSE(scenarios::load_calibration_mapping(path, d));
  const std::string all = d.format_all();
  EXPECT_NE(all.find(path + ":3:3: columns.openned: unknown key \"openned\"; did you mean "
                            "\"opened\"?"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find(path + ":4:19: priorities.1: expected one of p1, p2, p3, p4, got \"p5\""),
            std::string::npos)
      << all;
  EXPECT_NE(all.find(path + ":2:3: columns.opened: missing"), std::string::npos) << all;
}

TEST(CalibrationReader, ReadsTheShippedServiceNowExample) {
  const TicketSummary s =
      read_tickets(source + "/tests/data/calibration/servicenow_incident.csv", mapping(), false);
  EXPECT_EQ(s.rows, 12u);
  ASSERT_EQ(s.work_types, (std::vector<std::string>{"incident", "request"}));
  EXPECT_EQ(s.types[0].tickets, 9u);
  EXPECT_EQ(s.types[1].tickets, 3u);
  EXPECT_EQ(s.types[1].resolved, 2u); // one request still open
  EXPECT_EQ(s.types[0].ended_at, (std::vector<std::uint64_t>{5, 3, 1}));
  EXPECT_EQ(s.types[0].bounced, 1u); // INC0010012: 3 reassignments to reach l2
  EXPECT_EQ(s.by_weekday[0], 5u); // Mondays: 4 March (3 tickets) and 11 March (2)
}

TEST(CalibrationReader, EachBadValueNamesItsRowAndColumn) {
  EXPECT_EQ(error_of("ts.csv",
                     good_row + "INC2,31/02/2024 25:00,,,3 - Moderate,x,Service Desk,0,0,1,a\n"),
            "ts.csv:3:opened_at: unparsable timestamp \"31/02/2024 25:00\" (format \"%Y-%m-%d "
            "%H:%M:%S\")");
  EXPECT_EQ(error_of("dup.csv", good_row + good_row),
            "dup.csv:3:number: duplicate ticket id \"INC1\" (first at row 2)");
  EXPECT_EQ(error_of("order.csv", "INC3,2024-03-04 09:12:00,2024-03-04 08:00:00,,3 - Moderate,"
                                  "x,Service Desk,0,0,1,a\n"),
            "order.csv:2:resolved_at: resolved \"2024-03-04 08:00:00\" before it was opened "
            "\"2024-03-04 09:12:00\"");
  EXPECT_EQ(error_of("prio.csv", "INC4,2024-03-04 09:12:00,,,Urgent,x,Service Desk,0,0,1,a\n"),
            "prio.csv:2:priority: unknown priority value \"Urgent\" (not in the mapping's "
            "priorities)");
  EXPECT_EQ(error_of("fields.csv", "INC5,2024-03-04 09:12:00\n"),
            "fields.csv:2: expected 11 fields as in the header, got 2");
}

TEST(CalibrationReader, FileLevelProblems) {
  auto message = [](const std::string& name, const std::string& text) {
    try {
      read_tickets(write_file(name, text), mapping(), false);
    } catch (const ScenarioError& e) {
      const std::string msg = e.what();
      return msg.substr(msg.find(name));
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("empty.csv", ""),
            "empty.csv:empty file: expected a header row and one ticket a row");
  EXPECT_EQ(message("header.csv", header), "header.csv:no tickets after the header (row 1)");
  EXPECT_EQ(message("nul.csv", std::string("a,b\n\0\x01\x02", 7)),
            "nul.csv:1: not CSV text: contains a NUL byte");
  EXPECT_NE(message("cols.csv", "number,opened\nINC1,2024\n")
                .find("cols.csv:1: missing column \"opened_at\" (columns.opened in "),
            std::string::npos);
  EXPECT_NE(
      message("quotes.csv", header + "INC1,\"2024\"x,,,,,,,,,\n").find("quotes.csv:2: not CSV"),
      std::string::npos);
  EXPECT_THROW(read_tickets("/nonexistent/tickets.csv", mapping(), false), scenarios::InputError);
}

TEST(CalibrationReader, SkipBadRowsCountsThem) {
  const std::string path = write_file(
      "skip.csv", header + good_row + "INC2,nonsense,,,3 - Moderate,x,Service Desk,0,0,1,a\n" +
                      "INC3,2024-03-05 10:00:00,,,Urgent,x,Service Desk,0,0,1,a\n");
  const TicketSummary s = read_tickets(path, mapping(), true);
  EXPECT_EQ(s.rows, 3u);
  EXPECT_EQ(s.skipped, 2u);
  ASSERT_EQ(s.skip_messages.size(), 2u);
  EXPECT_NE(s.skip_messages[0].find("skip.csv:3:opened_at: unparsable timestamp"),
            std::string::npos);
}

// A synthetic export with known inputs: incidents at 200 a week for 52 weeks, 70% resolved
// at L1, 60% of the rest at L2; work per visit lognormal with means 0.2 h (L1), 0.8 h (L2)
// and 3 h (L3), recorded as the ticket's total. The calibration must give them back:
// rates within 5%, shares within 0.03, mean work within 10%.
TEST(CalibrationRoundTrip, RecoversRatesSharesAndWorkOfAKnownExport) {
  Uniform u;
  std::string text = header;
  const double weeks = 52;
  const int n = 200 * 52;
  const char* groups[] = {"Service Desk", "Network", "Database"};
  const double means[] = {0.2, 0.8, 3.0};
  const double sigma = 0.8; // lognormal, cv = sqrt(exp(0.64) - 1) = 0.947
  for (int i = 0; i < n; ++i) {
    const double t = (i + u()) * weeks * 168 / n; // hours from Monday 1 January 2024
    int tier = 0;
    if (u() > 0.7) tier = u() < 0.6 ? 1 : 2;
    double work = 0;
    for (int j = 0; j <= tier; ++j)
      work += means[j] * std::exp(sigma * u.normal() - sigma * sigma / 2);
    auto stamp = [](double h) {
      const auto secs = static_cast<long long>(h * 3600) + 1704067200LL; // 2024-01-01 UTC
      const std::time_t tt = static_cast<std::time_t>(secs);
      std::tm tm{};
      gmtime_r(&tt, &tm);
      char buf[32];
      std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
      return std::string(buf);
    };
    text += "INC" + std::to_string(i) + "," + stamp(t) + "," + stamp(t + 2 + 10 * tier) + ",," +
            (u() < 0.1 ? "2 - High" : "3 - Moderate") + ",software," + groups[tier] + "," +
            std::to_string(tier) + ",0," + std::to_string(static_cast<long long>(work * 3600)) +
            ",someone\n";
  }
  const TicketSummary s = read_tickets(write_file("roundtrip.csv", text), mapping(), false);
  CalibrateOptions o;
  o.staff = {{"l1", 7}, {"l2", 6}, {"l3", 14}, {"ba", 6}, {"dev", 40}};
  o.employees = 2000;
  const Calibration c = calibrate(s, o);
  ASSERT_EQ(c.work_types.size(), 1u);
  const WorkTypeFit& f = c.work_types[0];
  EXPECT_NEAR(f.rate_per_week, 200, 200 * 0.05);
  EXPECT_NEAR(f.next_done[0], 0.7, 0.03);
  EXPECT_NEAR(f.next_done[1], 0.6, 0.03);
  EXPECT_NEAR(f.priority_mix[1], 0.1, 0.03);
  for (int j = 0; j < 3; ++j)
    EXPECT_NEAR(f.tiers[static_cast<std::size_t>(j)].mean_h, means[j], 0.1 * means[j]) << j;
  EXPECT_EQ(f.tiers[0].fit->chosen().family, Family::lognormal);
  EXPECT_FALSE(c.growth_used); // flat demand: no trend written
  EXPECT_NE(c.yaml.find("preset: coe"), std::string::npos);
}
