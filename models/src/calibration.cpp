// SPDX-License-Identifier: Apache-2.0
#include "itsim/models/calibration.hpp"

namespace itsim::models {

namespace {

constexpr double month_h = 8760.0 / 12; // DORA's months

} // namespace

const std::vector<CalibrationTarget>& calibration_targets() {
  static const std::vector<CalibrationTarget> table = {
      {"first-contact resolution 0.67-0.74", "MetricNet", Kpi::first_contact_resolution, 0.67, 0.74,
       CalibrationKind::set_by_input,
       "the routing input: the share L1 closes on the first visit, "
       "routes.incident.stages.l1.next.done and routes.request.stages.l1.next.done (0.70 in "
       "the passive preset)"},
      {"about 85% of tickets resolved at L1 (band 0.80-0.90)", "MODEL.md", Kpi::resolved_at_l1,
       0.80, 0.90, CalibrationKind::set_by_input,
       "the routing inputs alone: the passive preset's escalation matrix "
       "(routes.incident/request.stages.*.next: L1 closes 0.70, fulfilment returns to L1, "
       "L2 bounces 0.15 back) and the mix of incidents and requests "
       "(demand.work_types.*.rate)"},
      {"cost per ticket at L1 about $22 (band 18-26)", "MetricNet", Kpi::cost_per_ticket_l1, 18, 26,
       CalibrationKind::set_by_input,
       "an identity of headcount and wage: staff.pools.l1.headcount x cost_per_hour x 40 paid "
       "hours a week over the tickets reaching L1 (demand.work_types.incident/request.rate x "
       "employees)"},
      {"flow efficiency of changes under 15%", "a published Microsoft IT case, about 3%",
       Kpi::change_flow_efficiency, 0, 0.15, CalibrationKind::emerges,
       "from queueing, handoff delays, the demand and change boards and rework on the "
       "passive preset's change route; nothing was tuned to it"},
      {"flow efficiency of all items under 15%", "MODEL.md", Kpi::flow_efficiency, 0, 0.15,
       CalibrationKind::emerges,
       "as for changes, over every delivered item (tickets included); nothing was tuned to "
       "it"},
      {"enhancement lead time 1-6 months", "DORA, medium and low performers",
       Kpi::enhancement_lead_time_p50_h, 1 * month_h, 6 * month_h, CalibrationKind::emerges,
       "from the change route's queues, handoffs and boards; calibrated with the demand "
       "board before analysis (passive preset routes.enhancement.stages.analysis.gate.every "
       "4w)"},
      {"shadow IT 25-40% of spend", "Gartner, Everest Group", Kpi::shadow_share, 0.25, 0.40,
       CalibrationKind::emerges,
       "from requesters who give up (queueing against patience) and build outside IT "
       "(mechanisms.shadow.build_share 0.6); calibrated with "
       "mechanisms.shadow.run_cost_per_week (650 in midsize.yaml)"},
  };
  return table;
}

const char* to_string(CalibrationKind kind) {
  return kind == CalibrationKind::set_by_input ? "set by input" : "emerges";
}

} // namespace itsim::models
