// SPDX-License-Identifier: Apache-2.0
// Loads the scenario named on the command line over four weeks, runs replication 0 of its
// first model and prints the net value: the smallest use of itsim as a library.
#include <iostream>

#include "itsim/models/org_model.hpp"
#include "itsim/scenarios/loader.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: itsim_consumer SCENARIO.yaml\n";
    return 64;
  }
  itsim::scenarios::Diagnostics diags;
  const auto loaded = itsim::scenarios::load_scenario(argv[1], {"horizon=4w", "warmup=0h"}, diags);
  if (!loaded) {
    std::cerr << diags.format_all() << '\n';
    return 65;
  }
  const itsim::models::RunResult r = itsim::models::run_model(loaded->scenario, 0, 0);
  std::cout << "net_value " << r[itsim::models::Kpi::net_value] << '\n';
  return 0;
}
