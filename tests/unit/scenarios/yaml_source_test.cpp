// SPDX-License-Identifier: Apache-2.0
#include "yaml_source.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#include "itsim/scenarios/diagnostics.hpp"
#include "itsim/scenarios/input_error.hpp"

namespace itsim::scenarios {
namespace {

namespace fs = std::filesystem;

// Each test gets a fresh directory under the system temp dir, removed afterwards.
class YamlSource : public ::testing::Test {
protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("itsim_yaml_source_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_ / "locked.yaml", fs::perms::owner_all, ec);
    fs::remove_all(dir_, ec);
  }

  // Writes `text` to dir/name and returns the path.
  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream out(p, std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    return p.string();
  }

  // Loads dir/name written with `text`; returns the formatted diagnostics with the
  // directory stripped so that expectations read `name:line:col: ...`.
  std::string load_file_errors(const std::string& name, const std::string& text) {
    const std::string path = write(name, text);
    Diagnostics diags;
    const YamlDocument doc = load_yaml_file(path, diags);
    EXPECT_EQ(doc.file, path);
    return strip_dir(diags.format_all());
  }

  std::string strip_dir(std::string text) const {
    const std::string prefix = dir_.string() + "/";
    for (std::size_t at; (at = text.find(prefix)) != std::string::npos;) {
      text.erase(at, prefix.size());
    }
    return text;
  }

  fs::path dir_;
};

// Loads `text` with the label "s.yaml" and returns the formatted diagnostics.
std::string string_errors(const std::string& text) {
  Diagnostics diags;
  (void)load_yaml_string(text, "s.yaml", diags);
  return diags.format_all();
}

// ---- reading ------------------------------------------------------------------------------

TEST_F(YamlSource, ThrowsInputErrorForAMissingFile) {
  const std::string path = (dir_ / "nope.yaml").string();
  Diagnostics diags;
  try {
    (void)load_yaml_file(path, diags);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot read: No such file or directory");
  }
  EXPECT_FALSE(diags.has_errors());
}

TEST_F(YamlSource, ThrowsInputErrorForADirectory) {
  Diagnostics diags;
  try {
    (void)load_yaml_file(dir_.string(), diags);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), dir_.string() + ": cannot read: Is a directory");
  }
}

TEST_F(YamlSource, ThrowsInputErrorForAnUnreadableFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can read any file";
  const std::string path = write("locked.yaml", "a: 1\n");
  fs::permissions(path, fs::perms::none);
  Diagnostics diags;
  try {
    (void)load_yaml_file(path, diags);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot read: Permission denied");
  }
}

TEST_F(YamlSource, LoadsAValidScenarioIntoAMap) {
  const std::string path = write("ok.yaml", "schema_version: 1\nseed: 42\n");
  Diagnostics diags;
  const YamlDocument doc = load_yaml_file(path, diags);
  EXPECT_FALSE(diags.has_errors()) << diags.format_all();
  ASSERT_TRUE(doc.root.IsMap());
  EXPECT_EQ(doc.root["seed"].Scalar(), "42");
}

TEST_F(YamlSource, AcceptsAUtf8ByteOrderMark) {
  Diagnostics diags;
  const YamlDocument doc = load_yaml_string("\xEF\xBB\xBF"
                                            "a: caf\xC3\xA9\n",
                                            "s.yaml", diags);
  EXPECT_FALSE(diags.has_errors()) << diags.format_all();
  EXPECT_EQ(doc.root["a"].Scalar(), "caf\xC3\xA9");
}

// ---- empty and non-map documents -------------------------------------------------------------

TEST_F(YamlSource, RejectsAnEmptyFile) {
  EXPECT_EQ(load_file_errors("empty.yaml", ""),
            "empty.yaml:1:1: empty scenario: expected a map of settings");
}

TEST_F(YamlSource, RejectsAFileWithOnlyComments) {
  EXPECT_EQ(load_file_errors("comments.yaml", "# nothing here\n\n# yet\n"),
            "comments.yaml:1:1: empty scenario: expected a map of settings");
}

TEST_F(YamlSource, RejectsANullDocumentAtItsLine) {
  EXPECT_EQ(load_file_errors("null.yaml", "# comment\n~\n"),
            "null.yaml:2:1: empty scenario: expected a map of settings");
}

