// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_models: value, urgency, downtime and staff cost (MODEL.md M8, M10).
#pragma once

#include "item.hpp"
#include "itsim/sim/calendar.hpp"

namespace itsim::models::detail {

/// What delivered work is worth and what the staff cost, on one time base (MoneyWindow):
/// a delivered item earns its value per week, times the quality its understanding allows
/// and the urgency left after its lead time, from its delivery to the end of its value life
/// or of the measured window, whichever comes first; an incident costs its users' lost
/// working time while open; staff cost by the hour. Each is discounted to the window's
/// start. Pure arithmetic on the scenario's parameters: the KPI recorder keeps the sums.
class ValueAccount {
public:
  /// Staff cost of a model.
  struct StaffCost {
    double per_hour = 0;   ///< loaded cost of all staff per calendar hour
    double total = 0;      ///< over the measured window, discounted
    double first_line = 0; ///< of first-line pools over the measured window, undiscounted
  };

  ValueAccount(const scenarios::Scenario& s, const sim::Calendar& business,
               const MoneyWindow& window)
      : s_(s), mech_(s.mechanisms), business_(business), window_(window) {}

  /// What is left of the value of work delivered after `lead_h` hours under urgency `u`
  /// (value life `life_h`), in [0, 1].
  double urgency(scenarios::Scenario::Urgency u, double lead_h, double life_h) const;

  /// The money of delivering `it` now, `lead_h` hours after it was raised: its value as it
  /// accrues in the window, the whole-life stakes, and for an incident its downtime
  /// (discounted as if spread evenly over the hours it was open).
  DeliveryMoney delivered(const Item& it, double lead_h, sim::SimTime now) const;

  /// What `it`, still open `age_h` hours after it was raised, would earn over its whole
  /// value life if delivered now (`value`: potential x quality x urgency at its age,
  /// undiscounted) and has lost to delay so far (`lost_to_delay`). Its quality takes the
  /// understanding its handoffs have left so far and no knowledge term (no one has done its
  /// last visit): the most a delivery now could earn. No downtime: that is counted when an
  /// incident is resolved.
  DeliveryMoney open_at_end(const Item& it, double age_h) const;

  /// Staff cost of `m` over the window (paid hours only: 40 a week), discounted by it;
  /// outside providers (M12) are paid by the ticket instead.
  static StaffCost staff_cost(const scenarios::Scenario::Model& m, const MoneyWindow& window);

private:
  /// value, lost_to_delay and customer of `d` for understanding `u` after `lead_h` hours.
  void add_value(const Item& it, double u, double lead_h, DeliveryMoney& d) const;

  const scenarios::Scenario& s_;
  const scenarios::Scenario::Mechanisms& mech_;
  const sim::Calendar& business_;
  MoneyWindow window_;
};

} // namespace itsim::models::detail
