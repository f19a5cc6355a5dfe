// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/station.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace itsim::sim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

SimTime hours(std::int64_t h) {
  return SimTime::zero() + SimDuration::hours(h);
}

// Owns one station, feeds it jobs at given times and records what comes out.
class Harness final : public EventHandler {
public:
  Harness(Simulation& sim, StationConfig config)
      : sim_(sim), id_(sim.add_handler(*this)), station(sim, id_, 0, std::move(config)) {
    station.start();
  }
  /// Job `job` arrives at `at` with `work` hours of work.
  void arrive_at(SimTime at, JobRequest request) {
    requests_.push_back(request);
    sim_.schedule_at(at, id_, 1, requests_.size() - 1);
  }
  void handle(const Event& e) override {
    if (Station::owns(e)) {
      const StationOutcome out = station.on_event(e);
      if (out.kind == StationOutcome::Kind::completed) {
        completed.push_back(out.job);
        finish_times.push_back(sim_.now());
        started.push_back(out.first_started);
      } else if (out.kind == StationOutcome::Kind::reneged) {
        reneged.push_back(out.job);
      }
      return;
    }
    station.arrive(requests_[e.payload]);
  }

  std::vector<std::uint32_t> completed;
  std::vector<std::uint32_t> reneged;
  std::vector<SimTime> finish_times;
  std::vector<SimTime> started;

private:
  Simulation& sim_;
  HandlerId id_;
  std::vector<JobRequest> requests_;

public:
  Station station;
};

JobRequest job(std::uint32_t id, std::int64_t work_h, std::uint8_t priority = 0,
               double density = 0) {
  JobRequest r;
  r.job = id;
  r.work = SimDuration::hours(work_h);
  r.priority = priority;
  r.value_density = density;
  return r;
}

StationConfig config(QueueDiscipline d, std::uint32_t servers = 1, bool preemptive = false) {
  StationConfig c;
  c.name = "pool";
  c.capacity = CapacitySchedule::constant(servers);
  c.discipline = d;
  c.preemptive = preemptive;
  return c;
}

TEST(Station, ServesFifoInArrivalOrder) {
  Simulation sim(1, 0);
  Harness h(sim, config(QueueDiscipline::fifo));
  h.arrive_at(hours(0), job(10, 2));
  h.arrive_at(hours(1), job(11, 1, 3));
  h.arrive_at(hours(1), job(12, 1, 0));
  sim.run();
  EXPECT_THAT(h.completed, ElementsAre(10, 11, 12));
  EXPECT_EQ(h.finish_times.back(), hours(4));
  EXPECT_DOUBLE_EQ(h.station.wait_hours().mean(), (0.0 + 1.0 + 2.0) / 3);
  EXPECT_EQ(h.station.delayed_starts(), 2U);
}

TEST(Station, ServesTheMostUrgentClassFirstAndFifoWithinAClass) {
  Simulation sim(1, 0);
  Harness h(sim, config(QueueDiscipline::priority));
  h.arrive_at(hours(0), job(1, 1, 2)); // starts at once
  h.arrive_at(hours(0), job(2, 1, 3));
  h.arrive_at(hours(0), job(3, 1, 1));
  h.arrive_at(hours(0), job(4, 1, 3));
  h.arrive_at(hours(0), job(5, 1, 1));
  sim.run();
  EXPECT_THAT(h.completed, ElementsAre(1, 3, 5, 2, 4));
}

TEST(Station, ValueDensityServesTheHighestCostOfDelayPerEffortFirst) {
  Simulation sim(1, 0);
  Harness h(sim, config(QueueDiscipline::value_density));
  h.arrive_at(hours(0), job(1, 1, 0, 1.0)); // starts at once
  h.arrive_at(hours(0), job(2, 1, 0, 5.0));
  h.arrive_at(hours(0), job(3, 1, 0, 9.0));
  h.arrive_at(hours(0), job(4, 1, 0, 5.0));
  sim.run();
  EXPECT_THAT(h.completed, ElementsAre(1, 3, 2, 4));
}

TEST(Station, PreemptsTheLowestClassAndResumesItsRemainingWork) {
  Simulation sim(1, 0);
  Harness h(sim, config(QueueDiscipline::priority, 1, true));
  h.arrive_at(hours(0), job(1, 4, 3)); // runs 0-1, pre-empted, resumes 3-6
  h.arrive_at(hours(1), job(2, 2, 0)); // runs 1-3
  sim.run();
  EXPECT_THAT(h.completed, ElementsAre(2, 1));
  EXPECT_EQ(h.finish_times[0], hours(3));
  EXPECT_EQ(h.finish_times[1], hours(6)) << "pre-emptive resume keeps the remaining 3 h";
  EXPECT_EQ(h.started[1], hours(0)) << "first start is kept";
  EXPECT_EQ(h.station.preemptions(), 1U);
}

