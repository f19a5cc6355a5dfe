// SPDX-License-Identifier: Apache-2.0
#include "kpi_recorder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <tuple>
#include <utility>

namespace itsim::models::detail {

using scenarios::Scenario;
using scenarios::TimeBase;
using sim::SimTime;

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// The p-quantile of v, as sim::QuantileSample::quantile computes it (Hyndman & Fan 7, the
/// same arithmetic), found by selection in linear time instead of a sort. v[first..] must
/// hold the largest values, and the quantile's lower neighbour must be among them (rank
/// >= first); only that range is reordered. Returns the quantile and that rank.
std::pair<double, std::size_t> select_quantile(std::vector<double>& v, std::size_t first,
                                               double p) {
  const std::size_t n = v.size();
  const double h = static_cast<double>(n - 1) * p;
  const double lo_f = std::floor(h);
  const auto lo = static_cast<std::size_t>(lo_f);
  const double frac = h - lo_f;
  const auto at = v.begin() + static_cast<std::ptrdiff_t>(lo);
  std::nth_element(v.begin() + static_cast<std::ptrdiff_t>(first), at, v.end());
  const double a = *at;
  if (frac == 0.0 || lo + 1 >= n) return {a, lo};
  const double b = *std::min_element(at + 1, v.end());
  return {a + frac * (b - a), lo};
}

/// The p-quantile of non-empty sorted `v`, with sim::QuantileSample::quantile's arithmetic
/// (Hyndman & Fan 7).
double sorted_quantile(std::span<const double> v, double p) {
  const std::size_t n = v.size();
  const double h = static_cast<double>(n - 1) * p;
  const double lo_f = std::floor(h);
  const auto lo = static_cast<std::size_t>(lo_f);
  const double frac = h - lo_f;
  if (frac == 0.0 || lo + 1 >= n) return v[lo];
  const double a = v[lo];
  const double b = v[lo + 1];
  return a + frac * (b - a);
}

/// Median and 95th percentile of non-empty `v` (reordered): the second selection only
/// searches from the median up.
std::pair<double, double> median_and_p95(std::vector<double>& v) {
  const auto [p50, lo] = select_quantile(v, 0, 0.50);
  return {p50, select_quantile(v, lo, 0.95).first};
}
} // namespace

KpiRecorder::KpiRecorder(const Scenario& s, const sim::Calendar& business, SimTime warmup,
                         const MoneyWindow& money, bool record_items, std::uint32_t sample_points,
                         double sample_step_h)
    : s_(s), mech_(s.mechanisms), business_(business), warmup_(warmup), money_(money),
      record_items_(record_items), lead_by_unit_(s.units.size()),
      lead_by_work_type_(s.work_types.size()), sample_points_(sample_points),
      sample_step_h_(sample_step_h) {
  series_.assign(series_count * std::size_t{sample_points_}, 0.0);
  for (Accruing* a : {&value_accruing_, &run_cost_accruing_}) {
    a->rate_change.assign(sample_points_, 0.0);
    a->base_change.assign(sample_points_, 0.0);
  }
}

void KpiRecorder::accrue(Accruing& a, double per_h, double from_h, double until_h) {
  if (sample_points_ == 0 || per_h == 0 || !(until_h > from_h)) return;
  const auto g = [this](double t_h) { return money_.accrued(money_.start_h(), t_h); };
  a.rate += per_h;
  a.base -= per_h * g(from_h);
  if (!(sample_step_h_ > 0)) return;
  // The first sample at or after the end: sample k is at (k + 1) steps.
  const double k = std::ceil(until_h / sample_step_h_ - 1e-9) - 1;
  if (!(k < double(sample_points_))) return;
  const std::size_t at =
      std::max<std::size_t>(sampled_, static_cast<std::size_t>(std::max(k, 0.0)));
  if (at >= sample_points_) return;
  a.rate_change[at] -= per_h;
  a.base_change[at] += per_h * g(until_h);
}

double KpiRecorder::accrued_at(Accruing& a, double g) const {
  a.rate += a.rate_change[sampled_];
  a.base += a.base_change[sampled_];
  return a.rate * g + a.base;
}

void KpiRecorder::raised(SimTime now, RaisedFate fate) {
  if (!counts(now)) return;
  ++demand_;
  switch (fate) {
  case RaisedFate::self_served:
    ++self_served_;
    break;
  case RaisedFate::prevented:
    ++prevented_;
    break;
  case RaisedFate::to_it:
    ++arrivals_it_;
    break;
  case RaisedFate::forgone:
    ++forgone_;
    break;
  }
}

