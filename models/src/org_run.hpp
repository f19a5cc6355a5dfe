// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_models: the coordinator of one run of an operating model.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "chargeback.hpp"
#include "customer_contact.hpp"
#include "demand.hpp"
#include "item.hpp"
#include "itsim/sim/simulation.hpp"
#include "itsim/sim/station.hpp"
#include "knowledge.hpp"
#include "kpi_recorder.hpp"
#include "proactive.hpp"
#include "requesters.hpp"
#include "rotation.hpp"
#include "routing.hpp"
#include "value.hpp"

namespace itsim::models::detail {

/// One run of one operating model. The coordinator owns the clock, the event queue, the
/// stations and the items, and is the only code that moves an item from one step of its
/// life to the next: raised, routed, queued, served, handed off, delivered, abandoned,
/// open at the end. The mechanism families are parts it consults ("how much work is this
/// visit for this doer", "where next", "what is this delivery worth") or tells ("a stint
/// ended", "a proactive item was delivered"); a part never calls another, and one that
/// wants new work (a follow-up incident, a discovery) hands the coordinator an ItemSpec.
/// It is the simulation's only event handler: one indirect call per event.
class OrgRun final : public sim::EventHandler {
public:
  /// One run with `warmup_h` hours of warm-up deleted.
  OrgRun(const scenarios::Scenario& s, std::uint32_t model, std::uint64_t replication,
         const RunOptions& options, double warmup_h);

  std::string_view handler_name() const override { return "operating model"; }

  RunResult run();

  void handle(const sim::Event& e) override;

private:
  /// The coordinator's own events (the stations' come with sim::Station's kinds).
  enum Kind : sim::EventKind {
    kind_arrival,      // payload: source
    kind_enter_stage,  // payload: item (after a delay, handoff or gate)
    kind_rotation_out, // a stint starts
    kind_rotation_in,  // a stint ends
    kind_discovery,    // a candidate proactive discovery
    kind_follow_up,    // payload: unit; a shadow system's incident
    kind_warmup_end,
    kind_sample,      // the time series' next point
    kind_coordinated, // payload: item; its coordination wait (M6) is over
    kind_wave,        // payload: wave; a path's units move (M14)
    kind_ramp,        // a path's newly formed teams ramp up: productivity updated
    kind_leave,       // a path's attrition: somebody leaves
    kind_hire,        // payload: station; a leaver's replacement joins
    kind_customer,    // payload: source of CustomerContact (M11)
    kind_provider,    // payload: item; an outside provider (M12) finished it
  };

  /// A server group: one resource, or one unit's copy of a by-unit resource.
  struct StationInfo {
    std::uint32_t resource = 0;
    std::uint32_t unit = none;  // none: serves every unit
    double people = 0;          // people x availability
    double speed = 1;           // persons per item: people / servers
    double productivity = 1;    // rotation: newcomers ramping up
    std::uint32_t servers = 1;  // without a rotation under way
    double handled = 0;         // tickets whose first first-line visit ended here
    double on_hand_h = 0;       // person-hours of work queued and in service here
    double clear_h = 0;         // calendar hours its people take to clear one person-hour
    bool provider = false;      // an outside provider (M12): no queue, served by contract
    double provider_served = 0; // items it finished after the warm-up
  };

  static sim::SimTime at_hours(double h) {
    return sim::SimTime::zero() + sim::SimDuration::from_hours(h);
  }

  // Set-up (org_stations.cpp).
  void build_stations();
  std::uint32_t add_station(std::uint32_t r, std::uint32_t unit, double people);
  std::vector<Rotation::StationView> rotating_stations() const;

  // The life of an item.
  std::uint32_t new_item(const ItemSpec& spec);
  /// Throws the ModelError of a run whose open items passed limits.max_open_items.
  [[noreturn, gnu::cold]] void overloaded() const;
  void release(std::uint32_t id);
  void schedule_next_arrival(std::uint32_t source);
  void arrival(std::uint32_t source);
  void go_to_stage(std::uint32_t id, std::uint32_t stage);
  void join_queue(std::uint32_t id);
  void served(const sim::StationOutcome& out, std::uint32_t station);
  /// The item leaves its station's work on hand (served or gone).
  void leave_station(Item& it);
  /// Rationing: whether a change raised by the business, about to join its first queue,
  /// finds its portfolio full (a resource on its route with more work on hand than
  /// mechanisms.rationing.max_backlog).
  bool portfolio_full(const Item& it) const;
  /// After the service (and any coordination wait): rework, second team, next or done.
  void leave_stage(std::uint32_t id);
  void deliver(std::uint32_t id, bool first_line);
  /// The requester gave up waiting, or (`declined`) rationing turned the item away.
  void abandon(std::uint32_t id, bool declined = false);
  void follow_up_incident(std::uint32_t unit, ItemOrigin origin);
  /// M11: the next item of customer-contact source `source`, and its arrival now.
  void schedule_customer(std::uint32_t source);
  void customer_item(std::uint32_t source);
  /// M12: an item at an outside provider's stage is served at once, for the contract's
  /// time; and it was.
  void to_provider(std::uint32_t id);
  void provider_done(std::uint32_t id);
  /// M13: chargeback put the requester of a raised item off; it may be built in the shadow.
  void forgo(const ItemSpec& spec);

