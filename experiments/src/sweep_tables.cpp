// SPDX-License-Identifier: Apache-2.0
// The analysis tables of a whole sweep, each a vector of row structs built from /runs and
// /points, written by the generic row_table().
#include "itsim/experiments/sweep_tables.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "itsim/analysis/confidence.hpp"
#include "itsim/experiments/row_table.hpp"
#include "itsim/sim/error.hpp"

namespace itsim::experiments {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

const std::vector<double>* numbers(const analysis::ItemValues& v) {
  return std::get_if<std::vector<double>>(&v);
}

std::string attribute(const analysis::Table& t, const std::string& key) {
  for (const auto& [k, v] : t.attributes)
    if (k == key) return v;
  return {};
}

// The regression and Morris measures of one model and KPI, one entry per factor.
struct Measures {
  std::vector<double> src, src_ci, srrc, srrc_ci, mu, mu_star, sigma;
  double r2 = nan;
  double r2_rank = nan;
  std::string regression_left_out;
  std::string morris_left_out;

  explicit Measures(std::size_t k)
      : src(k, nan), src_ci(k, nan), srrc(k, nan), srrc_ci(k, nan), mu(k, nan), mu_star(k, nan),
        sigma(k, nan) {}
};

// SRC and SRRC of `means` (NaN where a point has no mean) on the factors, over the points
// that have a mean.
void add_regression(std::span<const NumericFactor> factors, std::span<const double> means,
                    Measures& out) {
  std::vector<double> y;
  std::vector<std::vector<double>> x(factors.size());
  for (std::size_t p = 0; p < means.size(); ++p) {
    if (std::isnan(means[p])) continue;
    y.push_back(means[p]);
    for (std::size_t j = 0; j < factors.size(); ++j)
      x[j].push_back(factors[j].values[p]);
  }
  // standardised_regression() throws ModelError for what only the data can show: fewer
  // points with a mean than varying factors + 2 (a small grid; points where every run of
  // the model failed), or collinear factors (two factors moved in lockstep by a zip
  // design). The measures then stay NaN, as docs/sweeps.md says, and the reason goes to
  // the table's attribute regression_left_out. The other reasons it throws for (no
  // factors, columns of other lengths, a bad level) cannot arise here.
  try {
    const auto v = analysis::standardised_regression(x, y);
    const auto r = analysis::standardised_regression(x, y, analysis::RegressionScale::ranks);
    for (std::size_t j = 0; j < factors.size(); ++j) {
      out.src[j] = v.factors[j].coefficient;
      out.src_ci[j] = v.factors[j].half_width;
      out.srrc[j] = r.factors[j].coefficient;
      out.srrc_ci[j] = r.factors[j].half_width;
    }
    out.r2 = v.r_squared;
    out.r2_rank = r.r_squared;
  } catch (const ModelError& e) {
    out.regression_left_out = e.what();
  }
}

// Morris measures of `means`, which need a mean at every point of the design.
void add_morris(const analysis::MorrisDesign& design, std::span<const double> means,
                Measures& out) {
  // morris_effects() throws only for a malformed design, a response count other than the
  // design's points (both excluded by sweep_morris_design() and sensitivity_rows()) or a
  // non-finite response, which is checked here.
  for (std::size_t p = 0; p < means.size(); ++p) {
    if (!std::isfinite(means[p])) {
      out.morris_left_out =
          "point " + std::to_string(p) + " has no ok run with a finite value (Morris needs all)";
      return;
    }
  }
  const auto e = analysis::morris_effects(design, means);
  for (std::size_t j = 0; j < e.factors.size(); ++j) {
    out.mu[j] = e.factors[j].mu;
    out.mu_star[j] = e.factors[j].mu_star;
    out.sigma[j] = e.factors[j].sigma;
  }
}

// "reason (N model-KPI pairs); reason (M ...)": each distinct non-empty reason of the rows'
// (model, KPI) pairs once, in first-seen order. Every factor row of a pair carries the
// pair's reason, so a pair is counted on its first factor's row.
std::string left_out_summary(std::span<const SensitivityRow> rows,
                             std::string SensitivityRow::*reason) {
  std::vector<std::pair<std::string, std::size_t>> reasons;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const SensitivityRow& r = rows[i];
    const bool first_of_pair = i == 0 || rows[i - 1].model != r.model || rows[i - 1].kpi != r.kpi;
    if (!first_of_pair || (r.*reason).empty()) continue;
    auto it = std::find_if(reasons.begin(), reasons.end(),
                           [&](const auto& x) { return x.first == r.*reason; });
    if (it == reasons.end()) {
      reasons.emplace_back(r.*reason, 1);
    } else {
      ++it->second;
    }
  }
  std::string out;
  for (const auto& [text, count] : reasons) {
    if (!out.empty()) out += "; ";
    out += text + " (" + std::to_string(count) +
           (count == 1 ? " model-KPI pair)" : " model-KPI pairs)");
  }
  return out;
}

} // namespace