void KpiRecorder::delivered(const Item& it, double lead_h, bool first_line, double perception,
                            const DeliveryMoney& money, SimTime now) {
  if (!it.counted) return;
  const Scenario::WorkKind kind = s_.work_types[it.work_type].kind;
  ++completed_;
  if (it.origin == ItemOrigin::proactive) ++proactive_;
  lead_km_.add_event(lead_h);
  lead_by_kind_[static_cast<std::size_t>(kind)].push_back(lead_h);
  lead_by_priority_[std::min<std::size_t>(it.priority, 3)].push_back(lead_h);
  if (it.unit < lead_by_unit_.size()) lead_by_unit_[it.unit].push_back(lead_h);
  if (it.work_type < lead_by_work_type_.size()) lead_by_work_type_[it.work_type].push_back(lead_h);
  wait_.add(it.wait_h);
  handoffs_.add(it.handoffs);
  handoff_time_.add(it.handoff_h);
  touch_.add(it.touch_h);
  touch_total_ += it.touch_h;
  lead_total_ += lead_h;
  if (is_change(kind)) {
    change_touch_ += it.touch_h;
    change_lead_ += lead_h;
  }
  if (it.reworks > 0) ++reworked_;
  double sla_met = nan;
  if (is_ticket(kind)) {
    ++tickets_;
    if (first_line) ++resolved_l1_;
    if (first_line && it.visits == 1) ++fcr_;
    const std::size_t p = it.priority;
    const double target = mech_.sla_h[p];
    const double took = mech_.sla_base[p] == TimeBase::business
                            ? business_.working_between(it.created, now).hours_f()
                            : lead_h;
    sla_met = took <= target ? 1.0 : 0.0;
    if (took <= target) ++sla_met_;
  }
  if (!std::isnan(perception)) perception_.add(perception);
  downtime_cost_ += money.downtime;
  value_gross_ += money.value;
  value_whole_life_ += money.whole_life;
  value_lost_ += money.lost_to_delay;
  customer_value_ += money.customer;
  accrue(value_accruing_, money.per_hour, money.from_h, money.until_h);
  if (record_items_) record(it, ItemOutcome::delivered, money.value, sla_met, now);
}

void KpiRecorder::abandoned(const Item& it, bool declined, bool shadow_build,
                            const ShadowMoney& shadow, double perception, SimTime now) {
  if (!it.counted) return;
  ++(declined ? declined_ : abandoned_);
  if (!std::isnan(perception)) perception_.add(perception);
  // A competing risk: an item given up was not delivered by then, and might have been later.
  lead_km_.add_censored((now - it.created).hours_f());
  if (!shadow_build) {
    if (record_items_)
      record(it, declined ? ItemOutcome::declined : ItemOutcome::abandoned, 0, nan, now);
    return;
  }
  if (record_items_) record(it, ItemOutcome::shadow_build, shadow.value, nan, now);
  shadow_built(shadow);
}

void KpiRecorder::shadow_built(const ShadowMoney& shadow) {
  ++shadow_builds_;
  shadow_value_ += shadow.value;
  shadow_cost_ += shadow.cost;
  shadow_build_cost_ += shadow.build_cost;
  shadow_whole_life_cost_ += shadow.whole_life_cost;
  accrue(value_accruing_, shadow.value_per_h, shadow.from_h, shadow.until_h);
  accrue(run_cost_accruing_, shadow.run_cost_per_h, shadow.from_h, shadow.until_h);
}

void KpiRecorder::record(const Item& it, ItemOutcome outcome, double value, double sla_met,
                         SimTime now) {
  ItemRecord r;
  r.serial = it.serial;
  r.created_h = it.created.hours_f();
  r.finished_h = outcome == ItemOutcome::open ? nan : now.hours_f();
  r.wait_h = it.wait_h;
  r.touch_h = it.touch_h;
  r.handoff_h = it.handoff_h;
  r.value = value;
  r.sla_met = sla_met;
  r.work_type = it.work_type;
  r.unit = it.unit;
  r.handoffs = it.handoffs;
  r.reworks = it.reworks;
  r.visits = it.visits;
  r.priority = it.priority;
  r.outcome = outcome;
  r.origin = it.origin;
  items_.push_back(r);
}

void KpiRecorder::open_at_end(const Item& it, double age_h, const DeliveryMoney& money) {
  if (!it.counted) return;
  ++open_;
  ++open_by_kind_[static_cast<std::size_t>(s_.work_types[it.work_type].kind)];
  open_age_total_ += age_h;
  open_value_at_risk_ += money.value;
  open_value_lost_ += money.lost_to_delay;
  lead_km_.add_censored(age_h);
  if (record_items_) record(it, ItemOutcome::open, 0, nan, SimTime::zero());
}

