// SPDX-License-Identifier: Apache-2.0
// A sweep's results file: /runs with factor columns, /points, /sweep, and the analysis
// that only a whole sweep supports (/sensitivity, /winners), computed from the file's own
// tables so that a merge of shards gives what a serial sweep gives.
#include "itsim/experiments/sweep_results.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "itsim/analysis/confidence.hpp"
#include "itsim/analysis/sensitivity.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/sim/error.hpp"
#include "itsim/sim/random_stream.hpp"

namespace itsim::experiments {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
const char* const points_group = "points";

bool fixed_column(const std::string& name) {
  static const std::set<std::string> fixed = {"run",  "model",  "replication", "point",
                                              "seed", "status", "message"};
  if (fixed.count(name) > 0) return true;
  for (const models::KpiInfo& k : models::kpi_table())
    if (name == k.name) return true;
  return false;
}

template <class T> const std::vector<T>* as(const analysis::ItemValues& v) {
  return std::get_if<std::vector<T>>(&v);
}

std::string attribute(const analysis::Table& t, const std::string& key) {
  for (const auto& [k, v] : t.attributes)
    if (k == key) return v;
  return {};
}

} // namespace

std::string factor_column_name(const std::string& path) {
  std::string name = path;
  std::replace(name.begin(), name.end(), '.', '_');
  return fixed_column(name) ? "factor_" + name : name;
}

std::string shard_file_name(const std::string& output, std::uint32_t k, std::uint32_t n) {
  const std::string tag = ".shard-" + std::to_string(k) + "-of-" + std::to_string(n);
  const std::size_t slash = output.find_last_of('/');
  const std::size_t dot = output.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash) ||
      dot == (slash == std::string::npos ? 0 : slash + 1))
    return output + tag;
  return output.substr(0, dot) + tag + output.substr(dot);
}

analysis::ResultsFile sweep_results(const SweepPlan& plan, std::span<const RunRecord> records,
                                    std::uint32_t shard_k, std::uint32_t shard_n) {
  const scenarios::Scenario& s = plan.base.scenario;
  analysis::ResultsFile f = start_results(s, plan.base.resolved_yaml);
  f.models.clear();
  for (const std::uint32_t m : plan.models)
    f.models.push_back(s.models[m].id);
  const std::string baseline = s.models[s.baseline].id;
  f.baseline = std::find(f.models.begin(), f.models.end(), baseline) != f.models.end()
                   ? baseline
                   : f.models.front();
  // Factor columns, numeric or text.
  const auto& factors = plan.spec.factors;
  std::vector<std::vector<double>> numbers(factors.size());
  std::vector<std::vector<std::string>> texts(factors.size());
  std::vector<double> kpis(models::kpi_count);
  for (const RunRecord& r : records) {
    const RunKey key = plan.run(r.index);
    for (std::size_t k = 0; k < models::kpi_count; ++k)
      kpis[k] = r.kpi[k];
    f.runs.add_run(s.models[key.model].id, key.replication, key.point,
                   sim::derive_stream_seed(s.seed, key.replication, "run"), r.status, r.message,
                   kpis);
    for (std::size_t j = 0; j < factors.size(); ++j) {
      const scenarios::FactorLevel& level = plan.points[key.point][j];
      if (factors[j].numeric()) {
        numbers[j].push_back(*level.number);
      } else {
        texts[j].push_back(level.text);
      }
    }
  }
  analysis::Table points;
  points.group = points_group;
  points.description = "the sweep's design points: the value of every factor at each point";
  points.attributes = {{"design", scenarios::to_string(plan.spec.design)},
                       {"design_seed", std::to_string(plan.spec.design_seed)},
                       {"samples", std::to_string(plan.spec.samples)},
                       {"trajectories", std::to_string(plan.spec.trajectories)},
                       {"levels", std::to_string(plan.spec.levels)},
                       {"constraint", plan.spec.constraint}};
  std::vector<std::uint32_t> index(plan.points.size());
  for (std::uint32_t p = 0; p < index.size(); ++p)
    index[p] = p;
  points.columns.push_back({"point", "", "point index (as /runs point)", index});
  for (std::size_t j = 0; j < factors.size(); ++j) {
    const scenarios::SweepFactor& x = factors[j];
    analysis::FactorColumn c;
    c.name = factor_column_name(x.path);
    c.key_path = x.path;
    c.role = x.lever ? "lever" : "factor";
    c.description = std::string(x.lever ? "lever " : "factor ") + x.path + " at the run's point";
    std::vector<double> point_numbers;
    std::vector<std::string> point_texts;
    for (const auto& pt : plan.points) {
      if (x.numeric()) {
        point_numbers.push_back(*pt[j].number);
      } else {
        point_texts.push_back(pt[j].text);
      }
    }
    if (x.numeric()) {
      c.values = std::move(numbers[j]);
      points.columns.push_back({c.name, "", x.path, std::move(point_numbers)});
    } else {
      c.values = std::move(texts[j]);
      points.columns.push_back({c.name, "", x.path, std::move(point_texts)});
    }
    f.runs.factors.push_back(std::move(c));
  }
  f.tables.push_back(std::move(points));
  analysis::SweepInfo info;
  info.name = plan.spec.name;
  info.yaml = plan.spec.canonical_yaml;
  info.id = plan.id;
  info.runs_total = plan.run_count();
  info.points = static_cast<std::uint32_t>(plan.points.size());
  info.design = scenarios::to_string(plan.spec.design);
  info.shard_index = shard_k;
  info.shard_count = shard_n;
  f.sweep = std::move(info);
  return f;
}

