// SPDX-License-Identifier: Apache-2.0
// `itsim explain`: why a model leads the baseline. Switches the mechanisms that separate
// them off, in every combination, with common random numbers, and splits the paired
// difference of each KPI into structure plus one Shapley value per mechanism
// (experiments/attribution.hpp; docs/models.md, "Why a model wins").
#include <boost/program_options.hpp>

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "itsim/analysis/results.hpp"
#include "itsim/experiments/attribution.hpp"
#include "itsim/models/kpi.hpp"
#include "itsim/scenarios/input_error.hpp"
#include "itsim/scenarios/loader.hpp"
#include "options.hpp"
#include "progress.hpp"

namespace itsim::cli {

namespace po = boost::program_options;

namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_explain_interrupt(int /*signal*/) {
  interrupted.store(true);
}

/// "+1.20M ±0.40M*": signed mean, CI half-width, * where the interval excludes 0.
std::string cell(double mean, double ci) {
  if (!std::isfinite(mean)) return "";
  std::string out = (mean >= 0 ? "+" : "") + format_value(mean);
  if (std::isfinite(ci)) out += " ±" + format_value(ci) + (std::fabs(mean) > ci ? "*" : " ");
  return out;
}

void print_attribution(const experiments::Attribution& a) {
  for (const experiments::KpiAttribution& k : a.kpis) {
    std::printf("\n%s (%s): %s minus %s, %zu replications\n", k.kpi.c_str(), k.unit.c_str(),
                a.model.c_str(), a.baseline.c_str(), k.replications.size());
    std::printf("  %-20s %20s %20s\n", "mechanism", a.one_at_a_time ? "" : "Shapley value",
                "one at a time");
    double oat_sum = 0;
    for (const experiments::AttributionTerm& t : k.terms) {
      const bool last = t.mechanism == "total";
      if (last) {
        if (a.one_at_a_time)
          std::printf("  %-20s %20s %20s\n", "interactions", "",
                      cell(k.terms.back().shapley_mean - k.terms.front().shapley_mean - oat_sum,
                           std::nan(""))
                          .c_str());
        std::printf("  %-20s %20s\n", "", "--------------------");
      }
      if (std::isfinite(t.one_at_a_time_mean)) oat_sum += t.one_at_a_time_mean;
      const bool whole = t.mechanism == "structure" || last;
      const std::string shapley =
          (a.one_at_a_time && !whole) ? "" : cell(t.shapley_mean, t.shapley_ci);
      std::printf("  %-20s %20s %20s\n", t.mechanism.c_str(), shapley.c_str(),
                  cell(t.one_at_a_time_mean, t.one_at_a_time_ci).c_str());
    }
  }
  std::printf("\nmean ±%.0f%% CI half-width across replications (paired: common random "
              "numbers), * where the interval excludes 0.\n",
              a.level * 100);
  if (a.one_at_a_time)
    std::printf("one at a time: the whole model minus the model with that switch alone off; "
                "interactions: what the effects do not add up to.\n");
  else
    std::printf("structure: the model with every switch off minus the baseline; structure + "
                "the Shapley values = total in every replication.\none at a time: the whole "
                "model minus the model with that switch alone off.\n");
}

std::string joined_command_line(const std::vector<std::string>& args) {
  std::string out = "itsim explain";
  for (const std::string& a : args)
    out += " " + a;
  return out;
}

} // namespace

