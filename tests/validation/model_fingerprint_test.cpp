// SPDX-License-Identifier: Apache-2.0
// Regression fingerprints of the operating model: the default company
// (scenarios/midsize.yaml) under each of the four presets, over a horizon long enough for
// every mechanism to act (the first rotation stint ends at 9 months), two replications.
// Two hashes per run: `fp`, the trajectory (every event's time, target, kind and payload,
// then the KPIs), and `out`, everything else the run reports (resources, time series,
// item records, counters). They pin the operating model's behaviour while its code moves:
// a change of structure leaves both unchanged; an intended change of behaviour updates
// tests/regression/fingerprints.csv in the same commit and says which rows moved and why.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "itsim/models/org_model.hpp"
#include "itsim/scenarios/loader.hpp"

namespace itsim::validation {
namespace {

constexpr const char* horizon = "40w";
constexpr std::uint64_t replications = 2;

/// 64-bit FNV-1a over 64-bit words.
class Digest {
public:
  void add(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h_ ^= (v >> (8 * i)) & 0xff;
      h_ *= 0x100000001b3ULL;
    }
  }
  void add(double v) { add(std::bit_cast<std::uint64_t>(v)); }
  void add(const std::string& s) {
    for (const char c : s)
      add(static_cast<std::uint64_t>(static_cast<unsigned char>(c)));
  }
  std::uint64_t value() const { return h_; }

private:
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

/// Everything a run reports beyond the trajectory fingerprint.
std::uint64_t output_digest(const models::RunResult& r) {
  Digest d;
  for (const double v : r.kpi)
    d.add(v);
  for (const models::ResourceResult& res : r.resources) {
    d.add(res.id);
    d.add(res.utilisation);
    d.add(res.servers);
    d.add(res.knowledge);
  }
  d.add(r.events);
  d.add(static_cast<std::uint64_t>(r.peak_items_in_flight));
  d.add(r.warmup_h);
  d.add(static_cast<std::uint64_t>(r.series_points));
  for (const double v : r.series)
    d.add(v);
  for (const models::ItemRecord& it : r.items) {
    d.add(it.serial);
    d.add(it.created_h);
    d.add(it.finished_h);
    d.add(it.wait_h);
    d.add(it.touch_h);
    d.add(it.handoff_h);
    d.add(it.value);
    d.add(it.sla_met);
    d.add(std::uint64_t{it.work_type} << 32 | it.unit);
    d.add(std::uint64_t{it.handoffs} << 32 | std::uint64_t{it.reworks} << 16 | it.visits);
    d.add(std::uint64_t{it.priority} << 16 | std::uint64_t(it.outcome) << 8 |
          std::uint64_t(it.origin));
  }
  return d.value();
}

const scenarios::Scenario& midsize() {
  static const scenarios::LoadedScenario loaded = [] {
    scenarios::Diagnostics diags;
    auto l =
        scenarios::load_scenario(std::string(ITSIM_VALIDATION_SCENARIOS_DIR) + "/../midsize.yaml",
                                 {std::string("horizon=") + horizon, "warmup=4w"}, diags);
    if (!l) throw std::runtime_error(diags.format_all());
    return std::move(*l);
  }();
  return loaded.scenario;
}

std::string hex(std::uint64_t v) {
  std::ostringstream s;
  s << std::hex << v;
  return s.str();
}

/// The run's row as fingerprints.csv writes it.
std::string row_of(const std::string& model, std::uint64_t seed, std::uint64_t rep) {
  return "midsize." + model + ", seed=" + std::to_string(seed) + ", rep=" + std::to_string(rep) +
         ", until=" + horizon;
}

/// Golden rows of fingerprints.csv: the text before ", fp=" -> "fp=..., out=...".
std::map<std::string, std::string> golden_rows() {
  std::ifstream in(ITSIM_REGRESSION_DIR "/fingerprints.csv");
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    const auto at = line.find(", fp=");
    if (line.empty() || line[0] == '#' || at == std::string::npos) continue;
    out[line.substr(0, at)] = line.substr(at + 2);
  }
  return out;
}

TEST(ModelFingerprint, EveryPresetMatchesTheGoldenValuesOnRecord) {
  const scenarios::Scenario& s = midsize();
  ASSERT_EQ(s.models.size(), 4U);
  const auto golden = golden_rows();
  std::string expected_csv;
  bool all_match = true;
  for (std::uint32_t m = 0; m < s.models.size(); ++m) {
    for (std::uint64_t rep = 0; rep < replications; ++rep) {
      models::RunOptions options;
      options.fingerprint = true;
      options.timeseries_step_h = 168;
      options.record_items = true;
      const models::RunResult r = models::run_model(s, m, rep, options);
      const std::string key = row_of(s.models[m].id, s.seed, rep);
      const std::string value = "fp=" + hex(r.fingerprint) + ", out=" + hex(output_digest(r));
      expected_csv += key + ", " + value + "\n";
      const auto it = golden.find(key);
      if (it == golden.end() || it->second != value) {
        all_match = false;
        ADD_FAILURE() << key << ": " << (it == golden.end() ? "missing" : it->second)
                      << " on record, this run gives " << value;
      }
    }
  }
  if (!all_match) {
    ADD_FAILURE() << "the operating model's behaviour changed; if that is intended, put these "
                     "rows in tests/regression/fingerprints.csv and say why in the commit:\n"
                  << expected_csv;
  }
}

TEST(ModelFingerprint, OutputsAreDeterministic) {
  const scenarios::Scenario& s = midsize();
  models::RunOptions options;
  options.fingerprint = true;
  options.timeseries_step_h = 168;
  options.record_items = true;
  const models::RunResult a = models::run_model(s, 3, 1, options);
  const models::RunResult b = models::run_model(s, 3, 1, options);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(output_digest(a), output_digest(b));
  EXPECT_FALSE(a.items.empty());
  EXPECT_GT(a.series_points, 30U);
}

} // namespace
} // namespace itsim::validation
