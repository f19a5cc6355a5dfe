// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_models: the operating model's small shared vocabulary. The
// coordinator (org_run.cpp) owns the items and moves each through its life; the parts
// (demand, routing, knowledge, rotation, proactive work, value, shadow IT, KPI recording)
// include this header and the scenario, never each other. docs/architecture.md draws it.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "itsim/models/org_model.hpp"
#include "itsim/scenarios/scenario.hpp"
#include "itsim/sim/random_stream.hpp"
#include "itsim/sim/sim_time.hpp"

namespace itsim::models::detail {

inline constexpr double hours_per_month = 8760.0 / 12.0;
inline constexpr double hours_per_week = 168.0;
inline constexpr double hours_per_year = 8760.0;
/// Paid hours per calendar hour: 40 paid hours a week.
inline constexpr double paid_share = 40.0 / hours_per_week;
/// No station, no unit, no work type.
inline constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

using WorkKind = scenarios::Scenario::WorkKind;
inline constexpr std::size_t work_kind_count = 5;
static_assert(static_cast<std::size_t>(WorkKind::other) + 1 == work_kind_count);

inline bool is_ticket(WorkKind k) {
  return k == WorkKind::incident || k == WorkKind::request;
}
inline bool is_change(WorkKind k) {
  return k == WorkKind::enhancement || k == WorkKind::project;
}

/// The priority (0 = P1 .. 3 = P4) a uniform `u` draws from a work type's priority mix.
inline std::uint8_t draw_priority(const std::array<double, 4>& mix, double u) {
  double acc = 0;
  for (std::uint8_t p = 0; p < 4; ++p) {
    acc += mix[p];
    if (u < acc) return p;
  }
  for (std::uint8_t p = 4; p-- > 0;)
    if (mix[p] > 0) return p;
  return 2;
}

/// What a part hands the coordinator to create an item (a follow-up incident, a
/// discovered opportunity): its attributes, drawn by the part, and the item's own stream
/// in the state those draws left it.
struct ItemSpec {
  sim::RandomStream rng{0};
  std::uint32_t work_type = 0;
  std::uint32_t unit = 0;
  std::uint8_t priority = 2;
  double effort_h = 0;
  double value_week = 0;
  double patience_h = -1; ///< < 0: endless
  bool spanning = false;
  ItemOrigin origin = ItemOrigin::demand;
};

/// What becomes of an item the business raises, before IT sees it.
/// forgone: it would have reached IT, but chargeback's price put the requester off (M13).
enum class RaisedFate : std::uint8_t { to_it, self_served, prevented, forgone };

/// The time base of money (docs/models.md, "Money over the measured window"). Every amount
/// counts as it falls inside the measured window [start_h, end_h] (the warm-up's end to the
/// horizon, hours from the start of the run) and is discounted continuously to the window's
/// start at the scenario's annual `discount_rate` r: an amount at hour t is worth
/// (1 + r)^-((t - start_h) / 8760). A flow of 1 per hour over [a, b] is worth the integral
/// of that factor, in closed form. With r = 0 nothing is discounted and exact hours remain.
class MoneyWindow {
public:
  /// The window [start_h, end_h] (hours) discounted at `annual_rate` (>= 0, < 1).
  MoneyWindow(double start_h, double end_h, double annual_rate)
      : start_h_(start_h), end_h_(end_h), per_hour_(std::log1p(annual_rate) / hours_per_year) {}

  /// The window of a run of `s` with `warmup_h` hours of warm-up deleted.
  static MoneyWindow of(const scenarios::Scenario& s, double warmup_h) {
    return {warmup_h, s.horizon_h, s.discount_rate};
  }

  double start_h() const { return start_h_; }
  double end_h() const { return end_h_; }

  /// What 1 at hour `t_h` is worth at the window's start.
  double factor(double t_h) const {
    return per_hour_ == 0 ? 1.0 : std::exp(-per_hour_ * (t_h - start_h_));
  }

  /// What 1 per hour from `from_h` to `until_h`, clipped to the window, is worth at its
  /// start: the hours inside the window when nothing is discounted; 0 when none are.
  double accrued(double from_h, double until_h) const {
    const double a = std::max(from_h, start_h_);
    const double b = std::min(until_h, end_h_);
    if (!(b > a)) return 0;
    if (per_hour_ == 0) return b - a;
    return factor(a) * -std::expm1(-per_hour_ * (b - a)) / per_hour_;
  }

