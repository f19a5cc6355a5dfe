// SPDX-License-Identifier: Apache-2.0
#include "options.hpp"

#include <cstdint>
#include <iostream>

namespace itsim::cli {

namespace po = boost::program_options;

std::optional<po::variables_map> parse_options(const std::vector<std::string>& args,
                                               const po::options_description& opts) {
  po::positional_options_description positional;
  positional.add("files", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(positional).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return std::nullopt;
  }
  return vm;
}

unsigned threads_option(const po::variables_map& vm) {
  if (!vm.count("threads")) return 0;
  const std::int64_t j = vm["threads"].as<std::int64_t>();
  if (j < 1 || j > 4096) throw po::error("--threads must be in 1..4096");
  return static_cast<unsigned>(j);
}

} // namespace itsim::cli
