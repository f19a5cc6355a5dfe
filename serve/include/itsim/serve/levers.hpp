// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "itsim/scenarios/scenario.hpp"

namespace itsim::serve {

/// A problem with one lever's value (or with the request as a whole when `lever` is
/// empty), as the page shows it beside the control.
struct LeverError {
  std::string lever;
  std::string message;
};

/// Lever values as a request gives them, checked against the scenario's levers.
struct LeverValues {
  /// Lever id -> the value as `--set` writes it, for every lever the request set (the
  /// others keep the scenario's values); the show lever included.
  std::map<std::string, std::string> values;
  /// `KEY=VALUE` for every lever with a key, in the scenario's lever order: what
  /// scenarios::load_scenario applies exactly as `itsim run --set`.
  std::vector<std::string> overrides;
  /// The show lever's value ("all" or a model id); "all" when not set.
  std::string show = "all";
};

/// Reads a request body: a JSON object of lever id -> value (a number for a range lever,
/// within [min, max]; a string for a choice lever, one of its choices; for the show
/// lever "all" or a model id). Malformed JSON, a body that is not an object, an unknown
/// lever or a value of the wrong type or out of range each give a LeverError; the result
/// is meaningful only when `errors` is empty. The scenario validator checks the values
/// further when they are applied (see LeverValues::overrides).
LeverValues parse_lever_values(const scenarios::Scenario& s, std::string_view json,
                               std::vector<LeverError>& errors);

/// A number as `--set` should write it: the shortest text that reads back as `x`
/// ("9", "0.85").
std::string number_text(double x);

} // namespace itsim::serve
