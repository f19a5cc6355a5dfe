// SPDX-License-Identifier: Apache-2.0
#include "itsim/models/scenario_network.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "itsim/sim/error.hpp"
#include "itsim/sim/format.hpp"

namespace itsim::models {

namespace {

using scenarios::Scenario;

/// Builds the network of one model, keeping what the checks need to name the culprit.
class Mapper {
public:
  Mapper(const Scenario& s, std::uint32_t model) : s_(s), model_(model) {}

  NetworkSpec map() {
    if (model_ >= s_.models.size()) {
      throw ModelError("scenario \"" + s_.name + "\": no model " + std::to_string(model_) +
                       " (there are " + std::to_string(s_.models.size()) + ")");
    }
    const Scenario::Model& m = s_.models[model_];
    prefix_ = "scenario \"" + s_.name + "\", model \"" + m.id + "\" is not a station network";
    if (s_.warmup_mser5) {
      fail("warmup", "a warm-up of mser5 is detected per run, but a station network "
                     "needs a fixed warm-up (write a duration such as 1w)");
    }
    check_plain(m);
    spec_.horizon_h = s_.horizon_h;
    spec_.warmup_h = s_.warmup_h;

    const std::size_t n = s_.pools.size();
    rows_.resize(n);
    services_.resize(n);
    for (const Scenario::Route& r : m.routes)
      map_route(r);

    for (std::size_t p = 0; p < n; ++p) {
      const Scenario::Pool& pool = s_.pools[p];
      NetworkStationSpec st;
      st.config.name = pool.id;
      st.config.capacity = sim::CapacitySchedule::constant(pool.headcount);
      if (pool.calendar != 0) st.config.calendar = s_.calendars[pool.calendar].calendar;
      st.config.discipline = pool.discipline;
      st.config.preemptive = pool.preemptive;
      // Sources that never visit this pool get a placeholder: it is never drawn.
      for (std::optional<sim::Distribution>& d : services_[p])
        st.service_h.push_back(d ? std::move(*d) : sim::Distribution::deterministic(0));
      if (rows_[p]) {
        bool any = false;
        for (double x : rows_[p]->probability)
          any = any || x > 0;
        if (any) st.routing = rows_[p]->probability;
      }
      spec_.stations.push_back(std::move(st));
    }
    return std::move(spec_);
  }

private:
  /// A routing row in pool terms and the stage that set it (for messages).
  struct Row {
    std::vector<double> probability; // to each pool; what is left of 1 leaves
    std::string stage_path;
  };

  [[noreturn]] void fail(const std::string& path, const std::string& why) const {
    throw ModelError(prefix_ + ": " + path + ": " + why);
  }

  /// Fails on the first mechanism of the operating-model engine the model uses: a station
  /// network has pools, routing rows, services and patience, nothing more.
  void check_plain(const Scenario::Model& m) const {
    const std::string path = "models." + m.id;
    const char* engine = " is a mechanism of the operating-model engine, not of a station network";
    for (const Scenario::Resource& r : m.resources) {
      if (r.team) fail(path + ".teams." + r.id, "a team" + std::string(engine));
    }
    for (const Scenario::Pool& p : s_.pools) {
      if (p.tickets_first) {
        fail("staff.pools." + p.id + ".tickets_first", "tickets first" + std::string(engine));
      }
      if (p.availability != 1) {
        fail("staff.pools." + p.id + ".availability", "an availability of " +
                                                          format_double(p.availability, 4) +
                                                          " (a share of the pool's time)" + engine);
      }
    }
    for (const Scenario::Resource& r : m.resources) {
      if (r.context_switch)
        fail(path + ".context_switch", "a context switch" + std::string(engine));
    }
    if (m.rotation) fail(path + ".rotation", "rotation" + std::string(engine));
    if (m.proactive) fail(path + ".proactive", "proactive work" + std::string(engine));
    for (std::size_t w = 0; w < m.self_service.size(); ++w) {
      if (m.self_service[w] > 0) {
        fail(path + ".self_service." + s_.work_types[w].id, "self-service" + std::string(engine));
      }
    }
    if (m.incident_reduction_per_item > 0) {
      fail(path + ".capabilities.incident_reduction_per_item",
           "incident reduction by capabilities" + std::string(engine));
    }
    for (const Scenario::Route& r : m.routes) {
      for (const Scenario::Stage& st : r.stages) {
        const std::string stage_path = route_path(r) + ".stages." + st.id;
        if (st.handoff) fail(stage_path + ".handoff", "a handoff" + std::string(engine));
        if (st.rework_to) fail(stage_path + ".rework", "rework" + std::string(engine));
        if (st.gate_every_h > 0) fail(stage_path + ".gate", "a gate" + std::string(engine));
        if (st.delay) fail(stage_path + ".delay", "a delay" + std::string(engine));
        if (st.crew != 1) fail(stage_path + ".crew", "a crew" + std::string(engine));
        if (st.spanning != Scenario::Spanning::none) {
          fail(stage_path + ".spanning", "spanning work" + std::string(engine));
        }
      }
    }
  }

  std::string route_path(const Scenario::Route& r) const {
    return "models." + s_.models[model_].id + ".routes." + s_.work_types[r.work_type].id;
  }

  std::string format_row(const std::vector<double>& row) const {
    std::string out = "{";
    double out_p = 1;
    for (std::size_t j = 0; j < row.size(); ++j) {
      if (row[j] <= 0) continue;
      out += (out.size() > 1 ? ", " : "") + s_.pools[j].id + ": " + format_double(row[j], 4);
      out_p -= row[j];
    }
    if (out_p > 1e-12)
      out += (out.size() > 1 ? ", " : "") + std::string("done: ") + format_double(out_p, 4);
    return out + "}";
  }

