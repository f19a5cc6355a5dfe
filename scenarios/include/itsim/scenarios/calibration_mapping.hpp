// SPDX-License-Identifier: Apache-2.0
// The mapping file of `itsim calibrate` (docs/calibration.md): which column of a ticket
// export holds what, how its timestamps are written, and which values mean which
// priority, work type and pool. It is YAML, so it is read here (yaml-cpp stays inside
// scenarios/) into a plain value that the calibration library uses.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "itsim/scenarios/diagnostics.hpp"

namespace itsim::scenarios {

/// A ticket export's layout and vocabulary, as a mapping file states it.
struct CalibrationMapping {
  /// The columns by role; an empty name means the export has no such column.
  struct Columns {
    std::string id;            ///< ticket number (required): duplicates are errors
    std::string opened;        ///< when the ticket was opened (required)
    std::string resolved;      ///< when it was resolved (required; empty cell: still open)
    std::string closed;        ///< when it was closed (optional; not used by the fits)
    std::string priority;      ///< priority value (required), mapped by `priorities`
    std::string kind;          ///< category or type (optional), mapped by `work_types`
    std::string group;         ///< assignment group at resolution (required), by `groups`
    std::string reassignments; ///< reassignment count (optional; 0 when absent)
    std::string reopens;       ///< reopen count (optional)
    std::string work_time;     ///< touch time recorded on the ticket (optional)
    std::string assignee;      ///< who resolved it (optional; headcount estimate)
  };

  std::string file;                                   ///< the mapping file, for messages
  std::string name;                                   ///< `name:`, e.g. "servicenow-incident"
  char delimiter = ',';                               ///< `csv.delimiter`
  Columns columns;                                    ///< `columns:`
  std::string timestamp_format = "%Y-%m-%d %H:%M:%S"; ///< strftime-style, `timestamps.format`
  std::string time_zone = "UTC";                      ///< IANA name, `timestamps.time_zone`
  Location time_zone_where; ///< where `time_zone` is written (the calibration checks the name)
  double work_time_unit_h = 1.0 / 3600; ///< hours per unit of `work_time`
  /// Priority cell value -> 0 (P1) .. 3 (P4).
  std::map<std::string, int> priorities;
  /// Kind cell value -> work type id; `default_work_type` for values not listed (and when
  /// there is no kind column).
  std::map<std::string, std::string> work_types;
  std::string default_work_type = "incident";
  /// Assignment group value -> pool id; groups not listed go to `default_pool` when set,
  /// else the row is an error (or a counted skip).
  std::map<std::string, std::string> groups;
  std::string default_pool;
  /// Pools in tier order, first line first (the order of first appearance in `groups`
  /// unless `tiers:` lists them): tickets start at tiers[0] and escalate up the list.
  std::vector<std::string> tiers;

  /// The audit/event log read with `--events` (`events:`): one row per state change or
  /// reassignment of a ticket, in time order within each ticket. Its groups are the ticket
  /// table's vocabulary (`groups`).
  struct Events {
    bool present = false; ///< the mapping has an `events:` section
    std::string id;       ///< ticket number (required): the ticket table's id
    std::string at;       ///< when the row's change happened (required)
    std::string group;    ///< assignment group after the change (required), by `groups`
    std::string state;    ///< state after the change (optional), by `states`
    /// `events.format`: the log's timestamp format when it differs from the ticket table's
    /// (empty: `timestamps.format`); the time zone is `timestamps.time_zone`.
    std::string timestamp_format;
    /// State value -> 0: work (touch time, business hours), 1: wait (waiting, calendar
    /// hours), 2: done (resolved or closed: the ticket has left the groups). Without a
    /// state column every hour in a group counts as work (an upper bound of touch time).
    std::map<std::string, int> states;
  };
  Events events;
};

/// Reads and checks the mapping file `path`; every problem is reported to `diags` as
/// `FILE:LINE:COL: KEY.PATH: message`, and the result is empty when any is an error.
/// Throws InputError when the file cannot be read (exit 66).
std::optional<CalibrationMapping> load_calibration_mapping(const std::string& path,
                                                           Diagnostics& diags);

} // namespace itsim::scenarios
