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
        crews.push_back(out.crew);
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
  std::vector<std::uint8_t> crews;

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
    EXPECT_THAT(e.what(),
                HasSubstr("pre-emption needs the priority or value_density discipline, got fifo"));
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

// ---- crews: several servers on one job ---------------------------------------------------

JobRequest crew_job(std::uint32_t id, std::int64_t work_h, std::uint8_t crew,
                    std::uint8_t priority = 0) {
  JobRequest r = job(id, work_h, priority);
  r.crew = crew;
  return r;
}

StationConfig crew_config(QueueDiscipline d, std::uint32_t servers, std::uint32_t max_crew,
                          bool preemptive = false) {
  StationConfig c = config(d, servers, preemptive);
  c.max_crew = max_crew;
  return c;
}

TEST(Station, ACrewSharesTheWorkAndReleasesEveryServerAtTheEnd) {
  // Four servers. Job 1 (12 h of work, crew 3) takes three servers and ends at 4 h; job 2
  // (6 h, crew 3) arriving at 1 h finds one server free and works alone until 7 h; job 3
  // (4 h, crew 2) arriving at 2 h waits for job 1's servers and ends at 4 + 2 = 6 h.
  Simulation sim(1, 0);
  Harness h(sim, crew_config(QueueDiscipline::fifo, 4, 3));
  h.arrive_at(hours(0), crew_job(1, 12, 3));
  h.arrive_at(hours(1), crew_job(2, 6, 3));
  h.arrive_at(hours(2), crew_job(3, 4, 2));
  sim.run_until(hours(2));
  EXPECT_EQ(h.station.busy(), 4U);
  EXPECT_EQ(h.station.waiting(), 1U);
  sim.run_until(hours(100));
  EXPECT_THAT(h.completed, ElementsAre(1U, 3U, 2U));
  EXPECT_THAT(h.finish_times, ElementsAre(hours(4), hours(6), hours(7)));
  EXPECT_THAT(h.crews, ElementsAre(3U, 2U, 1U));
  EXPECT_EQ(h.station.busy(), 0U);
  // Busy server-hours: 3 x 4 + 1 x 6 + 2 x 2 = 22 = the work of the three jobs.
  EXPECT_NEAR(h.station.busy_servers().integral(hours(100)) / 1.0, 22.0, 1e-9);
}

TEST(Station, ACrewOfOneServesAsWithoutCrews) {
  // The same jobs with crew 1 on a crew station and on a plain one end at the same times.
  std::vector<SimTime> ends[2];
  for (const std::uint32_t max_crew : {1U, 4U}) {
    Simulation sim(1, 0);
    Harness h(sim, crew_config(QueueDiscipline::priority, 2, max_crew));
    for (std::uint32_t j = 0; j < 6; ++j)
      h.arrive_at(hours(j), job(j, 3 + j % 3, static_cast<std::uint8_t>(j % 2)));
    sim.run_until(hours(100));
    ends[max_crew == 1 ? 0 : 1] = h.finish_times;
  }
  EXPECT_EQ(ends[0], ends[1]);
  EXPECT_EQ(ends[0].size(), 6U);
}

TEST(Station, PreemptingACrewFreesAllItsServersAndKeepsItsRemainingWork) {
  // Two servers. A routine job (8 h, crew 2) runs on both from 0 h; an urgent job (1 h)
  // pre-empts it at 1 h, when 6 h of work remain. The urgent job takes one server and ends
  // at 2 h; the routine job resumes at once on the other, alone (a crew takes its servers
  // when it starts and does not grow later), and ends at 1 + 6 = 7 h.
  Simulation sim(1, 0);
  Harness h(sim, crew_config(QueueDiscipline::priority, 2, 2, true));
  h.arrive_at(hours(0), crew_job(1, 8, 2, 3));
  h.arrive_at(hours(1), crew_job(2, 1, 1, 0));
  sim.run_until(hours(100));
  EXPECT_THAT(h.completed, ElementsAre(2U, 1U));
  EXPECT_THAT(h.finish_times, ElementsAre(hours(2), hours(7)));
  EXPECT_THAT(h.crews, ElementsAre(1U, 1U));
  EXPECT_EQ(h.station.preemptions(), 1U);
  EXPECT_EQ(h.station.busy(), 0U);
}

