// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace itsim {

/// format_double's `significant_digits` for the shortest text that reads back as the same
/// double.
inline constexpr int round_trip_digits = 0;

/// `x` as decimal text for users: messages, values written into scenarios, docs and the
/// JSON Schema. The one number formatter of itsim.
///
/// With `significant_digits` round_trip_digits (the default), the shortest text that reads
/// back as the same double, in fixed or exponent form, whichever is shorter ("0.95", "12",
/// "1e-05", "1e+06"). With N > 0, at most N significant digits, trailing zeros dropped, in
/// printf's `%.Ng` form: N = 4 for sums and loads in messages ("0.9999", "1.235e+04"), N =
/// 15 for limits in docs ("1000000"). Not-a-number and infinities are "nan", "inf" and
/// "-inf" (a negative NaN "-nan").
std::string format_double(double x, int significant_digits = round_trip_digits);

} // namespace itsim
