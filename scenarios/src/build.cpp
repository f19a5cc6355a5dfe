// SPDX-License-Identifier: Apache-2.0
// From a schema-valid tree to a Scenario value: units converted, references resolved to
// indices, and the checks that span keys (references, routing rows, priority mixes, the
// baseline, pools loaded beyond capacity).
#include "build.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include <Eigen/Dense>

#include "itsim/sim/error.hpp"
#include "yaml_source.hpp"

namespace itsim::scenarios {

namespace {

// Readers of values the schema has already checked: they cannot fail.

double number_of(const Tree& t) {
  return std::get<double>(parse_number(t.text));
}
std::int64_t integer_of(const Tree& t) {
  return std::get<std::int64_t>(parse_integer(t.text));
}
bool bool_of(const Tree& t) {
  return std::get<bool>(parse_bool(t.text));
}

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::vector<std::string> ids_of(const Tree& collection) {
  std::vector<std::string> ids;
  for (const Tree::Entry& e : collection.entries)
    ids.push_back(e.key);
  return ids;
}

class Builder {
public:
  Builder(const Tree& root, Diagnostics& diags) : root_(root), diags_(diags) {}

  std::optional<Scenario> build() {
    Scenario s;
    business_day_h_ = std::get<Duration>(parse_duration(at("business_day").text)).amount;
    s.name = at("name").text;
    s.description = at("description").text;
    s.currency = at("currency").text;
    s.business_day_h = duration_of(at("business_day")).amount;
    s.horizon_h = duration_of(at("horizon")).amount;
    const Tree& warmup = at("warmup");
    s.warmup_mser5 = warmup.text == "mser5";
    s.warmup_h = s.warmup_mser5 ? 0 : duration_of(warmup).amount;
    if (!s.warmup_mser5 && !(s.warmup_h < s.horizon_h))
      error(warmup, "warmup", "must be shorter than the horizon (" + at("horizon").text + ")");
    s.replications = static_cast<std::uint32_t>(integer_of(at("replications")));
    s.seed = static_cast<std::uint64_t>(integer_of(at("seed")));

    build_calendars(s);
    build_units(s);
    build_work_types(s);
    build_pools(s);
    build_models(s);

    const Tree& output = at("output");
    s.timeseries_step_h = duration_of(*output.find("timeseries_step")).amount;
    for (const Tree& d : output.find("detail")->items)
      if (d.text == "requests") s.detail_requests = true;

    if (diags_.has_errors()) return std::nullopt;
    warn_overload(s);
    return s;
  }

private:
  const Tree& at(std::string_view key) const { return *root_.find(key); }

  void error(const Tree& t, const std::string& path, std::string message) {
    diags_.error(t.where, path, std::move(message));
  }

  Duration duration_of(const Tree& t) const {
    return std::get<Duration>(parse_duration(t.text, business_day_h_));
  }

  /// Resolves `id` (written at `t`) among `ids`; reports an unknown one with a suggestion.
  std::optional<std::uint32_t> resolve(const Tree& t, const std::string& path,
                                       const std::vector<std::string>& ids, const char* what,
                                       const char* where_listed) {
    const auto it = std::find(ids.begin(), ids.end(), t.text);
    if (it != ids.end()) return static_cast<std::uint32_t>(it - ids.begin());
    std::string message = "unknown " + std::string(what) + " " + quote(t.text);
    const std::string guess = did_you_mean(t.text, ids);
    if (!guess.empty()) {
      message += " (did you mean \"" + guess + "\"?)";
    } else if (ids.empty()) {
      message += std::string("; ") + where_listed + " is empty";
    } else {
      std::string list;
      for (const std::string& id : ids)
        list += (list.empty() ? "" : ", ") + id;
      message += std::string("; ") + where_listed + " has: " + list;
    }
    error(t, path, std::move(message));
    return std::nullopt;
  }

