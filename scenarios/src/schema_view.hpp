// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_scenarios: a validated tree seen through its schema.
//
// The loader reads a scenario in two ways, both keyed by the declaration in
// scenario_schema.cpp. Keys bound to a Scenario member there (Node::into) are read by
// View::read, so their names are spelled once. What spans keys (references between
// collections, sums, units of one key that depend on another) is read by name through
// View::operator[] and View::find, which throw std::logic_error for a key the schema does
// not declare at that place: a misspelt lookup fails in every test that loads a scenario.
#pragma once

#include <optional>
#include <string_view>
#include <typeinfo>

#include "schema.hpp"
#include "tree.hpp"

namespace itsim::scenarios::schema {

/// A part of a validated scenario tree (defaults filled in) with the schema node it was
/// checked against.
class View {
public:
  View(const Node& node, const Tree& tree) : node_(&node), tree_(&tree) {}

  const Node& node() const { return *node_; }
  const Tree& tree() const { return *tree_; }
  const Tree* operator->() const { return tree_; }

  /// The value of `key`, a field of this object; nullopt when neither the file nor a
  /// default gives it. Throws std::logic_error when the schema declares no such field.
  std::optional<View> find(std::string_view key) const;
  /// The value of `key`, a field that is always there (required or defaulted). Throws
  /// std::logic_error when the schema declares no such field or the tree lacks it.
  View operator[](std::string_view key) const;
  /// `value` (an entry's value or an item of this collection or list) as an element.
  View element(const Tree& value) const { return {*node_->element, value}; }

  /// Stores every key of this object bound to a member of T (Node::into), and those of
  /// its objects without a binding, recursively, into `out`; keys left out keep out's
  /// values.
  template <class T> void read(T& out, const ReadContext& context) const {
    read_bound(*node_, *tree_, typeid(T), &out, context);
  }

private:
  static void read_bound(const Node& node, const Tree& tree, const std::type_info& type, void* out,
                         const ReadContext& context);

  const Node* node_;
  const Tree* tree_;
};

} // namespace itsim::scenarios::schema
