// SPDX-License-Identifier: Apache-2.0
#include "itsim/scenarios/diagnostics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "itsim/sim/error.hpp"

namespace itsim::scenarios {
namespace {

Diagnostic error_at(Location where, std::string key_path, std::string message) {
  return Diagnostic{Diagnostic::Severity::error, std::move(where), std::move(key_path),
                    std::move(message)};
}

std::size_t count_lines(const std::string& text) {
  return text.empty() ? 0
                      : static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
}

std::string last_line(const std::string& text) {
  return text.substr(text.rfind('\n') + 1);
}

// ---- Diagnostic::format ------------------------------------------------------------------

TEST(Diagnostics, FormatsAnErrorLikeACompiler) {
  EXPECT_EQ(error_at({"scenarios/data/service_desk.yaml", 14, 9}, "models[1].arrivals.mean",
                     "expected a duration with a unit")
                .format(),
            "scenarios/data/service_desk.yaml:14:9: models[1].arrivals.mean: expected a duration "
            "with a unit");
}

TEST(Diagnostics, FormatsAWarningWithTheWordWarningAfterTheKeyPath) {
  const Diagnostic d{Diagnostic::Severity::warning, {"a.yaml", 3, 1}, "horizon", "very long"};
  EXPECT_EQ(d.format(), "a.yaml:3:1: horizon: warning: very long");
}

TEST(Diagnostics, LeavesOutAnEmptyKeyPath) {
  EXPECT_EQ(error_at({"a.yaml", 3, 1}, "", "illegal map value").format(),
            "a.yaml:3:1: illegal map value");
  Diagnostics diags;
  diags.warning({"a.yaml", 3, 1}, "", "odd");
  EXPECT_EQ(diags.all().front().format(), "a.yaml:3:1: warning: odd");
}

TEST(Diagnostics, GivesJustTheFileWhenTheLineIsUnknown) {
  EXPECT_EQ(error_at({"a.yaml", 0, 7}, "seed", "missing").format(), "a.yaml: seed: missing");
  EXPECT_EQ(error_at({"a.yaml", 0, 0}, "", "file is larger than 16 MiB; not a scenario").format(),
            "a.yaml: file is larger than 16 MiB; not a scenario");
}

TEST(Diagnostics, GivesFileAndLineWhenOnlyTheColumnIsUnknown) {
  EXPECT_EQ(error_at({"a.yaml", 5, 0}, "seed", "bad").format(), "a.yaml:5: seed: bad");
}

TEST(Diagnostics, DropsTheLocationWhenThereIsNoFileAndNoLine) {
  EXPECT_EQ(error_at({"", 0, 0}, "seed", "bad").format(), "seed: bad");
}

// ---- Diagnostics -------------------------------------------------------------------------

TEST(Diagnostics, StartsWithoutErrorsAndThrowsNothing) {
  const Diagnostics d;
  EXPECT_FALSE(d.has_errors());
  EXPECT_EQ(d.error_count(), 0U);
  EXPECT_TRUE(d.all().empty());
  EXPECT_EQ(d.format_all(), "");
  EXPECT_NO_THROW(d.throw_if_errors());
}

TEST(Diagnostics, CountsWarningsButDoesNotTreatThemAsErrors) {
  Diagnostics d;
  d.warning({"a.yaml", 1, 1}, "x", "odd");
  EXPECT_FALSE(d.has_errors());
  EXPECT_EQ(d.error_count(), 0U);
  EXPECT_EQ(d.warning_count(), 1U);
  EXPECT_EQ(d.all().size(), 1U);
  EXPECT_NO_THROW(d.throw_if_errors());
}

TEST(Diagnostics, FormatsAllInReportingOrderOnePerLine) {
  Diagnostics d;
  d.error({"a.yaml", 9, 3}, "b", "second in the file, first reported");
  d.warning({"a.yaml", 2, 1}, "a", "odd");
  d.error({"a.yaml", 4, 5}, "c", "third");
  EXPECT_TRUE(d.has_errors());
  EXPECT_EQ(d.error_count(), 2U);
  ASSERT_EQ(d.all().size(), 3U);
  EXPECT_EQ(d.all()[1].severity, Diagnostic::Severity::warning);
  EXPECT_EQ(d.format_all(), "a.yaml:9:3: b: second in the file, first reported\n"
                            "a.yaml:2:1: a: warning: odd\n"
                            "a.yaml:4:5: c: third");
}

TEST(Diagnostics, ThrowsAScenarioErrorWithTheErrorsButNotTheWarnings) {
  Diagnostics d;
  d.error({"a.yaml", 9, 3}, "b", "bad");
  d.warning({"a.yaml", 2, 1}, "a", "odd");
  d.error({"a.yaml", 4, 5}, "c", "worse");
  EXPECT_EQ(d.format_errors(), "a.yaml:9:3: b: bad\na.yaml:4:5: c: worse");
  try {
    d.throw_if_errors();
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_STREQ(e.what(), "a.yaml:9:3: b: bad\na.yaml:4:5: c: worse");
  }
}

TEST(Diagnostics, CapsStoredErrorsAtTwoHundredAndSaysHowManyMore) {
  Diagnostics d;
  for (int i = 1; i <= 250; ++i)
    d.error({"big.yaml", i, 1}, "", "garbage");
  EXPECT_EQ(d.error_count(), 250U);
  EXPECT_EQ(d.all().size(), 200U);
  const std::string all = d.format_all();
  EXPECT_EQ(count_lines(all), 201U);
  EXPECT_EQ(last_line(all), "... and 50 more errors");
  EXPECT_EQ(d.all().back().where.line, 200);
  try {
    d.throw_if_errors();
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()), all);
  }
}