  /// A distribution of durations (hours of work or wall-clock hours) or of money.
  std::optional<sim::Distribution> distribution_of(const Tree& t, const std::string& path,
                                                   TimeBase* base) {
    auto amount = [&](const Tree& v) {
      const auto d = parse_duration(v.text, business_day_h_);
      if (const auto* dur = std::get_if<Duration>(&d)) {
        if (base != nullptr) *base = dur->base;
        return dur->amount;
      }
      return number_of(v);
    };
    try {
      if (t.is_scalar()) return sim::Distribution::deterministic(amount(t));
      const std::string& family = t.find("dist")->text;
      auto p = [&](const char* key) {
        const Tree* v = t.find(key);
        return v == nullptr ? std::nan("")
                            : (schema::is_quantity_parameter(key) ? amount(*v) : number_of(*v));
      };
      const bool has_mean = t.find("mean") != nullptr;
      if (family == "exponential") return sim::Distribution::exponential(p("mean"));
      if (family == "lognormal")
        return has_mean ? sim::Distribution::lognormal_mean_cv(p("mean"), p("cv"))
                        : sim::Distribution::lognormal_median_sigma(p("median"), p("sigma"));
      if (family == "gamma")
        return has_mean ? sim::Distribution::gamma_mean_cv(p("mean"), p("cv"))
                        : sim::Distribution::gamma(p("shape"), p("scale"));
      if (family == "weibull") return sim::Distribution::weibull(p("shape"), p("scale"));
      if (family == "triangular")
        return sim::Distribution::triangular(p("min"), p("mode"), p("max"));
      if (family == "uniform") return sim::Distribution::uniform(p("min"), p("max"));
      if (family == "deterministic") return sim::Distribution::deterministic(p("value"));
      std::vector<double> data;
      for (const Tree& v : t.find("values")->items)
        data.push_back(amount(v));
      return sim::Distribution::empirical(std::move(data));
    } catch (const ModelError& e) {
      // The schema checks ranges first; what it cannot see (a lognormal whose mean
      // overflows, say) still gets a located message rather than a crash.
      error(t, path, e.what());
      return std::nullopt;
    }
  }

  void build_calendars(Scenario& s) {
    using sim::SimDuration;
    s.calendars.push_back({"always", sim::Calendar::always()});
    s.calendars.push_back({"business", sim::Calendar::business_hours(SimDuration::from_hours(9),
                                                                     SimDuration::from_hours(17))});
    static const std::vector<std::string> days = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (const Tree::Entry& e : at("calendars").entries) {
      if (e.key == "always") {
        diags_.error(e.key_where, "calendars.always",
                     "\"always\" is built in (working 24/7) and cannot be redefined");
        continue;
      }
      const Tree& hours = *e.value.find("hours");
      const int h1 = std::stoi(hours.text.substr(0, 2)), m1 = std::stoi(hours.text.substr(3, 2));
      const int h2 = std::stoi(hours.text.substr(6, 2)), m2 = std::stoi(hours.text.substr(9, 2));
      std::vector<sim::WorkWindow> windows;
      for (const Tree& d : e.value.find("days")->items) {
        const int weekday =
            static_cast<int>(std::find(days.begin(), days.end(), d.text) - days.begin());
        if (std::any_of(windows.begin(), windows.end(),
                        [&](const sim::WorkWindow& w) { return w.weekday == weekday; })) {
          error(d, "calendars." + e.key + ".days", "day " + quote(d.text) + " is listed twice");
          continue;
        }
        windows.push_back({weekday, SimDuration::from_hours(h1 + m1 / 60.0),
                           SimDuration::from_hours(h2 + m2 / 60.0)});
      }
      if (e.key == "business") {
        s.calendars[1].calendar = sim::Calendar(windows);
      } else {
        s.calendars.push_back({e.key, sim::Calendar(windows)});
      }
    }
  }

  void build_units(Scenario& s) {
    const Tree& units = *at("organisation").find("units");
    if (units.entries.empty())
      error(units, "organisation.units", "at least one business unit is needed");
    for (const Tree::Entry& e : units.entries) {
      Scenario::Unit u;
      u.id = e.key;
      const std::int64_t headcount = integer_of(*e.value.find("headcount"));
      if (headcount > 100'000'000) {
        error(*e.value.find("headcount"), "organisation.units." + e.key + ".headcount",
              "must be <= 100000000");
        continue;
      }
      u.headcount = static_cast<std::uint32_t>(headcount);
      u.customer_facing = bool_of(*e.value.find("customer_facing"));
      s.units.push_back(std::move(u));
    }
    unit_ids_ = ids_of(units);
  }