TEST_F(YamlSource, RejectsAScalarAtTheTopLevel) {
  EXPECT_EQ(load_file_errors("scalar.yaml", "hello\n"),
            "scalar.yaml:1:1: expected a map at the top level, got a scalar");
}

TEST_F(YamlSource, RejectsASequenceAtTheTopLevel) {
  EXPECT_EQ(load_file_errors("seq.yaml", "# list\n- a\n- b\n"),
            "seq.yaml:2:1: expected a map at the top level, got a sequence");
}

TEST_F(YamlSource, RejectsASecondDocumentAtItsSeparator) {
  EXPECT_EQ(string_errors("a: 1\n---\nb: 2\n"),
            "s.yaml:2:1: a scenario file holds one YAML document; found a second one (remove "
            "the '---' line)");
}

// ---- syntax errors ---------------------------------------------------------------------------

TEST_F(YamlSource, RejectsAStrayCommaInsteadOfLoopingForever) {
  // yaml-cpp 0.7's LoadAll never returns on these (jbeder/yaml-cpp#1040).
  EXPECT_EQ(string_errors(","), "s.yaml:1:1: unexpected \",\"");
  EXPECT_EQ(string_errors(",a\n["), "s.yaml:1:1: unexpected \",\"");
  EXPECT_EQ(string_errors("- a\n,\n"), "s.yaml:2:1: unexpected \",\"");
}

TEST_F(YamlSource, ReportsAnUnclosedBracketWhereItOpens) {
  // yaml-cpp gives up where the input ends (2:1); the error points at the '[' instead.
  EXPECT_EQ(load_file_errors("open.yaml", "a: [1, 2\n"),
            "open.yaml:1:4: unclosed '[': no matching ']' before the end of the file");
  // Where it gave up elsewhere, that place is named too.
  EXPECT_EQ(load_file_errors("open.yaml", "a: {b: 1\nc: 2\n"),
            "open.yaml:1:4: unclosed '{': no matching '}' (the parser gave up at line 2, "
            "column 2)");
  // The outermost unclosed bracket is the one reported.
  EXPECT_EQ(load_file_errors("open.yaml", "a: [[1], [2\n"),
            "open.yaml:1:4: unclosed '[': no matching ']' before the end of the file");
}

TEST_F(YamlSource, ReportsAnUnclosedQuoteWhereItOpens) {
  // yaml-cpp 0.7 reads an unclosed quoted scalar to the end of the file without a word.
  EXPECT_EQ(load_file_errors("q.yaml", "name: \"what if\nseed: 1\n"),
            "q.yaml:1:7: unclosed quoted string: no closing '\"' before the end of the file");
  EXPECT_EQ(load_file_errors("q.yaml", "a: 'it''s\n"),
            "q.yaml:1:4: unclosed quoted string: no closing \"'\" before the end of the file");
  // Quotes that close on a later line, or sit inside comments and plain scalars, are fine.
  EXPECT_EQ(load_file_errors("q.yaml", "a: \"two\n  lines\"\nb: it's # don't\n"), "");
}

TEST_F(YamlSource, ReportsAnIllegalMapValueAtTheSecondColon) {
  // "key: : value": the second ':' is column 6.
  EXPECT_EQ(load_file_errors("colon.yaml", "x: 1\nkey: : value\n"),
            "colon.yaml:2:6: illegal map value");
}

// ---- tabs --------------------------------------------------------------------------------------

TEST_F(YamlSource, RejectsTabIndentationAtTheTab) {
  EXPECT_EQ(load_file_errors("tab.yaml", "a:\n\tb: 1\n"),
            "tab.yaml:2:1: tabs are not allowed for indentation; use spaces");
}

TEST_F(YamlSource, RejectsATabBeforeACommentLikeYamlCppDoes) {
  EXPECT_EQ(string_errors("a: 1\n\t# comment\n"),
            "s.yaml:2:1: tabs are not allowed for indentation; use spaces");
}

TEST_F(YamlSource, ReportsEveryTabIndentedLine) {
  EXPECT_EQ(string_errors("a:\n  b: 1\n  \tc: 2\n\td: 3\n"),
            "s.yaml:3:3: tabs are not allowed for indentation; use spaces\n"
            "s.yaml:4:1: tabs are not allowed for indentation; use spaces");
}

