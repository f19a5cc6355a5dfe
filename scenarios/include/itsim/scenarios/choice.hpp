// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace itsim::scenarios {

/// One allowed value of a choice in the scenario language: how files spell it and the
/// value it stands for.
template <class E> struct Choice {
  /// As written in scenario files, e.g. "wsjf"; a string literal, so data() is
  /// null-terminated.
  std::string_view spelling;
  E value; ///< what the loader turns it into
};

/// Every allowed value of one choice, declared once (see choices.hpp). The schema takes
/// its allowed values from the table (validation, JSON Schema enum, docs), and the loader
/// converts with find_choice: no second list, no mapping by position.
template <class E, std::size_t N> using Choices = std::array<Choice<E>, N>;

/// The value spelled `spelling`, or nullopt when the table has no such spelling.
template <class E, std::size_t N>
constexpr std::optional<E> find_choice(const Choices<E, N>& table, std::string_view spelling) {
  for (const Choice<E>& c : table)
    if (c.spelling == spelling) return c.value;
  return std::nullopt;
}

/// How files spell `value`; empty when the table has no entry for it.
template <class E, std::size_t N>
constexpr std::string_view spelling_of(const Choices<E, N>& table, E value) {
  for (const Choice<E>& c : table)
    if (c.value == value) return c.spelling;
  return {};
}

/// The spellings in table order, e.g. for "expected one of: ..." and the JSON Schema enum.
template <class E, std::size_t N>
std::vector<std::string> spellings_of(const Choices<E, N>& table) {
  std::vector<std::string> out;
  out.reserve(N);
  for (const Choice<E>& c : table)
    out.emplace_back(c.spelling);
  return out;
}

} // namespace itsim::scenarios
