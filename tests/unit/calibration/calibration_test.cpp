// SPDX-License-Identifier: Apache-2.0
// itsim calibrate: the mapping, the streaming reader's errors (row and column), the fits,
// and a synthetic export whose known rates, shares and handle times must come back.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

#include "itsim/calibration/calibrate.hpp"
#include "itsim/calibration/fit.hpp"
#include "itsim/models/org_model.hpp"
#include "itsim/scenarios/calibration_mapping.hpp"
#include "itsim/scenarios/input_error.hpp"
#include "itsim/scenarios/loader.hpp"
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
  EXPECT_EQ(s.by_weekday[0], 5u);    // Mondays: 4 March (3 tickets) and 11 March (2)
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

namespace {

scenarios::CalibrationMapping shipped(const std::string& name) {
  scenarios::Diagnostics d;
  auto m = scenarios::load_calibration_mapping(source + "/scenarios/calibration/" + name, d);
  EXPECT_TRUE(m) << d.format_all();
  return m ? *m : scenarios::CalibrationMapping{};
}

} // namespace

// Jira's layout: "Issue key", 12-hour times with month abbreviations ("05/Mar/24 11:00 PM",
// parsed by date::parse), components as groups, an empty component at the desk.
TEST(CalibrationReader, ReadsTheShippedJiraExample) {
  const auto m = shipped("jira-issues.yaml");
  EXPECT_EQ(m.columns.id, "Issue key");
  const TicketSummary s =
      read_tickets(source + "/tests/data/calibration/jira_issues.csv", m, false);
  EXPECT_EQ(s.rows, 5u);
  ASSERT_EQ(s.work_types, (std::vector<std::string>{"incident", "request"}));
  EXPECT_EQ(s.types[0].tickets, 3u); // Incident, Incident, Bug
  EXPECT_EQ(s.types[1].tickets, 2u); // Service Request, Task
  EXPECT_EQ(s.types[0].by_priority, (std::array<std::uint64_t, 4>{1, 1, 0, 1}));
  EXPECT_EQ(s.types[0].resolved, 2u); // ITSD-104 still open
  EXPECT_EQ(s.types[0].ended_at, (std::vector<std::uint64_t>{1, 1, 0}));
  EXPECT_EQ(s.types[1].ended_at, (std::vector<std::uint64_t>{2, 0, 0})); // no component: l1
  EXPECT_EQ(s.by_hour[23], 1u);                                          // 11:00 PM
  EXPECT_EQ(s.by_hour[0], 1u);                                           // 12:30 AM
  EXPECT_EQ(s.by_hour[12], 1u);                                          // 12:15 PM
  EXPECT_EQ(s.by_hour[15], 0u); // 3:20 PM is a resolution, not an opening
  ASSERT_EQ(s.types[0].lead_h[0].values().size(), 1u);
  EXPECT_NEAR(s.types[0].lead_h[0].values()[0], 2.5, 1e-9); // 11:00 PM -> 1:30 AM
  // ITSD-101 (resolved at l1 unassigned): 900 s of work.
  ASSERT_EQ(s.types[0].work_by_end[0].values().size(), 1u);
  EXPECT_NEAR(s.types[0].work_by_end[0].values()[0], 0.25, 1e-9);
}

