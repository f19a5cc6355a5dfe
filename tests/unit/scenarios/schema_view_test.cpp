// SPDX-License-Identifier: Apache-2.0
// Keys bound to struct members (Node::into) are read by View::read with their type's
// conversion; lookups by name are checked against the schema.
#include "schema_view.hpp"

#include <gtest/gtest.h>

#include <array>
#include <stdexcept>
#include <string>

#include "itsim/scenarios/choices.hpp"
#include "yaml_source.hpp"

namespace itsim::scenarios::schema {
namespace {

struct Target {
  double share = 0;
  double hours = 0;
  double per_hour = 0;
  std::uint32_t count = 0;
  bool on = false;
  std::string label;
  sim::QueueDiscipline discipline = sim::QueueDiscipline::fifo;
  std::array<double, 2> pair = {0, 0};
  double untouched = 7;
};

struct Other {
  double x = 0;
};

Node target_schema() {
  return object(
      "A test object.",
      {
          {"share", number("A share.").into(&Target::share)},
          {"hours", duration("Hours.").into(&Target::hours)},
          {"rate", rate("A rate.").into(&Target::per_hour)},
          {"count", integer("A count.").into(&Target::count)},
          {"on", boolean("A switch.").into(&Target::on)},
          {"label", string("Text.").into(&Target::label)},
          {"discipline", choice("A discipline.", queue_disciplines).into(&Target::discipline)},
          {"nested", object("Unbound: its keys are read into the same struct.",
                            {{"a", number("First.").into(&Target::pair, 0)},
                             {"b", number("Second.").into(&Target::pair, 1)}})},
          {"other", number("Bound to another struct.").into(&Other::x)},
          {"free", number("Not bound.")},
      });
}

Tree tree_of(const std::string& yaml) {
  return tree_from_yaml(YamlDocument{"<test>", YAML::Load(yaml)});
}

TEST(SchemaView, ReadStoresEveryBoundKeyConvertedByItsType) {
  const Node schema = target_schema();
  const Tree tree = tree_of("{share: 0.25, hours: 2bd, rate: 8/week, count: 12, on: true, "
                            "label: desk, discipline: wsjf, nested: {a: 1.5, b: 2}, other: 3, "
                            "free: 4}");
  Target t;
  View(schema, tree).read(t, ReadContext{7.5});
  EXPECT_EQ(t.share, 0.25);
  EXPECT_EQ(t.hours, 15.0); // two business days of 7.5 h
  EXPECT_EQ(t.per_hour, 8.0 / 168);
  EXPECT_EQ(t.count, 12U);
  EXPECT_TRUE(t.on);
  EXPECT_EQ(t.label, "desk");
  EXPECT_EQ(t.discipline, sim::QueueDiscipline::value_density);
  EXPECT_EQ(t.pair[0], 1.5);
  EXPECT_EQ(t.pair[1], 2.0);
  EXPECT_EQ(t.untouched, 7);
  Other o;
  View(schema, tree).read(o, ReadContext{});
  EXPECT_EQ(o.x, 3.0);
}

TEST(SchemaView, ReadLeavesMembersOfAbsentKeys) {
  const Node schema = target_schema();
  const Tree tree = tree_of("{share: 0.5}");
  Target t;
  t.label = "kept";
  View(schema, tree).read(t, ReadContext{});
  EXPECT_EQ(t.share, 0.5);
  EXPECT_EQ(t.label, "kept");
}

TEST(SchemaView, LookupsOfUndeclaredKeysFailLoudly) {
  const Node schema = target_schema();
  const Tree tree = tree_of("{share: 0.5}");
  const View v(schema, tree);
  EXPECT_EQ(v["share"]->text, "0.5");
  EXPECT_FALSE(v.find("hours").has_value());
  EXPECT_THROW((void)v.find("shares"), std::logic_error);
  EXPECT_THROW((void)v["hours"], std::logic_error); // declared, but neither written nor defaulted
}

/// The scenario format binds its simple keys: a loaded scenario reads them all.
TEST(SchemaView, TheScenarioFormatBindsItsSimpleKeys) {
  std::size_t bound = 0;
  auto count = [&](const Node& n, auto&& self) -> void {
    if (n.bind) ++bound;
    for (const Field& f : n.fields)
      self(f.node, self);
    if (n.element) self(*n.element, self);
  };
  count(scenario(), count);
  EXPECT_GE(bound, 70U);
}

} // namespace
} // namespace itsim::scenarios::schema
