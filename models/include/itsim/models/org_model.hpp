// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "itsim/models/kpi.hpp"
#include "itsim/scenarios/scenario.hpp"

namespace itsim::models {

/// How an item's life in IT ended.
/// What became of an item: `declined` is a change rationing turned away (not built outside).
enum class ItemOutcome : std::uint8_t { delivered, abandoned, shadow_build, open, declined };
/// Where an item came from.
enum class ItemOrigin : std::uint8_t {
  demand,
  proactive,
  change_failure,
  shadow,
  customer_opportunity, ///< brought by staff's contact with external customers (M11)
  customer_contact,     ///< a customer contacting the staff directly (M11)
};

const char* to_string(ItemOutcome o);
const char* to_string(ItemOrigin o);

/// One item that reached IT after the warm-up (RunOptions::record_items): what happened to
/// it. Times in hours from the start of the run.
struct ItemRecord {
  std::uint64_t serial = 0;    ///< creation order within the run, from 0
  double created_h = 0;        ///< when it reached IT
  double finished_h = 0;       ///< delivery or abandonment; NaN while open at the end
  double wait_h = 0;           ///< time queueing
  double touch_h = 0;          ///< working time spent on it
  double handoff_h = 0;        ///< time in handoffs, stage delays and gates
  double value = 0;            ///< value realised: delivered (M8) or built in the shadow (M9)
  double sla_met = 0;          ///< tickets: 1 within the priority's SLA, else 0; NaN otherwise
  std::uint32_t work_type = 0; ///< index into Scenario::work_types
  std::uint32_t unit = 0;      ///< index into Scenario::units
  std::uint16_t handoffs = 0;
  std::uint16_t reworks = 0;
  std::uint16_t visits = 0;
  std::uint8_t priority = 0; ///< 0 = P1 .. 3 = P4
  ItemOutcome outcome = ItemOutcome::open;
  ItemOrigin origin = ItemOrigin::demand;
};

/// Where the time goes at one resource (a pool or team) in one run, measured after the
/// warm-up. A by-unit resource is one station per business unit; its copies combine as
/// one resource: utilisation is their busy over their available server-hours, the wait
/// and P(wait) are pooled over the visits of every copy (sums of waits and counts, not a
/// mean of means), queue_mean, servers and served are sums over the copies. A resource no
/// stage uses has no station: utilisation, servers, queue_mean and served are 0, the wait
/// and P(wait) NaN.
struct ResourceResult {
  std::string id;
  double utilisation = 0; ///< busy server-hours over available server-hours
  double servers = 0;     ///< servers available, time-averaged
  double knowledge = 0;   ///< mean K over units at the end of the run
  /// Mean time a visit queued before its service started, hours, over the visits whose
  /// service started after the warm-up; NaN when none did.
  double wait_mean_h = std::numeric_limits<double>::quiet_NaN();
  /// Share of those visits that had to queue (started later than they arrived); NaN when
  /// none started.
  double p_wait = std::numeric_limits<double>::quiet_NaN();
  double queue_mean = 0;     ///< items waiting for the resource, time-averaged
  std::uint64_t started = 0; ///< visits whose service started (behind wait_mean_h, p_wait)
  std::uint64_t served = 0;  ///< visits completed
};

/// Lead time of one group of the items delivered after the warm-up (a priority, a
/// business unit) in one run. Percentiles as the KPIs' (Hyndman & Fan 7); NaN when the
/// group delivered nothing.
struct LeadTimeGroup {
  std::uint64_t delivered = 0;                             ///< items delivered
  double p50_h = std::numeric_limits<double>::quiet_NaN(); ///< median lead time, hours
  double p95_h = std::numeric_limits<double>::quiet_NaN(); ///< 95th percentile, hours
};

/// The percentiles of a LeadTimeDistribution, in order: p10, p25, p50, p75, p90, p95.
inline constexpr std::array<double, 6> lead_time_distribution_p = {0.10, 0.25, 0.50,
                                                                   0.75, 0.90, 0.95};

/// Lead-time distribution of one work type's items delivered after the warm-up in one
/// run: the percentiles lead_time_distribution_p, as the KPIs' (Hyndman & Fan 7), in hours;
/// NaN when the work type delivered nothing.
struct LeadTimeDistribution {
  std::uint64_t delivered = 0; ///< items delivered
  std::array<double, lead_time_distribution_p.size()> p_h{
      std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN(),
      std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN(),
      std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
};

/// Whether a run's backlog settled after the warm-up: the batch-means trend test
/// (analysis/stationarity.hpp) of the backlog and queue-length series from the first sample
/// after the warm-up (docs/models.md, "Stationarity"). The values are the codes of the
/// results file's /runs `steady`.
enum class Stationarity : std::uint8_t {
  trending = 0,    ///< the backlog or the queue trends: results depend on the horizon
  steady = 1,      ///< no trend found
  too_short = 2,   ///< too few samples after the warm-up to tell (fewer than 50)
  not_tested = 255 ///< no time series recorded (RunOptions::timeseries_step_h = 0)
};

/// "trending", "steady", "too short" or "not tested".
const char* to_string(Stationarity s);

/// False-alarm rate of a run's trend test: the probability that a stationary run (with
/// batches long compared with the backlog's correlation time) is called trending. The
/// backlog and the queue length are each tested at half of it.
inline constexpr double stationarity_level = 0.01;

/// Everything one run of one model reports.
struct RunResult {
  std::array<double, kpi_count> kpi{};
  /// One per resource of the model, in the model's order.
  std::vector<ResourceResult> resources;
  /// Lead time of the delivered items by priority: [0] is P1 .. [3] is P4.
  std::array<LeadTimeGroup, 4> lead_by_priority{};
  /// Lead time of the delivered items by business unit, in Scenario::units order.
  std::vector<LeadTimeGroup> lead_by_unit;
  /// Lead-time distribution of the delivered items by work type, in Scenario::work_types
  /// order.
  std::vector<LeadTimeDistribution> lead_by_work_type;
  std::uint64_t events = 0;
  std::uint64_t fingerprint = 0; ///< trajectory hash, when asked for
  std::size_t peak_items_in_flight = 0;
  /// Warm-up deleted, hours: the scenario's, or detected by MSER-5 (`warmup: mser5`).
  double warmup_h = 0;
  /// False when MSER-5 found its optimum at the edge of its search (the first half of the
  /// run): the run is too short to tell where the transient ends. True otherwise.
  bool warmup_reliable = true;
  /// Trend test of the backlog and queue length after the warm-up; not_tested without
  /// time series.
  Stationarity stationarity = Stationarity::not_tested;
  /// OLS slope of the backlog's batch means after the warm-up, items a year; NaN when not
  /// tested or too short.
  double backlog_slope_per_year = std::numeric_limits<double>::quiet_NaN();
  /// Time series, when asked for: series_count rows of series_points values, row-major
  /// ([series][point]); point i is at time (i + 1) x step.
  std::vector<double> series;
  std::uint32_t series_points = 0;
  /// Per-item records, when asked for: items in the order they left IT, then those still
  /// open at the end.
  std::vector<ItemRecord> items;