// The event log: three incidents through the desk, one escalated to Group 70 (l2), one
// bounced l1 -> l2 -> l3 -> l2 -> l1, one still open after a lateral move inside l2, and a
// row of a ticket the table does not hold. Touch and wait per visit are worked out by
// hand from the states (29 February 2016 is a Monday; business hours 09:00-17:00).
TEST(CalibrationEvents, ReadsTheShippedEventLogExample) {
  const auto m = shipped("servicenow-event-log.yaml");
  ASSERT_TRUE(m.events.present);
  EXPECT_EQ(m.events.states.at("Awaiting User Info"), 1);
  TicketSummary s =
      read_tickets(source + "/tests/data/calibration/servicenow_event_incidents.csv", m, false);
  read_events(source + "/tests/data/calibration/servicenow_events.csv", m, false, s);
  ASSERT_TRUE(s.events);
  EXPECT_EQ(s.events->rows, 21u);
  EXPECT_EQ(s.events->unknown_tickets, 1u);
  EXPECT_EQ(s.events->open_at_end, 1u); // INC0000048 awaits its vendor
  EXPECT_EQ(s.events->tickets, 4u);
  ASSERT_EQ(s.work_types, (std::vector<std::string>{"incident"}));
  const WorkTypeStats& w = s.types[0];
  using V = std::vector<std::uint64_t>;
  EXPECT_EQ(w.moves[0], (V{0, 2, 0, 2})); // l1: two escalations, two done
  EXPECT_EQ(w.moves[1], (V{1, 0, 1, 1})); // l2: one bounce back, one on to l3, one done
  EXPECT_EQ(w.moves[2], (V{0, 1, 0, 0})); // l3: back to l2
  EXPECT_EQ(w.lateral, 1u);               // Group 24 -> Network, both l2
  auto sorted = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  using D = std::vector<double>;
  EXPECT_EQ(sorted(w.touch_by_tier[0].values()), (D{1.0, 1.0, 1.5, 13.0}));
  EXPECT_EQ(sorted(w.wait_by_tier[0].values()), (D{0, 0, 0.25, 0.5}));
  EXPECT_EQ(sorted(w.touch_by_tier[1].values()), (D{1.0, 2.0, 5.75}));
  EXPECT_EQ(sorted(w.wait_by_tier[1].values()), (D{0, 0, 19.0})); // overnight, calendar hours
  EXPECT_EQ(w.touch_by_tier[2].values(), (D{2.0}));               // 16:00-17:00 and 09:00-10:00

  // The routes take the moves, bounce-backs included.
  CalibrateOptions o;
  o.staff = {{"l1", 7}, {"l2", 6}, {"l3", 14}, {"ba", 6}, {"dev", 40}};
  o.employees = 2000;
  const Calibration c = calibrate(s, o);
  const WorkTypeFit& f = c.work_types[0];
  ASSERT_EQ(f.next_share.size(), 3u);
  EXPECT_DOUBLE_EQ(f.next_share[1][0], 1.0 / 3);
  EXPECT_DOUBLE_EQ(f.bounce_share, 2.0 / 4); // l2 -> l1 and l3 -> l2, of 4 visits above l1
  EXPECT_NE(c.yaml.find("next: {l2: 0.5, done: 0.5}   # event log: 4 visits to l1"),
            std::string::npos)
      << c.yaml;
  EXPECT_NE(c.yaml.find("next: {l1: 0.3334, l3: 0.3333, done: 0.3333}"), std::string::npos)
      << c.yaml;
  EXPECT_NE(c.yaml.find("MLE on business hours in work states per visit to l1"), std::string::npos);
  // l2's handle time comes from the log: the table's estimate and its warning are gone.
  for (const std::string& warning : c.warnings)
    EXPECT_NE(warning.rfind("incident at l2: ", 0), 0u) << warning;
  EXPECT_NE(c.yaml.find("per visit to l2 (event log"), std::string::npos);
}

TEST(CalibrationEvents, BadRowsNameTheirRowAndColumn) {
  const auto m = shipped("servicenow-event-log.yaml");
  TicketSummary base =
      read_tickets(source + "/tests/data/calibration/servicenow_event_incidents.csv", m, false);
  auto message = [&](const std::string& name, const std::string& rows) {
    TicketSummary s = base;
    try {
      read_events(
          write_file(name, "number,incident_state,sys_updated_at,assignment_group\n" + rows), m,
          false, s);
    } catch (const ScenarioError& e) {
      const std::string msg = e.what();
      return msg.substr(msg.find(name));
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("ev_state.csv", "INC0000045,Parked,29/02/2016 09:00,Service Desk\n"),
            "ev_state.csv:2:incident_state: unknown state value \"Parked\" (not in the mapping's "
            "events.states work, wait or done)");
  EXPECT_EQ(message("ev_order.csv", "INC0000045,New,29/02/2016 09:00,Service Desk\n"
                                    "INC0000045,Active,29/02/2016 08:00,Service Desk\n"),
            "ev_order.csv:3:sys_updated_at: \"29/02/2016 08:00\" is before the ticket's previous "
            "event: the log must be in time order within each ticket");
  EXPECT_EQ(message("ev_ts.csv", "INC0000045,New,2016-02-29 09:00,Service Desk\n"),
            "ev_ts.csv:2:sys_updated_at: unparsable timestamp \"2016-02-29 09:00\" (format "
            "\"%d/%m/%Y %H:%M\")");
  EXPECT_EQ(message("ev_group.csv", "INC0000045,New,29/02/2016 09:00,Group 99\n"),
            "ev_group.csv:2:assignment_group: unknown assignment group \"Group 99\" (not in the "
            "mapping's groups, and no default_pool)");
  TicketSummary s = base;
  try {
    read_events(write_file("ev_cols.csv", "number,when\nINC0000045,x\n"), m, false, s);
    ADD_FAILURE() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("ev_cols.csv:1: missing column \"sys_updated_at\" "
                                         "(events.columns.at in "),
              std::string::npos)
        << e.what();
  }
  // A mapping without events: cannot read a log.
  s = base;
  EXPECT_THROW(
      read_events(source + "/tests/data/calibration/servicenow_events.csv", mapping(), false, s),
      ScenarioError);
}

