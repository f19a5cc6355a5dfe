// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/calendar.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <numeric>
#include <sstream>
#include <string>
#include <utility>

#include "itsim/sim/error.hpp"

namespace itsim::sim {

namespace {

constexpr std::int64_t day_ticks = ticks_per_day;
constexpr std::int64_t week_ticks = ticks_per_week;
// Results beyond this are reported as SimTime::max(): keeps every intermediate sum in range.
constexpr std::int64_t clock_limit = std::numeric_limits<std::int64_t>::max() / 4;
// Largest holiday index whose day the clock can represent.
constexpr std::int64_t max_holiday = clock_limit / day_ticks;

// Floor division (rounds toward minus infinity), b > 0.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

std::string hours_text(SimDuration d) {
  std::ostringstream os;
  os << d.hours_f() << 'h';
  return os.str();
}

// A window or shift reduced to what validation needs.
struct DaySpan {
  int weekday;
  SimDuration start;
  SimDuration end;
};

// Checks weekday range, 0 <= start < end <= 24 h and no overlap within a day; `what` names
// the kind of entry in messages ("calendar window", "capacity shift"). Returns the indices
// of the spans sorted by (weekday, start).
std::vector<std::size_t> validate_spans(const std::vector<DaySpan>& spans, const char* what) {
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const DaySpan& s = spans[i];
    const std::string where = std::string(what) + " " + std::to_string(i) + ": ";
    if (s.weekday < 0 || s.weekday > 6) {
      throw ModelError(where + "weekday must be in 0..6 (0 = Monday), got " +
                       std::to_string(s.weekday));
    }
    if (s.start < SimDuration() || s.start >= SimDuration::hours(24)) {
      throw ModelError(where + "start must be in [0h, 24h), got " + hours_text(s.start));
    }
    if (s.end > SimDuration::hours(24)) {
      throw ModelError(where + "end must be <= 24h, got " + hours_text(s.end));
    }
    if (s.end <= s.start) {
      throw ModelError(where + "end must be after start, got start " + hours_text(s.start) +
                       " end " + hours_text(s.end));
    }
  }
  std::vector<std::size_t> order(spans.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const DaySpan& x = spans[a];
    const DaySpan& y = spans[b];
    return x.weekday != y.weekday ? x.weekday < y.weekday : x.start < y.start;
  });
  for (std::size_t k = 1; k < order.size(); ++k) {
    const DaySpan& prev = spans[order[k - 1]];
    const DaySpan& cur = spans[order[k]];
    if (prev.weekday == cur.weekday && prev.end > cur.start) {
      throw ModelError(std::string(what) + "s " + std::to_string(order[k - 1]) + " and " +
                       std::to_string(order[k]) + " overlap on weekday " +
                       std::to_string(cur.weekday) + ": " + hours_text(prev.start) + "-" +
                       hours_text(prev.end) + " and " + hours_text(cur.start) + "-" +
                       hours_text(cur.end));
    }
  }
  return order;
}

} // namespace

// ---------------------------------------------------------------------------------------
// Calendar

Calendar Calendar::always() {
  std::vector<WorkWindow> windows;
  for (int d = 0; d < 7; ++d)
    windows.push_back({d, SimDuration(), SimDuration::hours(24)});
  return Calendar(std::move(windows));
}

Calendar Calendar::business_hours(SimDuration start_of_day, SimDuration end_of_day,
                                  std::uint8_t weekday_mask) {
  if (weekday_mask == 0 || (weekday_mask & ~every_day) != 0) {
    std::ostringstream os;
    os << "business_hours: weekday_mask must be a non-empty set of bits 0..6 (bit 0 = Monday), "
          "got 0x"
       << std::hex << static_cast<unsigned>(weekday_mask);
    throw ModelError(os.str());
  }
  std::vector<WorkWindow> windows;
  for (int d = 0; d < 7; ++d) {
    if ((weekday_mask >> d) & 1U) windows.push_back({d, start_of_day, end_of_day});
  }
  return Calendar(std::move(windows));
}

