// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/calendar.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "itsim/sim/error.hpp"
#include "itsim/sim/random_stream.hpp"

namespace itsim::sim {
namespace {

constexpr std::int64_t day = ticks_per_day;

SimDuration h(std::int64_t hours) {
  return SimDuration::hours(hours);
}
// Week w, weekday d (0 = Monday), hh:mm.
SimTime at(std::int64_t w, std::int64_t d, std::int64_t hh, std::int64_t mm = 0) {
  return SimTime::from_ticks(w * ticks_per_week + d * day + hh * ticks_per_hour +
                             mm * ticks_per_minute);
}
Calendar nine_to_five() {
  return Calendar::business_hours(h(9), h(17));
}

// Expects `fn` to throw ModelError whose message contains `needle`.
template <class Fn> void expect_model_error(Fn fn, const std::string& needle) {
  try {
    fn();
    ADD_FAILURE() << "expected ModelError containing '" << needle << "'";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

// Day-by-day reference implementation, obviously right and O(days): the differential test
// checks the closed-form calendar against it.
struct NaiveCalendar {
  std::vector<WorkWindow> windows; // sorted by (weekday, start)
  std::set<std::int64_t> holidays;

  std::vector<WorkWindow> of_day(std::int64_t d) const {
    std::vector<WorkWindow> out;
    if (holidays.count(d) != 0) return out;
    for (const WorkWindow& w : windows) {
      if (w.weekday == d % 7) out.push_back(w);
    }
    return out;
  }
  bool is_working(std::int64_t t) const {
    for (const WorkWindow& w : of_day(t / day)) {
      const std::int64_t s = (t / day) * day + w.start.count();
      if (t >= s && t < (t / day) * day + w.end.count()) return true;
    }
    return false;
  }
  std::int64_t next_working(std::int64_t t) const {
    for (std::int64_t d = t / day;; ++d) {
      for (const WorkWindow& w : of_day(d)) {
        const std::int64_t e = d * day + w.end.count();
        if (e > t) return std::max(t, d * day + w.start.count());
      }
    }
  }
  std::int64_t between(std::int64_t a, std::int64_t b) const {
    std::int64_t sum = 0;
    for (std::int64_t d = a / day; d * day < b; ++d) {
      for (const WorkWindow& w : of_day(d)) {
        const std::int64_t s = std::max(a, d * day + w.start.count());
        const std::int64_t e = std::min(b, d * day + w.end.count());
        sum += std::max<std::int64_t>(0, e - s);
      }
    }
    return sum;
  }
  std::int64_t add(std::int64_t start, std::int64_t work) const {
    if (work == 0) return start;
    for (std::int64_t d = start / day;; ++d) {
      for (const WorkWindow& w : of_day(d)) {
        const std::int64_t s = std::max(start, d * day + w.start.count());
        const std::int64_t e = d * day + w.end.count();
        if (e <= s) continue;
        if (e - s >= work) return s + work;
        work -= e - s;
      }
    }
  }
};

TEST(Calendar, AddsBusinessHoursAcrossTheWeekendFromFridayAfternoon) {
  // Friday 16:00 + 2 h of 09:00-17:00 work: one hour on Friday, one on Monday.
  EXPECT_EQ(nine_to_five().add_working(at(0, 4, 16), h(2)), at(1, 0, 10));
}

TEST(Calendar, CountsWorkingTimeBetweenAcrossAWeekend) {
  const Calendar cal = nine_to_five();
  EXPECT_EQ(cal.working_between(at(0, 4, 16), at(1, 0, 10)), h(2));
  // Friday noon to Tuesday noon: 5 h + weekend 0 + 8 h + 3 h.
  EXPECT_EQ(cal.working_between(at(0, 4, 12), at(1, 1, 12)), h(16));
  EXPECT_EQ(cal.working_between(at(0, 5, 10), at(0, 6, 23)), h(0));
  EXPECT_EQ(cal.working_per_week(), h(40));
}

TEST(Calendar, WorkEndingAtClosingTimeEndsThereNotAtTheNextOpening) {
  const Calendar cal = nine_to_five();
  EXPECT_EQ(cal.add_working(at(0, 0, 9), h(8)), at(0, 0, 17));
  EXPECT_EQ(cal.add_working(at(0, 4, 9), h(8)), at(0, 4, 17));
}

TEST(Calendar, StartsCountingAtTheNextOpeningWhenOutsideHours) {
  const Calendar cal = nine_to_five();
  EXPECT_EQ(cal.add_working(at(0, 5, 10), SimDuration::ticks(1)),
            at(1, 0, 9) + SimDuration::ticks(1));
  EXPECT_EQ(cal.add_working(at(0, 0, 3), h(1)), at(0, 0, 10));
}

TEST(Calendar, ZeroWorkReturnsTheStartEvenOutsideHours) {
  const Calendar cal = nine_to_five();
  EXPECT_EQ(cal.add_working(at(0, 5, 10), SimDuration()), at(0, 5, 10));
  EXPECT_EQ(cal.add_working(at(2, 1, 12), SimDuration()), at(2, 1, 12));
}

TEST(Calendar, TreatsWindowStartAsWorkingAndWindowEndAsNot) {
  const Calendar cal = nine_to_five();
  const SimDuration tick = SimDuration::ticks(1);
  EXPECT_FALSE(cal.is_working(at(0, 0, 9) - tick));
  EXPECT_TRUE(cal.is_working(at(0, 0, 9)));
  EXPECT_TRUE(cal.is_working(at(0, 0, 17) - tick));
  EXPECT_FALSE(cal.is_working(at(0, 0, 17)));
  EXPECT_FALSE(cal.is_working(at(0, 5, 12)));
  EXPECT_EQ(cal.next_working(at(0, 0, 9)), at(0, 0, 9));
  EXPECT_EQ(cal.next_working(at(0, 0, 17)), at(0, 1, 9));
  EXPECT_EQ(cal.next_working(at(0, 4, 17)), at(1, 0, 9));
  EXPECT_EQ(cal.next_working(at(0, 0, 0)), at(0, 0, 9));
}

TEST(Calendar, JoinsTouchingWindowsIntoOneStretchAcrossMidnight) {
  // A night shift Monday 22:00 to Tuesday 06:00, given as two windows.
  const Calendar cal({{0, h(22), h(24)}, {1, h(0), h(6)}});
  EXPECT_TRUE(cal.is_working(at(0, 1, 0)));
  EXPECT_EQ(cal.add_working(at(0, 0, 23), h(2)), at(0, 1, 1));
  EXPECT_EQ(cal.add_working(at(0, 0, 22), h(2)), at(0, 0, 24));
  EXPECT_EQ(cal.working_between(at(0, 0, 12), at(0, 1, 12)), h(8));
  EXPECT_EQ(cal.next_working(at(0, 1, 6)), at(1, 0, 22));
  // Split windows on one day behave as one.
  const Calendar split({{2, h(9), h(12)}, {2, h(12), h(17)}});
  EXPECT_EQ(split.add_working(at(0, 2, 11), h(3)), at(0, 2, 14));
  EXPECT_TRUE(split.is_working(at(0, 2, 12)));
}

TEST(Calendar, SkipsHolidays) {
  // Monday of week 1 (day 7) is a holiday; Saturday (day 12) has no windows anyway.
  const Calendar cal = nine_to_five().with_holidays({12, 7});
  EXPECT_EQ(cal.holidays(), (std::vector<std::int64_t>{7, 12}));
  EXPECT_FALSE(cal.is_working(at(1, 0, 10)));
  EXPECT_TRUE(cal.is_working(at(1, 1, 10)));
  EXPECT_EQ(cal.next_working(at(0, 5, 10)), at(1, 1, 9));
  EXPECT_EQ(cal.next_working(at(1, 0, 10)), at(1, 1, 9));
  EXPECT_EQ(cal.add_working(at(0, 4, 16), h(2)), at(1, 1, 10));
  EXPECT_EQ(cal.add_working(at(1, 0, 12), h(1)), at(1, 1, 10));
  EXPECT_EQ(cal.working_between(at(1, 0, 0), at(2, 0, 0)), h(32));
  EXPECT_EQ(cal.working_between(at(1, 0, 10), at(1, 0, 16)), h(0));
  // Work ending at Friday's close stays there even with a holiday on the next Monday.
  EXPECT_EQ(cal.add_working(at(0, 4, 9), h(8)), at(0, 4, 17));
}

TEST(Calendar, WorkEndingAtMidnightBeforeAHolidayEndsAtMidnight) {
  // 24/7 with Tuesday off: Monday's last hour ends at Tuesday 00:00, not after the holiday.
  const Calendar cal = Calendar::always().with_holidays({1});
  EXPECT_EQ(cal.add_working(at(0, 0, 12), h(12)), at(0, 1, 0));
  EXPECT_EQ(cal.add_working(at(0, 0, 12), h(13)), at(0, 2, 1));
  EXPECT_EQ(cal.working_between(at(0, 0, 0), at(1, 0, 0)), h(6 * 24));
  EXPECT_EQ(cal.next_working(at(0, 1, 0)), at(0, 2, 0));
  EXPECT_FALSE(cal.is_working(at(0, 1, 0)));
}

TEST(Calendar, SkipsConsecutiveHolidays) {
  // A whole week off (days 7..11) plus the Monday after it.
  const Calendar cal = nine_to_five().with_holidays({7, 8, 9, 10, 11, 14});
  EXPECT_EQ(cal.next_working(at(0, 4, 17)), at(2, 1, 9));
  EXPECT_EQ(cal.add_working(at(0, 4, 16), h(2)), at(2, 1, 10));
  EXPECT_EQ(cal.working_between(at(0, 0, 0), at(3, 0, 0)), h(40 + 0 + 32));
}

TEST(Calendar, AddsTenWeeksOfWorkInTenCalendarWeeks) {
  const Calendar cal = nine_to_five();
  const SimDuration ten_weeks = cal.working_per_week() * 10;
  for (const SimTime t : {at(0, 0, 0), at(0, 2, 11, 17), at(3, 5, 4), at(1, 4, 17)}) {
    EXPECT_EQ(cal.working_between(t, t + SimDuration::weeks(10)), ten_weeks);
  }
  // From inside a window: exactly ten weeks later. From Monday's opening: Friday's close
  // of week 9 (the earliest instant with that much work done).
  EXPECT_EQ(cal.add_working(at(0, 2, 11, 17), ten_weeks), at(10, 2, 11, 17));
  EXPECT_EQ(cal.add_working(at(0, 0, 9), ten_weeks), at(9, 4, 17));
}

TEST(Calendar, SubtractsHolidaysInsideWholeWeeksItSkips) {
  // A Tuesday in week 3 and a Saturday (no windows) in week 3; a Wednesday in week 12,
  // beyond the span.
  const Calendar cal = nine_to_five().with_holidays({22, 26, 86});
  EXPECT_EQ(cal.working_between(at(0, 0, 0), at(10, 0, 0)), h(400 - 8));
  // Ten weeks of work from Monday 09:00 now end one working day later.
  EXPECT_EQ(cal.add_working(at(0, 0, 9), h(400)), at(10, 0, 17));
  EXPECT_EQ(cal.add_working(at(0, 0, 9), h(400 + 8 * 9)), at(11, 4, 17));
  EXPECT_EQ(cal.add_working(at(0, 0, 9), h(400 + 8 * 10)), at(12, 0, 17));
  // The Wednesday holiday of week 12 pushes the end to Thursday.
  EXPECT_EQ(cal.add_working(at(0, 0, 9), h(400 + 8 * 12)), at(12, 3, 17));
}

TEST(Calendar, AddsCenturiesOfWorkWithoutWalkingTheDays) {
  // Five million weeks (about 96,000 years): a day-by-day loop would take seconds.
  const Calendar cal = nine_to_five().with_holidays({1, 3});
  const std::int64_t weeks = 5'000'000;
  EXPECT_EQ(cal.working_between(at(0, 0, 0), at(weeks, 0, 0)), h(40 * weeks - 16));
  EXPECT_EQ(cal.add_working(at(0, 0, 9), h(40 * weeks - 16)), at(weeks - 1, 4, 17));
  EXPECT_EQ(cal.add_working(at(1, 0, 9), h(40 * weeks)), at(weeks, 4, 17));
}

TEST(Calendar, AlwaysIsTheIdentity) {
  const Calendar cal = Calendar::always();
  EXPECT_EQ(cal.working_per_week(), SimDuration::weeks(1));
  RandomStream rng(11);
  for (int i = 0; i < 200; ++i) {
    const auto t = SimTime::from_ticks(static_cast<std::int64_t>(rng.uniform_index(1ULL << 40)));
    const auto w = SimDuration::ticks(static_cast<std::int64_t>(rng.uniform_index(1ULL << 36)));
    EXPECT_TRUE(cal.is_working(t));
    EXPECT_EQ(cal.next_working(t), t);
    EXPECT_EQ(cal.add_working(t, w), t + w);
    EXPECT_EQ(cal.working_between(t, t + w), w);
  }
}

TEST(Calendar, AgreesWithADayByDayReferenceOnRandomCalendars) {
  RandomStream rng(2024);
  const auto draw = [&](std::int64_t n) {
    return static_cast<std::int64_t>(rng.uniform_index(static_cast<std::uint64_t>(n)));
  };
  for (int c = 0; c < 40; ++c) {
    NaiveCalendar ref;
    for (int d = 0; d < 7; ++d) {
      // Up to three windows per day on a 15-minute grid, some touching, some at 24:00.
      std::set<std::int64_t> cuts;
      const std::int64_t n = draw(4) * 2;
      while (static_cast<std::int64_t>(cuts.size()) < n)
        cuts.insert(draw(97));
      std::vector<std::int64_t> q(cuts.begin(), cuts.end());
      for (std::size_t k = 0; k + 1 < q.size(); k += 2) {
        // Sometimes the next window starts where this one ends.
        if (k + 2 < q.size() && draw(3) == 0) q[k + 2] = q[k + 1];
        ref.windows.push_back(
            {d, SimDuration::minutes(15 * q[k]), SimDuration::minutes(15 * q[k + 1])});
      }
    }
    if (ref.windows.empty()) ref.windows.push_back({3, h(8), h(12)});
    std::vector<std::int64_t> holidays;
    for (std::int64_t k = draw(30); k > 0; --k)
      holidays.push_back(draw(400));
    ref.holidays.insert(holidays.begin(), holidays.end());
    const Calendar cal(ref.windows, holidays);
    std::sort(ref.windows.begin(), ref.windows.end(), [](const WorkWindow& x, const WorkWindow& y) {
      return x.weekday != y.weekday ? x.weekday < y.weekday : x.start < y.start;
    });

    for (int i = 0; i < 40; ++i) {
      // Times on the grid (hitting edges) or anywhere, within ~450 days.
      const bool grid = draw(2) == 0;
      const std::int64_t a = grid ? draw(450 * 96) * 15 * ticks_per_minute : draw(450 * day);
      const std::int64_t b = a + (grid ? draw(120 * 96) * 15 * ticks_per_minute : draw(120 * day));
      const std::int64_t w = draw(2) == 0 ? draw(40 * day / 7) : draw(10) * 15 * ticks_per_minute;
      const SimTime ta = SimTime::from_ticks(a);
      ASSERT_EQ(cal.is_working(ta), ref.is_working(a)) << "case " << c << " t " << a;
      ASSERT_EQ(cal.next_working(ta).ticks(), ref.next_working(a)) << "case " << c;
      ASSERT_EQ(cal.working_between(ta, SimTime::from_ticks(b)).count(), ref.between(a, b))
          << "case " << c << " a " << a << " b " << b;
      const std::int64_t done = ref.add(a, w);
      ASSERT_EQ(cal.add_working(ta, SimDuration::ticks(w)).ticks(), done)
          << "case " << c << " a " << a << " w " << w;
      ASSERT_EQ(cal.working_between(ta, SimTime::from_ticks(done)).count(), w);
    }
  }
}

TEST(Calendar, WithItsMemoAgreesWithTheReferenceOnQueriesNearEachOther) {
  // A run's queries: a clock moving forward, short jobs started now, waits measured from a
  // while ago; the remembered spans must answer exactly as the search does, at stretch
  // edges too (the 15-minute grid hits them).
  RandomStream rng(77);
  const auto draw = [&](std::int64_t n) {
    return static_cast<std::int64_t>(rng.uniform_index(static_cast<std::uint64_t>(n)));
  };
  int hits = 0;
  for (int c = 0; c < 30; ++c) {
    NaiveCalendar ref;
    for (int d = 0; d < 7; ++d) {
      if (draw(3) == 0) continue;
      const std::int64_t s = draw(80);
      const std::int64_t e = s + 1 + draw(96 - s);
      ref.windows.push_back({d, SimDuration::minutes(15 * s), SimDuration::minutes(15 * e)});
      // Sometimes a second window that touches the first, or midnight.
      if (e < 96 && draw(2) == 0)
        ref.windows.push_back(
            {d, SimDuration::minutes(15 * e), SimDuration::minutes(15 * (e + 1 + draw(96 - e)))});
    }
    if (ref.windows.empty()) ref.windows.push_back({3, h(8), h(12)});
    Calendar cal(ref.windows);
    cal.enable_memo();
    std::sort(ref.windows.begin(), ref.windows.end(), [](const WorkWindow& x, const WorkWindow& y) {
      return x.weekday != y.weekday ? x.weekday < y.weekday : x.start < y.start;
    });
    std::int64_t now = draw(3 * ticks_per_week);
    for (int i = 0; i < 300; ++i) {
      now += draw(2) == 0 ? draw(8) * 15 * ticks_per_minute : draw(3 * ticks_per_hour);
      const std::int64_t grid = 15 * ticks_per_minute;
      if (draw(2) == 0) now -= now % grid; // on the grid, where stretches start and end
      const std::int64_t before = std::max<std::int64_t>(0, now - draw(3 * day));
      const std::int64_t w = draw(3) == 0 ? draw(3 * day) : draw(12) * 15 * ticks_per_minute;
      const SimTime t = SimTime::from_ticks(now);
      ASSERT_EQ(cal.is_working(t), ref.is_working(now)) << "case " << c << " t " << now;
      ASSERT_EQ(cal.next_working(t).ticks(), ref.next_working(now)) << "case " << c;
      ASSERT_EQ(cal.working_between(SimTime::from_ticks(before), t).count(),
                ref.between(before, now))
          << "case " << c << " a " << before << " b " << now;
      const std::int64_t done = ref.add(now, w);
      ASSERT_EQ(cal.add_working(t, SimDuration::ticks(w)).ticks(), done)
          << "case " << c << " t " << now << " w " << w;
      hits += ref.is_working(now) && done - now == w ? 1 : 0;
    }
  }
  EXPECT_GT(hits, 1000); // the short path (work done within the open stretch) was taken
}

TEST(Calendar, RejectsInvalidWindowsNamingTheValue) {
  expect_model_error([] { Calendar({{7, h(9), h(17)}}); }, "got 7");
  expect_model_error([] { Calendar({{-1, h(9), h(17)}}); }, "got -1");
  expect_model_error([] { Calendar({{0, h(-1), h(17)}}); }, "got -1h");
  expect_model_error([] { Calendar({{0, h(9), h(25)}}); }, "got 25h");
  expect_model_error([] { Calendar({{0, h(17), h(9)}}); }, "start 17h end 9h");
  expect_model_error([] { Calendar({{0, h(9), h(9)}}); }, "start 9h end 9h");
  expect_model_error(
      [] {
        Calendar({{2, h(9), h(13)}, {1, h(8), h(9)}, {2, h(12), h(17)}});
      },
      "calendar windows 0 and 2 overlap on weekday 2: 9h-13h and 12h-17h");
  expect_model_error([] { Calendar(std::vector<WorkWindow>{}); }, "at least one");
  expect_model_error([] { nine_to_five().with_holidays({3, -2}); }, "holidays[1]");
  expect_model_error([] { Calendar::business_hours(h(9), h(17), 0); }, "got 0x0");
  expect_model_error([] { Calendar::business_hours(h(9), h(17), 0x80); }, "got 0x80");
  expect_model_error([] { Calendar::business_hours(h(18), h(17)); }, "start 18h end 17h");
  expect_model_error([] { nine_to_five().add_working(at(0, 0, 0), h(-1)); }, "got -3600000");
  expect_model_error([] { nine_to_five().working_between(at(0, 0, 2), at(0, 0, 1)); },
                     "a must be <= b");
}

TEST(CapacitySchedule, LooksUpLevelsWithShiftStartInclusiveAndEndExclusive) {
  std::vector<ShiftLevel> shifts;
  for (int d = 0; d < 5; ++d)
    shifts.push_back({d, h(8), h(18), 3});
  const CapacitySchedule cap(1, shifts);
  const SimDuration tick = SimDuration::ticks(1);
  EXPECT_EQ(cap.capacity_at(at(0, 0, 0)), 1U);
  EXPECT_EQ(cap.capacity_at(at(0, 0, 8) - tick), 1U);
  EXPECT_EQ(cap.capacity_at(at(0, 0, 8)), 3U);
  EXPECT_EQ(cap.capacity_at(at(0, 0, 18) - tick), 3U);
  EXPECT_EQ(cap.capacity_at(at(0, 0, 18)), 1U);
  EXPECT_EQ(cap.capacity_at(at(4, 3, 12)), 3U);
  EXPECT_EQ(cap.capacity_at(at(4, 5, 12)), 1U);
  EXPECT_EQ(cap.capacity_at(at(1, 0, 0) - tick), 1U);
}

TEST(CapacitySchedule, FindsTheNextChangeStrictlyAfterT) {
  std::vector<ShiftLevel> shifts;
  for (int d = 0; d < 5; ++d)
    shifts.push_back({d, h(8), h(18), 3});
  const CapacitySchedule cap(1, shifts);
  EXPECT_EQ(cap.next_change_after(at(0, 0, 0)), at(0, 0, 8));
  EXPECT_EQ(cap.next_change_after(at(0, 0, 8)), at(0, 0, 18));
  EXPECT_EQ(cap.next_change_after(at(0, 0, 12)), at(0, 0, 18));
  EXPECT_EQ(cap.next_change_after(at(0, 0, 18)), at(0, 1, 8));
  EXPECT_EQ(cap.next_change_after(at(3, 4, 18)), at(4, 0, 8));
  EXPECT_EQ(cap.next_change_after(at(3, 6, 23)), at(4, 0, 8));
}

TEST(CapacitySchedule, ReportsNoChangeWhereTheLevelStaysTheSame) {
  EXPECT_EQ(CapacitySchedule::constant(4).next_change_after(at(2, 3, 4)), SimTime::max());
  EXPECT_EQ(CapacitySchedule::constant(4).capacity_at(at(2, 3, 4)), 4U);
  // Shifts at the default level change nothing.
  EXPECT_EQ(CapacitySchedule(2, {{1, h(8), h(9), 2}}).next_change_after(at(0, 0, 0)),
            SimTime::max());
  // Touching shifts with equal levels merge; so do Sunday night and Monday morning across
  // the week's end.
  const CapacitySchedule cap(
      1, {{0, h(8), h(12), 3}, {0, h(12), h(18), 3}, {6, h(20), h(24), 2}, {0, h(0), h(6), 2}});
  EXPECT_EQ(cap.next_change_after(at(0, 0, 9)), at(0, 0, 18));
  EXPECT_EQ(cap.next_change_after(at(0, 6, 21)), at(1, 0, 6));
  EXPECT_EQ(cap.next_change_after(at(0, 0, 6)), at(0, 0, 8));
  EXPECT_EQ(cap.next_change_after(at(0, 5, 0)), at(0, 6, 20));
  EXPECT_EQ(cap.capacity_at(at(1, 0, 0)), 2U);
  // A shift from Monday 00:00 makes the week's start a change when the default differs.
  const CapacitySchedule monday(0, {{0, h(0), h(10), 5}});
  EXPECT_EQ(monday.next_change_after(at(0, 6, 12)), at(1, 0, 0));
  EXPECT_EQ(monday.capacity_at(at(1, 0, 0)), 5U);
}

TEST(CapacitySchedule, ReportsMaxAndTimeAverageCapacity) {
  std::vector<ShiftLevel> shifts;
  for (int d = 0; d < 5; ++d)
    shifts.push_back({d, h(8), h(18), 3});
  const CapacitySchedule cap(1, shifts);
  EXPECT_EQ(cap.max_capacity(), 3U);
  EXPECT_DOUBLE_EQ(cap.mean_capacity(), (168.0 + 5 * 10 * 2) / 168.0);
  EXPECT_EQ(CapacitySchedule::constant(7).max_capacity(), 7U);
  EXPECT_DOUBLE_EQ(CapacitySchedule::constant(7).mean_capacity(), 7.0);
  EXPECT_EQ(CapacitySchedule(0, {{5, h(0), h(24), 2}}).max_capacity(), 2U);
  EXPECT_DOUBLE_EQ(CapacitySchedule(0, {{5, h(0), h(24), 2}}).mean_capacity(), 2.0 / 7.0);
}

TEST(CapacitySchedule, RejectsInvalidShiftsNamingTheValue) {
  expect_model_error(
      [] {
        CapacitySchedule(1, {{8, h(8), h(18), 3}});
      },
      "capacity shift 0: weekday");
  expect_model_error([] { CapacitySchedule(1, {{0, h(8), h(26), 3}}); }, "got 26h");
  expect_model_error([] { CapacitySchedule(1, {{0, h(8), h(8), 3}}); }, "start 8h end 8h");
  expect_model_error(
      [] {
        CapacitySchedule(1, {{0, h(8), h(18), 3}, {0, h(17), h(20), 2}});
      },
      "capacity shifts 0 and 1 overlap on weekday 0");
}

} // namespace
} // namespace itsim::sim