  sim::RateProfile profile_of(const Tree& demand) {
    const Tree& profile = *demand.find("profile");
    sim::RateProfile p;
    for (std::size_t h = 0; h < 24; ++h)
      p.hour_of_day[h] = number_of(profile.find("hour_of_day")->items[h]);
    for (std::size_t d = 0; d < 7; ++d)
      p.weekday[d] = number_of(profile.find("weekday")->items[d]);
    p.yearly_growth = number_of(*demand.find("yearly_growth"));
    const bool no_hours =
        std::all_of(p.hour_of_day.begin(), p.hour_of_day.end(), [](double v) { return v == 0; });
    const bool no_days =
        std::all_of(p.weekday.begin(), p.weekday.end(), [](double v) { return v == 0; });
    if (no_hours || no_days) {
      error(profile, "demand.profile",
            std::string(no_hours ? "hour_of_day" : "weekday") +
                " multipliers are all 0: no demand would ever arrive");
      return {};
    }
    return p.normalised();
  }

  void build_work_types(Scenario& s) {
    const Tree& demand = at("demand");
    const sim::RateProfile profile = profile_of(demand);
    const Tree& types = *demand.find("work_types");
    if (types.entries.empty())
      error(types, "demand.work_types", "at least one work type is needed");
    static const std::vector<std::string> kinds = {"incident", "request", "enhancement", "project",
                                                   "other"};
    static const std::vector<std::string> urgencies = {"none", "linear", "decaying", "fixed_date"};
    for (const Tree::Entry& e : types.entries) {
      const std::string path = "demand.work_types." + e.key;
      const Tree& v = e.value;
      Scenario::WorkType w;
      w.id = e.key;
      w.kind = static_cast<Scenario::WorkKind>(
          std::find(kinds.begin(), kinds.end(), v.find("kind")->text) - kinds.begin());
      const Rate rate = std::get<Rate>(parse_rate(v.find("rate")->text));
      w.rate_per_hour = rate.per_hour;
      w.per_employee = !rate.per.empty();
      const Tree& units = *v.find("units");
      for (std::size_t i = 0; i < units.items.size(); ++i) {
        if (auto u = resolve(units.items[i], key_path_index(path + ".units", i), unit_ids_, "unit",
                             "organisation.units"))
          w.units.push_back(*u);
      }
      if (units.items.empty()) {
        w.units.resize(s.units.size());
        std::iota(w.units.begin(), w.units.end(), 0U);
      }
      w.profile = bool_of(*v.find("follows_profile")) ? profile : sim::RateProfile{};
      if (!bool_of(*v.find("follows_profile")))
        w.profile.yearly_growth = number_of(*demand.find("yearly_growth"));

      const Tree& mix = *v.find("priority_mix");
      double sum = 0;
      for (std::size_t p = 0; p < 4; ++p) {
        const Tree* share = mix.find("p" + std::to_string(p + 1));
        w.priority_mix[p] = share == nullptr ? 0 : number_of(*share);
        sum += w.priority_mix[p];
      }
      if (std::abs(sum - 1) > 1e-9)
        error(mix, path + ".priority_mix",
              "shares sum to " + format_number(sum) + "; they must sum to 1");

      if (auto d = distribution_of(*v.find("effort"), path + ".effort", nullptr)) w.effort_h = *d;
      if (const Tree* patience = v.find("patience")) {
        Scenario::TimedDistribution timed;
        if (auto d = distribution_of(*patience, path + ".patience", &timed.base)) {
          timed.hours = *d;
          w.patience = timed;
        }
      }
      if (const Tree* value = v.find("value"))
        w.value_per_week = distribution_of(*value, path + ".value", nullptr);
      w.value_life_h = duration_of(*v.find("value_life")).amount;
      w.urgency = static_cast<Scenario::Urgency>(
          std::find(urgencies.begin(), urgencies.end(), v.find("urgency")->text) -
          urgencies.begin());
      s.work_types.push_back(std::move(w));
    }
    work_type_ids_ = ids_of(types);
  }

