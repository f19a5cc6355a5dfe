// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "itsim/scenarios/diagnostics.hpp"
#include "itsim/scenarios/units.hpp"
#include "itsim/sim/arrival_process.hpp"
#include "itsim/sim/calendar.hpp"
#include "itsim/sim/distribution.hpp"
#include "itsim/sim/station.hpp"

namespace itsim::scenarios {

/// A validated scenario: what docs/scenario-format.md describes, with every default filled
/// in, every unit converted (durations and work in hours, rates per hour, money in the
/// scenario's currency) and every reference resolved to an index. Built only by the loader
/// (loader.hpp), so a Scenario value is always consistent: indices are in range, routing
/// rows sum to 1, probabilities lie in [0, 1].
///
/// Collections keep the order in which the (merged) file lists them; their `id` is the key
/// the file uses, stable under `extends:` and `--set`.
struct Scenario {
  /// A duration distribution and whether it runs on wall-clock or working time.
  struct TimedDistribution {
    sim::Distribution hours = sim::Distribution::deterministic(0);
    TimeBase base = TimeBase::calendar;
  };

  struct CalendarSpec {
    std::string id;
    sim::Calendar calendar = sim::Calendar::always();
  };

  struct Unit {
    std::string id;
    std::uint32_t headcount = 0;
    bool customer_facing = false;
  };

  enum class WorkKind : std::uint8_t { incident, request, enhancement, project, other };
  enum class Urgency : std::uint8_t { none, linear, decaying, fixed_date };

  struct WorkType {
    std::string id;
    WorkKind kind = WorkKind::other;
    /// Long-run mean arrivals per hour: per employee of each unit when per_employee,
    /// otherwise for the whole firm (split across `units` by headcount).
    double rate_per_hour = 0;
    bool per_employee = false;
    /// Units whose people raise this work (indices into Scenario::units); all by default.
    std::vector<std::uint32_t> units;
    /// Hour-of-day and weekday multipliers (normalised: the rate above is the mean) and
    /// yearly growth; flat when the work type does not follow the demand profile.
    sim::RateProfile profile;
    /// Probability of P1..P4 (sums to 1).
    std::array<double, 4> priority_mix = {0, 0, 1, 0};
    /// Work needed to finish an item, in working hours.
    sim::Distribution effort_h = sim::Distribution::deterministic(0);
    /// Time a requester waits before giving up; none: never.
    std::optional<TimedDistribution> patience;
    /// Benefit per week of an item once delivered (currency); none: no value modelled.
    std::optional<sim::Distribution> value_per_week;
    double value_life_h = 0;
    Urgency urgency = Urgency::none;
    /// Share of items that span two units (MODEL.md M6: 20% of projects; M7: 25% of items
    /// need a second team). Drawn per item at creation.
    double spanning_share = 0;
    /// Lead time the requester expects at time 0 (perception, M9).
    double expected_lead_h = 0;
    TimeBase expected_lead_base = TimeBase::calendar;

    /// Mean arrivals per hour from the whole firm.
    double firm_rate_per_hour(const std::vector<Unit>& all_units) const;
  };

  struct Pool {
    std::string id;
    std::string role;
    std::uint32_t headcount = 0;
    std::uint32_t calendar = 0; ///< index into Scenario::calendars
    sim::QueueDiscipline discipline = sim::QueueDiscipline::fifo;
    bool preemptive = false;
    /// Incidents and requests before changes (priority or wsjf discipline only).
    bool tickets_first = false;
    double cost_per_hour = 0;
    /// Share of paid time spent on the modelled work (e.g. 0.45 change x 0.85 productive
    /// for developers, MODEL.md's default company); servers are round(headcount x it).
    double availability = 1;
    /// Whether the pool is the first line (resolved_at_l1, first-contact resolution).
    bool first_line = false;
    /// M12: an outside provider (outsourced desk, cloud vendor): no queue IT controls, a
    /// contract time per ticket and a price per ticket instead of wages.
    bool provider = false;
    TimedDistribution provider_sla; ///< the contract's resolution time per ticket
    double price_per_ticket = 0;    ///< per item served, in the scenario's currency
  };

  /// Where a routing step goes next: a stage of the same route, or out (done).
  struct Next {
    static constexpr std::uint32_t done = UINT32_MAX;
    std::uint32_t stage = done; ///< index into Route::stages, or done
    double probability = 1;
  };

  /// What a stage does with an item that spans two units (Item::spanning).
  enum class Spanning : std::uint8_t {
    none,        ///< nothing special
    coordinate,  ///< the work takes Mechanisms::coordination_factor times longer (M6)
    second_team, ///< after this stage the item visits it again at the next unit's team (M7)
  };

