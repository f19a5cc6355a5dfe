// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
    double cost_per_hour = 0;
  };

  /// Where a routing step goes next: a stage of the same route, or out (done).
  struct Next {
    static constexpr std::uint32_t done = UINT32_MAX;
    std::uint32_t stage = done; ///< index into Route::stages, or done
    double probability = 1;
  };

  struct Stage {
    std::string id;
    std::uint32_t pool = 0; ///< index into Scenario::pools
    /// Work at this stage in working hours; none: the item's effort times effort_share.
    std::optional<sim::Distribution> service_h;
    double effort_share = 1;
    std::vector<Next> next; ///< probabilities sum to 1
  };

  struct Route {
    std::uint32_t work_type = 0; ///< index into Scenario::work_types
    std::uint32_t start = 0;     ///< index into stages
    std::vector<Stage> stages;
  };

  struct Model {
    std::string id;
    std::string description;
    std::vector<Route> routes; ///< one per work type, in work-type order
  };

  std::string name;
  std::string description;
  std::string currency = "USD";
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

  double timeseries_step_h = 24;
  bool detail_requests = false;

  std::uint64_t total_headcount() const;
};

/// The name of a work kind or urgency profile as the format spells it.
const char* to_string(Scenario::WorkKind kind);
const char* to_string(Scenario::Urgency urgency);

} // namespace itsim::scenarios
