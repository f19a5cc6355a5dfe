// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "itsim/scenarios/scenario.hpp"

namespace itsim::models {

/// The outcome KPIs of one run (CONTRACT.md's required names first, then more). Indices
/// into RunResult::kpi; kpi_table() gives each one's name, unit and meaning.
enum class Kpi : std::uint8_t {
  demand_generated,
  arrivals_to_it,
  self_served,
  completed,
  abandoned,
  shadow_builds,
  backlog_end,
  wait_mean_h,
  lead_time_mean_h,
  lead_time_p50_h,
  lead_time_p95_h,
  first_contact_resolution,
  resolved_at_l1,
  handoffs_mean,
  rework_rate,
  flow_efficiency,
  sla_attainment,
  value_gross,
  value_lost_to_delay,
  downtime_cost,
  customer_value,
  cost_total,
  net_value,
  utilisation_mean,
  perception,
  // Beyond the contract's list.
  prevented,
  proactive_delivered,
  change_failures,
  shadow_incidents,
  shadow_value,
  shadow_cost,
  shadow_share,
  it_cost,
  cost_per_ticket_l1,
  lead_time_p85_h,
  incident_lead_time_p50_h,
  request_lead_time_p50_h,
  enhancement_lead_time_p50_h,
  project_lead_time_p50_h,
  handoff_time_mean_h,
  touch_time_mean_h,
  knowledge_mean,
  change_flow_efficiency,
  count
};

inline constexpr std::size_t kpi_count = static_cast<std::size_t>(Kpi::count);

struct KpiInfo {
  const char* name;        ///< as in the results file
  const char* unit;        ///< "items", "h", "share", the currency ("money"), ...
  const char* description; ///< one line
};

/// Name, unit and meaning of every KPI, in Kpi order.
const std::array<KpiInfo, kpi_count>& kpi_table();

/// Utilisation of one resource (a pool or team; by-unit copies together) in one run.
struct ResourceResult {
  std::string id;
  double utilisation = 0; ///< busy server-hours over available server-hours
  double servers = 0;     ///< servers available, time-averaged
  double knowledge = 0;   ///< mean K over units at the end of the run
};

/// Everything one run of one model reports.
struct RunResult {
  std::array<double, kpi_count> kpi{};
  std::vector<ResourceResult> resources;
  std::uint64_t events = 0;
  std::uint64_t fingerprint = 0; ///< trajectory hash, when asked for
  std::size_t peak_items_in_flight = 0;

  double operator[](Kpi k) const { return kpi[static_cast<std::size_t>(k)]; }
};

struct RunOptions {
  bool fingerprint = false;
  /// Polled by the event loop; when raised the run throws itsim::Error("interrupted").
  const std::atomic<bool>* interrupt = nullptr;
};

/// Runs replication `replication` of model `model` (an index into s.models) of scenario
/// `s` and returns its KPIs. A pure function of (scenario, model, replication): every
/// random source is a named stream of the scenario's seed and the replication, and the
/// demand (every item's arrival and attributes) is drawn from streams no model decision
/// touches, so every model of a replication faces exactly the same items (common random
/// numbers). docs/models.md describes the mechanisms.
///
/// Throws itsim::ModelError when the model cannot run (e.g. a stage on a resource with
/// no people), naming the model and the key.
RunResult run_model(const scenarios::Scenario& s, std::uint32_t model, std::uint64_t replication,
                    const RunOptions& options = {});

} // namespace itsim::models