Calendar::Calendar(std::vector<WorkWindow> windows, std::vector<std::int64_t> holidays) {
  if (windows.empty()) {
    throw ModelError("calendar: needs at least one working window, got none");
  }
  std::vector<DaySpan> spans;
  spans.reserve(windows.size());
  for (const WorkWindow& w : windows)
    spans.push_back({w.weekday, w.start, w.end});
  const std::vector<std::size_t> order = validate_spans(spans, "calendar window");
  windows_.reserve(windows.size());
  for (std::size_t i : order)
    windows_.push_back(windows[i]);

  // Merge touching windows into continuous stretches of the week.
  for (const WorkWindow& w : windows_) {
    const std::int64_t s = w.weekday * day_ticks + w.start.count();
    const std::int64_t e = w.weekday * day_ticks + w.end.count();
    day_work_[static_cast<std::size_t>(w.weekday)] += e - s;
    if (!ends_.empty() && ends_.back() == s) {
      ends_.back() = e;
    } else {
      starts_.push_back(s);
      ends_.push_back(e);
    }
  }
  std::int64_t cum = 0;
  for (std::size_t i = 0; i < starts_.size(); ++i) {
    work_before_start_.push_back(cum);
    cum += ends_[i] - starts_[i];
    work_before_end_.push_back(cum);
  }
  week_work_ = cum;

  for (std::size_t i = 0; i < holidays.size(); ++i) {
    if (holidays[i] < 0 || holidays[i] > max_holiday) {
      throw ModelError("calendar holidays[" + std::to_string(i) + "]: day index must be in 0.." +
                       std::to_string(max_holiday) + ", got " + std::to_string(holidays[i]));
    }
  }
  std::sort(holidays.begin(), holidays.end());
  holidays.erase(std::unique(holidays.begin(), holidays.end()), holidays.end());
  holidays_ = std::move(holidays);
  holiday_work_prefix_.reserve(holidays_.size() + 1);
  holiday_work_prefix_.push_back(0);
  for (std::int64_t d : holidays_) {
    const auto weekday = static_cast<std::size_t>(d % 7);
    holiday_work_prefix_.push_back(holiday_work_prefix_.back() + day_work_[weekday]);
  }
}

Calendar Calendar::with_holidays(std::vector<std::int64_t> days) const {
  return Calendar(windows_, std::move(days));
}

std::int64_t Calendar::work_in_week_before(std::int64_t off) const {
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), off);
  if (it == starts_.begin()) return 0;
  const auto i = static_cast<std::size_t>(it - starts_.begin()) - 1;
  return work_before_start_[i] + std::min(off, ends_[i]) - starts_[i];
}

std::int64_t Calendar::pattern_work_before(std::int64_t t) const {
  const std::int64_t week = floor_div(t, week_ticks);
  return week * week_work_ + work_in_week_before(t - week * week_ticks);
}

std::int64_t Calendar::holiday_work_before(std::int64_t t) const {
  if (holidays_.empty()) return 0;
  const std::int64_t day = floor_div(t, day_ticks);
  // Holidays before the day of t are wholly before t; the day of t counts up to t.
  const auto it = std::lower_bound(holidays_.begin(), holidays_.end(), day);
  std::int64_t h = holiday_work_prefix_[static_cast<std::size_t>(it - holidays_.begin())];
  if (it != holidays_.end() && *it == day) {
    h += pattern_work_before(t) - pattern_work_before(day * day_ticks);
  }
  return h;
}

std::int64_t Calendar::holiday_work_starting_before(std::int64_t t) const {
  if (holidays_.empty()) return 0;
  // Day d starts before t when d * 24h < t, i.e. d <= floor((t - 1) / 24h).
  const std::int64_t last_day = floor_div(t - 1, day_ticks);
  const auto it = std::upper_bound(holidays_.begin(), holidays_.end(), last_day);
  return holiday_work_prefix_[static_cast<std::size_t>(it - holidays_.begin())];
}

std::int64_t Calendar::work_before(std::int64_t t) const {
  if (const Span* sp = span_of(t)) return sp->work + std::max<std::int64_t>(0, t - sp->open);
  return pattern_work_before(t) - holiday_work_before(t);
}

std::int64_t Calendar::pattern_time_of_work(std::int64_t v) const {
  // Split v into whole working weeks q and a remainder in (0, week_work_], so that work
  // ending exactly at a week's last window maps to that window's end.
  const std::int64_t q = floor_div(v - 1, week_work_);
  const std::int64_t rem = v - q * week_work_;
  const auto it = std::lower_bound(work_before_end_.begin(), work_before_end_.end(), rem);
  ITSIM_ASSERT(it != work_before_end_.end());
  const auto i = static_cast<std::size_t>(it - work_before_end_.begin());
  return q * week_ticks + starts_[i] + (rem - work_before_start_[i]);
}

