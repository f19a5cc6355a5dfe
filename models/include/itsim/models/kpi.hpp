// SPDX-License-Identifier: Apache-2.0
// The outcome KPIs and time series of a run of the operating model, each declared once.
//
// ITSIM_KPIS lists every KPI with its name, unit, family, which direction is better, its
// heading in the terminal comparison (empty: not shown there) and its meaning. The Kpi
// enum, kpi_table(), the results file's /runs columns and their units, `itsim run`'s
// table, `itsim models --kpis` and the KPI table of docs/models.md all come from it, so
// they cannot drift apart. The KPI recorder (models/src/kpi_recorder.cpp) fills each one.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace itsim::models {

/// What a KPI describes; the board pack and the terminal table group by it.
enum class KpiFamily : std::uint8_t {
  demand,     ///< items raised, served, given up
  latency,    ///< how long work takes and where the time goes
  quality,    ///< first-time right, SLA, handoffs
  value,      ///< value delivered or built
  cost,       ///< spend
  risk,       ///< failures, downtime, shadow systems
  capacity,   ///< utilisation and knowledge of the staff
  perception, ///< how the business sees IT
  run,        ///< about the run itself
};

/// Which direction of a KPI is good for the organisation (none: neither, e.g. a count of
/// demand that is the same under every model).
enum class Better : std::uint8_t { none, higher, lower };

