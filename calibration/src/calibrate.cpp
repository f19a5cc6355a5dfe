// SPDX-License-Identifier: Apache-2.0
// The fits of `itsim calibrate` and the scenario text it writes (docs/calibration.md).
// The scenario is written as text, not through a YAML library, because every fitted number
// carries its evidence in a comment beside it; `itsim validate` (load_scenario_text)
// checks the result before it is written.
#include "itsim/calibration/calibrate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>
#include <sstream>

#include "itsim/models/org_model.hpp"
#include "itsim/scenarios/loader.hpp"
#include "itsim/sim/error.hpp"

namespace itsim::calibration {

namespace {

std::string num(double v, int digits = 4) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

/// A duration of work in hours as the scenario writes it: minutes under two hours.
std::string duration(double h) {
  if (h < 2) return num(h * 60, 4) + "min";
  return num(h, 4) + "h";
}

double sample_mean(const std::vector<double>& v) {
  if (v.empty()) return 0;
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double sample_var(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = sample_mean(v);
  double s = 0;
  for (double x : v)
    s += (x - m) * (x - m);
  return s / static_cast<double>(v.size() - 1);
}

/// Hyndman & Fan type 7 quantile of `v` (sorted in place).
double quantile(std::vector<double> v, double p) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

/// Shares rounded to 4 decimals that still sum to exactly 1 (the largest takes the slack).
std::vector<double> round_shares(std::vector<double> s) {
  double sum = 0;
  std::size_t largest = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    s[i] = std::round(s[i] * 10000) / 10000;
    sum += s[i];
    if (s[i] > s[largest]) largest = i;
  }
  if (!s.empty()) s[largest] = std::round((s[largest] + 1 - sum) * 10000) / 10000;
  return s;
}

/// The distribution of work per visit, divided by `divisor` (the effort multiplier the
/// model applies on top), as a scenario distribution.
/// Over a preset (`over_preset`), the preset's mean and cv are removed from a Weibull (maps
/// merge key by key).
std::string service_text(const TierFit& t, double divisor, bool over_preset = true) {
  if (t.fit) {
    const FamilyFit& f = t.fit->chosen();
    switch (f.family) {
    case Family::weibull:
      return "{dist: weibull, shape: " + num(f.p1) + ", scale: " + duration(f.p2 / divisor) +
             (over_preset ? ", mean: ~, cv: ~}" : "}");
    case Family::gamma:
      return "{dist: gamma, mean: " + duration(f.mean / divisor) + ", cv: " + num(f.cv) + "}";
    case Family::lognormal:
      break;
    }
    return "{dist: lognormal, mean: " + duration(f.mean / divisor) + ", cv: " + num(f.cv) + "}";
  }
  return "{dist: lognormal, mean: " + duration(t.mean_h / divisor) + ", cv: " + num(t.cv) + "}";
}

std::string fit_evidence(const TierFit& t) {
  std::string e = t.method;
  if (t.fit) {
    e += "; n=" + std::to_string(t.fit->n) + ", sample mean " + duration(t.fit->sample_mean) +
         "; AIC";
    for (const FamilyFit& f : t.fit->fits)
      e += std::string(" ") + to_string(f.family) + " " + fixed(f.aic, 1);
    e += std::string(" -> ") + to_string(t.fit->chosen().family);
  } else {
    e += "; n=" + std::to_string(t.n);
  }
  return e;
}

/// The `next:` keys of the passive preset's ticket routes (scenarios/presets/passive.yaml):
/// a key written over it that the calibrated route does not use is removed with `~`, and
/// only such keys (removing an absent key is an error).
std::vector<std::string> passive_next_keys(const std::string& kind, const std::string& stage) {
  if (kind == "incident") {
    if (stage == "l1") return {"l2"};
    if (stage == "l2") return {"l3", "l1"};
    if (stage == "l3") return {"l2"};
  } else if (stage == "l1") {
    return {"fulfil", "l2"};
  }
  return {};
}

const std::string& stage_after_l1(const std::string& model) {
  static const std::string local = "local";
  static const std::string platform = "platform";
  return model == "embedded" ? local : platform;
}

/// The event log's routing and time per visit replace the ticket table's (which can see
/// only straight climbs): the share of visits to each tier that went to each other tier or
/// were done, and per tier an MLE fit of the business hours in work states per visit.
void use_events(const EventLogStats& e, const WorkTypeStats& w,
                const std::vector<std::string>& tiers, WorkTypeFit& f,
                std::vector<std::string>& warnings) {
  const std::size_t nt = tiers.size();
  f.next_share.assign(nt, std::vector<double>(nt + 1, 0.0));
  f.visits.assign(nt, 0);
  std::uint64_t back = 0;
  std::uint64_t above_l1 = 0;
  for (std::size_t j = 0; j < nt; ++j) {
    for (std::size_t k = 0; k <= nt; ++k)
      f.visits[j] += w.moves[j][k];
    if (f.visits[j] == 0) {
      f.next_share[j][nt] = 1;
      continue;
    }
    for (std::size_t k = 0; k <= nt; ++k)
      f.next_share[j][k] = static_cast<double>(w.moves[j][k]) / static_cast<double>(f.visits[j]);
    f.next_done[j] = f.next_share[j][nt];
    f.reached[j] = f.visits[j];
    if (j > 0) {
      above_l1 += f.visits[j];
      for (std::size_t k = 0; k < j; ++k)
        back += w.moves[j][k];
    }
  }
  f.bounce_share = above_l1 ? static_cast<double>(back) / static_cast<double>(above_l1) : 0;
  const std::string what = e.has_state ? "business hours in work states per visit to "
                                       : "business hours in the group per visit to ";
  for (std::size_t j = 0; j < nt; ++j) {
    TierFit& t = f.tiers[j];
    const Reservoir& r = w.touch_by_tier[j];
    t.wait_mean_h = e.has_state ? w.wait_by_tier[j].mean() : -1;
    if (r.values().size() < 2) continue;
    try {
      t.fit = fit_service_time(r.values());
    } catch (const Error&) {
      continue;
    }
    t.n = r.count();
    t.mean_h = t.fit->chosen().mean;
    t.cv = t.fit->chosen().cv;
    t.method = "MLE on " + what + t.pool + " (event log " + e.file + ")";
    // The ticket table's estimate (and its warning) is replaced.
    const std::string replaced = f.id + " at " + t.pool + ": ";
    std::erase_if(warnings, [&](const std::string& m) { return m.rfind(replaced, 0) == 0; });
    if (t.wait_mean_h >= 0)
      t.method += ", waiting apart: mean " + duration(t.wait_mean_h) + " a visit in wait states";
  }
  if (!e.has_state)
    warnings.push_back(f.id + ": the event log has no state column: every business hour in a "
                              "group counts as touch time (an upper bound; waiting inside the "
                              "group is not separable)");
}

} // namespace

Calibration calibrate(const TicketSummary& s, const CalibrateOptions& o) {
  Calibration c;
  const std::string ctx = s.file + ": ";
  static const std::vector<std::string> preset_tiers = {"l1", "l2", "l3"};
  if (s.tiers.empty() || s.tiers.size() > 3 ||
      !std::equal(s.tiers.begin(), s.tiers.end(), preset_tiers.begin()))
    throw ScenarioError(ctx +
                        "the mapping's tiers must be l1, l2 (and l3), the presets' ticket pools, "
                        "in that order; map the export's groups onto them");
  const double weeks = s.span_weeks();
  const std::size_t nt = s.tiers.size();

  // Arrivals, priorities, routing and work per work type.
  for (std::size_t k = 0; k < s.work_types.size(); ++k) {
    const WorkTypeStats& w = s.types[k];
    WorkTypeFit f;
    f.id = s.work_types[k];
    f.kind = f.id;
    f.rate_per_week = static_cast<double>(w.tickets) / weeks;
    f.rate_ci_per_week = 1.96 * std::sqrt(static_cast<double>(w.tickets)) / weeks;
    for (std::size_t p = 0; p < 4; ++p)
      f.priority_mix[p] = static_cast<double>(w.by_priority[p]) / static_cast<double>(w.tickets);
    f.reached.assign(nt, 0);
    f.next_done.assign(nt, 1.0);
    for (std::size_t j = nt; j-- > 0;)
      f.reached[j] = w.ended_at[j] + (j + 1 < nt ? f.reached[j + 1] : 0);
    for (std::size_t j = 0; j < nt; ++j)
      if (f.reached[j] > 0)
        f.next_done[j] = static_cast<double>(w.ended_at[j]) / static_cast<double>(f.reached[j]);
    f.bounce_share =
        w.resolved ? static_cast<double>(w.bounced) / static_cast<double>(w.resolved) : 0;
    const std::string what = s.has_work_time ? "recorded work time"
                                             : "business hours from opening to resolution "
                                               "(waiting included: no work time in the export)";
    double prev_mean = 0;
    double prev_var = 0;
    for (std::size_t j = 0; j < nt; ++j) {
      TierFit t;
      t.pool = s.tiers[j];
      const std::vector<double>& x = w.work_by_end[j].values();
      t.n = w.work_by_end[j].count();
      const double m = sample_mean(x);
      const double v = sample_var(x);
      if (j == 0) {
        if (x.size() >= 2) {
          try {
            t.fit = fit_service_time(x);
          } catch (const Error&) {
          }
        }
        t.method = "MLE on " + what + " of tickets resolved at " + t.pool + " unassigned";
        t.mean_h = t.fit ? t.fit->chosen().mean : m;
        t.cv = t.fit ? t.fit->chosen().cv : 1;
      } else {
        // The work recorded on a ticket resolved at tier j sums its visits to tiers 0..j:
        // a visit's work is the difference of the means (and variances) of tickets that
        // climbed straight to j and to j - 1, the route and the work being independent.
        t.mean_h = m - prev_mean;
        const double var = v - prev_var;
        t.method = what + ", tickets that climbed straight to " + t.pool + ", less those at " +
                   s.tiers[j - 1] + " (difference of means; lognormal assumed)";
        if (!(t.mean_h > 0) || x.size() < 2) {
          t.mean_h = x.size() >= 1 ? m : c.work_types.empty() ? 1.0 : 1.0;
          if (!(t.mean_h > 0)) t.mean_h = 1.0;
          t.method = x.empty() ? "no ticket climbed straight to " + t.pool + ": 1h assumed, edit it"
                               : what + " of tickets resolved at " + t.pool +
                                     " (the difference was not positive: total used)";
          c.warnings.push_back(f.id + " at " + t.pool + ": " + t.method);
        }
        t.cv = var > 0 ? std::clamp(std::sqrt(var) / t.mean_h, 0.2, 5.0) : 1.0;
      }
      if (x.size() >= 2) {
        prev_mean = m;
        prev_var = v;
      }
      f.tiers.push_back(std::move(t));
    }
    if (s.events && !w.moves.empty()) use_events(*s.events, w, s.tiers, f, c.warnings);
    if (!s.has_work_time && !(s.events && !w.moves.empty()))
      c.warnings.push_back(f.id + ": no work-time column: handle times are the business hours from "
                                  "opening to resolution, waiting included (an upper bound)");
    c.work_types.push_back(std::move(f));
  }

  // Weekly profile: openings per hour of day, and per weekday over the days of that weekday
  // in the span; the product form (hour x weekday) is the scenario format's.
  double mean_hour = 0;
  for (std::uint64_t n : s.by_hour)
    mean_hour += static_cast<double>(n) / 24;
  for (std::size_t h = 0; h < 24; ++h)
    c.hour_of_day[h] = mean_hour > 0 ? static_cast<double>(s.by_hour[h]) / mean_hour : 1;
  std::array<double, 7> per_day{};
  double mean_day = 0;
  for (std::size_t d = 0; d < 7; ++d) {
    per_day[d] = s.weekday_days[d]
                     ? static_cast<double>(s.by_weekday[d]) / static_cast<double>(s.weekday_days[d])
                     : 0;
    mean_day += per_day[d] / 7;
  }
  for (std::size_t d = 0; d < 7; ++d)
    c.weekday[d] = mean_day > 0 ? per_day[d] / mean_day : 1;

  // Trend: OLS of log weekly volume on the week; used when |t| > 3 over at least 26 weeks.
  if (s.by_week.size() >= 26) {
    const auto n = static_cast<double>(s.by_week.size());
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < s.by_week.size(); ++i) {
      const auto x = static_cast<double>(i);
      const double y = std::log(static_cast<double>(s.by_week[i]) + 0.5);
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    const double b = (sxy - sx * sy / n) / (sxx - sx * sx / n);
    const double a = (sy - b * sx) / n;
    double sse = 0;
    for (std::size_t i = 0; i < s.by_week.size(); ++i) {
      const double r =
          std::log(static_cast<double>(s.by_week[i]) + 0.5) - a - b * static_cast<double>(i);
      sse += r * r;
    }
    const double se = std::sqrt(sse / (n - 2) / (sxx - sx * sx / n));
    c.growth_t = se > 0 ? b / se : 0;
    c.yearly_growth = std::expm1(b * 365.0 / 7.0);
    c.growth_used = std::abs(c.growth_t) > 3;
  }

  // Headcount.
  auto headcount = [&](const std::string& pool, int fallback, const char* why) {
    if (const auto it = o.staff.find(pool); it != o.staff.end()) return it->second;
    const auto t = std::find(s.tiers.begin(), s.tiers.end(), pool);
    if (t != s.tiers.end()) {
      const auto j = static_cast<std::size_t>(t - s.tiers.begin());
      if (j < s.assignees.size() && s.assignees[j] > 0) {
        c.warnings.push_back("headcount of " + pool + " estimated from " +
                             std::to_string(s.assignees[j]) +
                             " distinct assignees (an upper bound: leavers and part-timers "
                             "count); give it with --staff " +
                             pool + "=N");
        return static_cast<int>(s.assignees[j]);
      }
      throw ScenarioError(ctx + "headcount of " + pool +
                          " unknown: the export has no assignee column; give it with --staff " +
                          pool + "=N");
    }
    c.warnings.push_back("headcount of " + pool +
                         " not in the export: " + std::to_string(fallback) + " (" + why +
                         "); give it with --staff " + pool + "=N");
    return fallback;
  };
  c.headcount["l1"] = headcount("l1", 7, "");
  c.headcount["l2"] = headcount("l2", 6, "MODEL.md's default company");
  c.headcount["l3"] = headcount("l3", 14, "MODEL.md's default company");
  c.headcount["ba"] = headcount("ba", 6, "MODEL.md's default company");
  c.headcount["dev"] = headcount("dev", 40, "MODEL.md's default company");
  const int employees = o.employees > 0 ? o.employees : 2000;
  if (o.employees <= 0)
    c.warnings.push_back("business headcount not given: 2000 (MODEL.md's default company); it "
                         "scales the enhancements and projects, give it with --employees N");

  // The text.
  std::ostringstream y;
  auto rate_line = [&](const WorkTypeFit& f) {
    const double g = c.growth_used ? std::pow(1 + c.yearly_growth, weeks / 52.0 / 2) : 1;
    std::string r = "      rate: " + num(f.rate_per_week / g, 5) + "/week";
    r += "   # " +
         std::to_string(s.types[static_cast<std::size_t>(
                                    std::find(s.work_types.begin(), s.work_types.end(), f.id) -
                                    s.work_types.begin())]
                            .tickets) +
         " tickets over " + num(weeks, 4) + " weeks: " + num(f.rate_per_week, 5) +
         "/week, 95% CI +-" + num(f.rate_ci_per_week, 3);
    if (c.growth_used) r += "; the mean at the export's start, as yearly_growth compounds from it";
    return r + "\n";
  };
  auto mix_line = [&](const WorkTypeFit& f, const WorkTypeStats& w) {
    std::vector<double> shares(f.priority_mix.begin(), f.priority_mix.end());
    shares = round_shares(shares);
    std::string r = "      priority_mix: {";
    std::string ev = "   # tickets by priority:";
    bool first = true;
    for (std::size_t p = 0; p < 4; ++p) {
      ev += " P" + std::to_string(p + 1) + " " + std::to_string(w.by_priority[p]);
      if (shares[p] <= 0) continue;
      r += (first ? "" : ", ") + std::string("p") + std::to_string(p + 1) + ": " + num(shares[p]);
      first = false;
    }
    return r + "}" + ev + "\n";
  };

  y << "# Calibrated by `itsim calibrate` from "
    << (o.source_label.empty() ? s.file : o.source_label) << ":\n# " << s.rows << " rows read, "
    << s.skipped << " skipped, openings over " << num(weeks, 4) << " weeks.\n"
    << "# Each fitted number has its evidence beside it (rows used, estimate, CI or fit\n"
    << "# statistic); numbers the export cannot show are MODEL.md's default company's\n"
    << "# assumptions, marked so: sweep them. docs/calibration.md explains each fit.\n";
  y << "name: " << o.name << "\n";
  y << "description: Calibrated from a ticket export; the four operating models on the client's "
       "demand\n";
  y << "horizon: 1y\nwarmup: 13w\nreplications: 30\n";
  y << "organisation:\n  units:\n    client: {headcount: " << employees << "}"
    << (o.employees > 0 ? "   # --employees\n"
                        : "   # not in the export: MODEL.md's default company (--employees)\n");
  y << "demand:\n  profile:\n    hour_of_day: [";
  for (std::size_t h = 0; h < 24; ++h)
    y << (h ? ", " : "") << fixed(c.hour_of_day[h], 3);
  y << "]   # openings by local hour of day over their mean (" << s.rows - s.skipped
    << " tickets, all work types)\n    weekday: [";
  for (std::size_t d = 0; d < 7; ++d)
    y << (d ? ", " : "") << fixed(c.weekday[d], 3);
  y << "]   # openings a day by weekday over their mean, Monday first\n";
  if (c.growth_used)
    y << "  yearly_growth: " << num(c.yearly_growth, 3) << "   # OLS of log weekly volume over "
      << s.by_week.size() << " weeks, t = " << num(c.growth_t, 3) << "\n";
  else
    y << "  # no trend: yearly_growth left at 0 (OLS of log weekly volume over " << s.by_week.size()
      << " weeks"
      << (s.by_week.size() >= 26 ? ", t = " + num(c.growth_t, 3) + ", |t| <= 3"
                                 : ": fewer than 26 weeks")
      << ")\n";
  y << "  work_types:\n";
  for (std::size_t k = 0; k < c.work_types.size(); ++k) {
    const WorkTypeFit& f = c.work_types[k];
    y << "    " << f.id << ":\n      kind: " << f.kind << "\n";
    y << rate_line(f) << mix_line(f, s.types[k]);
    y << "      # the routes' stages carry the fitted handle times; effort is what a stage "
         "without one uses\n";
    y << "      effort: " << service_text(f.tiers[0], preset_effort_multiplier, false) << "\n";
    y << "      expected_lead: " << (f.kind == "incident" ? "1bd" : "2bd")
      << "   # assumption (MODEL.md's default company)\n";
  }
  y << R"(    # Enhancements and projects are not in a ticket export: MODEL.md's default company,
    # per employee (assumptions to sweep), so that the four models compare on change work too.
    enhancement:
      kind: enhancement
      rate: 0.004/employee/week
      priority_mix: {p2: 0.1, p3: 0.6, p4: 0.3}
      effort: {dist: lognormal, median: 3bd, sigma: 1}
      patience: {dist: lognormal, median: 4w, sigma: 0.8}
      value: {dist: lognormal, median: 300, sigma: 1}
      value_life: 3y
      urgency: linear
      spanning_share: 0.25
      expected_lead: 4w
    project:
      kind: project
      rate: 0.008/employee/year
      priority_mix: {p2: 0.2, p3: 0.8}
      effort: {dist: lognormal, median: 100bd, sigma: 0.8}
      patience: {dist: lognormal, median: 12w, sigma: 0.8}
      value: {dist: lognormal, median: 8000, sigma: 1}
      value_life: 3y
      urgency: decaying
      spanning_share: 0.2
      expected_lead: 26w
)";
  auto hc = [&](const std::string& pool) {
    const bool given = o.staff.count(pool) > 0;
    return std::to_string(c.headcount[pool]) + "}" +
           (given ? "   # --staff" : "   # not given: see the warnings of itsim calibrate");
  };
  y << "staff:\n  pools:\n";
  y << "    l1: {role: service_desk, calendar: business, discipline: priority, cost_per_hour: 44, "
       "first_line: true, headcount: "
    << hc("l1") << "\n";
  y << "    l2: {role: second_line, calendar: business, discipline: priority, cost_per_hour: 60, "
       "headcount: "
    << hc("l2") << "\n";
  y << "    l3: {role: infrastructure_operations, calendar: business, discipline: priority, "
       "tickets_first: true, cost_per_hour: 70, availability: 0.5, headcount: "
    << hc("l3") << "\n";
  y << "    dev: {role: developer, calendar: business, discipline: priority, cost_per_hour: 75, "
       "availability: 0.3825, headcount: "
    << hc("dev") << "\n";
  y << "    ba: {role: business_analyst, calendar: business, discipline: priority, "
       "cost_per_hour: 70, availability: 0.85, headcount: "
    << hc("ba") << "\n";

