// SPDX-License-Identifier: Apache-2.0
// The validation cases as scenario files users can read and copy (scenarios/validation).
// Each file must load without an error or a warning, map onto a station network, and
// match the theoretical values its comments state, to the standard of the other cases
// here: the value lies inside the 99% confidence interval over the file's replications
// (with its seed), and that interval is narrower than the stated half-width. The theory
// is computed from the parameters the file gives the network, and checked against the
// number its comments state, so that the comments stay true.
//
// Every file needs a case below: EveryValidationFileHasACase fails otherwise.
//
// Each file's `# expect:` lines (the values tests/cli/validation_cli_test.py checks through
// `itsim run`) are compared here with the theory computed from the file's parameters, so
// that what the CLI test expects is what the parameters give.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "itsim/analysis/queueing_theory.hpp"
#include "itsim/models/scenario_network.hpp"
#include "itsim/scenarios/loader.hpp"
#include "replications.hpp"

namespace itsim::validation {
namespace {

using models::NetworkResults;
using scenarios::Scenario;
using Metric = std::function<double(const NetworkResults&)>;

/// One model of a validation scenario, run with the scenario's replications and seed.
struct ModelRuns {
  models::NetworkSpec spec;
  std::vector<NetworkResults> runs;

  /// Arrival rate of source `i`, per hour.
  double lambda(std::size_t i = 0) const { return 1 / spec.sources.at(i).interarrival_h.mean(); }
  /// Service time at `station` of source `source`, hours.
  const sim::Distribution& service(std::size_t station, std::size_t source = 0) const {
    return spec.stations.at(station).service_h.at(source);
  }
};

ModelRuns run_model(const Scenario& s, const std::string& id) {
  for (std::uint32_t m = 0; m < s.models.size(); ++m) {
    if (s.models[m].id != id) continue;
    ModelRuns out;
    out.spec = models::network_from_scenario(s, m);
    out.runs = run_replications(out.spec, s.replications, s.seed);
    return out;
  }
  throw std::runtime_error("scenario " + s.name + " has no model " + id);
}

Metric station_wait(std::size_t i) {
  return [i](const NetworkResults& r) { return r.stations[i].wait_mean_h; };
}
Metric station_queue(std::size_t i) {
  return [i](const NetworkResults& r) { return r.stations[i].queue_length_mean; };
}
Metric utilisation(std::size_t i) {
  return [i](const NetworkResults& r) { return r.stations[i].utilisation; };
}
Metric p_wait(std::size_t i) {
  return [i](const NetworkResults& r) { return r.stations[i].p_wait; };
}
Metric class_wait(std::size_t i) {
  return [i](const NetworkResults& r) { return r.classes[i].wait_mean_h(); };
}
Metric sojourn(std::size_t i) {
  return [i](const NetworkResults& r) { return r.classes[i].sojourn_h.mean(); };
}
/// Mean queueing time per completed job over every class.
double mean_wait(const NetworkResults& r) {
  double sum = 0;
  std::uint64_t n = 0;
  for (const auto& c : r.classes) {
    sum += c.wait_h_total;
    n += c.completed;
  }
  return sum / static_cast<double>(n);
}

/// The VALUE of each `# expect: [MODEL:] QUANTITY = VALUE +- HALF_WIDTH` line of a
/// validation file, keyed by "MODEL: QUANTITY" (or QUANTITY alone).
std::map<std::string, double> expectations(const Scenario& s) {
  const std::string path = std::string(ITSIM_VALIDATION_SCENARIOS_DIR) + "/" + s.name + ".yaml";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::map<std::string, double> out;
  const std::string tag = "# expect: ";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(tag, 0) != 0) continue;
    const std::size_t eq = line.find(" = ");
    const std::size_t pm = line.find(" +- ");
    if (eq == std::string::npos || pm == std::string::npos || pm < eq)
      throw std::runtime_error(path + ": cannot read " + line);
    out[line.substr(tag.size(), eq - tag.size())] = std::stod(line.substr(eq + 3, pm - eq - 3));
  }
  return out;
}

/// Checks that the file states `quantity` = `theory` (to the 4 decimals the files give).
::testing::AssertionResult states(const Scenario& s, const std::string& quantity, double theory) {
  const std::map<std::string, double> e = expectations(s);
  const auto it = e.find(quantity);
  if (it == e.end()) {
    return ::testing::AssertionFailure()
           << s.name << ".yaml has no line `# expect: " << quantity << " = ...`";
  }
  if (std::abs(it->second - theory) <= 1e-4) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << s.name << ".yaml: expect " << quantity << " = "
                                       << it->second << ", but the theory gives " << theory;
}

