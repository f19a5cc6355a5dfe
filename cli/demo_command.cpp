// SPDX-License-Identifier: Apache-2.0
#include <boost/program_options.hpp>

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "itsim/analysis/confidence.hpp"
#include "itsim/analysis/queueing_theory.hpp"
#include "itsim/models/station_network.hpp"

namespace itsim::cli {

namespace po = boost::program_options;

namespace {

models::NetworkSpec desks(std::uint32_t units, std::uint32_t servers_per_unit, double lambda,
                          double mean_service_h, double horizon_h) {
  models::NetworkSpec spec;
  for (std::uint32_t u = 0; u < units; ++u) {
    models::SourceSpec src;
    src.name = "unit" + std::to_string(u);
    src.interarrival_h = sim::Distribution::exponential(1.0 / lambda);
    src.first_station = u;
    spec.sources.push_back(src);
    models::NetworkStationSpec st;
    st.config.name = "desk" + std::to_string(u);
    st.config.capacity = sim::CapacitySchedule::constant(servers_per_unit);
    st.service_h.push_back(sim::Distribution::exponential(mean_service_h));
    spec.stations.push_back(std::move(st));
  }
  spec.warmup_h = horizon_h / 20;
  spec.horizon_h = horizon_h;
  return spec;
}

double mean_wait(const models::NetworkResults& r) {
  double sum = 0;
  double n = 0;
  for (const auto& c : r.classes) {
    sum += c.wait_h_total;
    n += static_cast<double>(c.completed);
  }
  return sum / n;
}

} // namespace

int demo_command(const std::vector<std::string>& args) {
  int reps = 20;
  std::uint64_t seed = 42;
  double rho = 0.8;
  po::options_description opts(
      "itsim demo: the pooling effect, simulated and checked against theory");
  opts.add_options()("help,h", "show this help")(
      "replications,r", po::value<int>(&reps)->default_value(20), "independent replications")(
      "seed", po::value<std::uint64_t>(&seed)->default_value(42), "master seed")(
      "load", po::value<double>(&rho)->default_value(0.8), "server utilisation, in (0, 1)");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return exit_ok;
  }
  if (reps < 2) throw po::error("--replications must be at least 2, got " + std::to_string(reps));
  if (!(rho > 0 && rho < 1))
    throw po::error("--load must be in (0, 1), got " + std::to_string(rho));

  // Ten desk agents, one hour per ticket: as five unit desks of two, or one pooled desk.
  const double service_h = 1.0;
  const double per_unit = 2 * rho / service_h;
  const models::NetworkSpec split = desks(5, 2, per_unit, service_h, 20000);
  const models::NetworkSpec pooled = desks(1, 10, 5 * per_unit, service_h, 20000);
  std::vector<double> split_waits, pooled_waits;
  const bool show_progress = isatty(STDERR_FILENO) != 0;
  for (int r = 0; r < reps; ++r) {
    split_waits.push_back(
        mean_wait(models::run_network(split, seed, static_cast<std::uint64_t>(r))));
    pooled_waits.push_back(
        mean_wait(models::run_network(pooled, seed, static_cast<std::uint64_t>(r))));
    if (show_progress) std::fprintf(stderr, "\rreplication %d/%d", r + 1, reps);
  }
  if (show_progress) std::fprintf(stderr, "\n");
  const auto s = analysis::confidence_interval(split_waits);
  const auto p = analysis::confidence_interval(pooled_waits);
  const auto d = analysis::paired_difference(split_waits, pooled_waits);
  std::printf("Pooling effect at utilisation %.2f, %d replications, seed %llu (mean wait, hours)\n",
              rho, reps, static_cast<unsigned long long>(seed));
  std::printf("%-28s %10s %10s %10s\n", "", "simulated", "95% CI +-", "theory");
  std::printf("%-28s %10.4f %10.4f %10.4f\n", "5 unit desks of 2 (M/M/2)", s.mean, s.half_width,
              analysis::mmc_mean_wait(per_unit, 1 / service_h, 2));
  std::printf("%-28s %10.4f %10.4f %10.4f\n", "1 pooled desk of 10 (M/M/10)", p.mean, p.half_width,
              analysis::mmc_mean_wait(5 * per_unit, 1 / service_h, 10));
  std::printf("%-28s %10.4f %10.4f\n", "split minus pooled (paired)", d.mean, d.half_width);
  return exit_ok;
}

} // namespace itsim::cli
