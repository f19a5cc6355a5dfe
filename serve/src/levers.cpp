// SPDX-License-Identifier: Apache-2.0
#include "itsim/serve/levers.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace itsim::serve {

std::string number_text(double x) {
  char buf[32];
  // Whole numbers as integers ("10", not "1e+01"): an integer key reads them so.
  if (x == std::floor(x) && std::fabs(x) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", x);
    return buf;
  }
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  return buf;
}

LeverValues parse_lever_values(const scenarios::Scenario& s, std::string_view json,
                               std::vector<LeverError>& errors) {
  LeverValues out;
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(json.begin(), json.end());
  } catch (const nlohmann::json::parse_error& e) {
    errors.push_back({"", std::string("malformed JSON: ") + e.what()});
    return out;
  }
  if (!body.is_object()) {
    errors.push_back({"", "expected a JSON object of lever id -> value"});
    return out;
  }
  for (const auto& [id, value] : body.items()) {
    const auto it = std::find_if(s.levers.begin(), s.levers.end(),
                                 [&id](const scenarios::Scenario::Lever& l) { return l.id == id; });
    if (it == s.levers.end()) {
      std::string known;
      for (const auto& l : s.levers)
        known += (known.empty() ? "" : ", ") + l.id;
      errors.push_back({id, "unknown lever \"" + id + "\" (levers: " + known + ")"});
      continue;
    }
    const scenarios::Scenario::Lever& lever = *it;
    if (lever.show_models) {
      std::vector<std::string> allowed{"all"};
      for (const auto& m : s.models)
        allowed.push_back(m.id);
      if (!value.is_string() ||
          std::find(allowed.begin(), allowed.end(), value.get<std::string>()) == allowed.end()) {
        std::string list;
        for (const auto& a : allowed)
          list += (list.empty() ? "" : ", ") + a;
        errors.push_back({id, "must be one of " + list + ", got " + value.dump()});
        continue;
      }
      out.show = value.get<std::string>();
      out.values[id] = out.show;
      continue;
    }
    std::string text;
    if (!lever.choices.empty()) {
      if (!value.is_string() || std::find(lever.choices.begin(), lever.choices.end(),
                                          value.get<std::string>()) == lever.choices.end()) {
        std::string list;
        for (const auto& c : lever.choices)
          list += (list.empty() ? "" : ", ") + c;
        errors.push_back({id, "must be one of " + list + ", got " + value.dump()});
        continue;
      }
      text = value.get<std::string>();
    } else {
      if (!value.is_number()) {
        errors.push_back({id, "expected a number, got " + value.dump()});
        continue;
      }
      const double x = value.get<double>();
      if (!std::isfinite(x) || x < lever.min || x > lever.max) {
        errors.push_back({id, "must be in " + number_text(lever.min) + ".." +
                                  number_text(lever.max) + ", got " + value.dump()});
        continue;
      }
      text = number_text(x);
    }
    out.values[id] = text;
  }
  for (const auto& lever : s.levers) {
    const auto v = out.values.find(lever.id);
    if (v != out.values.end() && !lever.show_models)
      out.overrides.push_back(lever.key + "=" + v->second);
  }
  return out;
}

} // namespace itsim::serve
