// SPDX-License-Identifier: Apache-2.0
#include "itsim/sim/format.hpp"

#include <charconv>
#include <cstdio>
#include <system_error>

namespace itsim {

std::string format_double(double x, int significant_digits) {
  char buf[64];
  if (significant_digits <= round_trip_digits) {
    const auto res = std::to_chars(buf, buf + sizeof buf, x);
    return res.ec == std::errc() ? std::string(buf, res.ptr) : std::string("?");
  }
  // At most 17 digits tell doubles apart; more only print the binary value's noise.
  const int digits = significant_digits > 17 ? 17 : significant_digits;
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return buf;
}

} // namespace itsim
