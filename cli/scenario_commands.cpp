// SPDX-License-Identifier: Apache-2.0
// `itsim validate`, `itsim show` (--resolved, --calibration) and `itsim schema`: the
// scenario language at the command line.
#include <boost/program_options.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "itsim/analysis/confidence.hpp"
#include "itsim/analysis/results.hpp"
#include "itsim/models/calibration.hpp"
#include "itsim/models/kpi.hpp"
#include "itsim/models/load.hpp"
#include "itsim/scenarios/input_error.hpp"
#include "itsim/scenarios/loader.hpp"
#include "itsim/sim/format.hpp"

namespace itsim::cli {

namespace po = boost::program_options;

namespace {

/// Prints every diagnostic (errors and warnings) to stderr, one per line.
void print_diagnostics(const scenarios::Diagnostics& diags) {
  const std::string text = diags.format_all();
  if (!text.empty()) std::fprintf(stderr, "%s\n", text.c_str());
}

/// Loads one scenario, printing its diagnostics; the exit code it deserves. Adds the
/// warnings printed to `*warnings` when given.
int load_one(const std::string& path, const std::vector<std::string>& overrides,
             std::optional<scenarios::LoadedScenario>& out, std::size_t* warnings = nullptr) {
  scenarios::Diagnostics diags;
  try {
    out = scenarios::load_scenario(path, overrides, diags);
  } catch (const scenarios::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return exit_no_input;
  }
  print_diagnostics(diags);
  if (warnings != nullptr) *warnings += diags.warning_count();
  return out ? exit_ok : exit_invalid_scenario;
}

/// The load check of a loaded scenario (models/load.hpp): prints its warnings and, with
/// `show`, the whole table on stdout; adds the warnings to `warnings`.
void check_load_of(const scenarios::LoadedScenario& loaded, bool show, std::size_t& warnings) {
  const std::vector<models::ModelLoad> loads = models::offered_load(loaded.scenario);
  scenarios::Diagnostics diags;
  warnings += models::check_load(loaded.scenario, loads, diags);
  print_diagnostics(diags);
  if (show) std::fputs(models::load_table(loaded.scenario, loads).c_str(), stdout);
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& opts,
                        const po::positional_options_description& positional) {
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(opts).positional(positional).run(), vm);
  po::notify(vm);
  return vm;
}

/// The usage check of --set (KEY.PATH=VALUE, well formed): prints what is wrong and gives
/// exit_usage, or exit_ok.
int check_overrides(const std::vector<std::string>& overrides) {
  scenarios::Diagnostics diags;
  if (scenarios::check_override_syntax(overrides, diags)) return exit_ok;
  print_diagnostics(diags);
  return exit_usage;
}

} // namespace

int validate_command(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::vector<std::string> overrides;
  po::options_description opts(
      "usage: itsim validate SCENARIO.yaml... [--set KEY.PATH=VALUE]... [--strict]\n"
      "                      [--show-load]\n\n"
      "Checks scenario files and reports every problem as\n"
      "FILE:LINE:COL: KEY.PATH: message, and warns about each pool or team\n"
      "offered at least as many person-hours of work a week as its people\n"
      "have (docs/models.md, \"The load check\"). Exit 0 when all are valid\n"
      "(warnings or not), 65 when one is invalid (or, with --strict, has a\n"
      "warning), 66 when one cannot be read.\n\noptions");
  opts.add_options()("help,h", "show this help")(
      "set", po::value<std::vector<std::string>>(&overrides)->composing(),
      "override a setting, VALUE parsed as YAML (repeatable)")(
      "strict", "treat warnings (a pool or team at or over capacity) as errors: exit 65")(
      "show-load", "print each model's offered load per pool and team: person-hours of work a week "
                   "offered and available, and the utilisation bound")(
      "quiet,q", "print nothing for valid files")(
      "files", po::value<std::vector<std::string>>(&files), "scenario files");
  po::positional_options_description positional;
  positional.add("files", -1);
  const po::variables_map vm = parse(args, opts, positional);
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return exit_ok;
  }
  if (files.empty()) throw po::error("expected at least one scenario file");
  if (const int code = check_overrides(overrides); code != exit_ok) return code;
  int worst = exit_ok;
  for (const std::string& file : files) {
    std::optional<scenarios::LoadedScenario> loaded;
    std::size_t warnings = 0;
    int code = load_one(file, overrides, loaded, &warnings);
    if (loaded) {
      check_load_of(*loaded, vm.count("show-load") > 0, warnings);
      // --strict: a scenario with warnings (its own or the load check's) is invalid.
      if (vm.count("strict") && warnings > 0) {
        std::fprintf(stderr, "%s: %zu warning%s, an error under --strict\n", file.c_str(), warnings,
                     warnings == 1 ? "" : "s");
        code = exit_invalid_scenario;
        loaded.reset();
      }
    }
    if (code == exit_no_input || (code == exit_invalid_scenario && worst == exit_ok)) worst = code;
    if (loaded && !vm.count("quiet")) {
      const scenarios::Scenario& s = loaded->scenario;
      std::printf("%s: ok: %zu units (%llu people), %zu work types, %zu pools, %zu models "
                  "(baseline %s), %u replications\n",
                  file.c_str(), s.units.size(),
                  static_cast<unsigned long long>(s.total_headcount()), s.work_types.size(),
                  s.pools.size(), s.models.size(), s.models[s.baseline].id.c_str(), s.replications);
    }
  }
  return worst;
}