  /// Stages the route can reach from its start (following next with probability > 0).
  static std::vector<bool> reachable(const Scenario::Route& r) {
    std::vector<bool> seen(r.stages.size(), false);
    std::vector<std::uint32_t> todo{r.start};
    seen[r.start] = true;
    while (!todo.empty()) {
      const std::uint32_t i = todo.back();
      todo.pop_back();
      for (const Scenario::Next& x : r.stages[i].next) {
        if (x.stage == Scenario::Next::done || !(x.probability > 0) || seen[x.stage]) continue;
        seen[x.stage] = true;
        todo.push_back(x.stage);
      }
    }
    return seen;
  }

  void map_route(const Scenario::Route& r) {
    const Scenario::WorkType& w = s_.work_types[r.work_type];
    const std::string path = route_path(r);
    const std::size_t n = s_.pools.size();
    const std::vector<bool> live = reachable(r);

    // Which stage serves each pool on this route, and what an item draws there.
    std::vector<std::uint32_t> stage_at(n, Scenario::Next::done);
    std::vector<std::optional<sim::Distribution>> service(n);
    bool queues_again = false;
    for (std::uint32_t i = 0; i < r.stages.size(); ++i) {
      if (!live[i]) continue;
      const Scenario::Stage& st = r.stages[i];
      const std::string stage_path = path + ".stages." + st.id;
      const Scenario::Pool& pool = s_.pools[st.pool];
      if (stage_at[st.pool] != Scenario::Next::done) {
        fail(stage_path + ".pool",
             "pool \"" + pool.id + "\" is already visited at stage \"" +
                 r.stages[stage_at[st.pool]].id +
                 "\" of this route; a station network routes by pool, so a route may "
                 "visit each pool at one stage only");
      }
      stage_at[st.pool] = i;
      if (pool.discipline == sim::QueueDiscipline::value_density) {
        fail(stage_path + ".pool", "pool \"" + pool.id +
                                       "\" orders its queue by wsjf, which needs item values "
                                       "that a station network does not model");
      }
      if (st.service_h) {
        service[st.pool] = *st.service_h;
      } else if (st.effort_share == 1) {
        service[st.pool] = w.effort_h;
      } else {
        fail(stage_path + ".effort_share",
             "the stage does a share " + format_double(st.effort_share, 4) +
                 " of the item's effort; a station network draws each visit's service on "
                 "its own, so give the stage a `service` instead");
      }

      Row row{std::vector<double>(n, 0.0), stage_path};
      for (const Scenario::Next& x : st.next) {
        if (x.stage == Scenario::Next::done || !(x.probability > 0)) continue;
        row.probability[r.stages[x.stage].pool] += x.probability;
        queues_again = true;
      }
      std::optional<Row>& have = rows_[st.pool];
      if (!have) {
        have = std::move(row);
        continue;
      }
      for (std::size_t j = 0; j < n; ++j) {
        if (std::abs(have->probability[j] - row.probability[j]) > 1e-12) {
          fail(stage_path + ".next", "items leave pool \"" + pool.id + "\" here as " +
                                         format_row(row.probability) + " but at " +
                                         have->stage_path + " as " + format_row(have->probability) +
                                         "; a station network has one routing row per pool");
        }
      }
    }

    std::optional<sim::Distribution> patience;
    if (w.patience) {
      const std::string patience_path = "demand.work_types." + w.id + ".patience";
      if (w.patience->base == scenarios::TimeBase::business) {
        fail(patience_path, "patience in business time (bh, bd, bw) needs a working "
                            "calendar; a station network's patience runs on the wall clock");
      }
      if (queues_again) {
        fail(path, "items of this route can queue more than once and have patience (" +
                       patience_path +
                       "); a station network would restart the patience clock at each queue");
      }
      patience = w.patience->hours;
    }

    const std::uint32_t first = r.stages[r.start].pool;
    const double firm_rate = w.firm_rate_per_hour(s_.units);
    for (std::size_t p = 0; p < w.priority_mix.size(); ++p) {
      if (!(w.priority_mix[p] > 0)) continue;
      SourceSpec src;
      src.name = w.id + ".p" + std::to_string(p + 1);
      const double rate = firm_rate * w.priority_mix[p];
      sim::ArrivalProcess process(rate, w.profile);
      if (process.is_homogeneous() && rate > 0) {
        src.interarrival_h = sim::Distribution::exponential(1.0 / rate);
      } else {
        src.process = std::move(process);
      }
      src.first_station = first;
      src.priority = static_cast<std::uint8_t>(p);
      src.patience_h = patience;
      spec_.sources.push_back(std::move(src));
      // One service column per source: this route's draws where it goes, none elsewhere.
      for (std::size_t j = 0; j < n; ++j)
        services_[j].push_back(service[j]);
    }
  }

  const Scenario& s_;
  std::uint32_t model_;
  std::string prefix_;
  NetworkSpec spec_;
  std::vector<std::optional<Row>> rows_; ///< per pool, once a route has set it
  /// services_[pool][source]: the distribution that source draws there, if it goes.
  std::vector<std::vector<std::optional<sim::Distribution>>> services_;
};

} // namespace

NetworkSpec network_from_scenario(const scenarios::Scenario& s, std::uint32_t model) {
  return Mapper(s, model).map();
}

} // namespace itsim::models
