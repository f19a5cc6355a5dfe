// SPDX-License-Identifier: Apache-2.0
#include "itsim/scenarios/diagnostics.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "itsim/sim/error.hpp"

namespace itsim::scenarios {

namespace {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
  return out;
}

std::string more_line(std::size_t n, const char* what) {
  return "... and " + std::to_string(n) + " more " + what + (n == 1 ? "" : "s");
}

} // namespace

std::string Diagnostic::format() const {
  std::string out;
  if (!where.file.empty() || where.line > 0) {
    out = where.file;
    if (where.line > 0) {
      out += ':' + std::to_string(where.line);
      if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    out += ": ";
  }
  if (!key_path.empty()) out += key_path + ": ";
  if (severity == Severity::warning) out += "warning: ";
  out += message;
  return out;
}

void Diagnostics::error(Location where, std::string key_path, std::string message) {
  add(Diagnostic::Severity::error, std::move(where), std::move(key_path), std::move(message));
}

void Diagnostics::warning(Location where, std::string key_path, std::string message) {
  add(Diagnostic::Severity::warning, std::move(where), std::move(key_path), std::move(message));
}

void Diagnostics::add(Diagnostic::Severity severity, Location where, std::string key_path,
                      std::string message) {
  std::size_t& count = severity == Diagnostic::Severity::error ? error_count_ : warning_count_;
  ++count;
  if (count > max_stored) return;
  items_.push_back(Diagnostic{severity, std::move(where), std::move(key_path), std::move(message)});
}

std::string Diagnostics::format_all() const {
  std::string out;
  for (const Diagnostic& d : items_) {
    if (!out.empty()) out += '\n';
    out += d.format();
  }
  if (error_count_ > max_stored) {
    if (!out.empty()) out += '\n';
    out += more_line(error_count_ - max_stored, "error");
  }
  if (warning_count_ > max_stored) {
    if (!out.empty()) out += '\n';
    out += more_line(warning_count_ - max_stored, "warning");
  }
  return out;
}

std::string Diagnostics::format_errors() const {
  std::string out;
  for (const Diagnostic& d : items_) {
    if (d.severity != Diagnostic::Severity::error) continue;
    if (!out.empty()) out += '\n';
    out += d.format();
  }
  if (error_count_ > max_stored) {
    if (!out.empty()) out += '\n';
    out += more_line(error_count_ - max_stored, "error");
  }
  return out;
}

void Diagnostics::throw_if_errors() const {
  if (has_errors()) throw ScenarioError(format_errors());
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rolling rows of the optimal-string-alignment table: row i-2 is needed for the
  // transposition case.
  const std::size_t n = b.size();
  std::vector<std::size_t> prev2(n + 1), prev(n + 1), cur(n + 1);
  for (std::size_t j = 0; j <= n; ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= n; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[n];
}

std::string did_you_mean(std::string_view unknown, const std::vector<std::string>& candidates) {
  if (unknown.empty()) return {};
  const std::string lower = to_lower(unknown);
  for (const std::string& c : candidates) {
    if (to_lower(c) == lower) return c;
  }
  const std::size_t limit = std::max<std::size_t>(1, unknown.size() / 3);
  std::size_t best = std::numeric_limits<std::size_t>::max();
  const std::string* best_candidate = nullptr;
  bool tie = false; // two candidates equally close: guessing one would mislead
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(lower, to_lower(c));
    if (d < best) {
      best = d;
      best_candidate = &c;
      tie = false;
    } else if (d == best) {
      tie = true;
    }
  }
  if (best_candidate != nullptr && best <= limit && !tie) return *best_candidate;
  if (unknown.size() >= 3) {
    for (const std::string& c : candidates) {
      if (c.size() > unknown.size() && to_lower(c).starts_with(lower)) return c;
    }
  }
  return {};
}

std::string quote(std::string_view text, std::size_t max_bytes) {
  bool cut = false;
  if (text.size() > max_bytes) {
    std::size_t end = max_bytes;
    // Back off UTF-8 continuation bytes (10xxxxxx) so no character is split.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U)
      --end;
    text = text.substr(0, end);
    cut = true;
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20U || u == 0x7FU) {
      out += "\\x";
      out += hex[u >> 4U];
      out += hex[u & 0xFU];
    } else {
      out += c;
    }
  }
  out += cut ? "...\"" : "\"";
  return out;
}

} // namespace itsim::scenarios
