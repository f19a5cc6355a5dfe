// SPDX-License-Identifier: Apache-2.0
#include "itsim/experiments/precision.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>
#include <utility>

#include "itsim/analysis/results.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/sim/error.hpp"

namespace itsim::experiments {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

/// A KPI's CI half-width relative to its |mean|.
double relative_half_width(const analysis::KpiSummary& k) {
  if (k.n < 2 || !std::isfinite(k.ci_half_width)) return infinity;
  if (k.ci_half_width == 0) return 0; // every replication agrees
  return std::fabs(k.mean) > 0 ? k.ci_half_width / std::fabs(k.mean) : infinity;
}

} // namespace

PrecisionCheck check_precision(const analysis::Summary& summary, const PrecisionTarget& target) {
  std::vector<std::size_t> columns;
  for (const std::string& name : target.kpis) {
    const auto at = std::find(summary.kpi_names.begin(), summary.kpi_names.end(), name);
    if (at == summary.kpi_names.end()) throw Error("precision: no KPI '" + name + "'");
    columns.push_back(static_cast<std::size_t>(at - summary.kpi_names.begin()));
  }
  PrecisionCheck c;
  c.met = true;
  for (const analysis::SummaryRow& row : summary.rows) {
    for (std::size_t j = 0; j < columns.size(); ++j) {
      const double relative = relative_half_width(row.kpis[columns[j]]);
      const double ratio = relative / target.relative;
      if (ratio > 1) c.met = false;
      if (ratio > c.worst_ratio || c.worst_model.empty()) {
        c.worst_ratio = ratio;
        c.worst_model = row.model;
        c.worst_kpi = target.kpis[j];
        c.worst_relative = relative;
      }
    }
  }
  return c;
}

std::uint32_t next_replications(const PrecisionCheck& check, const PrecisionTarget& target,
                                std::uint32_t n) {
  const double have = n;
  double want = std::isfinite(check.worst_ratio)
                    ? std::ceil(1.1 * have * check.worst_ratio * check.worst_ratio)
                    : 2.0 * have;
  want = std::clamp(want, have + 1, std::max(4.0 * have, have + 1));
  return static_cast<std::uint32_t>(std::min<double>(want, target.max_replications));
}

std::string describe_precision(const PrecisionCheck& check, const PrecisionTarget& target,
                               std::uint32_t n) {
  char buf[320];
  if (check.met) {
    std::snprintf(buf, sizeof buf,
                  "precision: every model within ±%.3g%% of the mean on each --precision-kpi "
                  "after %u replications (widest: %s %s ±%.3g%%)",
                  100 * target.relative, n, check.worst_model.c_str(), check.worst_kpi.c_str(),
                  100 * check.worst_relative);
  } else {
    std::snprintf(buf, sizeof buf,
                  "precision: NOT reached after %u replications (--max-replications): %s %s "
                  "±%.3g%% of its mean, target ±%.3g%%",
                  n, check.worst_model.c_str(), check.worst_kpi.c_str(), 100 * check.worst_relative,
                  100 * target.relative);
  }
  return buf;
}

PrecisionRun run_to_precision(const scenarios::Scenario& s, const PrecisionTarget& target,
                              const ExperimentOptions& options) {
  PrecisionRun out;
  ExperimentOptions batch_options = options;
  // Progress over all batches so far: the runs of earlier batches are added to each report.
  RunProgress before;
  const auto started = std::chrono::steady_clock::now();
  if (options.scheduler.progress) {
    batch_options.scheduler.progress = [&before, &options, started](const RunProgress& p) {
      RunProgress all = p;
      all.done += before.done;
      all.total += before.total;
      all.failed += before.failed;
      all.elapsed_s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      options.scheduler.progress(all);
    };
  }
  std::uint32_t next = options.replications > 0 ? options.replications : s.replications;
  for (;;) {
    batch_options.first_replication = options.first_replication + out.replications;
    batch_options.replications = next - out.replications;
    std::vector<ExperimentRun> batch = run_experiment(s, batch_options);
    before.done += batch.size();
    before.total += batch.size();
    for (const ExperimentRun& run : batch)
      if (!run.ok) ++before.failed;
    std::move(batch.begin(), batch.end(), std::back_inserter(out.runs));
    out.replications = next;
    // Model by model, replications in order, as one run_experiment gives them.
    std::stable_sort(out.runs.begin(), out.runs.end(), [](const auto& a, const auto& b) {
      return a.model != b.model ? a.model < b.model : a.replication < b.replication;
    });
    analysis::ResultsFile probe = start_results(s, "");
    add_runs(probe, s, out.runs, 0, 0, false);
    out.check = check_precision(analysis::summarize(probe, target.level), target);
    if (out.check.met || out.replications >= target.max_replications) break;
    next = next_replications(out.check, target, out.replications);
  }
  return out;
}

} // namespace itsim::experiments
