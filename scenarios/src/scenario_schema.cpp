// SPDX-License-Identifier: Apache-2.0
// The scenario format, declared once. Every key's description becomes its documentation
// (docs/scenario-format.md and the JSON Schema's "description"), so write them for users:
// what the key means, its unit, and where a default number comes from.
#include "schema.hpp"

namespace itsim::scenarios::schema {

namespace {

Node calendar_entry() {
  return object("A weekly working pattern pools can follow.",
                {
                    {"days", list("Working days of the week.",
                                  choice("A day of the week.",
                                         {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}))
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
          {"kind", choice("What the work is; operating-model presets route by kind.",
                          {"incident", "request", "enhancement", "project", "other"})
                       .def("other")},
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
          {"value_life", duration("How long a delivered item yields its value (MODEL.md M8: "
                                  "3 years).")
                             .calendar_time_only()
                             .min(0, true)
                             .def("3y")},
          {"urgency", choice("How value decays with lead time (Reinertsen's cost of delay): "
                             "none, linear, decaying, or fixed_date (nothing after the "
                             "deadline).",
                             {"none", "linear", "decaying", "fixed_date"})
                          .def("none")},
      });
}

Node pool() {
  return object(
      "A group of interchangeable IT staff serving a queue.",
      {
          {"role", string("What the staff do (free text shown in reports, e.g. service_desk, "
                          "developer).")
                       .def("\"\"")},
          {"headcount", integer("Number of people (servers).").min(0).require()},
          {"calendar", identifier("When the pool works: `always` (24/7), `business` (Monday "
                                  "to Friday, 09:00-17:00) or an id from `calendars`.")
                           .def("always")},
          {"discipline", choice("Queue discipline: first come first served, by priority (P1 "
                                "first), or WSJF (highest cost of delay per hour of effort "
                                "first).",
                                {"fifo", "priority", "wsjf"})
                             .def("fifo")},
          {"preemptive", boolean("With the priority discipline, whether an urgent arrival "
                                 "interrupts less urgent work (resumed later).")
                             .def("false")},
          {"cost_per_hour", number("Loaded cost per person-hour in the scenario's currency "
                                   "(MODEL.md M10).")
                                .min(0)
                                .def("0")},
      });
}

Node stage() {
  return object(
      "One step of a route: a visit to a pool.",
      {
          {"pool", identifier("The pool doing this step (an id from `staff.pools`).").require()},
          {"service", distribution("Work at this step, drawn per visit (e.g. a handle time); "
                                   "left out: the item's effort times `effort_share`.",
                                   Quantity::duration)},
          {"effort_share", number("Share of the item's effort done at this step when "
                                  "`service` is left out.")
                               .min(0, true)
                               .def("1")},
          {"next", collection("Where the item goes after this step: stage ids of the same "
                              "route or `done`, each with its probability; the row must sum "
                              "to 1 (an escalation or rework matrix, row by row).",
                              probability("Probability of going there."))
                       .keyed("target")
                       .def("{done: 1}")},
      });
}

Node model() {
  return object(
      "An operating model to compare: how the work is routed through the pools.",
      {
          {"description", string("One line shown in reports.").def("\"\"")},
          {"routes",
           collection("How each work type flows, keyed by work-type id; every "
                      "work type needs a route in every model.",
                      object("The stages an item of this work type visits.",
                             {
                                 {"start", identifier("The first stage; the first "
                                                      "listed when left out.")},
                                 {"stages", collection("The steps, keyed by stage id.", stage())
                                                .keyed("stage")
                                                .require()},
                             }))
               .keyed("work_type")
               .require()},
      });
}

Node make_scenario() {
  return object(
      "An itsim scenario: a company, its demand for IT work, its IT staff and the operating "
      "models to compare.",
      {
          {"schema_version", integer("Version of this format.").min(1).max(1).def("1")},
          {"name", string("Short name of the scenario, shown in reports.").require()},
          {"description", string("What the scenario is about.").def("\"\"")},
          {"extends", list("Scenario files this one builds on (a path or a list, relative to "
                           "this file); maps merge key by key, everything else replaces. "
                           "Resolved before validation.",
                           string("A path (relative to this file)."))
                          .or_single()},
          {"currency", string("Currency of every amount of money, shown in reports.").def("USD")},
          {"horizon", duration("Simulated time of one replication.")
                          .calendar_time_only()
                          .min(0, true)
                          .def("1y")},
          {"warmup", duration("Initial time whose statistics are discarded, or `mser5` to "
                              "detect it per run (steady-state studies).")
                         .calendar_time_only()
                         .accept({"mser5"})
                         .def("0d")},
          {"replications", integer("Independent replications per model (common random "
                                   "numbers across models).")
                               .min(1)
                               .max(1000000)
                               .def("30")},
          {"seed", integer("Master seed; every random stream derives from it, the "
                           "replication and the stream's name.")
                       .min(0)
                       .def("42")},
          {"business_day", duration("Working hours in a business day, the meaning of `bd` "
                                    "(and of `bw`, five of them).")
                               .calendar_time_only()
                               .min(0, true)
                               .max(24)
                               .def("8h")},
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
                                                           .def("false")},
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
          {"output",
           object("What runs record.",
                  {
                      {"timeseries_step", duration("Grid of the time series (queues, backlog, "
                                                   "utilisation, cumulative value).")
                                              .calendar_time_only()
                                              .min(0, true)
                                              .def("1d")},
                      {"detail", list("Optional detail tables: `requests` records every item.",
                                      choice("A detail table.", {"requests"}))
                                     .def("[]")},
                  })},
      });
}

} // namespace

const Node& scenario() {
  static const Node root = make_scenario();
  return root;
}

} // namespace itsim::scenarios::schema