namespace {

std::string stamp_2024(double h, const char* format = "%Y-%m-%d %H:%M:%S") {
  const auto secs = static_cast<long long>(std::floor(h * 3600)) + 1704067200LL; // 2024-01-01
  const auto tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

} // namespace

// Routing with bounce-backs from a synthetic event log: every incident starts at l1; 40% go
// on to l2; at l2, 20% bounce back to l1 (which then resolves them), 30% go on to l3, the
// rest are done; l3 resolves. The ticket table cannot see the bounces; the event log's
// routes must give back the shares (0.03).
TEST(CalibrationEvents, RecoversBounceBacksFromASyntheticLog) {
  const auto m = shipped("servicenow-event-log.yaml");
  Uniform u;
  std::string tickets = "number,opened_at,resolved_at,closed_at,priority,category,"
                        "assignment_group,reassignment_count,reopen_count,resolved_by\n";
  std::string events = "number,incident_state,sys_updated_at,assignment_group\n";
  const char* groups[] = {"Service Desk", "Group 70", "Database"};
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    const double t0 = (i + u()) * 26 * 168.0 / n;
    std::vector<int> path = {0};
    if (u() < 0.4) {
      path.push_back(1);
      const double r = u();
      if (r < 0.2)
        path.push_back(0);
      else if (r < 0.5)
        path.push_back(2);
    }
    const std::string id = "INC" + std::to_string(i);
    double t = t0;
    for (std::size_t v = 0; v < path.size(); ++v) {
      events += id + ",Active," + stamp_2024(t, "%d/%m/%Y %H:%M") + "," + groups[path[v]] + "\n";
      t += 0.5 + u();
    }
    events +=
        id + ",Resolved," + stamp_2024(t, "%d/%m/%Y %H:%M") + "," + groups[path.back()] + "\n";
    tickets += id + "," + stamp_2024(t0) + "," + stamp_2024(t) + ",,3 - Moderate,x," +
               groups[path.back()] + "," + std::to_string(path.size() - 1) + ",0,r\n";
  }
  TicketSummary s = read_tickets(write_file("bounce_tickets.csv", tickets), m, false);
  read_events(write_file("bounce_events.csv", events), m, false, s);
  CalibrateOptions o;
  o.staff = {{"l1", 7}, {"l2", 6}, {"l3", 14}, {"ba", 6}, {"dev", 40}};
  o.employees = 2000;
  const Calibration c = calibrate(s, o);
  const WorkTypeFit& f = c.work_types[0];
  ASSERT_EQ(f.next_share.size(), 3u);
  // l1's visits: n first visits (40% escalated) plus the bounced-back ones (all done).
  const double back = 0.4 * 0.2;
  EXPECT_NEAR(f.next_share[0][1], 0.4 / (1 + back), 0.03);
  EXPECT_NEAR(f.next_share[1][0], 0.2, 0.03);
  EXPECT_NEAR(f.next_share[1][2], 0.3, 0.03);
  EXPECT_NEAR(f.next_share[1][3], 0.5, 0.03);
  EXPECT_NEAR(f.next_share[2][3], 1.0, 1e-12);
  EXPECT_NE(c.yaml.find("bounce-backs, event log"), std::string::npos);
}

namespace {

/// The test's own writer: the tickets of one simulated run of `scenario_text`'s passive
/// model as a ServiceNow incident export (tier = visits - 1; work = the touch time).
/// `copies` writes every ticket that many times (a doctored volume); `stretch` multiplies
/// the time from opening to resolution (a doctored lead time).
std::string simulated_export(const std::string& scenario_text, int copies, double stretch) {
  scenarios::Diagnostics d;
  const auto loaded = scenarios::load_scenario_text(scenario_text, "check.yaml", ".", {}, d);
  EXPECT_TRUE(loaded) << d.format_all();
  models::RunOptions opt;
  opt.record_items = true;
  const models::RunResult r = models::run_model(loaded->scenario, 0, 99, opt);
  const char* groups[] = {"Service Desk", "Network", "Database"};
  const char* prios[] = {"1 - Critical", "2 - High", "3 - Moderate", "4 - Low"};
  std::string text = header;
  int id = 0;
  for (const models::ItemRecord& it : r.items) {
    if (it.origin != models::ItemOrigin::demand) continue;
    const int tier = std::min(it.visits ? it.visits - 1 : 0, 2);
    const bool open = !std::isfinite(it.finished_h);
    for (int k = 0; k < copies; ++k)
      text += "INC" + std::to_string(id++) + "," + stamp_2024(it.created_h) + "," +
              (open ? "" : stamp_2024(it.created_h + stretch * (it.finished_h - it.created_h))) +
              ",," + prios[it.priority] + ",software," + groups[tier] + "," + std::to_string(tier) +
              ",0," + std::to_string(static_cast<long long>(it.touch_h * 3600)) + ",someone\n";
  }
  return text;
}

} // namespace