void KpiRecorder::sample(SimTime now, const StationTotals& t, std::size_t in_flight,
                         double it_cost_per_hour) {
  const double d_capacity = t.capacity_h - sampled_capacity_;
  // Money accrued from the window's start to now (discounted to it); none before.
  const double g = now > warmup_ ? money_.accrued(money_.start_h(), now.hours_f()) : 0.0;
  const double value = accrued_at(value_accruing_, g);
  const double run_cost = accrued_at(run_cost_accruing_, g);
  const std::array<double, series_count> point = {
      t.waiting,
      t.busy,
      double(in_flight),
      d_capacity > 0 ? (t.busy_h - sampled_busy_) / d_capacity : 0.0,
      value,
      value - downtime_cost_ - shadow_build_cost_ - reorg_cost_ - provider_cost_ - run_cost -
          it_cost_per_hour * g,
  };
  sampled_busy_ = t.busy_h;
  sampled_capacity_ = t.capacity_h;
  for (std::size_t k = 0; k < series_count; ++k)
    series_[k * sample_points_ + sampled_] = point[k];
  ++sampled_;
}

void KpiRecorder::finish(RunResult& r, const Closing& c) {
  auto set = [&r](Kpi k, double v) { r.kpi[static_cast<std::size_t>(k)] = v; };
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  auto mean = [](const sim::RunningStats& s) { return s.count() > 0 ? s.mean() : 0.0; };
  // The median lead time of a work kind, 0 without deliveries (reorders its vector).
  auto median_of = [this](Scenario::WorkKind k) {
    std::vector<double>& v = lead_by_kind_[static_cast<std::size_t>(k)];
    return v.empty() ? 0.0 : select_quantile(v, 0, 0.5).first;
  };
  set(Kpi::demand_generated, double(demand_));
  set(Kpi::arrivals_to_it, double(arrivals_it_));
  set(Kpi::self_served, double(self_served_));
  set(Kpi::completed, double(completed_));
  set(Kpi::abandoned, double(abandoned_));
  set(Kpi::declined, double(declined_));
  set(Kpi::shadow_builds, double(shadow_builds_));
  set(Kpi::backlog_end, double(c.in_flight));
  set(Kpi::wait_mean_h, mean(wait_));
  // The delivered lead times, sorted once for these percentiles and the Kaplan-Meier ones.
  const std::span<const double> lead = lead_km_.sorted_events();
  const auto lead_q = [&lead](double p) { return lead.empty() ? 0.0 : sorted_quantile(lead, p); };
  // lead_total_ sums the same values in the same order as a QuantileSample's mean would.
  set(Kpi::lead_time_mean_h, lead.empty() ? 0.0 : lead_total_ / static_cast<double>(lead.size()));
  set(Kpi::lead_time_p50_h, lead_q(0.50));
  set(Kpi::lead_time_p95_h, lead_q(0.95));
  set(Kpi::first_contact_resolution, ratio(double(fcr_), double(tickets_)));
  set(Kpi::resolved_at_l1, ratio(double(resolved_l1_), double(tickets_)));
  set(Kpi::handoffs_mean, mean(handoffs_));
  set(Kpi::rework_rate, ratio(double(reworked_), double(completed_)));
  set(Kpi::flow_efficiency, ratio(touch_total_, lead_total_));
  set(Kpi::sla_attainment, ratio(double(sla_met_), double(tickets_)));
  set(Kpi::value_gross, value_gross_);
  set(Kpi::value_lost_to_delay, value_lost_ + open_value_lost_);
  set(Kpi::downtime_cost, downtime_cost_);
  set(Kpi::customer_value, customer_value_);
  set(Kpi::cost_total, c.it_cost + shadow_cost_ + rotation_cost_ + reorg_cost_ + provider_cost_);
  set(Kpi::net_value, value_gross_ + shadow_value_ - downtime_cost_ - c.it_cost - shadow_cost_ -
                          rotation_cost_ - reorg_cost_ - provider_cost_);
  set(Kpi::reorg_cost, reorg_cost_);
  set(Kpi::leavers, double(leavers_));
  set(Kpi::rotation_business_cost, rotation_cost_);
  set(Kpi::utilisation_mean, ratio(c.busy_h, c.available_h));
  set(Kpi::perception, mean(perception_));
  set(Kpi::prevented, double(prevented_));
  set(Kpi::proactive_delivered, double(proactive_));
  set(Kpi::change_failures, double(change_failures_));
  set(Kpi::shadow_incidents, double(shadow_incidents_));
  set(Kpi::shadow_value, shadow_value_);
  set(Kpi::shadow_cost, shadow_cost_);
  // The share of spend a company in steady state has: the shadow systems built in the
  // window at their whole-life cost stand for the stock of systems built in earlier years,
  // which a run that starts with none would otherwise leave out (docs/models.md, M10).
  set(Kpi::shadow_share,
      ratio(shadow_whole_life_cost_,
            shadow_whole_life_cost_ + c.it_cost_undiscounted + provider_cost_undiscounted_));
  set(Kpi::it_cost, c.it_cost);
  set(Kpi::cost_per_ticket_l1, ratio(c.l1_cost, c.l1_handled));
  set(Kpi::lead_time_p85_h, lead_q(0.85));
  set(Kpi::incident_lead_time_p50_h, median_of(Scenario::WorkKind::incident));
  set(Kpi::request_lead_time_p50_h, median_of(Scenario::WorkKind::request));
  set(Kpi::enhancement_lead_time_p50_h, median_of(Scenario::WorkKind::enhancement));
  set(Kpi::project_lead_time_p50_h, median_of(Scenario::WorkKind::project));
  set(Kpi::handoff_time_mean_h, mean(handoff_time_));
  set(Kpi::touch_time_mean_h, mean(touch_));
  set(Kpi::knowledge_mean, ratio(c.knowledge_sum, c.knowledge_n));
  set(Kpi::change_flow_efficiency, ratio(change_touch_, change_lead_));
  set(Kpi::warmup_h, c.warmup_h);
  auto open_of = [this](Scenario::WorkKind k) {
    return double(open_by_kind_[static_cast<std::size_t>(k)]);
  };
  set(Kpi::open_at_end, double(open_));
  set(Kpi::open_incidents, open_of(Scenario::WorkKind::incident));
  set(Kpi::open_requests, open_of(Scenario::WorkKind::request));
  set(Kpi::open_enhancements, open_of(Scenario::WorkKind::enhancement));
  set(Kpi::open_projects, open_of(Scenario::WorkKind::project));
  set(Kpi::open_age_mean_h, ratio(open_age_total_, double(open_)));
  set(Kpi::open_value_at_risk, open_value_at_risk_);
  set(Kpi::value_lost_to_delay_open, open_value_lost_);
  set(Kpi::delivered_share, ratio(double(completed_), double(completed_ + open_)));
  // NaN where the estimate never reaches the quantile (or nothing was observed).
  set(Kpi::lead_time_km_p50_h, lead_km_.quantile(0.50));
  set(Kpi::lead_time_km_p95_h, lead_km_.quantile(0.95));
  set(Kpi::value_whole_life, value_whole_life_);
  set(Kpi::customer_opportunities, double(customer_opportunities_));
  set(Kpi::direct_contacts, double(direct_contacts_));
  set(Kpi::provider_tickets, double(provider_tickets_));
  set(Kpi::provider_cost, provider_cost_);
  set(Kpi::chargeback_forgone, double(forgone_));
  auto group = [](std::vector<double>& v) {
    LeadTimeGroup g;
    g.delivered = v.size();
    if (!v.empty()) std::tie(g.p50_h, g.p95_h) = median_and_p95(v);
    return g;
  };
  for (std::size_t p = 0; p < lead_by_priority_.size(); ++p)
    r.lead_by_priority[p] = group(lead_by_priority_[p]);
  r.lead_by_unit.clear();
  for (std::vector<double>& v : lead_by_unit_)
    r.lead_by_unit.push_back(group(v));
  r.lead_by_work_type.assign(lead_by_work_type_.size(), LeadTimeDistribution{});
  for (std::size_t w = 0; w < lead_by_work_type_.size(); ++w) {
    std::vector<double>& v = lead_by_work_type_[w];
    LeadTimeDistribution& d = r.lead_by_work_type[w];
    d.delivered = v.size();
    if (v.empty()) continue;
    std::sort(v.begin(), v.end());
    for (std::size_t q = 0; q < lead_time_distribution_p.size(); ++q)
      d.p_h[q] = sorted_quantile(v, lead_time_distribution_p[q]);
  }
  r.series = std::move(series_);
  r.series_points = sample_points_;
  if (record_items_) r.items = std::move(items_);
}

} // namespace itsim::models::detail
