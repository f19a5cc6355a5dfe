// SPDX-License-Identifier: Apache-2.0
// Each choice of the scenario language is declared once (choices.hpp): every value has
// exactly one spelling, and spelling and value convert into each other.
#include "itsim/scenarios/choices.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "schema.hpp"

namespace itsim::scenarios {
namespace {

/// Every value of `all` (the enum's enumerators) has exactly one spelling, the table holds
/// nothing else, spellings are distinct ids, and both lookups round-trip.
template <class E, std::size_t N, std::size_t M>
void expect_one_spelling_each(const Choices<E, N>& table, const std::array<E, M>& all) {
  EXPECT_EQ(N, M) << "a value without a spelling, or a spelling of no value";
  std::set<std::string_view> seen;
  for (const Choice<E>& c : table) {
    EXPECT_TRUE(schema::is_identifier(c.spelling)) << c.spelling;
    EXPECT_TRUE(seen.insert(c.spelling).second) << c.spelling << " is spelled twice";
    EXPECT_EQ(find_choice(table, c.spelling), c.value) << c.spelling;
  }
  for (const E value : all) {
    const auto n = std::count_if(table.begin(), table.end(),
                                 [&](const Choice<E>& c) { return c.value == value; });
    EXPECT_EQ(n, 1) << "value " << static_cast<int>(value);
    const std::string_view spelling = spelling_of(table, value);
    EXPECT_EQ(find_choice(table, spelling), value) << spelling;
  }
  EXPECT_EQ(find_choice(table, "no_such_value"), std::nullopt);
  EXPECT_EQ(spellings_of(table).size(), N);
}

// The arrays list each enum's enumerators; the switches make a new enumerator a compile
// error here (-Wswitch with warnings as errors), so it cannot miss its table.
constexpr bool listed(Scenario::WorkKind k) {
  switch (k) {
  case Scenario::WorkKind::incident:
  case Scenario::WorkKind::request:
  case Scenario::WorkKind::enhancement:
  case Scenario::WorkKind::project:
  case Scenario::WorkKind::other:
    return true;
  }
  return false;
}
constexpr bool listed(Scenario::Urgency u) {
  switch (u) {
  case Scenario::Urgency::none:
  case Scenario::Urgency::linear:
  case Scenario::Urgency::decaying:
  case Scenario::Urgency::fixed_date:
    return true;
  }
  return false;
}
constexpr bool listed(sim::QueueDiscipline d) {
  switch (d) {
  case sim::QueueDiscipline::fifo:
  case sim::QueueDiscipline::priority:
  case sim::QueueDiscipline::value_density:
    return true;
  }
  return false;
}
constexpr bool listed(Scenario::Spanning s) {
  switch (s) {
  case Scenario::Spanning::none:
  case Scenario::Spanning::coordinate:
  case Scenario::Spanning::second_team:
    return true;
  }
  return false;
}
constexpr bool listed(DesignType d) {
  switch (d) {
  case DesignType::grid:
  case DesignType::zip:
  case DesignType::random:
  case DesignType::lhs:
  case DesignType::morris:
    return true;
  }
  return false;
}
constexpr bool listed(WarmupRule r) {
  switch (r) {
  case WarmupRule::mser5:
    return true;
  }
  return false;
}
constexpr bool listed(DetailTable t) {
  switch (t) {
  case DetailTable::requests:
    return true;
  }
  return false;
}

TEST(Choices, EveryWorkKindHasOneSpelling) {
  using K = Scenario::WorkKind;
  constexpr std::array all = {K::incident, K::request, K::enhancement, K::project, K::other};
  static_assert(std::all_of(all.begin(), all.end(), [](K k) { return listed(k); }));
  expect_one_spelling_each(work_kinds, all);
  EXPECT_STREQ(to_string(K::enhancement), "enhancement");
}

TEST(Choices, EveryUrgencyHasOneSpelling) {
  using U = Scenario::Urgency;
  constexpr std::array all = {U::none, U::linear, U::decaying, U::fixed_date};
  static_assert(std::all_of(all.begin(), all.end(), [](U u) { return listed(u); }));
  expect_one_spelling_each(urgencies, all);
  EXPECT_STREQ(to_string(U::fixed_date), "fixed_date");
}

TEST(Choices, EveryQueueDisciplineHasOneSpelling) {
  using D = sim::QueueDiscipline;
  constexpr std::array all = {D::fifo, D::priority, D::value_density};
  static_assert(std::all_of(all.begin(), all.end(), [](D d) { return listed(d); }));
  expect_one_spelling_each(queue_disciplines, all);
  EXPECT_EQ(find_choice(queue_disciplines, "wsjf"), D::value_density);
}

TEST(Choices, EverySpanningHasOneSpelling) {
  using S = Scenario::Spanning;
  constexpr std::array all = {S::none, S::coordinate, S::second_team};
  static_assert(std::all_of(all.begin(), all.end(), [](S s) { return listed(s); }));
  expect_one_spelling_each(spannings, all);
}

TEST(Choices, EveryDesignTypeHasOneSpelling) {
  using D = DesignType;
  constexpr std::array all = {D::grid, D::zip, D::random, D::lhs, D::morris};
  static_assert(std::all_of(all.begin(), all.end(), [](D d) { return listed(d); }));
  expect_one_spelling_each(design_types, all);
  EXPECT_STREQ(to_string(D::lhs), "lhs");
}

TEST(Choices, KeywordsAndDetailTablesHaveOneSpellingEach) {
  constexpr std::array rules = {WarmupRule::mser5};
  static_assert(listed(rules[0]));
  expect_one_spelling_each(warmup_rules, rules);
  constexpr std::array tables = {DetailTable::requests};
  static_assert(listed(tables[0]));
  expect_one_spelling_each(detail_tables, tables);
}

TEST(Choices, WeekdaysAreNumberedFromMonday) {
  constexpr std::array all = {0, 1, 2, 3, 4, 5, 6};
  expect_one_spelling_each(weekdays, all);
  EXPECT_EQ(find_choice(weekdays, "mon"), 0);
  EXPECT_EQ(find_choice(weekdays, "sun"), 6);
}

/// The schema's allowed values come from the tables, in table order.
TEST(Choices, SchemaListsTheTablesSpellings) {
  const schema::Node& root = schema::scenario();
  auto field = [](const schema::Node& n, std::string_view key) -> const schema::Node& {
    return std::find_if(n.fields.begin(), n.fields.end(),
                        [&](const schema::Field& f) { return f.key == key; })
        ->node;
  };
  const schema::Node& pool = *field(field(root, "staff"), "pools").element;
  EXPECT_EQ(field(pool, "discipline").choices, spellings_of(queue_disciplines));
  EXPECT_EQ(field(pool, "discipline").default_yaml, "fifo");
  const schema::Node& work_type = *field(field(root, "demand"), "work_types").element;
  EXPECT_EQ(field(work_type, "kind").choices, spellings_of(work_kinds));
  EXPECT_EQ(field(work_type, "urgency").choices, spellings_of(urgencies));
  EXPECT_EQ(field(root, "warmup").keywords, spellings_of(warmup_rules));
}

/// Each distribution family's parametrisations name distinct parameters, and no two
/// parametrisations of a family share a name set (the loader picks by the names given).
TEST(Choices, DistributionFamiliesAreDeclaredOnce) {
  std::set<std::string> names;
  for (const schema::Family& f : schema::families()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_EQ(&schema::family(f.name), &f);
    for (const schema::Parametrisation& p : f.parametrisations) {
      EXPECT_NE(p.make, nullptr) << f.name;
      for (const std::string& key : p.parameters)
        EXPECT_EQ(std::count(p.parameters.begin(), p.parameters.end(), key), 1) << f.name;
    }
  }
  EXPECT_THROW(schema::family("cauchy"), std::out_of_range);
  const auto d = schema::family("lognormal").parametrisations[1].make({2.0, 0.5});
  EXPECT_EQ(d.describe(), "lognormal(median=2, sigma=0.5)");
}

} // namespace
} // namespace itsim::scenarios
