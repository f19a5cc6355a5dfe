// SPDX-License-Identifier: Apache-2.0
// `itsim explain`: a model's lead over the baseline split into the mechanisms that separate
// them (docs/models.md, "Why a model wins"). The switches are one table; the Shapley
// arithmetic is plain code over v(S) per replication.
#include "itsim/experiments/attribution.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <map>
#include <stdexcept>
#include <utility>

#include "itsim/analysis/confidence.hpp"
#include "itsim/experiments/run_results.hpp"
#include "itsim/models/kpi.hpp"

namespace itsim::experiments {

namespace {

using scenarios::Scenario;
using Model = Scenario::Model;
using Resource = Scenario::Resource;

const Resource* same_id(const Model& m, const std::string& id) {
  for (const Resource& r : m.resources)
    if (r.id == id) return &r;
  return nullptr;
}

/// The value of `get` that most people of `m`'s resources have (ties: the first seen).
template <class Get> auto modal(const Model& m, Get get) {
  using T = decltype(get(m.resources.front()));
  std::vector<std::pair<T, double>> tally;
  for (const Resource& r : m.resources) {
    const T value = get(r);
    bool found = false;
    for (auto& [v, people] : tally) {
      if (v == value) {
        people += r.people;
        found = true;
      }
    }
    if (!found) tally.emplace_back(value, r.people);
  }
  T best = tally.front().first;
  double most = -1;
  for (const auto& [v, people] : tally) {
    if (people > most) {
      best = v;
      most = people;
    }
  }
  return best;
}

/// Applies `set(resource, baseline's setting)` to every resource; true if any changed.
template <class Set> bool per_resource(Model& m, const Model& baseline, Set set) {
  bool changed = false;
  for (Resource& r : m.resources)
    changed = set(r, baseline_setting(baseline, r)) || changed;
  return changed;
}

template <class T> bool assign(T& field, const T& value) {
  if (field == value) return false;
  field = value;
  return true;
}

// ---- the switches: one function each, listed in switch_table below ----

bool knowledge_off(Model& m, const Model& b, const Scenario&) {
  return per_resource(
      m, b, [](Resource& r, const Resource& base) { return assign(r.knowledge, base.knowledge); });
}

bool learning_off(Model& m, const Model& b, const Scenario&) {
  return per_resource(
      m, b, [](Resource& r, const Resource& base) { return assign(r.learns, base.learns); });
}

bool wip_limits_off(Model& m, const Model& b, const Scenario&) {
  return per_resource(
      m, b, [](Resource& r, const Resource& base) { return assign(r.wip_limit, base.wip_limit); });
}

bool queue_order_off(Model& m, const Model& b, const Scenario&) {
  return per_resource(m, b, [](Resource& r, const Resource& base) {
    const bool d = assign(r.discipline, base.discipline);
    return assign(r.preemptive, base.preemptive) || d;
  });
}

bool pooling_off(Model& m, const Model& b, const Scenario& s) {
  const auto units = static_cast<std::uint32_t>(s.units.size());
  return per_resource(m, b, [units](Resource& r, const Resource& base) {
    if (r.by_unit == base.by_unit) return false;
    // One station instead of a copy per unit: the same number of items in progress.
    if (r.by_unit && r.wip_limit > 0) r.wip_limit *= units;
    r.by_unit = base.by_unit;
    return true;
  });
}

bool context_switch_off(Model& m, const Model& b, const Scenario&) {
  return per_resource(m, b, [](Resource& r, const Resource& base) {
    return assign(r.context_switch, base.context_switch);
  });
}

bool spanning_off(Model& m, const Model& b, const Scenario&) {
  bool changed = false;
  for (std::size_t w = 0; w < m.routes.size(); ++w) {
    // What the baseline does with this work type's spanning items (its first stage that
    // does something), or nothing.
    Scenario::Spanning mode = Scenario::Spanning::none;
    if (w < b.routes.size()) {
      for (const Scenario::Stage& st : b.routes[w].stages) {
        if (st.spanning != Scenario::Spanning::none) {
          mode = st.spanning;
          break;
        }
      }
    }
    for (Scenario::Stage& st : m.routes[w].stages)
      if (st.spanning != Scenario::Spanning::none) changed = assign(st.spanning, mode) || changed;
  }
  return changed;
}

std::optional<std::uint32_t> resource_named(const Model& m, const std::string& id) {
  for (std::uint32_t i = 0; i < m.resources.size(); ++i)
    if (m.resources[i].id == id) return i;
  return std::nullopt;
}

bool proactive_off(Model& m, const Model& b, const Scenario&) {
  if (!b.proactive) {
    const bool had = m.proactive.has_value();
    m.proactive.reset();
    return had;
  }
  Scenario::Proactive p = *b.proactive;
  const std::optional<std::uint32_t> r = resource_named(m, b.resources[p.resource].id);
  if (r) {
    p.resource = *r;
  } else if (m.proactive) {
    p.resource = m.proactive->resource;
  } else {
    return false; // nobody here to do the baseline's discovering
  }
  if (m.proactive && m.proactive->resource == p.resource && m.proactive->work_type == p.work_type &&
      m.proactive->rate_per_hour == p.rate_per_hour && m.proactive->value_factor == p.value_factor)
    return false;
  m.proactive = p;
  return true;
}

bool capabilities_off(Model& m, const Model& b, const Scenario&) {
  const bool a = assign(m.incident_reduction_per_item, b.incident_reduction_per_item);
  return assign(m.max_incident_reduction, b.max_incident_reduction) || a;
}

bool rotation_off(Model& m, const Model& b, const Scenario&) {
  if (!b.rotation) {
    const bool had = m.rotation.has_value();
    m.rotation.reset();
    return had;
  }
  // The baseline's schedule (who, how often, how long, how many), on this model's
  // resources of the same ids; what the stints bring back stays this model's.
  Scenario::Rotation r = *b.rotation;
  r.resources.clear();
  for (const std::uint32_t i : b.rotation->resources)
    if (const auto mine = resource_named(m, b.resources[i].id)) r.resources.push_back(*mine);
  if (m.rotation) {
    r.learning_multiplier = m.rotation->learning_multiplier;
    r.retention_boost = m.rotation->retention_boost;
    r.self_serve_boost = m.rotation->self_serve_boost;
    const Scenario::Rotation& o = *m.rotation;
    if (o.resources == r.resources && o.period_h == r.period_h && o.stint_h == r.stint_h &&
        o.it_share == r.it_share && o.business_staff == r.business_staff &&
        o.ramp_from == r.ramp_from && o.ramp_to == r.ramp_to && o.ramp_h == r.ramp_h)
      return false;
  }
  m.rotation = r;
  return true;
}

bool rotation_learning_off(Model& m, const Model& b, const Scenario&) {
  if (!m.rotation) return false;
  return assign(m.rotation->learning_multiplier,
                b.rotation ? b.rotation->learning_multiplier : 0.0);
}

bool rotation_boosts_off(Model& m, const Model& b, const Scenario&) {
  if (!m.rotation) return false;
  const bool a =
      assign(m.rotation->retention_boost, b.rotation ? b.rotation->retention_boost : 0.0);
  return assign(m.rotation->self_serve_boost, b.rotation ? b.rotation->self_serve_boost : 0.0) || a;
}

bool self_service_off(Model& m, const Model& b, const Scenario&) {
  return assign(m.self_service, b.self_service);
}

bool change_failure_off(Model& m, const Model& b, const Scenario&) {
  return assign(m.change_failure, b.change_failure);
}

// The switches, in the order they are applied and reported. To add one: write its
// turn-off function above (back to the baseline's setting; return whether anything
// changed; never add or remove resources, routes or stages) and add a row here, then a
// line to docs/models.md's table of switches.
constexpr std::array switch_table{
    MechanismSwitch{"knowledge",
                    "starting business knowledge K of every resource set to the "
                    "baseline's",
                    knowledge_off},
    MechanismSwitch{"learning", "whether each resource learns set to the baseline's", learning_off},
    MechanismSwitch{"pooling", "teams split by unit merged into one (WIP limit times the units)",
                    pooling_off},
    MechanismSwitch{"wip_limits", "WIP limits set to the baseline's (none)", wip_limits_off},
    MechanismSwitch{"queue_order",
                    "queue discipline (WSJF, priority) and pre-emption set to the "
                    "baseline's",
                    queue_order_off},
    MechanismSwitch{"context_switch", "context-switch cost of support-and-development staff off",
                    context_switch_off},
    MechanismSwitch{"spanning",
                    "what stages do with items spanning two units (coordination, "
                    "second team) set to the baseline's",
                    spanning_off},
    MechanismSwitch{"proactive", "discovered work set to the baseline's (none)", proactive_off},
    MechanismSwitch{"capabilities",
                    "incident reduction per delivered discovery set to the "
                    "baseline's",
                    capabilities_off},
    MechanismSwitch{"rotation",
                    "the rotation programme (staff out, newcomers) set to the "
                    "baseline's (none)",
                    rotation_off},
    MechanismSwitch{"rotation_learning", "experience IT staff bring back from a stint: none",
                    rotation_learning_off},
    MechanismSwitch{"rotation_boosts",
                    "returning business staff's retention and self-service "
                    "boosts: none",
                    rotation_boosts_off},
    MechanismSwitch{"self_service", "self-served shares of the work types set to the baseline's",
                    self_service_off},
    MechanismSwitch{"change_failure", "change failure rate set to the baseline's",
                    change_failure_off},
};

// ---- model equality, for "nothing differs" ----

void put(std::string& out, double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g,", v);
  out += buf;
}

void put(std::string& out, const sim::Distribution& d) {
  out += d.describe();
  put(out, d.mean());
  put(out, d.variance());
}

void put(std::string& out, const Scenario::TimedDistribution& d) {
  put(out, d.hours);
  put(out, static_cast<double>(d.base));
}

/// Every setting of a model except id, description, preset and location, as text.
std::string signature(const Model& m) {
  std::string out;
  for (const Resource& r : m.resources) {
    out += "R" + r.id + ":";
    for (const double v : {r.team ? 1.0 : 0.0, r.people, r.by_unit ? 1.0 : 0.0, double(r.wip_limit),
                           double(r.calendar), double(r.discipline), r.preemptive ? 1.0 : 0.0,
                           r.cost_per_hour, r.availability, r.first_line ? 1.0 : 0.0, r.knowledge,
                           r.learns ? 1.0 : 0.0, r.context_switch ? 1.0 : 0.0})
      put(out, v);
  }
  for (const Scenario::Route& route : m.routes) {
    out += "W";
    put(out, route.work_type);
    put(out, route.start);
    for (const Scenario::Stage& st : route.stages) {
      out += "S" + st.id + ":";
      put(out, st.pool);
      if (st.service_h) put(out, *st.service_h);
      put(out, st.effort_share);
      for (const Scenario::Next& n : st.next) {
        put(out, n.stage);
        put(out, n.probability);
      }
      put(out, st.handoff ? 1 : 0);
      put(out, st.rework_to ? double(*st.rework_to) : -1.0);
      put(out, st.gate_every_h);
      put(out, st.gate_offset_h);
      if (st.delay) put(out, *st.delay);
      put(out, double(st.spanning));
    }
  }
  out += "s";
  for (const double v : m.self_service)
    put(out, v);
  if (m.rotation) {
    const Scenario::Rotation& r = *m.rotation;
    out += "r";
    for (const std::uint32_t i : r.resources)
      put(out, i);
    for (const double v :
         {r.period_h, r.stint_h, r.it_share, double(r.business_staff), r.ramp_from, r.ramp_to,
          r.ramp_h, r.learning_multiplier, r.retention_boost, r.self_serve_boost})
      put(out, v);
  }
  if (m.proactive) {
    out += "p";
    for (const double v : {double(m.proactive->resource), double(m.proactive->work_type),
                           m.proactive->rate_per_hour, m.proactive->value_factor})
      put(out, v);
  }
  out += "c";
  put(out, m.incident_reduction_per_item);
  put(out, m.max_incident_reduction);
  put(out, m.change_failure);
  return out;
}

std::string model_list(const Scenario& s) {
  std::string out;
  for (const Model& m : s.models)
    out += (out.empty() ? "" : ", ") + m.id;
  return out;
}

double nan() {
  return std::numeric_limits<double>::quiet_NaN();
}

/// Mean and half-width of a t interval; NaN half-width for fewer than 2 values.
std::pair<double, double> interval(const std::vector<double>& values, double level) {
  if (values.empty()) return {nan(), nan()};
  if (values.size() < 2) return {values.front(), nan()};
  const analysis::ConfidenceInterval ci = analysis::confidence_interval(values, level);
  return {ci.mean, ci.half_width};
}

} // namespace

std::span<const MechanismSwitch> mechanism_switches() {
  return switch_table;
}

Resource baseline_setting(const Model& baseline, const Resource& r) {
  if (const Resource* same = same_id(baseline, r.id)) return *same;
  Resource out;
  if (baseline.resources.empty()) return out;
  double people = 0, k = 0;
  for (const Resource& b : baseline.resources) {
    people += b.people;
    k += b.people * b.knowledge;
  }
  out.knowledge = people > 0 ? k / people : baseline.resources.front().knowledge;
  out.learns = modal(baseline, [](const Resource& b) { return b.learns; });
  out.by_unit = modal(baseline, [](const Resource& b) { return b.by_unit; });
  out.wip_limit = modal(baseline, [](const Resource& b) { return b.wip_limit; });
  out.discipline = modal(baseline, [](const Resource& b) { return b.discipline; });
  out.preemptive = modal(baseline, [](const Resource& b) { return b.preemptive; });
  out.context_switch = modal(baseline, [](const Resource& b) { return b.context_switch; });
  return out;
}

std::uint32_t attribution_model(const Scenario& s, const std::string& id, const std::string& role) {
  for (std::uint32_t i = 0; i < s.models.size(); ++i) {
    if (s.models[i].id != id) continue;
    if (const auto& path = s.models[i].path) {
      throw AttributionError(AttributionError::Kind::unknown_model,
                             role + ": '" + id + "' is a reorganisation path (" +
                                 s.models.at(path->from).id + " -> " + s.models.at(path->to).id +
                                 "), not a model; explain its target, '" +
                                 s.models.at(path->to).id + "'");
    }
    return i;
  }
  throw AttributionError(AttributionError::Kind::unknown_model,
                         role + ": no model '" + id + "' in scenario " + s.name +
                             " (its models: " + model_list(s) + ")");
}

bool same_model(const Model& a, const Model& b) {
  return signature(a) == signature(b);
}

AttributionPlan plan_attribution(const Scenario& s, std::uint32_t target, std::uint32_t baseline) {
  const Model& t = s.models.at(target);
  const Model& b = s.models.at(baseline);
  if (target == baseline)
    throw AttributionError(AttributionError::Kind::same_model,
                           "model '" + t.id + "' is the baseline '" + b.id +
                               "': nothing to explain; name another --model or --baseline");
  AttributionPlan plan;
  plan.target = target;
  plan.baseline = baseline;
  const auto switches = mechanism_switches();
  for (std::size_t i = 0; i < switches.size(); ++i) {
    Model copy = t;
    if (switches[i].turn_off(copy, b, s)) plan.switches.push_back(i);
  }
  if (plan.switches.empty() && same_model(t, b))
    throw AttributionError(AttributionError::Kind::nothing_differs,
                           "models '" + t.id + "' and '" + b.id +
                               "' are the same operating model (no mechanism and no route, "
                               "team or pool setting differs): nothing to explain");
  return plan;
}

Model attribution_variant(const Scenario& s, const AttributionPlan& plan, std::uint64_t on) {
  Model m = s.models.at(plan.target);
  const Model& b = s.models.at(plan.baseline);
  const auto switches = mechanism_switches();
  for (std::size_t i = 0; i < plan.switches.size(); ++i)
    if ((on >> i & 1U) == 0) switches[plan.switches[i]].turn_off(m, b, s);
  return m;
}

std::vector<double> shapley_values(std::span<const double> v, std::size_t n) {
  if (n > 20) throw std::invalid_argument("shapley_values: at most 20 players");
  const std::size_t subsets = std::size_t{1} << n;
  if (v.size() != subsets) throw std::invalid_argument("shapley_values: v needs 2^n values");
  // weight[k] = k! (n - k - 1)! / n!, for a coalition of k players without player i.
  std::vector<double> weight(n, 0.0);
  for (std::size_t k = 0; k < n; ++k) {
    double w = 1.0 / static_cast<double>(n);
    // k! (n-k-1)! / (n-1)! = 1 / C(n-1, k)
    double binom = 1;
    for (std::size_t j = 1; j <= k; ++j)
      binom = binom * static_cast<double>(n - 1 - k + j) / static_cast<double>(j);
    weight[k] = w / binom;
  }
  std::vector<double> phi(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t bit = std::size_t{1} << i;
    for (std::size_t mask = 0; mask < subsets; ++mask) {
      if (mask & bit) continue;
      const auto k = static_cast<std::size_t>(std::popcount(mask));
      phi[i] += weight[k] * (v[mask | bit] - v[mask]);
    }
  }
  return phi;
}

KpiAttribution attribute_kpi(const std::string& kpi, const std::vector<std::string>& switches,
                             const std::vector<std::string>& descriptions, bool one_at_a_time,
                             std::span<const std::uint64_t> variants,
                             const std::vector<std::vector<double>>& differences,
                             const std::vector<bool>& bad_replications, double level) {
  const std::size_t n = switches.size();
  const std::uint64_t all = n == 0 ? 0 : (~std::uint64_t{0} >> (64 - n));
  std::map<std::uint64_t, std::size_t> where;
  for (std::size_t j = 0; j < variants.size(); ++j)
    where[variants[j]] = j;
  const auto at = [&where](std::uint64_t mask) {
    const auto it = where.find(mask);
    if (it == where.end()) throw std::invalid_argument("attribute_kpi: a variant is missing");
    return it->second;
  };
  KpiAttribution out;
  out.kpi = kpi;
  const models::Kpi k = models::kpi_named(kpi);
  out.unit = k == models::Kpi::count ? "" : models::info(k).unit;
  out.terms.resize(n + 2);
  out.terms.front().mechanism = "structure";
  out.terms.front().description = "what no switch covers: routes, handoffs, gates, teams' make-up";
  for (std::size_t i = 0; i < n; ++i) {
    out.terms[i + 1].mechanism = switches[i];
    out.terms[i + 1].description = i < descriptions.size() ? descriptions[i] : "";
  }
  out.terms.back().mechanism = "total";
  out.terms.back().description = "paired difference, model minus baseline";
  const std::size_t reps = differences.empty() ? 0 : differences.front().size();
  std::vector<double> v(one_at_a_time ? 0 : std::size_t{1} << n);
  for (std::size_t r = 0; r < reps; ++r) {
    if (r < bad_replications.size() && bad_replications[r]) continue;
    bool finite = true;
    for (const std::vector<double>& d : differences)
      finite = finite && std::isfinite(d[r]);
    if (!finite) continue;
    out.replications.push_back(static_cast<std::uint32_t>(r));
    const double total = differences[at(all)][r];
    const double structure = differences[at(0)][r];
    out.terms.front().shapley.push_back(structure);
    out.terms.back().shapley.push_back(total);
    for (std::size_t i = 0; i < n; ++i)
      out.terms[i + 1].one_at_a_time.push_back(total -
                                               differences[at(all & ~(std::uint64_t{1} << i))][r]);
    if (!one_at_a_time) {
      for (std::uint64_t mask = 0; mask < v.size(); ++mask)
        v[mask] = differences[at(mask)][r];
      const std::vector<double> phi = shapley_values(v, n);
      for (std::size_t i = 0; i < n; ++i)
        out.terms[i + 1].shapley.push_back(phi[i]);
    }
  }
  for (AttributionTerm& t : out.terms) {
    std::tie(t.one_at_a_time_mean, t.one_at_a_time_ci) =
        t.one_at_a_time.empty() ? std::pair{nan(), nan()} : interval(t.one_at_a_time, level);
    std::tie(t.shapley_mean, t.shapley_ci) =
        t.shapley.empty() ? std::pair{nan(), nan()} : interval(t.shapley, level);
  }
  return out;
}

Attribution run_attribution(const Scenario& s, const AttributionPlan& plan,
                            const AttributionOptions& options) {
  const std::size_t n = plan.switches.size();
  if (!options.one_at_a_time && n > max_shapley_switches)
    throw std::invalid_argument(std::to_string(n) + " switches need 2^" + std::to_string(n) +
                                " variants: too many for an exact Shapley attribution");
  std::vector<models::Kpi> kpis;
  std::vector<std::string> kpi_names = options.kpis;
  if (kpi_names.empty())
    for (const char* name : default_attribution_kpis)
      kpi_names.emplace_back(name);
  for (const std::string& name : kpi_names) {
    const models::Kpi k = models::kpi_named(name);
    if (k == models::Kpi::count) throw std::invalid_argument("no KPI '" + name + "'");
    kpis.push_back(k);
  }

  Attribution a;
  a.model = s.models.at(plan.target).id;
  a.baseline = s.models.at(plan.baseline).id;
  a.one_at_a_time = options.one_at_a_time;
  a.level = options.level;
  std::vector<std::string> descriptions;
  for (const std::size_t i : plan.switches) {
    a.switches.emplace_back(mechanism_switches()[i].name);
    descriptions.emplace_back(mechanism_switches()[i].description);
  }
  const std::uint64_t all = n == 0 ? 0 : (~std::uint64_t{0} >> (64 - n));
  if (options.one_at_a_time) {
    a.variants.push_back(all);
    for (std::size_t i = 0; i < n; ++i)
      a.variants.push_back(all & ~(std::uint64_t{1} << i));
    if (n > 0) a.variants.push_back(0);
  } else {
    for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << n); ++mask)
      a.variants.push_back(mask);
  }

  // One scenario holding the baseline (model 0) and every variant (1 + j): run_experiment
  // then runs them all on the run scheduler, replication r of each with the same streams.
  Scenario sv = s;
  sv.models.clear();
  sv.models.push_back(s.models[plan.baseline]);
  for (const std::uint64_t mask : a.variants)
    sv.models.push_back(attribution_variant(s, plan, mask));
  sv.baseline = 0;
  ExperimentOptions run_options;
  run_options.replications = options.replications;
  run_options.scheduler = options.scheduler;
  std::vector<ExperimentRun> runs = run_experiment(sv, run_options);
  a.replications = options.replications > 0 ? options.replications : s.replications;
  a.runs = runs.size();

  const std::size_t reps = a.replications;
  std::vector<bool> bad(reps, false);
  for (const ExperimentRun& run : runs) {
    if (run.ok) continue;
    bad[run.replication] = true;
    if (a.failed_runs++ == 0)
      a.first_failure =
          (run.model == 0 ? "baseline " + a.baseline : "variant " + std::to_string(run.model - 1)) +
          ", replication " + std::to_string(run.replication) + ": " + run.error;
  }
  const auto value = [&runs, reps](std::size_t model, std::size_t r, models::Kpi k) {
    const ExperimentRun& run = runs[model * reps + r];
    return run.ok ? run.result.kpi[static_cast<std::size_t>(k)] : nan();
  };
  for (const models::Kpi k : kpis) {
    std::vector<std::vector<double>> d(a.variants.size(), std::vector<double>(reps));
    for (std::size_t j = 0; j < a.variants.size(); ++j)
      for (std::size_t r = 0; r < reps; ++r)
        d[j][r] = value(1 + j, r, k) - value(0, r, k);
    a.kpis.push_back(attribute_kpi(models::info(k).name, a.switches, descriptions,
                                   options.one_at_a_time, a.variants, d, bad, options.level));
    a.differences.push_back(std::move(d));
  }
  // Keep the baseline's and the whole target's runs for the file.
  std::size_t full = 0;
  for (std::size_t j = 0; j < a.variants.size(); ++j)
    if (a.variants[j] == all) full = j;
  for (std::size_t r = 0; r < reps; ++r) {
    a.baseline_runs.push_back(std::move(runs[r]));
    a.baseline_runs.back().model = 0;
    a.target_runs.push_back(std::move(runs[(1 + full) * reps + r]));
    a.target_runs.back().model = 1;
  }
  return a;
}

} // namespace itsim::experiments
