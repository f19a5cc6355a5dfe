// SPDX-License-Identifier: Apache-2.0
// `itsim calibrate`: a ticket export (CSV) and its mapping file -> a baseline scenario
// fitted to the client's demand, routing and handle times (docs/calibration.md).
// One streaming pass over the export keeps per-work-type and per-tier accumulators and
// bounded samples (a reservoir per fit), never the rows, so memory does not grow with the
// file beyond the set of ticket ids.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "itsim/calibration/fit.hpp"
#include "itsim/scenarios/calibration_mapping.hpp"

namespace itsim::calibration {

/// Most samples kept per fit (reservoir sampling with a fixed seed: the same export gives
/// the same scenario). Means and fits over 100,000 values are as good as over all.
inline constexpr std::size_t max_samples = 100000;

/// A fixed-size uniform sample of a stream of values (Vitter's algorithm R) with a fixed
/// seed, plus the exact count and sum of everything offered.
class Reservoir {
public:
  void add(double v);
  const std::vector<double>& values() const { return values_; }
  std::uint64_t count() const { return count_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0; }

private:
  std::vector<double> values_;
  std::uint64_t count_ = 0;
  double sum_ = 0;
  std::uint64_t state_ = 0x9e3779b97f4a7c15ULL;
};

/// What the streaming pass keeps of one work type.
struct WorkTypeStats {
  std::uint64_t tickets = 0;                  ///< rows of this work type
  std::uint64_t resolved = 0;                 ///< with a resolution time
  std::array<std::uint64_t, 4> by_priority{}; ///< P1..P4
  std::vector<std::uint64_t> ended_at;        ///< resolved tickets by the tier that resolved them
  std::uint64_t bounced = 0;  ///< resolved tickets reassigned more often than their tier climb
  std::uint64_t reopened = 0; ///< tickets reopened at least once
  /// Work per resolved ticket that climbed straight to tier j (reassignments == j), hours:
  /// the recorded work time, or the business hours from opening to resolution.
  std::vector<Reservoir> work_by_end;
  std::array<Reservoir, 4> lead_h; ///< open -> resolve, calendar hours, by priority

  // From the event log (--events); empty without one.
  /// moves[j][k]: visits to tier j after which the ticket went to tier k; moves[j][tiers]:
  /// visits after which it was done (resolved or closed). Visits of tickets still open at
  /// the end of the log are not counted.
  std::vector<std::vector<std::uint64_t>> moves;
  std::vector<Reservoir> touch_by_tier; ///< business hours in work states, per visit
  std::vector<Reservoir> wait_by_tier;  ///< calendar hours in wait states, per visit
  std::uint64_t lateral = 0;            ///< reassignments between groups of the same tier
};

/// What `--events` read, for the evidence and the warnings.
struct EventLogStats {
  std::string file;
  std::uint64_t rows = 0;                 ///< data rows read
  std::uint64_t skipped = 0;              ///< bad rows skipped with --skip-bad-rows
  std::uint64_t tickets = 0;              ///< tickets of the ticket table found in the log
  std::uint64_t unknown_tickets = 0;      ///< rows whose ticket is not in the ticket table
  std::uint64_t open_at_end = 0;          ///< tickets not done at the log's last row
  bool has_state = false;                 ///< the mapping names a state column
  std::vector<std::string> skip_messages; ///< the first 20
};

/// Everything `itsim calibrate` reads from an export.
struct TicketSummary {
  std::string file;
  std::vector<std::string> work_types;         ///< ids, in order of first appearance
  std::vector<std::string> tiers;              ///< the mapping's tiers, first line first
  std::vector<WorkTypeStats> types;            ///< parallel to work_types
  std::array<std::uint64_t, 24> by_hour{};     ///< openings by local hour of day
  std::array<std::uint64_t, 7> by_weekday{};   ///< openings by local weekday, Monday first
  std::array<std::uint64_t, 7> weekday_days{}; ///< days of each weekday in the span
  std::vector<std::uint64_t> by_week;          ///< openings per 7 days from the first opening
  double first_opened_h = 0;                   ///< hours since 1970 (UTC)
  double last_opened_h = 0;
  std::uint64_t rows = 0;                 ///< data rows read (header not counted)
  std::uint64_t skipped = 0;              ///< bad rows skipped with --skip-bad-rows
  std::vector<std::string> skip_messages; ///< the first 20 of them
  bool has_work_time = false;             ///< the mapping names a work-time column
  /// Distinct assignees per tier (empty without an assignee column).
  std::vector<std::uint64_t> assignees;
  /// Every ticket read: FNV-1a hash of its id -> its row << 16 | its work type's index
  /// (the event log finds its tickets' work types here).
  std::unordered_map<std::uint64_t, std::uint64_t> ids;
  std::optional<EventLogStats> events; ///< set by read_events

