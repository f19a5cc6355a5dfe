// SPDX-License-Identifier: Apache-2.0
// From a schema-valid tree to a Scenario value: units converted, references resolved to
// indices, and the checks that span keys (references, routing rows, priority mixes, the
// baseline, pools loaded beyond capacity).
#include "build.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "build_checks.hpp"
#include "itsim/scenarios/choices.hpp"
#include "itsim/sim/error.hpp"
#include "itsim/sim/format.hpp"
#include "schema_view.hpp"
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

using schema::View;

// Keys bound to Scenario members in scenario_schema.cpp and mechanisms_schema.cpp
// (Node::into) are read by View::read; the Builder reads by name only what spans keys or
// needs more than a conversion, through View's lookups, which the schema checks.
class Builder {
public:
  Builder(const Tree& root, Diagnostics& diags) : root_(schema::scenario(), root), diags_(diags) {}

  std::optional<Scenario> build() {
    Scenario s;
    // Durations in business days need the length of one, so it is read first.
    context_.business_day_h =
        std::get<Duration>(parse_duration(root_["business_day"]->text)).amount;
    root_.read(s, context_);
    const Tree& warmup = root_["warmup"].tree();
    s.warmup_mser5 = find_choice(warmup_rules, warmup.text) == WarmupRule::mser5;
    s.warmup_h = s.warmup_mser5 ? 0 : duration_of(warmup).amount;
    if (!s.warmup_mser5 && !(s.warmup_h < s.horizon_h))
      error(warmup, "warmup", "must be shorter than the horizon (" + root_["horizon"]->text + ")");

    build_calendars(s);
    build_units(s);
    build_work_types(s);
    build_pools(s);
    build_mechanisms(s);
    build_models(s);
    build_paths(s);
    build_levers(s);

    for (const Tree& d : root_["output"]["detail"]->items)
      if (choice_of(detail_tables, d) == DetailTable::requests) s.detail_requests = true;

    if (diags_.has_errors()) return std::nullopt;
    return s;
  }

private:
  void error(const Tree& t, const std::string& path, std::string message) {
    diags_.error(t.where, path, std::move(message));
  }