TEST_F(YamlSource, AllowsTabsWhereYamlAllowsThem) {
  // After a value indicator, before a trailing comment, inside quoted, flow and block
  // scalars.
  EXPECT_EQ(string_errors("a:\t1\n"
                          "b: 2 \t# comment\n"
                          "c: \"x\n"
                          "\ty\"\n"
                          "d: [\n"
                          "\t1]\n"
                          "e: |\n"
                          "  \tindented text\n"
                          "f: 3\n"),
            "");
}

// ---- encoding
// ------------------------------------------------------------------------------------

TEST_F(YamlSource, RejectsANulByteAtItsPosition) {
  EXPECT_EQ(load_file_errors("nul.yaml", std::string("a: 1\nb: x\0y\n", 12)),
            "nul.yaml:2:5: contains a NUL byte");
}

TEST_F(YamlSource, RejectsInvalidUtf8AtTheFirstBadByte) {
  EXPECT_EQ(load_file_errors("latin1.yaml", "a: caf\xC3\xA9\nb: caf\xE9\n"),
            "latin1.yaml:2:7: not UTF-8 text");
}

TEST_F(YamlSource, RejectsOverlongSurrogateAndTruncatedUtf8) {
  EXPECT_EQ(string_errors("a: \xC0\xAF\n"), "s.yaml:1:4: not UTF-8 text");         // overlong '/'
  EXPECT_EQ(string_errors("a: \xED\xA0\x80\n"), "s.yaml:1:4: not UTF-8 text");     // surrogate
  EXPECT_EQ(string_errors("a: \xF4\x90\x80\x80\n"), "s.yaml:1:4: not UTF-8 text"); // > U+10FFFF
  EXPECT_EQ(string_errors("a: x\xE2\x82"), "s.yaml:1:5: not UTF-8 text");          // cut short
  EXPECT_EQ(string_errors("\xFF\xFE"
                          "a\0:"),
            "s.yaml:1:1: not UTF-8 text");               // UTF-16 BOM
  EXPECT_EQ(string_errors("a: \xF0\x9F\x98\x80\n"), ""); // U+1F600
}

// ---- size and depth
// -------------------------------------------------------------------------------

TEST_F(YamlSource, RejectsAFileLargerThanSixteenMebibytes) {
  const std::string big = "a: 1\n" + std::string(std::size_t{17} * 1024 * 1024, '#') + "\n";
  EXPECT_EQ(load_file_errors("big.yaml", big),
            "big.yaml: file is larger than 16 MiB; not a scenario");
}

TEST_F(YamlSource, PassesTheSizeCheckAtExactlySixteenMebibytes) {
  // Not UTF-8 on purpose: the next check fails at once instead of parsing 16 MiB.
  EXPECT_EQ(string_errors(std::string(max_scenario_bytes, '\xFF')), "s.yaml:1:1: not UTF-8 text");
  EXPECT_EQ(string_errors(std::string(max_scenario_bytes + 1, '\xFF')),
            "s.yaml: file is larger than 16 MiB; not a scenario");
}

TEST_F(YamlSource, RejectsAHundredThousandNestedBracketsWithoutCrashing) {
  // The 65th '[' is column 3 + 65.
  EXPECT_EQ(load_file_errors("deep.yaml", "a: " + std::string(100000, '[')),
            "deep.yaml:1:68: nesting is deeper than 64 levels");
  EXPECT_EQ(string_errors(std::string(100000, '{')),
            "s.yaml:1:65: nesting is deeper than 64 levels");
}

TEST_F(YamlSource, RejectsAHundredThousandNestedBlockSequencesWithoutCrashing) {
  std::string text = "a:\n";
  for (int i = 0; i < 100000; ++i)
    text += "- ";
  text += "x\n";
  const std::string errors = string_errors(text);
  EXPECT_NE(errors.find("nesting is deeper than 64 levels"), std::string::npos) << errors;
}