  /// The mean discount factor over [from_h, until_h] (not clipped), for an amount spread
  /// evenly over it; factor(until_h) when it is empty.
  double mean_factor(double from_h, double until_h) const {
    if (per_hour_ == 0) return 1.0;
    const double d = until_h - from_h;
    if (!(d > 0)) return factor(until_h);
    return factor(from_h) * -std::expm1(-per_hour_ * d) / (per_hour_ * d);
  }

private:
  double start_h_ = 0;
  double end_h_ = 0;
  double per_hour_ = 0; ///< continuous rate per hour: ln(1 + r) / 8760
};

/// The money of one delivery (value.cpp computes it, the KPI recorder sums it). `value` and
/// `customer` are earned within the measured window, discounted; `downtime` is discounted;
/// `whole_life` and `lost_to_delay` are whole-life stakes, booked at delivery undiscounted.
struct DeliveryMoney {
  double value = 0;         ///< earned in the window: per_hour x MoneyWindow::accrued(from, until)
  double lost_to_delay = 0; ///< whole life: potential x quality x (1 - urgency)
  double customer = 0;      ///< `value` when the unit faces customers, else 0
  double downtime = 0;      ///< incidents: users' lost time while open
  double whole_life = 0;    ///< potential x quality x urgency over the whole value life
  double per_hour = 0;      ///< value x quality x urgency per hour, as it accrues
  double from_h = 0;        ///< the accrual: from the delivery (hours from the run's start)
  double until_h = 0;       ///< to the end of the value life or the window, the first
};

/// The money of a shadow build (requesters.cpp computes it, the KPI recorder sums it), in
/// the measured window and discounted like DeliveryMoney::value.
struct ShadowMoney {
  double value = 0;          ///< earned in the window: value_per_h x accrued(from, until)
  double cost = 0;           ///< build_cost + run_cost_per_h x accrued(from, until)
  double build_cost = 0;     ///< the one-off build, at the build
  double value_per_h = 0;    ///< the shadow system's value per hour, as it accrues
  double run_cost_per_h = 0; ///< its running cost per hour, as it accrues
  double from_h = 0;         ///< the accrual: from the build (hours from the run's start)
  double until_h = 0;        ///< to the end of the value life or the window, the first
  /// Build plus running cost over the whole value life, undiscounted: what the system costs
  /// a company a year once it carries the systems of earlier years too (the share of spend).
  double whole_life_cost = 0;
};

/// An item in flight. Its attributes were drawn at creation; its own stream (seeded at
/// creation from the demand) serves the draws made along the way, so that as long as two
/// models treat an item alike they draw alike.
struct Item {
  sim::RandomStream rng{0};
  sim::SimTime created;
  std::uint64_t serial = 0;    // creation order
  double patience_left_h = -1; // queueing the requester still tolerates; < 0: endless
  double work_h = 0;           // working hours of the current visit's service
  double on_hand_h = 0;        // person-hours this visit adds to its station's work on hand
  sim::SimTime stage_ready;    // when it joined the current stage's queue
  double effort_h = 0;
  double value_week = 0;
  double understanding = 1;       // u0 k^h: what handoffs left of the requirement
  double understanding_final = 1; // with the last doer's knowledge: u of M3 at delivery
  double touch_h = 0;
  double wait_h = 0;
  double handoff_h = 0;
  std::uint32_t work_type = 0;
  std::uint32_t route = 0; // index into Model::routes: work_type, + W in a path's new structure
  std::uint32_t unit = 0;
  std::uint32_t stage = 0;
  std::uint32_t station = 0;   // where it is queued or served
  std::uint32_t home_unit = 0; // unit whose copy serves it (changes for a second team)
  std::uint16_t handoffs = 0;
  std::uint16_t visits = 0;
  std::uint16_t reworks = 0;
  std::uint8_t priority = 2;
  std::uint8_t structure = 0; // a path's: 0 the old structure (`from`), 1 the new (`to`)
  ItemOrigin origin = ItemOrigin::demand;
  bool spanning = false;
  bool second_team_done = false;
  bool in_rework = false;
  bool seen_by_first_line = false;
  bool counted = false; // created after the warm-up: its outcomes count
  bool live = false;
};

} // namespace itsim::models::detail
