// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_models: the KPI recorder, the listener that turns the life of
// items into the KPIs, time series and item records of a run.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "item.hpp"
#include "itsim/sim/calendar.hpp"
#include "itsim/sim/kaplan_meier.hpp"
#include "itsim/sim/statistics.hpp"

namespace itsim::models::detail {

/// Listens to the lifecycle steps the coordinator reports (raised, delivered, abandoned,
/// a follow-up incident, a sample tick) and keeps every count, sum and sample the KPIs
/// need. It applies the warm-up itself, as OMNeT++'s result recorders drop values before
/// the warm-up period ends: work raised before the warm-up ends is not counted, nor are
/// the outcomes of items created then. finish() writes every KPI of kpi.hpp.
class KpiRecorder {
public:
  /// Totals over the stations at a sample or at the end (the coordinator owns them).
  struct StationTotals {
    double waiting = 0;    ///< items queueing now
    double busy = 0;       ///< servers busy now
    double busy_h = 0;     ///< busy server-hours since the statistics were reset
    double capacity_h = 0; ///< available server-hours since then
  };

  /// What only the coordinator knows at the end of a run.
  struct Closing {
    double measured_h = 0;           ///< horizon less warm-up
    double warmup_h = 0;             ///< warm-up deleted
    double it_cost = 0;              ///< staff cost over the measured window
    double it_cost_undiscounted = 0; ///< the same, not discounted
    double l1_cost = 0;              ///< of first-line pools
    double l1_handled = 0;           ///< tickets that reached the first line (after the warm-up)
    double busy_h = 0;               ///< over all stations
    double available_h = 0;          ///< over all stations
    double knowledge_sum = 0;        ///< K over (station, unit) pairs served
    double knowledge_n = 0;
    std::size_t in_flight = 0; ///< items in IT at the end
  };

  /// `sample_points` samples of the time series (0: none), every `sample_step_h` hours from
  /// the start; money on the time base of `money` (its window starts at `warmup`).
  KpiRecorder(const scenarios::Scenario& s, const sim::Calendar& business, sim::SimTime warmup,
              const MoneyWindow& money, bool record_items, std::uint32_t sample_points,
              double sample_step_h = 0);

  /// Whether what happens at `now` counts (after the warm-up).
  bool counts(sim::SimTime now) const { return now >= warmup_; }

  /// The business raised an item at `now` with this fate.
  void raised(sim::SimTime now, RaisedFate fate);

  /// `it` was delivered at `now` after `lead_h` hours; `first_line`: its last stage was
  /// on a first-line pool; `perception`: its score, NaN when it is not scored.
  void delivered(const Item& it, double lead_h, bool first_line, double perception,
                 const DeliveryMoney& money, sim::SimTime now);

  /// The requester of `it` gave up at `now`, or (`declined`) rationing turned it away; a
  /// shadow system was built (`shadow`: its money) or not; `perception`: the requester's
  /// score, NaN when it is not scored.
  void abandoned(const Item& it, bool declined, bool shadow_build, const ShadowMoney& shadow,
                 double perception, sim::SimTime now);

  /// Chargeback put the requester of `it` off at `now` (M13): it never reached IT; a shadow
  /// system was built (`shadow`: its money) or not.
  void forgone(const Item& it, bool shadow_build, const ShadowMoney& shadow) {
    if (it.counted && shadow_build) shadow_built(shadow);
  }

  /// A delivered change failed (the item counted or not).
  void change_failed(bool counted) {
    if (counted) ++change_failures_;
  }
  /// An outside provider (M12) finished a ticket after the warm-up, at `price` (undiscounted)
  /// worth `discounted` at the window's start.
  void provider_ticket(double discounted, double price) {
    ++provider_tickets_;
    provider_cost_ += discounted;
    provider_cost_undiscounted_ += price;
  }
  /// Contact with external customers brought an item of `origin` at `now` (M11).
  void customer_item(ItemOrigin origin, sim::SimTime now) {
    if (!counts(now)) return;
    ++(origin == ItemOrigin::customer_opportunity ? customer_opportunities_ : direct_contacts_);
  }
  /// A shadow system raised an incident at `now`.
  void shadow_incident(sim::SimTime now) {
    if (counts(now)) ++shadow_incidents_;
  }

  /// The warm-up ended: the sampled utilisation restarts with the station statistics.
  void warmup_ended() { sampled_busy_ = sampled_capacity_ = 0; }

  /// The next point of every time series, at `now`: money accrued by then, with staff
  /// costing `it_cost_per_hour` from the warm-up's end.
  void sample(sim::SimTime now, const StationTotals& t, std::size_t in_flight,
              double it_cost_per_hour);
  bool wants_sample() const { return sampled_ < sample_points_; }

  /// `it` is still open at the end, `age_h` hours after it was raised (after those
  /// delivered, in creation order); `money`: what it would earn if delivered now and has
  /// lost to delay so far (ValueAccount::open_at_end).
  void open_at_end(const Item& it, double age_h, const DeliveryMoney& money);