std::vector<NumericFactor> numeric_factors(const analysis::RunTable& runs,
                                           const analysis::Table& points) {
  std::vector<NumericFactor> out;
  for (const analysis::FactorColumn& c : runs.factors) {
    if (numbers(c.values) == nullptr) continue;
    const analysis::ItemColumn* pc = points.column(c.name);
    if (pc == nullptr || numbers(pc->values) == nullptr) continue;
    out.push_back({c.name, c.key_path, *numbers(pc->values)});
  }
  return out;
}

std::optional<analysis::MorrisDesign> sweep_morris_design(const analysis::Table& points,
                                                          std::size_t factor_count) {
  if (attribute(points, "design") != "morris" || factor_count == 0) return std::nullopt;
  analysis::MorrisDesign d = analysis::morris_design(
      factor_count, std::stoul(attribute(points, "trajectories")),
      std::stoull(attribute(points, "design_seed")), std::stoul(attribute(points, "levels")));
  if (d.point_count() != points.rows()) {
    throw ModelError("sweep results: /points has " + std::to_string(points.rows()) +
                     " rows, but its Morris design (" + std::to_string(factor_count) +
                     " factors, " + attribute(points, "trajectories") + " trajectories) has " +
                     std::to_string(d.point_count()) + " points");
  }
  return d;
}

std::vector<double> point_means(const analysis::RunTable& runs, std::string_view model,
                                std::span<const double> kpi_values, std::size_t point_count) {
  std::vector<std::vector<double>> values(point_count);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs.model[i] != model || runs.status[i] != analysis::run_status_ok) continue;
    const double v = kpi_values[i];
    if (!std::isfinite(v) || runs.point[i] >= point_count) continue;
    values[runs.point[i]].push_back(v);
  }
  std::vector<double> means(point_count, nan);
  for (std::size_t p = 0; p < point_count; ++p)
    if (!values[p].empty()) means[p] = analysis::sample_mean(values[p]);
  return means;
}

std::vector<SensitivityRow> sensitivity_rows(const analysis::RunTable& runs,
                                             std::span<const std::string> models,
                                             std::span<const NumericFactor> factors,
                                             std::size_t point_count,
                                             const analysis::MorrisDesign* morris) {
  if (factors.empty()) return {};
  std::vector<std::string> kpis;
  std::vector<std::vector<double>> means;
  for (const analysis::KpiColumn& kpi : runs.kpis)
    kpis.push_back(kpi.name);
  for (const std::string& model : models)
    for (const analysis::KpiColumn& kpi : runs.kpis)
      means.push_back(point_means(runs, model, kpi.values, point_count));
  return sensitivity_rows(models, kpis, means, factors, point_count, morris);
}

