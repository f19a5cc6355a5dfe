// SPDX-License-Identifier: Apache-2.0
// The mechanisms MODEL.md lists as coming later, through models::run_model, against hand
// calculations: small scenarios in the real format, loaded by the real loader; direction
// AND size, through 99% confidence intervals over replications where chance is involved
// and exactly otherwise (docs/models.md states every equation).
//
//   customer contact M11: the contact share s of c people leaves c (1 - s) for the work;
//                    opportunities and direct contacts arrive at their rate x the contact
//                    person-hours (c s 40/168 an hour); direct contacts load the contacted
//                    pool by their work; opportunities carry value x value_factor, counted
//                    as customer value; share 0 is neutral
//   providers       M12: a provider's stage has no wait, takes the contract's time (its
//                    mean), counts one more handoff, and costs price x tickets exactly,
//                    in cost_total and not in it_cost
//   chargeback      M13: a share f = elasticity x price / effort cost of the changes is
//                    forgone, and build_share + shadow_boost of those are built in the
//                    shadow; price 0 is neutral
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "itsim/models/org_model.hpp"
#include "replications.hpp"

namespace itsim::validation {
namespace {

using models::Kpi;
using models::RunResult;
using scenarios::Scenario;

constexpr double hours_per_week = 168;
constexpr double paid_share = 40.0 / hours_per_week;

// ---- external-customer contact (M11) -----------------------------------------------------------

// Ten developers (24/7, no knowledge penalty) serve requests of exponential work, mean 1 h,
// at 0.5 an hour. In `contact` they spend a quarter of their paid time with customers:
// 10 x 0.25 x 40/168 = 0.595 contact person-hours an hour, which bring 0.05 opportunities
// (enhancements of 2 h, value 100 a week x 2) and 0.5 direct contacts (incidents of 1 h,
// served by the developers, not the desk) per contact person-hour. `plain` has no contact.
const char* const contact_yaml = R"(
name: customer_contact
description: Developers who spend a quarter of their time with customers
horizon: 20000h
organisation:
  units:
    shop: {headcount: 300, customer_facing: true}
    office: {headcount: 100}
demand:
  work_types:
    ticket:
      kind: request
      rate: 0.5/h
      follows_profile: false
      effort: {dist: exponential, mean: 1h}
    call:
      kind: incident
      rate: 0/h
      effort: 1h
    idea:
      kind: enhancement
      rate: 0/h
      effort: 2h
      value: 100
      value_life: 1y
staff:
  pools:
    desk: {headcount: 2, calendar: always, first_line: true}
    dev: {headcount: 10, calendar: always}
models:
  contact:
    routes:
      ticket: {stages: {work: {pool: dev}}}
      call: {stages: {desk: {pool: desk}}}
      idea: {stages: {build: {pool: dev}}}
    customer_contact:
      resources: [dev]
      share: 0.25
      opportunity_rate: 0.05
      opportunity_work_type: idea
      value_factor: 2
      direct_contact_rate: 0.5
      contact_work_type: call
  plain:
    routes:
      ticket: {stages: {work: {pool: dev}}}
      call: {stages: {desk: {pool: desk}}}
      idea: {stages: {build: {pool: dev}}}
)";

constexpr double contact_horizon_h = 20000;
constexpr double contact_person_h = 10 * 0.25 * paid_share; // per calendar hour

TEST(CustomerContact, TakesTheShareOfCapacityAndLoadsThePoolWithDirectContacts) {
  const Scenario s = load(contact_yaml, "contact.yaml");
  const std::uint32_t contact = model_index(s, "contact");
  const std::uint32_t plain = model_index(s, "plain");
  const std::size_t dev = resource_index(s, contact, "dev");
  const std::size_t desk = resource_index(s, contact, "desk");
  // c (1 - s) = 7.5 people for the work.
  EXPECT_DOUBLE_EQ(s.models[contact].resources[dev].availability, 0.75);
  const auto runs = run_all(s, {contact, plain}, 30);
  // Offered work an hour: requests 0.5 x 1 h, contacts 0.5 x 0.595 x 1 h, opportunities
  // 0.05 x 0.595 x 2 h, over 7.5 people; without contact 0.5 h over 10.
  const double contacts_per_h = 0.5 * contact_person_h;
  const double opportunities_per_h = 0.05 * contact_person_h;
  const double util = (0.5 + contacts_per_h * 1 + opportunities_per_h * 2) / 7.5;
  const auto dev_util = [dev](const RunResult& r) { return r.resources[dev].utilisation; };
  show("dev utilisation with contact", ci99(each(runs[0], dev_util)), util);
  EXPECT_TRUE(covers(ci99(each(runs[0], dev_util)), util, 0.003));
  EXPECT_TRUE(covers(ci99(each(runs[1], dev_util)), 0.05, 0.003));
  // Direct contacts bypass the desk: it serves none of them.
  for (const RunResult& r : runs[0])
    EXPECT_EQ(r.resources[desk].served, 0U);

  const auto contacts = ci99(each(runs[0], Kpi::direct_contacts));
  show("direct contacts", contacts, contacts_per_h * contact_horizon_h);
  EXPECT_TRUE(covers(contacts, contacts_per_h * contact_horizon_h, 60));
  const auto opportunities = ci99(each(runs[0], Kpi::customer_opportunities));
  show("customer opportunities", opportunities, opportunities_per_h * contact_horizon_h);
  EXPECT_TRUE(covers(opportunities, opportunities_per_h * contact_horizon_h, 15));
  for (const RunResult& r : runs[1]) {
    EXPECT_EQ(r[Kpi::direct_contacts], 0.0);
    EXPECT_EQ(r[Kpi::customer_opportunities], 0.0);
  }
}

TEST(CustomerContact, OpportunitiesCarryValueTimesTheFactorAsCustomerValue) {
  const Scenario s = load(contact_yaml, "contact.yaml");
  const auto runs = run_all(s, {model_index(s, "contact")}, 10)[0];
  // Each delivered opportunity is worth 100 x 2 a week over a year (no urgency, full
  // understanding); nothing else has a value. Few are open at the end (2 h of work).
  const double whole_life = 100 * 2 * 8760 / hours_per_week;
  for (const RunResult& r : runs) {
    const double ratio = r[Kpi::value_whole_life] / whole_life;
    const double delivered = std::round(ratio);
    EXPECT_NEAR(ratio, delivered, 1e-6);
    EXPECT_LE(delivered, r[Kpi::customer_opportunities]);
    EXPECT_GE(delivered, r[Kpi::customer_opportunities] - 5);
    EXPECT_GT(r[Kpi::customer_value], 0.0);
    EXPECT_DOUBLE_EQ(r[Kpi::customer_value], r[Kpi::value_gross]);
  }
}

TEST(CustomerContact, ShareZeroIsNeutral) {
  // With share 0 (set as a sweep would), the model is the plain one, KPI for KPI.
  const Scenario s =
      load(contact_yaml, "contact.yaml", {"models.contact.customer_contact.share=0"});
  const auto runs = run_all(s, {model_index(s, "contact"), model_index(s, "plain")}, 3);
  for (std::size_t r = 0; r < runs[0].size(); ++r)
    for (std::size_t k = 0; k < models::kpi_count; ++k)
      EXPECT_EQ(runs[0][r].kpi[k], runs[1][r].kpi[k]) << models::kpi_table()[k].name;
}

// ---- outside providers (M12) ---------------------------------------------------------------

// Incidents (0.5 an hour) go to second-line support: in `outsourced` a vendor with an
// exponential contract time of mean 4 h (calendar) at 600 a ticket; in `inhouse` six people
// of IT's own. The desk (2 people at 50 an hour) is paid either way; the vendor's
// headcount and hourly cost do not count. Handoffs take no time here, so that the lead
// time at the vendor is its contract time.
const char* const provider_yaml = R"(
name: provider
description: Second-line support outsourced to a vendor, against IT's own
horizon: 10000h
organisation:
  units:
    business: {headcount: 100}
demand:
  work_types:
    incident:
      kind: incident
      rate: 0.5/h
      follows_profile: false
      effort: {dist: exponential, mean: 1h}
staff:
  pools:
    desk: {headcount: 2, calendar: always, cost_per_hour: 50, first_line: true}
    support: {headcount: 6, calendar: always, cost_per_hour: 80}
    vendor:
      headcount: 3
      cost_per_hour: 1000
      provider: {sla: {dist: exponential, mean: 4h}, price_per_ticket: 600}
models:
  outsourced:
    routes:
      incident: {stages: {second_line: {pool: vendor}}}
  inhouse:
    routes:
      incident: {stages: {second_line: {pool: support}}}
mechanisms:
  handoff: {delay: 0h}
)";