  struct Stage {
    std::string id;
    /// Index into Model::resources (the scenario's pools, then the model's teams).
    std::uint32_t pool = 0;
    /// Work at this stage in working hours; none: the item's effort times effort_share.
    std::optional<sim::Distribution> service_h;
    double effort_share = 1;
    std::vector<Next> next; ///< probabilities sum to 1
    /// Entering this stage is a handoff (M3): a delay (Mechanisms::handoff_delay) and a
    /// loss of understanding.
    bool handoff = false;
    /// When set: at the end of this stage the item needs rework with probability 1 - u
    /// (its understanding, M3) and goes back to this stage (index into Route::stages),
    /// with Mechanisms::rework_effort_share of the original effort at each stage.
    std::optional<std::uint32_t> rework_to;
    /// Change approval (M2): the item waits for the next gate, every gate_every_h hours of
    /// calendar time from time gate_offset_h; 0: no gate.
    double gate_every_h = 0;
    double gate_offset_h = 0;
    /// A delay before joining the queue (e.g. waiting for an approval); none: no delay.
    std::optional<TimedDistribution> delay;
    Spanning spanning = Spanning::none;
    /// The stage's pool is an outside provider (M12): entering it is one more handoff, with
    /// IT as the go-between (set by the loader).
    bool provider_handoff = false;
    /// Most people (servers) who work on one item at this stage at once (1 to 255): an item
    /// takes min(crew, free servers) when it starts and its service time is its work / that.
    std::uint32_t crew = 1;
  };

  struct Route {
    std::uint32_t work_type = 0; ///< index into Scenario::work_types
    std::uint32_t start = 0;     ///< index into stages
    std::vector<Stage> stages;
  };

  /// Who does the work in a model: the scenario's pools (less the people the model's teams
  /// take from them), then the model's teams. Built by the loader.
  struct Resource {
    std::string id;
    bool team = false;
    /// People (may be fractional after a split; servers round it).
    double people = 0;
    /// One copy per business unit, people split by unit headcount (embedded IT, stream-
    /// aligned teams: M6, M7); items go to their unit's copy.
    bool by_unit = false;
    /// Items in progress at once (a team's WIP limit, M7); 0: one per person. With a limit
    /// the people share the items: service times scale by limit / people.
    std::uint32_t wip_limit = 0;
    std::uint32_t calendar = 0;
    sim::QueueDiscipline discipline = sim::QueueDiscipline::fifo;
    bool preemptive = false;
    /// Incidents and requests are served before changes (enhancements, projects): changes
    /// are the station's tier 1; with `preemptive`, tickets pre-empt changes in service.
    bool tickets_first = false;
    double cost_per_hour = 0; ///< per person-hour (people-weighted over members)
    double availability = 1;  ///< people-weighted over members
    bool first_line = false;
    /// M12: an outside provider (a pool's provider block): every item is served at once
    /// in a time drawn from provider_sla (nothing waits), costs price_per_ticket instead
    /// of the people's wages, and entering a stage here is one more handoff.
    bool provider = false;
    TimedDistribution provider_sla;
    double price_per_ticket = 0;
    /// Business knowledge K of the doers at time 0 (M4), the same for every unit (a by-unit
    /// copy that serves another unit's item, a second team, starts from it too), and
    /// whether it grows with work done for a unit. 1 by default: a plain queueing network
    /// (MODEL.md, rules for a fair comparison); the presets state theirs.
    double knowledge = 1; ///< neutral: no effort penalty, no loss of understanding
    bool learns = false;
    /// Doers switch between support and development (M6: Weinberg's 20%).
    bool context_switch = false;
  };

  /// M5: periodic swaps of staff between IT and business roles.
  struct Rotation {
    std::vector<std::uint32_t> resources; ///< resources whose staff rotate out
    double period_h = 0;                  ///< time between rotations (6 months)
    double stint_h = 0;                   ///< length of a stint (<= period)
    double it_share = 0.05;               ///< share of each resource's people going out
    std::uint32_t business_staff = 10;    ///< business people coming into IT per rotation
    double business_cost_per_hour = 60;   ///< their work's worth to the business, per paid hour
    double ramp_from = 0.5;               ///< newcomers' productivity at arrival
    double ramp_to = 0.9;                 ///< ... after ramp_h
    double ramp_h = 0;
    /// Experience for their units that IT staff on a stint gain per hour, relative to work
    /// done for the unit from IT (they learn fast, M5).
    double learning_multiplier = 3;
    double retention_boost = 0.1;  ///< + handoff retention k for units whose staff returned
    double self_serve_boost = 0.1; ///< + self-served share of requests in those units
  };