const Calendar::Span* Calendar::span_of(std::int64_t t) const {
  if (!memo_on_) return nullptr;
  if (spans_[0].holds(t)) return &spans_[0];
  if (spans_[1].holds(t)) return &spans_[1];
  // Holidays would cut spans at midnight; the edges of the clock's range are left alone.
  if (!holidays_.empty() || t < 0 || t >= clock_limit - 2 * week_ticks) return nullptr;
  std::int64_t week = t / week_ticks;
  std::int64_t week_start = week * week_ticks;
  const std::int64_t off = t - week_start;
  auto j = static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), off) -
                                    starts_.begin());
  if (j > 0 && off < ends_[j - 1]) {
    --j; // t is in stretch j
  } else if (j == starts_.size()) {
    j = 0; // after the week's last stretch: the gap runs into the next week's first
    ++week;
    week_start += week_ticks;
  }
  Span& sp = spans_[older_];
  older_ ^= 1U;
  sp.open = week_start + starts_[j];
  sp.to = week_start + ends_[j];
  sp.from = j > 0 ? week_start + ends_[j - 1] : week_start - week_ticks + ends_.back();
  sp.work = week * week_work_ + work_before_start_[j];
  return &sp;
}

bool Calendar::is_holiday(std::int64_t day) const {
  return std::binary_search(holidays_.begin(), holidays_.end(), day);
}

bool Calendar::is_working(SimTime t) const {
  const std::int64_t ticks = t.ticks();
  if (const Span* sp = span_of(ticks)) return ticks >= sp->open;
  if (is_holiday(floor_div(ticks, day_ticks))) return false;
  const std::int64_t off = ticks - floor_div(ticks, week_ticks) * week_ticks;
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), off);
  if (it == starts_.begin()) return false;
  return off < ends_[static_cast<std::size_t>(it - starts_.begin()) - 1];
}

SimTime Calendar::next_working(SimTime t) const {
  std::int64_t ticks = t.ticks();
  if (const Span* sp = span_of(ticks)) return SimTime::from_ticks(std::max(ticks, sp->open));
  // Each pass either returns, skips one holiday or jumps to the next window start, so the
  // loop runs O(holidays crossed) times.
  for (;;) {
    if (ticks >= clock_limit) return SimTime::max();
    const std::int64_t day = floor_div(ticks, day_ticks);
    if (is_holiday(day)) {
      ticks = (day + 1) * day_ticks;
      continue;
    }
    const std::int64_t week_start = floor_div(ticks, week_ticks) * week_ticks;
    const std::int64_t off = ticks - week_start;
    const auto it = std::upper_bound(starts_.begin(), starts_.end(), off);
    if (it != starts_.begin() && off < ends_[static_cast<std::size_t>(it - starts_.begin()) - 1]) {
      return SimTime::from_ticks(ticks);
    }
    ticks = it != starts_.end() ? week_start + *it : week_start + week_ticks + starts_.front();
  }
}

SimTime Calendar::add_working(SimTime start, SimDuration work) const {
  if (work < SimDuration()) {
    throw ModelError("add_working: work must be >= 0, got " + std::to_string(work.count()) +
                     " ticks");
  }
  if (work == SimDuration()) return start;
  const std::int64_t s = start.ticks();
  if (s >= clock_limit || work.count() >= clock_limit) return SimTime::max();
  if (const Span* sp = span_of(s)) {
    // Counting starts at the stretch's opening (or at s, within it); work that ends
    // within the stretch ends `work` later, as W rises one for one there.
    const std::int64_t from = std::max(s, sp->open);
    if (work.count() <= sp->to - from) return SimTime::from_ticks(from + work.count());
  }
  // Wanted: the earliest t with W(t) = W(start) + work, where W = W0 - H (pattern work
  // minus holiday work). Iterate t = W0^-1(target + extra), where extra is the working time
  // of the holidays that start before the current guess, counted whole. Each guess is a
  // lower bound of the answer (a holiday the answer has entered, it has also passed, since
  // W is flat across a holiday), and the guess is the answer once no new holiday is
  // crossed; so the loop runs once per holiday crossed plus one.
  const std::int64_t target = work_before(s) + work.count();
  std::int64_t extra = holiday_work_starting_before(s);
  for (;;) {
    const double weeks = static_cast<double>(target + extra) / static_cast<double>(week_work_);
    if (weeks * static_cast<double>(week_ticks) > static_cast<double>(clock_limit)) {
      return SimTime::max();
    }
    const std::int64_t t = pattern_time_of_work(target + extra);
    const std::int64_t crossed = holiday_work_starting_before(t);
    if (crossed == extra) return SimTime::from_ticks(t);
    extra = crossed;
  }
}