int explain_command(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::vector<std::string> overrides;
  std::vector<std::string> kpis;
  std::string output, model, baseline;
  std::string progress_text = "auto";
  po::options_description opts(
      "usage: itsim explain SCENARIO.yaml --model M [--baseline B] [-o FILE.h5] [-r N]\n"
      "                     [--seed S] [--set KEY.PATH=VALUE]... [--kpi KPI]...\n"
      "                     [--one-at-a-time] [-j N] [--progress auto|bar|lines|none] [--force]\n\n"
      "Explains model M's difference from the baseline: finds the mechanism switches that\n"
      "separate them (knowledge, learning, pooling, WIP limits, queue order, ...), runs M\n"
      "with every subset of them turned off (back to the baseline's setting) and the\n"
      "baseline, replication r of each with the same random numbers, and splits the paired\n"
      "difference of each KPI into structure (what no switch covers: routes, handoffs,\n"
      "gates) and one Shapley value per switch, each with its confidence interval, beside\n"
      "the effect of turning that switch alone off. Writes the tables /attribution,\n"
      "/attribution_replications and /attribution_variants to FILE.h5\n"
      "(docs/results-format.md); docs/models.md, \"Why a model wins\", defines the switches.\n\n"
      "options");
  opts.add_options()("help,h", "show this help")("model", po::value<std::string>(&model),
                                                 "the model to explain (required)")(
      "baseline", po::value<std::string>(&baseline),
      "the model to compare with (default: the scenario's baseline)")(
      "output,o", po::value<std::string>(&output), "results file (HDF5) to write")(
      "replications,r", po::value<std::int64_t>(),
      "replications (default: the scenario's); each runs 2^n variants and the baseline")(
      "seed", po::value<std::uint64_t>(), "master seed (default: the scenario's)")(
      "set", po::value<std::vector<std::string>>(&overrides)->composing(),
      "override a setting, VALUE parsed as YAML (repeatable)")(
      "kpi", po::value<std::vector<std::string>>(&kpis)->composing(),
      "KPI to attribute (repeatable; default net_value and enhancement_lead_time_p50_h)")(
      "one-at-a-time",
      "only turn each switch off alone (n + 2 variants instead of 2^n): no Shapley values; "
      "for models with more than 10 switches")("threads,j", po::value<std::int64_t>(),
                                               "worker threads (default: all cores)")(
      "progress", po::value<std::string>(&progress_text)->default_value("auto"),
      "auto, bar, lines or none")("force", "overwrite an existing output file")(
      "files", po::value<std::vector<std::string>>(&files), "scenario file");
  const std::optional<po::variables_map> parsed = parse_options(args, opts);
  if (!parsed) return exit_ok;
  const po::variables_map& vm = *parsed;
  if (files.size() != 1) throw po::error("expected exactly one scenario file");
  if (model.empty()) throw po::error("--model is required: the model to explain");
  const Progress progress = progress_mode(progress_text);
  std::uint32_t replications = 0;
  if (vm.count("replications")) {
    const std::int64_t r = vm["replications"].as<std::int64_t>();
    if (r < 1 || r > 1000000) throw po::error("--replications must be in 1..1000000");
    replications = static_cast<std::uint32_t>(r);
  }
  const unsigned threads = threads_option(vm);
  for (const std::string& name : kpis)
    if (models::kpi_named(name) == models::Kpi::count)
      throw po::error("--kpi: no KPI '" + name + "' (itsim models --kpis lists them)");
  const bool one_at_a_time = vm.count("one-at-a-time") > 0;

  analysis::WriteOptions write;
  write.force = vm.count("force") > 0;
  if (!output.empty()) analysis::check_output_path(output, write);

  const CommandScenario loaded = load_command_scenario(files.front(), overrides, vm, replications);
  if (loaded.exit_code != exit_ok) return loaded.exit_code;
  const scenarios::Scenario& s = loaded.loaded->scenario;

  experiments::AttributionPlan plan;
  try {
    const std::uint32_t target = experiments::attribution_model(s, model, "--model");
    const std::uint32_t base =
        baseline.empty() ? s.baseline : experiments::attribution_model(s, baseline, "--baseline");
    plan = experiments::plan_attribution(s, target, base);
  } catch (const experiments::AttributionError& e) {
    std::fprintf(stderr, "itsim explain: %s\n", e.what());
    return e.kind() == experiments::AttributionError::Kind::nothing_differs ? exit_invalid_scenario
                                                                            : exit_usage;
  }
  const std::size_t n = plan.switches.size();
  if (n > experiments::max_shapley_switches && !one_at_a_time) {
    std::fprintf(stderr,
                 "itsim explain: %s differs from %s in %zu mechanisms: an exact Shapley "
                 "attribution would run 2^%zu variants; use --one-at-a-time (at most %zu "
                 "mechanisms otherwise)\n",
                 model.c_str(), s.models[plan.baseline].id.c_str(), n, n,
                 experiments::max_shapley_switches);
    return exit_usage;
  }

  experiments::AttributionOptions options;
  options.kpis = kpis;
  options.one_at_a_time = one_at_a_time;
  options.scheduler.threads = threads;
  options.scheduler.interrupt = &interrupted;
  if (progress != Progress::none) {
    options.scheduler.progress = [progress](const experiments::RunProgress& p) {
      print_progress(progress, "explain", p.done, p.total, p.failed, p.elapsed_s);
    };
    options.scheduler.progress_interval_s = progress_interval_s(progress);
  }

  const auto previous = std::signal(SIGINT, on_explain_interrupt);
  experiments::Attribution a;
  try {
    a = experiments::run_attribution(s, plan, options);
  } catch (const itsim::Error&) {
    std::signal(SIGINT, previous);
    if (!interrupted.load()) throw;
    std::fprintf(stderr, "\nitsim explain: interrupted; nothing written\n");
    return 130;
  }
  std::signal(SIGINT, previous);

  if (!output.empty()) {
    analysis::ResultsFile file =
        experiments::attribution_results(s, plan, a, loaded.loaded->resolved_yaml);
    file.provenance.itsim_version = ITSIM_VERSION;
    file.provenance.git_describe = ITSIM_GIT_DESCRIBE;
    file.provenance.command_line = joined_command_line(args);
    analysis::write_results(output, file, write);
  }

  std::string names;
  for (const std::string& name : a.switches)
    names += (names.empty() ? "" : ", ") + name;
  std::printf("%s: %s against %s, horizon %.0f h, warm-up %.0f h%s%s\n", s.name.c_str(),
              a.model.c_str(), a.baseline.c_str(), s.horizon_h, s.warmup_h,
              output.empty() ? "" : ", results in ", output.c_str());
  std::printf("mechanism switches (%zu): %s\n", n, n == 0 ? "none" : names.c_str());
  std::printf("%zu variants of %s and the baseline x %u replications = %zu runs%s\n",
              a.variants.size(), a.model.c_str(), a.replications, a.runs,
              a.one_at_a_time ? " (one at a time)" : " (every subset: Shapley)");
  print_attribution(a);
  if (a.failed_runs > 0) {
    std::fprintf(stderr,
                 "itsim explain: %zu of %zu runs failed (their replications are left out); "
                 "the first, %s\n",
                 a.failed_runs, a.runs, a.first_failure.c_str());
    return exit_runs_failed;
  }
  return exit_ok;
}

} // namespace itsim::cli