  double operator[](Kpi k) const { return kpi[static_cast<std::size_t>(k)]; }
};

struct RunOptions {
  bool fingerprint = false;
  /// Polled by the event loop; when raised the run throws itsim::Error("interrupted").
  const std::atomic<bool>* interrupt = nullptr;
  /// Sample the time series (Series) every this many hours from the start; 0: none.
  double timeseries_step_h = 0;
  /// Keep an ItemRecord for every item that reaches IT after the warm-up (memory grows
  /// with the items, not just those in flight).
  bool record_items = false;
};

/// Runs replication `replication` of model `model` (an index into s.models) of scenario
/// `s` and returns its KPIs. A pure function of (scenario, model, replication): every
/// random source is a named stream of the scenario's seed and the replication, and the
/// demand (every item's arrival and attributes) is drawn from streams no model decision
/// touches, so every model of a replication faces exactly the same items (common random
/// numbers). docs/models.md describes the mechanisms.
///
/// With `warmup: mser5` the run is made twice: a pilot without warm-up samples the backlog
/// (items in IT) on a grid of at most 1 day (and at least 100 points), MSER-5 picks the
/// truncation point, and the run is repeated from the start with that warm-up (the same
/// trajectory, since nothing random depends on the warm-up). The warm-up is unreliable
/// when MSER-5's optimum lies at the edge of its search or when the pilot's backlog still
/// trends after the truncation.
///
/// With time series (options.timeseries_step_h > 0) the run's samples after the warm-up
/// are tested for a trend (RunResult::stationarity); the test reads the series and changes
/// no KPI.
///
/// Throws itsim::ModelError when the model cannot run (e.g. a stage on a resource with
/// no people), naming the model and the key.
RunResult run_model(const scenarios::Scenario& s, std::uint32_t model, std::uint64_t replication,
                    const RunOptions& options = {});

} // namespace itsim::models