TEST_F(YamlSource, AcceptsSixtyFourLevelsAndRejectsSixtyFive) {
  // Root map (level 1) + 63 sequences = 64 levels.
  EXPECT_EQ(string_errors("a: " + std::string(63, '[') + std::string(63, ']') + "\n"), "");
  // 64 brackets pass the pre-scan, but the tree is 65 deep: the innermost '[' is column 67.
  std::string path = "a";
  for (int i = 0; i < 63; ++i)
    path += "[0]";
  EXPECT_EQ(string_errors("a: " + std::string(64, '[') + std::string(64, ']') + "\n"),
            "s.yaml:1:67: " + path + ": nesting is deeper than 64 levels");
}

TEST_F(YamlSource, RejectsDeepBlockIndentationAtTheFirstNodeTooDeep) {
  // Line i (1-based) is "k{i-1}:" indented by i-1 spaces; the map of level L starts at line L,
  // column L, so level 65 is at 65:65 under the keys k0 ... k63.
  std::string text;
  std::string path;
  for (int i = 0; i < 70; ++i) {
    text += std::string(static_cast<std::size_t>(i), ' ') + "k" + std::to_string(i) + ":\n";
    if (i < 64) path += (i == 0 ? "k" : ".k") + std::to_string(i);
  }
  EXPECT_EQ(string_errors(text), "s.yaml:65:65: " + path + ": nesting is deeper than 64 levels");
}

TEST_F(YamlSource, DoesNotCountBracketsInStringsCommentsOrPlainScalars) {
  const std::string many(100, '[');
  EXPECT_EQ(string_errors("a: \"" + many + "\"\n" +  //
                          "b: '" + many + "'\n" +    //
                          "c: 1 # " + many + "\n" +  //
                          "d: x" + many + "\n" +     //
                          "e: |\n  " + many + "\n" + //
                          "f: [\"" + many + "\", 'it''s " + many + "']\n"),
            "");
}

TEST_F(YamlSource, RejectsAnAliasThatContainsItself) {
  Diagnostics diags;
  const YamlDocument doc = load_yaml_string("x: &a [*a]\n", "s.yaml", diags);
  EXPECT_NE(diags.format_all().find("s.yaml:1:4: x[0][0]"), std::string::npos)
      << diags.format_all();
  EXPECT_NE(diags.format_all().find("an alias refers to a node that contains it (a cycle)"),
            std::string::npos);
  EXPECT_TRUE(doc.root.IsNull());
}

TEST_F(YamlSource, RejectsAliasesThatExpandToBillionsOfNodes) {
  std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    const std::string prev = "*l" + std::to_string(i - 1);
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j)
      text += (j == 0 ? "" : ", ") + prev;
    text += "]\n";
  }
  Diagnostics diags;
  const YamlDocument doc = load_yaml_string(text, "s.yaml", diags);
  EXPECT_EQ(diags.error_count(), 1U);
  EXPECT_NE(diags.format_all().find("aliases expand to more than"), std::string::npos)
      << diags.format_all();
  EXPECT_TRUE(doc.root.IsNull());
}

// ---- duplicate keys
// ------------------------------------------------------------------------------

TEST_F(YamlSource, ReportsDuplicateKeysAtTwoDepthsAtTheSecondOccurrence) {
  EXPECT_EQ(load_file_errors("dup.yaml", "name: a\n"       // 1
                                         "demand:\n"       // 2
                                         "  work_types:\n" // 3
                                         "    - name: x\n" // 4
                                         "      size: 1\n" // 5
                                         "      name: y\n" // 6
                                         "name: b\n"),     // 7
            "dup.yaml:6:7: demand.work_types[0].name: duplicate key \"name\" (first at line 4)\n"
            "dup.yaml:7:1: name: duplicate key \"name\" (first at line 1)");
}

TEST_F(YamlSource, KeepsTheTreeWhenOnlyKeysAreDuplicated) {
  Diagnostics diags;
  const YamlDocument doc = load_yaml_string("a: 1\nb: 2\na: 3\n", "s.yaml", diags);
  EXPECT_EQ(diags.format_all(), "s.yaml:3:1: a: duplicate key \"a\" (first at line 1)");
  EXPECT_TRUE(doc.root.IsMap());
}

