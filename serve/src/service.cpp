// SPDX-License-Identifier: Apache-2.0
#include "itsim/serve/service.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "itsim/analysis/results.hpp"
#include "itsim/analysis/summary.hpp"
#include "itsim/experiments/experiment.hpp"
#include "itsim/experiments/path_check.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/experiments/run_scheduler.hpp"
#include "itsim/models/org_model.hpp"
#include "itsim/report/html_report.hpp"
#include "itsim/serve/levers.hpp"
#include "itsim/sim/error.hpp"

namespace itsim::serve {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

Response json_response(int status, const json& body) {
  return {status, "application/json", body.dump(), ""};
}

Response error_response(int status, const std::vector<LeverError>& errors) {
  json list = json::array();
  for (const LeverError& e : errors)
    list.push_back({{"lever", e.lever}, {"message", e.message}});
  return json_response(status, {{"errors", list}});
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

/// The part of the board pack's page between `from` (included) and `to` (excluded); empty
/// when `from` is missing.
std::string between(const std::string& page, std::string_view from, std::string_view to) {
  const std::size_t a = page.find(from);
  if (a == std::string::npos) return "";
  const std::size_t b = page.find(to, a + from.size());
  return page.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

} // namespace

/// One comparison: a scenario loaded with lever values, its runs as they finish.
struct Job {
  std::uint64_t id = 0;
  LeverValues values;
  scenarios::LoadedScenario loaded;
  std::size_t models = 0, reps = 0;
  Clock::time_point start = Clock::now();
  std::atomic<bool> cancel{false};
  std::atomic<bool> finished{false}; ///< the runs have all stopped
  std::thread thread;

  enum class State { running, done, cancelled, failed };
  mutable std::mutex m;
  State state = State::running;
  std::string error;
  /// Runs in the results file's order (model by model, replications in order).
  std::vector<std::optional<experiments::ExperimentRun>> runs;
  std::size_t done = 0;
  std::size_t complete_reps = 0; ///< replications 0..K-1 finished for every model
  double first_s = -1, full_s = -1;

  /// The latest snapshot, for complete_reps == snap_reps.
  std::mutex snap_m;
  std::size_t snap_reps = 0;
  std::shared_ptr<const json> snap;
  std::shared_ptr<const analysis::ResultsFile> snap_file;
};

struct Service::Impl {
  scenarios::ComposedScenario composed;
  scenarios::LoadedScenario base;
  ServiceOptions options;
  std::string page;

  mutable std::mutex m;
  std::condition_variable slot_free;
  std::vector<std::shared_ptr<Job>> jobs; // oldest first
  std::uint64_t next_id = 1;
  bool stopping = false;

  Impl(scenarios::ComposedScenario c, scenarios::LoadedScenario b, ServiceOptions o)
      : composed(std::move(c)), base(std::move(b)), options(std::move(o)),
        page(live_page(base.scenario.name)) {}

  std::size_t running_locked() const {
    return static_cast<std::size_t>(
        std::count_if(jobs.begin(), jobs.end(), [](const auto& j) { return !j->finished.load(); }));
  }

  std::shared_ptr<Job> find(const Request& r) const {
    std::lock_guard lock(m);
    const auto q = r.query.find("job");
    if (q == r.query.end()) return jobs.empty() ? nullptr : jobs.back();
    for (const auto& j : jobs)
      if (std::to_string(j->id) == q->second) return j;
    return nullptr;
  }

  // ---- running a comparison ----------------------------------------------------------

  void run_job(const std::shared_ptr<Job>& job) {
    const scenarios::Scenario& s = job->loaded.scenario;
    const std::size_t M = job->models, R = job->reps;
    models::RunOptions run_options;
    run_options.interrupt = &job->cancel;
    run_options.timeseries_step_h = s.timeseries_step_h;
    run_options.record_items = s.detail_requests;
    experiments::ScheduledTasks<experiments::ExperimentRun> tasks;
    tasks.count = M * R;
    // Replication-major: every model's replication 0, then replication 1, ..., so that a
    // snapshot always has paired replications 0..K-1 (what `itsim run -r K` runs).
    tasks.run = [&](std::size_t i) {
      experiments::ExperimentRun run;
      run.model = static_cast<std::uint32_t>(i % M);
      run.replication = i / M;
      try {
        run.result = models::run_model(s, run.model, run.replication, run_options);
        run.ok = true;
      } catch (const std::exception& e) {
        if (job->cancel.load()) throw; // stopped half-way
        run.error = e.what();
      }
      return run;
    };
    tasks.failed = [](const experiments::ExperimentRun& r) { return !r.ok; };
    tasks.sink = [&](std::size_t i, experiments::ExperimentRun&& run) {
      std::lock_guard lock(job->m);
      job->runs[(i % M) * R + i / M] = std::move(run);
      ++job->done;
      while (job->complete_reps < R) {
        bool all = true;
        for (std::size_t mdl = 0; mdl < M && all; ++mdl)
          all = job->runs[mdl * R + job->complete_reps].has_value();
        if (!all) break;
        ++job->complete_reps;
      }
      if (job->complete_reps >= 1 && job->first_s < 0) job->first_s = seconds_since(job->start);
    };
    experiments::SchedulerOptions scheduler;
    scheduler.threads = options.threads;
    scheduler.interrupt = &job->cancel;
    try {
      experiments::run_scheduled(tasks, scheduler);
      std::lock_guard lock(job->m);
      job->state = Job::State::done;
      job->full_s = seconds_since(job->start);
    } catch (const std::exception& e) {
      std::lock_guard lock(job->m);
      job->state = job->cancel.load() ? Job::State::cancelled : Job::State::failed;
      job->error = e.what();
    }
    job->finished.store(true);
    { std::lock_guard lock(m); }
    slot_free.notify_all();
  }

  /// Joins and drops finished comparisons beyond the latest `keep_comparisons`.
  void evict_locked() {
    std::size_t keep = options.keep_comparisons;
    for (std::size_t i = jobs.size(); i-- > 0;) {
      if (keep > 0) {
        --keep;
        continue;
      }
      if (!jobs[i]->finished.load()) continue;
      if (jobs[i]->thread.joinable()) jobs[i]->thread.join();
      jobs.erase(jobs.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }

  Response post_run(const Request& r) {
    std::vector<LeverError> errors;
    LeverValues values = parse_lever_values(base.scenario, r.body, errors);
    if (!errors.empty()) return error_response(400, errors);
    scenarios::Diagnostics diags;
    std::optional<scenarios::LoadedScenario> loaded = composed.load(values.overrides, diags);
    if (!loaded) {
      for (const scenarios::Diagnostic& d : diags.all()) {
        if (d.severity != scenarios::Diagnostic::Severity::error) continue;
        std::string lever;
        for (const auto& l : base.scenario.levers)
          if (!l.key.empty() && d.key_path.starts_with(l.key)) lever = l.id;
        errors.push_back({lever, d.format()});
      }
      if (errors.empty()) errors.push_back({"", diags.format_all()});
      return error_response(400, errors);
    }
    std::unique_lock lock(m);
    if (stopping) return json_response(503, {{"error", "the server is stopping"}});
    // The same values as a comparison kept (running or done): that one answers.
    for (auto it = jobs.rbegin(); it != jobs.rend(); ++it) {
      const Job& j = **it;
      std::lock_guard jl(j.m);
      if (j.values.overrides == values.overrides &&
          (j.state == Job::State::running || j.state == Job::State::done) && !j.cancel.load())
        return json_response(202, {{"job", j.id}, {"reused", true}});
    }
    for (const auto& j : jobs)
      j->cancel.store(true);
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(options.queue_wait_s));
    if (!slot_free.wait_until(
            lock, deadline,
            [&] { return stopping || running_locked() < options.max_comparisons; }) ||
        stopping)
      return {503, "application/json",
              json{{"error", "busy: " + std::to_string(options.max_comparisons) +
                                 " comparisons are running; try again"}}
                  .dump(),
              ""};
    auto job = std::make_shared<Job>();
    job->id = next_id++;
    job->values = std::move(values);
    job->loaded = std::move(*loaded);
    job->models = job->loaded.scenario.models.size();
    job->reps = job->loaded.scenario.replications;
    job->runs.resize(job->models * job->reps);
    jobs.push_back(job);
    evict_locked();
    job->thread = std::thread([this, job] { run_job(job); });
    return json_response(202, {{"job", job->id}});
  }

  // ---- snapshots ---------------------------------------------------------------------

  /// The results file of the job's replications 0..K-1 (K = complete_reps), as `itsim
  /// run -r K --set ...` would write it.
  std::shared_ptr<const analysis::ResultsFile> results_of(Job& job, std::size_t& reps) {
    std::vector<experiments::ExperimentRun> runs;
    {
      std::lock_guard lock(job.m);
      reps = job.complete_reps;
      for (std::size_t mdl = 0; mdl < job.models; ++mdl)
        for (std::size_t rep = 0; rep < reps; ++rep)
          runs.push_back(*job.runs[mdl * job.reps + rep]);
    }
    const scenarios::Scenario& s = job.loaded.scenario;
    auto file = std::make_shared<analysis::ResultsFile>(
        experiments::start_results(s, job.loaded.resolved_yaml));
    file->provenance.itsim_version = options.itsim_version;
    file->provenance.git_describe = options.git_describe;
    std::string command = "itsim run " + options.scenario_path;
    if (reps != job.reps) command += " -r " + std::to_string(reps);
    for (const std::string& o : job.values.overrides)
      command += " --set " + o;
    file->provenance.command_line = command;
    if (reps == 0) return file;
    experiments::add_runs(*file, s, runs, 0, s.timeseries_step_h, s.detail_requests);
    const auto paths = experiments::path_outcomes(*file, s, 0.95);
    experiments::add_path_tables(*file, paths, 0.95);
    return file;
  }

  /// The snapshot's board (answer, KPI table, charts) for the job's complete replications,
  /// built once per K.
  std::pair<std::shared_ptr<const json>, std::shared_ptr<const analysis::ResultsFile>>
  snapshot(Job& job) {
    std::lock_guard lock(job.snap_m);
    std::size_t reps = 0;
    {
      std::lock_guard jl(job.m);
      reps = job.complete_reps;
    }
    if (job.snap && job.snap_reps == reps) return {job.snap, job.snap_file};
    auto file = results_of(job, reps);
    json board = json::object();
    if (reps > 0) {
      report::ReportInput input{*file, analysis::summarize(*file, 0.95), options.scenario_path};
      const std::string pack = report::render_html(input);
      // The board pack's own parts (html_report.cpp): from the answer to the charts'
      // placeholders, and the charts' specs.
      board["html"] = between(pack, "<p class=\"answer\">", "<h2>Assumptions</h2>");
      const std::string charts =
          between(pack, "<script type=\"application/json\" id=\"itsim-charts\">", "</script>");
      board["charts"] =
          charts.empty() ? json::array() : json::parse(charts.substr(charts.find('>') + 1));
      std::vector<std::string> answer;
      for (const std::string& line : report::answer_lines(input.file, input.summary))
        answer.push_back(line);
      board["answer"] = answer;
    }
    job.snap = std::make_shared<const json>(std::move(board));
    job.snap_file = std::move(file);
    job.snap_reps = reps;
    return {job.snap, job.snap_file};
  }

  Response get_result(const Request& r) {
    const std::shared_ptr<Job> job = find(r);
    if (!job || r.query.find("job") == r.query.end())
      return json_response(404, {{"error", "no such job"}});
    json out;
    std::size_t reps = 0;
    {
      std::lock_guard lock(job->m);
      static const char* const names[] = {"running", "done", "cancelled", "failed"};
      out["job"] = job->id;
      out["state"] = names[static_cast<int>(job->state)];
      if (!job->error.empty() && job->state != Job::State::done) out["error"] = job->error;
      out["done"] = job->done;
      out["total"] = job->models * job->reps;
      out["elapsed_s"] = job->state == Job::State::running ? seconds_since(job->start)
                         : job->full_s >= 0                ? job->full_s
                                                           : seconds_since(job->start);
      if (job->first_s >= 0) out["first_numbers_s"] = job->first_s;
      if (job->full_s >= 0) out["full_s"] = job->full_s;
      out["values"] = job->values.values;
      out["show"] = job->values.show;
    }
    // After the state is read: a comparison done by then is whole in the snapshot.
    const auto [board, file] = snapshot(*job);
    out["command"] = file->provenance.command_line;
    {
      std::lock_guard lock(job->snap_m);
      reps = job->snap_reps;
    }
    out["replications"] = {{"done", reps}, {"total", job->reps}};
    const auto have = r.query.find("have");
    if (have == r.query.end() || have->second != std::to_string(reps)) out["board"] = *board;
    return json_response(200, out);
  }

  Response download(const Request& r, std::string_view what) {
    const std::shared_ptr<Job> job = find(r);
    if (!job) return json_response(404, {{"error", "no comparison yet: move a lever"}});
    if (what == "scenario.yaml")
      return {200, "application/yaml", job->loaded.resolved_yaml, "scenario.yaml"};
    const auto [board, file] = snapshot(*job);
    (void)board;
    if (file->runs.model.empty())
      return json_response(409, {{"error", "no replication finished yet"}});
    if (what == "board.html") {
      report::ReportInput input{*file, analysis::summarize(*file, 0.95), options.scenario_path};
      return {200, "text/html; charset=utf-8", report::render_html(input), "board.html"};
    }
    // results.h5: written to a temporary file (HDF5 writes files), read back, removed.
    const std::filesystem::path tmp =
        std::filesystem::temp_directory_path() /
        ("itsim-serve-" + std::to_string(::getpid()) + "-" + std::to_string(job->id) + "-" +
         std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id())) + ".h5");
    analysis::WriteOptions w;
    w.force = true;
    analysis::write_results(tmp.string(), *file, w);
    std::ifstream in(tmp, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    in.close();
    std::filesystem::remove(tmp);
    return {200, "application/x-hdf5", bytes.str(), "results.h5"};
  }

  Response levers() const {
    json list = json::array();
    std::shared_ptr<Job> latest;
    {
      std::lock_guard lock(m);
      if (!jobs.empty()) latest = jobs.back();
    }
    std::map<std::string, std::string> current;
    if (latest) {
      std::lock_guard lock(latest->m);
      current = latest->values.values;
    }
    for (const auto& l : base.scenario.levers) {
      json j{{"id", l.id}, {"label", l.label}};
      if (l.show_models) {
        json choices = json::array({"all"});
        for (const auto& mdl : base.scenario.models)
          if (mdl.id != base.scenario.models[base.scenario.baseline].id) choices.push_back(mdl.id);
        j["kind"] = "show";
        j["choices"] = choices;
        j["default"] = "all";
      } else if (!l.choices.empty()) {
        j["kind"] = "choice";
        j["key"] = l.key;
        j["choices"] = l.choices;
        j["default"] = l.current;
      } else {
        j["kind"] = "range";
        j["key"] = l.key;
        j["min"] = l.min;
        j["max"] = l.max;
        j["step"] = l.step;
        char* end = nullptr;
        const double x = std::strtod(l.current.c_str(), &end);
        if (!l.current.empty() && end != nullptr && *end == '\0')
          j["default"] = x;
        else
          j["default"] = nullptr;
      }
      const auto c = current.find(l.id);
      j["value"] = c != current.end() ? json(c->second) : j["default"];
      list.push_back(j);
    }
    return json_response(200, {{"scenario", base.scenario.name},
                               {"baseline", base.scenario.models[base.scenario.baseline].id},
                               {"replications", base.scenario.replications},
                               {"seed", base.scenario.seed},
                               {"levers", list}});
  }
};

Service::Service(scenarios::ComposedScenario composed, scenarios::LoadedScenario base,
                 ServiceOptions options)
    : impl_(std::make_unique<Impl>(std::move(composed), std::move(base), std::move(options))) {}

Service::~Service() {
  stop();
}

const ServiceOptions& Service::options() const {
  return impl_->options;
}

std::size_t Service::running() const {
  std::lock_guard lock(impl_->m);
  return impl_->running_locked();
}

void Service::stop() {
  std::vector<std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(impl_->m);
    impl_->stopping = true;
    jobs = impl_->jobs;
  }
  impl_->slot_free.notify_all();
  for (const auto& j : jobs)
    j->cancel.store(true);
  for (const auto& j : jobs)
    if (j->thread.joinable()) j->thread.join();
}

Response Service::handle(const Request& r) {
  try {
    if (r.method == "GET" && r.path == "/")
      return {200, "text/html; charset=utf-8", impl_->page, ""};
    if (r.method == "GET" && r.path == "/api/levers") return impl_->levers();
    if (r.path == "/api/run") {
      if (r.method != "POST") return json_response(405, {{"error", "POST lever values here"}});
      if (r.body.size() > impl_->options.max_body)
        return json_response(
            413,
            {{"error", "request body over " + std::to_string(impl_->options.max_body) + " bytes"}});
      return impl_->post_run(r);
    }
    if (r.method == "GET" && r.path == "/api/result") return impl_->get_result(r);
    for (const char* what : {"scenario.yaml", "results.h5", "board.html"})
      if (r.method == "GET" && r.path == std::string("/download/") + what)
        return impl_->download(r, what);
    return json_response(404, {{"error", "not found: " + r.path}});
  } catch (const std::exception& e) {
    return json_response(500, {{"error", std::string("internal error: ") + e.what()}});
  }
}

} // namespace itsim::serve