  // Routes: the passive model's tiers as fitted; the other presets' first-line stage and the
  // stage behind it (the unit's IT, the platform team) take the same share and the expected
  // work of the escalation chain.
  auto tier_routes = [&](std::ostringstream& out, const std::string& indent, bool removals) {
    for (const WorkTypeFit& f : c.work_types) {
      out << indent << f.id << ":\n" << indent << "  stages:\n";
      for (std::size_t j = 0; j < nt; ++j) {
        const TierFit& t = f.tiers[j];
        out << indent << "    " << t.pool << ":\n";
        out << indent << "      pool: " << t.pool << "\n";
        out << indent << "      service: " << service_text(t, preset_effort_multiplier, removals)
            << "   # " << fit_evidence(t) << "; over " << preset_effort_multiplier
            << ", the presets' effort multiplier\n";
        if (!f.next_share.empty()) {
          std::vector<double> raw;
          std::vector<std::string> keys;
          for (std::size_t k = 0; k <= nt; ++k)
            if (k != j && (f.next_share[j][k] > 0 || k == nt)) { // done always: maps merge
              raw.push_back(f.next_share[j][k]);
              keys.push_back(k == nt ? "done" : s.tiers[k]);
            }
          const std::vector<double> sh = round_shares(raw);
          out << indent << "      next: {";
          for (std::size_t i = 0; i < sh.size(); ++i)
            out << (i ? ", " : "") << keys[i] << ": " << num(sh[i]);
          if (removals)
            for (const std::string& other : passive_next_keys(f.kind, t.pool))
              if (std::find(keys.begin(), keys.end(), other) == keys.end())
                out << ", " << other << ": ~";
          out << "}   # event log: " << f.visits[j] << " visits to " << t.pool << ":";
          for (std::size_t k = 0; k <= nt; ++k)
            if (k != j)
              out << " " << (k == nt ? "done" : "to " + s.tiers[k]) << " "
                  << static_cast<std::uint64_t>(
                         std::llround(f.next_share[j][k] * static_cast<double>(f.visits[j])));
          out << (j > 0 ? " (moves to a lower tier are bounce-backs)" : "") << "\n";
        } else if (j + 1 < nt && f.reached[j + 1] > 0) {
          const std::vector<double> sh = round_shares({f.next_done[j], 1 - f.next_done[j]});
          out << indent << "      next: {done: " << num(sh[0]) << ", " << s.tiers[j + 1] << ": "
              << num(sh[1]);
          if (removals)
            for (const std::string& other : passive_next_keys(f.kind, t.pool))
              if (other != s.tiers[j + 1]) out << ", " << other << ": ~";
          out << "}   # " << f.reached[j] << " resolved tickets reached " << t.pool << ", "
              << f.reached[j + 1] << " went on to " << s.tiers[j + 1] << "\n";
        } else {
          out << indent << "      next: {done: 1";
          if (removals)
            for (const std::string& other : passive_next_keys(f.kind, t.pool))
              out << ", " << other << ": ~";
          out << "}   # " << f.reached[j] << " resolved tickets reached " << t.pool
              << ", all resolved there\n";
        }
      }
      if (removals) {
        if (f.kind == "request") out << indent << "    fulfil: ~   # not separable in the export\n";
        for (const std::string& p : preset_tiers)
          if (std::find(s.tiers.begin(), s.tiers.end(), p) == s.tiers.end())
            out << indent << "    " << p << ": ~\n";
      }
      if (f.bounce_share > 0 && !f.next_share.empty())
        out << indent << "    # " << fixed(100 * f.bounce_share, 1) << "% of the visits above "
            << s.tiers[0]
            << " went back to a lower tier (bounce-backs, event log): in the routes above\n";
      else if (f.bounce_share > 0)
        out << indent << "    # " << fixed(100 * f.bounce_share, 1)
            << "% of resolved tickets were reassigned more often than their climb (bounces); "
               "the table cannot place them, so the route has none\n";
    }
  };
  // A ticket work type the export does not hold is removed from the presets' routes.
  auto absent_routes = [&](std::ostringstream& out) {
    for (const char* kind : {"incident", "request"})
      if (std::find(s.work_types.begin(), s.work_types.end(), kind) == s.work_types.end())
        out << "      " << kind << ": ~   # none in the export\n";
  };
  auto pooled_routes = [&](std::ostringstream& out, const std::string& model) {
    absent_routes(out);
    const std::string& behind = stage_after_l1(model);
    for (const WorkTypeFit& f : c.work_types) {
      // Expected work behind L1 per escalated ticket: the tiers' work weighted by the share
      // of escalated tickets that reach them.
      double work = 0;
      for (std::size_t j = 1; j < nt; ++j)
        if (f.reached[1] > 0)
          work += static_cast<double>(f.reached[j]) / static_cast<double>(f.reached[1]) *
                  f.tiers[j].mean_h;
      const std::vector<double> sh = round_shares({f.next_done[0], 1 - f.next_done[0]});
      out << "      " << f.id << ":\n        stages:\n";
      out << "          l1:\n            service: "
          << service_text(f.tiers[0], preset_effort_multiplier) << "   # as passive's l1\n";
      if (nt > 1 && f.reached[1] > 0) {
        out << "            next: {done: " << num(sh[0]) << ", " << behind << ": " << num(sh[1])
            << (f.kind == "request" ? ", fulfil: ~" : "")
            << "}   # passive's first-contact share\n";
        out << "          " << behind << ":\n            service: {dist: lognormal, mean: "
            << duration(std::max(work, 1.0 / 60) / preset_effort_multiplier)
            << ", cv: 1.5}   # passive's escalation chain: its expected work per escalated "
               "ticket\n";
      } else {
        out << "            next: ~\n";
      }
      if (f.kind == "request") out << "          fulfil: ~\n";
    }
  };