// ---- one check per file ----------------------------------------------------------------

void check_mm1(const Scenario& s) {
  const ModelRuns m = run_model(s, "single_server");
  const double lambda = m.lambda(), mu = 1 / m.service(0).mean();
  const double wq = analysis::mmc_mean_wait(lambda, mu, 1);
  EXPECT_NEAR(wq, 4.0, 1e-9);
  EXPECT_TRUE(covers(ci99(m.runs, station_wait(0)), wq, 0.4));
  EXPECT_TRUE(covers(ci99(m.runs, sojourn(0)), wq + 1 / mu, 0.4));
  EXPECT_TRUE(covers(ci99(m.runs, station_queue(0)), lambda * wq, 0.32));
  EXPECT_TRUE(covers(ci99(m.runs, utilisation(0)), lambda / mu, 0.01));
  EXPECT_TRUE(covers(ci99(m.runs, p_wait(0)), lambda / mu, 0.01));
  EXPECT_TRUE(states(s, "wait_mean_h", wq));
  EXPECT_TRUE(states(s, "lead_time_mean_h", wq + 1 / mu));
  EXPECT_TRUE(states(s, "resources[desk].queue_mean", lambda * wq));
  EXPECT_TRUE(states(s, "resources[desk].utilisation", lambda / mu));
  EXPECT_TRUE(states(s, "resources[desk].p_wait", lambda / mu));
}

void check_mmc(const Scenario& s) {
  const ModelRuns m = run_model(s, "three_servers");
  const double lambda = m.lambda(), mu = 1 / m.service(0).mean();
  const std::uint32_t c = m.spec.stations[0].config.capacity.max_capacity();
  const double pw = analysis::erlang_c(c, lambda / mu);
  const double wq = analysis::mmc_mean_wait(lambda, mu, c);
  EXPECT_NEAR(pw, 288.0 / 445, 1e-12);
  EXPECT_NEAR(wq, 1.0787, 1e-4);
  EXPECT_TRUE(covers(ci99(m.runs, p_wait(0)), pw, 0.02));
  EXPECT_TRUE(covers(ci99(m.runs, station_wait(0)), wq, 0.1 * wq));
  EXPECT_TRUE(states(s, "wait_mean_h", wq));
  EXPECT_TRUE(states(s, "lead_time_mean_h", wq + 1 / mu));
  EXPECT_TRUE(states(s, "resources[desk].p_wait", pw));
  EXPECT_TRUE(states(s, "resources[desk].utilisation", lambda / (c * mu)));
}

void check_md1(const Scenario& s) {
  const ModelRuns m = run_model(s, "single_server");
  const sim::Distribution& service = m.service(0);
  const double wq = analysis::mg1_mean_wait(m.lambda(), service.mean(), service.second_moment());
  EXPECT_NEAR(wq, 2.0, 1e-9);
  EXPECT_TRUE(covers(ci99(m.runs, station_wait(0)), wq, 0.2));
  EXPECT_TRUE(states(s, "wait_mean_h", wq));
  EXPECT_TRUE(states(s, "lead_time_mean_h", wq + service.mean()));
  EXPECT_TRUE(states(s, "resources[desk].utilisation", m.lambda() * service.mean()));
}

void check_mg1(const Scenario& s) {
  const ModelRuns m = run_model(s, "single_server");
  const sim::Distribution& service = m.service(0);
  EXPECT_EQ(service.kind(), sim::Distribution::Kind::lognormal);
  const double wq = analysis::mg1_mean_wait(m.lambda(), service.mean(), service.second_moment());
  EXPECT_NEAR(wq, 1.828125, 1e-9);
  EXPECT_TRUE(covers(ci99(m.runs, station_wait(0)), wq, 0.2));
  EXPECT_TRUE(states(s, "wait_mean_h", wq));
  EXPECT_TRUE(states(s, "lead_time_mean_h", wq + service.mean()));
  EXPECT_TRUE(states(s, "resources[desk].utilisation", m.lambda() * service.mean()));
}

