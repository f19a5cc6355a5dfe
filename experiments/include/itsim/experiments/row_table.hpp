// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "itsim/analysis/results.hpp"

namespace itsim::experiments {

/// One column of a table whose rows are structs of type `Row`: the column's name, unit and
/// description as analysis::ItemColumn has them, and the member of `Row` it holds. A table
/// is then a list of row structs (easy to build, to test and to read) plus one list of
/// RowColumn saying how it is written, instead of one parallel vector per column.
template <class Row> struct RowColumn {
  /// Dataset name (analysis::ItemColumn::name).
  std::string name;
  /// Unit, "" for identifiers and counts; must not contain "since".
  std::string unit;
  /// One line saying what the column holds.
  std::string description;
  /// The member of `Row` written to the column; its type is the column's type.
  std::variant<double Row::*, std::uint32_t Row::*, std::uint64_t Row::*, std::string Row::*>
      member;
};

/// The generic step from row structs to a results-file table: an analysis::Table with
/// group `group`, `description` and `attributes`, and one column per entry of `columns`
/// (in that order) holding that member of every row (in row order).
template <class Row>
analysis::Table row_table(std::string group, std::string description,
                          std::vector<std::pair<std::string, std::string>> attributes,
                          std::span<const Row> rows, std::span<const RowColumn<Row>> columns) {
  analysis::Table t;
  t.group = std::move(group);
  t.description = std::move(description);
  t.attributes = std::move(attributes);
  t.columns.reserve(columns.size());
  for (const RowColumn<Row>& c : columns) {
    analysis::ItemValues values = std::visit(
        [&](auto member) -> analysis::ItemValues {
          std::vector<std::remove_cvref_t<decltype(rows.front().*member)>> v;
          v.reserve(rows.size());
          for (const Row& r : rows)
            v.push_back(r.*member);
          return v;
        },
        c.member);
    t.columns.push_back({c.name, c.unit, c.description, std::move(values)});
  }
  return t;
}

} // namespace itsim::experiments