  void build_pools(Scenario& s) {
    const Tree& pools = *at("staff").find("pools");
    if (pools.entries.empty()) error(pools, "staff.pools", "at least one pool is needed");
    std::vector<std::string> calendar_ids;
    for (const Scenario::CalendarSpec& c : s.calendars)
      calendar_ids.push_back(c.id);
    static const std::vector<std::string> disciplines = {"fifo", "priority", "wsjf"};
    for (const Tree::Entry& e : pools.entries) {
      const std::string path = "staff.pools." + e.key;
      const Tree& v = e.value;
      Scenario::Pool p;
      p.id = e.key;
      p.role = v.find("role")->text;
      const std::int64_t headcount = integer_of(*v.find("headcount"));
      if (headcount > 1'000'000) {
        error(*v.find("headcount"), path + ".headcount", "must be <= 1000000");
      }
      p.headcount = static_cast<std::uint32_t>(std::min<std::int64_t>(headcount, 1'000'000));
      if (auto c = resolve(*v.find("calendar"), path + ".calendar", calendar_ids, "calendar",
                           "calendars (with always and business)"))
        p.calendar = *c;
      const auto d = std::find(disciplines.begin(), disciplines.end(), v.find("discipline")->text) -
                     disciplines.begin();
      p.discipline =
          d == 0 ? sim::QueueDiscipline::fifo
                 : (d == 1 ? sim::QueueDiscipline::priority : sim::QueueDiscipline::value_density);
      p.preemptive = bool_of(*v.find("preemptive"));
      if (p.preemptive && p.discipline != sim::QueueDiscipline::priority)
        error(*v.find("preemptive"), path + ".preemptive",
              "pre-emption needs discipline: priority (this pool is " + v.find("discipline")->text +
                  ")");
      p.cost_per_hour = number_of(*v.find("cost_per_hour"));
      s.pools.push_back(std::move(p));
    }
    pool_ids_ = ids_of(pools);
  }

  void build_models(Scenario& s) {
    const Tree& models = at("models");
    if (models.entries.empty()) error(models, "models", "at least one operating model is needed");
    for (const Tree::Entry& e : models.entries) {
      Scenario::Model m;
      m.id = e.key;
      m.description = e.value.find("description")->text;
      const std::string path = "models." + e.key;
      const Tree& routes = *e.value.find("routes");
      for (const Tree::Entry& r : routes.entries) {
        const std::string route_path = path + ".routes." + r.key;
        Tree key = Tree::scalar(r.key, r.key_where);
        if (!resolve(key, route_path, work_type_ids_, "work type", "demand.work_types")) continue;
      }
      for (std::uint32_t w = 0; w < work_type_ids_.size(); ++w) {
        const Tree* route = routes.find(work_type_ids_[w]);
        if (route == nullptr) {
          error(routes, path + ".routes",
                "no route for work type " + quote(work_type_ids_[w]) +
                    " (every model must route every work type)");
          continue;
        }
        m.routes.push_back(build_route(*route, w, path + ".routes." + work_type_ids_[w]));
      }
      s.models.push_back(std::move(m));
    }
    const std::vector<std::string> model_ids = ids_of(models);
    if (const Tree* baseline = root_.find("baseline")) {
      if (auto b = resolve(*baseline, "baseline", model_ids, "model", "models")) s.baseline = *b;
    }
  }