// --check: the fitted passive model is simulated, its tickets written as an export by the
// test's own writer, and that export calibrated again: its back-test passes (it is the
// model's own data). The same export doctored misses: every ticket twice (volumes doubled
// on the same staff, whose utilisation goes from about 0.5 to about 1), or every lead time
// tripled (the handle times stay, so the model cannot wait that long).
TEST(CalibrationCheck, PassesOnItsOwnSimulationAndMissesDoctoredExports) {
  Uniform u;
  std::string text = header;
  const int n = 200 * 26;
  const char* groups[] = {"Service Desk", "Network", "Database"};
  const double means[] = {0.2, 0.8, 3.0};
  for (int i = 0; i < n; ++i) {
    const double t = (i + u()) * 26 * 168.0 / n;
    int tier = 0;
    if (u() > 0.7) tier = u() < 0.6 ? 1 : 2;
    double work = 0;
    for (int j = 0; j <= tier; ++j)
      work += means[j] * std::exp(0.8 * u.normal() - 0.32);
    text += "INC" + std::to_string(i) + "," + stamp_2024(t) + "," + stamp_2024(t + 2 + 10 * tier) +
            ",," + (u() < 0.1 ? "2 - High" : "3 - Moderate") + ",software," + groups[tier] + "," +
            std::to_string(tier) + ",0," + std::to_string(static_cast<long long>(work * 3600)) +
            ",someone\n";
  }
  CalibrateOptions o;
  // About half busy: l1 200 x 0.2 h, l2 60 x 0.8 h, l3 24 x 3 h a week over 40 h each.
  o.staff = {{"l1", 2}, {"l2", 2}, {"l3", 3}, {"ba", 6}, {"dev", 40}};
  o.employees = 2000;
  const Calibration known =
      calibrate(read_tickets(write_file("check0.csv", text), mapping(), false), o);

  auto check = [&](const std::string& name, int copies, double stretch) {
    const TicketSummary s = read_tickets(
        write_file(name, simulated_export(known.check_yaml, copies, stretch)), mapping(), false);
    const Calibration c = calibrate(s, o);
    std::string table;
    bool ok = true;
    for (const CheckLine& l : back_test(s, c, 3)) {
      table += l.measure + ": " + std::to_string(l.exported) + " vs " +
               std::to_string(l.simulated) + (l.ok ? "" : " MISS") + "\n";
      ok = ok && l.ok;
    }
    return std::pair{ok, table};
  };
  const auto [honest, honest_table] = check("check1.csv", 1, 1);
  EXPECT_TRUE(honest) << honest_table;
  const auto [doubled, doubled_table] = check("check2.csv", 2, 1);
  EXPECT_FALSE(doubled) << doubled_table;
  const auto [stretched, stretched_table] = check("check3.csv", 1, 3);
  EXPECT_FALSE(stretched) << stretched_table;
}

TEST(CalibrationCheck, TolerancesAreTheOnesGiven) {
  Uniform u;
  std::string text = header;
  for (int i = 0; i < 2000; ++i) {
    const double t = (i + u()) * 10 * 168.0 / 2000;
    text += "INC" + std::to_string(i) + "," + stamp_2024(t) + "," + stamp_2024(t + 1 + u()) +
            ",,3 - Moderate,software,Service Desk,0,0," +
            std::to_string(static_cast<long long>(600 + 600 * u())) + ",someone\n";
  }
  const TicketSummary s = read_tickets(write_file("tol.csv", text), mapping(), false);
  CalibrateOptions o;
  o.staff = {{"l1", 3}, {"l2", 6}, {"l3", 14}, {"ba", 6}, {"dev", 40}};
  o.employees = 2000;
  const Calibration c = calibrate(s, o);
  const std::vector<CheckLine> loose = back_test(s, c, 2, {.volume = 10, .share = 1, .lead = 1000});
  const std::vector<CheckLine> tight = back_test(s, c, 2, {.volume = 0, .share = 0, .lead = 0});
  ASSERT_EQ(loose.size(), tight.size());
  for (std::size_t i = 0; i < loose.size(); ++i) {
    EXPECT_TRUE(loose[i].ok) << loose[i].measure;
    EXPECT_DOUBLE_EQ(loose[i].simulated, tight[i].simulated); // the same runs
  }
  EXPECT_EQ(loose[0].measure, "tickets a week");
  EXPECT_DOUBLE_EQ(loose[0].tolerance, 10);
  EXPECT_FALSE(tight[0].ok); // a simulated volume is never exactly the export's
}
