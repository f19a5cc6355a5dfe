// SPDX-License-Identifier: Apache-2.0
// Checks of a built scenario that look at whole routes (every stage can leave) and whole
// models (pools loaded beyond capacity, from visit ratios solved per route).
#include "build_checks.hpp"

#include <cmath>
#include <vector>

#include <Eigen/Dense>

#include "itsim/sim/format.hpp"

namespace itsim::scenarios {

void check_leaves(const Scenario::Route& r, const Tree& stages, const std::string& path,
                  Diagnostics& diags) {
  const std::size_t n = r.stages.size();
  std::vector<bool> leaves(n, false);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (leaves[i]) continue;
      for (const Scenario::Next& x : r.stages[i].next) {
        if (x.probability > 0 && (x.stage == Scenario::Next::done || leaves[x.stage])) {
          leaves[i] = changed = true;
          break;
        }
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (leaves[i]) continue;
    const Tree::Entry& e = stages.entries[i];
    diags.error(e.key_where, path + ".stages." + e.key,
                "items reaching this stage can never leave the route (no path to done)");
  }
}

void warn_overload(const Scenario& s, const schema::View& root, Diagnostics& diags) {
  const schema::View pools = root["staff"]["pools"];
  const schema::View models = root["models"];
  double all_people = 0;
  for (const Scenario::Unit& u : s.units)
    all_people += u.headcount;
  const std::size_t n_units = s.units.size();
  for (std::size_t mi = 0; mi < s.models.size(); ++mi) {
    const Scenario::Model& m = s.models[mi];
    // work[r][u]: hours of work per hour that items of unit u offer resource r.
    std::vector<std::vector<double>> work(m.resources.size(), std::vector<double>(n_units, 0.0));
    std::vector<bool> impatient_free(m.resources.size(), false);
    for (const Scenario::Route& r : m.routes) {
      const Scenario::WorkType& w = s.work_types[r.work_type];
      const double lambda = w.firm_rate_per_hour(s.units) * (1 - m.self_service[r.work_type]);
      double raising = 0; // people of the units raising this work
      for (const std::uint32_t u : w.units)
        raising += s.units[u].headcount;
      std::vector<double> unit_lambda(n_units, 0.0);
      for (const std::uint32_t u : w.units)
        unit_lambda[u] = raising > 0 ? lambda * s.units[u].headcount / raising : 0;
      const std::size_t n = r.stages.size();
      // Visit ratios: v = e_start + P^T v.
      Eigen::MatrixXd a =
          Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
      for (std::size_t i = 0; i < n; ++i)
        for (const Scenario::Next& x : r.stages[i].next)
          if (x.stage != Scenario::Next::done)
            a(static_cast<Eigen::Index>(x.stage), static_cast<Eigen::Index>(i)) -= x.probability;
      Eigen::VectorXd e = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n));
      e(static_cast<Eigen::Index>(r.start)) = 1;
      const Eigen::VectorXd visits = a.partialPivLu().solve(e);
      for (std::size_t i = 0; i < n; ++i) {
        const Scenario::Stage& st = r.stages[i];
        const double mean =
            st.service_h ? st.service_h->mean() : w.effort_h.mean() * st.effort_share;
        for (std::size_t u = 0; u < n_units; ++u)
          work[st.pool][u] += unit_lambda[u] * visits(static_cast<Eigen::Index>(i)) * mean;
        if (!w.patience) impatient_free[st.pool] = true;
      }
    }
    for (std::size_t p = 0; p < m.resources.size(); ++p) {
      const Scenario::Resource& res = m.resources[p];
      if (!impatient_free[p]) continue;
      const sim::Calendar& cal = s.calendars[res.calendar].calendar;
      const double per_person = res.availability * cal.working_per_week().hours_f() / 168.0;
      // A team's warning is located at its entry in the model, a pool's at its headcount.
      Location where;
      std::string path;
      if (res.team) {
        const schema::View model = models.element(*models->find(m.id));
        const Tree::Entry& t = *model["teams"]->find_entry(res.id);
        where = t.key_where;
        path = "models." + m.id + ".teams." + res.id;
      } else {
        const Tree::Entry& e = pools->entries[p];
        where = pools.element(e.value)["headcount"]->where;
        path = "staff.pools." + e.key + ".headcount";
      }
      const std::string subject = res.team ? "team" : "pool";
      auto warn = [&](double offered, double capacity, const std::string& copy) {
        if (!(offered > 0) || offered < capacity) return;
        diags.warning(where, path,
                      "model " + quote(m.id) + " offers this " + subject + copy + " " +
                          format_double(offered, 4) +
                          " hours of work per hour against a "
                          "capacity of " +
                          format_double(capacity, 4) + " (load " +
                          format_double(capacity > 0 ? offered / capacity : INFINITY, 4) +
                          "): unstable, its queue grows without bound");
      };
      if (!res.by_unit) {
        double offered = 0;
        for (const double x : work[p])
          offered += x;
        warn(offered, res.people * per_person, "");
        continue;
      }
      for (std::size_t u = 0; u < n_units; ++u) {
        const double share = all_people > 0 ? s.units[u].headcount / all_people : 0;
        warn(work[p][u], res.people * share * per_person,
             "'s copy for unit " + quote(s.units[u].id));
      }
    }
  }
}

} // namespace itsim::scenarios
