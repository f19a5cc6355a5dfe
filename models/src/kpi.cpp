// SPDX-License-Identifier: Apache-2.0
// The KPI and time-series tables, built from their one declaration (kpi.hpp), and the
// names of an item's outcome and origin.
#include "itsim/models/kpi.hpp"

#include <cmath>

#include "itsim/models/org_model.hpp"

namespace itsim::models {

const std::array<KpiInfo, kpi_count>& kpi_table() {
  static const std::array<KpiInfo, kpi_count> table = {{
#define ITSIM_KPI_INFO(name, unit, family, better, heading, meaning)                               \
  {#name, unit, meaning, KpiFamily::family, Better::better, heading},
      ITSIM_KPIS(ITSIM_KPI_INFO)
#undef ITSIM_KPI_INFO
  }};
  return table;
}

Kpi kpi_named(std::string_view name) {
  const auto& table = kpi_table();
  for (std::size_t k = 0; k < table.size(); ++k)
    if (name == table[k].name) return static_cast<Kpi>(k);
  return Kpi::count;
}

const char* to_string(KpiFamily f) {
  switch (f) {
  case KpiFamily::demand:
    return "demand";
  case KpiFamily::latency:
    return "latency";
  case KpiFamily::quality:
    return "quality";
  case KpiFamily::value:
    return "value";
  case KpiFamily::cost:
    return "cost";
  case KpiFamily::risk:
    return "risk";
  case KpiFamily::capacity:
    return "capacity";
  case KpiFamily::perception:
    return "perception";
  case KpiFamily::run:
    break;
  }
  return "run";
}

const char* to_string(Better b) {
  switch (b) {
  case Better::higher:
    return "higher";
  case Better::lower:
    return "lower";
  case Better::none:
    break;
  }
  return "-";
}

std::string kpi_markdown_table() {
  std::string out = "| KPI | unit | family | better | meaning |\n|---|---|---|---|---|\n";
  for (const KpiInfo& k : kpi_table()) {
    out += std::string("| `") + k.name + "` | " + k.unit + " | " + to_string(k.family) + " | " +
           to_string(k.better) + " | " + k.description + " |\n";
  }
  return out;
}

const std::array<KpiInfo, series_count>& series_table() {
  static const std::array<KpiInfo, series_count> table = {{
      {"queue_length", "items", "items waiting in IT's queues"},
      {"in_service", "items", "items being worked on (busy servers)"},
      {"backlog", "items", "items in IT: queueing, in service, in handoffs, delays and gates"},
      {"utilisation", "share", "busy over available server-hours since the previous sample"},
      {"value_cumulative", "money",
       "value earned by IT's deliveries and shadow systems since the warm-up, as it accrues, "
       "discounted (value_gross + shadow_value at the horizon)"},
      {"net_value_cumulative", "money",
       "net value accrued since the warm-up: value - downtime - IT staff and shadow cost, "
       "discounted (net_value at the horizon)"},
  }};
  return table;
}

std::uint32_t series_points(double horizon_h, double step_h) {
  if (!(step_h > 0)) return 0;
  // The last sample may sit exactly on the horizon despite rounding in horizon / step.
  return static_cast<std::uint32_t>(std::floor(horizon_h / step_h * (1 + 1e-12)));
}

const char* to_string(ItemOutcome o) {
  switch (o) {
  case ItemOutcome::delivered:
    return "delivered";
  case ItemOutcome::abandoned:
    return "abandoned";
  case ItemOutcome::shadow_build:
    return "shadow_build";
  case ItemOutcome::declined:
    return "declined";
  case ItemOutcome::open:
    break;
  }
  return "open";
}

const char* to_string(ItemOrigin o) {
  switch (o) {
  case ItemOrigin::demand:
    return "demand";
  case ItemOrigin::proactive:
    return "proactive";
  case ItemOrigin::change_failure:
    return "change_failure";
  case ItemOrigin::customer_opportunity:
    return "customer_opportunity";
  case ItemOrigin::customer_contact:
    return "customer_contact";
  case ItemOrigin::shadow:
    break;
  }
  return "shadow";
}

} // namespace itsim::models
