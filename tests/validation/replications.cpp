// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "replications.hpp"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "itsim/scenarios/loader.hpp"

namespace itsim::validation {

std::vector<models::NetworkResults> run_replications(const models::NetworkSpec& spec,
                                                     std::size_t replications,
                                                     std::uint64_t master_seed) {
  std::vector<models::NetworkResults> out(replications);
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t r = next++; r < replications; r = next++) {
      out[r] = models::run_network(spec, master_seed, r);
    }
  };
  const unsigned threads = std::max(1U, std::min(4U, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool)
    t.join();
  return out;
}

analysis::ConfidenceInterval
ci99(const std::vector<models::NetworkResults>& runs,
     const std::function<double(const models::NetworkResults&)>& metric) {
  std::vector<double> xs;
  xs.reserve(runs.size());
  for (const auto& r : runs)
    xs.push_back(metric(r));
  return analysis::confidence_interval(xs, 0.99);
}

::testing::AssertionResult covers(const analysis::ConfidenceInterval& ci, double theory,
                                  double max_half_width) {
  std::ostringstream msg;
  msg << "theory " << theory << ", 99% CI " << ci.mean << " +- " << ci.half_width << " ["
      << ci.lower() << ", " << ci.upper() << "] over " << ci.n << " replications";
  if (!ci.contains(theory)) return ::testing::AssertionFailure() << msg.str() << ": outside";
  if (ci.half_width > max_half_width) {
    return ::testing::AssertionFailure()
           << msg.str() << ": half-width above " << max_half_width << ", too wide to mean much";
  }
  return ::testing::AssertionSuccess() << msg.str();
}

models::NetworkSpec single_station(double lambda, sim::Distribution service, std::uint32_t servers,
                                   double warmup_h, double horizon_h) {
  models::NetworkSpec spec;
  models::SourceSpec src;
  src.name = "arrivals";
  src.interarrival_h = sim::Distribution::exponential(1.0 / lambda);
  spec.sources.push_back(src);
  models::NetworkStationSpec st;
  st.config.name = "pool";
  st.config.capacity = sim::CapacitySchedule::constant(servers);
  st.service_h.push_back(std::move(service));
  spec.stations.push_back(std::move(st));
  spec.warmup_h = warmup_h;
  spec.horizon_h = horizon_h;
  return spec;
}

scenarios::Scenario load(const std::string& yaml, const std::string& label,
                         const std::vector<std::string>& overrides) {
  scenarios::Diagnostics diags;
  auto loaded = scenarios::load_scenario_text(yaml, label, ".", overrides, diags);
  if (!loaded) throw std::runtime_error(label + " does not load:\n" + diags.format_all());
  EXPECT_EQ(diags.warning_count(), 0U) << diags.format_all();
  return std::move(loaded->scenario);
}

std::uint32_t model_index(const scenarios::Scenario& s, const std::string& id) {
  for (std::uint32_t m = 0; m < s.models.size(); ++m)
    if (s.models[m].id == id) return m;
  throw std::runtime_error("scenario " + s.name + " has no model " + id);
}

std::size_t resource_index(const scenarios::Scenario& s, std::uint32_t model,
                           const std::string& id) {
  const auto& res = s.models.at(model).resources;
  for (std::size_t r = 0; r < res.size(); ++r)
    if (res[r].id == id) return r;
  throw std::runtime_error("model " + s.models.at(model).id + " has no resource " + id);
}

std::vector<std::vector<models::RunResult>> run_all(const scenarios::Scenario& s,
                                                    const std::vector<std::uint32_t>& models,
                                                    std::size_t n,
                                                    const models::RunOptions& options) {
  std::vector<std::vector<models::RunResult>> out(models.size(), std::vector<models::RunResult>(n));
  const std::size_t jobs = models.size() * n;
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t j = next++; j < jobs; j = next++)
      out[j / n][j % n] = models::run_model(s, models[j / n], j % n, options);
  };
  const unsigned threads = std::max(1U, std::min(4U, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool)
    t.join();
  return out;
}

std::vector<double> each(const std::vector<models::RunResult>& runs, models::Kpi k) {
  return each(runs, [k](const models::RunResult& r) { return r[k]; });
}

analysis::ConfidenceInterval ci99(const std::vector<double>& v) {
  return analysis::confidence_interval(v, 0.99);
}

analysis::ConfidenceInterval paired99(const std::vector<double>& a, const std::vector<double>& b) {
  return analysis::paired_difference(a, b, 0.99);
}

void show(const std::string& what, const analysis::ConfidenceInterval& ci, double theory) {
  std::cout << "[ observed ] " << what << ": mean " << ci.mean << ", 99% CI +- " << ci.half_width
            << " [" << ci.lower() << ", " << ci.upper() << "] over " << ci.n
            << " replications; theory " << theory << '\n';
}

} // namespace itsim::validation