TEST(Diagnostics, SaysOneMoreErrorInTheSingular) {
  Diagnostics d;
  for (int i = 1; i <= 201; ++i)
    d.error({"big.yaml", i, 1}, "", "garbage");
  EXPECT_EQ(last_line(d.format_all()), "... and 1 more error");
}

TEST(Diagnostics, CapsWarningsSeparatelyFromErrors) {
  Diagnostics d;
  for (int i = 1; i <= 230; ++i)
    d.warning({"w.yaml", i, 1}, "", "odd");
  d.error({"w.yaml", 999, 1}, "", "bad");
  EXPECT_EQ(d.warning_count(), 230U);
  EXPECT_EQ(d.all().size(), 201U); // 200 warnings, then the error still fits
  EXPECT_EQ(last_line(d.format_all()), "... and 30 more warnings");
  EXPECT_EQ(d.format_errors(), "w.yaml:999:1: bad");
}

// ---- did_you_mean ------------------------------------------------------------------------

const std::vector<std::string> keys = {"servers", "replications", "horizon", "seed", "warmup"};

TEST(Diagnostics, SuggestsTheClosestKeyForATypo) {
  EXPECT_EQ(did_you_mean("servrs", keys), "servers");
  EXPECT_EQ(did_you_mean("replicatons", keys), "replications");
  EXPECT_EQ(did_you_mean("horizn", keys), "horizon");
}

TEST(Diagnostics, CountsASwapOfAdjacentLettersAsOneEdit) {
  EXPECT_EQ(did_you_mean("sede", keys), "seed"); // length 4: only distance 1 is allowed
  EXPECT_EQ(did_you_mean("wramup", keys), "warmup");
}

TEST(Diagnostics, SuggestsNothingForAFarAwayWord) {
  EXPECT_EQ(did_you_mean("xyz", keys), "");
  EXPECT_EQ(did_you_mean("", keys), "");
  EXPECT_EQ(did_you_mean("servers", {}), "");
  EXPECT_EQ(did_you_mean("sx", {"seed"}), ""); // distance 3 > max(1, 2 / 3)
}

TEST(Diagnostics, SuggestsACaseInsensitiveMatch) {
  EXPECT_EQ(did_you_mean("SERVERS", keys), "servers");
  EXPECT_EQ(did_you_mean("Replicatons", keys), "replications");
}

TEST(Diagnostics, SuggestsAKeyTheWordIsAPrefixOf) {
  EXPECT_EQ(did_you_mean("rep", keys), "replications");
  EXPECT_EQ(did_you_mean("hor", keys), "horizon");
  EXPECT_EQ(did_you_mean("ho", {"horizon"}), ""); // prefixes need at least 3 characters
}

TEST(Diagnostics, GuessesNothingWhenTwoCandidatesAreEquallyClose) {
  // "p5" is one edit from each of p1..p4: naming one would mislead; callers list them all.
  EXPECT_EQ(did_you_mean("cat", {"bat", "cap"}), "");
  EXPECT_EQ(did_you_mean("p5", {"p1", "p2", "p3", "p4"}), "");
  EXPECT_EQ(did_you_mean("cat", {"bat", "cap", "cat_"}), "cat_"); // prefix rule still applies
  EXPECT_EQ(did_you_mean("cart", {"bat", "cat"}), "cat");         // a unique nearest one
}

TEST(Diagnostics, ComputesOptimalStringAlignmentDistances) {
  EXPECT_EQ(edit_distance("", ""), 0U);
  EXPECT_EQ(edit_distance("", "abc"), 3U);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
  EXPECT_EQ(edit_distance("ca", "ac"), 1U);
  // OSA may not edit a transposed pair again: 3 here, where unrestricted Damerau gives 2.
  EXPECT_EQ(edit_distance("ca", "abc"), 3U);
  EXPECT_EQ(edit_distance("servrs", "servers"), 1U);
}

TEST(Diagnostics, QuotesTextForMessages) {
  EXPECT_EQ(quote("name"), "\"name\"");
  EXPECT_EQ(quote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(quote(std::string("a\0b\n", 4)), R"("a\x00b\x0a")");
  EXPECT_EQ(quote("abcdef", 3), "\"abc...\"");
  // Never cuts a UTF-8 character in half: "é" is two bytes.
  EXPECT_EQ(quote("a\xC3\xA9", 2), "\"a...\"");
}

} // namespace
} // namespace itsim::scenarios
