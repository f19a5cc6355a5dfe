// SPDX-License-Identifier: Apache-2.0
// `itsim sweep`: a design of experiments over a scenario, on threads, as one shard of a
// batch job, or under MPI; journalled so that --resume finishes what a kill interrupted.
// `itsim merge`: shards into the whole sweep's file.
#include <boost/program_options.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "itsim/analysis/results.hpp"
#include "itsim/experiments/journal.hpp"
#include "itsim/experiments/sweep_plan.hpp"
#include "itsim/experiments/sweep_results.hpp"
#include "itsim/experiments/sweep_runner.hpp"
#include "itsim/scenarios/input_error.hpp"
#include "itsim/scenarios/sweep.hpp"
#include "itsim/sim/random_stream.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "sweep_mpi.hpp"

namespace itsim::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

std::atomic<bool> interrupted{false};
extern "C" void on_sweep_interrupt(int /*signal*/) {
  interrupted.store(true);
}

struct Shard {
  std::uint32_t k = 0, n = 0; // 0/0: the whole sweep
};

Shard parse_shard(const std::string& text, const char* origin) {
  const std::size_t slash = text.find('/');
  char* end = nullptr;
  Shard s;
  if (slash != std::string::npos) {
    const unsigned long k = std::strtoul(text.c_str(), &end, 10);
    const bool k_ok = end == text.c_str() + slash;
    const unsigned long n = std::strtoul(text.c_str() + slash + 1, &end, 10);
    if (k_ok && *end == '\0' && k >= 1 && n >= 1 && k <= n && n <= 1000000) {
      s.k = static_cast<std::uint32_t>(k);
      s.n = static_cast<std::uint32_t>(n);
      return s;
    }
  }
  throw po::error(std::string(origin) + " must be K/N with 1 <= K <= N, got '" + text + "'");
}

/// --shard, or the Slurm job array's task (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1
/// of SLURM_ARRAY_TASK_COUNT), or the whole sweep.
Shard pick_shard(const std::string& option) {
  if (option == "none") return {};
  if (!option.empty()) return parse_shard(option, "--shard");
  const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
  const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
  if (id == nullptr || count == nullptr) return {};
  const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
  const long k =
      std::strtol(id, nullptr, 10) - (min != nullptr ? std::strtol(min, nullptr, 10) : 0) + 1;
  const Shard s =
      parse_shard(std::to_string(k) + "/" + count,
                  "SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1 / SLURM_ARRAY_TASK_COUNT");
  std::fprintf(stderr,
               "itsim sweep: shard %u/%u from the Slurm job array (--shard none to run all)\n", s.k,
               s.n);
  return s;
}

std::string joined(const char* command, const std::vector<std::string>& args) {
  std::string out = std::string("itsim ") + command;
  for (const std::string& a : args)
    out += " " + a;
  return out;
}

void print_dry_run(const experiments::SweepPlan& plan, const Shard& shard, std::uint64_t first,
                   std::uint64_t last) {
  const auto& s = plan.base.scenario;
  std::printf("sweep %s (id %s): %s design, %zu points x %zu models x %u replications = "
              "%llu runs",
              plan.spec.name.c_str(), plan.id.c_str(), scenarios::to_string(plan.spec.design),
              plan.points.size(), plan.models.size(), plan.replications,
              static_cast<unsigned long long>(plan.run_count()));
  if (shard.n > 0)
    std::printf("; shard %u/%u runs %llu..%llu", shard.k, shard.n,
                static_cast<unsigned long long>(first), static_cast<unsigned long long>(last - 1));
  std::printf("\nscenario %s, master seed %llu\n\n", plan.spec.scenario_path.c_str(),
              static_cast<unsigned long long>(s.seed));
  std::printf("point");
  for (const auto& f : plan.spec.factors)
    std::printf("\t%s%s", f.path.c_str(), f.lever ? " (lever)" : "");
  std::printf("\n");
  for (std::size_t p = 0; p < plan.points.size(); ++p) {
    std::printf("%zu", p);
    for (const auto& level : plan.points[p])
      std::printf("\t%s", level.text.c_str());
    std::printf("\n");
  }
  std::printf("\nrun\tpoint\tmodel\treplication\tseed\n");
  for (std::uint64_t i = first; i < last; ++i) {
    const experiments::RunKey k = plan.run(i);
    std::printf(
        "%llu\t%u\t%s\t%u\t%llu\n", static_cast<unsigned long long>(i), k.point,
        s.models[k.model].id.c_str(), k.replication,
        static_cast<unsigned long long>(sim::derive_stream_seed(s.seed, k.replication, "run")));
  }
}