TEST(Station, RejectsACrewAboveTheStationsMaximum) {
  Simulation sim(1, 0);
  Harness h(sim, crew_config(QueueDiscipline::fifo, 4, 2));
  try {
    h.station.arrive(crew_job(7, 1, 3));
    FAIL();
  } catch (const ModelError& e) {
    EXPECT_THAT(e.what(),
                HasSubstr("job 7 asks for a crew of 3 servers; this station allows 1 to 2"));
  }
  try {
    h.station.arrive(crew_job(8, 1, 0));
    FAIL();
  } catch (const ModelError& e) {
    EXPECT_THAT(e.what(), HasSubstr("crew of 0"));
  }
  try {
    Station s(sim, 0, 1, crew_config(QueueDiscipline::fifo, 1, 0));
    FAIL();
  } catch (const ModelError& e) {
    EXPECT_THAT(e.what(), HasSubstr("max_crew must be 1 to 255, got 0"));
  }
}

// ---- tiers: tickets before changes -----------------------------------------------------

JobRequest tier_job(std::uint32_t id, std::int64_t work_h, std::uint8_t tier, std::uint8_t priority,
                    double density = 0) {
  JobRequest r = job(id, work_h, priority, density);
  r.tier = tier;
  return r;
}

TEST(Station, ServesALowerTierFirstWhateverItsPriorityOrValueDensity) {
  for (const QueueDiscipline d : {QueueDiscipline::priority, QueueDiscipline::value_density}) {
    Simulation sim(1, 0);
    Harness h(sim, config(d));
    h.arrive_at(hours(0), tier_job(1, 1, 1, 0, 100)); // starts at once
    h.arrive_at(hours(0), tier_job(2, 1, 1, 0, 100)); // a P1 change of high value
    h.arrive_at(hours(0), tier_job(3, 1, 0, 3, 1));   // a P4 ticket of low value
    h.arrive_at(hours(0), tier_job(4, 1, 0, 2, 2));
    sim.run_until(hours(100));
    // priority: tickets by priority (4 is P3, 3 is P4); value density: 4 before 3 too.
    EXPECT_THAT(h.completed, ElementsAre(1U, 4U, 3U, 2U)) << to_string(d);
  }
}

TEST(Station, ALowerTierPreemptsAndValueDensityAloneDoesNot) {
  // value density: a ticket (tier 0) pre-empts a change; a change of higher value density
  // does not pre-empt another change.
  Simulation sim(1, 0);
  Harness h(sim, config(QueueDiscipline::value_density, 1, true));
  h.arrive_at(hours(0), tier_job(1, 4, 1, 0, 1));
  h.arrive_at(hours(1), tier_job(2, 1, 1, 0, 50)); // waits
  h.arrive_at(hours(2), tier_job(3, 1, 0, 3, 0));  // pre-empts job 1 at 2 h
  sim.run_until(hours(100));
  // Job 1 went back to the queue behind job 2, whose value density is higher.
  EXPECT_THAT(h.completed, ElementsAre(3U, 2U, 1U));
  EXPECT_THAT(h.finish_times, ElementsAre(hours(3), hours(4), hours(6)));
  EXPECT_EQ(h.station.preemptions(), 1U);

  // priority: a P4 ticket pre-empts a P1 change.
  Simulation sim2(1, 0);
  Harness h2(sim2, config(QueueDiscipline::priority, 1, true));
  h2.arrive_at(hours(0), tier_job(1, 4, 1, 0));
  h2.arrive_at(hours(1), tier_job(2, 1, 0, 3));
  sim2.run_until(hours(100));
  EXPECT_THAT(h2.completed, ElementsAre(2U, 1U));
  EXPECT_THAT(h2.finish_times, ElementsAre(hours(2), hours(5)));
}

} // namespace
} // namespace itsim::sim
