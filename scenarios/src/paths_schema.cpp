// SPDX-License-Identifier: Apache-2.0
// The `paths:` section of the scenario format: reorganisation paths (MODEL.md M14), each
// key bound to its Scenario::Path member. Every key's description becomes its
// documentation, as in scenario_schema.cpp.
#include "itsim/scenarios/choices.hpp"
#include "itsim/scenarios/scenario.hpp"
#include "schema.hpp"

namespace itsim::scenarios::schema {

Node detail::path() {
  using Path = Scenario::Path;
  return object(
      "A reorganisation path (MODEL.md M14): the organisation starts in model `from` and "
      "moves to model `to` in waves, unit by unit, with what the move costs and does. A "
      "path runs as a model of its own, with the same demand as every model (common random "
      "numbers); `itsim run` compares it with staying in `from` over time (the J-curve: "
      "trough and break-even). Every default makes the move instant and free.",
      {
          {"description", string("One line shown in reports.").def("\"\"")},
          {"from", identifier("The model the organisation starts in (one of `models`).").require()},
          {"to", identifier("The model it moves to (one of `models`, not `from`).").require()},
          {"waves",
           list("When each business unit moves: its staff leave the old structure for the "
                "new one and its new work goes to the new structure. A unit in no wave never "
                "moves. Large redesigns take 6-18 months (MODEL.md M14, assumption).",
                object("One wave of the move.",
                       {
                           {"at", duration("When the wave moves, from the start of the run; "
                                           "before the horizon.")
                                      .calendar_time_only()
                                      .min(0)
                                      .require()},
                           {"units", list("Units that move in this wave; left out or empty: "
                                          "every unit (a move at once, the path's only wave).",
                                          identifier("A unit id from `organisation.units`."))
                                         .def("[]")},
                       }))
               .items(1, 1000)
               .require()},
          {"costs",
           object("One-off costs of the move, in the scenario's currency; booked when they "
                  "fall, in cost_total and net_value, and alone in the KPI reorg_cost.",
                  {
                      {"training_days",
                       number("Days of training per person moved, paid at the person's loaded "
                              "cost per hour x business_day (MODEL.md M14: about 5 days, "
                              "assumption).")
                           .min(0)
                           .def("0")
                           .into(&Path::training_days)},
                      {"tooling", number("Tools and licences, paid at the first wave.")
                                      .min(0)
                                      .def("0")
                                      .into(&Path::tooling)},
                      {"outside_help", number("Consultants and coaches, paid at the first wave.")
                                           .min(0)
                                           .def("0")
                                           .into(&Path::outside_help)},
                  })},
          {"ramp",
           object("Productivity of a newly formed team (Tuckman's forming and storming; MODEL.md "
                  "M14: 50% to 90% over about 3 months, the curve of M5's newcomers, "
                  "assumption): `from` when it forms, `to` after `over`, full after "
                  "`full_after` (straight lines in between). Replacements for leavers ramp the "
                  "same way.",
                  {
                      {"from", probability("Productivity when the team forms.")
                                   .min(0, true)
                                   .def("1")
                                   .into(&Path::ramp_from)},
                      {"to", probability("Productivity after `over`.")
                                 .min(0, true)
                                 .def("1")
                                 .into(&Path::ramp_to)},
                      {"over", duration("Time from forming to `to`.")
                                   .calendar_time_only()
                                   .min(0)
                                   .def("3mo")
                                   .into(&Path::ramp_h)},
                      {"full_after", duration("Time from forming to full productivity; at "
                                              "least `over` (assumption: twice `over`).")
                                         .calendar_time_only()
                                         .min(0)
                                         .def("6mo")
                                         .into(&Path::full_h)},
                  })},
          {"knowledge",
           choice("What the staff of a newly formed team know of the business: `target`, what "
                  "the target model's team starts with (as if mature); `carried`, what they "
                  "knew of each unit in the old structure (M4's K), to learn from there if the "
                  "target's team learns.",
                  knowledge_starts, Path::KnowledgeStart::target)
               .into(&Path::knowledge)},
          {"attrition",
           object("Staff leaving during the change (MODEL.md M14: IT turnover is about 10-15% "
                  "a year, and a reorganisation raises it: assumption, sweep 0-2x). From the "
                  "first wave until `lasts` after the last, each person leaves at `rate` a "
                  "year, with their knowledge; a replacement joins the same team "
                  "`hiring_delay` later, knowing `new_hire_knowledge`, and ramps up.",
                  {
                      {"rate", number("Leavers per person and year during the change.")
                                   .min(0)
                                   .max(10)
                                   .def("0")
                                   .into(&Path::attrition_rate)},
                      {"lasts", duration("How long after the last wave the raised turnover "
                                         "lasts.")
                                    .calendar_time_only()
                                    .min(0)
                                    .def("6mo")
                                    .into(&Path::attrition_after_h)},
                      {"hiring_delay", duration("Time to fill a leaver's role (MODEL.md M14: "
                                                "about 6-10 weeks, assumption).")
                                           .calendar_time_only()
                                           .min(0)
                                           .def("8w")
                                           .into(&Path::hiring_delay_h)},
                      {"hire_cost", number("One-off cost of each hire (agency, onboarding), in "
                                           "the scenario's currency.")
                                        .min(0)
                                        .def("0")
                                        .into(&Path::hire_cost)},
                      {"new_hire_knowledge",
                       probability("Business knowledge K of a replacement (MODEL.md M4: low, "
                                   "0.3, as a passive desk's).")
                           .def("0.3")
                           .into(&Path::new_hire_knowledge)},
                  })},
          {"in_flight",
           choice("What becomes of work in flight of a unit that moves: `stay`, it is finished "
                  "by the old structure, which keeps a person per team until its queue is "
                  "empty; `move`, at its next step it goes to the new structure through a "
                  "handoff (M3: its delay and loss of understanding).",
                  in_flight_rules, Path::InFlight::stay)
               .into(&Path::in_flight)},
      });
}

} // namespace itsim::scenarios::schema
