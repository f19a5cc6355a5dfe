// SPDX-License-Identifier: Apache-2.0
// The `mechanisms:` section of the scenario format: parameters every operating model
// shares (MODEL.md M3-M9), each bound to its Scenario::Mechanisms member. Every key's
// description becomes its documentation, as in scenario_schema.cpp.
#include "schema.hpp"

#include "itsim/scenarios/scenario.hpp"

namespace itsim::scenarios::schema {

namespace {

Node sla_entry(const char* priority, const char* target) {
  return duration(std::string("Target lead time for ") + priority + " tickets (MODEL.md outcomes).")
      .min(0, true)
      .def(target);
}

} // namespace

Node detail::mechanisms() {
  return object(
      "Parameters of the mechanisms every model shares (MODEL.md). Each default is MODEL.md's "
      "number, except `shadow.build_share` (0: neutral by default); a mechanism acts only "
      "where a model or stage asks for it (a handoff, a rework check, a team's knowledge). "
      "All are assumptions to sweep.",
      {
          {"handoff",
           object(
               "Handoffs (MODEL.md M3).",
               {
                   {"delay", distribution("Delay added by each handoff (MODEL.md M3: "
                                          "triangular 0.25/1/3 business days, an "
                                          "assumption).",
                                          Quantity::duration)
                                 .def("{dist: triangular, min: 0.25bd, mode: 1bd, max: 3bd}")},
                   {"retention", probability("k: understanding kept per handoff (MODEL.md M3: "
                                             "0.8, sweep 0.5-0.95; the popular \"50% lost "
                                             "per handoff\" has no data behind it).")
                                     .def("0.8")
                                     .into(&Scenario::Mechanisms::handoff_retention)},
                   {"base_understanding", probability("u0: understanding before any handoff "
                                                      "(MODEL.md M3).")
                                              .def("1")
                                              .into(&Scenario::Mechanisms::base_understanding)},
                   {"knowledge_weight", probability("w in u = u0 k^h (1 - w (1 - K)): how "
                                                    "much the doers' business knowledge K "
                                                    "matters (MODEL.md M3, assumption).")
                                            .def("0.5")
                                            .into(&Scenario::Mechanisms::knowledge_weight)},
                   {"rework_effort_share", number("Share of the original effort a rework "
                                                  "costs (MODEL.md M3: 40%, after Boehm & "
                                                  "Papaccio).")
                                               .min(0)
                                               .def("0.4")
                                               .into(&Scenario::Mechanisms::rework_effort_share)},
                   {"quality_loss", probability("Value quality q = 1 - quality_loss (1 - u) "
                                                "(MODEL.md M8, assumption).")
                                        .def("0.5")
                                        .into(&Scenario::Mechanisms::quality_loss)},
               })},
          {"knowledge",
           object("Business knowledge (MODEL.md M4).",
                  {
                      {"effort_penalty", number("Effort is multiplied by 1 + effort_penalty "
                                                "(1 - K) (MODEL.md M4: 0.3, assumption).")
                                             .min(0)
                                             .def("0.3")
                                             .into(&Scenario::Mechanisms::effort_penalty)},
                      {"progress_ratio", number("Learning-curve progress ratio: each doubling of "
                                                "experience keeps this share of the knowledge gap "
                                                "(MODEL.md M4: Wright, 80-85%).")
                                             .min(0, true)
                                             .max(1)
                                             .def("0.85")
                                             .into(&Scenario::Mechanisms::progress_ratio)},
                      {"learning_hours", duration("Experience scale of the learning curve: hours "
                                                  "of work for a unit (MODEL.md M4, "
                                                  "assumption).")
                                             .min(0, true)
                                             .def("160h")
                                             .into(&Scenario::Mechanisms::learning_hours)},
                      {"monthly_retention", probability("Share of knowledge kept per month away "
                                                        "(MODEL.md M4: 0.75-0.95; organisational "
                                                        "studies find 0.55-0.75).")
                                                .def("0.85")
                                                .into(&Scenario::Mechanisms::monthly_retention)},
                  })},
          {"coordination",
           object(
               "Coordination costs (MODEL.md M6).",
               {
                   {"context_switch_cost", number("Extra work of people switching between "
                                                  "support and development (MODEL.md M6: "
                                                  "20%, Weinberg's rule of thumb).")
                                               .min(0)
                                               .def("0.2")
                                               .into(&Scenario::Mechanisms::context_switch_cost)},
                   {"spanning_factor", number("How many times longer an item spanning two "
                                              "units stays at a `coordinate` stage than its "
                                              "service time: it waits for the other unit, "
                                              "with the same work (MODEL.md M6: 2.5, "
                                              "Herbsleb & Mockus 2003, duration).")
                                           .min(1)
                                           .def("2.5")
                                           .into(&Scenario::Mechanisms::coordination_factor)},
               })},
          {"value",
           object("Value and downtime (MODEL.md M8).",
                  {
                      {"user_hour_cost", number("Loaded cost of an hour of a user's time, in the "
                                                "scenario's currency (MODEL.md M8: 60).")
                                             .min(0)
                                             .def("60")
                                             .into(&Scenario::Mechanisms::user_hour_cost)},
                      {"users_affected",
                       object("Users an incident stops from working, by priority (MODEL.md M8, "
                              "assumptions).",
                              {
                                  {"p1", number("Users hit by a P1 incident.")
                                             .min(0)
                                             .def("50")
                                             .into(&Scenario::Mechanisms::users_affected, 0)},
                                  {"p2", number("Users hit by a P2 incident.")
                                             .min(0)
                                             .def("10")
                                             .into(&Scenario::Mechanisms::users_affected, 1)},
                                  {"p3", number("Users hit by a P3 incident.")
                                             .min(0)
                                             .def("3")
                                             .into(&Scenario::Mechanisms::users_affected, 2)},
                                  {"p4", number("Users hit by a P4 incident.")
                                             .min(0)
                                             .def("1")
                                             .into(&Scenario::Mechanisms::users_affected, 3)},
                              })},
                      {"customer_facing_factor",
                       number("Downtime cost multiplier for systems of "
                              "customer-facing units (MODEL.md M8, "
                              "assumption).")
                           .min(1)
                           .def("3")
                           .into(&Scenario::Mechanisms::customer_facing_factor)},
                      {"decay_half_life", duration("Half-life of an item's value under the "
                                                   "`decaying` urgency profile (assumption).")
                                              .calendar_time_only()
                                              .min(0, true)
                                              .def("26w")
                                              .into(&Scenario::Mechanisms::decay_half_life_h)},
                      {"deadline", duration("Deadline of the `fixed_date` urgency profile, from "
                                            "the item's creation (assumption).")
                                       .calendar_time_only()
                                       .min(0, true)
                                       .def("12w")
                                       .into(&Scenario::Mechanisms::deadline_h)},
                      {"effort_cost_per_hour", number("Cost of an hour of shadow-IT effort, in "
                                                      "the scenario's currency (assumption).")
                                                   .min(0)
                                                   .def("60")
                                                   .into(&Scenario::Mechanisms::effort_cost_rate)},
                  })},
          {"shadow",
           object("Shadow IT: what requesters who give up do (MODEL.md M9).",
                  {
                      {"build_share", probability("Share of abandoned items (with a value) "
                                                  "built outside IT (MODEL.md M9: 60%, which "
                                                  "midsize.yaml states). The default, 0, is "
                                                  "neutral: requesters who give up just "
                                                  "leave, and no shadow system raises "
                                                  "incidents.")
                                          .def("0")
                                          .into(&Scenario::Mechanisms::shadow_build_share)},
                      {"value_share", probability("Share of the value a shadow build yields "
                                                  "(MODEL.md M9: 60%).")
                                          .def("0.6")
                                          .into(&Scenario::Mechanisms::shadow_value_share)},
                      {"cost_factor", number("Cost of a shadow build relative to IT's effort "
                                             "(MODEL.md M9: 1.5x).")
                                          .min(0)
                                          .def("1.5")
                                          .into(&Scenario::Mechanisms::shadow_cost_factor)},
                      {"incident_factor", number("Later incidents of shadow systems relative to "
                                                 "IT's (MODEL.md M9: 2x).")
                                              .min(0)
                                              .def("2")
                                              .into(&Scenario::Mechanisms::shadow_incident_factor)},
                      {"run_cost_per_week",
                       number("Running cost of a shadow system per week "
                              "(licences, upkeep), in the scenario's "
                              "currency, accruing from its build over the "
                              "work type's value_life, as far as the run "
                              "goes (assumption; the lever for calibrating "
                              "shadow spend).")
                           .min(0)
                           .def("0")
                           .into(&Scenario::Mechanisms::shadow_run_cost_per_week)},
                  })},
          {"rationing",
           object("How the organisation rations more change work than it can do (MODEL.md, "
                  "rules for a fair comparison: demand boards decline, portfolios are "
                  "capped). Applies to changes (enhancements and projects) the business "
                  "raises; tickets are never declined.",
                  {
                      {"max_backlog",
                       duration("A change is declined when it would join its first queue "
                                "while a resource on its route has more work on hand (queued "
                                "and in service, in person-hours) than its people clear in "
                                "this long in their own calendar: the portfolio is full. A "
                                "declined requester behaves as one who gave up (shadow IT, "
                                "M9). 0: nothing is declined (assumption; midsize caps the "
                                "portfolio at a quarter of work on hand).")
                           .calendar_time_only()
                           .min(0)
                           .def("0h")
                           .into(&Scenario::Mechanisms::max_backlog_h)},
                  })},
          {"chargeback",
           object("Chargeback (MODEL.md M13): IT prices its work to the business (\"running IT "
                  "like a business\"). A change (enhancement or project) the business raises "
                  "and that would reach IT is forgone with probability f = min(1, elasticity x "
                  "price_per_hour / value.effort_cost_per_hour); a forgone item never reaches "
                  "IT and is built outside it with probability shadow.build_share + "
                  "shadow_boost (at most 1), as M9's shadow systems. price_per_hour 0: no "
                  "chargeback (neutral).",
                  {
                      {"price_per_hour",
                       number("Price the business pays per hour of IT effort, in the scenario's "
                              "currency. 0: no chargeback (neutral).")
                           .min(0)
                           .def("0")
                           .into(&Scenario::Mechanisms::chargeback_price_per_hour)},
                      {"elasticity",
                       number("Share of changes forgone per unit of price relative to the "
                              "business's own cost of an hour of effort "
                              "(value.effort_cost_per_hour): f = elasticity x price / cost, at "
                              "most 1 (assumption; a linear demand response).")
                           .min(0)
                           .def("0.5")
                           .into(&Scenario::Mechanisms::chargeback_elasticity)},
                      {"shadow_boost",
                       probability("Added to shadow.build_share for forgone changes: a "
                                   "business that is charged for IT's work turns to its own "
                                   "builders more readily than one that gave up waiting "
                                   "(assumption).")
                           .def("0.2")
                           .into(&Scenario::Mechanisms::chargeback_shadow_boost)},
                  })},
          {"perception",
           object("How requesters judge IT (MODEL.md M9).",
                  {
                      {"expectation_rise_per_year",
                       number("Yearly rise of expectations: the lead time requesters expect is "
                              "divided by 1 + this each year (consumerisation of IT, MODEL.md "
                              "M9, assumption).")
                           .min(0)
                           .def("0.1")
                           .into(&Scenario::Mechanisms::expectation_rise_per_year)},
                  })},
          {"sla",
           object("SLA targets by priority, business or calendar time (MODEL.md outcomes: P1 "
                  "2h, P2 4 business hours, P3 1 day, P4 3 days).",
                  {
                      {"p1", sla_entry("P1", "2h")},
                      {"p2", sla_entry("P2", "4bh")},
                      {"p3", sla_entry("P3", "1bd")},
                      {"p4", sla_entry("P4", "3bd")},
                  })},
      });
}

} // namespace itsim::scenarios::schema