template <class T> const std::vector<T>& column(const analysis::Table& t, const char* name) {
  return std::get<std::vector<T>>(t.column(name)->values);
}

/// What a whole sweep says: where each model wins, and the factors that move net value.
void print_sweep_summary(const analysis::ResultsFile& f, std::size_t runs, std::size_t failed) {
  std::printf("sweep %s: %u points, %zu runs (%zu failed)\n\n", f.sweep->name.c_str(),
              f.sweep->points, runs, failed);
  if (const analysis::Table* w = f.table("winners")) {
    const auto& best = column<std::string>(*w, "best_model");
    const auto& sig = column<std::uint32_t>(*w, "significant");
    std::printf("Where each model wins on net value (best mean at a point; * significant: the "
                "paired 95%% CI against the runner-up excludes 0):\n");
    for (const std::string& m : f.models) {
      std::size_t wins = 0, significant = 0;
      for (std::size_t p = 0; p < best.size(); ++p) {
        if (best[p] != m) continue;
        ++wins;
        significant += sig[p];
      }
      std::printf("  %-14s best at %zu of %zu points (%zu*)\n", m.c_str(), wins, best.size(),
                  significant);
    }
    if (best.size() <= 12) {
      const auto& margin = column<double>(*w, "margin");
      const auto& ci = column<double>(*w, "margin_ci");
      const auto& second = column<std::string>(*w, "runner_up");
      for (std::size_t p = 0; p < best.size(); ++p)
        std::printf("    point %zu: %s by %.4g ±%.3g over %s%s\n", p, best[p].c_str(), margin[p],
                    ci[p], second[p].c_str(), sig[p] ? " *" : "");
    }
    std::printf("  (per point: /winners; the factor values: /points)\n\n");
  }
  if (const analysis::Table* s = f.table("sensitivity"); s != nullptr && s->rows() > 0) {
    const auto& model = column<std::string>(*s, "model");
    const auto& kpi = column<std::string>(*s, "kpi");
    const auto& path = column<std::string>(*s, "key_path");
    const auto& src = column<double>(*s, "src");
    const auto& r2 = column<double>(*s, "r2");
    const auto& mustar = column<double>(*s, "morris_mu_star");
    const auto& rank = column<std::uint32_t>(*s, "rank");
    const bool morris = f.sweep->design == "morris";
    std::printf("What moves net value (%s; rank 1 first):\n",
                morris ? "Morris mu*, per traverse of each factor's range"
                       : "standardised regression coefficients");
    for (const std::string& m : f.models) {
      std::vector<std::size_t> rows;
      for (std::size_t i = 0; i < model.size(); ++i)
        if (model[i] == m && kpi[i] == "net_value") rows.push_back(i);
      std::sort(rows.begin(), rows.end(), [&](auto a, auto b) { return rank[a] < rank[b]; });
      std::printf("  %-14s", m.c_str());
      if (!rows.empty() && !morris) std::printf(" (R^2 %.2f)", r2[rows.front()]);
      for (std::size_t i = 0; i < rows.size() && i < 4; ++i) {
        const double v = morris ? mustar[rows[i]] : src[rows[i]];
        std::printf("  %s %+.3g", path[rows[i]].c_str(), v);
      }
      std::printf("\n");
    }
    std::printf("  (every model, KPI and factor: /sensitivity)\n");
  }
}

} // namespace