void check_priority_mm1(const Scenario& s) {
  const ModelRuns m = run_model(s, "priority_desk");
  std::vector<analysis::PriorityClass> classes;
  for (std::size_t i = 0; i < 2; ++i) {
    const sim::Distribution& service = m.service(0, i);
    classes.push_back({m.lambda(i), service.mean(), service.second_moment()});
  }
  const std::vector<double> w = analysis::priority_nonpreemptive_waits(classes);
  EXPECT_NEAR(w[0], 8.0 / 7, 1e-9);
  EXPECT_NEAR(w[1], 40.0 / 7, 1e-9);
  EXPECT_TRUE(covers(ci99(m.runs, class_wait(0)), w[0], 0.1));
  EXPECT_TRUE(covers(ci99(m.runs, class_wait(1)), w[1], 0.6));
  EXPECT_TRUE(states(s, "requests[priority=1].wait_h", w[0]));
  EXPECT_TRUE(states(s, "requests[priority=2].wait_h", w[1]));
  const double lambda = m.lambda(0) + m.lambda(1);
  EXPECT_TRUE(states(s, "wait_mean_h", (m.lambda(0) * w[0] + m.lambda(1) * w[1]) / lambda));
}

void check_tandem(const Scenario& s) {
  const ModelRuns m = run_model(s, "line");
  const double lambda = m.lambda();
  const double mu1 = 1 / m.service(0).mean(), mu2 = 1 / m.service(1).mean();
  const double w = 1 / (mu1 - lambda) + 1 / (mu2 - lambda);
  const double wq1 = analysis::mmc_mean_wait(lambda, mu1, 1);
  const double wq2 = analysis::mmc_mean_wait(lambda, mu2, 1);
  EXPECT_NEAR(w, 6.0, 1e-9);
  EXPECT_NEAR(wq1, 3.2, 1e-9);
  EXPECT_NEAR(wq2, 4.0 / 3, 1e-9);
  EXPECT_TRUE(covers(ci99(m.runs, sojourn(0)), w, 0.4));
  EXPECT_TRUE(covers(ci99(m.runs, station_wait(0)), wq1, 0.35));
  EXPECT_TRUE(covers(ci99(m.runs, station_wait(1)), wq2, 0.15));
  EXPECT_TRUE(states(s, "lead_time_mean_h", w));
  EXPECT_TRUE(states(s, "resources[triage].wait_mean_h", wq1));
  EXPECT_TRUE(states(s, "resources[fix].wait_mean_h", wq2));
}

void check_pooling(const Scenario& s) {
  const ModelRuns split = run_model(s, "split");
  const ModelRuns pooled = run_model(s, "pooled");
  ASSERT_EQ(split.spec.sources.size(), 5U);
  double lambda = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(split.spec.sources[i].first_station, i);
    EXPECT_EQ(pooled.spec.sources[i].first_station, 5U);
    lambda += split.lambda(i);
  }
  const double mu = 1 / split.service(0).mean();
  const double wq_split = analysis::mmc_mean_wait(split.lambda(0), mu, 2);
  const double wq_pooled = analysis::mmc_mean_wait(lambda, mu, 10);
  EXPECT_NEAR(wq_split, 1.7778, 1e-4);
  EXPECT_NEAR(wq_pooled, 0.2046, 1e-4);
  EXPECT_TRUE(covers(ci99(split.runs, mean_wait), wq_split, 0.1));
  EXPECT_TRUE(covers(ci99(pooled.runs, mean_wait), wq_pooled, 0.02));
  EXPECT_TRUE(states(s, "split: wait_mean_h", wq_split));
  EXPECT_TRUE(states(s, "pooled: wait_mean_h", wq_pooled));
  EXPECT_TRUE(states(s, "split: resources[sales_desk].utilisation", split.lambda(0) / (2 * mu)));
  EXPECT_TRUE(states(s, "pooled: resources[shared_desk].utilisation", lambda / (10 * mu)));
}

void check_erlang_a(const Scenario& s) {
  const ModelRuns m = run_model(s, "call_centre");
  ASSERT_TRUE(m.spec.sources[0].patience_h.has_value());
  const double theta = 1 / m.spec.sources[0].patience_h->mean();
  const analysis::ErlangA th =
      analysis::erlang_a(m.lambda(), 1 / m.service(0).mean(), theta,
                         m.spec.stations[0].config.capacity.max_capacity());
  EXPECT_NEAR(th.p_wait, 0.6332, 1e-4);
  EXPECT_NEAR(th.mean_queue, 1.4613, 1e-4);
  EXPECT_NEAR(th.p_abandon, 0.1461, 1e-4);
  EXPECT_NEAR(th.mean_wait, 0.2923, 1e-4);
  auto p_abandon = [](const NetworkResults& r) {
    return static_cast<double>(r.classes[0].reneged) / static_cast<double>(r.classes[0].arrivals);
  };
  EXPECT_TRUE(covers(ci99(m.runs, p_abandon), th.p_abandon, 0.01));
  EXPECT_TRUE(covers(ci99(m.runs, station_queue(0)), th.mean_queue, 0.1 * th.mean_queue));
  EXPECT_TRUE(states(s, "abandoned / arrivals_to_it", th.p_abandon));
  EXPECT_TRUE(states(s, "resources[agents].queue_mean", th.mean_queue));
}

