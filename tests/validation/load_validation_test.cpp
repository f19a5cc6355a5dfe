// SPDX-License-Identifier: Apache-2.0
// The load check (models/load.hpp) against the simulator: for every model of the default
// company (scenarios/midsize.yaml), and for variants loaded close to capacity, the
// utilisation bound of each pool and team must be close to the utilisation the runs report
// (busy over available server-hours, ResourceResult::utilisation). This is the proof that
// the check counts every mechanism that turns an item into work.
//
// Why the bound lies above the simulation (docs/models.md, "The load check"):
//  - learning: teams and rotated staff learn, K rises above K0, effort and rework fall;
//  - proactive work is counted at its highest rate, but discovery is thinned by K x slack;
//  - abandonment: requesters who give up take their remaining work with them;
//  - the calendar: a job in progress at closing time holds its server over the night, so
//    the simulated utilisation counts those hours too (exactly offsetting on average only
//    when work starts uniformly over working time; morning peaks start more of it early);
//  - rotation takes a share of people away for stints (lowering the available hours) and
//    ramps newcomers, which the bound leaves out: the only gap the other way.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "itsim/models/load.hpp"
#include "itsim/models/org_model.hpp"
#include "itsim/scenarios/loader.hpp"

namespace itsim::validation {
namespace {

using scenarios::Scenario;

constexpr std::size_t replications = 8;

Scenario midsize(const std::vector<std::string>& overrides) {
  scenarios::Diagnostics diags;
  const auto loaded = scenarios::load_scenario(
      std::string(ITSIM_VALIDATION_SCENARIOS_DIR) + "/../midsize.yaml", overrides, diags);
  if (!loaded) throw std::runtime_error(diags.format_all());
  return loaded->scenario;
}

struct Compared {
  std::string model, resource;
  double bound = 0, simulated = 0;
};

/// The bound and the mean simulated utilisation of every resource of every model.
std::vector<Compared> compare(const Scenario& s) {
  std::vector<Compared> out;
  const std::vector<models::ModelLoad> loads = models::offered_load(s);
  for (const models::ModelLoad& ml : loads) {
    std::vector<double> sim(s.models[ml.model].resources.size(), 0.0);
    for (std::size_t r = 0; r < replications; ++r) {
      const models::RunResult run = models::run_model(s, ml.model, r);
      for (std::size_t i = 0; i < sim.size(); ++i)
        sim[i] += run.resources[i].utilisation / replications;
    }
    for (const models::ResourceLoad& l : ml.resources) {
      Compared c;
      c.model = s.models[ml.model].id;
      c.resource = s.models[ml.model].resources[l.resource].id;
      c.bound = l.bound();
      c.simulated = sim[l.resource];
      out.push_back(c);
      std::printf("%-10s %-10s bound %.3f simulated %.3f\n", c.model.c_str(), c.resource.c_str(),
                  c.bound, c.simulated);
    }
  }
  return out;
}

/// midsize with its pools working around the clock (so that a job never holds its server
/// over a closed night: busy server-hours are then working hours), demand x 2.2 (unit
/// headcounts) so that the busiest pools run at 0.75-0.8, no learning and no proactive
/// work, over three years after a year's warm-up (changes pass monthly and weekly gates and
/// rework loops: a quarter is too short for their pipeline to fill).
std::vector<std::string> steady_variant() {
  std::vector<std::string> o;
  const std::vector<std::string> pools = {"l1", "l2", "l3", "dev", "ba", "management"};
  for (const std::string& pool : pools)
    o.push_back("staff.pools." + pool + ".calendar=always");
  const std::vector<std::pair<std::string, int>> units = {
      {"sales", 1320}, {"service", 1100}, {"operations", 880}, {"finance", 660}, {"people", 440}};
  for (const auto& [unit, headcount] : units)
    o.push_back("organisation.units." + unit + ".headcount=" + std::to_string(headcount));
  o.push_back("models.rotation.knowledge.learns=false");
  o.push_back("models.embedded.teams.unit_it.learns=false");
  o.push_back("models.coe.teams.stream.learns=false");
  o.push_back("models.coe.teams.platform.learns=false");
  o.push_back("models.coe.proactive.rate=0/week");
  o.push_back("horizon=3y");
  o.push_back("warmup=1y");
  return o;
}

// The default company on the business calendar, as shipped: the bound is an upper bound
// (learning, thinned discovery, abandonment, and jobs in progress at closing time counted
// over the night, with work starting mostly in the morning), and what it calls overloaded
// runs busy in the simulation (requesters giving up keep it below 1).
TEST(LoadValidation, MidsizePresetsStayUnderTheirBound) {
  for (const Compared& c : compare(midsize({"horizon=1y", "warmup=13w"}))) {
    SCOPED_TRACE(c.model + " " + c.resource);
    EXPECT_LE(c.simulated, c.bound + 0.02);
    if (c.bound >= 1) {
      EXPECT_GE(c.simulated, 0.65);
    }
  }
}

// With the calendar, learning and discovery taken out, the bound is the simulated
// utilisation within 10% (measured: the tickets' pools within 0.5%, the change pools 4-8%
// below it: enhancements and projects abandoned, and the heavy tail of project efforts
// over 8 runs, shared by all models through common random numbers), except rotation,
// whose stints still bring knowledge back (less rework) and let units serve themselves:
// within 30%.
TEST(LoadValidation, AroundTheClockWithoutLearningTheBoundIsTheUtilisation) {
  for (const Compared& c : compare(midsize(steady_variant()))) {
    SCOPED_TRACE(c.model + " " + c.resource);
    const double tolerance = c.model == "rotation" ? 0.3 : 0.1;
    EXPECT_LE(c.simulated, c.bound * 1.02);
    EXPECT_GE(c.simulated, c.bound * (1 - tolerance));
  }
}

} // namespace
} // namespace itsim::validation