TEST(Provider, ServesAtOnceInTheContractTimeWithOneMoreHandoffAndPricesEachTicket) {
  const Scenario s = load(provider_yaml, "provider.yaml");
  const std::uint32_t out = model_index(s, "outsourced");
  const std::uint32_t in = model_index(s, "inhouse");
  const auto runs = run_all(s, {out, in}, 30);
  const std::size_t vendor = resource_index(s, out, "vendor");
  // Staff cost: the desk and the in-house support people, 40 paid hours a week; not the
  // vendor's people.
  const double staff_per_h = (2 * 50 + 6 * 80) * paid_share;
  std::vector<double> lead;
  for (std::size_t r = 0; r < runs[0].size(); ++r) {
    const RunResult& o = runs[0][r];
    ASSERT_GT(o[Kpi::completed], 4000.0);
    EXPECT_EQ(o[Kpi::wait_mean_h], 0.0);   // nothing waits at a provider
    EXPECT_EQ(o[Kpi::handoffs_mean], 1.0); // one more handoff, with IT as go-between
    EXPECT_EQ(o[Kpi::provider_tickets], o[Kpi::completed]); // no warm-up: every ticket
    EXPECT_EQ(o.resources[vendor].served, static_cast<std::uint64_t>(o[Kpi::completed]));
    EXPECT_DOUBLE_EQ(o[Kpi::provider_cost], 600 * o[Kpi::provider_tickets]);
    EXPECT_NEAR(o[Kpi::it_cost], staff_per_h * 10000, 1e-6);
    EXPECT_NEAR(o[Kpi::cost_total], o[Kpi::it_cost] + o[Kpi::provider_cost], 1e-6);
    lead.push_back(o[Kpi::lead_time_mean_h]);
    const RunResult& i = runs[1][r];
    EXPECT_EQ(i[Kpi::handoffs_mean], 0.0);
    EXPECT_EQ(i[Kpi::provider_tickets], 0.0);
    EXPECT_EQ(i[Kpi::provider_cost], 0.0);
    EXPECT_EQ(i[Kpi::demand_generated], o[Kpi::demand_generated]); // same demand
  }
  show("lead time at the vendor", ci99(lead), 4.0);
  EXPECT_TRUE(covers(ci99(lead), 4.0, 0.1));
}

