// SPDX-License-Identifier: Apache-2.0
#include "itsim/experiments/sweep_plan.hpp"

#include <muParser.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "itsim/analysis/design.hpp"
#include "itsim/scenarios/input_error.hpp"
#include "itsim/sim/error.hpp"
#include "itsim/sim/format.hpp"

namespace itsim::experiments {

using scenarios::Diagnostics;
using scenarios::FactorLevel;
using scenarios::SweepFactor;

std::uint64_t SweepPlan::run_count() const {
  return std::uint64_t{points.size()} * models.size() * replications;
}

RunKey SweepPlan::run(std::uint64_t index) const {
  RunKey k;
  k.replication = static_cast<std::uint32_t>(index % replications);
  index /= replications;
  k.model = models[static_cast<std::size_t>(index % models.size())];
  k.point = static_cast<std::uint32_t>(index / models.size());
  return k;
}

std::uint64_t SweepPlan::index_of(const RunKey& key) const {
  const auto m = static_cast<std::uint64_t>(std::find(models.begin(), models.end(), key.model) -
                                            models.begin());
  return (std::uint64_t{key.point} * models.size() + m) * replications + key.replication;
}

std::vector<std::string> SweepPlan::point_overrides(std::uint32_t point) const {
  std::vector<std::string> out = base_overrides;
  for (std::size_t j = 0; j < spec.factors.size(); ++j)
    out.push_back(spec.factors[j].path + "=" + points[point][j].text);
  return out;
}

namespace {

/// 64-bit FNV-1a: the sweep's identity (not a security hash; it tells sweeps apart).
std::uint64_t fnv1a(std::string_view text, std::uint64_t h = 1469598103934665603ULL) {
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

std::string factor_key(const SweepFactor& f) {
  return std::string(f.lever ? "levers." : "factors.") + f.path;
}

/// The level a unit coordinate u selects: a value in the range (rounded for integers),
/// or one of the listed values.
FactorLevel level_at(const SweepFactor& f, double u) {
  if (!f.levels.empty()) return f.levels[analysis::level_of(u, f.levels.size())];
  double v = *f.min + u * (*f.max - *f.min);
  if (u >= 1) v = *f.max;
  if (f.integer) v = std::clamp(std::round(v), *f.min, *f.max);
  return {format_double(v) + f.suffix, v};
}

/// The values to try each factor with before running: its list, or a range's ends.
std::vector<FactorLevel> probe_levels(const SweepFactor& f) {
  if (!f.levels.empty()) return f.levels;
  std::vector<FactorLevel> out = {level_at(f, 0.0)};
  if (*f.max != *f.min) out.push_back(level_at(f, 1.0));
  return out;
}

class Planner {
public:
  Planner(const scenarios::SweepSpec& spec, Diagnostics& diags, std::size_t max_points)
      : spec_(spec), diags_(diags), max_points_(max_points) {}

  std::optional<SweepPlan> plan() {
    SweepPlan p;
    p.spec = spec_;
    p.base_overrides = spec_.overrides;
    if (spec_.seed) p.base_overrides.push_back("seed=" + std::to_string(*spec_.seed));
    if (spec_.replications)
      p.base_overrides.push_back("replications=" + std::to_string(*spec_.replications));
    try {
      Diagnostics d;
      composed_ = scenarios::ComposedScenario::open(spec_.scenario_path, d);
      for (const scenarios::Diagnostic& x : d.all())
        if (x.severity == scenarios::Diagnostic::Severity::error)
          diags_.error(x.where, x.key_path, x.message);
      if (!composed_) return std::nullopt;
    } catch (const scenarios::InputError& e) {
      diags_.error(spec_.scenario_where, "scenario", e.what());
      return std::nullopt;
    }
    p.composed = composed_;
    std::optional<scenarios::LoadedScenario> base = load(p.base_overrides, nullptr);
    if (!base) return std::nullopt;
    p.base = std::move(*base);
    p.replications = p.base.scenario.replications;
    if (!pick_models(p)) return std::nullopt;
    scenarios::check_sweep_paths(spec_, p.base, diags_);
    if (diags_.has_errors()) return std::nullopt;
    for (const SweepFactor& f : spec_.factors)
      for (const FactorLevel& level : probe_levels(f))
        check_level(p.base_overrides, f, level);
    if (diags_.has_errors()) return std::nullopt;
    if (!make_points(p)) return std::nullopt;
    if (!spec_.constraint.empty() && !apply_constraint(p)) return std::nullopt;
    std::uint64_t h = fnv1a(spec_.canonical_yaml);
    h = fnv1a("\n--- itsim sweep id v1\n", h);
    h = fnv1a(p.base.resolved_yaml, h);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    p.id = hex;
    return p;
  }

private:
  /// Loads the scenario with `overrides`; errors from the sweep's own `set` entries are
  /// located there, those of a factor value at `factor` (when given).
  std::optional<scenarios::LoadedScenario>
  load(const std::vector<std::string>& overrides,
       const std::pair<const SweepFactor*, std::string>* factor) {
    Diagnostics d;
    std::optional<scenarios::LoadedScenario> s = composed_->load(overrides, d);
    for (const scenarios::Diagnostic& x : d.all()) {
      if (x.severity != scenarios::Diagnostic::Severity::error) continue;
      if (x.where.file == "--set") {
        // The N-th override is reported at line N of "--set".
        const auto n = static_cast<std::size_t>(std::max(1, x.where.line));
        if (factor != nullptr && n == overrides.size()) {
          diags_.error(factor->first->where, factor_key(*factor->first),
                       "value " + scenarios::quote(factor->second) + ": " + x.message);
        } else if (n <= spec_.override_where.size()) {
          diags_.error(spec_.override_where[n - 1], "set." + x.key_path, x.message);
        } else {
          diags_.error(spec_.scenario_where, x.key_path, x.message);
        }
      } else if (factor != nullptr) {
        diags_.error(factor->first->where, factor_key(*factor->first),
                     "value " + scenarios::quote(factor->second) +
                         " makes the scenario invalid: " + x.format());
      } else {
        diags_.error(x.where, x.key_path, x.message);
      }
    }
    if (d.has_errors()) return std::nullopt;
    return s;
  }

  void check_level(const std::vector<std::string>& base, const SweepFactor& f,
                   const FactorLevel& level) {
    std::vector<std::string> overrides = base;
    overrides.push_back(f.path + "=" + level.text);
    const std::pair<const SweepFactor*, std::string> factor{&f, level.text};
    (void)load(overrides, &factor);
  }

  bool pick_models(SweepPlan& p) {
    const auto& models = p.base.scenario.models;
    if (spec_.models.empty()) {
      for (std::uint32_t m = 0; m < models.size(); ++m)
        p.models.push_back(m);
      return true;
    }
    std::vector<std::string> ids;
    for (const auto& m : models)
      ids.push_back(m.id);
    std::vector<bool> chosen(models.size(), false);
    for (const std::string& id : spec_.models) {
      const auto it = std::find(ids.begin(), ids.end(), id);
      if (it == ids.end()) {
        std::string msg = "the scenario has no model " + scenarios::quote(id);
        if (const std::string g = scenarios::did_you_mean(id, ids); !g.empty())
          msg += "; did you mean " + scenarios::quote(g) + "?";
        diags_.error(spec_.models_where, "models", msg);
        continue;
      }
      chosen[static_cast<std::size_t>(it - ids.begin())] = true;
    }
    for (std::uint32_t m = 0; m < models.size(); ++m)
      if (chosen[m]) p.models.push_back(m);
    return !diags_.has_errors();
  }

  bool make_points(SweepPlan& p) {
    std::vector<const SweepFactor*> design, levers;
    for (const SweepFactor& f : spec_.factors)
      (f.lever ? levers : design).push_back(&f);
    // Design points over the uncertainties, as levels in `design` order.
    std::vector<std::vector<FactorLevel>> dpoints;
    const std::size_t k = design.size();
    try {
      switch (spec_.design) {
      case scenarios::DesignType::grid: {
        std::vector<std::size_t> counts;
        for (const SweepFactor* f : design)
          counts.push_back(f->levels.size());
        for (const auto& idx : analysis::full_factorial(counts, max_points_)) {
          std::vector<FactorLevel> pt;
          for (std::size_t j = 0; j < k; ++j)
            pt.push_back(design[j]->levels[idx[j]]);
          dpoints.push_back(std::move(pt));
        }
        break;
      }
      case scenarios::DesignType::zip: {
        const std::size_t n = k == 0 ? 1 : design.front()->levels.size();
        for (std::size_t i = 0; i < n; ++i) {
          std::vector<FactorLevel> pt;
          for (const SweepFactor* f : design)
            pt.push_back(f->levels[i]);
          dpoints.push_back(std::move(pt));
        }
        break;
      }
      case scenarios::DesignType::random:
      case scenarios::DesignType::lhs: {
        const auto unit = spec_.design == scenarios::DesignType::lhs
                              ? analysis::latin_hypercube(k, spec_.samples, spec_.design_seed)
                              : analysis::random_design(k, spec_.samples, spec_.design_seed);
        for (const auto& u : unit) {
          std::vector<FactorLevel> pt;
          for (std::size_t j = 0; j < k; ++j)
            pt.push_back(level_at(*design[j], u[j]));
          dpoints.push_back(std::move(pt));
        }
        break;
      }
      case scenarios::DesignType::morris: {
        p.morris = analysis::morris_design(k, spec_.trajectories, spec_.design_seed, spec_.levels);
        for (const auto& u : p.morris->points()) {
          std::vector<FactorLevel> pt;
          for (std::size_t j = 0; j < k; ++j)
            pt.push_back(level_at(*design[j], u[j]));
          dpoints.push_back(std::move(pt));
        }
        break;
      }
      }
    } catch (const ModelError& e) {
      diags_.error(spec_.design_where, "design", e.what());
      return false;
    }
    // Cross with the levers, the last fastest.
    std::vector<std::size_t> counts;
    for (const SweepFactor* f : levers)
      counts.push_back(f->levels.size());
    const auto combos = analysis::full_factorial(counts, max_points_);
    if (dpoints.size() * combos.size() > max_points_) {
      diags_.error(spec_.design_where, "design",
                   "the design has " + std::to_string(dpoints.size() * combos.size()) +
                       " points, more than " + std::to_string(max_points_));
      return false;
    }
    for (const auto& d : dpoints) {
      for (const auto& c : combos) {
        std::vector<FactorLevel> pt;
        std::size_t di = 0, li = 0;
        for (const SweepFactor& f : spec_.factors) {
          if (f.lever) {
            pt.push_back(levers[li]->levels[c[li]]);
            ++li;
          } else {
            pt.push_back(d[di++]);
          }
        }
        p.points.push_back(std::move(pt));
      }
    }
    return true;
  }

  bool apply_constraint(SweepPlan& p) {
    mu::Parser parser;
    std::vector<double> values(spec_.factors.size(), 0.0);
    try {
      parser.DefineNameChars("0123456789_.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
      for (std::size_t j = 0; j < spec_.factors.size(); ++j)
        if (spec_.factors[j].numeric()) parser.DefineVar(spec_.factors[j].path, &values[j]);
      parser.SetExpr(spec_.constraint);
      (void)parser.Eval(); // parse errors and unknown names now, with the first point's values
    } catch (const mu::Parser::exception_type& e) {
      std::string msg = "cannot evaluate: " + e.GetMsg();
      msg += " (variables: the numeric factors' key paths";
      for (const SweepFactor& f : spec_.factors)
        if (!f.numeric()) msg += "; " + f.path + " is not numeric";
      msg += ")";
      diags_.error(spec_.constraint_where, "constraint", msg);
      return false;
    }
    std::vector<std::vector<FactorLevel>> kept;
    const std::size_t before = p.points.size();
    for (auto& pt : p.points) {
      for (std::size_t j = 0; j < pt.size(); ++j)
        values[j] = pt[j].number.value_or(0.0);
      if (parser.Eval() != 0) kept.push_back(std::move(pt));
    }
    if (kept.empty()) {
      diags_.error(spec_.constraint_where, "constraint",
                   "removes every one of the " + std::to_string(before) + " points");
      return false;
    }
    p.points = std::move(kept);
    return true;
  }

  const scenarios::SweepSpec& spec_;
  Diagnostics& diags_;
  std::size_t max_points_;
  std::optional<scenarios::ComposedScenario> composed_;
};

} // namespace

std::optional<SweepPlan> plan_sweep(const scenarios::SweepSpec& spec, Diagnostics& diags,
                                    std::size_t max_points) {
  return Planner(spec, diags, max_points).plan();
}

} // namespace itsim::experiments