// X(name, unit, family, better, terminal heading, meaning). CONTRACT.md's required KPIs
// first, in its order; new KPIs go at the end (the results file keeps this order).
// clang-format off
#define ITSIM_KPIS(X)                                                                         \
  X(demand_generated, "items", demand, none, "", "items the business raised (identical across models)") \
  X(arrivals_to_it, "items", demand, none, "", "raised items that reached IT (not self-served or prevented)") \
  X(self_served, "items", demand, none, "", "raised items the requesters served themselves") \
  X(completed, "items", demand, higher, "", "items IT delivered (requested, proactive and follow-up work)") \
  X(abandoned, "items", demand, lower, "", "items whose requester gave up waiting") \
  X(shadow_builds, "items", risk, lower, "shadow", "abandoned, declined or forgone (chargeback) items built outside IT") \
  X(backlog_end, "items", demand, lower, "", "items still in IT at the end of the run") \
  X(wait_mean_h, "h", latency, lower, "", "mean time a delivered item spent queueing") \
  X(lead_time_mean_h, "h", latency, lower, "", "mean time from request to delivery") \
  X(lead_time_p50_h, "h", latency, lower, "lead p50 h", "median lead time") \
  X(lead_time_p95_h, "h", latency, lower, "lead p95 h", "95th percentile of lead time") \
  X(first_contact_resolution, "share", quality, higher, "", "tickets (incidents, requests) resolved at their first first-line visit") \
  X(resolved_at_l1, "share", quality, none, "", "tickets whose last stage was on a first-line pool") \
  X(handoffs_mean, "handoffs", quality, lower, "", "mean handoffs per delivered item") \
  X(rework_rate, "share", quality, lower, "", "delivered items that needed rework at least once") \
  X(flow_efficiency, "share", latency, higher, "", "touch time over lead time, over delivered items") \
  X(sla_attainment, "share", quality, higher, "SLA", "tickets resolved within their priority's SLA") \
  X(value_gross, "money", value, higher, "value", "value IT's deliveries earned in the measured window: value x quality x urgency a week, from delivery to the end of the value life or of the run, discounted at discount_rate") \
  X(value_lost_to_delay, "money", value, lower, "", "value lost to the lead time (cost of delay), of delivered items and so far of open ones: whole value life, booked at delivery (or the end), undiscounted") \
  X(downtime_cost, "money", risk, lower, "", "users' lost time while incidents resolved in the window were open, discounted") \
  X(customer_value, "money", value, higher, "", "value_gross delivered to customer-facing units") \
  X(cost_total, "money", cost, lower, "cost", "IT staff cost plus shadow-IT spend, business staff lent on rotation and outside providers' tickets (provider_cost), in the measured window, discounted") \
  X(net_value, "money", value, higher, "net value", "value_gross + shadow_value - downtime_cost - cost_total: all on one time base, the measured window, discounted") \
  X(utilisation_mean, "share", capacity, none, "", "busy over available server-hours, over all resources") \
  X(perception, "score", perception, higher, "perception", "mean of min(1, expected / actual lead time) over requested items delivered, 0 for each requester who gave up; in [0, 1]") \
  X(prevented, "items", demand, higher, "", "incidents that delivered capabilities prevented") \
  X(declined, "items", demand, lower, "", "changes declined because their portfolio was full (mechanisms.rationing)") \
  X(proactive_delivered, "items", value, higher, "", "items IT discovered itself and delivered") \
  X(change_failures, "items", risk, lower, "", "delivered changes that raised an incident") \
  X(shadow_incidents, "items", risk, lower, "", "incidents raised by shadow systems") \
  X(shadow_value, "money", value, none, "", "value shadow systems earned in the window, from their build to the end of the value life or of the run, discounted") \
  X(shadow_cost, "money", cost, lower, "", "spend on shadow systems in the window: their builds and their running cost as it accrues, discounted") \
  X(shadow_share, "share", cost, lower, "", "steady-state share of spend: shadow systems built in the window at their whole-life cost, over that plus IT staff cost and providers' tickets (undiscounted)") \
  X(rotation_business_cost, "money", cost, lower, "", "what business staff lent to IT on rotation stints would have done for their business (in cost_total)") \
  X(it_cost, "money", cost, lower, "", "loaded cost of IT staff over the measured window, discounted") \
  X(cost_per_ticket_l1, "money", cost, lower, "", "first-line staff cost per ticket that reached the first line (undiscounted: a unit cost)") \
  X(lead_time_p85_h, "h", latency, lower, "", "85th percentile of lead time") \
  X(incident_lead_time_p50_h, "h", latency, lower, "", "median lead time of incidents") \
  X(request_lead_time_p50_h, "h", latency, lower, "", "median lead time of service requests") \
  X(enhancement_lead_time_p50_h, "h", latency, lower, "", "median lead time of enhancements") \
  X(project_lead_time_p50_h, "h", latency, lower, "", "median lead time of projects") \
  X(handoff_time_mean_h, "h", latency, lower, "", "mean time a delivered item spent in handoffs, stage delays, gates and coordination waits") \
  X(touch_time_mean_h, "h", latency, none, "", "mean working time spent on a delivered item") \
  X(knowledge_mean, "share", capacity, higher, "", "mean business knowledge K of the doers at the end") \
  X(change_flow_efficiency, "share", latency, higher, "", "touch time over lead time of enhancements and projects") \
  X(warmup_h, "h", run, none, "", "warm-up deleted: the scenario's, or detected by MSER-5") \
  X(open_at_end, "items", demand, lower, "", "items created after the warm-up still open at the end (backlog_end less the warm-up's)") \
  X(open_incidents, "items", demand, lower, "", "open_at_end that are incidents") \
  X(open_requests, "items", demand, lower, "", "open_at_end that are service requests") \
  X(open_enhancements, "items", demand, lower, "", "open_at_end that are enhancements") \
  X(open_projects, "items", demand, lower, "", "open_at_end that are projects") \
  X(open_age_mean_h, "h", latency, lower, "", "mean age at the end of the items open at the end") \
  X(open_value_at_risk, "money", value, lower, "", "what the open items would still earn over their whole value life if delivered at the end (value x quality so far x urgency at their age), undiscounted: at stake, not earned") \
  X(value_lost_to_delay_open, "money", value, lower, "", "the part of value_lost_to_delay lost so far by items still open at the end (whole value life, undiscounted)") \
  X(delivered_share, "share", demand, higher, "", "completed over completed + open_at_end") \
  X(lead_time_km_p50_h, "h", latency, lower, "", "median lead time, Kaplan-Meier: open and abandoned items censored at their age; NaN: not reached") \
  X(lead_time_km_p95_h, "h", latency, lower, "", "95th percentile of lead time, Kaplan-Meier as lead_time_km_p50_h; NaN: not reached") \
  X(value_whole_life, "money", value, higher, "", "whole value life of IT's deliveries in the window, booked at delivery and undiscounted (value x quality x urgency over the full life): at stake, not earned; value_gross is what the window earned of it") \
  X(reorg_cost, "money", cost, lower, "", "one-off costs of a reorganisation path in the window (training, tooling, outside help, hires), discounted; in cost_total. 0 for a model") \
  X(leavers, "people", capacity, lower, "", "IT staff who left during a reorganisation path's change (its attrition) in the window. 0 for a model") \
  X(customer_opportunities, "items", value, higher, "", "customer-driven opportunities raised by staff's contact with external customers (M11)") \
  X(direct_contacts, "items", demand, lower, "", "tickets customers raised directly with the staff they met, bypassing the first line (M11)") \
  X(provider_tickets, "items", demand, none, "", "items outside providers finished after the warm-up (M12)") \
  X(provider_cost, "money", cost, lower, "", "price per ticket x items outside providers finished in the window, discounted (M12; in cost_total, not in it_cost)") \
  X(chargeback_forgone, "items", demand, none, "", "changes the business raised but forwent because IT charges for its work (M13); some are built as shadow systems")
