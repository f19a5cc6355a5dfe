// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_models: the operating model's small shared vocabulary. The
// coordinator (org_run.cpp) owns the items and moves each through its life; the parts
// (demand, routing, knowledge, rotation, proactive work, value, shadow IT, KPI recording)
// include this header and the scenario, never each other. docs/architecture.md draws it.
#pragma once

#include <array>
#include <cstdint>
#include <limits>

#include "itsim/models/org_model.hpp"
#include "itsim/scenarios/scenario.hpp"
#include "itsim/sim/random_stream.hpp"
#include "itsim/sim/sim_time.hpp"

namespace itsim::models::detail {

inline constexpr double hours_per_month = 8760.0 / 12.0;
inline constexpr double hours_per_week = 168.0;
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
enum class RaisedFate : std::uint8_t { to_it, self_served, prevented };

/// The money of one delivery (value.cpp computes it, the KPI recorder sums it).
struct DeliveryMoney {
  double value = 0;         ///< realised: potential x quality x urgency
  double lost_to_delay = 0; ///< potential x quality x (1 - urgency)
  double customer = 0;      ///< `value` when the unit faces customers, else 0
  double downtime = 0;      ///< incidents: users' lost time while open
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
  std::uint32_t unit = 0;
  std::uint32_t stage = 0;
  std::uint32_t station = 0;   // where it is queued or served
  std::uint32_t home_unit = 0; // unit whose copy serves it (changes for a second team)
  std::uint16_t handoffs = 0;
  std::uint16_t visits = 0;
  std::uint16_t reworks = 0;
  std::uint8_t priority = 2;
  ItemOrigin origin = ItemOrigin::demand;
  bool spanning = false;
  bool second_team_done = false;
  bool in_rework = false;
  bool seen_by_first_line = false;
  bool counted = false; // created after the warm-up: its outcomes count
  bool live = false;
};

} // namespace itsim::models::detail