std::vector<SensitivityRow>
sensitivity_rows(std::span<const std::string> models, std::span<const std::string> kpis,
                 std::span<const std::vector<double>> means, std::span<const NumericFactor> factors,
                 std::size_t point_count, const analysis::MorrisDesign* morris) {
  std::vector<SensitivityRow> rows;
  if (factors.empty()) return rows;
  if (means.size() != models.size() * kpis.size())
    throw ModelError("sweep results: point means for every model and KPI are needed");
  for (const NumericFactor& f : factors) {
    if (f.values.size() != point_count)
      throw ModelError("sweep results: factor " + f.name + " has " +
                       std::to_string(f.values.size()) + " values for " +
                       std::to_string(point_count) + " points");
  }
  if (morris != nullptr &&
      (morris->point_count() != point_count || morris->factors != factors.size())) {
    throw ModelError("sweep results: the Morris design does not match the points or factors");
  }
  const std::size_t k = factors.size();
  for (std::size_t mi = 0; mi < models.size(); ++mi) {
    for (std::size_t ki = 0; ki < kpis.size(); ++ki) {
      const std::vector<double>& point_mean = means[mi * kpis.size() + ki];
      Measures m(k);
      add_regression(factors, point_mean, m);
      if (morris != nullptr) add_morris(*morris, point_mean, m);
      const std::vector<std::size_t> order =
          analysis::rank_by_magnitude(morris != nullptr ? m.mu_star : m.src);
      std::vector<std::uint32_t> rank(k, 0);
      for (std::size_t r = 0; r < order.size(); ++r)
        rank[order[r]] = static_cast<std::uint32_t>(r + 1);
      for (std::size_t j = 0; j < k; ++j) {
        rows.push_back({models[mi], kpis[ki], factors[j].name, factors[j].key_path, m.src[j],
                        m.src_ci[j], m.srrc[j], m.srrc_ci[j], m.r2, m.r2_rank, m.mu[j],
                        m.mu_star[j], m.sigma[j], rank[j], m.regression_left_out,
                        m.morris_left_out});
      }
    }
  }
  return rows;
}

analysis::Table sensitivity_table(std::span<const SensitivityRow> rows) {
  using R = SensitivityRow;
  static const std::vector<RowColumn<R>> columns = {
      {"model", "", "model id", &R::model},
      {"kpi", "", "KPI (a column of /runs)", &R::kpi},
      {"factor", "", "factor column of /runs and /points", &R::factor},
      {"key_path", "", "the scenario key the factor sets", &R::key_path},
      {"src", "", "standardised regression coefficient", &R::src},
      {"src_ci", "", "95% CI half-width of src", &R::src_ci},
      {"srrc", "", "standardised rank regression coefficient", &R::srrc},
      {"srrc_ci", "", "95% CI half-width of srrc", &R::srrc_ci},
      {"r2", "share", "R^2 of the linear fit (src is meaningful when high)", &R::r2},
      {"r2_rank", "share", "R^2 of the rank fit", &R::r2_rank},
      {"morris_mu", "", "Morris: mean elementary effect (KPI units per range)", &R::morris_mu},
      {"morris_mu_star", "", "Morris: mean |elementary effect|", &R::morris_mu_star},
      {"morris_sigma", "", "Morris: sd of the elementary effects", &R::morris_sigma},
      {"rank", "", "1 = most influential for this model and KPI (by |src|, or mu*)", &R::rank},
  };
  std::vector<std::pair<std::string, std::string>> attributes = {
      {"confidence_level", "0.95"},
      {"response", "mean over the ok replications at each point"},
      {"morris_effects", "per traverse of the factor's whole range"}};
  if (std::string s = left_out_summary(rows, &R::regression_left_out); !s.empty())
    attributes.emplace_back("regression_left_out", std::move(s));
  if (std::string s = left_out_summary(rows, &R::morris_left_out); !s.empty())
    attributes.emplace_back("morris_left_out", std::move(s));
  return row_table<R>("sensitivity",
                      "which factors move each KPI: standardised (rank) regression coefficients "
                      "of the KPI's mean over replications at each point on the numeric "
                      "factors, and Morris measures for a Morris design",
                      std::move(attributes), rows, columns);
}