  Scenario::Route build_route(const Tree& route, std::uint32_t work_type, const std::string& path) {
    Scenario::Route r;
    r.work_type = work_type;
    const Tree& stages = *route.find("stages");
    if (stages.entries.empty()) {
      error(stages, path + ".stages", "a route needs at least one stage");
      return r;
    }
    std::vector<std::string> stage_ids = ids_of(stages);
    if (const Tree* start = route.find("start")) {
      if (auto i = resolve(*start, path + ".start", stage_ids, "stage", "stages")) r.start = *i;
    }
    std::vector<std::string> targets = stage_ids;
    targets.push_back("done");
    if (std::find(stage_ids.begin(), stage_ids.end(), "done") != stage_ids.end())
      error(stages, path + ".stages",
            "\"done\" is reserved for leaving the route; rename the stage");
    for (const Tree::Entry& e : stages.entries) {
      const std::string stage_path = path + ".stages." + e.key;
      const Tree& v = e.value;
      Scenario::Stage st;
      st.id = e.key;
      if (auto p = resolve(*v.find("pool"), stage_path + ".pool", pool_ids_, "pool", "staff.pools"))
        st.pool = *p;
      if (const Tree* service = v.find("service"))
        st.service_h = distribution_of(*service, stage_path + ".service", nullptr);
      st.effort_share = number_of(*v.find("effort_share"));
      const Tree& next = *v.find("next");
      double sum = 0;
      for (const Tree::Entry& n : next.entries) {
        Tree key = Tree::scalar(n.key, n.key_where);
        const auto target = resolve(key, stage_path + ".next." + n.key, targets, "next stage",
                                    "the route's stages (or done)");
        const double p = number_of(n.value);
        sum += p;
        if (!target) continue;
        st.next.push_back({*target == stage_ids.size() ? Scenario::Next::done : *target, p});
      }
      if (next.entries.empty()) {
        error(next, stage_path + ".next", "no next step: write {done: 1} to leave the route");
      } else if (std::abs(sum - 1) > 1e-9) {
        error(next, stage_path + ".next",
              "routing row sums to " + format_number(sum) + "; it must sum to 1");
      }
      r.stages.push_back(std::move(st));
    }
    if (!diags_.has_errors()) check_leaves(r, stages, path);
    return r;
  }

  /// Every stage an item can reach must lead to `done` with positive probability, or
  /// items would circulate for ever.
  void check_leaves(const Scenario::Route& r, const Tree& stages, const std::string& path) {
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
      diags_.error(e.key_where, path + ".stages." + e.key,
                   "items reaching this stage can never leave the route (no path to done)");
    }
  }

  /// Warns about pools that long-run demand loads at or beyond their capacity: queues then
  /// grow without bound (unless requesters abandon).
  void warn_overload(const Scenario& s) {
    const Tree& pools = *at("staff").find("pools");
    for (const Scenario::Model& m : s.models) {
      std::vector<double> work(s.pools.size(), 0.0); // hours of work offered per hour
      std::vector<bool> impatient_free(s.pools.size(), false);
      for (const Scenario::Route& r : m.routes) {
        const Scenario::WorkType& w = s.work_types[r.work_type];
        const double lambda = w.firm_rate_per_hour(s.units);
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
          work[st.pool] += lambda * visits(static_cast<Eigen::Index>(i)) * mean;
          if (!w.patience) impatient_free[st.pool] = true;
        }
      }
      for (std::size_t p = 0; p < s.pools.size(); ++p) {
        const Scenario::Pool& pool = s.pools[p];
        const sim::Calendar& cal = s.calendars[pool.calendar].calendar;
        const double capacity = pool.headcount * cal.working_per_week().hours_f() / 168.0;
        if (work[p] <= 0 || !impatient_free[p]) continue;
        if (work[p] >= capacity) {
          const Tree::Entry& e = pools.entries[p];
          diags_.warning(e.value.find("headcount")->where, "staff.pools." + e.key + ".headcount",
                         "model " + quote(m.id) + " offers this pool " + format_number(work[p]) +
                             " hours of work per hour against a "
                             "capacity of " +
                             format_number(capacity) + " (load " +
                             format_number(capacity > 0 ? work[p] / capacity : INFINITY) +
                             "): unstable, its queue grows without bound");
        }
      }
    }
  }

  const Tree& root_;
  Diagnostics& diags_;
  double business_day_h_ = 8;
  std::vector<std::string> unit_ids_;
  std::vector<std::string> work_type_ids_;
  std::vector<std::string> pool_ids_;
};

} // namespace

std::optional<Scenario> build_scenario(const Tree& root, Diagnostics& diags) {
  return Builder(root, diags).build();
}

} // namespace itsim::scenarios
