// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/simulation.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace itsim::sim {
namespace {

using ::testing::HasSubstr;

// Records every event it sees and can be told to schedule or throw.
class Recorder final : public EventHandler {
public:
  explicit Recorder(Simulation& sim) : sim_(sim), id_(sim.add_handler(*this)) {}
  void handle(const Event& e) override {
    seen.push_back({sim_.now().ticks(), e.kind});
    if (e.kind == 99) throw ModelError("boom");
    if (e.kind == 1 && e.payload > 0)
      sim_.schedule_in(SimDuration::ticks(5), id_, 1, e.payload - 1);
  }
  std::string_view handler_name() const override { return "recorder"; }
  HandlerId id() const { return id_; }
  std::vector<std::pair<std::int64_t, EventKind>> seen;

private:
  Simulation& sim_;
  HandlerId id_;
};

TEST(Simulation, AdvancesTheClockToEachEvent) {
  Simulation sim(1, 0);
  Recorder r(sim);
  sim.schedule_at(SimTime::from_ticks(10), r.id(), 1, 3); // reschedules itself 3 times
  sim.run();
  ASSERT_EQ(r.seen.size(), 4U);
  EXPECT_EQ(r.seen[0].first, 10);
  EXPECT_EQ(r.seen[3].first, 25);
  EXPECT_EQ(sim.events_processed(), 4U);
  EXPECT_EQ(sim.now().ticks(), 25);
}

TEST(Simulation, RunUntilProcessesEventsAtTheBoundaryAndSetsTheClock) {
  Simulation sim(1, 0);
  Recorder r(sim);
  sim.schedule_at(SimTime::from_ticks(10), r.id(), 2);
  sim.schedule_at(SimTime::from_ticks(20), r.id(), 3);
  sim.schedule_at(SimTime::from_ticks(21), r.id(), 4);
  sim.run_until(SimTime::from_ticks(20));
  EXPECT_EQ(r.seen.size(), 2U);
  EXPECT_EQ(sim.now().ticks(), 20);
  sim.run_until(SimTime::from_ticks(100));
  EXPECT_EQ(r.seen.size(), 3U);
  EXPECT_EQ(sim.now().ticks(), 100);
}

TEST(Simulation, CancelledEventsAreSkipped) {
  Simulation sim(1, 0);
  Recorder r(sim);
  const EventId id = sim.schedule_cancellable_in(SimDuration::hours(1), r.id(), 7);
  sim.schedule_in(SimDuration::hours(2), r.id(), 8);
  EXPECT_TRUE(sim.is_pending(id));
  EXPECT_TRUE(sim.cancel(id));
  sim.run();
  ASSERT_EQ(r.seen.size(), 1U);
  EXPECT_EQ(r.seen[0].second, 8U);
}

TEST(Simulation, RejectsSchedulingInThePastNamingTheTime) {
  Simulation sim(1, 0);
  Recorder r(sim);
  sim.schedule_at(SimTime::from_ticks(3'600'000), r.id(), 2);
  sim.run();
  try {
    sim.schedule_at(SimTime::from_ticks(1'800'000), r.id(), 2);
    FAIL() << "expected ModelError";
  } catch (const ModelError& e) {
    EXPECT_THAT(e.what(), HasSubstr("t=0.500h is in the past"));
  }
}

TEST(Simulation, RejectsNegativeDelaysNamingTheValue) {
  Simulation sim(1, 0);
  Recorder r(sim);
  try {
    sim.schedule_in(SimDuration::ticks(-42), r.id(), 2);
    FAIL() << "expected ModelError";
  } catch (const ModelError& e) {
    EXPECT_THAT(e.what(), HasSubstr("-42 ms"));
  }
}

TEST(Simulation, RejectsUnknownHandlers) {
  Simulation sim(1, 0);
  EXPECT_THROW(sim.schedule_in(SimDuration::ticks(1), 3, 0), ModelError);
}

TEST(Simulation, WrapsHandlerExceptionsWithTimeEventAndHandler) {
  Simulation sim(1, 0);
  Recorder r(sim);
  sim.schedule_at(SimTime::from_ticks(7'200'000), r.id(), 99);
  try {
    sim.run();
    FAIL() << "expected ModelError";
  } catch (const ModelError& e) {
    EXPECT_THAT(e.what(), HasSubstr("t=2.000h"));
    EXPECT_THAT(e.what(), HasSubstr("recorder"));
    EXPECT_THAT(e.what(), HasSubstr("boom"));
  }
}

TEST(Simulation, NamedStreamsDependOnSeedReplicationAndName) {
  Simulation a(42, 0);
  Simulation b(42, 1);
  RandomStream a1 = a.stream("demand");
  RandomStream a2 = a.stream("demand");
  RandomStream a3 = a.stream("service");
  RandomStream b1 = b.stream("demand");
  const std::uint64_t x = a1.next_u64();
  EXPECT_EQ(x, a2.next_u64());
  EXPECT_NE(x, a3.next_u64());
  EXPECT_NE(x, b1.next_u64());
}

TEST(Simulation, FingerprintIsEqualForEqualTrajectoriesAndDiffersOtherwise) {
  auto run = [](std::int64_t t) {
    Simulation sim(1, 0);
    sim.enable_fingerprint();
    Recorder r(sim);
    sim.schedule_at(SimTime::from_ticks(t), r.id(), 1, 2);
    sim.run();
    return sim.fingerprint();
  };
  EXPECT_EQ(run(10), run(10));
  EXPECT_NE(run(10), run(11));
}

TEST(Simulation, InterruptFlagStopsALongRun) {
  Simulation sim(1, 0);
  Recorder r(sim);
  std::atomic<bool> flag{true};
  sim.set_interrupt_flag(&flag);
  sim.schedule_at(SimTime::from_ticks(1), r.id(), 1, 5000);
  EXPECT_THROW(sim.run(), Error);
  EXPECT_EQ(sim.events_processed(), 1024U);
}

} // namespace
} // namespace itsim::sim
