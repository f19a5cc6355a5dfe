// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "itsim/sim/sim_time.hpp"

namespace itsim::sim {

/// One working window of a weekly calendar: the half-open span [start, end) of the day
/// `weekday`, repeated every week. Windows never cross midnight; a shift from 22:00 to
/// 06:00 is two windows (22:00-24:00 and 00:00-06:00 of the next day).
struct WorkWindow {
  int weekday = 0;   ///< day of the week, 0 = Monday ... 6 = Sunday
  SimDuration start; ///< offset from midnight (ticks), 0 <= start < end
  SimDuration end;   ///< offset from midnight (ticks), end <= 24 h
};

/// The working time of a pool: a weekly pattern of windows plus holidays (whole days).
///
/// Service levels are promised in business hours ("P2 within 4 business hours") and work
/// on a ticket only progresses while the pool is at work, so the engine needs calendar
/// arithmetic: is the pool working at t, when does it open next, when is a job needing
/// w of working time done, how much working time lies between two instants.
///
/// Every query is O(log(windows) + log(holidays) + holidays crossed), never O(days): the
/// calendar keeps the cumulative working time W(t) in closed form (whole weeks times the
/// working week, plus a prefix sum over the week's windows, minus a prefix sum of the
/// holidays' working time), so a project lasting years costs the same as one lasting an
/// hour. Windows touching each other (09:00-12:00 and 12:00-17:00, or Monday 00:00-24:00
/// and Tuesday 00:00-08:00) form one continuous stretch of work.
class Calendar {
public:
  /// weekday_mask bit for Monday; bit d is weekday d (0 = Monday ... 6 = Sunday).
  static constexpr std::uint8_t monday = 0x01;
  /// weekday_mask of Monday to Friday.
  static constexpr std::uint8_t monday_to_friday = 0x1F;
  /// weekday_mask of all seven days.
  static constexpr std::uint8_t every_day = 0x7F;

  /// A calendar that is always working (24/7, no holidays): every query is the identity
  /// (add_working(t, w) = t + w, working_between(a, b) = b - a).
  static Calendar always();
  /// The same daily window [start_of_day, end_of_day) (offsets from midnight, ticks) on each
  /// weekday whose bit is set in weekday_mask (bit 0 = Monday ... bit 6 = Sunday).
  /// Throws ModelError for an empty mask, bits above 6, or an invalid window.
  static Calendar business_hours(SimDuration start_of_day, SimDuration end_of_day,
                                 std::uint8_t weekday_mask = monday_to_friday);

  /// A calendar from its weekly windows (any order) and holidays (day indices since t = 0,
  /// any order, duplicates ignored; day d is [d * 24 h, (d + 1) * 24 h)). Throws ModelError
  /// naming the offending value when a weekday is outside 0..6, a window is not
  /// 0 <= start < end <= 24 h, two windows of one day overlap, there are no windows, or a
  /// holiday index is negative or beyond the clock's range.
  explicit Calendar(std::vector<WorkWindow> windows, std::vector<std::int64_t> holidays = {});

  /// A copy of this calendar whose holidays are `days` (day indices since t = 0),
  /// replacing any it had; validated as in the constructor.
  Calendar with_holidays(std::vector<std::int64_t> days) const;

  /// True when t falls in a working window (start inclusive, end exclusive) on a day that
  /// is not a holiday.
  bool is_working(SimTime t) const;
  /// t itself when working, otherwise the start of the next working window that is not on
  /// a holiday.
  SimTime next_working(SimTime t) const;
  /// The earliest calendar time at which `work` (ticks, >= 0) of working time has elapsed
  /// counting from `start`. Work finishing exactly at a window's end returns that end (not
  /// the next opening). work = 0 returns start unchanged, even outside working time (no
  /// work needs no opening); for work > 0 counting starts at next_working(start). Returns
  /// SimTime::max() when the result lies beyond the clock's range. Throws ModelError for
  /// negative work.
  SimTime add_working(SimTime start, SimDuration work) const;
  /// Working time (ticks) in [a, b], holidays excluded. Throws ModelError when a > b.
  SimDuration working_between(SimTime a, SimTime b) const;
  /// Working time (ticks) in one week of the pattern, ignoring holidays.
  SimDuration working_per_week() const { return SimDuration::ticks(week_work_); }

  /// Makes this calendar remember the last two spans (a gap and the working stretch after
  /// it) that its queries looked up, so that a query near a recent one (the working time
  /// before `now`, a short job started in an open stretch) skips the search: the answers
  /// are the same, bit for bit. Only for calendars without holidays (others ignore it). A
  /// calendar so marked writes to itself on const queries: give each run its own copy, and
  /// never share it between threads.
  void enable_memo() { memo_on_ = true; }

