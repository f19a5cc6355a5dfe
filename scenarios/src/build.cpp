// SPDX-License-Identifier: Apache-2.0
// From a schema-valid tree to a Scenario value: units converted, references resolved to
// indices, and the checks that span keys (references, routing rows, priority mixes, the
// baseline, pools loaded beyond capacity).
#include "build.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <Eigen/Dense>

#include "itsim/scenarios/choices.hpp"
#include "itsim/sim/error.hpp"
#include "itsim/sim/format.hpp"
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

/// The value of a choice the schema has checked.
template <class E, std::size_t N> E choice_of(const Choices<E, N>& table, const Tree& t) {
  return find_choice(table, t.text).value();
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
    s.warmup_mser5 = find_choice(warmup_rules, warmup.text) == WarmupRule::mser5;
    s.warmup_h = s.warmup_mser5 ? 0 : duration_of(warmup).amount;
    if (!s.warmup_mser5 && !(s.warmup_h < s.horizon_h))
      error(warmup, "warmup", "must be shorter than the horizon (" + at("horizon").text + ")");
    s.replications = static_cast<std::uint32_t>(integer_of(at("replications")));
    s.seed = static_cast<std::uint64_t>(integer_of(at("seed")));

    build_calendars(s);
    build_units(s);
    build_work_types(s);
    build_pools(s);
    build_mechanisms(s);
    build_models(s);

    const Tree& output = at("output");
    s.timeseries_step_h = duration_of(*output.find("timeseries_step")).amount;
    for (const Tree& d : output.find("detail")->items)
      if (choice_of(detail_tables, d) == DetailTable::requests) s.detail_requests = true;

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
      // The schema has checked that the parameters written are exactly one parametrisation.
      const schema::Family& family = schema::family(t.find("dist")->text);
      const auto form = std::find_if(
          family.parametrisations.begin(), family.parametrisations.end(),
          [&](const schema::Parametrisation& f) {
            return std::all_of(f.parameters.begin(), f.parameters.end(),
                               [&](const std::string& key) { return t.find(key) != nullptr; });
          });
      std::vector<double> values;
      for (const std::string& key : form->parameters) {
        const Tree& v = *t.find(key);
        if (key == "values") {
          for (const Tree& x : v.items)
            values.push_back(amount(x));
        } else {
          values.push_back(schema::is_quantity_parameter(key) ? amount(v) : number_of(v));
        }
      }
      return form->make(values);
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
        const int weekday = choice_of(weekdays, d);
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
    for (const Tree::Entry& e : types.entries) {
      const std::string path = "demand.work_types." + e.key;
      const Tree& v = e.value;
      Scenario::WorkType w;
      w.id = e.key;
      w.kind = choice_of(work_kinds, *v.find("kind"));
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
              "shares sum to " + format_double(sum, 4) + "; they must sum to 1");

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
      w.urgency = choice_of(urgencies, *v.find("urgency"));
      w.spanning_share = number_of(*v.find("spanning_share"));
      const Duration expected = expected_lead_of(v.find("expected_lead"), w.kind);
      w.expected_lead_h = expected.amount;
      w.expected_lead_base = expected.base;
      s.work_types.push_back(std::move(w));
    }
    work_type_ids_ = ids_of(types);
  }

  /// The lead time a requester expects (MODEL.md M9): as written, or by kind.
  Duration expected_lead_of(const Tree* written, Scenario::WorkKind kind) const {
    if (written != nullptr) return duration_of(*written);
    switch (kind) {
    case Scenario::WorkKind::incident:
      return {8, TimeBase::business};
    case Scenario::WorkKind::request:
      return {3 * business_day_h_, TimeBase::business};
    case Scenario::WorkKind::enhancement:
      return {4 * 168.0, TimeBase::calendar};
    case Scenario::WorkKind::project:
      return {26 * 168.0, TimeBase::calendar};
    case Scenario::WorkKind::other:
      break;
    }
    return {168.0, TimeBase::calendar};
  }

  void build_pools(Scenario& s) {
    const Tree& pools = *at("staff").find("pools");
    if (pools.entries.empty()) error(pools, "staff.pools", "at least one pool is needed");
    std::vector<std::string> calendar_ids;
    for (const Scenario::CalendarSpec& c : s.calendars)
      calendar_ids.push_back(c.id);
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
      p.discipline = choice_of(queue_disciplines, *v.find("discipline"));
      p.preemptive = bool_of(*v.find("preemptive"));
      if (p.preemptive && p.discipline != sim::QueueDiscipline::priority)
        error(*v.find("preemptive"), path + ".preemptive",
              "pre-emption needs discipline: priority (this pool is " + v.find("discipline")->text +
                  ")");
      p.cost_per_hour = number_of(*v.find("cost_per_hour"));
      p.availability = number_of(*v.find("availability"));
      p.first_line = bool_of(*v.find("first_line"));
      pool_headcounts_.push_back(p.headcount);
      s.pools.push_back(std::move(p));
    }
    pool_ids_ = ids_of(pools);
  }

  void build_mechanisms(Scenario& s) {
    const Tree& mech = at("mechanisms");
    Scenario::Mechanisms& m = s.mechanisms;
    auto num = [&](const char* section, const char* key) {
      return number_of(*mech.find(section)->find(key));
    };
    auto hours = [&](const char* section, const char* key) {
      return duration_of(*mech.find(section)->find(key)).amount;
    };
    const Tree& handoff = *mech.find("handoff");
    if (auto d = distribution_of(*handoff.find("delay"), "mechanisms.handoff.delay",
                                 &m.handoff_delay.base))
      m.handoff_delay.hours = *d;
    m.handoff_retention = num("handoff", "retention");
    m.base_understanding = num("handoff", "base_understanding");
    m.knowledge_weight = num("handoff", "knowledge_weight");
    m.rework_effort_share = num("handoff", "rework_effort_share");
    m.quality_loss = num("handoff", "quality_loss");
    m.effort_penalty = num("knowledge", "effort_penalty");
    m.progress_ratio = num("knowledge", "progress_ratio");
    m.learning_hours = hours("knowledge", "learning_hours");
    m.monthly_retention = num("knowledge", "monthly_retention");
    m.context_switch_cost = num("coordination", "context_switch_cost");
    m.coordination_factor = num("coordination", "spanning_factor");
    const Tree& value = *mech.find("value");
    m.user_hour_cost = num("value", "user_hour_cost");
    for (std::size_t p = 0; p < 4; ++p)
      m.users_affected[p] =
          number_of(*value.find("users_affected")->find("p" + std::to_string(p + 1)));
    m.customer_facing_factor = num("value", "customer_facing_factor");
    m.decay_half_life_h = hours("value", "decay_half_life");
    m.deadline_h = hours("value", "deadline");
    m.effort_cost_rate = num("value", "effort_cost_per_hour");
    m.shadow_build_share = num("shadow", "build_share");
    m.shadow_value_share = num("shadow", "value_share");
    m.shadow_cost_factor = num("shadow", "cost_factor");
    m.shadow_incident_factor = num("shadow", "incident_factor");
    m.shadow_run_cost_per_week = num("shadow", "run_cost_per_week");
    m.expectation_rise_per_year = num("perception", "expectation_rise_per_year");
    const Tree& sla = *mech.find("sla");
    for (std::size_t p = 0; p < 4; ++p) {
      const Duration d = duration_of(*sla.find("p" + std::to_string(p + 1)));
      m.sla_h[p] = d.amount;
      m.sla_base[p] = d.base;
    }
  }

  void build_models(Scenario& s) {
    const Tree& models = at("models");
    if (models.entries.empty()) error(models, "models", "at least one operating model is needed");
    for (const Tree::Entry& e : models.entries) {
      Scenario::Model m;
      m.id = e.key;
      const Tree& v = e.value;
      m.description = v.find("description")->text;
      if (const Tree* preset = v.find("preset")) m.preset = preset->text;
      const std::string path = "models." + e.key;
      build_resources(s, v, path, m);
      resource_ids_.clear();
      for (const Scenario::Resource& r : m.resources)
        resource_ids_.push_back(r.id);
      model_ = &m;

      static const Tree no_routes = Tree::map();
      const Tree* written = v.find("routes");
      const Tree& routes = written != nullptr ? *written : no_routes;
      const Tree& routes_at = written != nullptr ? *written : v;
      for (const Tree::Entry& r : routes.entries) {
        const std::string route_path = path + ".routes." + r.key;
        Tree key = Tree::scalar(r.key, r.key_where);
        if (!resolve(key, route_path, work_type_ids_, "work type", "demand.work_types")) continue;
      }
      for (std::uint32_t w = 0; w < work_type_ids_.size(); ++w) {
        const Tree* route = routes.find(work_type_ids_[w]);
        if (route == nullptr) {
          error(routes_at, path + ".routes",
                "no route for work type " + quote(work_type_ids_[w]) +
                    " (every model must route every work type)");
          continue;
        }
        m.routes.push_back(build_route(*route, w, path + ".routes." + work_type_ids_[w]));
      }

      m.self_service.assign(s.work_types.size(), 0.0);
      if (const Tree* self = v.find("self_service")) {
        for (const Tree::Entry& x : self->entries) {
          Tree key = Tree::scalar(x.key, x.key_where);
          if (auto w = resolve(key, path + ".self_service." + x.key, work_type_ids_, "work type",
                               "demand.work_types"))
            m.self_service[*w] = number_of(x.value);
        }
      }
      if (const Tree* rotation = v.find("rotation"))
        m.rotation = rotation_of(*rotation, path + ".rotation");
      if (const Tree* proactive = v.find("proactive"))
        m.proactive = proactive_of(*proactive, path + ".proactive");
      const Tree& capabilities = *v.find("capabilities");
      m.incident_reduction_per_item = number_of(*capabilities.find("incident_reduction_per_item"));
      m.max_incident_reduction = number_of(*capabilities.find("max_incident_reduction"));
      m.change_failure = number_of(*v.find("change_failure"));
      model_ = nullptr;
      s.models.push_back(std::move(m));
    }
    const std::vector<std::string> model_ids = ids_of(models);
    if (const Tree* baseline = root_.find("baseline")) {
      if (auto b = resolve(*baseline, "baseline", model_ids, "model", "models")) s.baseline = *b;
    }
  }

  /// The model's resources: one per scenario pool (less what its teams take), then one per
  /// team. Checks team ids, members and the people teams take from each pool.
  void build_resources(const Scenario& s, const Tree& v, const std::string& path,
                       Scenario::Model& m) {
    const Tree& knowledge = *v.find("knowledge");
    const double k0 = number_of(*knowledge.find("initial"));
    const bool learns = bool_of(*knowledge.find("learns"));
    for (const Scenario::Pool& p : s.pools) {
      Scenario::Resource r;
      r.id = p.id;
      r.people = p.headcount;
      r.calendar = p.calendar;
      r.discipline = p.discipline;
      r.preemptive = p.preemptive;
      r.cost_per_hour = p.cost_per_hour;
      r.availability = p.availability;
      r.first_line = p.first_line;
      r.knowledge = k0;
      r.learns = learns;
      m.resources.push_back(std::move(r));
    }
    const Tree* teams = v.find("teams");
    std::vector<std::string> team_ids =
        teams != nullptr ? ids_of(*teams) : std::vector<std::string>{};
    if (const Tree* switching = v.find("context_switch")) {
      for (std::size_t i = 0; i < switching->items.size(); ++i) {
        const Tree& item = switching->items[i];
        const std::string item_path = key_path_index(path + ".context_switch", i);
        if (std::find(team_ids.begin(), team_ids.end(), item.text) != team_ids.end()) {
          error(item, item_path,
                quote(item.text) + " is a team: set the team's own context_switch instead");
          continue;
        }
        if (auto p = resolve(item, item_path, pool_ids_, "pool", "staff.pools"))
          m.resources[*p].context_switch = true;
      }
    }
    if (teams == nullptr) return;

    // People each pool gives to this model's teams, in all.
    std::vector<double> taken(s.pools.size(), 0.0);
    for (const Tree::Entry& t : teams->entries) {
      if (const Tree* members = t.value.find("members")) {
        for (const Tree::Entry& x : members->entries) {
          const auto it = std::find(pool_ids_.begin(), pool_ids_.end(), x.key);
          if (it != pool_ids_.end())
            taken[static_cast<std::size_t>(it - pool_ids_.begin())] += number_of(x.value);
        }
      }
    }
    std::vector<double> running(s.pools.size(), 0.0);
    std::vector<std::string> calendar_ids;
    for (const Scenario::CalendarSpec& c : s.calendars)
      calendar_ids.push_back(c.id);
    for (const Tree::Entry& t : teams->entries) {
      const std::string team_path = path + ".teams." + t.key;
      const Tree& tv = t.value;
      if (std::find(pool_ids_.begin(), pool_ids_.end(), t.key) != pool_ids_.end())
        diags_.error(t.key_where, team_path,
                     "team id " + quote(t.key) +
                         " is also a pool id in staff.pools; give the team an id of its own");
      Scenario::Resource r;
      r.id = t.key;
      r.team = true;
      const Tree* members = tv.find("members");
      if (members == nullptr || members->entries.empty()) {
        error(members != nullptr ? *members : tv,
              members != nullptr ? team_path + ".members" : team_path,
              "a team needs members: people taken from staff.pools, e.g. {dev: 5}");
      }
      double cost = 0, availability = 0;
      std::optional<std::uint32_t> first_pool;
      if (members != nullptr) {
        for (const Tree::Entry& x : members->entries) {
          const std::string member_path = team_path + ".members." + x.key;
          Tree key = Tree::scalar(x.key, x.key_where);
          const auto p = resolve(key, member_path, pool_ids_, "pool", "staff.pools");
          if (!p) continue;
          const double n = number_of(x.value);
          const Scenario::Pool& pool = s.pools[*p];
          const double before = running[*p];
          running[*p] += n;
          if (before <= pool.headcount + 1e-9 && running[*p] > pool.headcount + 1e-9) {
            diags_.error(x.key_where, member_path,
                         "pool " + quote(pool.id) + " has " + std::to_string(pool.headcount) +
                             " people, but this model's teams take " + format_double(taken[*p], 4) +
                             " from it");
          }
          r.people += n;
          cost += n * pool.cost_per_hour;
          availability += n * pool.availability;
          if (!first_pool) first_pool = *p;
        }
      }
      if (r.people > 0) {
        r.cost_per_hour = cost / r.people;
        r.availability = availability / r.people;
      }
      r.by_unit = bool_of(*tv.find("by_unit"));
      if (const Tree* wip = tv.find("wip_limit"))
        r.wip_limit =
            static_cast<std::uint32_t>(std::min<std::int64_t>(integer_of(*wip), 1'000'000));
      r.discipline = choice_of(queue_disciplines, *tv.find("discipline"));
      r.preemptive = bool_of(*tv.find("preemptive"));
      if (r.preemptive && r.discipline != sim::QueueDiscipline::priority)
        error(*tv.find("preemptive"), team_path + ".preemptive",
              "pre-emption needs discipline: priority (this team is " +
                  tv.find("discipline")->text + ")");
      if (const Tree* calendar = tv.find("calendar")) {
        if (auto c = resolve(*calendar, team_path + ".calendar", calendar_ids, "calendar",
                             "calendars (with always and business)"))
          r.calendar = *c;
      } else if (first_pool) {
        r.calendar = s.pools[*first_pool].calendar;
      }
      r.knowledge = number_of(*tv.find("knowledge"));
      r.learns = bool_of(*tv.find("learns"));
      r.context_switch = bool_of(*tv.find("context_switch"));
      r.first_line = bool_of(*tv.find("first_line"));
      m.resources.push_back(std::move(r));
    }
    for (std::size_t p = 0; p < s.pools.size(); ++p)
      m.resources[p].people = std::max(0.0, s.pools[p].headcount - taken[p]);
  }

  /// Resolves the pool or team named at `t` among the current model's resources.
  std::optional<std::uint32_t> resource_of(const Tree& t, const std::string& path) {
    const bool has_teams = resource_ids_.size() > pool_ids_.size();
    return resolve(t, path, resource_ids_, has_teams ? "pool or team" : "pool",
                   has_teams ? "staff.pools (with the model's teams)" : "staff.pools");
  }

  /// Reports a stage or proactive pool naming a resource without people.
  void check_people(const Tree& t, const std::string& path, std::uint32_t resource) {
    const Scenario::Resource& r = model_->resources[resource];
    if (r.people > 0 || r.team) return; // a team without members is reported already
    const std::uint32_t headcount =
        resource < pool_headcounts_.size() ? pool_headcounts_[resource] : 0;
    if (headcount == 0) {
      error(t, path, "pool " + quote(r.id) + " has no people (headcount 0)");
    } else {
      error(t, path,
            "pool " + quote(r.id) + " has no people left in this model: its teams take all " +
                std::to_string(headcount));
    }
  }

  Scenario::Rotation rotation_of(const Tree& v, const std::string& path) {
    Scenario::Rotation r;
    const Tree& pools = *v.find("pools");
    for (std::size_t i = 0; i < pools.items.size(); ++i) {
      if (auto p = resource_of(pools.items[i], key_path_index(path + ".pools", i)))
        r.resources.push_back(*p);
    }
    r.period_h = duration_of(*v.find("period")).amount;
    r.stint_h = duration_of(*v.find("stint")).amount;
    if (r.stint_h > r.period_h)
      error(*v.find("stint"), path + ".stint",
            "a stint (" + v.find("stint")->text + ") cannot be longer than the rotation period (" +
                v.find("period")->text + ")");
    r.it_share = number_of(*v.find("it_share"));
    r.business_staff = static_cast<std::uint32_t>(
        std::min<std::int64_t>(integer_of(*v.find("business_staff")), 100'000'000));
    const Tree& ramp = *v.find("ramp");
    r.ramp_from = number_of(*ramp.find("from"));
    r.ramp_to = number_of(*ramp.find("to"));
    r.ramp_h = duration_of(*ramp.find("over")).amount;
    r.learning_multiplier = number_of(*v.find("learning_multiplier"));
    r.retention_boost = number_of(*v.find("retention_boost"));
    r.self_serve_boost = number_of(*v.find("self_serve_boost"));
    return r;
  }

  Scenario::Proactive proactive_of(const Tree& v, const std::string& path) {
    Scenario::Proactive p;
    if (auto r = resource_of(*v.find("pool"), path + ".pool")) {
      p.resource = *r;
      check_people(*v.find("pool"), path + ".pool", *r);
    }
    if (auto w = resolve(*v.find("work_type"), path + ".work_type", work_type_ids_, "work type",
                         "demand.work_types"))
      p.work_type = *w;
    p.rate_per_hour = std::get<Rate>(parse_rate(v.find("rate")->text)).per_hour;
    p.value_factor = number_of(*v.find("value_factor"));
    return p;
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
      const std::optional<std::uint32_t> resource =
          resource_of(*v.find("pool"), stage_path + ".pool");
      if (resource) {
        st.pool = *resource;
        check_people(*v.find("pool"), stage_path + ".pool", *resource);
      }
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
              "routing row sums to " + format_double(sum, 4) + "; it must sum to 1");
      }
      st.handoff = bool_of(*v.find("handoff"));
      if (const Tree* rework = v.find("rework"))
        st.rework_to =
            resolve(*rework, stage_path + ".rework", stage_ids, "stage", "the route's stages");
      if (const Tree* gate = v.find("gate")) {
        st.gate_every_h = duration_of(*gate->find("every")).amount;
        st.gate_offset_h = duration_of(*gate->find("offset")).amount;
      }
      if (const Tree* delay = v.find("delay")) {
        Scenario::TimedDistribution timed;
        if (auto d = distribution_of(*delay, stage_path + ".delay", &timed.base)) {
          timed.hours = *d;
          st.delay = timed;
        }
      }
      const Tree& spanning = *v.find("spanning");
      st.spanning = choice_of(spannings, spanning);
      if (st.spanning == Scenario::Spanning::second_team && resource &&
          !model_->resources[*resource].by_unit)
        error(spanning, stage_path + ".spanning",
              "second_team needs a by_unit team or pool; " +
                  (model_->resources[*resource].team
                       ? "team " + quote(model_->resources[*resource].id) +
                             " is not split by unit (by_unit: false)"
                       : quote(model_->resources[*resource].id) + " is a pool, not split by unit"));
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

  /// Warns about pools and teams that long-run demand loads at or beyond their capacity:
  /// queues then grow without bound (unless requesters abandon). The work counted is the
  /// routes' own (services, or effort times effort_share, at the visit ratios), less what
  /// requesters serve themselves; the capacity is people x availability over the calendar.
  /// The mechanisms mostly add work (rework, knowledge, context switches, coordination,
  /// change failures) or take people away (rotation), so the load reported is a lower
  /// bound (but for rotation's self-service boost).
  void warn_overload(const Scenario& s) {
    const Tree& pools = *at("staff").find("pools");
    const Tree& models = at("models");
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
          const Tree::Entry& t = *models.find(m.id)->find("teams")->find_entry(res.id);
          where = t.key_where;
          path = "models." + m.id + ".teams." + res.id;
        } else {
          const Tree::Entry& e = pools.entries[p];
          where = e.value.find("headcount")->where;
          path = "staff.pools." + e.key + ".headcount";
        }
        const std::string subject = res.team ? "team" : "pool";
        auto warn = [&](double offered, double capacity, const std::string& copy) {
          if (!(offered > 0) || offered < capacity) return;
          diags_.warning(where, path,
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

  const Tree& root_;
  Diagnostics& diags_;
  double business_day_h_ = 8;
  std::vector<std::string> unit_ids_;
  std::vector<std::string> work_type_ids_;
  std::vector<std::string> pool_ids_;
  std::vector<std::uint32_t> pool_headcounts_;
  /// The model being built (its resources) and the ids of its resources.
  const Scenario::Model* model_ = nullptr;
  std::vector<std::string> resource_ids_;
};

} // namespace

std::optional<Scenario> build_scenario(const Tree& root, Diagnostics& diags) {
  return Builder(root, diags).build();
}

} // namespace itsim::scenarios