void check_rework(const Scenario& s) {
  const ModelRuns m = run_model(s, "develop_and_review");
  ASSERT_EQ(m.spec.stations[1].routing.size(), 2U);
  const double p = m.spec.stations[1].routing[0]; // review -> develop
  const double lambda = m.lambda();
  const double rho1 = lambda / (1 - p) * m.service(0).mean();
  const double rho2 = lambda / (1 - p) * m.service(1).mean();
  const double l = rho1 / (1 - rho1) + rho2 / (1 - rho2);
  EXPECT_NEAR(2 / (1 - p), 2.8571, 1e-4);
  EXPECT_NEAR(rho1, 0.7143, 1e-4);
  EXPECT_NEAR(l, 3.0556, 1e-4);
  EXPECT_NEAR(l / lambda, 6.1111, 1e-4);
  EXPECT_TRUE(
      covers(ci99(m.runs, [](const NetworkResults& r) { return r.classes[0].visits_mean(); }),
             2 / (1 - p), 0.04));
  EXPECT_TRUE(covers(ci99(m.runs, utilisation(0)), rho1, 0.01));
  EXPECT_TRUE(covers(ci99(m.runs, utilisation(1)), rho2, 0.01));
  EXPECT_TRUE(
      covers(ci99(m.runs, [](const NetworkResults& r) { return r.in_system_mean; }), l, 0.1 * l));
  EXPECT_TRUE(covers(ci99(m.runs, sojourn(0)), l / lambda, 0.1 * l / lambda));
  EXPECT_TRUE(states(s, "requests.visits", 2 / (1 - p)));
  EXPECT_TRUE(states(s, "lead_time_mean_h", l / lambda));
  EXPECT_TRUE(states(s, "resources[developers].utilisation", rho1));
  EXPECT_TRUE(states(s, "resources[reviewers].utilisation", rho2));
}

// ---- the table of files and their checks ---------------------------------------------

struct Case {
  const char* file; ///< in scenarios/validation
  void (*check)(const Scenario&);
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.file;
}

const std::vector<Case> cases = {
    {"mm1.yaml", check_mm1},
    {"mmc.yaml", check_mmc},
    {"md1.yaml", check_md1},
    {"mg1.yaml", check_mg1},
    {"priority_mm1.yaml", check_priority_mm1},
    {"tandem.yaml", check_tandem},
    {"pooling.yaml", check_pooling},
    {"erlang_a.yaml", check_erlang_a},
    {"rework.yaml", check_rework},
};

class ScenarioFiles : public ::testing::TestWithParam<Case> {};

TEST_P(ScenarioFiles, LoadWithoutProblemsAndMatchQueueingTheory) {
  const std::string path = std::string(ITSIM_VALIDATION_SCENARIOS_DIR) + "/" + GetParam().file;
  scenarios::Diagnostics diags;
  const auto loaded = scenarios::load_scenario(path, {}, diags);
  ASSERT_TRUE(loaded.has_value()) << diags.format_all();
  EXPECT_EQ(diags.warning_count(), 0U) << diags.format_all();
  const Scenario& s = loaded->scenario;
  for (std::uint32_t m = 0; m < s.models.size(); ++m) {
    EXPECT_NO_THROW(models::network_from_scenario(s, m)) << s.models[m].id;
  }
  GetParam().check(s);
}

INSTANTIATE_TEST_SUITE_P(Validation, ScenarioFiles, ::testing::ValuesIn(cases),
                         [](const ::testing::TestParamInfo<Case>& param) {
                           const std::string file = param.param.file;
                           return file.substr(0, file.find('.'));
                         });

TEST(ScenarioFiles, EveryValidationFileHasACase) {
  namespace fs = std::filesystem;
  std::set<std::string> files;
  for (const fs::directory_entry& e : fs::directory_iterator(ITSIM_VALIDATION_SCENARIOS_DIR)) {
    const std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml"))
      files.insert(e.path().filename().string());
  }
  std::set<std::string> covered;
  for (const Case& c : cases)
    covered.insert(c.file);
  for (const std::string& f : files) {
    EXPECT_TRUE(covered.count(f) > 0) << "scenarios/validation/" << f
                                      << " has no case in tests/validation/scenario_files_test.cpp";
  }
  for (const std::string& f : covered) {
    EXPECT_TRUE(files.count(f) > 0)
        << "a case checks scenarios/validation/" << f << ", which does not exist";
  }
}

} // namespace
} // namespace itsim::validation