  /// M7: work discovered by staff who know the business.
  struct Proactive {
    std::uint32_t resource = 0;
    std::uint32_t work_type = 0; ///< effort, value and route of discovered items
    double rate_per_hour = 0;    ///< at knowledge 1 and no load
    double value_factor = 1;     ///< value relative to requested items of the work type
  };

  /// M14, a reorganisation path: the organisation starts in model `from` and moves to model
  /// `to` in waves, unit by unit. The loader builds a path as a model of its own, listed
  /// after the declared models: its resources are `from`'s then `to`'s (ids prefixed with
  /// the model's, e.g. `passive.l1`, `coe.stream`), its routes `from`'s then `to`'s (the
  /// route of work type w in structure 0 or 1 is routes[w + W x structure]), and the
  /// coordinator moves the staff between them at each wave (docs/models.md, "Reorganisation
  /// paths"). Every default makes the move instant and free.
  struct Path {
    /// What becomes of work in flight of a unit that moves.
    enum class InFlight : std::uint8_t {
      stay, ///< it stays with the old structure until done
      move, ///< at its next step it moves to the new structure, through a handoff
    };
    /// What the staff of a newly formed team know of the business.
    enum class KnowledgeStart : std::uint8_t {
      target,  ///< what the target model's resource starts with (as if mature)
      carried, ///< what they knew in the old structure, to learn from there
    };
    struct Wave {
      double at_h = 0;                  ///< hours from the start of the run
      std::vector<std::uint32_t> units; ///< indices into Scenario::units
    };
    std::uint32_t from = 0; ///< index into models (a declared model)
    std::uint32_t to = 0;
    /// Resources [0, from_resources) are `from`'s, the rest `to`'s.
    std::uint32_t from_resources = 0;
    std::vector<Wave> waves;             ///< in time order; no unit in two
    std::vector<double> self_service_to; ///< the target's (the model's own are `from`'s)
    double change_failure_to = 0;        ///< the target's
    // One-off costs (money in the scenario's currency).
    double training_days = 0; ///< per person moved, paid at the person's loaded cost
    double tooling = 0;       ///< at the first wave
    double outside_help = 0;  ///< at the first wave
    // Productivity of a newly formed team (Tuckman; M5's ramp): ramp_from at forming,
    // ramp_to after ramp_h, 1 after full_h (straight lines in between).
    double ramp_from = 1;
    double ramp_to = 1;
    double ramp_h = 0;
    double full_h = 0;
    KnowledgeStart knowledge = KnowledgeStart::target;
    // Attrition during the change: from the first wave until attrition_after_h after the
    // last, each person leaves at attrition_rate a year; a replacement joins the same
    // station hiring_delay_h later, knowing new_hire_knowledge, and ramps up.
    double attrition_rate = 0;
    double attrition_after_h = 0;
    double hiring_delay_h = 0;
    double hire_cost = 0;
    double new_hire_knowledge = 0.3;
    InFlight in_flight = InFlight::stay;
  };

  /// M11: IT staff spend a share of their paid time with the company's external customers.
  /// It takes that share of their capacity (Resource::availability is multiplied by 1 -
  /// share when the scenario is loaded), brings customer-driven opportunities of higher
  /// value, and opens a direct channel: customers contact the staff they met, and their
  /// tickets are served at that resource, bypassing the first line.
  struct CustomerContact {
    std::vector<std::uint32_t> resources; ///< resources whose staff meet customers
    double share = 0;                     ///< of their paid time; 0: neutral (no contact at all)
    /// Customer-driven opportunities per person-hour spent with customers.
    double opportunity_rate = 0;
    std::uint32_t opportunity_work_type = 0; ///< effort, value and route of opportunities
    double value_factor = 1.5; ///< their value relative to requested items of the work type
    /// Customer contacts per person-hour spent with customers, each a ticket of
    /// contact_work_type served at the contacted resource.
    double direct_contact_rate = 0;
    std::uint32_t contact_work_type = 0;
    /// Per entry of `resources`: the stage the loader appends to contact_work_type's route
    /// in this model, at that resource, where direct contacts start (and end).
    std::vector<std::uint32_t> direct_stages;
  };

  struct Model {
    std::string id;
    std::string description;
    std::string preset; ///< the preset it was built from, or empty
    /// Where the model's key is in the file: checks made after loading (the load check,
    /// models/load.hpp) report there.
    Location where;
    std::vector<Resource> resources;
    std::vector<Route> routes; ///< one per work type, in work-type order
    /// Share of each work type's items the requesters serve themselves (work-type order).
    std::vector<double> self_service;
    std::optional<Rotation> rotation;
    std::optional<Proactive> proactive;
    std::optional<CustomerContact> customer_contact; ///< M11; none: no contact
    /// Each delivered proactive item removes this share of later incidents, up to
    /// max_incident_reduction (M7: problem management removes up to half).
    double incident_reduction_per_item = 0;
    double max_incident_reduction = 0.5;
    double change_failure = 0; ///< share of delivered changes that raise an incident
    /// Set for a reorganisation path (built by the loader from `paths:`).
    std::optional<Path> path;
  };