namespace {

/// `itsim show --calibration [RESULTS.h5]`: MODEL.md's calibration targets, whether each is
/// set by an input or emerges, and, from a results file, the measured value of one model.
int show_calibration(const std::vector<std::string>& files, const std::string& model_asked) {
  const std::vector<models::CalibrationTarget>& targets = models::calibration_targets();
  std::optional<analysis::ResultsFile> file;
  std::string model = model_asked;
  if (!files.empty()) {
    try {
      file = analysis::read_results(files.front());
    } catch (const analysis::ResultsReadError& e) {
      std::fprintf(stderr, "itsim show: %s\n", e.what());
      return exit_no_input;
    }
    if (model.empty()) model = file->baseline.empty() ? file->models.front() : file->baseline;
    if (std::find(file->models.begin(), file->models.end(), model) == file->models.end())
      throw po::error("--model: " + files.front() + " has no model '" + model + "'");
  } else if (!model.empty()) {
    throw po::error("--model needs a results file");
  }
  std::printf("Calibration targets of the passive baseline (MODEL.md): each is met when the "
              "%.0f%% interval of\nthe mean over replications lies inside its band.\n",
              models::calibration_level * 100);
  if (file) std::printf("Measured: model %s of %s.\n", model.c_str(), files.front().c_str());
  std::size_t met = 0;
  for (const models::CalibrationTarget& t : targets) {
    const models::KpiInfo& kpi = models::info(t.kpi);
    std::printf("\n%s (%s)\n", t.target, t.source);
    std::printf("  band:     %s in [%s, %s] %s\n", kpi.name, format_double(t.low, 4).c_str(),
                format_double(t.high, 4).c_str(), kpi.unit);
    std::printf("  %s: %s\n", models::to_string(t.kind), t.how);
    if (!file) continue;
    std::vector<double> values;
    const analysis::KpiColumn* column = file->runs.kpi(kpi.name);
    for (std::size_t i = 0; column != nullptr && i < file->runs.size(); ++i) {
      if (file->runs.model[i] == model && file->runs.point[i] == 0 &&
          file->runs.status[i] == analysis::run_status_ok && std::isfinite(column->values[i]))
        values.push_back(column->values[i]);
    }
    if (values.size() < 2) {
      std::printf("  measured: not enough runs (%zu with a value)\n", values.size());
      continue;
    }
    const analysis::ConfidenceInterval ci =
        analysis::confidence_interval(values, models::calibration_level);
    const bool inside = ci.lower() >= t.low && ci.upper() <= t.high;
    const bool outside = ci.upper() < t.low || ci.lower() > t.high;
    met += inside ? 1 : 0;
    std::printf(
        "  measured: %s, %.0f%% CI [%s, %s] over %zu runs: %s\n", format_double(ci.mean, 4).c_str(),
        models::calibration_level * 100, format_double(ci.lower(), 4).c_str(),
        format_double(ci.upper(), 4).c_str(), values.size(),
        inside ? "met" : (outside ? "MISSED (outside the band)" : "UNSURE (straddles an edge)"));
  }
  if (file) {
    std::printf("\n%zu of %zu targets met by %s.\n", met, targets.size(), model.c_str());
  } else {
    std::printf("\nMeasured values: run the baseline and give its results file, e.g.\n"
                "  itsim run scenarios/midsize.yaml -o midsize.h5\n"
                "  itsim show --calibration midsize.h5 [--model passive]\n");
  }
  return exit_ok;
}

} // namespace

