// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace itsim::scenarios {

/// A place in an input file. Line and column are 1-based; 0 means unknown. Columns count
/// bytes, as yaml-cpp's marks do (a multi-byte UTF-8 character advances the column by its
/// byte length).
struct Location {
  std::string file; ///< the path as the user gave it (or a label such as "--set")
  int line = 0;     ///< 1-based line, 0 = unknown (then the column is ignored)
  int column = 0;   ///< 1-based column in bytes, 0 = unknown
};

/// One problem found in a scenario, with where it is and which setting it concerns.
struct Diagnostic {
  /// Errors make the scenario invalid; warnings are reported but do not stop a run.
  enum class Severity : std::uint8_t { error, warning };

  Severity severity = Severity::error; ///< error or warning
  Location where;                      ///< where the problem is (file, 1-based line:col)
  std::string key_path;                ///< dotted settings path, e.g. `demand.work_types[2].name`
  std::string message;                 ///< what is wrong, without location or key path

  /// Compiler-style text: `file:line:col: key.path: message`, or for a warning
  /// `file:line:col: key.path: warning: message`. An empty key path is left out
  /// (`file:line:col: message`); a line of 0 gives `file: ...`, a column of 0 gives
  /// `file:line: ...`, and an empty file name with line 0 drops the location altogether.
  std::string format() const;
};

/// Collects every problem of one scenario so that the user sees them all in one pass,
/// then turns them into a single ScenarioError.
///
/// Why a cap: a 10 MB file of garbage could produce a million errors and flood the
/// terminal, so at most max_stored errors (and separately max_stored warnings) are kept;
/// further ones are only counted and summarised in one final line
/// ("... and N more errors"). The count of errors stays exact.
class Diagnostics {
public:
  /// Most errors (and, separately, most warnings) kept for printing.
  static constexpr std::size_t max_stored = 200;

  /// Reports an error at `where` concerning the setting `key_path` (may be empty).
  void error(Location where, std::string key_path, std::string message);
  /// Reports a warning at `where` concerning the setting `key_path` (may be empty).
  void warning(Location where, std::string key_path, std::string message);

  /// True once any error has been reported (warnings do not count).
  bool has_errors() const { return error_count_ > 0; }
  /// Number of errors reported, including those beyond the storage cap.
  std::size_t error_count() const { return error_count_; }
  /// Number of warnings reported, including those beyond the storage cap.
  std::size_t warning_count() const { return warning_count_; }
  /// The stored diagnostics (at most max_stored of each severity), in reporting order.
  const std::vector<Diagnostic>& all() const { return items_; }

  /// Every stored diagnostic formatted with Diagnostic::format(), one per line in reporting
  /// order, then "... and N more errors" / "... and N more warnings" when some were dropped.
  /// Lines are joined by '\n' with no trailing newline; empty when nothing was reported.
  std::string format_all() const;
  /// Like format_all() but errors only (warnings left out).
  std::string format_errors() const;

  /// Throws itsim::ScenarioError whose what() is format_errors() when any error was
  /// reported; does nothing otherwise.
  void throw_if_errors() const;

private:
  void add(Diagnostic::Severity severity, Location where, std::string key_path,
           std::string message);

  std::vector<Diagnostic> items_;
  std::size_t error_count_ = 0;
  std::size_t warning_count_ = 0;
};

/// A "did you mean" suggestion for a misspelt key or enum value: the candidate closest to
/// `unknown`, or an empty string when none is close enough. In order of preference:
/// a candidate equal to `unknown` ignoring ASCII case; the candidate with the smallest
/// optimal-string-alignment (Damerau-Levenshtein, adjacent transpositions count 1) distance,
/// compared ignoring ASCII case, if that distance is at most max(1, size(unknown) / 3);
/// the first candidate that `unknown` (3 bytes or longer) is a prefix of. Ties go to the
/// earlier candidate.
std::string did_you_mean(std::string_view unknown, const std::vector<std::string>& candidates);

/// `text` in double quotes for a message: `"` and `\` are escaped, control bytes appear
/// as `\xNN`, and text longer than max_bytes is cut (at a UTF-8 character boundary) and
/// ends in `...`, so that a huge or binary value cannot flood the terminal.
std::string quote(std::string_view text, std::size_t max_bytes = 80);

/// Optimal-string-alignment distance between a and b (bytes, case-sensitive): insertions,
/// deletions, substitutions and adjacent transpositions each cost 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

} // namespace itsim::scenarios