// clang-format on

/// The outcome KPIs of one run, in ITSIM_KPIS order: indices into RunResult::kpi.
enum class Kpi : std::uint8_t {
#define ITSIM_KPI_ENUMERATOR(name, unit, family, better, heading, meaning) name,
  ITSIM_KPIS(ITSIM_KPI_ENUMERATOR)
#undef ITSIM_KPI_ENUMERATOR
      count
};

inline constexpr std::size_t kpi_count = static_cast<std::size_t>(Kpi::count);

/// Everything declared about one KPI (or one time series).
struct KpiInfo {
  const char* name;        ///< as in the results file
  const char* unit;        ///< "items", "h", "share", the currency ("money"), ...
  const char* description; ///< one line
  KpiFamily family = KpiFamily::run;
  Better better = Better::none;
  const char* heading = ""; ///< column heading in `itsim run`'s table; empty: not shown
};

/// Name, unit, family, direction and meaning of every KPI, in Kpi order.
const std::array<KpiInfo, kpi_count>& kpi_table();

/// The declaration of KPI `k`.
inline const KpiInfo& info(Kpi k) {
  return kpi_table()[static_cast<std::size_t>(k)];
}

/// The KPI named `name`, or Kpi::count when there is none.
Kpi kpi_named(std::string_view name);

const char* to_string(KpiFamily f);
const char* to_string(Better b);

/// A Markdown table of every KPI (name, unit, family, better, meaning): the table of
/// docs/models.md and `itsim models --kpis --format markdown`.
std::string kpi_markdown_table();

/// The time series a run records on its regular grid (RunOptions::timeseries_step_h), in
/// output order; series_table() gives each one's name, unit and meaning.
enum class Series : std::uint8_t {
  queue_length,
  in_service,
  backlog,
  utilisation,
  value_cumulative,
  net_value_cumulative,
  count
};

inline constexpr std::size_t series_count = static_cast<std::size_t>(Series::count);

/// Samples of a run's time series: every `step_h` hours from the start, up to and
/// including the horizon (0 when step_h is not positive).
std::uint32_t series_points(double horizon_h, double step_h);

/// Name, unit and meaning of every time series, in Series order.
const std::array<KpiInfo, series_count>& series_table();

} // namespace itsim::models