int show_command(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::vector<std::string> overrides;
  std::string model;
  po::options_description opts(
      "usage: itsim show --resolved SCENARIO.yaml [--set KEY.PATH=VALUE]...\n"
      "       itsim show --calibration [RESULTS.h5 [--model MODEL]]\n\n"
      "--resolved prints the scenario as the engine sees it: extends merged,\n"
      "overrides applied, every default filled in.\n"
      "--calibration prints MODEL.md's calibration targets for the passive\n"
      "baseline: each target's band, whether an input sets it or it emerges\n"
      "from the simulation, and, given a results file of `itsim run`, the\n"
      "measured mean with its 99% interval (of the baseline model, or --model).\n\noptions");
  opts.add_options()("help,h", "show this help")("resolved",
                                                 "print the resolved scenario (the default)")(
      "calibration", "print the calibration targets, measured from RESULTS.h5 when given")(
      "model", po::value<std::string>(&model), "with --calibration: the model to measure")(
      "set", po::value<std::vector<std::string>>(&overrides)->composing(),
      "override a setting, VALUE parsed as YAML (repeatable)")(
      "files", po::value<std::vector<std::string>>(&files), "scenario file");
  po::positional_options_description positional;
  positional.add("files", -1);
  const po::variables_map vm = parse(args, opts, positional);
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return exit_ok;
  }
  if (vm.count("calibration")) {
    if (vm.count("resolved")) throw po::error("--resolved and --calibration: choose one");
    if (!overrides.empty()) throw po::error("--set applies to --resolved, not --calibration");
    if (files.size() > 1) throw po::error("--calibration takes at most one results file");
    return show_calibration(files, model);
  }
  if (vm.count("model")) throw po::error("--model needs --calibration");
  if (files.size() != 1) throw po::error("expected exactly one scenario file");
  if (const int code = check_overrides(overrides); code != exit_ok) return code;
  std::optional<scenarios::LoadedScenario> loaded;
  const int code = load_one(files.front(), overrides, loaded);
  if (loaded) std::fputs(loaded->resolved_yaml.c_str(), stdout);
  return code;
}

int schema_command(const std::vector<std::string>& args) {
  std::string format = "json";
  po::options_description opts("usage: itsim schema [--format json|markdown]\n\n"
                               "Prints the scenario format: a JSON Schema (draft-07) for\n"
                               "editors, or the key table of docs/scenario-format.md.\n\noptions");
  opts.add_options()("help,h", "show this help")(
      "format", po::value<std::string>(&format)->default_value("json"), "json or markdown");
  const po::variables_map vm = parse(args, opts, {});
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return exit_ok;
  }
  if (format == "json") {
    std::fputs(scenarios::scenario_json_schema().c_str(), stdout);
  } else if (format == "markdown") {
    std::fputs(scenarios::scenario_key_table().c_str(), stdout);
  } else {
    throw po::error("--format must be json or markdown, got '" + format + "'");
  }
  return exit_ok;
}

int models_command(const std::vector<std::string>& args) {
  po::options_description opts(
      "usage: itsim models [--kpis [--format text|markdown]]\n\n"
      "Lists the operating-model presets a scenario's model can name with `preset:`\n"
      "(scenarios/presets/, built in), or with --kpis the KPIs every run reports.\n\noptions");
  opts.add_options()("help,h", "show this help")(
      "kpis", "list the KPIs: name, unit, family, which direction is better, meaning")(
      "format", po::value<std::string>()->default_value("text"),
      "with --kpis: text or markdown (the table of docs/models.md)");
  const po::variables_map vm = parse(args, opts, {});
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return exit_ok;
  }
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "markdown")
    throw po::error("--format must be text or markdown, got '" + format + "'");
  if (!vm.count("kpis")) {
    if (!vm["format"].defaulted()) throw po::error("--format needs --kpis");
    std::size_t width = 0;
    for (const scenarios::PresetInfo& p : scenarios::presets())
      width = std::max(width, p.name.size());
    for (const scenarios::PresetInfo& p : scenarios::presets())
      std::printf("%-*s  %s\n", static_cast<int>(width), p.name.c_str(), p.description.c_str());
    return exit_ok;
  }
  if (format == "markdown") {
    std::fputs(models::kpi_markdown_table().c_str(), stdout);
    return exit_ok;
  }
  std::size_t width = 0;
  for (const models::KpiInfo& k : models::kpi_table())
    width = std::max(width, std::strlen(k.name));
  for (const models::KpiInfo& k : models::kpi_table()) {
    std::printf("%-*s  %-8s %-10s %-6s %s\n", static_cast<int>(width), k.name, k.unit,
                models::to_string(k.family), models::to_string(k.better), k.description);
  }
  return exit_ok;
}

} // namespace itsim::cli
