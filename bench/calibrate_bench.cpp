// SPDX-License-Identifier: Apache-2.0
// BM_Calibrate: `itsim calibrate` of a million-row ServiceNow incident export (the shipped
// mapping scenarios/calibration/servicenow-incident.yaml): the streaming read, the fits and
// the scenario text, as the command does them (without writing the file). The export is
// written once, before timing, into the temporary directory: two years of tickets from
// Monday 1 January 2024, 70% resolved at the service desk, the rest escalated to Network
// (60%) or Database, exponential work, one ticket in ten a service request, one in twenty
// open. The budget: under 30 s on a 2-core machine (counter rows).
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

#include "itsim/calibration/calibrate.hpp"
#include "itsim/scenarios/calibration_mapping.hpp"

namespace {

constexpr int rows = 1'000'000;

/// splitmix64 uniforms: the same export every run.
struct Uniform {
  std::uint64_t s = 2024;
  double operator()() {
    s += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (static_cast<double>(z >> 11) + 0.5) / 9007199254740992.0;
  }
};

std::string stamp(double h) {
  const auto t = static_cast<std::time_t>(static_cast<long long>(h * 3600) + 1704067200LL);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

const std::string& export_file() {
  static const std::string path = [] {
    const std::string p = (std::filesystem::temp_directory_path() /
                           ("itsim-bm-calibrate-" + std::to_string(::getpid()) + ".csv"))
                              .string();
    std::ofstream out(p, std::ios::binary);
    out << "number,opened_at,resolved_at,closed_at,priority,category,assignment_group,"
           "reassignment_count,reopen_count,time_worked,resolved_by\n";
    const char* groups[] = {"Service Desk", "Network", "Database"};
    const char* prios[] = {"1 - Critical", "2 - High", "3 - Moderate", "4 - Low"};
    const double means[] = {0.2, 0.8, 3.0};
    Uniform u;
    const double span_h = 104 * 168.0;
    std::string line;
    for (int i = 0; i < rows; ++i) {
      const double t = (i + u()) * span_h / rows;
      int tier = 0;
      if (u() > 0.7) tier = u() < 0.6 ? 1 : 2;
      const double work = means[tier] * -std::log(u());
      const double draw = u();
      const int prio = draw < 0.02 ? 0 : draw < 0.12 ? 1 : draw < 0.8 ? 2 : 3;
      const bool open = u() < 0.05;
      const std::string opened = stamp(t);
      line = "INC" + std::to_string(i) + "," + opened + "," +
             (open ? std::string() : stamp(t + 1 + 10 * tier + 20 * u())) + "," +
             (open ? std::string() : stamp(t + 100)) + "," + prios[prio] + "," +
             (u() < 0.1 ? "request" : "software") + "," + groups[tier] + "," +
             std::to_string(tier) + "," + (u() < 0.03 ? "1" : "0") + "," +
             std::to_string(static_cast<long long>(work * 3600)) + ",agent" +
             std::to_string(static_cast<int>(u() * 40)) + "\n";
      out << line;
    }
    std::atexit([] { std::filesystem::remove(export_file()); });
    return p;
  }();
  return path;
}

void BM_Calibrate(benchmark::State& state) {
  itsim::scenarios::Diagnostics d;
  const auto mapping = itsim::scenarios::load_calibration_mapping(
      std::string(ITSIM_SOURCE_DIR) + "/scenarios/calibration/servicenow-incident.yaml", d);
  if (!mapping) {
    state.SkipWithError(d.format_all().c_str());
    return;
  }
  const std::string& path = export_file();
  itsim::calibration::CalibrateOptions o;
  o.staff = {{"l1", 7}, {"l2", 6}, {"l3", 14}, {"ba", 6}, {"dev", 40}};
  o.employees = 2000;
  std::size_t bytes = 0;
  std::uint64_t read = 0;
  for (auto _ : state) {
    const auto summary = itsim::calibration::read_tickets(path, *mapping, false);
    const auto c = itsim::calibration::calibrate(summary, o);
    bytes = c.yaml.size();
    read = summary.rows;
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["rows"] = static_cast<double>(read);
  state.counters["yaml_bytes"] = static_cast<double>(bytes);
}

} // namespace

BENCHMARK(BM_Calibrate)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