  Duration duration_of(const Tree& t) const {
    return std::get<Duration>(parse_duration(t.text, context_.business_day_h));
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
      const auto d = parse_duration(v.text, context_.business_day_h);
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
    const View calendars = root_["calendars"];
    for (const Tree::Entry& e : calendars->entries) {
      if (e.key == "always") {
        diags_.error(e.key_where, "calendars.always",
                     "\"always\" is built in (working 24/7) and cannot be redefined");
        continue;
      }
      const View v = calendars.element(e.value);
      const Tree& hours = v["hours"].tree();
      const int h1 = std::stoi(hours.text.substr(0, 2)), m1 = std::stoi(hours.text.substr(3, 2));
      const int h2 = std::stoi(hours.text.substr(6, 2)), m2 = std::stoi(hours.text.substr(9, 2));
      std::vector<sim::WorkWindow> windows;
      for (const Tree& d : v["days"]->items) {
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
    const View units = root_["organisation"]["units"];
    if (units->entries.empty())
      error(units.tree(), "organisation.units", "at least one business unit is needed");
    for (const Tree::Entry& e : units->entries) {
      Scenario::Unit u;
      u.id = e.key;
      units.element(e.value).read(u, context_);
      const Tree& headcount = units.element(e.value)["headcount"].tree();
      if (integer_of(headcount) > 100'000'000) {
        error(headcount, "organisation.units." + e.key + ".headcount", "must be <= 100000000");
        continue;
      }
      u.headcount = static_cast<std::uint32_t>(integer_of(headcount));
      s.units.push_back(std::move(u));
    }
    unit_ids_ = ids_of(units.tree());
  }

  sim::RateProfile profile_of(const View& demand) {
    const View profile = demand["profile"];
    sim::RateProfile p;
    for (std::size_t h = 0; h < 24; ++h)
      p.hour_of_day[h] = number_of(profile["hour_of_day"]->items[h]);
    for (std::size_t d = 0; d < 7; ++d)
      p.weekday[d] = number_of(profile["weekday"]->items[d]);
    p.yearly_growth = number_of(demand["yearly_growth"].tree());
    const bool no_hours =
        std::all_of(p.hour_of_day.begin(), p.hour_of_day.end(), [](double v) { return v == 0; });
    const bool no_days =
        std::all_of(p.weekday.begin(), p.weekday.end(), [](double v) { return v == 0; });
    if (no_hours || no_days) {
      error(profile.tree(), "demand.profile",
            std::string(no_hours ? "hour_of_day" : "weekday") +
                " multipliers are all 0: no demand would ever arrive");
      return {};
    }
    return p.normalised();
  }

  void build_work_types(Scenario& s) {
    const View demand = root_["demand"];
    const sim::RateProfile profile = profile_of(demand);
    const View types = demand["work_types"];
    if (types->entries.empty())
      error(types.tree(), "demand.work_types", "at least one work type is needed");
    for (const Tree::Entry& e : types->entries) {
      const std::string path = "demand.work_types." + e.key;
      const View v = types.element(e.value);
      Scenario::WorkType w;
      w.id = e.key;
      v.read(w, context_);
      const Rate rate = std::get<Rate>(parse_rate(v["rate"]->text));
      w.rate_per_hour = rate.per_hour;
      w.per_employee = !rate.per.empty();
      const Tree& units = v["units"].tree();
      for (std::size_t i = 0; i < units.items.size(); ++i) {
        if (auto u = resolve(units.items[i], key_path_index(path + ".units", i), unit_ids_, "unit",
                             "organisation.units"))
          w.units.push_back(*u);
      }
      if (units.items.empty()) {
        w.units.resize(s.units.size());
        std::iota(w.units.begin(), w.units.end(), 0U);
      }
      const bool follows = bool_of(v["follows_profile"].tree());
      w.profile = follows ? profile : sim::RateProfile{};
      if (!follows) w.profile.yearly_growth = number_of(demand["yearly_growth"].tree());

      const View mix = v["priority_mix"];
      double sum = 0;
      for (std::size_t p = 0; p < 4; ++p) {
        const auto share = mix.find("p" + std::to_string(p + 1));
        w.priority_mix[p] = share ? number_of(share->tree()) : 0;
        sum += w.priority_mix[p];
      }
      if (std::abs(sum - 1) > 1e-9)
        error(mix.tree(), path + ".priority_mix",
              "shares sum to " + format_double(sum, 4) + "; they must sum to 1");

      if (auto d = distribution_of(v["effort"].tree(), path + ".effort", nullptr)) w.effort_h = *d;
      if (const auto patience = v.find("patience")) {
        Scenario::TimedDistribution timed;
        if (auto d = distribution_of(patience->tree(), path + ".patience", &timed.base)) {
          timed.hours = *d;
          w.patience = timed;
        }
      }
      if (const auto value = v.find("value"))
        w.value_per_week = distribution_of(value->tree(), path + ".value", nullptr);
      const auto written = v.find("expected_lead");
      const Duration expected = expected_lead_of(written ? &written->tree() : nullptr, w.kind);
      w.expected_lead_h = expected.amount;
      w.expected_lead_base = expected.base;
      s.work_types.push_back(std::move(w));
    }
    work_type_ids_ = ids_of(types.tree());
  }

  /// The lead time a requester expects (MODEL.md M9): as written, or by kind.
  Duration expected_lead_of(const Tree* written, Scenario::WorkKind kind) const {
    if (written != nullptr) return duration_of(*written);
    switch (kind) {
    case Scenario::WorkKind::incident:
      return {8, TimeBase::business};
    case Scenario::WorkKind::request:
      return {3 * context_.business_day_h, TimeBase::business};
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
    const View pools = root_["staff"]["pools"];
    if (pools->entries.empty()) error(pools.tree(), "staff.pools", "at least one pool is needed");
    std::vector<std::string> calendar_ids;
    for (const Scenario::CalendarSpec& c : s.calendars)
      calendar_ids.push_back(c.id);
    for (const Tree::Entry& e : pools->entries) {
      const std::string path = "staff.pools." + e.key;
      const View v = pools.element(e.value);
      Scenario::Pool p;
      p.id = e.key;
      v.read(p, context_);
      const std::int64_t headcount = integer_of(v["headcount"].tree());
      if (headcount > 1'000'000)
        error(v["headcount"].tree(), path + ".headcount", "must be <= 1000000");
      p.headcount = static_cast<std::uint32_t>(std::min<std::int64_t>(headcount, 1'000'000));
      if (auto c = resolve(v["calendar"].tree(), path + ".calendar", calendar_ids, "calendar",
                           "calendars (with always and business)"))
        p.calendar = *c;
      if (p.tickets_first && p.discipline == sim::QueueDiscipline::fifo)
        error(v["tickets_first"].tree(), path + ".tickets_first",
              "tickets_first needs discipline: priority or wsjf (this pool is fifo)");
      if (p.preemptive && p.discipline != sim::QueueDiscipline::priority && !p.tickets_first)
        error(v["preemptive"].tree(), path + ".preemptive",
              "pre-emption needs discipline: priority, or tickets_first: true (this pool is " +
                  v["discipline"]->text + ")");
      if (const auto provider = v.find("provider")) {
        p.provider = true;
        if (auto d = distribution_of((*provider)["sla"].tree(), path + ".provider.sla",
                                     &p.provider_sla.base))
          p.provider_sla.hours = *d;
      }
      pool_headcounts_.push_back(p.headcount);
      s.pools.push_back(std::move(p));
    }
    pool_ids_ = ids_of(pools.tree());
  }

  void build_mechanisms(Scenario& s) {
    const View mech = root_["mechanisms"];
    Scenario::Mechanisms& m = s.mechanisms;
    mech.read(m, context_);
    if (auto d = distribution_of(mech["handoff"]["delay"].tree(), "mechanisms.handoff.delay",
                                 &m.handoff_delay.base))
      m.handoff_delay.hours = *d;
    const View sla = mech["sla"];
    for (std::size_t p = 0; p < 4; ++p) {
      const Duration d = duration_of(sla["p" + std::to_string(p + 1)].tree());
      m.sla_h[p] = d.amount;
      m.sla_base[p] = d.base;
    }
  }

  void build_models(Scenario& s) {
    const View models = root_["models"];
    if (models->entries.empty())
      error(models.tree(), "models", "at least one operating model is needed");
    for (const Tree::Entry& e : models->entries) {
      Scenario::Model m;
      m.id = e.key;
      m.where = e.key_where;
      const View v = models.element(e.value);
      v.read(m, context_);
      const std::string path = "models." + e.key;
      build_resources(s, v, path, m);
      resource_ids_.clear();
      for (const Scenario::Resource& r : m.resources)
        resource_ids_.push_back(r.id);
      model_ = &m;

      static const Tree no_routes = Tree::map();
      const auto written = v.find("routes");
      const Tree& routes = written ? written->tree() : no_routes;
      const Tree& routes_at = written ? written->tree() : v.tree();
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
        m.routes.push_back(
            build_route(written->element(*route), w, path + ".routes." + work_type_ids_[w]));
      }

      m.self_service.assign(s.work_types.size(), 0.0);
      if (const auto self = v.find("self_service")) {
        for (const Tree::Entry& x : self->tree().entries) {
          Tree key = Tree::scalar(x.key, x.key_where);
          if (auto w = resolve(key, path + ".self_service." + x.key, work_type_ids_, "work type",
                               "demand.work_types"))
            m.self_service[*w] = number_of(x.value);
        }
      }
      if (const auto rotation = v.find("rotation"))
        m.rotation = rotation_of(*rotation, path + ".rotation");
      if (const auto proactive = v.find("proactive"))
        m.proactive = proactive_of(*proactive, path + ".proactive");
      if (const auto contact = v.find("customer_contact"))
        m.customer_contact = customer_contact_of(s, *contact, path + ".customer_contact", m);
      model_ = nullptr;
      s.models.push_back(std::move(m));
    }
    const std::vector<std::string> model_ids = ids_of(models.tree());
    if (const auto baseline = root_.find("baseline")) {
      if (auto b = resolve(baseline->tree(), "baseline", model_ids, "model", "models"))
        s.baseline = *b;
    }
  }

  /// The controls of `itsim serve` (levers_schema.cpp): each names a key of the format (or
  /// `show: models`) and a range or choices; its current value is the key's in this
  /// scenario. Metadata: nothing here changes a run.
  void build_levers(Scenario& s) {
    const auto levers = root_.find("levers");
    if (!levers) return;
    for (const Tree::Entry& e : levers->tree().entries) {
      const std::string path = "levers." + e.key;
      const View v = levers->element(e.value);
      Scenario::Lever lever;
      v.read(lever, context_);
      lever.id = e.key;
      const auto show = v.find("show");
      const auto min = v.find("min");
      const auto max = v.find("max");
      const auto choices = v.find("choices");
      if (show) {
        lever.show_models = true;
        if (const auto key = v.find("key"))
          error(key->tree(), path + ".key", "a lever with `show` sets no key");
        if (min || max || choices)
          error(e.value, path, "a `show: models` lever takes its choices from the models");
        s.levers.push_back(std::move(lever));
        continue;
      }
      const Tree& key = v["key"].tree();
      if (lever.key.starts_with("levers") || !schema::knows(schema::scenario(), lever.key)) {
        error(key, path + ".key", "not a key of the scenario format: " + quote(lever.key));
        continue;
      }
      if (choices) {
        if (min || max) error(e.value, path, "a lever has either choices or min and max, not both");
        for (const Tree& c : choices->tree().items)
          lever.choices.push_back(c.text);
      } else if (!min || !max) {
        error(e.value, path, "a lever needs min and max, or choices");
        continue;
      } else if (!(lever.min < lever.max)) {
        error(max->tree(), path + ".max", "must be greater than min (" + min->tree().text + ")");
      }
      // The key's value in this scenario, as the page starts from it.
      const Tree* t = &root_.tree();
      std::string_view rest = lever.key;
      while (t != nullptr && !rest.empty()) {
        const std::size_t dot = rest.find('.');
        t = t->find(rest.substr(0, dot));
        rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
      }
      if (t != nullptr && t->is_scalar()) lever.current = t->text;
      s.levers.push_back(std::move(lever));
    }
  }

  /// Reorganisation paths (M14), each appended to s.models as a model of its own: the
  /// resources and routes of `from` then of `to`, and the plan of the move.
  void build_paths(Scenario& s) {
    const auto paths = root_.find("paths");
    if (!paths) return;
    std::vector<std::string> model_ids;
    for (const Scenario::Model& m : s.models)
      model_ids.push_back(m.id);
    std::vector<std::string> unit_ids;
    for (const Scenario::Unit& u : s.units)
      unit_ids.push_back(u.id);
    for (const Tree::Entry& e : paths->tree().entries) {
      const std::string path = "paths." + e.key;
      const View v = paths->element(e.value);
      if (std::find(model_ids.begin(), model_ids.end(), e.key) != model_ids.end()) {
        diags_.error(e.key_where, path,
                     "path id " + quote(e.key) +
                         " is also a model id; give the path an id of "
                         "its own");
        continue;
      }
      Scenario::Path plan;
      v.read(plan, context_);
      // model_ids holds the declared models only: a path never starts or ends in a path.
      const auto from = resolve(v["from"].tree(), path + ".from", model_ids, "model", "models");
      const auto to = resolve(v["to"].tree(), path + ".to", model_ids, "model", "models");
      if (!from || !to) continue;
      if (*from == *to) {
        error(v["to"].tree(), path + ".to", "a path moves to another model than its `from`");
        continue;
      }
      const Scenario::Model& a = s.models[*from];
      const Scenario::Model& b = s.models[*to];
      // What a path cannot carry yet: rotation's stints and customer contact's stages.
      const auto unsupported = [&](const Scenario::Model& m) -> const char* {
        if (m.rotation) return "a rotation";
        if (m.customer_contact && m.customer_contact->share > 0) return "customer_contact";
        return nullptr;
      };
      if (const char* what = unsupported(a) ? unsupported(a) : unsupported(b)) {
        const bool at_from = unsupported(a) != nullptr;
        error(v[at_from ? "from" : "to"].tree(), path + (at_from ? ".from" : ".to"),
              "model " + quote(at_from ? a.id : b.id) + " has " + what +
                  "; paths do not support it yet");
        continue;
      }
      if (plan.full_h < plan.ramp_h)
        error(v["ramp"]["full_after"].tree(), path + ".ramp.full_after",
              "must be at least ramp.over (" + v["ramp"]["over"]->text + ")");
      if (plan.ramp_to < plan.ramp_from)
        error(v["ramp"]["to"].tree(), path + ".ramp.to",
              "must be at least ramp.from (" + v["ramp"]["from"]->text + ")");

      // Waves: in time order, before the horizon, no unit in two.
      const Tree& waves = v["waves"].tree();
      std::vector<int> wave_of(s.units.size(), -1);
      for (std::size_t i = 0; i < waves.items.size(); ++i) {
        const std::string wave_path = key_path_index(path + ".waves", i);
        const View w = v["waves"].element(waves.items[i]);
        Scenario::Path::Wave wave;
        wave.at_h = duration_of(w["at"].tree()).amount;
        if (!(wave.at_h < s.horizon_h))
          error(w["at"].tree(), wave_path + ".at",
                "the wave moves after the horizon (" + root_["horizon"]->text + ")");
        const Tree& units = w["units"].tree();
        if (units.items.empty()) {
          if (waves.items.size() > 1)
            error(waves.items[i], wave_path + ".units",
                  "a wave without units moves every unit, so it must be the path's only wave");
          for (std::uint32_t u = 0; u < s.units.size(); ++u)
            wave.units.push_back(u);
        }
        for (std::size_t j = 0; j < units.items.size(); ++j) {
          const std::string unit_path = key_path_index(wave_path + ".units", j);
          const auto u = resolve(units.items[j], unit_path, unit_ids, "unit", "organisation.units");
          if (!u) continue;
          if (wave_of[*u] >= 0) {
            error(units.items[j], unit_path,
                  "unit " + quote(unit_ids[*u]) + " already moves in wave " +
                      std::to_string(wave_of[*u] + 1) + "; waves must not overlap");
            continue;
          }
          wave_of[*u] = static_cast<int>(i);
          wave.units.push_back(*u);
        }
        plan.waves.push_back(std::move(wave));
      }
      std::stable_sort(plan.waves.begin(), plan.waves.end(),
                       [](const auto& x, const auto& y) { return x.at_h < y.at_h; });

      Scenario::Model m;
      m.id = e.key;
      m.where = e.key_where;
      m.description = v["description"]->text;
      if (m.description.empty())
        m.description = a.id + " -> " + b.id + " in " + std::to_string(plan.waves.size()) +
                        (plan.waves.size() == 1 ? " wave" : " waves");
      plan.from = *from;
      plan.to = *to;
      plan.from_resources = static_cast<std::uint32_t>(a.resources.size());
      for (const Scenario::Resource& r : a.resources) {
        m.resources.push_back(r);
        m.resources.back().id = a.id + "." + r.id;
      }
      for (const Scenario::Resource& r : b.resources) {
        m.resources.push_back(r);
        m.resources.back().id = b.id + "." + r.id;
      }
      m.routes = a.routes;
      for (Scenario::Route r : b.routes) {
        for (Scenario::Stage& st : r.stages)
          st.pool += plan.from_resources;
        m.routes.push_back(std::move(r));
      }
      m.self_service = a.self_service;
      plan.self_service_to = b.self_service;
      m.change_failure = a.change_failure;
      plan.change_failure_to = b.change_failure;
      // Proactive work and what it removes: the target's (the old structure's when the
      // target has none).
      if (b.proactive) {
        m.proactive = b.proactive;
        m.proactive->resource += plan.from_resources;
        m.incident_reduction_per_item = b.incident_reduction_per_item;
        m.max_incident_reduction = b.max_incident_reduction;
      } else {
        m.proactive = a.proactive;
        m.incident_reduction_per_item = a.incident_reduction_per_item;
        m.max_incident_reduction = a.max_incident_reduction;
      }
      m.path = std::move(plan);
      s.models.push_back(std::move(m));
    }
  }

  /// The model's resources: one per scenario pool (less what its teams take), then one per
  /// team. Checks team ids, members and the people teams take from each pool.
  void build_resources(const Scenario& s, const View& v, const std::string& path,
                       Scenario::Model& m) {
    const View knowledge = v["knowledge"];
    const double k0 = number_of(knowledge["initial"].tree());
    const bool learns = bool_of(knowledge["learns"].tree());
    for (const Scenario::Pool& p : s.pools) {
      Scenario::Resource r;
      r.id = p.id;
      r.people = p.headcount;
      r.calendar = p.calendar;
      r.discipline = p.discipline;
      r.preemptive = p.preemptive;
      r.tickets_first = p.tickets_first;
      r.cost_per_hour = p.cost_per_hour;
      r.availability = p.availability;
      r.first_line = p.first_line;
      r.provider = p.provider;
      r.provider_sla = p.provider_sla;
      r.price_per_ticket = p.price_per_ticket;
      r.knowledge = k0;
      r.learns = learns;
      m.resources.push_back(std::move(r));
    }
    const auto teams = v.find("teams");
    std::vector<std::string> team_ids = teams ? ids_of(teams->tree()) : std::vector<std::string>{};
    if (const auto switching = v.find("context_switch")) {
      for (std::size_t i = 0; i < switching->tree().items.size(); ++i) {
        const Tree& item = switching->tree().items[i];
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
    if (!teams) return;

    // People each pool gives to this model's teams, in all.
    std::vector<double> taken(s.pools.size(), 0.0);
    for (const Tree::Entry& t : teams->tree().entries) {
      if (const auto members = teams->element(t.value).find("members")) {
        for (const Tree::Entry& x : members->tree().entries) {
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
    for (const Tree::Entry& t : teams->tree().entries) {
      const std::string team_path = path + ".teams." + t.key;
      const View tv = teams->element(t.value);
      if (std::find(pool_ids_.begin(), pool_ids_.end(), t.key) != pool_ids_.end())
        diags_.error(t.key_where, team_path,
                     "team id " + quote(t.key) +
                         " is also a pool id in staff.pools; give the team an id of its own");
      Scenario::Resource r;
      r.id = t.key;
      r.team = true;
      tv.read(r, context_);
      const auto written_members = tv.find("members");
      const Tree* members = written_members ? &written_members->tree() : nullptr;
      if (members == nullptr || members->entries.empty()) {
        error(members != nullptr ? *members : tv.tree(),
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
          if (pool.provider) {
            diags_.error(x.key_where, member_path,
                         "pool " + quote(pool.id) +
                             " is an outside provider (provider:): it lends no people to teams");
            continue;
          }
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
      if (const auto wip = tv.find("wip_limit"))
        r.wip_limit =
            static_cast<std::uint32_t>(std::min<std::int64_t>(integer_of(wip->tree()), 1'000'000));
      if (r.tickets_first && r.discipline == sim::QueueDiscipline::fifo)
        error(tv["tickets_first"].tree(), team_path + ".tickets_first",
              "tickets_first needs discipline: priority or wsjf (this team is fifo)");
      if (r.preemptive && r.discipline != sim::QueueDiscipline::priority && !r.tickets_first)
        error(tv["preemptive"].tree(), team_path + ".preemptive",
              "pre-emption needs discipline: priority, or tickets_first: true (this team is " +
                  tv["discipline"]->text + ")");
      if (const auto calendar = tv.find("calendar")) {
        if (auto c = resolve(calendar->tree(), team_path + ".calendar", calendar_ids, "calendar",
                             "calendars (with always and business)"))
          r.calendar = *c;
      } else if (first_pool) {
        r.calendar = s.pools[*first_pool].calendar;
      }
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
    if (r.people > 0 || r.team || r.provider)
      return; // a provider's headcount does not count // a team without members is reported already
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

  Scenario::Rotation rotation_of(const View& v, const std::string& path) {
    Scenario::Rotation r;
    v.read(r, context_);
    const Tree& pools = v["pools"].tree();
    for (std::size_t i = 0; i < pools.items.size(); ++i) {
      if (auto p = resource_of(pools.items[i], key_path_index(path + ".pools", i)))
        r.resources.push_back(*p);
    }
    if (r.stint_h > r.period_h)
      error(v["stint"].tree(), path + ".stint",
            "a stint (" + v["stint"]->text + ") cannot be longer than the rotation period (" +
                v["period"]->text + ")");
    r.business_staff = static_cast<std::uint32_t>(
        std::min<std::int64_t>(integer_of(v["business_staff"].tree()), 100'000'000));
    return r;
  }

  Scenario::Proactive proactive_of(const View& v, const std::string& path) {
    Scenario::Proactive p;
    v.read(p, context_);
    if (auto r = resource_of(v["pool"].tree(), path + ".pool")) {
      p.resource = *r;
      check_people(v["pool"].tree(), path + ".pool", *r);
    }
    if (auto w = resolve(v["work_type"].tree(), path + ".work_type", work_type_ids_, "work type",
                         "demand.work_types"))
      p.work_type = *w;
    return p;
  }

  /// M11: resolves the resources and work types, takes the share of the resources' time
  /// from their availability and appends, per resource, the stage where direct contacts
  /// are served to the contact work type's route.
  Scenario::CustomerContact customer_contact_of(const Scenario& s, const View& v,
                                                const std::string& path, Scenario::Model& m) {
    Scenario::CustomerContact c;
    v.read(c, context_);
    const Tree& resources = v["resources"].tree();
    for (std::size_t i = 0; i < resources.items.size(); ++i) {
      const std::string item_path = key_path_index(path + ".resources", i);
      if (auto r = resource_of(resources.items[i], item_path)) {
        if (std::find(c.resources.begin(), c.resources.end(), *r) != c.resources.end()) {
          error(resources.items[i], item_path, quote(resources.items[i].text) + " is listed twice");
          continue;
        }
        check_people(resources.items[i], item_path, *r);
        c.resources.push_back(*r);
      }
    }
    auto work_type = [&](const char* key, bool needed, const char* rate_key) {
      std::optional<std::uint32_t> w;
      if (const auto t = v.find(key)) {
        w = resolve(t->tree(), path + "." + key, work_type_ids_, "work type", "demand.work_types");
      } else if (needed) {
        error(v.tree(), path + "." + key,
              std::string("required when ") + rate_key + " > 0: the work type of its items");
      }
      return w;
    };
    if (auto w = work_type("opportunity_work_type", c.opportunity_rate > 0, "opportunity_rate"))
      c.opportunity_work_type = *w;
    if (auto w = work_type("contact_work_type", c.direct_contact_rate > 0, "direct_contact_rate")) {
      c.contact_work_type = *w;
      const Scenario::WorkKind kind = s.work_types[*w].kind;
      if (kind != Scenario::WorkKind::incident && kind != Scenario::WorkKind::request)
        error(v["contact_work_type"].tree(), path + ".contact_work_type",
              "a direct contact is a ticket: work type " + quote(work_type_ids_[*w]) +
                  " is of kind " + to_string(kind) + ", not incident or request");
    }
    if (diags_.has_errors()) return c;
    for (const std::uint32_t r : c.resources)
      m.resources[r].availability *= 1 - c.share;
    if (c.share > 0 && c.direct_contact_rate > 0 && c.contact_work_type < m.routes.size()) {
      Scenario::Route& route = m.routes[c.contact_work_type];
      for (const std::uint32_t r : c.resources) {
        Scenario::Stage st;
        st.id = "customer_contact." + m.resources[r].id;
        st.pool = r;
        st.next.push_back({Scenario::Next::done, 1});
        c.direct_stages.push_back(static_cast<std::uint32_t>(route.stages.size()));
        route.stages.push_back(std::move(st));
      }
    }
    return c;
  }

  Scenario::Route build_route(const View& route, std::uint32_t work_type, const std::string& path) {
    Scenario::Route r;
    r.work_type = work_type;
    const View stage_view = route["stages"];
    const Tree& stages = stage_view.tree();
    if (stages.entries.empty()) {
      error(stages, path + ".stages", "a route needs at least one stage");
      return r;
    }
    std::vector<std::string> stage_ids = ids_of(stages);
    if (const auto start = route.find("start")) {
      if (auto i = resolve(start->tree(), path + ".start", stage_ids, "stage", "stages"))
        r.start = *i;
    }
    std::vector<std::string> targets = stage_ids;
    targets.push_back("done");
    if (std::find(stage_ids.begin(), stage_ids.end(), "done") != stage_ids.end())
      error(stages, path + ".stages",
            "\"done\" is reserved for leaving the route; rename the stage");
    for (const Tree::Entry& e : stages.entries) {
      const std::string stage_path = path + ".stages." + e.key;
      const View v = stage_view.element(e.value);
      Scenario::Stage st;
      st.id = e.key;
      v.read(st, context_);
      const Tree& pool = v["pool"].tree();
      const std::optional<std::uint32_t> resource = resource_of(pool, stage_path + ".pool");
      if (resource) {
        st.pool = *resource;
        check_people(pool, stage_path + ".pool", *resource);
      }
      if (resource) st.provider_handoff = model_->resources[*resource].provider;
      if (const auto service = v.find("service"))
        st.service_h = distribution_of(service->tree(), stage_path + ".service", nullptr);
      const Tree& next = v["next"].tree();
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
      if (const auto rework = v.find("rework"))
        st.rework_to = resolve(rework->tree(), stage_path + ".rework", stage_ids, "stage",
                               "the route's stages");
      if (const auto delay = v.find("delay")) {
        Scenario::TimedDistribution timed;
        if (auto d = distribution_of(delay->tree(), stage_path + ".delay", &timed.base)) {
          timed.hours = *d;
          st.delay = timed;
        }
      }
      const Tree& spanning = v["spanning"].tree();
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
    if (!diags_.has_errors()) check_leaves(r, stages, path, diags_);
    return r;
  }

  const View root_;
  Diagnostics& diags_;
  schema::ReadContext context_;
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