  /// Span of the openings in weeks (at least one day).
  double span_weeks() const;
};

/// Reads the export `path` with `mapping` in one pass.
/// Errors name the row (the header is row 1) and the column:
/// `tickets.csv:1043:opened_at: unparsable timestamp "31/02/2024 25:00"`; missing mapped
/// columns, unparsable or missing values, resolution before opening, duplicate ids,
/// unknown priorities or groups, an empty file and text that is not CSV are errors
/// (itsim::ScenarioError, exit 65) unless `skip_bad_rows`, where a bad data row is
/// counted and skipped (the header's problems are always errors). Throws
/// scenarios::InputError when the file cannot be read (exit 66).
TicketSummary read_tickets(const std::string& path, const scenarios::CalibrationMapping& mapping,
                           bool skip_bad_rows);

/// Reads the audit/event log `path` (`--events`) with the mapping's `events:` section in
/// one pass and adds to `summary` (read_tickets' result) the moves between tiers, bounce-
/// backs included, and the time per visit in work and wait states. Rows must be in time
/// order within each ticket. Errors as read_tickets' (FILE:ROW:COLUMN, exit 65/66); rows
/// whose ticket is not in the ticket table are counted, not errors.
void read_events(const std::string& path, const scenarios::CalibrationMapping& mapping,
                 bool skip_bad_rows, TicketSummary& summary);

/// What `itsim calibrate` asks beyond the export.
struct CalibrateOptions {
  /// Headcount per pool (`--staff l1=7,l2=6`); tiers left out are estimated from distinct
  /// assignees (with a warning) or are an error; pools the export cannot show (ba, dev)
  /// default to MODEL.md's default company with a warning.
  std::map<std::string, int> staff;
  /// Business headcount (`--employees`) that raises the enhancements and projects the
  /// export does not hold; 0: MODEL.md's default company (2000), with a warning.
  int employees = 0;
  std::string name = "baseline"; ///< the scenario's name
  std::string source_label;      ///< how the export is named in the file's header comment
};

/// One tier's fitted work per visit.
struct TierFit {
  std::string pool;
  std::uint64_t n = 0;           ///< tickets behind the estimate
  double mean_h = 0;             ///< mean work per visit, hours, as observed
  double cv = 1;                 ///< coefficient of variation
  std::optional<ServiceFit> fit; ///< MLE fits (tier 0, and every tier with direct samples)
  std::string method;            ///< how it was estimated, for the comment
  double wait_mean_h = -1;       ///< event log: mean waiting per visit, hours (-1: unknown)
};

/// The fitted routing and work of one work type.
struct WorkTypeFit {
  std::string id;
  std::string kind;            ///< incident or request
  double rate_per_week = 0;    ///< mean arrivals a week over the export
  double rate_ci_per_week = 0; ///< 95% half-width (Poisson)
  std::array<double, 4> priority_mix{};
  /// next_done[j]: share of the tickets reaching tier j that it resolves; the rest go on
  /// to tier j + 1.
  std::vector<double> next_done;
  std::vector<std::uint64_t> reached; ///< tickets reaching tier j (resolved ones)
  std::vector<TierFit> tiers;         ///< work per visit at each tier
  double bounce_share = 0;            ///< resolved tickets with extra reassignments
  /// From the event log (empty without one): next_share[j][k], the share of visits to tier
  /// j that went on to tier k (k == tiers: done), bounce-backs included; visits[j] behind it.
  std::vector<std::vector<double>> next_share;
  std::vector<std::uint64_t> visits;
};

/// The calibration: what was fitted, the warnings, and the scenario as YAML text.
struct Calibration {
  std::vector<WorkTypeFit> work_types;
  std::array<double, 24> hour_of_day{};
  std::array<double, 7> weekday{};
  double yearly_growth = 0; ///< written only when significant
  double growth_t = 0;      ///< its t statistic
  bool growth_used = false;
  std::map<std::string, int> headcount; ///< per pool, as written
  std::vector<std::string> warnings;
  std::string yaml;       ///< the baseline scenario (four presets extended)
  std::string check_yaml; ///< the fitted passive model alone, tickets only (for --check)
};

/// The effort multiplier of a doer with the presets' knowledge (K = 0.3) under the default
/// effort penalty (0.3): 1 + 0.3 x (1 - 0.3) = 1.21. Observed work is divided by it so
/// that the simulated visit takes what the export shows (docs/calibration.md).
inline constexpr double preset_effort_multiplier = 1.21;

/// Fits arrivals, routing, work and headcount from `summary` and writes the scenario.
/// Throws itsim::ScenarioError when something needed cannot be fitted (e.g. a tier
/// without headcount).
Calibration calibrate(const TicketSummary& summary, const CalibrateOptions& options);

/// One line of the back-test: a measure from the export beside the simulated one.
struct CheckLine {
  std::string measure; ///< e.g. "P3 lead time p50 (h)"
  double exported = 0;
  double simulated = 0;
  double tolerance = 0;  ///< allowed difference, in the measure's unit (relative if rel)
  bool relative = false; ///< tolerance is a share of the exported value
  bool ok = true;
};

/// How far the back-test lets the simulated measures miss the export's (`itsim calibrate
/// --check --tolerance-...`); the defaults are the recovery targets, widened for
/// lead times, which carry the queueing the export's headcount implies.
struct CheckTolerances {
  double volume = 0.05; ///< tickets a week, relative (--tolerance-volume)
  double share = 0.03;  ///< resolution shares by tier, absolute (--tolerance-share)
  double lead = 0.25;   ///< lead-time p50 and p90 by priority, relative (--tolerance-lead)
};

/// Runs the fitted passive model (calibration.check_yaml) for `replications` replications
/// over the export's span and compares it with the export: lead-time p50 and p90 by
/// priority, first-contact resolution and escalation shares, weekly volume, each within
/// its tolerance.
std::vector<CheckLine> back_test(const TicketSummary& summary, const Calibration& calibration,
                                 int replications, const CheckTolerances& tolerances = {});

} // namespace itsim::calibration
