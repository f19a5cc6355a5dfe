// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the scenario loader: whatever the bytes, load_scenario_text returns
// a scenario or reports errors, and never crashes, hangs, leaks or trips a sanitizer.
//
// Input layout: the scenario text, optionally followed by a line "#--set" and then one
// override per line (KEY.PATH=VALUE), so that the --set parser is fuzzed with the file.
// `extends:` paths resolve against tests/fuzz/corpus/include (relative to the working
// directory), which does not exist; a base outside it is read like any file.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "itsim/scenarios/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view marker = "\n#--set\n";
  std::string_view text = input;
  std::vector<std::string> overrides;
  if (const std::size_t at = input.find(marker); at != std::string_view::npos) {
    text = input.substr(0, at + 1);
    std::string_view rest = input.substr(at + marker.size());
    while (!rest.empty() && overrides.size() < 16) {
      const std::size_t end = rest.find('\n');
      overrides.emplace_back(rest.substr(0, end));
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 1);
    }
  }
  itsim::scenarios::Diagnostics diags;
  const auto loaded = itsim::scenarios::load_scenario_text(
      std::string(text), "fuzz.yaml", "tests/fuzz/corpus/include", overrides, diags);
  // The loader's contract: a scenario exactly when no error was reported.
  if (loaded.has_value() == diags.has_errors()) __builtin_trap();
  if (loaded) (void)loaded->resolved_yaml.size();
  (void)diags.format_all();
  return 0;
}
