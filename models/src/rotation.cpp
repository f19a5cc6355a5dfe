// SPDX-License-Identifier: Apache-2.0
#include "rotation.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace itsim::models::detail {

using scenarios::Scenario;

Rotation::Rotation(const Scenario& s, const Scenario::Rotation& r,
                   std::vector<StationView> stations)
    : s_(s), r_(r), stations_(std::move(stations)), out_(stations_.size(), 0),
      in_(stations_.size(), 0), retention_boost_(s.units.size(), 0.0),
      self_serve_boost_(s.units.size(), 0.0) {}

std::vector<std::uint32_t> Rotation::spread(std::uint32_t total,
                                            const std::vector<double>& weights) {
  std::vector<std::uint32_t> out(weights.size(), 0);
  double sum = 0;
  for (const double w : weights)
    sum += w;
  if (weights.empty() || !(sum > 0)) return out;
  std::vector<std::pair<double, std::size_t>> rest;
  std::uint32_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = total * weights[i] / sum;
    out[i] = static_cast<std::uint32_t>(exact);
    given += out[i];
    rest.emplace_back(exact - out[i], i);
  }
  std::stable_sort(rest.begin(), rest.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < total && k < rest.size(); ++k, ++given)
    ++out[rest[k].second];
  return out;
}

double Rotation::newcomer_productivity() const {
  if (!(r_.ramp_h > 0)) return r_.ramp_to;
  if (r_.stint_h <= r_.ramp_h)
    return r_.ramp_from + (r_.ramp_to - r_.ramp_from) * r_.stint_h / (2 * r_.ramp_h);
  return ((r_.ramp_from + r_.ramp_to) / 2 * r_.ramp_h + r_.ramp_to * (r_.stint_h - r_.ramp_h)) /
         r_.stint_h;
}

/// A stint's staffing of one station: `out` of its people away and `in` newcomers, both
/// at the resource's availability. Without a WIP limit the servers follow the people
/// (rounded, at least one) and the newcomers' ramp slows the work; with one, the servers
/// stay and the people per item change.
Rotation::Staffing Rotation::staffing(const StationView& v, std::uint32_t out,
                                      std::uint32_t in) const {
  const double away = out * v.availability;
  const double joined = in * v.availability;
  const double staff = std::max(v.people - away + joined, 1e-9);
  const double working =
      std::max(v.people - away + joined * (in > 0 ? newcomer_productivity() : 0), 1e-9);
  Staffing s;
  s.station = v.station;
  if (v.wip_limited) {
    s.productivity = working / v.people;
    s.capacity_delta = 0;
  } else {
    const double servers = std::max(1.0, std::round(staff));
    s.productivity = (working / servers) / v.speed;
    s.capacity_delta = static_cast<std::int32_t>(servers) - static_cast<std::int32_t>(v.servers);
  }
  return s;
}

std::vector<Rotation::Staffing> Rotation::start_stint(sim::SimTime now) {
  std::vector<double> headcount; // people on the payroll, before availability
  double people = 0;
  for (const StationView& v : stations_) {
    headcount.push_back(v.people / v.availability);
    people += headcount.back();
  }
  // it_share of the rotating staff go out and business_staff come in, both spread over
  // the rotating stations by headcount (largest remainder), so the totals are exact.
  const auto out_total = static_cast<std::uint32_t>(std::lround(r_.it_share * people));
  const std::vector<std::uint32_t> out = spread(out_total, headcount);
  const std::vector<std::uint32_t> in = spread(r_.business_staff, headcount);
  stint_start_ = now;
  std::vector<Staffing> result;
  for (std::size_t i = 0; i < stations_.size(); ++i) {
    out_[i] = std::min(out[i], static_cast<std::uint32_t>(std::floor(headcount[i])));
    in_[i] = in[i];
    result.push_back(staffing(stations_[i], out_[i], in_[i]));
  }
  return result;
}

std::vector<Rotation::Experience> Rotation::end_stint(double stint_work_h,
                                                      std::vector<Staffing>& back) {
  double people_total = 0;
  for (const Scenario::Unit& u : s_.units)
    people_total += u.headcount;
  std::vector<Experience> gained;
  back.clear();
  for (std::size_t i = 0; i < stations_.size(); ++i) {
    const StationView& v = stations_[i];
    // IT staff back from the business: experience for every unit by headcount share,
    // at learning_multiplier times the rate of work done from IT.
    if (out_[i] > 0) {
      for (std::uint32_t u = 0; u < s_.units.size(); ++u) {
        const double share =
            v.unit == none ? s_.units[u].headcount / people_total : (u == v.unit ? 1 : 0);
        gained.push_back({v.station, u, out_[i] * stint_work_h * share * r_.learning_multiplier});
      }
    }
    out_[i] = in_[i] = 0;
    back.push_back({v.station, 1.0, 0});
  }
  // Business staff back in their units: the units they came from (by headcount, largest
  // first) keep clearer requirements and serve some requests themselves.
  std::vector<std::uint32_t> order(s_.units.size());
  for (std::uint32_t u = 0; u < order.size(); ++u)
    order[u] = u;
  std::stable_sort(order.begin(), order.end(), [this](std::uint32_t a, std::uint32_t b) {
    return s_.units[a].headcount > s_.units[b].headcount;
  });
  const std::size_t units_reached = std::min<std::size_t>(r_.business_staff, order.size());
  for (std::size_t i = 0; i < units_reached; ++i) {
    retention_boost_[order[i]] = r_.retention_boost;
    self_serve_boost_[order[i]] = r_.self_serve_boost;
  }
  return gained;
}

} // namespace itsim::models::detail