void add_sweep_analysis(analysis::ResultsFile& file) {
  const analysis::Table* points = file.table(points_group);
  if (points == nullptr) throw ModelError("sweep results: no /points table");
  const std::size_t n_points = points->rows();
  const analysis::RunTable& runs = file.runs;

  // Numeric factors, their values per point.
  struct Numeric {
    std::string name, key_path;
    std::vector<double> values;
  };
  std::vector<Numeric> numeric;
  for (const analysis::FactorColumn& c : runs.factors) {
    if (as<double>(c.values) == nullptr) continue;
    const analysis::ItemColumn* pc = points->column(c.name);
    if (pc == nullptr || as<double>(pc->values) == nullptr) continue;
    numeric.push_back({c.name, c.key_path, *as<double>(pc->values)});
  }
  const bool morris = attribute(*points, "design") == "morris";

  // KPI means per (model, point) over ok runs with a finite value.
  const std::size_t n_models = file.models.size();
  std::map<std::string, std::size_t> model_index;
  for (std::size_t m = 0; m < n_models; ++m)
    model_index[file.models[m]] = m;

  analysis::Table sens;
  sens.group = "sensitivity";
  sens.description =
      "which factors move each KPI: standardised (rank) regression coefficients of the "
      "KPI's mean over replications at each point on the numeric factors, and Morris "
      "measures for a Morris design";
  sens.attributes = {{"confidence_level", "0.95"},
                     {"response", "mean over the ok replications at each point"},
                     {"morris_effects", "per traverse of the factor's whole range"}};
  std::vector<std::string> c_model, c_kpi, c_factor, c_path;
  std::vector<double> c_src, c_src_ci, c_srrc, c_srrc_ci, c_r2, c_r2r, c_mu, c_mustar, c_sigma;
  std::vector<std::uint32_t> c_rank;

  std::optional<analysis::MorrisDesign> design;
  if (morris && !numeric.empty()) {
    design = analysis::morris_design(numeric.size(), std::stoul(attribute(*points, "trajectories")),
                                     std::stoull(attribute(*points, "design_seed")),
                                     std::stoul(attribute(*points, "levels")));
  }
  for (std::size_t m = 0; m < n_models; ++m) {
    for (const analysis::KpiColumn& kpi : runs.kpis) {
      std::vector<double> sum(n_points, 0.0), count(n_points, 0.0);
      for (std::size_t i = 0; i < runs.size(); ++i) {
        if (runs.model[i] != file.models[m] || runs.status[i] != analysis::run_status_ok) continue;
        const double v = kpi.values[i];
        if (!std::isfinite(v) || runs.point[i] >= n_points) continue;
        sum[runs.point[i]] += v;
        count[runs.point[i]] += 1;
      }
      std::vector<double> y;
      std::vector<std::vector<double>> x(numeric.size());
      bool complete = true;
      for (std::size_t p = 0; p < n_points; ++p) {
        if (count[p] == 0) {
          complete = false;
          continue;
        }
        y.push_back(sum[p] / count[p]);
        for (std::size_t j = 0; j < numeric.size(); ++j)
          x[j].push_back(numeric[j].values[p]);
      }
      std::vector<double> src(numeric.size(), nan), src_ci = src, srrc = src, srrc_ci = src;
      std::vector<double> mu = src, mustar = src, sigma = src;
      double r2 = nan, r2r = nan;
      if (!numeric.empty()) {
        try {
          const auto v = analysis::standardised_regression(x, y);
          const auto r = analysis::standardised_regression(x, y, analysis::RegressionScale::ranks);
          for (std::size_t j = 0; j < numeric.size(); ++j) {
            src[j] = v.factors[j].coefficient;
            src_ci[j] = v.factors[j].half_width;
            srrc[j] = r.factors[j].coefficient;
            srrc_ci[j] = r.factors[j].half_width;
          }
          r2 = v.r_squared;
          r2r = r.r_squared;
        } catch (const ModelError&) {
          // Too few points for the factors, or collinear factors: no regression measures.
        }
        if (design && complete) {
          try {
            const auto e = analysis::morris_effects(*design, y);
            for (std::size_t j = 0; j < numeric.size(); ++j) {
              mu[j] = e.factors[j].mu;
              mustar[j] = e.factors[j].mu_star;
              sigma[j] = e.factors[j].sigma;
            }
          } catch (const ModelError&) {
          }
        }
      }
      const std::vector<std::size_t> order = analysis::rank_by_magnitude(
          design ? std::span<const double>(mustar) : std::span<const double>(src));
      std::vector<std::uint32_t> rank(numeric.size(), 0);
      for (std::size_t r = 0; r < order.size(); ++r)
        rank[order[r]] = static_cast<std::uint32_t>(r + 1);
      for (std::size_t j = 0; j < numeric.size(); ++j) {
        c_model.push_back(file.models[m]);
        c_kpi.push_back(kpi.name);
        c_factor.push_back(numeric[j].name);
        c_path.push_back(numeric[j].key_path);
        c_src.push_back(src[j]);
        c_src_ci.push_back(src_ci[j]);
        c_srrc.push_back(srrc[j]);
        c_srrc_ci.push_back(srrc_ci[j]);
        c_r2.push_back(r2);
        c_r2r.push_back(r2r);
        c_mu.push_back(mu[j]);
        c_mustar.push_back(mustar[j]);
        c_sigma.push_back(sigma[j]);
        c_rank.push_back(rank[j]);
      }
    }
  }
  using analysis::ItemColumn;
  sens.columns = {
      ItemColumn{"model", "", "model id", std::move(c_model)},
      ItemColumn{"kpi", "", "KPI (a column of /runs)", std::move(c_kpi)},
      ItemColumn{"factor", "", "factor column of /runs and /points", std::move(c_factor)},
      ItemColumn{"key_path", "", "the scenario key the factor sets", std::move(c_path)},
      ItemColumn{"src", "", "standardised regression coefficient", std::move(c_src)},
      ItemColumn{"src_ci", "", "95% CI half-width of src", std::move(c_src_ci)},
      ItemColumn{"srrc", "", "standardised rank regression coefficient", std::move(c_srrc)},
      ItemColumn{"srrc_ci", "", "95% CI half-width of srrc", std::move(c_srrc_ci)},
      ItemColumn{"r2", "share", "R^2 of the linear fit (src is meaningful when high)",
                 std::move(c_r2)},
      ItemColumn{"r2_rank", "share", "R^2 of the rank fit", std::move(c_r2r)},
      ItemColumn{"morris_mu", "", "Morris: mean elementary effect (KPI units per range)",
                 std::move(c_mu)},
      ItemColumn{"morris_mu_star", "", "Morris: mean |elementary effect|", std::move(c_mustar)},
      ItemColumn{"morris_sigma", "", "Morris: sd of the elementary effects", std::move(c_sigma)},
      ItemColumn{"rank", "", "1 = most influential for this model and KPI (by |src|, or mu*)",
                 std::move(c_rank)},
  };
  file.tables.push_back(std::move(sens));

  // Where does each model win? Net value per (point, model, replication).
  const analysis::KpiColumn* net = runs.kpi("net_value");
  analysis::Table win;
  win.group = "winners";
  win.description = "per point, the model with the highest mean net value and its margin over "
                    "the runner-up (paired over replications: common random numbers)";
  win.attributes = {{"kpi", "net_value"}, {"confidence_level", "0.95"}};
  std::vector<std::uint32_t> w_point, w_pairs, w_sig;
  std::vector<std::string> w_best, w_second;
  std::vector<double> w_best_v, w_second_v, w_margin, w_ci;
  if (net != nullptr) {
    // values[point][model] -> replication -> value
    std::vector<std::vector<std::map<std::uint32_t, double>>> v(
        n_points, std::vector<std::map<std::uint32_t, double>>(n_models));
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (runs.status[i] != analysis::run_status_ok || !std::isfinite(net->values[i])) continue;
      if (runs.point[i] >= n_points) continue;
      v[runs.point[i]][model_index[runs.model[i]]][runs.replication[i]] = net->values[i];
    }
    for (std::uint32_t p = 0; p < n_points; ++p) {
      std::vector<std::pair<double, std::size_t>> means;
      for (std::size_t m = 0; m < n_models; ++m) {
        if (v[p][m].empty()) continue;
        double s = 0;
        for (const auto& [rep, x] : v[p][m])
          s += x;
        means.emplace_back(s / double(v[p][m].size()), m);
      }
      std::stable_sort(means.begin(), means.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      w_point.push_back(p);
      w_best.push_back(means.empty() ? "" : file.models[means[0].second]);
      w_best_v.push_back(means.empty() ? nan : means[0].first);
      w_second.push_back(means.size() < 2 ? "" : file.models[means[1].second]);
      w_second_v.push_back(means.size() < 2 ? nan : means[1].first);
      double margin = nan, ci = nan;
      std::uint32_t pairs = 0, sig = 0;
      if (means.size() >= 2) {
        std::vector<double> a, b;
        for (const auto& [rep, x] : v[p][means[0].second]) {
          const auto it = v[p][means[1].second].find(rep);
          if (it == v[p][means[1].second].end()) continue;
          a.push_back(x);
          b.push_back(it->second);
        }
        pairs = static_cast<std::uint32_t>(a.size());
        if (a.size() >= 2) {
          const auto d = analysis::paired_difference(a, b, 0.95);
          margin = d.mean;
          ci = d.half_width;
          sig = d.lower() > 0 ? 1 : 0;
        } else if (a.size() == 1) {
          margin = a[0] - b[0];
        }
      }
      w_margin.push_back(margin);
      w_ci.push_back(ci);
      w_pairs.push_back(pairs);
      w_sig.push_back(sig);
    }
  }
  const std::string unit = net != nullptr ? net->unit : "";
  win.columns = {
      ItemColumn{"point", "", "point index (as /points)", std::move(w_point)},
      ItemColumn{"best_model", "", "model with the highest mean net value", std::move(w_best)},
      ItemColumn{"best_net_value", unit, "its mean net value", std::move(w_best_v)},
      ItemColumn{"runner_up", "", "the second highest", std::move(w_second)},
      ItemColumn{"runner_up_net_value", unit, "its mean net value", std::move(w_second_v)},
      ItemColumn{"margin", unit, "mean paired difference best - runner-up", std::move(w_margin)},
      ItemColumn{"margin_ci", unit, "95% CI half-width of margin (paired t)", std::move(w_ci)},
      ItemColumn{"significant", "", "1 when the margin's CI excludes 0", std::move(w_sig)},
      ItemColumn{"pairs", "", "replications paired", std::move(w_pairs)},
  };
  file.tables.push_back(std::move(win));
}