  // A reorganisation path (M14, org_path.cpp).
  /// The structure an item of `unit` raised now belongs to: 1 once its unit has moved.
  std::uint8_t structure_of(std::uint32_t unit) const {
    return path_ && path_->moved[unit] ? 1 : 0;
  }
  void start_path();
  void wave(std::uint32_t index);
  /// Sets `station`'s servers to `servers` (at least one kept while the old structure has
  /// work in flight, when `wind_down`).
  void staff(std::uint32_t station, std::uint32_t servers, bool wind_down);
  void schedule_ramp();
  void ramp();
  void update_productivity(std::uint32_t station);
  /// People (headcount) working at `station` now: its servers in people, over availability.
  double headcount_at(std::uint32_t station) const;
  /// People working at every station now.
  double headcount() const;
  void schedule_leave();
  void leave();
  void hire(std::uint32_t station);
  /// The last item of the old structure is done: its winding-down servers go.
  void old_structure_done();
  /// An item of the old structure joins (`delta` 1) or leaves (-1) `station`'s work on hand.
  void count_old_work(const Item& it, std::uint32_t station, int delta);
  /// in_flight: move: the items of moved units waiting at the old stations go to the new.
  void move_waiting_work();
  /// What a server of `station` costs an hour (people x loaded cost x paid share).
  double server_cost_per_h(std::uint32_t station) const;
  /// Moves an item of the old structure whose unit has moved to the new one (in_flight:
  /// move), at the new route's stage of the same id or its start; returns that stage.
  std::uint32_t move_to_new_structure(Item& it, std::uint32_t stage) const;

  // Events of the mechanisms and of measurement.
  void rotation_out();
  void rotation_in();
  void schedule_discovery();
  void discovery();
  void warmup_end();
  KpiRecorder::StationTotals station_totals() const;
  RunResult results();

  const scenarios::Scenario& s_;
  const scenarios::Scenario::Model& m_;
  sim::Simulation sim_;
  sim::Calendar business_; // the run's own copy, with its memo on (Calendar::enable_memo)
  sim::HandlerId id_ = 0;
  sim::SimTime horizon_;
  sim::SimTime warmup_;
  double warmup_h_ = 0;
  MoneyWindow money_; // the time base of every amount of money
  sim::SimDuration sample_step_;
  sim::RandomStream model_rng_{0};
  double it_cost_per_hour_ = 0; // loaded cost of the model's staff per hour

  std::vector<sim::Station> stations_;
  std::vector<StationInfo> info_;
  std::vector<std::vector<std::uint32_t>> station_of_; // [resource][unit] -> station
  /// Rationing only: [work type][unit] -> the stations of the work type's route.
  std::vector<std::vector<std::vector<std::uint32_t>>> route_stations_;
  std::vector<Item> items_;
  std::vector<std::uint32_t> free_items_;
  std::size_t in_flight_ = 0;
  std::size_t peak_in_flight_ = 0;
  std::uint64_t next_serial_ = 0;
  std::uint32_t incident_type_ = none;

  /// The state of a reorganisation path's move; empty for a model.
  struct PathState {
    const scenarios::Scenario::Path* plan = nullptr;
    std::vector<std::uint8_t> moved;    // per unit
    double moved_share = 0;             // headcount share of the units moved
    std::vector<std::uint32_t> servers; // per station: servers it has now
    std::vector<std::uint32_t> vacant;  // per station: leavers not yet replaced
    /// Per station: servers that joined at a time and ramp up (formed, hired).
    struct Cohort {
      std::uint32_t servers = 0;
      double joined_h = 0;
    };
    std::vector<std::vector<Cohort>> cohorts;
    std::vector<std::uint8_t> winding; // per station: one server kept for the old work
    /// Per old station (in_flight: stay): items of moved units on hand there, and the
    /// servers it is to keep once they are done (none: no cut waiting).
    std::vector<std::uint32_t> moved_on_hand;
    std::vector<std::uint32_t> deferred;
    std::size_t old_live = 0;                     // items of the old structure in flight
    double cost_from = 0, cost_to = 0;            // staff cost per hour of `from` and of `to`
    double it_cost = 0, it_cost_undiscounted = 0; // of those changes, over the window
    double attrition_until_h = 0;
    bool ramp_pending = false;
    sim::RandomStream rng{0};
  };
  std::optional<PathState> path_;

  // The parts.
  Demand demand_;
  Routing routing_;
  Knowledge knowledge_;
  std::optional<Rotation> rotation_;
  Proactive proactive_;
  CustomerContact contact_;
  Chargeback chargeback_;
  ValueAccount value_;
  Requesters requesters_;
  KpiRecorder kpis_;
};

} // namespace itsim::models::detail
