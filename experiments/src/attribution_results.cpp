// SPDX-License-Identifier: Apache-2.0
// `itsim explain`'s results file: the baseline's and the model's runs as `itsim run` writes
// them, and the tables /attribution, /attribution_replications and /attribution_variants
// (docs/results-format.md).
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "itsim/experiments/attribution.hpp"
#include "itsim/experiments/run_results.hpp"
#include "table_text.hpp"

namespace itsim::experiments {

namespace {

using scenarios::Scenario;

double nan() {
  return std::numeric_limits<double>::quiet_NaN();
}

} // namespace

analysis::ResultsFile attribution_results(const Scenario& s, const AttributionPlan& plan,
                                          const Attribution& a, std::string yaml_resolved) {
  Scenario two = s;
  two.models = {s.models.at(plan.baseline), s.models.at(plan.target)};
  two.baseline = 0;
  analysis::ResultsFile file = start_results(two, std::move(yaml_resolved));
  add_runs(file, two, a.baseline_runs, 0, 0, false);
  add_runs(file, two, a.target_runs, 0, 0, false);

  using analysis::ItemColumn;
  const auto strings = detail::string_column;
  const auto numbers = detail::number_column;
  const auto push = [](ItemColumn& c, auto value) { detail::push_value(c, std::move(value)); };
  std::string names;
  for (const std::string& n : a.switches)
    names += (names.empty() ? "" : ",") + n;
  const std::vector<std::pair<std::string, std::string>> attributes = {
      {"model", a.model},
      {"baseline", a.baseline},
      {"method", a.one_at_a_time ? "one_at_a_time" : "shapley"},
      {"switches", names},
      {"level", std::to_string(a.level)}};

  analysis::Table summary;
  summary.group = attribution_group;
  summary.description = "the paired difference of each KPI between the model and the baseline, "
                        "split into structure and one term per mechanism switch";
  summary.attributes = attributes;
  summary.columns = {
      strings("model", "the model explained"),
      strings("baseline", "the model it is compared with"),
      strings("kpi", "the KPI (a /runs column)"),
      strings("unit", "the KPI's unit"),
      strings("mechanism", "structure, a switch, or total"),
      strings("description", "what the term stands for"),
      numbers("shapley_mean", "",
              "Shapley value (structure: v(none); total: v(all)), mean over replications"),
      numbers("shapley_ci", "", "its t-interval half-width across replications"),
      numbers("one_at_a_time_mean", "",
              "v(all) - v(all but this switch), mean over replications; NaN for structure and "
              "total"),
      numbers("one_at_a_time_ci", "", "its t-interval half-width"),
      ItemColumn{"replications", "", "replications behind the term", std::vector<std::uint32_t>{}}};
  analysis::Table per_rep;
  per_rep.group = attribution_replications_group;
  per_rep.description = "each term of /attribution per replication";
  per_rep.attributes = attributes;
  per_rep.columns = {
      strings("kpi", "the KPI"), strings("mechanism", "structure, a switch or total"),
      ItemColumn{"replication", "", "replication index", std::vector<std::uint32_t>{}},
      numbers("shapley", "", "Shapley value in this replication"),
      numbers("one_at_a_time", "", "one-at-a-time effect in this replication")};
  analysis::Table variants;
  variants.group = attribution_variants_group;
  variants.description = "v(S): the model with only the switches S on, minus the baseline, per "
                         "replication (paired)";
  variants.attributes = attributes;
  variants.columns = {
      strings("kpi", "the KPI"),
      strings("switches_on", "the switches kept on, joined by '+' ('' for none)"),
      ItemColumn{"replication", "", "replication index", std::vector<std::uint32_t>{}},
      numbers("difference", "", "KPI of the variant minus the baseline's")};

  for (std::size_t q = 0; q < a.kpis.size(); ++q) {
    const KpiAttribution& k = a.kpis[q];
    for (const AttributionTerm& t : k.terms) {
      push(summary.columns[0], a.model);
      push(summary.columns[1], a.baseline);
      push(summary.columns[2], k.kpi);
      push(summary.columns[3], k.unit);
      push(summary.columns[4], t.mechanism);
      push(summary.columns[5], t.description);
      push(summary.columns[6], t.shapley_mean);
      push(summary.columns[7], t.shapley_ci);
      push(summary.columns[8], t.one_at_a_time_mean);
      push(summary.columns[9], t.one_at_a_time_ci);
      push(summary.columns[10], static_cast<std::uint32_t>(k.replications.size()));
      for (std::size_t i = 0; i < k.replications.size(); ++i) {
        push(per_rep.columns[0], k.kpi);
        push(per_rep.columns[1], t.mechanism);
        push(per_rep.columns[2], k.replications[i]);
        push(per_rep.columns[3], i < t.shapley.size() ? t.shapley[i] : nan());
        push(per_rep.columns[4], i < t.one_at_a_time.size() ? t.one_at_a_time[i] : nan());
      }
    }
    for (std::size_t j = 0; j < a.variants.size(); ++j) {
      std::string on;
      for (std::size_t i = 0; i < a.switches.size(); ++i)
        if (a.variants[j] >> i & 1U) on += (on.empty() ? "" : "+") + a.switches[i];
      for (std::size_t r = 0; r < a.differences[q][j].size(); ++r) {
        push(variants.columns[0], k.kpi);
        push(variants.columns[1], on);
        push(variants.columns[2], static_cast<std::uint32_t>(r));
        push(variants.columns[3], a.differences[q][j][r]);
      }
    }
  }
  file.tables.push_back(std::move(summary));
  file.tables.push_back(std::move(per_rep));
  file.tables.push_back(std::move(variants));
  return file;
}

} // namespace itsim::experiments