  /// Scenario-wide parameters of the mechanisms (MODEL.md; every one an assumption users
  /// may sweep).
  struct Mechanisms {
    // M3 handoffs
    TimedDistribution handoff_delay;
    double handoff_retention = 0.8; ///< k: understanding kept per handoff
    double base_understanding = 1;  ///< u0
    double knowledge_weight = 0.5;  ///< u = u0 k^h (1 - w (1 - K))
    double rework_effort_share = 0.4;
    double quality_loss = 0.5; ///< value quality q = 1 - quality_loss (1 - u)
    // M4 knowledge
    double effort_penalty = 0.3; ///< effort x (1 + penalty (1 - K))
    double progress_ratio = 0.85;
    double learning_hours = 160; ///< experience scale of the learning curve
    double monthly_retention = 0.85;
    // M6
    double context_switch_cost = 0.2;
    double coordination_factor = 2.5;
    // M8 value and downtime
    double user_hour_cost = 60;
    std::array<double, 4> users_affected = {50, 10, 3, 1}; ///< per incident, P1..P4
    double customer_facing_factor = 3;
    double decay_half_life_h = 26 * 168.0;
    double deadline_h = 12 * 168.0;
    // M9 shadow IT and perception
    double shadow_build_share = 0; ///< neutral: requesters who give up just leave
    double shadow_value_share = 0.6;
    double shadow_cost_factor = 1.5;
    double shadow_incident_factor = 2;
    double shadow_run_cost_per_week = 0;
    double expectation_rise_per_year = 0.1;
    // Rationing (MODEL.md, rules for a fair comparison: real organisations ration overload)
    /// A change the business raises is declined when a resource on its route already has
    /// more work on hand than its people clear in this many calendar hours; 0: never.
    double max_backlog_h = 0;
    // SLA targets P1..P4 (M2 outcomes)
    std::array<double, 4> sla_h = {2, 4, 8, 24};
    std::array<TimeBase, 4> sla_base = {TimeBase::calendar, TimeBase::business, TimeBase::business,
                                        TimeBase::business};
    double effort_cost_rate = 60; ///< cost per hour of effort for shadow builds
    // M13 chargeback: internal pricing of IT work
    double chargeback_price_per_hour = 0; ///< price per hour of effort; 0: no chargeback
    double chargeback_elasticity = 0.5;   ///< forgone share per unit of price / effort_cost_rate
    double chargeback_shadow_boost = 0.2; ///< + shadow build share of forgone items
  };

  std::string name;
  std::string description;
  std::string currency = "USD";
  /// Annual rate discounting money to the start of the measured window; 0: none.
  double discount_rate = 0;
  double horizon_h = 8760;
  double warmup_h = 0;       ///< fixed warm-up deletion (ignored when warmup_mser5)
  bool warmup_mser5 = false; ///< detect the warm-up per run with MSER-5
  std::uint32_t replications = 30;
  std::uint64_t seed = 42;
  double business_day_h = 8; ///< working hours in a business day ("bd")

  std::vector<CalendarSpec> calendars; ///< always "always" and "business" first
  std::vector<Unit> units;
  std::vector<WorkType> work_types;
  std::vector<Pool> pools;
  std::vector<Model> models;
  std::uint32_t baseline = 0; ///< index into models
  Mechanisms mechanisms;

  /// A control of `itsim serve`'s page (the `levers:` section): metadata, never read by a
  /// run.
  struct Lever {
    std::string id;
    std::string label;
    std::string key;                   ///< the key path it sets; empty for `show: models`
    bool show_models = false;          ///< `show: models`: which models the page shows
    double min = 0, max = 0, step = 1; ///< a range lever (choices empty)
    std::vector<std::string> choices;  ///< a choice lever
    /// The value of `key` in the scenario as loaded (scalar text; defaults filled in),
    /// empty when it has none (or for `show`).
    std::string current;
  };
  std::vector<Lever> levers;

  double timeseries_step_h = 24;
  bool detail_requests = false;
  /// Items open in IT at once at which a run stops as overloaded (limits.max_open_items).
  std::uint64_t max_open_items = 1000000;

  std::uint64_t total_headcount() const;
};

/// The name of a work kind or urgency profile as the format spells it.
const char* to_string(Scenario::WorkKind kind);
const char* to_string(Scenario::Urgency urgency);

} // namespace itsim::scenarios
