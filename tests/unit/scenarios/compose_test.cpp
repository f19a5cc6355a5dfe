// SPDX-License-Identifier: Apache-2.0
#include "compose.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <system_error>

#include <unistd.h>

#include "itsim/scenarios/diagnostics.hpp"
#include "itsim/scenarios/input_error.hpp"
#include "tree.hpp"

namespace itsim::scenarios {
namespace {

namespace fs = std::filesystem;

// ---- helpers -----------------------------------------------------------------------------------

// Builds a tree from a flow-style YAML literal, for expectations and override roots.
Tree tree_of(const std::string& yaml) {
  Diagnostics diags;
  Tree t = load_composed_string(yaml, "literal.yaml", ".", diags);
  EXPECT_FALSE(diags.has_errors()) << diags.format_all();
  return t;
}

// Each test gets a fresh directory under the system temp dir, removed afterwards.
class Compose : public ::testing::Test {
protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("itsim_compose_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Writes `text` to dir/name (creating subdirectories) and returns the path.
  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << text;
    return p.string();
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // The text with every "<dir>/" removed, so that expectations read `name:line:col: ...`.
  std::string strip_dir(std::string text) const {
    const std::string prefix = dir_.string() + "/";
    for (std::size_t at; (at = text.find(prefix)) != std::string::npos;)
      text.erase(at, prefix.size());
    return text;
  }

  // Composes dir/name; `errors` receives the formatted diagnostics without the directory.
  Tree compose(const std::string& name, std::string& errors) {
    Diagnostics diags;
    Tree t = load_composed_file(path(name), diags);
    errors = strip_dir(diags.format_all());
    return t;
  }

  // Composes dir/name, expecting no diagnostics, and returns the tree as YAML.
  std::string composed_yaml(const std::string& name) {
    std::string errors;
    const Tree t = compose(name, errors);
    EXPECT_EQ(errors, "");
    return emit_yaml(t);
  }

  fs::path dir_;
};

// ---- merging -----------------------------------------------------------------------------------

TEST_F(Compose, LoadsAFileWithoutExtendsAsItIs) {
  write("plain.yaml", "a: 1\nb: {c: [x]}\n");
  EXPECT_EQ(composed_yaml("plain.yaml"), "a: 1\nb:\n  c:\n    - x\n");
}

TEST_F(Compose, MergesMapsDeeplyReplacesListsAndScalarsAndNullRemoves) {
  write("base.yaml", "schema_version: 1\n"
                     "demand:\n"
                     "  growth: 0.05\n"
                     "  days: [mon, tue, wed]\n"
                     "  types:\n"
                     "    incident: {rate: 1/h, effort: 10min}\n"
                     "    request: {rate: 2/h}\n"
                     "calendar: {hours: 9-17}\n"
                     "staff: {l1: 7}\n");
  write("top.yaml", "extends: base.yaml\n"
                    "demand:\n"
                    "  days: [sat]\n"
                    "  types:\n"
                    "    incident: {effort: 20min}\n"
                    "    change: {rate: 1/week}\n"
                    "  new_key: x\n"
                    "calendar: ~\n"
                    "staff: 3\n"
                    "absent: ~\n");
  EXPECT_EQ(composed_yaml("top.yaml"), "schema_version: 1\n"
                                       "demand:\n"
                                       "  growth: 0.05\n"
                                       "  days:\n"
                                       "    - sat\n"
                                       "  types:\n"
                                       "    incident:\n"
                                       "      rate: 1/h\n"
                                       "      effort: 20min\n"
                                       "    request:\n"
                                       "      rate: 2/h\n"
                                       "    change:\n"
                                       "      rate: 1/week\n"
                                       "  new_key: x\n"
                                       "staff: 3\n");
}

TEST_F(Compose, AppliesSeveralBasesInOrderThenTheFileItself) {
  write("one.yaml", "v: 1\nonly_one: a\nm: {x: 1, w: 1}\n");
  write("two.yaml", "v: 2\nonly_two: b\nm: {w: 2, z: 2}\n");
  write("top.yaml", "extends: [one.yaml, two.yaml]\nm: {z: 3}\nown: c\n");
  EXPECT_EQ(composed_yaml("top.yaml"), "v: 2\n"
                                       "only_one: a\n"
                                       "m:\n"
                                       "  x: 1\n"
                                       "  w: 2\n"
                                       "  z: 3\n"
                                       "only_two: b\n"
                                       "own: c\n");
  write("reversed.yaml", "extends: [two.yaml, one.yaml]\n");
  EXPECT_EQ(composed_yaml("reversed.yaml"), "v: 1\n"
                                            "only_two: b\n"
                                            "m:\n"
                                            "  w: 1\n"
                                            "  z: 2\n"
                                            "  x: 1\n"
                                            "only_one: a\n");
}

TEST_F(Compose, FollowsNestedExtendsAndDropsEveryExtendsKey) {
  write("c.yaml", "level: c\nfrom_c: 1\n");
  write("b.yaml", "extends: c.yaml\nlevel: b\nfrom_b: 1\n");
  write("a.yaml", "extends: [b.yaml]\nlevel: a\n");
  std::string errors;
  const Tree t = compose("a.yaml", errors);
  EXPECT_EQ(errors, "");
  EXPECT_EQ(emit_yaml(t), "level: a\nfrom_c: 1\nfrom_b: 1\n");
  EXPECT_EQ(t.find("extends"), nullptr);
}

TEST_F(Compose, KeepsNestedKeysNamedExtends) {
  write("top.yaml", "models: {extends: not-a-base}\n");
  EXPECT_EQ(composed_yaml("top.yaml"), "models:\n  extends: not-a-base\n");
}

TEST_F(Compose, ResolvesRelativePathsAgainstTheIncludingFile) {
  write("shared.yaml", "shared: root-level\n");
  write("presets/base.yaml", "base: in-presets\n");
  write("presets/mid.yaml", "extends: [base.yaml, ../shared.yaml]\nmid: 1\n");
  write("studies/top.yaml", "extends: ../presets/mid.yaml\ntop: 1\n");
  EXPECT_EQ(composed_yaml("studies/top.yaml"),
            "base: in-presets\nshared: root-level\nmid: 1\ntop: 1\n");
}

TEST_F(Compose, ResolvesAgainstTheWorkingDirectoryForABareRootPath) {
  write("base.yaml", "b: 1\n");
  write("top.yaml", "extends: base.yaml\nt: 2\n");
  const fs::path old = fs::current_path();
  fs::current_path(dir_);
  Diagnostics diags;
  const Tree t = load_composed_file("top.yaml", diags);
  fs::current_path(old);
  EXPECT_EQ(diags.format_all(), "");
  EXPECT_EQ(emit_yaml(t), "b: 1\nt: 2\n");
  EXPECT_EQ(t.find("b")->where.file, "base.yaml");
}

TEST_F(Compose, AcceptsAnAbsoluteBasePath) {
  write("elsewhere/abs.yaml", "abs: 1\n");
  write("top.yaml", "extends: " + path("elsewhere/abs.yaml") + "\n");
  EXPECT_EQ(composed_yaml("top.yaml"), "abs: 1\n");
}

TEST_F(Compose, KeepsTheFileAndLocationEachNodeCameFrom) {
  write("sub/base.yaml", "a:\n  from_base: 1\n  both: base\n");
  write("top.yaml", "extends: sub/base.yaml\n"
                    "a:\n"
                    "  both: top\n");
  std::string errors;
  const Tree t = compose("top.yaml", errors);
  ASSERT_EQ(errors, "");
  const Tree& a = *t.find("a");
  EXPECT_EQ(strip_dir(a.find("from_base")->where.file), "sub/base.yaml");
  EXPECT_EQ(a.find("from_base")->where.line, 2);
  EXPECT_EQ(a.find("from_base")->where.column, 14);
  EXPECT_EQ(strip_dir(a.find("both")->where.file), "top.yaml");
  EXPECT_EQ(a.find("both")->where.line, 3);
  EXPECT_EQ(strip_dir(a.find_entry("both")->key_where.file), "top.yaml");
  // A merged map takes the location of the file on top.
  EXPECT_EQ(strip_dir(a.where.file), "top.yaml");
  EXPECT_EQ(a.where.line, 3);
}

TEST_F(Compose, ReportsDuplicateKeysInABaseButKeepsTheTree) {
  write("base.yaml", "a: 1\na: 2\n");
  write("top.yaml", "extends: base.yaml\nb: 3\n");
  std::string errors;
  const Tree t = compose("top.yaml", errors);
  EXPECT_EQ(errors, "base.yaml:2:1: a: duplicate key \"a\" (first at line 1)");
  EXPECT_EQ(emit_yaml(t), "a: 1\nb: 3\n");
}

TEST_F(Compose, ReadsABaseNamedTwiceOnceAndReportsItsErrorsOnce) {
  write("shared.yaml", "s: [\n");
  write("left.yaml", "extends: shared.yaml\n");
  write("right.yaml", "extends: shared.yaml\n");
  write("top.yaml", "extends: [left.yaml, right.yaml, shared.yaml]\n");
  std::string errors;
  const Tree t = compose("top.yaml", errors);
  EXPECT_EQ(errors, "shared.yaml:1:4: unclosed '[': no matching ']' before the end of the file");
  EXPECT_TRUE(t.is_null());
}

// ---- errors ------------------------------------------------------------------------------------

TEST_F(Compose, LetsInputErrorPropagateForAMissingRootFile) {
  Diagnostics diags;
  try {
    (void)load_composed_file(path("nope.yaml"), diags);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(strip_dir(e.what()), "nope.yaml: cannot read: No such file or directory");
  }
  EXPECT_FALSE(diags.has_errors());
}

TEST_F(Compose, ReportsAMissingBaseAtItsExtendsEntry) {
  write("top.yaml", "name: x\nextends: missing.yaml\n");
  std::string errors;
  const Tree t = compose("top.yaml", errors);
  EXPECT_EQ(errors,
            "top.yaml:2:10: extends: cannot read \"missing.yaml\": No such file or directory");
  EXPECT_TRUE(t.is_null());
}

TEST_F(Compose, ReportsEachMissingBaseInAListAndGoesOnWithTheOthers) {
  write("bad.yaml", "a: {\n");
  write("top.yaml", "extends:\n"
                    "  - gone.yaml\n"
                    "  - bad.yaml\n"
                    "  - sub/also_gone.yaml\n");
  std::string errors;
  const Tree t = compose("top.yaml", errors);
  EXPECT_EQ(errors,
            "top.yaml:2:5: extends[0]: cannot read \"gone.yaml\": No such file or directory\n"
            "bad.yaml:1:4: unclosed '{': no matching '}' before the end of the file\n"
            "top.yaml:4:5: extends[2]: cannot read \"sub/also_gone.yaml\": No such file or "
            "directory");
  EXPECT_TRUE(t.is_null());
}

TEST_F(Compose, RefusesABaseThatIsNotAFile) {
  // A device or a pipe could block the load or never end.
  write("top.yaml", "extends: /dev/null\n");
  std::string errors;
  EXPECT_TRUE(compose("top.yaml", errors).is_null());
  EXPECT_EQ(errors, "top.yaml:1:10: extends: cannot read \"/dev/null\": not a regular file");
}

TEST_F(Compose, ReportsADirectoryAsAnUnreadableBase) {
  fs::create_directories(dir_ / "adir");
  write("top.yaml", "extends: [adir]\n");
  std::string errors;
  (void)compose("top.yaml", errors);
  EXPECT_EQ(errors, "top.yaml:1:11: extends[0]: cannot read \"adir\": Is a directory");
}

TEST_F(Compose, ReportsASyntaxErrorInABaseInThatFile) {
  write("base.yaml", "ok: 1\nkey: : value\n");
  write("top.yaml", "extends: base.yaml\n");
  std::string errors;
  const Tree t = compose("top.yaml", errors);
  EXPECT_EQ(errors, "base.yaml:2:6: illegal map value");
  EXPECT_TRUE(t.is_null());
}

TEST_F(Compose, ReportsABaseThatIsNotAMap) {
  write("list.yaml", "- a\n");
  write("top.yaml", "extends: list.yaml\n");
  std::string errors;
  EXPECT_TRUE(compose("top.yaml", errors).is_null());
  EXPECT_EQ(errors, "list.yaml:1:1: expected a map at the top level, got a sequence");
}

TEST_F(Compose, RejectsExtendsThatIsNotAPathOrAListOfPaths) {
  write("map.yaml", "extends: {a: b}\n");
  write("null.yaml", "extends:\nx: 1\n");
  write("items.yaml", "extends: [ok.yaml, {a: b}, [c], ~, '']\n");
  write("empty.yaml", "extends: \"\"\n");
  write("ok.yaml", "fine: 1\n");
  std::string errors;
  EXPECT_TRUE(compose("map.yaml", errors).is_null());
  EXPECT_EQ(errors, "map.yaml:1:10: extends: expected a path or a list of paths, got a map");
  EXPECT_TRUE(compose("null.yaml", errors).is_null());
  EXPECT_EQ(errors, "null.yaml:1:1: extends: expected a path or a list of paths, got a null");
  EXPECT_TRUE(compose("items.yaml", errors).is_null());
  EXPECT_EQ(errors, "items.yaml:1:20: extends[1]: expected a path, got a map\n"
                    "items.yaml:1:28: extends[2]: expected a path, got a sequence\n"
                    "items.yaml:1:33: extends[3]: expected a path, got a null\n"
                    "items.yaml:1:36: extends[4]: expected a path, got an empty string");
  EXPECT_TRUE(compose("empty.yaml", errors).is_null());
  EXPECT_EQ(errors, "empty.yaml:1:10: extends: expected a path, got an empty string");
}

TEST_F(Compose, AcceptsAnEmptyExtendsList) {
  write("top.yaml", "extends: []\na: 1\n");
  EXPECT_EQ(composed_yaml("top.yaml"), "a: 1\n");
}

TEST_F(Compose, ReportsAFileThatExtendsItself) {
  write("a.yaml", "extends: a.yaml\nx: 1\n");
  std::string errors;
  EXPECT_TRUE(compose("a.yaml", errors).is_null());
  EXPECT_EQ(errors, "a.yaml:1:10: extends: extends cycle: a.yaml -> a.yaml");
}

TEST_F(Compose, ReportsACycleThroughTwoFilesWithTheChain) {
  write("a.yaml", "extends: b.yaml\n");
  write("b.yaml", "x: 1\nextends: [a.yaml]\n");
  std::string errors;
  EXPECT_TRUE(compose("a.yaml", errors).is_null());
  EXPECT_EQ(errors, "b.yaml:2:11: extends[0]: extends cycle: a.yaml -> b.yaml -> a.yaml");
}

TEST_F(Compose, FindsACycleWrittenThroughAnotherPathToTheSameFile) {
  write("top.yaml", "extends: sub/mid.yaml\n");
  write("sub/mid.yaml", "extends: ../sub/./mid.yaml\n");
  std::string errors;
  EXPECT_TRUE(compose("top.yaml", errors).is_null());
  // Paths are shown lexically normalised.
  EXPECT_EQ(errors, "sub/mid.yaml:1:10: extends: extends cycle: sub/mid.yaml -> sub/mid.yaml");
}

TEST_F(Compose, AllowsTheSameBaseTwiceWithoutACycle) {
  write("common.yaml", "c: 1\n");
  write("left.yaml", "extends: common.yaml\nl: 1\n");
  write("right.yaml", "extends: common.yaml\nr: 1\n");
  write("top.yaml", "extends: [left.yaml, right.yaml]\n");
  EXPECT_EQ(composed_yaml("top.yaml"), "c: 1\nl: 1\nr: 1\n");
}

TEST_F(Compose, AcceptsAChainOfSixteenFilesAndRejectsSeventeen) {
  // f1 -> f2 -> ... -> f16 is depth 16.
  for (int i = 1; i <= 17; ++i) {
    const std::string next = i < 17 ? "extends: f" + std::to_string(i + 1) + ".yaml\n" : "";
    write("f" + std::to_string(i) + ".yaml", next + "v" + std::to_string(i) + ": 1\n");
  }
  write("f16ok.yaml", "v16: 1\n");
  write("f15.yaml", "extends: f16.yaml\nv15: 1\n");
  std::string errors;
  const Tree t = compose("f1.yaml", errors);
  EXPECT_EQ(errors, "f16.yaml:1:10: extends: extends chain is deeper than 16 files");
  EXPECT_TRUE(t.is_null());

  write("f15.yaml", "extends: f16ok.yaml\nv15: 1\n");
  const Tree ok = compose("f1.yaml", errors);
  EXPECT_EQ(errors, "");
  ASSERT_TRUE(ok.is_map());
  EXPECT_EQ(ok.entries.size(), 16U);
}

TEST_F(Compose, StopsABaseNamedThousandsOfTimes) {
  std::string list = "extends: [";
  for (int i = 0; i < 40; ++i)
    list += (i == 0 ? "" : ", ") + std::string("mid.yaml");
  write("top.yaml", list + "]\n");
  std::string mid_list = "extends: [";
  for (int i = 0; i < 40; ++i)
    mid_list += (i == 0 ? "" : ", ") + std::string("leaf.yaml");
  write("mid.yaml", mid_list + "]\n");
  write("leaf.yaml", "leaf: 1\n");
  std::string errors;
  EXPECT_TRUE(compose("top.yaml", errors).is_null());
  EXPECT_NE(errors.find("extends reaches more than 1000 files in all; not a scenario"),
            std::string::npos)
      << errors;
}

// ---- load_composed_string ---------------------------------------------------------------------

TEST_F(Compose, ComposesTextResolvingBasesAgainstTheGivenDirectory) {
  write("presets/base.yaml", "b: 1\nm: {x: 1}\n");
  Diagnostics diags;
  const Tree t = load_composed_string("extends: presets/base.yaml\nm: {w: 2}\n", "<stdin>",
                                      dir_.string(), diags);
  EXPECT_EQ(diags.format_all(), "");
  EXPECT_EQ(emit_yaml(t), "b: 1\nm:\n  x: 1\n  w: 2\n");
  EXPECT_EQ(t.find("m")->find("w")->where.file, "<stdin>");

  Diagnostics missing;
  const Tree none =
      load_composed_string("extends: nothing.yaml\n", "<stdin>", dir_.string(), missing);
  EXPECT_TRUE(none.is_null());
  EXPECT_EQ(missing.format_all(),
            "<stdin>:1:10: extends: cannot read \"nothing.yaml\": No such file or directory");
}

TEST_F(Compose, ReportsASyntaxErrorInTextWithItsLabel) {
  Diagnostics diags;
  const Tree t = load_composed_string("a: [\n", "label", ".", diags);
  EXPECT_TRUE(t.is_null());
  EXPECT_EQ(diags.format_all(),
            "label:1:4: unclosed '[': no matching ']' before the end of the file");
}

// ---- merge_into --------------------------------------------------------------------------------

TEST(MergeInto, ReplacesAnythingThatIsNotMapOnMap) {
  Tree base = tree_of("{a: {x: 1}, b: [1, 2], c: 1, d: {y: 1}}");
  merge_into(base, tree_of("{a: [z], b: [3], c: {k: v}, d: ~}"));
  EXPECT_EQ(emit_yaml(base), "a:\n  - z\nb:\n  - 3\nc:\n  k: v\n"); // d removed

  Tree null_base;
  merge_into(null_base, tree_of("{k: v}"));
  EXPECT_EQ(emit_yaml(null_base), "k: v\n");

  Tree scalar_base = Tree::scalar("s");
  merge_into(scalar_base, Tree());
  EXPECT_TRUE(scalar_base.is_null());
}

TEST(MergeInto, NullRemovesAnInheritedKeyAtAnyDepth) {
  Tree base = tree_of("{teams: {stream: {wip: 3}, platform: {wip: 2}}, routes: {a: {next: "
                      "{done: 0.7, l2: 0.3}}}}");
  merge_into(base, tree_of("{teams: {platform: ~, new: ~}, routes: {a: {next: {l2: ~, "
                           "done: 1}}}}"));
  EXPECT_EQ(emit_yaml(base, YamlLayout::compact),
            "teams:\n  stream: {wip: 3}\nroutes:\n  a:\n    next: {done: 1}\n");
}

TEST(MergeInto, MergesMapsRecursivelyAppendingNewKeysInOrder) {
  Tree base = tree_of("{z: 1, m: {a: 1, b: {c: 1}}, w: 2}");
  merge_into(base, tree_of("{p: 1, m: {b: {d: 2}, e: 3, a: 9}, o: 2}"));
  EXPECT_EQ(emit_yaml(base), "z: 1\n"
                             "m:\n"
                             "  a: 9\n"
                             "  b:\n"
                             "    c: 1\n"
                             "    d: 2\n"
                             "  e: 3\n"
                             "w: 2\n"
                             "p: 1\n"
                             "o: 2\n");
}

TEST(MergeInto, MergesMapsWithManyKeys) {
  Tree base = Tree::map();
  Tree over = Tree::map();
  for (int i = 0; i < 20000; ++i) {
    // Appended directly: set() searches linearly, which is slow for 20000 keys.
    base.entries.emplace_back().key = "k" + std::to_string(i);
    base.entries.back().value = Tree::scalar("base");
    over.entries.emplace_back().key = "k" + std::to_string(i + 10000);
    over.entries.back().value = Tree::scalar("over");
  }
  merge_into(base, std::move(over));
  ASSERT_EQ(base.entries.size(), 30000U);
  EXPECT_EQ(base.entries[9999].value.text, "base");
  EXPECT_EQ(base.entries[10000].value.text, "over");
  EXPECT_EQ(base.entries[29999].key, "k29999");
}

// ---- apply_override ----------------------------------------------------------------------------

// Knows the keys of a small format: demand.growth, demand.work_types.<any>.{rate,effort}
// and seed, name, horizon.
bool known(std::string_view p) {
  static const std::set<std::string, std::less<>> fixed = {
      "seed", "name", "horizon", "demand", "demand.growth", "demand.work_types"};
  if (fixed.contains(p)) return true;
  const std::string_view prefix = "demand.work_types.";
  if (!p.starts_with(prefix)) return false;
  const std::string_view rest = p.substr(prefix.size());
  const std::size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return !rest.empty();
  const std::string_view leaf = rest.substr(dot + 1);
  return leaf == "rate" || leaf == "effort";
}

struct Override {
  Tree root;
  std::string errors;
};

// Applies `assignment` (ordinal `n`) to the tree of `yaml`; returns the tree and errors.
Override set_one(const std::string& yaml, std::string_view assignment, int n = 1,
                 const PathKnown& is_known = known) {
  Override o{tree_of(yaml), ""};
  Diagnostics diags;
  apply_override(o.root, assignment, n, is_known, diags);
  o.errors = diags.format_all();
  return o;
}

const std::string scenario = "{seed: 42, name: x, list: [1, 2],"
                             " demand: {growth: 0.1, work_types: {incident: {rate: 1/h}}}}";

TEST(ApplyOverride, SetsAnExistingScalarAndLocatesItInTheAssignment) {
  const Override o = set_one(scenario, "seed=7", 3);
  EXPECT_EQ(o.errors, "");
  const Tree& seed = *o.root.find("seed");
  EXPECT_EQ(seed.text, "7");
  EXPECT_FALSE(seed.quoted);
  EXPECT_EQ(seed.where.file, "--set");
  EXPECT_EQ(seed.where.line, 3);
  EXPECT_EQ(seed.where.column, 6);
  // The key keeps the place it is written in the file.
  EXPECT_EQ(o.root.find_entry("seed")->key_where.file, "literal.yaml");

  const Override q = set_one(scenario, "demand.work_types.incident.rate=  '2/h'  # note", 2);
  EXPECT_EQ(q.errors, "");
  const Tree& rate = *q.root.find("demand")->find("work_types")->find("incident")->find("rate");
  EXPECT_EQ(rate.text, "2/h");
  EXPECT_TRUE(rate.quoted);
  EXPECT_EQ(rate.where.line, 2);
  EXPECT_EQ(rate.where.column, 35);
}

TEST(ApplyOverride, ParsesFlowMapsAndListsAndReplacesRatherThanMerges) {
  const Override m = set_one(scenario, "demand.work_types={change: {rate: 3/week}}", 1);
  EXPECT_EQ(m.errors, "");
  EXPECT_EQ(emit_yaml(*m.root.find("demand")->find("work_types")), "change:\n  rate: 3/week\n");
  const Tree& wt = *m.root.find("demand")->find("work_types");
  EXPECT_EQ(wt.where.column, 19);
  EXPECT_EQ(wt.find_entry("change")->key_where.column, 20);
  EXPECT_EQ(wt.find("change")->find("rate")->where.column, 35);

  const Override l = set_one(scenario, "list=[a, [b], {c: d}]", 4);
  EXPECT_EQ(l.errors, "");
  EXPECT_EQ(emit_yaml(*l.root.find("list")), "- a\n- - b\n- c: d\n");
  EXPECT_EQ(l.root.find("list")->items[1].items[0].where.column, 11);
}

TEST(ApplyOverride, TreatsAnEmptyValueAsNullLocatedAfterTheEqualsSign) {
  const Override o = set_one(scenario, "demand.growth=", 2);
  EXPECT_EQ(o.errors, "");
  const Tree& growth = *o.root.find("demand")->find("growth");
  EXPECT_TRUE(growth.is_null());
  EXPECT_EQ(growth.where.file, "--set");
  EXPECT_EQ(growth.where.line, 2);
  EXPECT_EQ(growth.where.column, 15);

  const Override t = set_one(scenario, "name=~");
  EXPECT_TRUE(t.root.find("name")->is_null());
  EXPECT_EQ(t.root.find("name")->where.column, 6);
}

TEST(ApplyOverride, KeepsEverythingAfterTheFirstEqualsSignInTheValue) {
  const Override o = set_one(scenario, "name=a=b");
  EXPECT_EQ(o.errors, "");
  EXPECT_EQ(o.root.find("name")->text, "a=b");
}

TEST(ApplyOverride, CreatesAKnownKeyWithItsIntermediateMaps) {
  const Override o = set_one(scenario, "demand.work_types.request.effort=2h", 5);
  EXPECT_EQ(o.errors, "");
  const Tree& request = *o.root.find("demand")->find("work_types")->find("request");
  EXPECT_EQ(emit_yaml(request), "effort: 2h\n");
  EXPECT_EQ(request.where.file, "--set");
  EXPECT_EQ(request.where.line, 5);
  EXPECT_EQ(request.where.column, 19);
  EXPECT_EQ(request.find_entry("effort")->key_where.column, 27);
  EXPECT_EQ(request.find("effort")->where.column, 34);

  const Override h = set_one(scenario, "horizon=1y");
  EXPECT_EQ(h.errors, "");
  EXPECT_EQ(h.root.entries.back().key, "horizon");

  // A whole known subtree created from an empty scenario.
  const Override e = set_one("{}", "demand.work_types.x.rate=1/h");
  EXPECT_EQ(e.errors, "");
  EXPECT_EQ(emit_yaml(e.root), "demand:\n  work_types:\n    x:\n      rate: 1/h\n");
}

TEST(ApplyOverride, GoesThroughANullAsThroughAnEmptyMap) {
  const Override o = set_one("{demand: ~}", "demand.growth=0.2");
  EXPECT_EQ(o.errors, "");
  EXPECT_EQ(emit_yaml(o.root), "demand:\n  growth: 0.2\n");
  EXPECT_EQ(o.root.find("demand")->where.file, "literal.yaml");

  const Override bad = set_one("{demand: ~}", "demand.growt=0.2");
  EXPECT_EQ(bad.errors, "--set:1:8: demand.growt: no setting \"demand.growt\"");
}

TEST(ApplyOverride, RejectsAnUnknownKeyWithASuggestionFromThatLevel) {
  const Override o = set_one(scenario, "demand.work_typs.incident.rate=2/h", 2);
  EXPECT_EQ(o.errors, "--set:2:8: demand.work_typs: no setting "
                      "\"demand.work_typs\" (did you mean \"work_types\"?)");
  EXPECT_EQ(emit_yaml(o.root), emit_yaml(tree_of(scenario)));

  const Override top = set_one(scenario, "sed=1");
  EXPECT_EQ(top.errors, "--set:1:1: sed: no setting \"sed\" (did you mean \"seed\"?)");

  const Override none = set_one(scenario, "zzz.q=1");
  EXPECT_EQ(none.errors, "--set:1:1: zzz: no setting \"zzz\"");
}

TEST(ApplyOverride, RejectsAnUnknownKeyBelowOneItCreates) {
  const Override o = set_one(scenario, "demand.work_types.request.efort=2h", 3);
  EXPECT_EQ(o.errors, "--set:3:27: demand.work_types.request.efort: no setting "
                      "\"demand.work_types.request.efort\"");
  EXPECT_EQ(o.root.find("demand")->find("work_types")->find("request"), nullptr);
}

TEST(ApplyOverride, KnowsNothingWithoutACallback) {
  const Override o = set_one(scenario, "horizon=1y", 1, PathKnown{});
  EXPECT_EQ(o.errors, "--set:1:1: horizon: no setting \"horizon\"");
  const Override ok = set_one(scenario, "seed=1", 1, PathKnown{});
  EXPECT_EQ(ok.errors, "");
}

TEST(ApplyOverride, RejectsAPathThroughAScalarOrASequence) {
  const Override s = set_one(scenario, "demand.growth.x=1", 2);
  EXPECT_EQ(s.errors, "--set:2:15: demand.growth.x: \"demand.growth\" is a scalar, not a map");
  const Override l = set_one(scenario, "list.0=1");
  EXPECT_EQ(l.errors, "--set:1:6: list.0: \"list\" is a sequence, not a map");
  EXPECT_EQ(emit_yaml(l.root), emit_yaml(tree_of(scenario)));
}

TEST(ApplyOverride, RejectsAnAssignmentWithoutEqualsSignOrPath) {
  EXPECT_EQ(set_one(scenario, "seed", 3).errors,
            "--set:3:1: expected KEY.PATH=VALUE, got \"seed\"");
  EXPECT_EQ(set_one(scenario, "", 1).errors, "--set:1:1: expected KEY.PATH=VALUE, got \"\"");
  EXPECT_EQ(set_one(scenario, "=5", 2).errors,
            "--set:2:1: expected KEY.PATH=VALUE, got nothing before '='");
}

TEST(ApplyOverride, RejectsEmptySegmentsAtTheirColumn) {
  EXPECT_EQ(set_one(scenario, "demand..growth=1").errors,
            "--set:1:8: demand..growth: empty key in the path");
  EXPECT_EQ(set_one(scenario, ".seed=1").errors, "--set:1:1: .seed: empty key in the path");
  EXPECT_EQ(set_one(scenario, "seed.=1", 2).errors, "--set:2:6: seed.: empty key in the path");
}

TEST(ApplyOverride, RelocatesValueSyntaxErrorsIntoTheAssignment) {
  const Override o = set_one(scenario, "demand.growth={a: 1, a: 2}", 2);
  EXPECT_EQ(o.errors, "--set:2:22: demand.growth.a: duplicate key \"a\" (first at line 1)");
  EXPECT_EQ(o.root.find("demand")->find("growth")->text, "0.1");

  EXPECT_EQ(set_one(scenario, "name=key: : v", 2).errors, "--set:2:11: name: illegal map value");
  EXPECT_EQ(set_one(scenario, "name=[1, 2", 2).errors.substr(0, 8), "--set:2:");
  EXPECT_EQ(set_one(scenario, "name=a\n---\nb", 2).errors,
            "--set:2:8: name: a scenario file holds one YAML document; found a second one (remove "
            "the '---' line)");
  // On a later line of a multi-line value the column still counts from the assignment.
  EXPECT_EQ(set_one(scenario, "name={a: 1,\n a: 2}", 4).errors,
            "--set:4:14: name.a: duplicate key \"a\" (first at line 1)");
}

TEST(ApplyOverride, ContinuesKeyPathsInsideASequenceValue) {
  EXPECT_EQ(set_one(scenario, "list=[{a: 1, a: 2}]", 2).errors,
            "--set:2:14: list[0].a: duplicate key \"a\" (first at line 1)");
}

TEST(ApplyOverride, ReportsPathAndValueErrorsTogether) {
  const Override o = set_one(scenario, "sed=[1", 2);
  EXPECT_EQ(o.errors.substr(0, o.errors.find('\n')),
            "--set:2:1: sed: no setting \"sed\" (did you mean \"seed\"?)");
  EXPECT_NE(o.errors.find('\n'), std::string::npos) << o.errors;
}

TEST(ApplyOverride, AppliesToANullRoot) {
  Tree root;
  Diagnostics diags;
  apply_override(root, "seed=3", 1, known, diags);
  EXPECT_EQ(diags.format_all(), "");
  EXPECT_EQ(emit_yaml(root), "seed: 3\n");
}

TEST(ApplyOverride, OverridesOneAfterAnother) {
  Tree root = tree_of(scenario);
  Diagnostics diags;
  apply_override(root, "demand={growth: 0.5}", 1, known, diags);
  apply_override(root, "demand.growth=0.7", 2, known, diags);
  apply_override(root, "demand.work_types.a.rate=1/h", 3, known, diags);
  EXPECT_EQ(diags.format_all(), "");
  EXPECT_EQ(emit_yaml(*root.find("demand")), "growth: 0.7\nwork_types:\n  a:\n    rate: 1/h\n");
  EXPECT_EQ(root.find("demand")->find("growth")->where.line, 2);
}

} // namespace
} // namespace itsim::scenarios