SimDuration Calendar::working_between(SimTime a, SimTime b) const {
  if (a > b) {
    throw ModelError("working_between: a must be <= b, got a = " + std::to_string(a.ticks()) +
                     " ticks, b = " + std::to_string(b.ticks()) + " ticks");
  }
  return SimDuration::ticks(work_before(b.ticks()) - work_before(a.ticks()));
}

// ---------------------------------------------------------------------------------------
// CapacitySchedule

CapacitySchedule CapacitySchedule::constant(std::uint32_t servers) {
  return CapacitySchedule(servers, {});
}

CapacitySchedule::CapacitySchedule(std::uint32_t default_servers,
                                   const std::vector<ShiftLevel>& shifts) {
  std::vector<DaySpan> spans;
  spans.reserve(shifts.size());
  for (const ShiftLevel& s : shifts)
    spans.push_back({s.weekday, s.start, s.end});
  const std::vector<std::size_t> order = validate_spans(spans, "capacity shift");

  // Pieces covering [0, week): default level in the gaps, shift levels inside shifts;
  // consecutive pieces with equal levels are merged.
  auto append = [&](std::int64_t start, std::uint32_t level) {
    if (!levels_.empty() && levels_.back() == level) return;
    if (!starts_.empty() && starts_.back() == start) {
      levels_.back() = level; // zero-length piece: replaced
      if (levels_.size() >= 2 && levels_[levels_.size() - 2] == level) {
        starts_.pop_back();
        levels_.pop_back();
      }
      return;
    }
    starts_.push_back(start);
    levels_.push_back(level);
  };
  append(0, default_servers);
  for (std::size_t i : order) {
    const ShiftLevel& s = shifts[i];
    const std::int64_t start = s.weekday * ticks_per_day + s.start.count();
    const std::int64_t end = s.weekday * ticks_per_day + s.end.count();
    append(start, s.servers);
    if (end < ticks_per_week) append(end, default_servers);
  }

  // Breakpoints where the level really changes, looking across the week's end too.
  for (std::size_t i = 1; i < starts_.size(); ++i)
    changes_.push_back(starts_[i]);
  if (levels_.size() > 1 && levels_.front() != levels_.back()) {
    changes_.insert(changes_.begin(), 0);
  }

  double area = 0;
  for (std::size_t i = 0; i < starts_.size(); ++i) {
    const std::int64_t end = i + 1 < starts_.size() ? starts_[i + 1] : ticks_per_week;
    area += static_cast<double>(levels_[i]) * static_cast<double>(end - starts_[i]);
    max_ = std::max(max_, levels_[i]);
  }
  mean_ = area / static_cast<double>(ticks_per_week);
}

std::uint32_t CapacitySchedule::capacity_at(SimTime t) const {
  const std::int64_t off = t.ticks() - floor_div(t.ticks(), week_ticks) * week_ticks;
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), off);
  return levels_[static_cast<std::size_t>(it - starts_.begin()) - 1];
}

SimTime CapacitySchedule::next_change_after(SimTime t) const {
  if (changes_.empty()) return SimTime::max();
  const std::int64_t week_start = floor_div(t.ticks(), week_ticks) * week_ticks;
  if (week_start >= clock_limit) return SimTime::max();
  const std::int64_t off = t.ticks() - week_start;
  const auto it = std::upper_bound(changes_.begin(), changes_.end(), off);
  return SimTime::from_ticks(it != changes_.end() ? week_start + *it
                                                  : week_start + week_ticks + changes_.front());
}

} // namespace itsim::sim