  /// The weekly windows, sorted by weekday and start.
  const std::vector<WorkWindow>& windows() const { return windows_; }
  /// The holidays (day indices since t = 0), sorted, without duplicates.
  const std::vector<std::int64_t>& holidays() const { return holidays_; }

private:
  // Working time in [0, off) of week 0, off in [0, week].
  std::int64_t work_in_week_before(std::int64_t off) const;
  // W0(t): working time in [0, t) ignoring holidays (negative for t < 0).
  std::int64_t pattern_work_before(std::int64_t t) const;
  // Working time of holidays in [0, t), counting only the part of a holiday before t.
  std::int64_t holiday_work_before(std::int64_t t) const;
  // Working time of every holiday that starts before t, counted whole.
  std::int64_t holiday_work_starting_before(std::int64_t t) const;
  // W(t) = W0(t) - holiday_work_before(t): working time in [0, t).
  std::int64_t work_before(std::int64_t t) const;
  // The earliest t with W0(t) >= v.
  std::int64_t pattern_time_of_work(std::int64_t v) const;
  bool is_holiday(std::int64_t day) const;
  // A remembered span (enable_memo): no work in [from, open), all work in [open, to), and
  // work_before(open) = work; working time before t in [from, to] is work + max(0, t - open).
  struct Span {
    std::int64_t from = 1, open = 0, to = 0; // empty until filled (from > to)
    std::int64_t work = 0;
    bool holds(std::int64_t t) const { return from <= t && t < to; }
  };
  // The remembered span holding t, filled when none does (memo on, no holidays, t in
  // range); nullptr otherwise.
  const Span* span_of(std::int64_t t) const;

  std::vector<WorkWindow> windows_;    // as validated, sorted by (weekday, start)
  std::vector<std::int64_t> holidays_; // sorted, unique day indices
  // Merged working stretches of the week as offsets from Monday 00:00 (ticks), sorted.
  std::vector<std::int64_t> starts_;
  std::vector<std::int64_t> ends_;
  std::vector<std::int64_t> work_before_start_; // working time in the week before starts_[i]
  std::vector<std::int64_t> work_before_end_;   // working time in the week before ends_[i]
  std::int64_t week_work_ = 0;
  std::array<std::int64_t, 7> day_work_{}; // working time of each weekday (ticks)
  // holiday_work_prefix_[i]: total working time of holidays_[0 .. i), size holidays + 1.
  std::vector<std::int64_t> holiday_work_prefix_;
  bool memo_on_ = false;
  mutable std::array<Span, 2> spans_{}; // enable_memo: the last two spans looked up
  mutable std::uint8_t older_ = 0;      // the one of them to replace next
};

/// One shift of a capacity schedule: `servers` available during [start, end) of `weekday`
/// every week (same rules as WorkWindow: 0 <= start < end <= 24 h, no overlap per day).
struct ShiftLevel {
  int weekday = 0;           ///< day of the week, 0 = Monday ... 6 = Sunday
  SimDuration start;         ///< offset from midnight (ticks)
  SimDuration end;           ///< offset from midnight (ticks), <= 24 h
  std::uint32_t servers = 0; ///< headcount on duty during the shift
};

/// Headcount available over the week (staff on shift): a weekly piecewise-constant
/// function of time, given as a default level plus shifts that override it.
///
/// The weekly breakpoints live in a small sorted vector, so capacity_at() and
/// next_change_after() are O(log k) for k breakpoints. Adjacent pieces with equal levels are
/// merged (also across the week's end), so next_change_after() reports only instants where
/// the level really changes and a station wakes only when its staffing does.
class CapacitySchedule {
public:
  /// The same headcount at all times.
  static CapacitySchedule constant(std::uint32_t servers);
  /// `default_servers` outside every shift, `shifts[i].servers` inside shift i. Throws
  /// ModelError naming the offending value for a weekday outside 0..6, a shift not
  /// 0 <= start < end <= 24 h, or two overlapping shifts on one day.
  CapacitySchedule(std::uint32_t default_servers, const std::vector<ShiftLevel>& shifts);

  /// Servers available at t.
  std::uint32_t capacity_at(SimTime t) const;
  /// The first instant strictly after t at which the capacity changes; SimTime::max() when
  /// it never does.
  SimTime next_change_after(SimTime t) const;
  /// The largest headcount of the week.
  std::uint32_t max_capacity() const { return max_; }
  /// Time-average headcount over a week (servers).
  double mean_capacity() const { return mean_; }

private:
  std::vector<std::int64_t> starts_;  // piece starts as offsets in the week, starts_[0] = 0
  std::vector<std::uint32_t> levels_; // level of each piece
  std::vector<std::int64_t> changes_; // offsets in the week where the level changes
  std::uint32_t max_ = 0;
  double mean_ = 0;
};

} // namespace itsim::sim