analysis::ResultsFile merge_shards(std::span<const analysis::ResultsFile> shards,
                                   std::span<const std::string> names) {
  if (shards.empty()) throw MergeError("itsim merge: no shard files given");
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const auto& sw = shards[i].sweep;
    if (!sw || sw->shard_count == 0)
      throw MergeError(names[i] + ": not a shard of a sweep (written by itsim sweep --shard)");
    if (sw->id != shards[0].sweep->id || sw->runs_total != shards[0].sweep->runs_total)
      throw MergeError(names[i] + ": a shard of another sweep (" + sw->name + ", id " + sw->id +
                       ") than " + names[0] + " (" + shards[0].sweep->name + ", id " +
                       shards[0].sweep->id + ")");
    if (shards[i].table(points_group) == nullptr) throw MergeError(names[i] + ": no /points table");
  }
  const analysis::ResultsFile& first = shards[0];
  std::map<std::string, std::size_t> model_order;
  for (std::size_t m = 0; m < first.models.size(); ++m)
    model_order[first.models[m]] = m;
  // Every run once, in run-list order: point, model, replication.
  using Key = std::tuple<std::uint32_t, std::size_t, std::uint32_t>;
  std::map<Key, std::pair<std::size_t, std::size_t>> where; // key -> (shard, row)
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const analysis::RunTable& r = shards[i].runs;
    for (std::size_t row = 0; row < r.size(); ++row) {
      const Key key{r.point[row], model_order.at(r.model[row]), r.replication[row]};
      const auto [it, added] = where.emplace(key, std::make_pair(i, row));
      if (!added)
        throw MergeError(names[i] + ": overlaps " + names[it->second.first] + " (both hold point " +
                         std::to_string(r.point[row]) + ", model " + r.model[row] +
                         ", replication " + std::to_string(r.replication[row]) + ")");
    }
  }
  const std::uint64_t total = first.sweep->runs_total;
  if (where.size() != total) {
    throw MergeError("itsim merge: " + std::to_string(total - where.size()) + " of the sweep's " +
                     std::to_string(total) +
                     " runs are missing; merge every shard (this sweep was "
                     "split into " +
                     std::to_string(first.sweep->shard_count) + ")");
  }
  analysis::ResultsFile out;
  out.scenario = first.scenario;
  out.models = first.models;
  out.baseline = first.baseline;
  out.sweep = first.sweep;
  out.sweep->shard_index = out.sweep->shard_count = 0;
  out.tables.push_back(*first.table(points_group));
  for (const analysis::KpiColumn& k : first.runs.kpis)
    out.runs.kpis.push_back({k.name, k.unit, k.description, {}});
  for (const analysis::FactorColumn& c : first.runs.factors) {
    analysis::FactorColumn e = c;
    std::visit([](auto& v) { v.clear(); }, e.values);
    out.runs.factors.push_back(std::move(e));
  }
  std::vector<double> kpis(first.runs.kpis.size());
  for (const auto& [key, at] : where) {
    const analysis::RunTable& r = shards[at.first].runs;
    const std::size_t row = at.second;
    if (r.kpis.size() != kpis.size() || r.factors.size() != out.runs.factors.size())
      throw MergeError(names[at.first] + ": its columns differ from " + names[0] + "'s");
    for (std::size_t k = 0; k < kpis.size(); ++k)
      kpis[k] = r.kpis[k].values[row];
    out.runs.add_run(r.model[row], r.replication[row], r.point[row], r.seed[row], r.status[row],
                     r.message[row], kpis);
    for (std::size_t j = 0; j < r.factors.size(); ++j) {
      std::visit(
          [&](auto& dst) {
            using V = std::decay_t<decltype(dst)>;
            const V* src = std::get_if<V>(&r.factors[j].values);
            if (src == nullptr)
              throw MergeError(names[at.first] + ": factor " + r.factors[j].name +
                               " has another type than in " + names[0]);
            dst.push_back((*src)[row]);
          },
          out.runs.factors[j].values);
    }
  }
  add_sweep_analysis(out);
  return out;
}

} // namespace itsim::experiments
