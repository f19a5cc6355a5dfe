// SPDX-License-Identifier: Apache-2.0
#include "tree.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "itsim/scenarios/diagnostics.hpp"
#include "yaml_source.hpp"

namespace itsim::scenarios {
namespace {

// A canonical text of a tree for comparisons with readable diffs: kinds, texts, keys and
// (when asked) the quoted flags; no locations.
std::string dump(const Tree& t, bool with_quoted = true) {
  switch (t.kind) {
  case Tree::Kind::null:
    return "~";
  case Tree::Kind::scalar:
    return (with_quoted && t.quoted ? "Q" : "") + quote(t.text, 100000);
  case Tree::Kind::sequence: {
    std::string out = "[";
    for (const Tree& item : t.items)
      out += dump(item, with_quoted) + ",";
    return out + "]";
  }
  case Tree::Kind::map: {
    std::string out = "{";
    for (const Tree::Entry& e : t.entries)
      out += quote(e.key, 100000) + ":" + dump(e.value, with_quoted) + ",";
    return out + "}";
  }
  }
  return "?";
}

// Parses `text` (any root) into a tree; fails the test on diagnostics.
Tree parse(const std::string& text, const std::string& label = "t.yaml") {
  Diagnostics diags;
  const YamlDocument doc = load_yaml_value(text, label, diags);
  EXPECT_FALSE(diags.has_errors()) << diags.format_all() << "\n--- text:\n" << text;
  return tree_from_yaml(doc);
}

// Emits `t`, loads the text back and returns the reloaded tree.
Tree round_trip(const Tree& t, YamlLayout layout = YamlLayout::block) {
  return parse(emit_yaml(t, layout), "emitted");
}

void expect_at(const Location& where, const std::string& file, int line, int column) {
  EXPECT_EQ(where.file, file);
  EXPECT_EQ(where.line, line);
  EXPECT_EQ(where.column, column);
}

// ---- Tree members ----------------------------------------------------------------------------

TEST(Tree, FindsMapEntriesByKeyAndNothingInOtherKinds) {
  Tree m = Tree::map();
  m.set("a", Tree::scalar("1"));
  m.set("b", Tree::scalar("2"), {"f.yaml", 3, 1});
  ASSERT_NE(m.find("b"), nullptr);
  EXPECT_EQ(m.find("b")->text, "2");
  EXPECT_EQ(m.find("c"), nullptr);
  ASSERT_NE(m.find_entry("b"), nullptr);
  expect_at(m.find_entry("b")->key_where, "f.yaml", 3, 1);
  EXPECT_EQ(m.find_entry("zz"), nullptr);
  m.find("a")->text = "changed";
  EXPECT_EQ(std::as_const(m).find("a")->text, "changed");

  EXPECT_EQ(Tree::scalar("a").find("a"), nullptr);
  EXPECT_EQ(Tree::sequence().find("a"), nullptr);
  EXPECT_EQ(Tree().find_entry("a"), nullptr);
}

TEST(Tree, SetAppendsInOrderAndReplacesAnExistingKeyInPlace) {
  Tree m = Tree::map();
  m.set("x", Tree::scalar("1"), {"a.yaml", 1, 1});
  m.set("y", Tree::scalar("2"));
  Tree& stored = m.set("x", Tree::scalar("3"));
  EXPECT_EQ(stored.text, "3");
  EXPECT_EQ(dump(m), R"({"x":"3","y":"2",})");
  expect_at(m.find_entry("x")->key_where, "a.yaml", 1, 1); // no new location given: kept
  m.set("x", Tree::scalar("4"), {"b.yaml", 2, 5});
  expect_at(m.find_entry("x")->key_where, "b.yaml", 2, 5);
}

TEST(Tree, SetTurnsANullIntoAMap) {
  Tree t;
  t.where = {"a.yaml", 4, 3};
  t.set("k", Tree::scalar("v"));
  EXPECT_TRUE(t.is_map());
  EXPECT_EQ(dump(t), R"({"k":"v",})");
  expect_at(t.where, "a.yaml", 4, 3);
}

TEST(Tree, EraseRemovesOnlyAnExistingKey) {
  Tree m = Tree::map();
  m.set("a", Tree::scalar("1"));
  m.set("b", Tree::scalar("2"));
  m.set("c", Tree::scalar("3"));
  EXPECT_TRUE(m.erase("b"));
  EXPECT_FALSE(m.erase("b"));
  EXPECT_EQ(dump(m), R"({"a":"1","c":"3",})");
  EXPECT_FALSE(Tree::scalar("b").erase("b"));
}

TEST(Tree, NamesItsKindAndBuildsEachKind) {
  EXPECT_STREQ(Tree().kind_name(), "null");
  EXPECT_STREQ(Tree::scalar("x").kind_name(), "scalar");
  EXPECT_STREQ(Tree::map().kind_name(), "map");
  EXPECT_STREQ(Tree::sequence().kind_name(), "sequence");
  const Tree s = Tree::scalar("x", {"f", 2, 3}, true);
  EXPECT_TRUE(s.is_scalar());
  EXPECT_TRUE(s.quoted);
  EXPECT_FALSE(s.defaulted);
  expect_at(s.where, "f", 2, 3);
  EXPECT_TRUE(Tree().is_null());
  EXPECT_TRUE(Tree::map().is_map());
  EXPECT_TRUE(Tree::sequence().is_sequence());
  EXPECT_EQ(Tree::map().where.line, 0);
}

// ---- tree_from_yaml ----------------------------------------------------------------------------

TEST(TreeFromYaml, KeepsKindsTextsAndOrder) {
  const Tree t = parse("b: 1\n"
                       "a: [x, 2.5, ~, {k: v}]\n"
                       "c:\n"
                       "  d: true\n"
                       "  e: null\n"
                       "  f: []\n"
                       "  g: {}\n");
  EXPECT_EQ(dump(t), R"({"b":"1","a":["x","2.5",~,{"k":"v",},],"c":{"d":"true","e":~,"f":[],)"
                     R"("g":{},},})");
}

TEST(TreeFromYaml, MarksQuotedAndBlockScalarsButNotPlainOrOtherTags) {
  const Tree t = parse("plain: 1e3\n"
                       "double: \"1e3\"\n"
                       "single: 'true'\n"
                       "empty: ''\n"
                       "literal: |\n"
                       "  two\n"
                       "  lines\n"
                       "folded: >\n"
                       "  one\n"
                       "  line\n"
                       "tagged: !!str yes\n");
  EXPECT_EQ(dump(t), R"({"plain":"1e3","double":Q"1e3","single":Q"true","empty":Q"",)"
                     R"("literal":Q"two\x0alines\x0a","folded":Q"one line\x0a","tagged":"yes",})");
}

TEST(TreeFromYaml, LocatesNodesAndKeysOneBased) {
  const Tree t = parse("top:\n"
                       "  list:\n"
                       "    - a\n"
                       "    - {k: v}\n",
                       "loc.yaml");
  expect_at(t.where, "loc.yaml", 1, 1);
  expect_at(t.find_entry("top")->key_where, "loc.yaml", 1, 1);
  const Tree& top = *t.find("top");
  expect_at(top.where, "loc.yaml", 2, 3);
  expect_at(top.find_entry("list")->key_where, "loc.yaml", 2, 3);
  const Tree& list = *top.find("list");
  expect_at(list.where, "loc.yaml", 3, 5);
  expect_at(list.items[0].where, "loc.yaml", 3, 7);
  expect_at(list.items[1].where, "loc.yaml", 4, 7);
  expect_at(list.items[1].find_entry("k")->key_where, "loc.yaml", 4, 8);
  expect_at(list.items[1].find("k")->where, "loc.yaml", 4, 11);
}

TEST(TreeFromYaml, LocatesAnEmptyValueAtItsKeyNotAtTheNextLine) {
  const Tree t = parse("a:\n"
                       "b: 1\n"
                       "c: ~\n"
                       "d:\n"
                       "  ~\n"
                       "e:\n");
  expect_at(t.find("a")->where, "t.yaml", 1, 1);
  expect_at(t.find("c")->where, "t.yaml", 3, 4);
  expect_at(t.find("d")->where, "t.yaml", 5, 3); // a null written on the next line
  expect_at(t.find("e")->where, "t.yaml", 6, 1);
}

TEST(TreeFromYaml, ExpandsAliasesIntoIndependentCopies) {
  Tree t = parse("base: &b {x: 1, y: [2]}\n"
                 "copy: *b\n");
  EXPECT_EQ(dump(*t.find("copy")), R"({"x":"1","y":["2",],})");
  t.find("copy")->find("x")->text = "changed";
  EXPECT_EQ(t.find("base")->find("x")->text, "1");
  // The copy keeps the anchored node's own location.
  expect_at(t.find("copy")->where, "t.yaml", 1, 7);
}

TEST(TreeFromYaml, KeepsTheFirstOfDuplicateKeysWhichTheLoaderReported) {
  Diagnostics diags;
  const YamlDocument doc = load_yaml_string("a: 1\nb: 2\na: 3\n", "d.yaml", diags);
  EXPECT_EQ(diags.error_count(), 1U);
  const Tree t = tree_from_yaml(doc);
  EXPECT_EQ(dump(t), R"({"a":"1","b":"2",})");
}

TEST(TreeFromYaml, RendersNonScalarKeysAsTextLikeTheLoaderKeyPaths) {
  const Tree t = parse("? [x]\n: 1\n? {k: v}\n: 2\n~: 3\n\"null\": 4\n");
  EXPECT_EQ(dump(t), R"({"<sequence key>":"1","<map key>":"2","<null key>":"3","null":"4",})");
  expect_at(t.find_entry("<sequence key>")->key_where, "t.yaml", 1, 3);
}

TEST(TreeFromYaml, GivesANullTreeForANullRoot) {
  Diagnostics diags;
  const YamlDocument failed = load_yaml_string("a: [\n", "bad.yaml", diags);
  ASSERT_TRUE(diags.has_errors());
  EXPECT_TRUE(tree_from_yaml(failed).is_null());
  EXPECT_TRUE(tree_from_yaml(YamlDocument{"x", YAML::Node()}).is_null());
  EXPECT_TRUE(parse("").is_null());
  const Tree tilde = parse("# comment\n~\n");
  EXPECT_TRUE(tilde.is_null());
  expect_at(tilde.where, "t.yaml", 2, 1);
}

TEST(TreeFromYaml, AcceptsAnyRootFromLoadYamlValue) {
  EXPECT_EQ(dump(parse("hello")), R"("hello")");
  EXPECT_EQ(dump(parse("'42'")), R"(Q"42")");
  EXPECT_EQ(dump(parse("[1, [2]]")), R"(["1",["2",],])");
  EXPECT_EQ(dump(parse("{a: b}")), R"({"a":"b",})");
}

// ---- emit_yaml ---------------------------------------------------------------------------------

TEST(EmitYaml, WritesBlockStyleWithTwoSpaceIndentation) {
  const Tree t = parse("schema_version: 1\n"
                       "name: midsize\n"
                       "calendar: {days: [mon, tue], holidays: []}\n"
                       "units:\n"
                       "  sales: {headcount: 600, tags: {}}\n"
                       "list:\n"
                       "  - a\n"
                       "  - {k: v, l: [1, 2]}\n"
                       "  - [x, [z]]\n"
                       "  - ~\n"
                       "  - []\n"
                       "nothing:\n");
  EXPECT_EQ(emit_yaml(t), "schema_version: 1\n"
                          "name: midsize\n"
                          "calendar:\n"
                          "  days:\n"
                          "    - mon\n"
                          "    - tue\n"
                          "  holidays: []\n"
                          "units:\n"
                          "  sales:\n"
                          "    headcount: 600\n"
                          "    tags: {}\n"
                          "list:\n"
                          "  - a\n"
                          "  - k: v\n"
                          "    l:\n"
                          "      - 1\n"
                          "      - 2\n"
                          "  - - x\n"
                          "    - - z\n"
                          "  - null\n"
                          "  - []\n"
                          "nothing: null\n");
}

TEST(EmitYaml, WritesEveryKindOfRoot) {
  EXPECT_EQ(emit_yaml(Tree()), "null\n");
  EXPECT_EQ(emit_yaml(Tree::map()), "{}\n");
  EXPECT_EQ(emit_yaml(Tree::sequence()), "[]\n");
  EXPECT_EQ(emit_yaml(Tree::scalar("x")), "x\n");
  EXPECT_EQ(emit_yaml(Tree::scalar("x", {}, true)), "\"x\"\n");
  Tree seq = Tree::sequence();
  seq.items.push_back(Tree::scalar("a"));
  Tree m = Tree::map();
  m.set("k", Tree::scalar("v"));
  seq.items.push_back(m);
  EXPECT_EQ(emit_yaml(seq), "- a\n- k: v\n");
}

TEST(EmitYaml, QuotesWhatYamlWouldReadDifferently) {
  Tree m = Tree::map();
  m.set("empty", Tree::scalar(""));
  m.set("yes", Tree::scalar("yes"));
  m.set("null", Tree::scalar("null"));
  m.set("true", Tree::scalar("true"));
  m.set("true_quoted", Tree::scalar("true", {}, true));
  m.set("number", Tree::scalar("1e3"));
  m.set("number_quoted", Tree::scalar("1e3", {}, true));
  m.set("colon", Tree::scalar("a: b"));
  m.set("hash", Tree::scalar("x #y"));
  m.set("dash", Tree::scalar("- a"));
  m.set("negative", Tree::scalar("-5"));
  m.set("inner", Tree::scalar("a:b x#y a[1] b,c"));
  m.set("lead", Tree::scalar(" lead"));
  m.set("lines", Tree::scalar("multi\nline\ttab\x01\x7f"));
  m.set("quotes", Tree::scalar("say \"hi\" \\o/"));
  m.set("unicode", Tree::scalar("caf\xC3\xA9 \xE2\x80\xA8 \xC2\x85 \xEF\xBB\xBF"));
  EXPECT_EQ(emit_yaml(m), "empty: \"\"\n"
                          "\"yes\": \"yes\"\n"
                          "\"null\": \"null\"\n"
                          "true: true\n"
                          "true_quoted: \"true\"\n"
                          "number: 1e3\n"
                          "number_quoted: \"1e3\"\n"
                          "colon: \"a: b\"\n"
                          "hash: \"x #y\"\n"
                          "dash: \"- a\"\n"
                          "negative: -5\n"
                          "inner: a:b x#y a[1] b,c\n"
                          "lead: \" lead\"\n"
                          "lines: \"multi\\nline\\ttab\\x01\\x7F\"\n"
                          "quotes: say \"hi\" \\o/\n"
                          "unicode: \"caf\xC3\xA9 \\u2028 \\u0085 \\uFEFF\"\n");
}

// Every awkward scalar, as a map value, a sequence item, a key and the root, reads back
// with the same text; quoted ones stay quoted, and plain ones that can stay plain do.
TEST(EmitYaml, RoundTripsAwkwardScalarsEverywhere) {
  struct Case {
    std::string text;
    bool quoted;
  };
  const std::vector<Case> cases = {
      {"", false},
      {"yes", false},
      {"No", false},
      {"null", false},
      {"~", false},
      {"true", true},
      {"1e3", true},
      {"a: b", false},
      {"x #y", false},
      {"- a", false},
      {"-", false},
      {"[x", false},
      {"{x", false},
      {"]", false},
      {",x", false},
      {" lead", false},
      {"trail ", false},
      {"multi\nline", false},
      {"tab\tin", false},
      {"\xE2\x82\xAC \xF0\x9F\x98\x80 \xC3\xA9", false},
      {"@x", false},
      {"`x", false},
      {"%x", false},
      {"*x", false},
      {"&x", false},
      {"!x", false},
      {"|", false},
      {">", false},
      {"'q'", false},
      {"\"dq\"", false},
      {"#x", false},
      {"?", false},
      {"? x", false},
      {": x", false},
      {"x:", false},
      {"---", false},
      {"...", false},
      {"<<", false},
      {"0x1F", true},
      {".inf", true},
      {"\r\n", false},
      {"a\\b", false},
      {"\xEF\xBB\xBFx", false},
      {"plain", true},
      {"1,000", false},
      {"=", false},
      {"a - b", false},
      {"x\x7f", false},
      {"09:00-17:00", false},
      {"2.5h", true},
      {"\xC2\x85", false},
      {"a\xE2\x80\xA9"
       "b",
       false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("text " + quote(c.text) + (c.quoted ? " quoted" : " plain"));
    const Tree scalar = Tree::scalar(c.text, {}, c.quoted);
    Tree m = Tree::map();
    m.set("value", scalar);
    m.set(c.text, Tree::scalar("as key"));
    Tree seq = Tree::sequence();
    seq.items.push_back(scalar);
    seq.items.push_back(m);
    m.set("list", seq);

    for (const auto& [t, layout] :
         {std::pair{m, YamlLayout::block}, std::pair{seq, YamlLayout::block},
          std::pair{scalar, YamlLayout::block}, std::pair{m, YamlLayout::compact},
          std::pair{seq, YamlLayout::compact}}) {
      const std::string text = emit_yaml(t, layout);
      SCOPED_TRACE("emitted:\n" + text);
      const Tree back = round_trip(t, layout);
      EXPECT_EQ(dump(back, false), dump(t, false));
      const Tree* v = back.is_map()        ? back.find("value")
                      : back.is_sequence() ? &back.items[0]
                                           : &back;
      ASSERT_NE(v, nullptr);
      if (c.quoted) {
        EXPECT_TRUE(v->quoted);
      }
    }
  }
}

// A document read from YAML comes back exactly, quoted flags included.
TEST(EmitYaml, RoundTripsALoadedDocumentExactly) {
  const Tree t = parse("schema_version: 1\n"
                       "name: \"midsize\"\n"
                       "description: |\n"
                       "  The default company.\n"
                       "  Two lines: with colon # and hash\n"
                       "calendar: {days: [mon, tue], hours: '09:00-17:00', holidays: []}\n"
                       "flags: {a: true, b: 'false', c: 'yes', d: ~, e: ''}\n"
                       "numbers: [1, -2, 3.5e-3, '4', .inf, 0x1F]\n"
                       "\"quoted key\": {\"k: v\": 1, 'x #y': 2, '': 3, '- a': 4}\n"
                       "nested:\n"
                       "  - - [a, {b: [c, {}]}]\n"
                       "    - {}\n"
                       "  - k: [[], [[]]]\n"
                       "unicode: \"caf\xC3\xA9 \\u2028 \\t \\x01\"\n");
  const std::string text = emit_yaml(t);
  const Tree back = round_trip(t);
  EXPECT_EQ(dump(back), dump(t)) << text;
  EXPECT_EQ(emit_yaml(back), text);
}

// The one documented exception to an exact round trip: plain scalars that YAML 1.1
// readers take for booleans or null are written quoted, so they read back quoted.
TEST(EmitYaml, QuotesPlainYaml11BooleansSoTheyReadBackQuoted) {
  const Tree t = parse("{a: yes, b: On, c: n, d: true, e: false}");
  EXPECT_EQ(emit_yaml(t), "a: \"yes\"\nb: \"On\"\nc: \"n\"\nd: true\ne: false\n");
  EXPECT_EQ(dump(round_trip(t)), R"({"a":Q"yes","b":Q"On","c":Q"n","d":"true","e":"false",})");
}

TEST(EmitYaml, CompactLayoutWritesShortScalarCollectionsOnOneLine) {
  const Tree t = parse("a: [1, 2]\nb: {x: 1, z: 'a,b'}\nc: [[1]]\nd: [\"multi\\nline\"]\n"
                       "e: {k: [1]}\nf: []\n");
  EXPECT_EQ(
      emit_yaml(t, YamlLayout::compact),
      "a: [1, 2]\nb: {x: 1, z: \"a,b\"}\nc:\n  - [1]\nd:\n  - \"multi\\nline\"\ne:\n  k: [1]\n"
      "f: []\n");
  EXPECT_EQ(dump(round_trip(t, YamlLayout::compact)), dump(t));
  // Past 80 bytes the block layout takes over.
  Tree wide = Tree::sequence();
  for (int i = 0; i < 30; ++i)
    wide.items.push_back(Tree::scalar("123"));
  EXPECT_EQ(emit_yaml(wide, YamlLayout::compact).substr(0, 6), "- 123\n");
}

TEST(EmitYaml, UsesTheExplicitKeyFormForAVeryLongKey) {
  const std::string long_key(1500, 'k');
  Tree m = Tree::map();
  m.set(long_key, Tree::scalar("1"));
  Tree inner = Tree::map();
  inner.set("z", Tree::scalar("2"));
  m.set(long_key + "2", inner);
  Tree seq = Tree::sequence();
  seq.items.push_back(m);
  EXPECT_EQ(emit_yaml(m), "? " + long_key + "\n: 1\n? " + long_key + "2\n:\n  z: 2\n");
  EXPECT_EQ(dump(round_trip(m)), dump(m));
  EXPECT_EQ(dump(round_trip(seq)), dump(seq));
  // Right at the limit the implicit form still reads back.
  Tree edge = Tree::map();
  edge.set(std::string(1000, 'e'), Tree::scalar("1"));
  edge.set(std::string(998, 'q') + " ", Tree::scalar("2")); // 1000 bytes once quoted
  EXPECT_EQ(emit_yaml(edge).substr(0, 2), "ee");
  EXPECT_EQ(dump(round_trip(edge)), dump(edge));
}

// Pseudo-random strings over the characters YAML treats specially, as values and keys,
// plain and quoted, at several depths: every one must read back with the same text (fixed
// seed, so the same strings on every run).
TEST(EmitYaml, RoundTripsPseudoRandomStrings) {
  const std::vector<std::string> pieces = {
      "a", "Z", "0", "1",  ".",  "-",  "?",  ":", " ", "#",        ",",
      "[", "]", "{", "}",  "&",  "*",  "!",  "|", ">", "'",        "\"",
      "%", "@", "`", "\\", "\n", "\t", "\r", "~", "e", "\xC3\xA9", "\xE2\x80\xA8",
      "=", "<", "x"};
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  const auto next = [&](std::uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33U) % bound;
  };
  for (int round = 0; round < 300; ++round) {
    Tree m = Tree::map();
    Tree seq = Tree::sequence();
    for (int i = 0; i < 6; ++i) {
      std::string s;
      const std::uint64_t length = next(7);
      for (std::uint64_t k = 0; k < length; ++k)
        s += pieces[next(pieces.size())];
      const bool quoted = next(2) == 1;
      m.set(s + "#" + std::to_string(i), Tree::scalar(s, {}, quoted));
      m.set(s, Tree::scalar(s, {}, quoted)); // the string itself as a key
      seq.items.push_back(Tree::scalar(s, {}, quoted));
    }
    Tree root = Tree::map();
    root.set("m", m);
    root.set("seq", seq);
    Tree nested = Tree::sequence();
    nested.items.push_back(m);
    nested.items.push_back(seq);
    root.set("nested", nested);
    for (const YamlLayout layout : {YamlLayout::block, YamlLayout::compact}) {
      const std::string text = emit_yaml(root, layout);
      SCOPED_TRACE("round " + std::to_string(round) + ", emitted:\n" + text);
      const Tree back = round_trip(root, layout);
      ASSERT_EQ(dump(back, false), dump(root, false));
    }
  }
}

} // namespace
} // namespace itsim::scenarios
