// SPDX-License-Identifier: Apache-2.0
#include "itsim/analysis/queueing_theory.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "itsim/sim/error.hpp"

namespace itsim::analysis {

namespace {
void require(bool ok, const std::string& what) {
  if (!ok) throw ModelError(what);
}
} // namespace

double erlang_b(std::uint32_t servers, double a) {
  require(std::isfinite(a) && a >= 0,
          "erlang_b: offered load must be >= 0, got " + std::to_string(a));
  double b = 1.0;
  for (std::uint32_t k = 1; k <= servers; ++k)
    b = a * b / (k + a * b);
  return b;
}

double erlang_c(std::uint32_t servers, double a) {
  require(servers > 0, "erlang_c: needs at least one server, got 0");
  require(a < servers, "erlang_c: offered load " + std::to_string(a) + " is not below " +
                           std::to_string(servers) + " servers: the queue is unstable");
  const double b = erlang_b(servers, a);
  return servers * b / (servers - a * (1 - b));
}

double mmc_mean_wait(double lambda, double mu, std::uint32_t servers) {
  require(mu > 0, "mmc_mean_wait: service rate must be > 0, got " + std::to_string(mu));
  const double a = lambda / mu;
  return erlang_c(servers, a) / (servers * mu - lambda);
}

double mg1_mean_wait(double lambda, double service_mean, double service_second_moment) {
  const double rho = lambda * service_mean;
  require(rho < 1, "mg1_mean_wait: load " + std::to_string(rho) + " is not below 1");
  return lambda * service_second_moment / (2 * (1 - rho));
}

std::vector<double> priority_nonpreemptive_waits(const std::vector<PriorityClass>& classes) {
  double w0 = 0;
  for (const PriorityClass& c : classes)
    w0 += c.lambda * c.service_second_moment / 2;
  std::vector<double> waits;
  double sigma_prev = 0;
  for (const PriorityClass& c : classes) {
    const double sigma = sigma_prev + c.lambda * c.service_mean;
    require(sigma < 1, "priority_nonpreemptive_waits: cumulative load " + std::to_string(sigma) +
                           " is not below 1");
    waits.push_back(w0 / ((1 - sigma_prev) * (1 - sigma)));
    sigma_prev = sigma;
  }
  return waits;
}

std::vector<double> priority_preemptive_sojourns(const std::vector<PriorityClass>& classes) {
  std::vector<double> sojourns;
  double sigma_prev = 0;
  double r = 0;
  for (const PriorityClass& c : classes) {
    const double sigma = sigma_prev + c.lambda * c.service_mean;
    require(sigma < 1, "priority_preemptive_sojourns: cumulative load " + std::to_string(sigma) +
                           " is not below 1");
    r += c.lambda * c.service_second_moment / 2;
    sojourns.push_back(c.service_mean / (1 - sigma_prev) + r / ((1 - sigma_prev) * (1 - sigma)));
    sigma_prev = sigma;
  }
  return sojourns;
}

ErlangA erlang_a(double lambda, double mu, double theta, std::uint32_t servers) {
  require(lambda > 0 && mu > 0 && theta > 0 && servers > 0,
          "erlang_a: rates and servers must be > 0");
  // Unnormalised stationary probabilities p_n, p_0 = 1, p_n = p_{n-1} lambda / death(n).
  double p = 1.0;
  double total = 1.0;
  double waiting_mass = 0; // sum over n >= c of p_n
  double queue_mass = 0;   // sum over n > c of (n - c) p_n
  for (std::uint32_t n = 1; n < 1'000'000; ++n) {
    const double death =
        std::min<double>(n, servers) * mu + (n > servers ? (n - servers) * theta : 0);
    p *= lambda / death;
    total += p;
    if (n >= servers) waiting_mass += p;
    if (n > servers) queue_mass += (n - servers) * p;
    if (n > servers && p < 1e-16 * total) break;
  }
  ErlangA r{};
  // An arrival waits when it finds n >= c (PASTA).
  r.p_wait = waiting_mass / total;
  r.mean_queue = queue_mass / total;
  r.p_abandon = theta * r.mean_queue / lambda;
  r.mean_wait = r.mean_queue / lambda;
  return r;
}

} // namespace itsim::analysis
