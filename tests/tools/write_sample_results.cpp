// SPDX-License-Identifier: Apache-2.0
// itsim_write_sample_results OUT.h5 [REPLICATIONS]: writes the sample results file of
// results_sample.hpp (for the Python reader check, analysis/examples/read_results.py).
#include "results_sample.hpp"

#include "itsim/analysis/results.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: itsim_write_sample_results OUT.h5 [REPLICATIONS]\n");
    return 64;
  }
  try {
    const unsigned long reps = argc == 3 ? std::stoul(argv[2]) : 200;
    itsim::analysis::write_results(
        argv[1], itsim::test::sample_results(static_cast<std::uint32_t>(reps)), {.force = true});
  } catch (const std::exception& e) {
    std::fprintf(stderr, "itsim_write_sample_results: %s\n", e.what());
    return 74;
  }
  return 0;
}