int run_sweep_command(const std::vector<std::string>& args, const MpiSession& mpi) {
  std::vector<std::string> files;
  std::string output, shard_text, progress_text = "auto";
  po::options_description opts(
      "usage: itsim sweep SWEEP.yaml -o FILE.h5 [--shard K/N] [--resume] [--dry-run] [-j N]\n"
      "                   [--progress auto|bar|lines|none] [--force]\n\n"
      "Runs a design of experiments over a scenario (docs/sweeps.md): every point x model x\n"
      "replication, with common random numbers. Finished runs go to FILE.h5.journal as they\n"
      "finish; the results file is written at the end. Under mpirun (an MPI build), rank 0\n"
      "hands out runs and merges.\n\noptions");
  opts.add_options()("help,h", "show this help")("output,o", po::value<std::string>(&output),
                                                 "results file (HDF5) to write")(
      "shard", po::value<std::string>(&shard_text),
      "run slice K of N (1-based) into FILE.shard-K-of-N.h5 (merge them with itsim merge); "
      "default: from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT when set; none: all")(
      "resume", "continue an interrupted sweep: run only what its journal lacks")(
      "dry-run", "print the run count, the points and the run table; run nothing")(
      "threads,j", po::value<std::int64_t>(), "worker threads (default: all cores)")(
      "progress", po::value<std::string>(&progress_text)->default_value("auto"),
      "auto, bar, lines or none")("force", "overwrite an existing results file")(
      "files", po::value<std::vector<std::string>>(&files), "sweep file");
  const std::optional<po::variables_map> parsed = parse_options(args, opts);
  if (!parsed) return exit_ok;
  const po::variables_map& vm = *parsed;
  if (files.size() != 1) throw po::error("expected exactly one sweep file");
  const bool dry_run = vm.count("dry-run") > 0;
  if (output.empty() && !dry_run) throw po::error("--output is required (or --dry-run)");
  const Progress progress = progress_mode(progress_text);
  const unsigned threads = threads_option(vm);
  const Shard shard = pick_shard(shard_text);
  const bool resume = vm.count("resume") > 0;
  const bool leader = mpi.rank() == 0;

  scenarios::Diagnostics diags;
  std::optional<scenarios::SweepSpec> spec;
  try {
    spec = scenarios::load_sweep(files.front(), diags);
  } catch (const scenarios::InputError& e) {
    if (leader) std::fprintf(stderr, "%s\n", e.what());
    return exit_no_input;
  }
  std::optional<experiments::SweepPlan> plan;
  if (spec) plan = experiments::plan_sweep(*spec, diags);
  if (const std::string text = diags.format_all(); !text.empty() && leader)
    std::fprintf(stderr, "%s\n", text.c_str());
  if (!plan) return exit_invalid_scenario;

  const std::uint64_t total = plan->run_count();
  const auto [first, last] = shard.n > 0 ? experiments::shard_range(total, shard.k, shard.n)
                                         : std::make_pair(std::uint64_t{0}, total);
  if (dry_run) {
    if (leader) print_dry_run(*plan, shard, first, last);
    return exit_ok;
  }
  const std::string target =
      shard.n > 0 ? experiments::shard_file_name(output, shard.k, shard.n) : output;
  analysis::WriteOptions write;
  write.force = vm.count("force") > 0;
  if (leader) analysis::check_output_path(target, write);
  const std::vector<std::string> journals = experiments::find_journals(target);
  if (!journals.empty() && !resume) {
    throw analysis::OutputCreateError(
        journals.front() + ": a journal of an interrupted sweep is there; continue it with "
                           "--resume, or remove it to start again");
  }
  // What earlier attempts finished.
  std::vector<bool> done(last - first, false);
  std::size_t already = 0;
  for (const std::string& j : journals) {
    for (const auto& r : experiments::read_journal(j, plan->id, total)) {
      if (r.index < first || r.index >= last || done[r.index - first]) continue;
      done[r.index - first] = true;
      ++already;
    }
  }
  if (resume && leader) {
    std::fprintf(stderr, "itsim sweep: resuming: %zu of %llu runs already done\n", already,
                 static_cast<unsigned long long>(last - first));
  }
  std::vector<std::uint64_t> todo;
  todo.reserve(last - first - already);
  for (std::uint64_t i = first; i < last; ++i)
    if (!done[i - first]) todo.push_back(i);

  // Every rank has looked at the journals before any worker creates its own.
  mpi.barrier();

  experiments::SchedulerOptions options;
  options.threads = threads;
  options.interrupt = &interrupted;
  if (progress != Progress::none && leader) {
    options.progress = [progress, already, &last, &first](const experiments::RunProgress& p) {
      print_progress(progress, "sweep", p.done + already, static_cast<std::size_t>(last - first),
                     p.failed, p.elapsed_s);
    };
    options.progress_interval_s = progress_interval_s(progress);
  }
  const auto previous = std::signal(SIGINT, on_sweep_interrupt);
  const auto previous_term = std::signal(SIGTERM, on_sweep_interrupt);
  try {
    if (mpi.size() > 1) {
      run_sweep_mpi(mpi, *plan, todo, target, options);
    } else {
      experiments::JournalWriter journal(target + ".journal", plan->id, total);
      experiments::run_sweep(*plan, todo, options,
                             [&journal](const experiments::RunRecord& r) { journal.append(r); });
      journal.close();
    }
  } catch (const itsim::Error&) {
    std::signal(SIGINT, previous);
    std::signal(SIGTERM, previous_term);
    if (!interrupted.load()) throw;
    if (leader)
      std::fprintf(stderr,
                   "\nitsim sweep: interrupted; finished runs are kept in %s.journal*: "
                   "continue with --resume\n",
                   target.c_str());
    return 130;
  }
  std::signal(SIGINT, previous);
  std::signal(SIGTERM, previous_term);
  if (!leader) return exit_ok;

  // Every run of the range, read from the journals one at a time in run order and
  // streamed into the file (bounded memory: docs/sweeps.md, "Memory").
  const std::vector<std::string> written = experiments::find_journals(target);
  std::optional<experiments::StreamedSweep> done_sweep;
  {
    const experiments::JournalIndex index(written, plan->id, total, first, last);
    if (const auto missing = index.first_missing()) {
      throw itsim::Error("run " + std::to_string(*missing) +
                         " is missing from the journals; rerun with --resume");
    }
    analysis::Provenance provenance;
    provenance.itsim_version = ITSIM_VERSION;
    provenance.git_describe = ITSIM_GIT_DESCRIBE;
    provenance.command_line = joined("sweep", args);
    done_sweep = experiments::write_sweep_results(target, *plan, index, first, last, shard.k,
                                                  shard.n, provenance, write);
  }
  for (const std::string& j : written)
    fs::remove(j);
  const analysis::ResultsFile& file = done_sweep->file;
  const std::size_t runs = done_sweep->runs;
  const std::size_t failed = done_sweep->failed;
  if (shard.n > 0) {
    std::printf("sweep %s shard %u/%u: %zu runs (%zu failed) in %s; merge the %u shards with "
                "itsim merge\n",
                plan->spec.name.c_str(), shard.k, shard.n, runs, failed, target.c_str(), shard.n);
  } else {
    print_sweep_summary(file, runs, failed);
    std::printf("\nresults in %s\n", target.c_str());
  }
  if (failed > 0) {
    std::fprintf(stderr, "itsim sweep: %zu of %zu runs failed (recorded in the file)\n", failed,
                 runs);
    return exit_runs_failed;
  }
  return exit_ok;
}