TEST_F(YamlSource, TreatsQuotedAndPlainKeysAsTheSameKey) {
  EXPECT_EQ(string_errors("'a': 1\n\"a\": 2\n"),
            "s.yaml:2:1: a: duplicate key \"a\" (first at line 1)");
}

TEST_F(YamlSource, ReportsDuplicateKeysInFlowMapsAndInsideSequences) {
  EXPECT_EQ(string_errors("a: {b: 1, b: 2}\nlist:\n  - [{c: 1, c: 2}]\n"),
            "s.yaml:1:11: a.b: duplicate key \"b\" (first at line 1)\n"
            "s.yaml:3:13: list[0][0].c: duplicate key \"c\" (first at line 3)");
}

TEST_F(YamlSource, ReportsADuplicateInAnAliasedMapOnce) {
  // "base: &b {x: 1, x: 2}": the second x is column 17.
  EXPECT_EQ(string_errors("base: &b {x: 1, x: 2}\nother: *b\n"),
            "s.yaml:1:17: base.x: duplicate key \"x\" (first at line 1)");
}

TEST_F(YamlSource, ChecksDuplicatesUnderAGivenKeyPath) {
  Diagnostics diags;
  const YamlDocument doc = load_yaml_string("a: 1\n", "s.yaml", diags);
  const YAML::Node extra = YAML::Load("x: 1\ny: 2\nx: 3\n");
  check_duplicate_keys(doc, extra, "overrides", diags);
  EXPECT_EQ(diags.format_all(), "s.yaml:3:1: overrides.x: duplicate key \"x\" (first at line 1)");
}

// ---- locations and kinds
// ---------------------------------------------------------------------------

TEST_F(YamlSource, LocatesANestedNodeOneBased) {
  const std::string path = write("nested.yaml", "demand:\n"
                                                "  work_types:\n"
                                                "    - name: x\n"
                                                "      size: 3\n");
  Diagnostics diags;
  const YamlDocument doc = load_yaml_file(path, diags);
  ASSERT_FALSE(diags.has_errors()) << diags.format_all();
  const YAML::Node& root = doc.root;
  const Location size = location_of(doc, root["demand"]["work_types"][0]["size"]);
  EXPECT_EQ(size.file, path);
  EXPECT_EQ(size.line, 4);
  EXPECT_EQ(size.column, 13);
  const Location list = location_of(doc, root["demand"]["work_types"]);
  EXPECT_EQ(list.line, 3);
  EXPECT_EQ(list.column, 5);
}

TEST_F(YamlSource, GivesLineZeroForAnAbsentKey) {
  Diagnostics diags;
  const YamlDocument doc = load_yaml_string("a: 1\n", "s.yaml", diags);
  const YAML::Node& root = doc.root;
  const Location missing = location_of(doc, root["missing"]);
  EXPECT_EQ(missing.file, "s.yaml");
  EXPECT_EQ(missing.line, 0);
  EXPECT_EQ(missing.column, 0);
  EXPECT_EQ(location_of(doc, YAML::Node(5)).line, 0); // built in code: no mark
}

TEST_F(YamlSource, NamesNodeKindsForMessages) {
  const YAML::Node n = YAML::Load("{m: {a: 1}, s: [1], x: 1, z: ~}");
  EXPECT_EQ(node_kind(n["m"]), "map");
  EXPECT_EQ(node_kind(n["s"]), "sequence");
  EXPECT_EQ(node_kind(n["x"]), "scalar");
  EXPECT_EQ(node_kind(n["z"]), "null");
  EXPECT_EQ(node_kind(n["absent"]), "undefined");
}

TEST_F(YamlSource, JoinsKeyPathsWithDotsAndBrackets) {
  EXPECT_EQ(key_path_join("", "demand"), "demand");
  EXPECT_EQ(key_path_join("demand", "work_types"), "demand.work_types");
  EXPECT_EQ(key_path_index("demand.work_types", 2), "demand.work_types[2]");
  EXPECT_EQ(key_path_join(key_path_index("demand.work_types", 2), "name"),
            "demand.work_types[2].name");
}