  /// Every KPI into r.kpi, and the series and item records into r.
  void finish(RunResult& r, const Closing& c);

private:
  /// Flows of money accruing at constant rates, for the cumulative series: at sample k the
  /// sum is rate x G(t_k) + base, G(t) the accrual of 1 per hour from the window's start to
  /// t. A flow joins the rate when it starts and leaves it at the first sample at or after
  /// its end, through changes kept per sample (allocated once: none per flow).
  struct Accruing {
    double rate = 0;
    double base = 0;
    std::vector<double> rate_change; ///< per sample
    std::vector<double> base_change; ///< per sample
  };
  /// `per_h` from `from_h` to `until_h` (hours, in the window) joins `a`.
  void accrue(Accruing& a, double per_h, double from_h, double until_h);

public:
  /// Business staff lent to IT (a rotation stint) cost their business `per_h` from `from_h`
  /// to `until_h` (hours from the run's start), as far as the window goes.
  void lent_staff(double per_h, double from_h, double until_h) {
    rotation_cost_ += per_h * money_.accrued(from_h, until_h);
    accrue(run_cost_accruing_, per_h, from_h, until_h);
  }

  /// A reorganisation path changed the IT staff cost by `per_h` from `from_h` to `until_h`
  /// (hours from the run's start): the cumulative series follow it (the coordinator adds the
  /// total to Closing::it_cost).
  void staff_cost_change(double per_h, double from_h, double until_h) {
    accrue(run_cost_accruing_, per_h, from_h, until_h);
  }
  /// A one-off cost of a reorganisation path (training, tooling, a hire) paid at `now`.
  void reorg_cost(double amount, sim::SimTime now) {
    if (!(now >= warmup_) || now.hours_f() > money_.end_h()) return;
    reorg_cost_ += amount * money_.factor(now.hours_f());
  }

  /// Somebody left IT at `now` (a reorganisation path's attrition).
  void leaver(sim::SimTime now) {
    if (counts(now)) ++leavers_;
  }

private:
  /// The sum of `a` at the sample being taken (sampled_), at window accrual `g`.
  double accrued_at(Accruing& a, double g) const;

  /// Counts a shadow system built with `shadow`'s money.
  void shadow_built(const ShadowMoney& shadow);
  void record(const Item& it, ItemOutcome outcome, double value, double sla_met, sim::SimTime now);

  const scenarios::Scenario& s_;
  const scenarios::Scenario::Mechanisms& mech_;
  const sim::Calendar& business_;
  sim::SimTime warmup_;
  MoneyWindow money_;
  bool record_items_ = false;

  std::uint64_t demand_ = 0, arrivals_it_ = 0, self_served_ = 0, prevented_ = 0;
  std::uint64_t completed_ = 0, abandoned_ = 0, declined_ = 0, shadow_builds_ = 0, proactive_ = 0;
  std::uint64_t change_failures_ = 0, shadow_incidents_ = 0, reworked_ = 0, leavers_ = 0;
  std::uint64_t customer_opportunities_ = 0, direct_contacts_ = 0; // M11
  std::uint64_t forgone_ = 0;                                      // M13
  std::uint64_t provider_tickets_ = 0;                             // M12
  double provider_cost_ = 0, provider_cost_undiscounted_ = 0;
  std::uint64_t tickets_ = 0, resolved_l1_ = 0, fcr_ = 0, sla_met_ = 0;
  // Lead times of delivered items, with those still open or given up censored at their age.
  // Its sorted events are also the sample of the plain lead-time percentiles: one copy of
  // the lead times, sorted once.
  sim::KaplanMeier lead_km_;
  // Lead times by work kind: plain vectors whose medians finish() selects without sorting.
  std::array<std::vector<double>, work_kind_count> lead_by_kind_;
  // Lead times by priority (P1 .. P4) and by unit (Scenario::units order): plain vectors,
  // whose two percentiles finish() selects in linear time rather than sorting them all.
  std::array<std::vector<double>, 4> lead_by_priority_;
  std::vector<std::vector<double>> lead_by_unit_;
  // Lead times by work type (Scenario::work_types order), sorted by finish() for their
  // distribution's six percentiles.
  std::vector<std::vector<double>> lead_by_work_type_;
  sim::RunningStats wait_, handoffs_, handoff_time_, touch_, perception_;
  double touch_total_ = 0, lead_total_ = 0, change_touch_ = 0, change_lead_ = 0;
  double value_gross_ = 0, value_lost_ = 0, customer_value_ = 0, downtime_cost_ = 0;
  double shadow_value_ = 0, shadow_cost_ = 0, shadow_build_cost_ = 0, value_whole_life_ = 0,
         shadow_whole_life_cost_ = 0, rotation_cost_ = 0, reorg_cost_ = 0;
  std::uint64_t open_ = 0;
  std::array<std::uint64_t, work_kind_count> open_by_kind_{};
  double open_age_total_ = 0, open_value_at_risk_ = 0, open_value_lost_ = 0;

  std::uint32_t sample_points_ = 0;
  std::uint32_t sampled_ = 0;
  double sample_step_h_ = 0;
  Accruing value_accruing_;    // value of deliveries and shadow systems
  Accruing run_cost_accruing_; // running cost of shadow systems
  double sampled_busy_ = 0, sampled_capacity_ = 0;
  std::vector<double> series_;
  std::vector<ItemRecord> items_;
};

} // namespace itsim::models::detail
