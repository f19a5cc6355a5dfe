// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/queueing_theory.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "itsim/sim/error.hpp"

namespace itsim::analysis {
namespace {

TEST(QueueingTheory, ErlangCOfTwoServersMatchesTheClosedForm) {
  // M/M/2: C = 2 rho^2 / (1 + rho) with rho = a / 2.
  const double rho = 0.8;
  EXPECT_NEAR(erlang_c(2, 2 * rho), 2 * rho * rho / (1 + rho), 1e-12);
}

TEST(QueueingTheory, ErlangCOfOneServerIsTheLoad) {
  EXPECT_NEAR(erlang_c(1, 0.7), 0.7, 1e-12);
}

TEST(QueueingTheory, PooledAndSplitWaitsMatchThePublishedFigures) {
  // Five M/M/2 at rho 0.8 wait 1.78 service times; one M/M/10 at the same load 0.205.
  EXPECT_NEAR(mmc_mean_wait(1.6, 1.0, 2), 1.7778, 1e-4);
  EXPECT_NEAR(mmc_mean_wait(8.0, 1.0, 10), 0.2046, 1e-4);
}

TEST(QueueingTheory, PollaczekKhinchineReducesToMM1ForExponentialService) {
  // Exponential service with mean 1: E[S^2] = 2, so Wq = rho / (mu - lambda).
  EXPECT_NEAR(mg1_mean_wait(0.8, 1.0, 2.0), 4.0, 1e-12);
  EXPECT_NEAR(mmc_mean_wait(0.8, 1.0, 1), 4.0, 1e-12);
}

TEST(QueueingTheory, PriorityFormulasMatchHandComputedTwoClassValues) {
  const std::vector<PriorityClass> classes{{0.3, 1.0, 2.0}, {0.5, 1.0, 2.0}};
  const auto w = priority_nonpreemptive_waits(classes);
  EXPECT_NEAR(w[0], 0.8 / 0.7, 1e-12);
  EXPECT_NEAR(w[1], 0.8 / (0.7 * 0.2), 1e-12);
  const auto t = priority_preemptive_sojourns(classes);
  EXPECT_NEAR(t[0], 1.0 / 0.7, 1e-12) << "class 0 sees an M/M/1 of its own";
  EXPECT_NEAR(t[1], 1.0 / 0.7 + 0.8 / (0.7 * 0.2), 1e-12);
}

TEST(QueueingTheory, ErlangAApproachesErlangCAsPatienceGrows) {
  const ErlangA a = erlang_a(8.0, 1.0, 1e-9, 10);
  EXPECT_NEAR(a.p_wait, erlang_c(10, 8.0), 1e-6);
  EXPECT_NEAR(a.mean_wait, mmc_mean_wait(8.0, 1.0, 10), 1e-5);
  EXPECT_LT(a.p_abandon, 1e-8);
}

TEST(QueueingTheory, ErlangAWithPatienceEqualToServiceIsAnInfiniteServerQueue) {
  // theta = mu makes every job leave at rate mu whatever it does: M/M/inf, Poisson(a).
  const ErlangA a = erlang_a(3.0, 1.0, 1.0, 2);
  // P(N >= 2) for Poisson(3) = 1 - e^-3 (1 + 3)
  EXPECT_NEAR(a.p_wait, 1 - std::exp(-3.0) * 4, 1e-9);
}

TEST(QueueingTheory, UnstableLoadsAreRejected) {
  EXPECT_THROW(erlang_c(2, 2.0), ModelError);
  EXPECT_THROW(mg1_mean_wait(1.0, 1.0, 2.0), ModelError);
}

} // namespace
} // namespace itsim::analysis