TEST_F(YamlSource, LabelsStringInputWithTheGivenName) {
  Diagnostics diags;
  const YamlDocument doc = load_yaml_string("a: [1\n", "--set", diags);
  EXPECT_EQ(doc.file, "--set");
  EXPECT_EQ(diags.format_all(),
            "--set:1:4: unclosed '[': no matching ']' before the end of the file");
  EXPECT_TRUE(doc.root.IsNull());
}

// ---- load_yaml_value (--set values)
// -------------------------------------------------------------

// Loads `text` with load_yaml_value and the label "--set"; returns the diagnostics.
std::string value_errors(const std::string& text) {
  Diagnostics diags;
  (void)load_yaml_value(text, "--set", diags);
  return diags.format_all();
}

TEST_F(YamlSource, LoadsAValueOfAnyKind) {
  Diagnostics diags;
  EXPECT_EQ(load_yaml_value("42", "--set", diags).root.Scalar(), "42");
  EXPECT_TRUE(load_yaml_value("[a, b]", "--set", diags).root.IsSequence());
  EXPECT_TRUE(load_yaml_value("{k: v}", "--set", diags).root.IsMap());
  EXPECT_TRUE(load_yaml_value("k: v\nl: w\n", "--set", diags).root.IsMap());
  EXPECT_TRUE(load_yaml_value("~", "--set", diags).root.IsNull());
  const YamlDocument quoted = load_yaml_value("'yes'", "--set", diags);
  EXPECT_EQ(quoted.root.Tag(), "!");
  EXPECT_EQ(quoted.file, "--set");
  EXPECT_FALSE(diags.has_errors()) << diags.format_all();
}

TEST_F(YamlSource, GivesANullValueWithoutErrorForEmptyText) {
  Diagnostics diags;
  EXPECT_TRUE(load_yaml_value("", "--set", diags).root.IsNull());
  EXPECT_TRUE(load_yaml_value("   ", "--set", diags).root.IsNull());
  EXPECT_TRUE(load_yaml_value("# only a comment", "--set", diags).root.IsNull());
  EXPECT_FALSE(diags.has_errors()) << diags.format_all();
}

TEST_F(YamlSource, ChecksAValueLikeAScenarioFile) {
  EXPECT_EQ(value_errors("[1, 2"),
            "--set:1:1: unclosed '[': no matching ']' before the end of the value");
  EXPECT_EQ(value_errors("\"abc"),
            "--set:1:1: unclosed quoted string: no closing '\"' before the end of the value");
  EXPECT_EQ(value_errors(","), "--set:1:1: unexpected \",\"");
  EXPECT_EQ(value_errors("a\n---\nb"),
            "--set:2:1: a scenario file holds one YAML document; found a second one (remove "
            "the '---' line)");
  EXPECT_EQ(value_errors("{a: 1, a: 2}"), "--set:1:8: a: duplicate key \"a\" (first at line 1)");
  EXPECT_EQ(value_errors("a:\n\tb: 1"),
            "--set:2:1: tabs are not allowed for indentation; use spaces");
  EXPECT_EQ(value_errors("x\xE9"), "--set:1:2: not UTF-8 text");
  EXPECT_EQ(value_errors(std::string(100000, '[')), "--set:1:65: nesting is deeper than 64 levels");
  EXPECT_EQ(value_errors(std::string(64, '[') + std::string(64, ']')), "");
  const std::string deep = value_errors(std::string(65, '[') + std::string(65, ']'));
  EXPECT_NE(deep.find("nesting is deeper than 64 levels"), std::string::npos) << deep;
}

TEST_F(YamlSource, StillRejectsANonMapScenarioAfterTheRefactoring) {
  EXPECT_EQ(string_errors("42"), "s.yaml:1:1: expected a map at the top level, got a scalar");
  EXPECT_EQ(string_errors(""), "s.yaml:1:1: empty scenario: expected a map of settings");
}

TEST_F(YamlSource, NamesKeysByTextOrByKind) {
  const YAML::Node n = YAML::Load("{a: 1, [x]: 2, {k: v}: 3, ~: 4, 'null': 5}");
  std::vector<std::string> keys;
  for (const auto& kv : n)
    keys.push_back(key_text(kv.first));
  EXPECT_EQ(keys,
            (std::vector<std::string>{"a", "<sequence key>", "<map key>", "<null key>", "null"}));
}

} // namespace
} // namespace itsim::scenarios
