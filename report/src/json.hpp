// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_report: a minimal JSON writer for the charts' specs and data.
#pragma once

#include <string>
#include <string_view>

namespace itsim::report::detail {

/// `s` as a JSON string literal, quotes included; '<' is written as \u003c so that the
/// text can sit inside an HTML <script> element.
std::string json_string(std::string_view s);

/// `x` as a JSON number with `digits` significant digits (printf %.*g); null when not
/// finite.
std::string json_number(double x, int digits = 6);

} // namespace itsim::report::detail