int sweep_command(const std::vector<std::string>& args) {
  MpiSession mpi;
  if (mpi.size() == 1) return run_sweep_command(args, mpi);
  // Under MPI an error on one rank must end the job, or the others would wait for it.
  try {
    const int code = run_sweep_command(args, mpi);
    if (code != exit_ok && code != exit_runs_failed) {
      std::fflush(stdout);
      mpi.abort(code);
    }
    return code;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "itsim sweep (MPI rank %d): %s\n", mpi.rank(), e.what());
    std::fflush(stderr);
    mpi.abort(exit_code_of(e));
    throw;
  }
}

int merge_command(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::string output;
  po::options_description opts(
      "usage: itsim merge -o FILE.h5 SHARD.h5...\n\n"
      "Combines the shard files of one sweep (itsim sweep --shard K/N) into the file a\n"
      "serial sweep writes. Refuses shards of different sweeps, overlapping shards and\n"
      "missing runs.\n\noptions");
  opts.add_options()("help,h", "show this help")("output,o", po::value<std::string>(&output),
                                                 "results file (HDF5) to write")(
      "force", "overwrite an existing results file")(
      "files", po::value<std::vector<std::string>>(&files), "shard files");
  const std::optional<po::variables_map> parsed = parse_options(args, opts);
  if (!parsed) return exit_ok;
  const po::variables_map& vm = *parsed;
  if (output.empty()) throw po::error("--output is required");
  if (files.empty()) throw po::error("expected the shard files");
  analysis::WriteOptions write;
  write.force = vm.count("force") > 0;
  analysis::check_output_path(output, write);
  std::vector<analysis::ResultsFile> shards;
  for (const std::string& f : files) {
    try {
      shards.push_back(analysis::read_results(f));
    } catch (const analysis::ResultsReadError& e) {
      std::fprintf(stderr, "itsim merge: %s\n", e.what());
      return exit_no_input;
    }
  }
  analysis::ResultsFile merged;
  try {
    merged = experiments::merge_shards(shards, files);
  } catch (const experiments::MergeError& e) {
    std::fprintf(stderr, "itsim merge: %s\n", e.what());
    return exit_invalid_scenario;
  }
  shards.clear();
  merged.provenance.itsim_version = ITSIM_VERSION;
  merged.provenance.git_describe = ITSIM_GIT_DESCRIBE;
  merged.provenance.command_line = joined("merge", args);
  analysis::write_results(output, merged, write);
  std::size_t failed = 0;
  for (const auto st : merged.runs.status)
    if (st != analysis::run_status_ok) ++failed;
  print_sweep_summary(merged, merged.runs.size(), failed);
  std::printf("\nresults in %s\n", output.c_str());
  return exit_ok;
}

} // namespace itsim::cli
