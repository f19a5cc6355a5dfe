// SPDX-License-Identifier: Apache-2.0
// Every choice of the scenario and sweep languages, each declared once: its spellings and
// the values they stand for. The schema (scenario_schema.cpp) takes a key's allowed values
// and its default from here, the loader converts with find_choice, and `itsim schema` and
// docs/scenario-format.md list the spellings in this order.
#pragma once

#include <cstdint>

#include "itsim/scenarios/choice.hpp"
#include "itsim/scenarios/scenario.hpp"
#include "itsim/scenarios/sweep.hpp"
#include "itsim/sim/station.hpp"

namespace itsim::scenarios {

/// `demand.work_types.<id>.kind`.
inline constexpr Choices<Scenario::WorkKind, 5> work_kinds = {{
    {"incident", Scenario::WorkKind::incident},
    {"request", Scenario::WorkKind::request},
    {"enhancement", Scenario::WorkKind::enhancement},
    {"project", Scenario::WorkKind::project},
    {"other", Scenario::WorkKind::other},
}};

/// `demand.work_types.<id>.urgency`: how value decays with lead time.
inline constexpr Choices<Scenario::Urgency, 4> urgencies = {{
    {"none", Scenario::Urgency::none},
    {"linear", Scenario::Urgency::linear},
    {"decaying", Scenario::Urgency::decaying},
    {"fixed_date", Scenario::Urgency::fixed_date},
}};

/// `discipline` of pools and teams; `wsjf` is the value-density order of the engine.
inline constexpr Choices<sim::QueueDiscipline, 3> queue_disciplines = {{
    {"fifo", sim::QueueDiscipline::fifo},
    {"priority", sim::QueueDiscipline::priority},
    {"wsjf", sim::QueueDiscipline::value_density},
}};

/// `spanning` of a stage: what it does with an item spanning two units.
inline constexpr Choices<Scenario::Spanning, 3> spannings = {{
    {"none", Scenario::Spanning::none},
    {"coordinate", Scenario::Spanning::coordinate},
    {"second_team", Scenario::Spanning::second_team},
}};

/// `paths.<id>.in_flight`: what becomes of work in flight of a unit that moves (M14).
inline constexpr Choices<Scenario::Path::InFlight, 2> in_flight_rules = {{
    {"stay", Scenario::Path::InFlight::stay},
    {"move", Scenario::Path::InFlight::move},
}};

/// `paths.<id>.knowledge`: what the staff of a newly formed team know (M14).
inline constexpr Choices<Scenario::Path::KnowledgeStart, 2> knowledge_starts = {{
    {"target", Scenario::Path::KnowledgeStart::target},
    {"carried", Scenario::Path::KnowledgeStart::carried},
}};

/// `calendars.<id>.days`: the day's number as sim::WorkWindow counts it (0 = Monday).
inline constexpr Choices<int, 7> weekdays = {{
    {"mon", 0},
    {"tue", 1},
    {"wed", 2},
    {"thu", 3},
    {"fri", 4},
    {"sat", 5},
    {"sun", 6},
}};

/// Words `warmup` accepts instead of a duration.
enum class WarmupRule : std::uint8_t {
  mser5, ///< detect the warm-up of each run with MSER-5
};
inline constexpr Choices<WarmupRule, 1> warmup_rules = {{
    {"mser5", WarmupRule::mser5},
}};

/// `output.detail`: the optional detail tables of a run.
enum class DetailTable : std::uint8_t {
  requests, ///< one row per item
};
inline constexpr Choices<DetailTable, 1> detail_tables = {{
    {"requests", DetailTable::requests},
}};

/// `design` (or `design.type`) of a sweep file.
inline constexpr Choices<DesignType, 5> design_types = {{
    {"grid", DesignType::grid},
    {"zip", DesignType::zip},
    {"random", DesignType::random},
    {"lhs", DesignType::lhs},
    {"morris", DesignType::morris},
}};

} // namespace itsim::scenarios
