// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_experiments: what the result tables and terminal lines of the
// experiments share: building an extra table's columns, and a signed amount for a line.
#pragma once

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "itsim/analysis/results.hpp"
#include "itsim/sim/format.hpp"

namespace itsim::experiments::detail {

/// An empty string column of an extra table.
inline analysis::ItemColumn string_column(std::string name, std::string description) {
  return {std::move(name), "", std::move(description), std::vector<std::string>{}};
}

/// An empty float64 column of an extra table.
inline analysis::ItemColumn number_column(std::string name, std::string unit,
                                          std::string description) {
  return {std::move(name), std::move(unit), std::move(description), std::vector<double>{}};
}

/// Appends `value` to column `c`, whose values must be of its type.
template <class T> void push_value(analysis::ItemColumn& c, T value) {
  std::get<std::vector<T>>(c.values).push_back(std::move(value));
}

/// A money or count amount with 3 significant digits and k/M suffixes, signed ("+6.6M",
/// "-410k"); "-" when not finite.
inline std::string signed_amount(double v) {
  if (!std::isfinite(v)) return "-";
  const double a = std::fabs(v);
  std::string text = a >= 1e6   ? format_double(v / 1e6, 3) + "M"
                     : a >= 1e3 ? format_double(v / 1e3, 3) + "k"
                                : format_double(v, 3);
  return (v > 0 ? "+" : "") + text;
}

} // namespace itsim::experiments::detail
