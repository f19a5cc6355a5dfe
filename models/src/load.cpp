// SPDX-License-Identifier: Apache-2.0
// The load check: the work a model offers each pool and team a week, by the same rules the
// coordinator and its parts apply to items (routing.cpp, org_stations.cpp, demand.cpp,
// proactive.cpp), in expectation and at time 0. docs/models.md, "The load check", gives
// the equations.
#include "itsim/models/load.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

#include "itsim/sim/format.hpp"

namespace itsim::models {

using scenarios::Scenario;

namespace {

constexpr double hours_per_week = 168;
constexpr double hours_per_year = 8760;
/// Handoffs counted exactly along a path; more are counted as this many (k^32 is below
/// 0.001 at the default retention).
constexpr std::size_t max_handoffs = 32;
/// An item's expected work is summed until less than this share of items is still in the
/// route, or for at most max_steps visits, the rest extrapolated geometrically.
constexpr double converged = 1e-12;
constexpr int max_steps = 100000;

/// The expected work of one item along a route, in person-hours, per resource and per copy
/// (0: the copy of the item's unit; 1: the next unit's, where a second team works on it),
/// and the probability that it is delivered (the rest is lost only to truncation).
struct RouteWork {
  std::vector<std::array<double, 2>> work;
  double delivered = 0;
};

/// A Markov chain over (stage, in rework, handoffs so far, second-team phase) that follows
/// Routing: a visit's work is the stage's mean service time or the mean effort x its
/// share, x rework_effort_share in rework, x (1 + penalty (1 - K0)), x (1 + context-switch
/// cost); coordination of spanning items stretches their duration, not their work, and a
/// crew shares the work without changing it, so neither adds load. At a stage
/// with `rework`, the item goes back with probability 1 - u, u = u0 k^h (1 - w (1 - K0)),
/// h the handoffs entered outside rework; a spanning item at a `second_team` stage then
/// visits it once more at the next unit's copy (phase 1), then goes on by the routing row.
RouteWork route_work(const Scenario& s, const Scenario::Model& m, std::uint32_t work_type,
                     bool spanning) {
  const Scenario::Route& r = m.routes[work_type];
  const Scenario::WorkType& wt = s.work_types[work_type];
  const Scenario::Mechanisms& mech = s.mechanisms;
  const std::size_t n = r.stages.size();
  constexpr std::size_t hs = max_handoffs + 1;
  auto index = [](std::size_t stage, bool rework, std::size_t h, std::size_t phase) {
    return ((stage * 2 + (rework ? 1 : 0)) * hs + h) * 3 + phase;
  };
  const std::size_t states = n * 2 * hs * 3;

  std::vector<double> base(n), multiplier(n), understood(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Scenario::Stage& st = r.stages[i];
    const Scenario::Resource& res = m.resources[st.pool];
    base[i] = st.service_h ? st.service_h->mean() : wt.effort_h.mean() * st.effort_share;
    multiplier[i] = 1 + mech.effort_penalty * (1 - res.knowledge);
    if (res.context_switch) multiplier[i] *= 1 + mech.context_switch_cost;
    understood[i] = mech.base_understanding * (1 - mech.knowledge_weight * (1 - res.knowledge));
  }
  std::vector<double> retained(hs); // k^h
  const double k = std::min(1.0, mech.handoff_retention);
  for (std::size_t h = 0; h < hs; ++h)
    retained[h] = std::pow(k, static_cast<double>(h));

  RouteWork out;
  out.work.assign(m.resources.size(), {0.0, 0.0});
  std::vector<double> mass(states, 0.0), next(states, 0.0);
  mass[index(r.start, false, r.stages[r.start].handoff ? 1 : 0, 0)] = 1;
  std::vector<std::array<double, 2>> last(m.resources.size());
  double left = 1, left_before = 1;
  int step = 0;
  for (; step < max_steps && left > converged; ++step) {
    std::fill(next.begin(), next.end(), 0.0);
    std::fill(last.begin(), last.end(), std::array<double, 2>{0.0, 0.0});
    for (std::size_t x = 0; x < states; ++x) {
      const double p = mass[x];
      if (p == 0) continue;
      const std::size_t phase = x % 3;
      const std::size_t h = (x / 3) % hs;
      const bool rework = (x / (3 * hs)) % 2 == 1;
      const std::size_t i = x / (3 * hs * 2);
      const Scenario::Stage& st = r.stages[i];
      const double w = p * base[i] * multiplier[i] * (rework ? mech.rework_effort_share : 1.0);
      last[st.pool][phase == 1 ? 1 : 0] += w;
      double on = p;
      bool in_rework = rework;
      if (st.rework_to) {
        const double u = std::clamp(retained[h] * understood[i], 0.0, 1.0);
        next[index(*st.rework_to, true, h, phase)] += p * (1 - u);
        on = p * u;
        in_rework = false;
      }
      if (!(on > 0)) continue;
      if (spanning && st.spanning == Scenario::Spanning::second_team && phase == 0) {
        const std::size_t h2 = std::min(max_handoffs, h + (st.handoff && !in_rework ? 1 : 0));
        next[index(i, in_rework, h2, 1)] += on;
        continue;
      }
      const std::size_t phase2 = phase == 1 ? 2 : phase;
      for (const Scenario::Next& nx : st.next) {
        if (nx.stage == Scenario::Next::done) {
          out.delivered += on * nx.probability;
          continue;
        }
        const bool handoff = r.stages[nx.stage].handoff && !in_rework;
        const std::size_t h2 = std::min(max_handoffs, h + (handoff ? 1 : 0));
        next[index(nx.stage, in_rework, h2, phase2)] += on * nx.probability;
      }
    }
    for (std::size_t res = 0; res < out.work.size(); ++res)
      for (std::size_t c = 0; c < 2; ++c)
        out.work[res][c] += last[res][c];
    mass.swap(next);
    left_before = left;
    left = 0;
    for (const double p : mass)
      left += p;
  }
  if (left > converged && left < left_before) {
    // The rest decays about geometrically: add the tail of the last step's work.
    const double ratio = left / left_before;
    for (std::size_t res = 0; res < out.work.size(); ++res)
      for (std::size_t c = 0; c < 2; ++c)
        out.work[res][c] += last[res][c] * ratio / (1 - ratio);
    out.delivered += left;
  } else if (left > converged) {
    for (auto& w : out.work)
      w = {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
  }
  return out;
}

std::string hours_text(double h) {
  return h >= 100 && std::isfinite(h) ? format_double(std::round(h)) : format_double(h, 3);
}

} // namespace

double ResourceLoad::bound() const {
  if (!(offered_h > 0)) return 0;
  return available_h > 0 ? offered_h / available_h : std::numeric_limits<double>::infinity();
}

ModelLoad offered_load(const Scenario& s, std::uint32_t model) {
  const Scenario::Model& m = s.models.at(model);
  const std::size_t nr = m.resources.size();
  const std::size_t nu = s.units.size();
  double people_total = 0;
  for (const Scenario::Unit& u : s.units)
    people_total += u.headcount;
  // Items of a unit without people go to the first copy that has some (org_stations.cpp).
  std::vector<std::size_t> copy_of(nu);
  std::size_t first = 0;
  while (first < nu && !(s.units[first].headcount > 0))
    ++first;
  for (std::size_t u = 0; u < nu; ++u)
    copy_of[u] = s.units[u].headcount > 0 || first == nu ? u : first;

  std::vector<bool> used(nr, false), impatient(nr, false), rationed(nr, false);
  for (const Scenario::Route& route : m.routes)
    for (const Scenario::Stage& st : route.stages) {
      used[st.pool] = true;
      if (s.work_types[route.work_type].patience) impatient[st.pool] = true;
      const Scenario::WorkKind kind = s.work_types[route.work_type].kind;
      if (s.mechanisms.max_backlog_h > 0 &&
          (kind == Scenario::WorkKind::enhancement || kind == Scenario::WorkKind::project))
        rationed[st.pool] = true;
    }
  const bool proactive = m.proactive && m.proactive->rate_per_hour > 0;
  if (proactive) used[m.proactive->resource] = true;

  // Work per hour at each resource's copy for each unit (a pooled resource sums them).
  std::vector<std::vector<double>> offered(nr, std::vector<double>(nu, 0.0));
  std::vector<std::vector<double>> discovered(nr, std::vector<double>(nu, 0.0));
  std::vector<std::array<std::optional<RouteWork>, 2>> chains(s.work_types.size());
  std::vector<double> failures(nu, 0.0); // failed changes a hour, by unit
  auto add = [&](std::uint32_t w, std::size_t u, double rate, double spanning_share,
                 std::vector<std::vector<double>>& to) {
    if (!(rate > 0) || w >= m.routes.size()) return;
    for (int cls = 0; cls < 2; ++cls) {
      const double share = cls == 1 ? spanning_share : 1 - spanning_share;
      if (!(share > 0)) continue;
      auto& chain = chains[w][static_cast<std::size_t>(cls)];
      if (!chain) chain = route_work(s, m, w, cls == 1);
      for (std::size_t r = 0; r < nr; ++r) {
        to[r][copy_of[u]] += rate * share * chain->work[r][0];
        to[r][copy_of[(u + 1) % nu]] += rate * share * chain->work[r][1];
      }
      const Scenario::WorkKind kind = s.work_types[w].kind;
      if (kind == Scenario::WorkKind::enhancement || kind == Scenario::WorkKind::project)
        failures[u] += rate * share * chain->delivered * m.change_failure;
    }
  };

  for (std::uint32_t w = 0; w < s.work_types.size(); ++w) {
    const Scenario::WorkType& wt = s.work_types[w];
    double raising = 0;
    for (const std::uint32_t u : wt.units)
      raising += s.units[u].headcount;
    // The highest rate of the horizon: growth compounds to its end.
    const double g = wt.profile.yearly_growth;
    const double growth = g > 0 ? std::pow(1 + g, s.horizon_h / hours_per_year) : 1.0;
    const double to_it = 1 - std::clamp(m.self_service.at(w), 0.0, 1.0);
    for (const std::uint32_t u : wt.units) {
      const double headcount = s.units[u].headcount;
      const double rate = wt.per_employee ? wt.rate_per_hour * headcount
                          : raising > 0   ? wt.rate_per_hour * headcount / raising
                                          : 0.0;
      add(w, u, rate * growth * to_it, wt.spanning_share, offered);
    }
  }
  if (proactive && people_total > 0) {
    for (std::size_t u = 0; u < nu; ++u) {
      const double rate = m.proactive->rate_per_hour * s.units[u].headcount / people_total;
      add(m.proactive->work_type, u, rate, 0.0, discovered);
    }
  }
  // A failed change raises an incident of the first incident work type in its unit.
  for (std::uint32_t w = 0; w < s.work_types.size(); ++w) {
    if (s.work_types[w].kind != Scenario::WorkKind::incident) continue;
    const std::vector<double> raised = failures;
    for (std::size_t u = 0; u < nu; ++u)
      add(w, u, raised[u], 0.0, offered);
    break;
  }

  ModelLoad out;
  out.model = model;
  for (std::uint32_t r = 0; r < nr; ++r) {
    // An outside provider (M12) has no queue of ours: its contract serves every item at once.
    if (!used[r] || m.resources[r].provider) continue;
    const Scenario::Resource& res = m.resources[r];
    const double per_person =
        res.availability * s.calendars.at(res.calendar).calendar.working_per_week().hours_f();
    ResourceLoad whole;
    whole.resource = r;
    whole.impatient = impatient[r];
    whole.rationed = rationed[r];
    whole.available_h = res.people * per_person;
    for (std::size_t u = 0; u < nu; ++u) {
      whole.offered_h += (offered[r][u] + discovered[r][u]) * hours_per_week;
      whole.proactive_h += discovered[r][u] * hours_per_week;
    }
    out.resources.push_back(whole);
    if (!res.by_unit) continue;
    for (std::uint32_t u = 0; u < nu; ++u) {
      const double share =
          people_total > 0 ? s.units[u].headcount / people_total : 1.0 / double(nu);
      if (!(share > 0)) continue;
      ResourceLoad copy = whole;
      copy.unit = u;
      copy.available_h = res.people * share * per_person;
      copy.offered_h = (offered[r][u] + discovered[r][u]) * hours_per_week;
      copy.proactive_h = discovered[r][u] * hours_per_week;
      out.copies.push_back(copy);
    }
  }
  return out;
}

std::vector<ModelLoad> offered_load(const Scenario& s) {
  std::vector<ModelLoad> out;
  for (std::uint32_t m = 0; m < s.models.size(); ++m)
    if (!s.models[m].path) out.push_back(offered_load(s, m)); // a path's are its two models'
  return out;
}

std::size_t check_load(const Scenario& s, const std::vector<ModelLoad>& loads,
                       scenarios::Diagnostics& diags) {
  std::size_t added = 0;
  for (const ModelLoad& ml : loads) {
    const Scenario::Model& m = s.models.at(ml.model);
    auto warn = [&](const ResourceLoad& l) {
      const double b = l.bound();
      if (!(b >= 1)) return;
      const Scenario::Resource& res = m.resources[l.resource];
      std::string what = (res.team ? "team " : "pool ") + res.id;
      if (l.unit) what += "'s copy for unit " + s.units[*l.unit].id;
      std::string text = what + " offered " + hours_text(l.offered_h) +
                         " person-hours a week against " + hours_text(l.available_h) +
                         " available (utilisation bound " + format_double(b, 3) + ")";
      if (l.proactive_h > 0)
        text +=
            ", of which " + hours_text(l.proactive_h) + " proactive at its highest discovery rate";
      if (l.rationed) {
        text += ": rationing declines changes while its work on hand exceeds " +
                format_double(s.mechanisms.max_backlog_h / hours_per_week, 3) +
                " weeks of its people's time, so part of the demand is turned away";
      } else {
        text += l.impatient ? ": the queue grows until requesters give up (patience), which "
                              "only hides the overload"
                            : ": the queue grows without limit";
      }
      diags.warning(m.where, "models." + m.id, std::move(text));
      ++added;
    };
    std::size_t c = 0;
    for (const ResourceLoad& l : ml.resources) {
      if (!m.resources[l.resource].by_unit) {
        warn(l);
        continue;
      }
      for (; c < ml.copies.size() && ml.copies[c].resource == l.resource; ++c)
        warn(ml.copies[c]);
    }
  }
  return added;
}

std::string load_table(const Scenario& s, const std::vector<ModelLoad>& loads) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-14s %-24s %14s %10s %14s %8s\n", "model", "resource",
                "offered h/wk", "proactive", "available h/wk", "bound");
  out += line;
  for (const ModelLoad& ml : loads) {
    const Scenario::Model& m = s.models.at(ml.model);
    auto row = [&](const ResourceLoad& l) {
      std::string name = m.resources[l.resource].id;
      if (l.unit) name += "@" + s.units[*l.unit].id;
      std::snprintf(line, sizeof line, "%-14s %-24s %14.1f %10.1f %14.1f %8s%s\n", m.id.c_str(),
                    name.c_str(), l.offered_h, l.proactive_h, l.available_h,
                    format_double(l.bound(), 3).c_str(), l.bound() >= 1 ? "  overloaded" : "");
      out += line;
    };
    std::size_t c = 0;
    for (const ResourceLoad& l : ml.resources) {
      row(l);
      for (; c < ml.copies.size() && ml.copies[c].resource == l.resource; ++c)
        row(ml.copies[c]);
    }
  }
  return out;
}

double base_work_h(const Scenario& s, std::uint32_t model, std::uint32_t work_type) {
  const Scenario::Route& r = s.models.at(model).routes.at(work_type);
  const Scenario::WorkType& wt = s.work_types.at(work_type);
  const std::size_t n = r.stages.size();
  std::vector<double> mass(n, 0.0), next(n, 0.0);
  mass[r.start] = 1;
  double work = 0, left = 1;
  for (int step = 0; step < max_steps && left > converged; ++step) {
    std::fill(next.begin(), next.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      if (mass[i] == 0) continue;
      const Scenario::Stage& st = r.stages[i];
      work +=
          mass[i] * (st.service_h ? st.service_h->mean() : wt.effort_h.mean() * st.effort_share);
      for (const Scenario::Next& nx : st.next)
        if (nx.stage != Scenario::Next::done) next[nx.stage] += mass[i] * nx.probability;
    }
    mass.swap(next);
    left = 0;
    for (const double p : mass)
      left += p;
  }
  return work;
}

} // namespace itsim::models