TEST(Station, DoesNotPreemptEqualOrMoreUrgentWork) {
  Simulation sim(1, 0);
  Harness h(sim, config(QueueDiscipline::priority, 1, true));
  h.arrive_at(hours(0), job(1, 4, 1));
  h.arrive_at(hours(1), job(2, 2, 1));
  sim.run();
  EXPECT_THAT(h.completed, ElementsAre(1, 2));
  EXPECT_EQ(h.station.preemptions(), 0U);
}

TEST(Station, RenegesWhenPatienceRunsOutAndCancelsTheTimerWhenServiceStarts) {
  Simulation sim(1, 0);
  Harness h(sim, config(QueueDiscipline::fifo));
  JobRequest a = job(1, 3);
  JobRequest b = job(2, 1);
  b.patience = SimDuration::hours(2); // would wait 3 h: leaves at 2 h
  JobRequest c = job(3, 1);
  c.patience = SimDuration::hours(5); // starts at 3 h: timer cancelled, no renege at 5 h
  h.arrive_at(hours(0), a);
  h.arrive_at(hours(0), b);
  h.arrive_at(hours(0), c);
  sim.run();
  EXPECT_THAT(h.reneged, ElementsAre(2));
  EXPECT_THAT(h.completed, ElementsAre(1, 3));
  EXPECT_EQ(h.finish_times[1], hours(4));
  EXPECT_EQ(h.station.reneges(), 1U);
  EXPECT_EQ(h.station.waiting(), 0U);
}

TEST(Station, FollowsCapacityByShift) {
  // One server at night, three from 08:00 to 18:00 on weekdays.
  StationConfig c = config(QueueDiscipline::fifo);
  std::vector<ShiftLevel> shifts;
  for (int d = 0; d < 5; ++d)
    shifts.push_back({d, SimDuration::hours(8), SimDuration::hours(18), 3});
  c.capacity = CapacitySchedule(1, shifts);
  Simulation sim(1, 0);
  Harness h(sim, c);
  for (std::uint32_t j = 0; j < 3; ++j)
    h.arrive_at(hours(6), job(j, 4));
  sim.run_until(hours(12)); // the weekly schedule never runs out of shift changes
  // Job 0 runs 06-10; jobs 1 and 2 start when the day shift arrives at 08:00.
  EXPECT_EQ(h.started[0], hours(6));
  EXPECT_EQ(h.finish_times[1], hours(12));
  EXPECT_EQ(h.finish_times[2], hours(12));
  EXPECT_NEAR(h.station.capacity_level().mean(hours(12)), (1.0 * 8 + 3.0 * 4) / 12, 1e-12);
}

TEST(Station, WorksOnlyInCalendarTimeAndStartsAtOpening) {
  StationConfig c = config(QueueDiscipline::fifo);
  c.calendar = Calendar::business_hours(SimDuration::hours(9), SimDuration::hours(17));
  Simulation sim(1, 0);
  Harness h(sim, c);
  h.arrive_at(hours(20), job(1, 10)); // Monday 20:00: starts Tuesday 09:00
  sim.run();
  ASSERT_EQ(h.completed.size(), 1U);
  EXPECT_EQ(h.started[0], hours(24 + 9));
  // 8 h on Tuesday, 2 h more on Wednesday: done at Wednesday 11:00.
  EXPECT_EQ(h.finish_times[0], hours(48 + 11));
}

TEST(Station, MeasuresUtilisationAsBusyOverAvailableServerHours) {
  Simulation sim(1, 0);
  Harness h(sim, config(QueueDiscipline::fifo, 2));
  h.arrive_at(hours(0), job(1, 3));
  h.arrive_at(hours(0), job(2, 1));
  sim.run_until(hours(4));
  EXPECT_NEAR(h.station.utilisation(hours(4)), 4.0 / 8.0, 1e-12);
}

TEST(Station, RejectsZeroServersPreemptiveFifoAndNegativeWork) {
  Simulation sim(1, 0);
  Harness h(sim, config(QueueDiscipline::fifo));
  try {
    Station s(sim, 0, 1, config(QueueDiscipline::fifo, 0));
    FAIL();
  } catch (const ModelError& e) {
    EXPECT_THAT(e.what(), HasSubstr("at least one server, got 0"));
  }
  try {
    Station s(sim, 0, 1, config(QueueDiscipline::fifo, 1, true));
    FAIL();
  } catch (const ModelError& e) {
    EXPECT_THAT(e.what(), HasSubstr("pre-emption needs the priority discipline, got fifo"));
  }
  JobRequest bad = job(1, 1);
  bad.work = SimDuration::ticks(-5);
  try {
    h.station.arrive(bad);
    FAIL();
  } catch (const ModelError& e) {
    EXPECT_THAT(e.what(), HasSubstr("negative work of -5 ms"));
  }
}

} // namespace
} // namespace itsim::sim