  y << "models:\n";
  y << "  passive:\n    preset: passive\n    routes:\n";
  {
    std::ostringstream r;
    absent_routes(r);
    tier_routes(r, "      ", true);
    y << r.str();
  }
  const int l3_stream = static_cast<int>(std::lround(c.headcount["l3"] * 5.0 / 14.0));
  y << "  embedded:\n    preset: embedded\n";
  y << "    teams:\n      unit_it:\n        members: {ba: " << c.headcount["ba"]
    << ", dev: " << c.headcount["dev"] << ", l2: " << c.headcount["l2"]
    << ", l3: " << c.headcount["l3"] << "}   # the preset's split, on the calibrated pools\n";
  y << "    routes:\n";
  {
    std::ostringstream r;
    pooled_routes(r, "embedded");
    y << r.str();
  }
  y << "  rotation:\n    preset: rotation\n    routes:\n";
  {
    std::ostringstream r;
    absent_routes(r);
    tier_routes(r, "      ", true);
    y << r.str();
  }
  y << "  coe:\n    preset: coe\n";
  y << "    teams:   # the preset's split (5 of 14 l3 in the streams), on the calibrated pools\n";
  y << "      stream:\n        members: {ba: " << c.headcount["ba"]
    << ", dev: " << c.headcount["dev"] << ", l3: " << l3_stream << "}\n";
  y << "      platform:\n        members: {l2: " << c.headcount["l2"]
    << ", l3: " << c.headcount["l3"] - l3_stream << "}\n";
  y << "    routes:\n";
  {
    std::ostringstream r;
    pooled_routes(r, "coe");
    y << r.str();
  }
  y << "baseline: passive\n";
  y << R"(mechanisms:
  shadow: {build_share: 0.6, run_cost_per_week: 400}   # MODEL.md's default company (assumptions)
  rationing: {max_backlog: 13w}                        # as midsize.yaml (assumption)
)";
  c.yaml = y.str();

  // The back-test's scenario: the fitted passive model alone, tickets only, over the span.
  std::ostringstream k;
  const double horizon_w = std::ceil(weeks) + 4;
  k << "name: " << o.name << "_check\nhorizon: " << num(horizon_w, 6) << "w\nwarmup: 4w\n";
  k << "organisation:\n  units:\n    client: {headcount: " << employees << "}\n";
  k << "demand:\n  profile:\n    hour_of_day: [";
  for (std::size_t h = 0; h < 24; ++h)
    k << (h ? ", " : "") << fixed(c.hour_of_day[h], 3);
  k << "]\n    weekday: [";
  for (std::size_t d = 0; d < 7; ++d)
    k << (d ? ", " : "") << fixed(c.weekday[d], 3);
  k << "]\n  work_types:\n";
  for (std::size_t i = 0; i < c.work_types.size(); ++i) {
    const WorkTypeFit& f = c.work_types[i];
    k << "    " << f.id << ":\n      kind: " << f.kind << "\n"
      << "      rate: " << num(f.rate_per_week, 6) << "/week\n"
      << mix_line(f, s.types[i])
      << "      effort: " << service_text(f.tiers[0], preset_effort_multiplier, false) << "\n";
  }
  k << "staff:\n  pools:\n";
  for (std::size_t j = 0; j < nt; ++j)
    k << "    " << s.tiers[j]
      << ": {calendar: business, discipline: priority, headcount: " << c.headcount[s.tiers[j]]
      << (j == 0 ? ", first_line: true" : "") << "}\n";
  k << "models:\n  passive:\n    knowledge: {initial: 0.3, learns: false}\n    routes:\n";
  tier_routes(k, "      ", false);
  c.check_yaml = k.str();

  // Both must load: a scenario that does not validate is never written.
  for (const auto& [label, text] :
       {std::pair{"the calibrated scenario", &c.yaml}, {"the back-test scenario", &c.check_yaml}}) {
    scenarios::Diagnostics d;
    const auto loaded = scenarios::load_scenario_text(*text, o.name + ".yaml", ".", {}, d);
    if (!loaded)
      throw Error(std::string("internal error: ") + label + " does not validate:\n" +
                  d.format_errors());
  }
  return c;
}

