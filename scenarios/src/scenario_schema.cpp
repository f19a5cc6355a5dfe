// SPDX-License-Identifier: Apache-2.0
// The scenario format, declared once. Every key's description becomes its documentation
// (docs/scenario-format.md and the JSON Schema's "description"), so write them for users:
// what the key means, its unit, and where a default number comes from.
#include "schema.hpp"

#include "itsim/scenarios/choices.hpp"

namespace itsim::scenarios::schema {

namespace {

Node calendar_entry() {
  return object(
      "A weekly working pattern pools can follow.",
      {
          {"days", list("Working days of the week.", choice("A day of the week.", weekdays))
                       .items(1, 7)
                       .def("[mon, tue, wed, thu, fri]")},
          {"hours", clock("Working hours of each working day, e.g. \"09:00-17:00\".")
                        .def("\"09:00-17:00\"")},
      });
}

Node profile(bool with_defaults) {
  Node hours = list("Arrival-rate multiplier per hour of the day, 00:00-01:00 first; "
                    "normalised together with `weekday` so that the work type's rate is "
                    "the long-run mean.",
                    number("Multiplier (>= 0).").min(0))
                   .items(24, 24);
  Node days = list("Arrival-rate multiplier per weekday, Monday first (a Monday peak is "
                   "typical of service desks).",
                   number("Multiplier (>= 0).").min(0))
                  .items(7, 7);
  if (with_defaults) {
    hours = std::move(hours).def("[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
                                 "1, 1, 1, 1]");
    days = std::move(days).def("[1, 1, 1, 1, 1, 1, 1]");
  }
  return object("When during the week demand arrives (MODEL.md M1). Flat by default.",
                {{"hour_of_day", std::move(hours)}, {"weekday", std::move(days)}});
}

Node work_type() {
  return object(
      "A kind of work the business asks IT for. Every attribute of an item is drawn when "
      "it is created, from the demand's own random streams, so every operating model faces "
      "the same items (common random numbers).",
      {
          {"kind", choice("What the work is; operating-model presets route by kind.", work_kinds,
                          Scenario::WorkKind::other)
                       .into(&Scenario::WorkType::kind)},
          {"rate", rate("Mean arrival rate: per employee of the raising units "
                        "(`0.55/employee/month`, MODEL.md M1 after MetricNet's 1.2-1.95 "
                        "contacts per user per month) or for the whole firm (`8/week`), split "
                        "across units by headcount.")
                       .per({"employee"})
                       .min(0)
                       .require()},
          {"units", list("Units whose people raise this work; empty means every unit.",
                         identifier("A unit id from `organisation.units`."))
                        .def("[]")},
          {"follows_profile",
           boolean("Whether arrivals follow `demand.profile`; false gives a homogeneous "
                   "Poisson process.")
               .def("true")},
          {"priority_mix",
           object("Share of items at each priority, P1 most urgent; keys left out are 0 and "
                  "the shares must sum to 1.",
                  {
                      {"p1", probability("Share of P1 (critical) items.")},
                      {"p2", probability("Share of P2 (high) items.")},
                      {"p3", probability("Share of P3 (normal) items.")},
                      {"p4", probability("Share of P4 (low) items.")},
                  })
               .def("{p3: 1}")},
          {"effort", distribution("Work needed to finish one item, drawn per item (e.g. "
                                  "`{dist: lognormal, mean: 13min, cv: 1}` for L1 handling, "
                                  "`{dist: lognormal, median: 3bd, sigma: 1}` for "
                                  "enhancements: MODEL.md's default company).",
                                  Quantity::duration)
                         .require()},
          {"patience", distribution("How long a requester waits before giving up (MODEL.md "
                                    "M9: median 5 days for requests, 4 weeks for "
                                    "enhancements, 12 weeks for projects, assumptions). Left "
                                    "out: requesters never give up.",
                                    Quantity::duration)},
          {"value", distribution("Benefit per week of a delivered item, in the scenario's "
                                 "currency (MODEL.md M8: lognormal, median 300 a week for "
                                 "enhancements, 8000 for projects). Left out: no value "
                                 "modelled.",
                                 Quantity::money)},
          {"value_life", duration("How long a delivered item yields its value, week by week "
                                  "from its delivery; a run counts the part that falls "
                                  "before its horizon (MODEL.md M8: 3 years).")
                             .calendar_time_only()
                             .min(0, true)
                             .def("3y")
                             .into(&Scenario::WorkType::value_life_h)},
          {"urgency", choice("How value decays with lead time (Reinertsen's cost of delay): "
                             "none, linear, decaying, or fixed_date (nothing after the "
                             "deadline).",
                             urgencies, Scenario::Urgency::none)
                          .into(&Scenario::WorkType::urgency)},
          {"spanning_share", probability("Share of items that span two business units (MODEL.md "
                                         "M6: 20% of projects need coordination; M7: 25% of "
                                         "items need a second team; assumptions). Drawn per "
                                         "item.")
                                 .def("0")
                                 .into(&Scenario::WorkType::spanning_share)},
          {"expected_lead", duration("Lead time the requester expects at the start (MODEL.md "
                                     "M9, perception: each finished item is scored against "
                                     "it, and expectations rise over time). Left out: by "
                                     "kind, incident 8bh, request 3bd, enhancement 4w, "
                                     "project 26w, other 1w (assumptions).")
                                .min(0, true)},
      });
}

Node pool() {
  return object(
      "A group of interchangeable IT staff serving a queue.",
      {
          {"role", string("What the staff do (free text shown in reports, e.g. service_desk, "
                          "developer).")
                       .def("\"\"")
                       .into(&Scenario::Pool::role)},
          {"headcount", integer("Number of people (servers).").min(0).require()},
          {"calendar", identifier("When the pool works: `always` (24/7), `business` (Monday "
                                  "to Friday, 09:00-17:00) or an id from `calendars`.")
                           .def("always")},
          {"discipline", choice("Queue discipline: first come first served, by priority (P1 "
                                "first), or WSJF (highest cost of delay per hour of effort "
                                "first).",
                                queue_disciplines, sim::QueueDiscipline::fifo)
                             .into(&Scenario::Pool::discipline)},
          {"preemptive", boolean("With the priority discipline, whether an urgent arrival "
                                 "interrupts less urgent work (resumed later); with "
                                 "`tickets_first`, whether incidents and requests interrupt "
                                 "changes (also under wsjf).")
                             .def("false")
                             .into(&Scenario::Pool::preemptive)},
          {"tickets_first", boolean("With the priority or wsjf discipline, whether incidents "
                                    "and requests (work types of kind incident or request) are "
                                    "always served before changes (enhancement, project), "
                                    "whatever their priority or value: one queue in which "
                                    "restoring service comes first (ITIL's incident "
                                    "priority over change).")
                                .def("false")
                                .into(&Scenario::Pool::tickets_first)},
          {"cost_per_hour", number("Loaded cost per person-hour in the scenario's currency "
                                   "(MODEL.md M10).")
                                .min(0)
                                .def("0")
                                .into(&Scenario::Pool::cost_per_hour)},
          {"availability", number("Share of paid time spent on the modelled work: developers "
                                  "spend 45% on change at 85% productive time, 0.3825 "
                                  "(MODEL.md's default company, an assumption).")
                               .min(0, true)
                               .max(1)
                               .def("1")
                               .into(&Scenario::Pool::availability)},
          {"first_line", boolean("Whether the pool is the first line: items it finishes count "
                                 "as resolved at L1 and, on the first visit, as first-contact "
                                 "resolution.")
                             .def("false")
                             .into(&Scenario::Pool::first_line)},
          {"provider",
           object("The pool is an outside provider (MODEL.md M12: an outsourced desk, a cloud "
                  "vendor): a contract resolution time instead of a queue IT controls (every "
                  "item is served at once, in a time drawn from `sla`; nothing waits), a price "
                  "per ticket instead of the people's wages (`cost_per_hour` and `headcount` "
                  "do not count), and one more handoff on entering each of its stages, with "
                  "IT as the go-between. Left out: the pool is IT's own.",
                  {
                      {"sla", distribution("The contract's resolution time per ticket, drawn "
                                           "per visit, in calendar or business time (e.g. "
                                           "`{dist: exponential, mean: 1bd}`; assumption: "
                                           "the contract's).",
                                           Quantity::duration)
                                  .require()},
                      {"price_per_ticket",
                       number("Price of each item the provider serves, in the scenario's "
                              "currency, counted in `provider_cost` and `cost_total` (MetricNet "
                              "puts vendor tickets at about 600: an example to state, not a "
                              "default).")
                           .min(0)
                           .def("0")
                           .into(&Scenario::Pool::price_per_ticket)},
                  })},
      });
}

Node stage() {
  return object(
      "One step of a route: a visit to a pool or a team.",
      {
          {"pool", identifier("The pool or team doing this step: an id from `staff.pools` or "
                              "from the model's `teams`.")
                       .require()},
          {"service", distribution("Work at this step, drawn per visit (e.g. a handle time); "
                                   "left out: the item's effort times `effort_share`.",
                                   Quantity::duration)},
          {"effort_share", number("Share of the item's effort done at this step when "
                                  "`service` is left out.")
                               .min(0, true)
                               .def("1")
                               .into(&Scenario::Stage::effort_share)},
          {"next", collection("Where the item goes after this step: stage ids of the same "
                              "route or `done`, each with its probability; the row must sum "
                              "to 1 (an escalation or rework matrix, row by row).",
                              probability("Probability of going there."))
                       .keyed("target")
                       .def("{done: 1}")},
          {"handoff", boolean("Whether entering this step is a handoff (MODEL.md M3): a delay "
                              "(`mechanisms.handoff.delay`) and a loss of understanding.")
                          .def("false")
                          .into(&Scenario::Stage::handoff)},
          {"rework", identifier("A stage of the same route that items go back to, at the end "
                                "of this step, with probability 1 - u (their understanding, "
                                "MODEL.md M3); each step then redoes "
                                "`mechanisms.handoff.rework_effort_share` of its work. Left "
                                "out: no rework.")},
          {"gate", object("A change approval board (MODEL.md M2): items wait for the next "
                          "meeting before joining the queue, e.g. a weekly CAB on Tuesdays "
                          "at 10:00, `{every: 1w, offset: 34h}`. Left out: no gate.",
                          {
                              {"every", duration("Time between meetings.")
                                            .calendar_time_only()
                                            .min(0, true)
                                            .require()
                                            .into(&Scenario::Stage::gate_every_h)},
                              {"offset", duration("Time of the first meeting from the start "
                                                  "(a Monday at 00:00).")
                                             .calendar_time_only()
                                             .min(0)
                                             .def("0h")
                                             .into(&Scenario::Stage::gate_offset_h)},
                          })},
          {"delay", distribution("A wait before joining the queue (e.g. for an approval), "
                                 "drawn per visit. Left out: none.",
                                 Quantity::duration)},
          {"spanning", choice("What this step does with an item spanning two units: nothing, "
                              "`coordinate` (the item stays `mechanisms.coordination."
                              "spanning_factor` times its service time, waiting for the other "
                              "unit with the same work, MODEL.md M6) or `second_team` "
                              "(the item visits the step again at the other unit's copy of a "
                              "`by_unit` team, queueing twice, M7).",
                              spannings, Scenario::Spanning::none)
                           .into(&Scenario::Stage::spanning)},
          {"crew", integer("Most people who work on one item at this step at once (a crew: "
                           "projects are staffed by 3-6 people, an assumption to set per "
                           "scenario). An item takes min(crew, free servers) of the pool or "
                           "team when it starts, keeps them to the end, and its service time "
                           "is its work / that many (the work in person-hours is unchanged). "
                           "With a team's `wip_limit` the servers are its W slots, each at "
                           "speed people / W, and the crew takes slots.")
                       .min(1)
                       .max(255)
                       .def("1")
                       .into(&Scenario::Stage::crew)},
      });
}

Node team() {
  return object(
      "A team of people taken from the scenario's pools (MODEL.md M6, M7): stream-aligned "
      "cross-functional teams, a platform team, IT staff embedded in the units.",
      {
          {"members", collection("People taken from each pool, keyed by pool id; at least one "
                                 "(a team needs members). In this model the pool keeps the "
                                 "rest of its headcount.",
                                 number("Number of people (> 0; fractions allowed).").min(0, true))
                          .keyed("pool")},
          {"by_unit", boolean("One copy of the team per business unit, its people split by unit "
                              "headcount; items go to their own unit's copy (embedded IT, "
                              "stream-aligned teams).")
                          .def("false")
                          .into(&Scenario::Resource::by_unit)},
          {"wip_limit", integer("Items in progress at once (MODEL.md M7: WIP limits); the "
                                "people share them. Left out: one item per person.")
                            .min(1)
                            .range_message("WIP limit must be at least 1")},
          {"discipline", choice("Queue discipline: fifo, priority (P1 first) or wsjf (cost of "
                                "delay per hour of effort).",
                                queue_disciplines, sim::QueueDiscipline::fifo)
                             .into(&Scenario::Resource::discipline)},
          {"preemptive", boolean("With the priority discipline, whether an urgent arrival "
                                 "interrupts less urgent work; with `tickets_first`, whether "
                                 "incidents and requests interrupt changes (also under wsjf).")
                             .def("false")
                             .into(&Scenario::Resource::preemptive)},
          {"tickets_first", boolean("With the priority or wsjf discipline, whether incidents "
                                    "and requests are always served before changes "
                                    "(see `staff.pools.<pool>.tickets_first`).")
                                .def("false")
                                .into(&Scenario::Resource::tickets_first)},
          {"calendar", identifier("When the team works (see `staff.pools.<pool>.calendar`). Left "
                                  "out: the calendar of its first member pool.")},
          {"knowledge", probability("Business knowledge K of its people at the start (MODEL.md "
                                    "M4). The default, 1, is neutral: no effort penalty and "
                                    "no loss of understanding; the presets state theirs "
                                    "(0.5-0.8, assumptions).")
                            .def("1")
                            .into(&Scenario::Resource::knowledge)},
          {"learns", boolean("Whether its knowledge grows with the work it does for a unit "
                             "(learning curve) and decays with time away.")
                         .def("true")
                         .into(&Scenario::Resource::learns)},
          {"context_switch", boolean("Whether its people switch between support and "
                                     "development, paying `mechanisms.coordination."
                                     "context_switch_cost` (MODEL.md M6).")
                                 .def("false")
                                 .into(&Scenario::Resource::context_switch)},
          {"first_line", boolean("Whether the team is a first line (resolved at L1, "
                                 "first-contact resolution).")
                             .def("false")
                             .into(&Scenario::Resource::first_line)},
      });
}

Node rotation() {
  return object(
      "Rotation, or \"tour of duty\" (MODEL.md M5): every `period`, a share of the staff of "
      "`pools` spend a stint in the business while business people join IT. Left out: no "
      "rotation.",
      {
          {"pools", list("Pools and teams whose staff rotate out.",
                         identifier("A pool or team id of this model."))
                        .items(1, 1000000)
                        .require()},
          {"period", duration("Time between rotations (MODEL.md M5: 6 months).")
                         .calendar_time_only()
                         .min(0, true)
                         .def("6mo")
                         .into(&Scenario::Rotation::period_h)},
          {"stint", duration("Length of a stint, at most the period (MODEL.md M5: an "
                             "assumption).")
                        .calendar_time_only()
                        .min(0, true)
                        .def("3mo")
                        .into(&Scenario::Rotation::stint_h)},
          {"it_share", probability("Share of each rotating pool's people going out per rotation "
                                   "(MODEL.md M5: 5%).")
                           .def("0.05")
                           .into(&Scenario::Rotation::it_share)},
          {"business_staff", integer("Business people coming into IT per rotation (MODEL.md "
                                     "M5: 10).")
                                 .min(0)
                                 .def("10")},
          {"business_cost_per_hour",
           number("What an hour of a business person's work is worth to the business that "
                  "lends them to IT, in the scenario's currency: a stint costs the business "
                  "business_staff x this x 40 paid hours a week for its length (MODEL.md, rules "
                  "for a fair comparison: a transfer of people costs the side that gives them "
                  "up; default M8's loaded rate of a user's hour, 60).")
               .min(0)
               .def("60")
               .into(&Scenario::Rotation::business_cost_per_hour)},
          {"ramp", object("How newcomers' productivity ramps up (MODEL.md M5: from 50% to 90% "
                          "over 3 months).",
                          {
                              {"from", probability("Productivity on arrival.")
                                           .def("0.5")
                                           .into(&Scenario::Rotation::ramp_from)},
                              {"to", probability("Productivity after `over`.")
                                         .def("0.9")
                                         .into(&Scenario::Rotation::ramp_to)},
                              {"over", duration("Time to reach `to`.")
                                           .calendar_time_only()
                                           .min(0)
                                           .def("3mo")
                                           .into(&Scenario::Rotation::ramp_h)},
                          })},
          {"learning_multiplier", number("How much faster IT staff on a stint gain business "
                                         "knowledge than by doing IT work for the unit "
                                         "(assumption).")
                                      .min(0)
                                      .def("3")
                                      .into(&Scenario::Rotation::learning_multiplier)},
          {"retention_boost", probability("Added to handoff retention k for units whose staff "
                                          "returned from IT (MODEL.md M5: +0.1).")
                                  .def("0.1")
                                  .into(&Scenario::Rotation::retention_boost)},
          {"self_serve_boost", probability("Added to the self-served share of requests in those "
                                           "units (MODEL.md M5: 10%).")
                                   .def("0.1")
                                   .into(&Scenario::Rotation::self_serve_boost)},
      });
}

Node model() {
  return object(
      "An operating model to compare: who does the work (the scenario's pools and the "
      "model's teams) and how each work type is routed through them.",
      {
          {"description",
           string("One line shown in reports.").def("\"\"").into(&Scenario::Model::description)},
          {"preset", identifier("A built-in model this one starts from (`itsim models` lists "
                                "them: passive, embedded, rotation, coe): its keys are laid "
                                "under the model's own, maps merging key by key.")
                         .into(&Scenario::Model::preset)},
          {"knowledge", object("Business knowledge of the pools' people in this model (MODEL.md "
                               "M4).",
                               {
                                   {"initial", probability("Knowledge K at the start. The "
                                                           "default, 1, is neutral: no effort "
                                                           "penalty and no loss of "
                                                           "understanding (MODEL.md, rules "
                                                           "for a fair comparison); the "
                                                           "presets state theirs (MODEL.md: "
                                                           "0.3 for a passive service desk).")
                                                   .def("1")},
                                   {"learns", boolean("Whether it grows with the work done for "
                                                      "a unit and decays with time away.")
                                                  .def("false")},
                               })},
          {"teams",
           collection("Teams of this model, keyed by id (distinct from the pool ids).", team())
               .keyed("team")},
          {"context_switch", list("Pools whose people switch between support and development "
                                  "in this model, paying `mechanisms.coordination."
                                  "context_switch_cost` (MODEL.md M6).",
                                  identifier("A pool id from `staff.pools`."))},
          {"self_service", collection("Share of each work type's items the requesters serve "
                                      "themselves, keyed by work-type id; 0 when left out.",
                                      probability("Self-served share."))
                               .keyed("work_type")},
          {"routes",
           collection("How each work type flows, keyed by work-type id; every "
                      "work type needs a route in every model (a model naming a `preset` "
                      "has the preset's routes, which its own refine).",
                      object("The stages an item of this work type visits.",
                             {
                                 {"start", identifier("The first stage; the first "
                                                      "listed when left out.")},
                                 {"stages", collection("The steps, keyed by stage id.", stage())
                                                .keyed("stage")
                                                .require()},
                             }))
               .keyed("work_type")
               .require_unless("preset")},
          {"rotation", rotation()},
          {"proactive",
           object(
               "Work the model's people discover themselves (MODEL.md M7). Left out: none.",
               {
                   {"pool", identifier("The pool or team that discovers and does it.").require()},
                   {"work_type", identifier("The work type of discovered items (their "
                                            "effort, value and route).")
                                     .require()},
                   {"rate", rate("Discoveries at knowledge 1 with no load (fewer with less "
                                 "knowledge or slack), e.g. `2/week`.")
                                .min(0)
                                .require()
                                .into(&Scenario::Proactive::rate_per_hour)},
                   {"value_factor", number("Value of a discovered item relative to a "
                                           "requested one.")
                                        .min(0)
                                        .def("1")
                                        .into(&Scenario::Proactive::value_factor)},
               })},
          {"customer_contact",
           object("External-customer contact (MODEL.md M11): the staff of `resources` spend "
                  "`share` of their paid time with the company's own customers. It costs that "
                  "share of their capacity, yields customer-driven opportunities of higher value "
                  "and opens a direct support channel that bypasses the first line. Left out, or "
                  "share 0: none (neutral). docs/models.md gives the equations.",
                  {
                      {"resources", list("Pools and teams of this model whose staff spend time "
                                         "with customers.",
                                         identifier("A pool or team id of this model."))
                                        .items(1, 1000000)
                                        .require()},
                      {"share", number("Share of their paid time spent with customers; their "
                                       "capacity for the modelled work is multiplied by 1 - share "
                                       "(one essay proposes a third more time with customers: "
                                       "assumption). 0: neutral.")
                                    .min(0)
                                    .max(1, true)
                                    .def("0")
                                    .into(&Scenario::CustomerContact::share)},
                      {"opportunity_rate",
                       number("Customer-driven opportunities per person-hour spent with "
                              "customers (a Poisson stream at this x the contact person-hours "
                              "per hour; assumption). 0: none.")
                           .min(0)
                           .def("0")
                           .into(&Scenario::CustomerContact::opportunity_rate)},
                      {"opportunity_work_type",
                       identifier("The work type of customer-driven opportunities (their effort, "
                                  "value and route); required when opportunity_rate > 0.")},
                      {"value_factor", number("Value of a customer-driven opportunity relative to "
                                              "a requested item of its work type (higher: it "
                                              "comes from the customer; 1.5 is an assumption).")
                                           .min(0)
                                           .def("1.5")
                                           .into(&Scenario::CustomerContact::value_factor)},
                      {"direct_contact_rate",
                       number("Customer contacts per person-hour spent with customers that "
                              "become tickets served directly at the contacted pool or team, "
                              "bypassing the first line and taking its people's time (the "
                              "objection the essay's readers raised; assumption). 0: none.")
                           .min(0)
                           .def("0")
                           .into(&Scenario::CustomerContact::direct_contact_rate)},
                      {"contact_work_type",
                       identifier("The work type of direct contacts (kind incident or request: "
                                  "their effort and priority); required when "
                                  "direct_contact_rate > 0.")},
                  })},
          {"capabilities",
           object(
               "What delivered proactive work removes (MODEL.md M7: problem management "
               "removes up to half of repeat incidents, MetricNet).",
               {
                   {"incident_reduction_per_item",
                    probability("Share of later incidents each delivered proactive item "
                                "removes.")
                        .def("0")
                        .into(&Scenario::Model::incident_reduction_per_item)},
                   {"max_incident_reduction", probability("Most incidents removed in all.")
                                                  .def("0.5")
                                                  .into(&Scenario::Model::max_incident_reduction)},
               })},
          {"change_failure", probability("Share of delivered enhancements and projects that "
                                         "raise a P2 incident. The default, 0, is neutral; "
                                         "the presets state MODEL.md's default company's 15%.")
                                 .def("0")
                                 .into(&Scenario::Model::change_failure)},
      });
}

Node make_scenario() {
  return object(
      "An itsim scenario: a company, its demand for IT work, its IT staff and the operating "
      "models to compare.",
      {
          {"schema_version", integer("Version of this format.").min(1).max(1).def("1")},
          {"name",
           string("Short name of the scenario, shown in reports.").require().into(&Scenario::name)},
          {"description",
           string("What the scenario is about.").def("\"\"").into(&Scenario::description)},
          {"extends", list("Scenario files this one builds on (a path or a list, relative to "
                           "this file); maps merge key by key, everything else replaces. "
                           "Resolved before validation.",
                           string("A path (relative to this file)."))
                          .or_single()},
          {"sources",
           list("Where the scenario's own numbers come from, shown beside them in the board "
                "pack's assumptions (docs/report.md): each entry names a key path of the "
                "resolved scenario (as `itsim show --resolved` prints it, e.g. "
                "staff.pools.dev.headcount) and its source; it also covers the keys under "
                "that path. Read by reports only: the simulation ignores it.",
                object("The source of one number (or of the numbers under one key path).",
                       {
                           {"key", string("Dotted key path in the resolved scenario.").require()},
                           {"source", string("The citation: a document, a survey, a "
                                             "measurement, with its date.")
                                          .require()},
                       }))},
          {"currency", string("Currency of every amount of money, shown in reports.")
                           .def("USD")
                           .into(&Scenario::currency)},
          {"discount_rate",
           number("Annual rate at which every amount of money is discounted to the start of "
                  "the measured window (the warm-up's end), continuously: an amount t after it "
                  "is worth (1 + rate)^-(t / 1y); 0: no discounting. The usual choice is the "
                  "company's cost of capital (WACC), often 0.07-0.10 (an assumption to sweep).")
               .min(0)
               .max(1, true)
               .def("0")
               .into(&Scenario::discount_rate)},
          {"horizon", duration("Simulated time of one replication.")
                          .calendar_time_only()
                          .min(0, true)
                          .def("1y")
                          .into(&Scenario::horizon_h)},
          {"warmup", duration("Initial time whose statistics are discarded, or `mser5` to "
                              "detect it per run (steady-state studies).")
                         .calendar_time_only()
                         .accept(spellings_of(warmup_rules))
                         .def("0d")},
          {"replications", integer("Independent replications per model (common random "
                                   "numbers across models).")
                               .min(1)
                               .max(1000000)
                               .def("30")
                               .into(&Scenario::replications)},
          {"seed", integer("Master seed; every random stream derives from it, the "
                           "replication and the stream's name.")
                       .min(0)
                       .def("42")
                       .into(&Scenario::seed)},
          {"business_day", duration("Working hours in a business day, the meaning of `bd` "
                                    "(and of `bw`, five of them).")
                               .calendar_time_only()
                               .min(0, true)
                               .max(24)
                               .def("8h")
                               .into(&Scenario::business_day_h)},
          {"calendars", collection("Working patterns for pools, beyond the built-in `always` "
                                   "and `business`.",
                                   calendar_entry())
                            .keyed("calendar")
                            .def("{}")},
          {"organisation",
           object("The company.",
                  {{"units",
                    collection(
                        "Business units, keyed by id.",
                        object("A business unit.",
                               {
                                   {"headcount", integer("Employees.").min(0).require()},
                                   {"customer_facing", boolean("Whether its systems serve the "
                                                               "company's external customers "
                                                               "(their value is reported on its "
                                                               "own).")
                                                           .def("false")
                                                           .into(&Scenario::Unit::customer_facing)},
                               }))
                        .keyed("unit")
                        .require()}})
               .require()},
          {"demand",
           object("What the business asks IT for (MODEL.md M1).",
                  {
                      {"profile", profile(true)},
                      {"yearly_growth", number("Compound growth of every rate per year (0.05 = "
                                               "+5% a year).")
                                            .min(-1, true)
                                            .def("0")},
                      {"work_types", collection("Kinds of work, keyed by id.", work_type())
                                         .keyed("work_type")
                                         .require()},
                  })
               .require()},
          {"staff",
           object("IT staff.",
                  {{"pools",
                    collection("Pools of staff, keyed by id.", pool()).keyed("pool").require()}})
               .require()},
          {"models", collection("Operating models to compare, keyed by id.", model())
                         .keyed("model")
                         .require()},
          {"baseline", identifier("The model the others are compared against; the first "
                                  "listed when left out.")},
          {"paths", collection("Reorganisation paths (MODEL.md M14), keyed by id (distinct "
                               "from the model ids): moves from one model to another over "
                               "time, each run as a model of its own and compared with "
                               "staying where it starts.",
                               detail::path())
                        .keyed("path")},
          {"mechanisms", detail::mechanisms()},
          {"output",
           object("What runs record.",
                  {
                      {"timeseries_step", duration("Grid of the time series (queues, backlog, "
                                                   "utilisation, cumulative value).")
                                              .calendar_time_only()
                                              .min(0, true)
                                              .def("1d")
                                              .into(&Scenario::timeseries_step_h)},
                      {"detail", list("Optional detail tables: `requests` records every item.",
                                      choice("A detail table.", detail_tables))
                                     .def("[]")},
                  })},
          {"limits",
           object("Safety limits of a run.",
                  {
                      {"max_open_items",
                       integer("Items open in IT at once (queued, in service or between "
                               "stages) at which a run stops with an error: an overloaded "
                               "organisation's backlog grows without bound and would exhaust "
                               "memory (a few hundred bytes an item). The run is recorded as "
                               "failed with the reason and the others go on. A steady "
                               "organisation of thousands of employees has hundreds to a few "
                               "thousand open.")
                           .min(1)
                           .def("1000000")
                           .into(&Scenario::max_open_items)},
                  })},
      });
}

} // namespace

const Node& scenario() {
  static const Node root = make_scenario();
  return root;
}

} // namespace itsim::scenarios::schema
