// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

namespace itsim::analysis {

/// Closed forms of classical queueing theory. They validate the engine (tests/validation)
/// and let the scenario loader warn about loads a pool cannot sustain. Rates are per hour,
/// times in hours; any consistent unit works.

/// Erlang B blocking probability for `servers` servers and offered load `a` = lambda/mu,
/// by the numerically stable recursion B(k) = a B(k-1) / (k + a B(k-1)).
double erlang_b(std::uint32_t servers, double a);

/// Erlang C: probability that an arrival waits in M/M/c (requires a < servers).
double erlang_c(std::uint32_t servers, double a);

/// Mean wait in queue of M/M/c with arrival rate `lambda`, service rate `mu` per server.
double mmc_mean_wait(double lambda, double mu, std::uint32_t servers);

/// Pollaczek-Khinchine mean wait in queue of M/G/1: lambda E[S^2] / (2 (1 - rho)).
double mg1_mean_wait(double lambda, double service_mean, double service_second_moment);

/// One class of a single-server priority queue (class 0 is served first).
struct PriorityClass {
  double lambda;                ///< arrival rate
  double service_mean;          ///< E[S]
  double service_second_moment; ///< E[S^2]
};

/// Mean waits in queue per class of the non-pre-emptive priority M/G/1 queue (Cobham 1954):
/// W_k = W0 / ((1 - s_{k-1}) (1 - s_k)), W0 = sum_i lambda_i E[S_i^2] / 2, s_k the load of
/// classes 0..k.
std::vector<double> priority_nonpreemptive_waits(const std::vector<PriorityClass>& classes);

/// Mean sojourn times per class of the pre-emptive-resume priority M/G/1 queue:
/// T_k = E[S_k] / (1 - s_{k-1}) + R_k / ((1 - s_{k-1}) (1 - s_k)), R_k = sum_{i<=k}
/// lambda_i E[S_i^2] / 2.
std::vector<double> priority_preemptive_sojourns(const std::vector<PriorityClass>& classes);

/// Stationary measures of M/M/c+M (Erlang A: exponential patience with rate theta).
struct ErlangA {
  double p_wait;     ///< probability an arrival finds every server busy
  double p_abandon;  ///< probability an arrival abandons
  double mean_queue; ///< time-average number waiting
  double mean_wait;  ///< mean time in queue over all arrivals (E[Q] / lambda)
};

/// Erlang A by solving the birth-death chain (birth lambda, death min(n,c) mu +
/// max(n-c,0) theta), truncated where the tail probability is below 1e-16.
ErlangA erlang_a(double lambda, double mu, double theta, std::uint32_t servers);

} // namespace itsim::analysis