// ---- chargeback (M13) -----------------------------------------------------------------------

// Enhancements only (0.5 an hour, each 1 h and worth 100 a week); IT charges 30 an
// hour against the business's own 60 an hour of effort, at elasticity 0.5: f = 0.25 of the
// enhancements are forgone, and 0.6 + 0.2 = 0.8 of those are built in the shadow. Nobody
// gives up waiting (no patience), so every shadow build is a forgone change.
const char* const chargeback_yaml = R"(
name: chargeback
description: IT charges the business for its effort
horizon: 4000h
organisation:
  units:
    business: {headcount: 100}
demand:
  work_types:
    change:
      kind: enhancement
      rate: 0.5/h
      follows_profile: false
      effort: 1h
      value: 100
    incident:
      kind: incident
      rate: 0/h
      effort: 1h
staff:
  pools:
    dev: {headcount: 2, calendar: always}
    ops: {headcount: 2, calendar: always}
models:
  charged:
    routes:
      change: {stages: {build: {pool: dev}}}
      incident: {stages: {fix: {pool: ops}}}
mechanisms:
  value: {effort_cost_per_hour: 60}
  shadow: {build_share: 0.6, incident_factor: 0}
  chargeback: {price_per_hour: 30, elasticity: 0.5, shadow_boost: 0.2}
)";

TEST(Chargeback, ForgoesTheElasticShareOfChangesAndBuildsMoreInTheShadow) {
  const Scenario s = load(chargeback_yaml, "chargeback.yaml");
  const auto runs = run_all(s, {0}, 30)[0];
  const auto plain =
      run_all(load(chargeback_yaml, "chargeback.yaml", {"mechanisms.chargeback.price_per_hour=0"}),
              {0}, 30)[0];
  std::vector<double> forgone_share, built_share;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const RunResult& c = runs[r];
    ASSERT_GT(c[Kpi::chargeback_forgone], 300.0);
    EXPECT_EQ(c[Kpi::demand_generated], plain[r][Kpi::demand_generated]); // same demand
    EXPECT_EQ(c[Kpi::arrivals_to_it] + c[Kpi::chargeback_forgone], c[Kpi::demand_generated]);
    // Only changes are raised (no incidents): the forgone share is over all of them.
    forgone_share.push_back(c[Kpi::chargeback_forgone] / c[Kpi::demand_generated]);
    built_share.push_back(c[Kpi::shadow_builds] / c[Kpi::chargeback_forgone]);
    // Neutral at price 0: nothing forgone, no shadow builds.
    EXPECT_EQ(plain[r][Kpi::chargeback_forgone], 0.0);
    EXPECT_EQ(plain[r][Kpi::shadow_builds], 0.0);
    EXPECT_EQ(plain[r][Kpi::arrivals_to_it], plain[r][Kpi::demand_generated]);
  }
  show("forgone / changes raised", ci99(forgone_share), 0.25);
  EXPECT_TRUE(covers(ci99(forgone_share), 0.25, 0.01));
  show("shadow builds / forgone", ci99(built_share), 0.8);
  EXPECT_TRUE(covers(ci99(built_share), 0.8, 0.02));
  // A higher price forgoes more: f = 0.5 x 60 / 60 = 0.5.
  const auto dear =
      run_all(load(chargeback_yaml, "chargeback.yaml", {"mechanisms.chargeback.price_per_hour=60"}),
              {0}, 30)[0];
  EXPECT_TRUE(covers(ci99(each(dear,
                               [](const RunResult& r) {
                                 return r[Kpi::chargeback_forgone] / r[Kpi::demand_generated];
                               })),
                     0.5, 0.015));
}

} // namespace
} // namespace itsim::validation
