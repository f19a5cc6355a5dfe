// SPDX-License-Identifier: Apache-2.0
// The service behind `itsim serve` (docs/serve.md), driven without sockets: bad lever
// values get 400 with the lever and the message (the validator's own for a value the
// lever allows but the format does not), oversized bodies 413, a stopped service 503;
// a comparison's numbers equal run_experiment's with the same overrides (common random
// numbers, replication i is replication i), the same values reuse a comparison, a new
// change cancels the stale one, and the downloads hold the state.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "itsim/analysis/results.hpp"
#include "itsim/analysis/summary.hpp"
#include "itsim/experiments/experiment.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/scenarios/loader.hpp"
#include "itsim/serve/service.hpp"

namespace itsim::serve {
namespace {

using nlohmann::json;

// A small organisation so that a comparison takes well under a second.
constexpr const char* scenario_text = R"(name: small
horizon: 16w
warmup: 4w
replications: 4
organisation: {units: {a: {headcount: 200}}}
demand: {work_types: {incident: {kind: incident, rate: 0.5/employee/month, effort: {dist: exponential, mean: 30min}}}}
staff: {pools: {desk: {headcount: 3, cost_per_hour: 40, first_line: true}, l2: {headcount: 2, cost_per_hour: 60}}}
models:
  flat: {routes: {incident: {stages: {l1: {pool: desk}}}}}
  tiered: {routes: {incident: {stages: {l1: {pool: desk, next: {done: 0.7, l2: 0.3}}, l2: {pool: l2}}}}}
levers:
  desk: {label: Desk, key: staff.pools.desk.headcount, min: 2, max: 8}
  retention: {label: Retention, key: mechanisms.handoff.retention, min: 0, max: 2, step: 0.1}
  show: {label: Show, show: models}
)";

struct Fixture : ::testing::Test {
  void SetUp() override {
    path = ::testing::TempDir() + "serve_small.yaml";
    std::ofstream(path) << scenario_text;
  }
  std::unique_ptr<Service> make(ServiceOptions o = {}) {
    scenarios::Diagnostics diags;
    auto composed = scenarios::ComposedScenario::open(path, diags);
    EXPECT_TRUE(composed) << diags.format_all();
    auto base = composed->load({}, diags);
    EXPECT_TRUE(base) << diags.format_all();
    o.scenario_path = path;
    if (o.threads == 0) o.threads = 2;
    return std::make_unique<Service>(std::move(*composed), std::move(*base), o);
  }
  static Response post(Service& s, const std::string& body) {
    return s.handle({"POST", "/api/run", {}, body});
  }
  static json result(Service& s, std::uint64_t job) {
    const Response r = s.handle({"GET", "/api/result", {{"job", std::to_string(job)}}, ""});
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }
  static json wait(Service& s, std::uint64_t job) {
    for (int i = 0; i < 6000; ++i) {
      json r = result(s, job);
      if (r["state"] != "running") return r;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "job " << job << " did not finish";
    return {};
  }
  std::string path;
};

TEST_F(Fixture, BadRequestsGet400With413ForOversizedBodies) {
  ServiceOptions o;
  o.max_body = 100;
  auto s = make(o);
  Response r = post(*s, "{\"desk\": ");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("malformed JSON"), std::string::npos);
  r = post(*s, R"({"desk": 9})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["errors"][0]["lever"], "desk");
  EXPECT_EQ(json::parse(r.body)["errors"][0]["message"], "must be in 2..8, got 9");
  r = post(*s, R"({"nope": 1})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["errors"][0]["lever"], "nope");
  // In the lever's range, out of the format's: the scenario validator's message.
  r = post(*s, R"({"retention": 1.5})");
  EXPECT_EQ(r.status, 400);
  const json e = json::parse(r.body)["errors"][0];
  EXPECT_EQ(e["lever"], "retention");
  EXPECT_NE(e["message"].get<std::string>().find("mechanisms.handoff.retention"), std::string::npos)
      << e;
  r = post(*s, "{\"desk\": 3" + std::string(200, ' ') + "}");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(s->handle({"GET", "/api/run", {}, ""}).status, 405);
  EXPECT_EQ(s->handle({"GET", "/nothing", {}, ""}).status, 404);
  EXPECT_EQ(s->handle({"GET", "/api/result", {{"job", "77"}}, ""}).status, 404);
  EXPECT_EQ(s->running(), 0u); // nothing was started
}

TEST_F(Fixture, AComparisonEqualsRunExperimentWithTheSameOverrides) {
  auto s = make();
  const Response r = post(*s, R"({"desk": 4, "show": "tiered"})");
  ASSERT_EQ(r.status, 202) << r.body;
  const std::uint64_t job = json::parse(r.body)["job"];
  const json done = wait(*s, job);
  ASSERT_EQ(done["state"], "done") << done.dump();
  EXPECT_EQ(done["replications"]["done"], 4);
  EXPECT_EQ(done["show"], "tiered");
  EXPECT_EQ(done["command"], "itsim run " + path + " --set staff.pools.desk.headcount=4");
  const std::string html = done["board"]["html"];
  EXPECT_NE(html.find("data-kpi=\"net_value\""), std::string::npos);
  EXPECT_FALSE(done["board"]["charts"].empty());

  // The same runs directly, as `itsim run --set staff.pools.desk.headcount=4` makes them.
  scenarios::Diagnostics diags;
  const auto loaded = scenarios::load_scenario(path, {"staff.pools.desk.headcount=4"}, diags);
  ASSERT_TRUE(loaded);
  analysis::ResultsFile file = experiments::start_results(loaded->scenario, loaded->resolved_yaml);
  const auto runs = experiments::run_experiment(loaded->scenario);
  experiments::add_runs(file, loaded->scenario, runs, 0, loaded->scenario.timeseries_step_h, false);
  const analysis::Summary direct = analysis::summarize(file, 0.95);

  // The downloaded results file has the same statistics.
  const Response h5 =
      s->handle({"GET", "/download/results.h5", {{"job", std::to_string(job)}}, ""});
  ASSERT_EQ(h5.status, 200) << h5.body;
  EXPECT_EQ(h5.filename, "results.h5");
  const std::string h5_path = ::testing::TempDir() + "serve_download.h5";
  std::ofstream(h5_path, std::ios::binary) << h5.body;
  const analysis::Summary served = analysis::read_summary(h5_path);
  ASSERT_EQ(served.rows.size(), direct.rows.size());
  ASSERT_FALSE(direct.kpi_names.empty());
  for (std::size_t m = 0; m < direct.rows.size(); ++m)
    for (std::size_t k = 0; k < direct.kpi_names.size(); ++k) {
      const double a = direct.rows[m].kpis[k].mean, b = served.rows[m].kpis[k].mean;
      if (std::isnan(a)) continue;
      EXPECT_EQ(a, b) << direct.rows[m].model << " " << direct.kpi_names[k];
    }
  std::remove(h5_path.c_str());
  // And the page's table says the same mean for net value.
  char mean[64];
  std::snprintf(mean, sizeof mean, "data-model=\"flat\" data-mean=\"");
  EXPECT_NE(html.find(mean), std::string::npos);

  const Response yaml =
      s->handle({"GET", "/download/scenario.yaml", {{"job", std::to_string(job)}}, ""});
  EXPECT_NE(yaml.body.find("headcount: 4"), std::string::npos);
  const Response board =
      s->handle({"GET", "/download/board.html", {{"job", std::to_string(job)}}, ""});
  EXPECT_NE(board.body.find("<!DOCTYPE html>"), std::string::npos);
}

TEST_F(Fixture, SameValuesReuseANewChangeCancelsTheStaleOne) {
  ServiceOptions o;
  o.threads = 1;
  auto s = make(o);
  const std::uint64_t a = json::parse(post(*s, R"({"desk": 3})").body)["job"];
  EXPECT_EQ(json::parse(post(*s, R"({"desk": 3})").body)["job"], a);
  // Many replications, so that the first is still running when the second comes.
  const std::uint64_t b = json::parse(post(*s, R"({"desk": 5})").body)["job"];
  EXPECT_NE(a, b);
  const json ra = wait(*s, a);
  EXPECT_TRUE(ra["state"] == "cancelled" || ra["state"] == "done") << ra.dump();
  EXPECT_EQ(wait(*s, b)["state"], "done");
  // Levers report the latest values.
  const json levers = json::parse(s->handle({"GET", "/api/levers", {}, ""}).body);
  EXPECT_EQ(levers["levers"][0]["value"], "5");
  EXPECT_EQ(levers["levers"][0]["default"], 3);
}

TEST_F(Fixture, AStoppedServiceAnswers503AndRunsNothing) {
  ServiceOptions o;
  o.threads = 1;
  auto s = make(o);
  ASSERT_EQ(post(*s, R"({"desk": 2})").status, 202);
  s->stop(); // cancels the comparison and waits for it
  EXPECT_EQ(s->running(), 0u);
  const Response r = post(*s, R"({"desk": 6})");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(s->running(), 0u);
}

} // namespace
} // namespace itsim::serve
