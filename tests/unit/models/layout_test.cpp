// SPDX-License-Identifier: Apache-2.0
// The shape of the operating model (docs/architecture.md): the parts in models/src include
// the shared vocabulary (item.hpp) and library headers, never another part; only the
// coordinator (org_run.*, org_stations.cpp, org_path.cpp, org_model.cpp) sees them all.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

namespace itsim::models {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> coordinator = {"org_run.hpp", "org_run.cpp", "org_stations.cpp",
                                           "org_path.cpp", "org_model.cpp"};
// Files of models/src that are not the operating model's (the generic station network).
const std::set<std::string> other = {"scenario_network.cpp", "station_network.cpp", "kpi.cpp"};

TEST(Layout, PartsIncludeNoOtherPart) {
  const fs::path src = fs::path(ITSIM_SOURCE_DIR) / "models" / "src";
  const std::regex include(R"(^#include\s+\"([^\"]+)\")");
  std::size_t parts = 0;
  for (const auto& entry : fs::directory_iterator(src)) {
    const std::string file = entry.path().filename().string();
    if (coordinator.count(file) || other.count(file) || file == "item.hpp") continue;
    const std::string own = entry.path().stem().string() + ".hpp";
    if (entry.path().extension() == ".hpp") ++parts;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, include)) continue;
      const std::string target = m[1];
      const bool allowed = target == own || target == "item.hpp" || target.rfind("itsim/", 0) == 0;
      EXPECT_TRUE(allowed) << "models/src/" << file << " includes " << target
                           << ": a part talks to the coordinator, not to another part";
    }
  }
  EXPECT_GE(parts, 8U) << "the operating model's parts are missing from models/src";
}

} // namespace
} // namespace itsim::models
