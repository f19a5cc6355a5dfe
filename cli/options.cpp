// SPDX-License-Identifier: Apache-2.0
#include "options.hpp"

#include <cstdint>
#include <cstdio>
#include <iostream>

#include "exit_codes.hpp"
#include "itsim/scenarios/input_error.hpp"

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

CommandScenario load_command_scenario(const std::string& file,
                                      const std::vector<std::string>& overrides,
                                      const po::variables_map& vm, std::uint32_t replications) {
  CommandScenario out;
  scenarios::Diagnostics diags;
  if (!scenarios::check_override_syntax(overrides, diags)) {
    std::fprintf(stderr, "%s\n", diags.format_all().c_str());
    out.exit_code = exit_usage;
    return out;
  }
  std::vector<std::string> all_overrides = overrides;
  if (vm.count("seed"))
    all_overrides.push_back("seed=" + std::to_string(vm["seed"].as<std::uint64_t>()));
  if (replications > 0) all_overrides.push_back("replications=" + std::to_string(replications));
  try {
    out.loaded = scenarios::load_scenario(file, all_overrides, diags);
  } catch (const scenarios::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    out.exit_code = exit_no_input;
    return out;
  }
  if (const std::string text = diags.format_all(); !text.empty())
    std::fprintf(stderr, "%s\n", text.c_str());
  out.warnings = diags.warning_count();
  out.exit_code = out.loaded ? exit_ok : exit_invalid_scenario;
  return out;
}

} // namespace itsim::cli