std::vector<WinnerRow> winner_rows(const analysis::RunTable& runs,
                                   std::span<const std::string> models,
                                   std::span<const double> kpi_values, std::size_t point_count) {
  // values[point][model]: replication -> value, over the ok runs with a finite value.
  std::map<std::string_view, std::size_t> model_index;
  for (std::size_t m = 0; m < models.size(); ++m)
    model_index.emplace(models[m], m);
  std::vector<std::vector<std::map<std::uint32_t, double>>> values(
      point_count, std::vector<std::map<std::uint32_t, double>>(models.size()));
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (runs.status[i] != analysis::run_status_ok || !std::isfinite(kpi_values[i])) continue;
    const auto m = model_index.find(runs.model[i]);
    if (runs.point[i] >= point_count || m == model_index.end()) continue;
    values[runs.point[i]][m->second][runs.replication[i]] = kpi_values[i];
  }
  std::vector<WinnerRow> rows;
  rows.reserve(point_count);
  std::vector<double> a, b;
  for (std::size_t p = 0; p < point_count; ++p) {
    const auto& at = values[p];
    // (mean, model) of every model with a value here, best first; ties keep model order.
    std::vector<std::pair<double, std::size_t>> means;
    for (std::size_t m = 0; m < models.size(); ++m) {
      if (at[m].empty()) continue;
      a.clear();
      for (const auto& [rep, x] : at[m])
        a.push_back(x);
      means.emplace_back(analysis::sample_mean(a), m);
    }
    std::stable_sort(means.begin(), means.end(),
                     [](const auto& x, const auto& y) { return x.first > y.first; });
    WinnerRow row;
    row.point = static_cast<std::uint32_t>(p);
    if (!means.empty()) {
      row.best_model = models[means[0].second];
      row.best_value = means[0].first;
    }
    if (means.size() >= 2) {
      row.runner_up = models[means[1].second];
      row.runner_up_value = means[1].first;
      // The replications both ran, paired: common random numbers make the difference
      // sharper than the two means' intervals.
      const auto& best = at[means[0].second];
      const auto& second = at[means[1].second];
      a.clear();
      b.clear();
      for (const auto& [rep, x] : best) {
        const auto it = second.find(rep);
        if (it == second.end()) continue;
        a.push_back(x);
        b.push_back(it->second);
      }
      row.pairs = static_cast<std::uint32_t>(a.size());
      if (a.size() >= 2) {
        const auto d = analysis::paired_difference(a, b, 0.95);
        row.margin = d.mean;
        row.margin_ci = d.half_width;
        row.significant = d.lower() > 0 ? 1 : 0;
      } else if (a.size() == 1) {
        row.margin = a[0] - b[0];
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

analysis::Table winners_table(std::span<const WinnerRow> rows, const std::string& unit) {
  using R = WinnerRow;
  const std::vector<RowColumn<R>> columns = {
      {"point", "", "point index (as /points)", &R::point},
      {"best_model", "", "model with the highest mean net value", &R::best_model},
      {"best_net_value", unit, "its mean net value", &R::best_value},
      {"runner_up", "", "the second highest", &R::runner_up},
      {"runner_up_net_value", unit, "its mean net value", &R::runner_up_value},
      {"margin", unit, "mean paired difference best - runner-up", &R::margin},
      {"margin_ci", unit, "95% CI half-width of margin (paired t)", &R::margin_ci},
      {"significant", "", "1 when the margin's CI excludes 0", &R::significant},
      {"pairs", "", "replications paired", &R::pairs},
  };
  return row_table<R>("winners",
                      "per point, the model with the highest mean net value and its margin over "
                      "the runner-up (paired over replications: common random numbers)",
                      {{"kpi", "net_value"}, {"confidence_level", "0.95"}}, rows, columns);
}

} // namespace itsim::experiments