std::vector<CheckLine> back_test(const TicketSummary& s, const Calibration& c, int replications,
                                 const CheckTolerances& tol) {
  scenarios::Diagnostics d;
  const auto loaded = scenarios::load_scenario_text(c.check_yaml, "check.yaml", ".", {}, d);
  if (!loaded)
    throw Error("internal error: the back-test scenario does not validate:\n" + d.format_errors());
  const scenarios::Scenario& sc = loaded->scenario;
  std::array<std::vector<double>, 4> lead;
  std::vector<std::uint64_t> ended(s.tiers.size(), 0);
  std::uint64_t delivered = 0;
  std::uint64_t created = 0;
  double measured_weeks = 0;
  models::RunOptions opt;
  opt.record_items = true;
  for (int r = 0; r < replications; ++r) {
    const models::RunResult res = models::run_model(sc, 0, static_cast<std::uint64_t>(r), opt);
    measured_weeks += (sc.horizon_h - res.warmup_h) / 168.0;
    for (const models::ItemRecord& it : res.items) {
      if (it.origin != models::ItemOrigin::demand) continue;
      ++created;
      if (it.outcome != models::ItemOutcome::delivered) continue;
      ++delivered;
      lead[it.priority].push_back(it.finished_h - it.created_h);
      const std::size_t tier =
          std::min<std::size_t>(it.visits ? it.visits - 1u : 0u, s.tiers.size() - 1);
      ++ended[tier];
    }
  }
  std::vector<CheckLine> out;
  // Weekly volume.
  std::uint64_t tickets = 0;
  for (const WorkTypeStats& w : s.types)
    tickets += w.tickets;
  out.push_back({"tickets a week", static_cast<double>(tickets) / s.span_weeks(),
                 static_cast<double>(created) / measured_weeks, tol.volume, true, true});
  // Resolution by tier (the first is first-contact resolution).
  std::uint64_t resolved = 0;
  std::vector<std::uint64_t> ex_ended(s.tiers.size(), 0);
  for (const WorkTypeStats& w : s.types)
    for (std::size_t j = 0; j < s.tiers.size(); ++j) {
      ex_ended[j] += w.ended_at[j];
      resolved += w.ended_at[j];
    }
  for (std::size_t j = 0; j < s.tiers.size(); ++j) {
    const std::string m = j == 0 ? "resolved at l1 (first contact)" : "resolved at " + s.tiers[j];
    out.push_back({m, static_cast<double>(ex_ended[j]) / static_cast<double>(resolved),
                   delivered ? static_cast<double>(ended[j]) / static_cast<double>(delivered) : 0,
                   tol.share, false, true});
  }
  // Lead times by priority.
  for (std::size_t p = 0; p < 4; ++p) {
    std::vector<double> ex;
    for (const WorkTypeStats& w : s.types)
      ex.insert(ex.end(), w.lead_h[p].values().begin(), w.lead_h[p].values().end());
    if (ex.size() < 20 || lead[p].size() < 20) continue;
    for (const double q : {0.5, 0.9}) {
      out.push_back({"P" + std::to_string(p + 1) + " lead time p" +
                         std::to_string(static_cast<int>(q * 100)) + " (h)",
                     quantile(ex, q), quantile(lead[p], q), tol.lead, true, true});
    }
  }
  for (CheckLine& l : out) {
    const double allowed = l.relative ? l.tolerance * std::abs(l.exported) : l.tolerance;
    l.ok = std::abs(l.simulated - l.exported) <= allowed;
  }
  return out;
}

} // namespace itsim::calibration
