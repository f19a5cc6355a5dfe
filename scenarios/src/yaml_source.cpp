// SPDX-License-Identifier: Apache-2.0
#include "yaml_source.hpp"

#include <cerrno>
#include <cstring>
#include <istream>
#include <map>
#include <set>
#include <streambuf>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include "itsim/scenarios/input_error.hpp"

namespace itsim::scenarios {

namespace {

const std::string too_large_message = "file is larger than 16 MiB; not a scenario";
const std::string too_deep_message =
    "nesting is deeper than " + std::to_string(max_nesting_depth) + " levels";
const std::string tab_message = "tabs are not allowed for indentation; use spaces";

[[noreturn]] void throw_cannot_read(const std::string& path, int err) {
  throw InputError(path + ": cannot read: " + std::strerror(err));
}

/// Reads the whole file, or at most max_scenario_bytes + 1 bytes (enough to know it is too
/// large without reading a huge file or an endless device). POSIX I/O because errno is
/// what the InputError message needs, and iostreams do not report it reliably.
std::string read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_cannot_read(path, errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_cannot_read(path, errno);
  if (S_ISDIR(st.st_mode)) throw_cannot_read(path, EISDIR);
  std::string text;
  const std::size_t limit = max_scenario_bytes + 1;
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    text.reserve(std::min(limit, static_cast<std::size_t>(st.st_size)));
  }
  char buffer[65536];
  while (text.size() < limit) {
    const std::size_t want = std::min(sizeof buffer, limit - text.size());
    const ssize_t got = ::read(fd, buffer, want);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw_cannot_read(path, errno);
    }
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  return text;
}

/// 1-based line and column (bytes) of byte offset `pos` in `text`.
Location location_at(const std::string& file, std::string_view text, std::size_t pos) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < pos; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {file, line, static_cast<int>(pos - line_start + 1)};
}

/// Checks that text is UTF-8 without NUL bytes; reports the first offending byte (the
/// lead byte of a bad sequence). Overlong forms, surrogates and code points above
/// U+10FFFF are invalid, as RFC 3629 says.
bool check_encoding(std::string_view text, const std::string& file, Diagnostics& diags) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const auto cont = [&](std::size_t i, unsigned lo = 0x80U, unsigned hi = 0xBFU) {
    return i < text.size() && byte(i) >= lo && byte(i) <= hi;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const unsigned b = byte(i);
    std::size_t len = 0;
    if (b == 0) {
      diags.error(location_at(file, text, i), "", "contains a NUL byte");
      return false;
    }
    if (b < 0x80U) {
      len = 1;
    } else if (b >= 0xC2U && b <= 0xDFU) {
      len = cont(i + 1) ? 2 : 0;
    } else if (b == 0xE0U) {
      len = cont(i + 1, 0xA0U) && cont(i + 2) ? 3 : 0;
    } else if (b == 0xEDU) {
      len = cont(i + 1, 0x80U, 0x9FU) && cont(i + 2) ? 3 : 0;
    } else if (b >= 0xE1U && b <= 0xEFU) {
      len = cont(i + 1) && cont(i + 2) ? 3 : 0;
    } else if (b == 0xF0U) {
      len = cont(i + 1, 0x90U) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    } else if (b >= 0xF1U && b <= 0xF3U) {
      len = cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    } else if (b == 0xF4U) {
      len = cont(i + 1, 0x80U, 0x8FU) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    }
    if (len == 0) {
      diags.error(location_at(file, text, i), "", "not UTF-8 text");
      return false;
    }
    i += len;
  }
  return true;
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}
bool is_flow_indicator(char c) {
  return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
}

/// A light YAML lexer run before yaml-cpp, line by line. It finds tabs in indentation and
/// counts flow brackets ('[' and '{') so that yaml-cpp never sees more than
/// max_nesting_depth of them nested (it would recurse once per level). It knows quoted
/// scalars, comments, block scalars (`|`, `>`) and where a scalar may start, so that a
/// '[' inside a string or comment is not counted; where it is unsure it counts a bracket
/// (an overcount can only turn absurd nesting into an error a little early).
///
/// It also remembers where things open: a quoted scalar still open at the end of the text
/// is reported at its opening quote (yaml-cpp 0.7 accepts `"abc` up to the end of the
/// file as one string), and the outermost flow bracket still open at the end is returned
/// in `unclosed_flow`, for a better location than yaml-cpp's "end of map flow not found",
/// which points wherever it gave up.
bool prescan(std::string_view text, const std::string& file, std::string_view noun,
             Diagnostics& diags, Location& unclosed_flow) {
  enum class Quote : std::uint8_t { none, single, dbl };
  Quote quote = Quote::none;
  Location quote_opened{file, 0, 0};
  int flow_depth = 0;
  Location outermost_flow{file, 0, 0}; // where the bracket at depth 1 opened
  bool in_block_scalar = false;
  std::size_t block_indent = 0; // leading spaces of the line that opened the block scalar
  bool ok = true;

  std::size_t line_start = 0;
  int line_no = 0;
  while (line_start <= text.size()) {
    ++line_no;
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    const std::string_view line = text.substr(line_start, line_end - line_start);
    line_start = line_end + 1;

    std::size_t leading_spaces = 0;
    while (leading_spaces < line.size() && line[leading_spaces] == ' ')
      ++leading_spaces;
    std::size_t content = 0;
    std::size_t first_tab = std::string_view::npos;
    while (content < line.size() && is_blank(line[content])) {
      if (line[content] == '\t' && first_tab == std::string_view::npos) first_tab = content;
      ++content;
    }
    const bool blank = content == line.size();

    if (in_block_scalar) {
      if (blank || leading_spaces > block_indent) continue; // scalar content: anything goes
      in_block_scalar = false;
    }
    // A tab before a comment is legal YAML, but yaml-cpp rejects it ("illegal tab when
    // looking for indentation") after the first line, so it is reported here too.
    if (quote == Quote::none && flow_depth == 0 && first_tab != std::string_view::npos && !blank) {
      diags.error({file, line_no, static_cast<int>(first_tab + 1)}, "", tab_message);
      ok = false;
    }

    bool at_start = quote == Quote::none; // where a scalar or collection may begin
    std::size_t j = content;
    if (quote == Quote::none && line.substr(j, 3) == "---" &&
        (j + 3 == line.size() || is_blank(line[j + 3]))) {
      j += 3; // document start marker
    }
    for (; j < line.size(); ++j) {
      const char c = line[j];
      if (quote == Quote::dbl) {
        if (c == '\\') {
          ++j;
        } else if (c == '"') {
          quote = Quote::none;
        }
        continue;
      }
      if (quote == Quote::single) {
        if (c == '\'') {
          if (j + 1 < line.size() && line[j + 1] == '\'') {
            ++j;
          } else {
            quote = Quote::none;
          }
        }
        continue;
      }
      if (is_blank(c)) continue;
      if (c == '#' && (j == 0 || is_blank(line[j - 1]))) break; // comment
      const bool next_blank = j + 1 == line.size() || is_blank(line[j + 1]);
      if (c == '[' || c == '{') {
        // In flow context every bracket opens a collection; in block context only one
        // where a value starts ("a[1]" is a plain scalar). Counting a doubtful one errs
        // on the safe side.
        if (at_start || flow_depth > 0) {
          if (++flow_depth > max_nesting_depth) {
            diags.error({file, line_no, static_cast<int>(j + 1)}, "", too_deep_message);
            return false;
          }
          if (flow_depth == 1) outermost_flow = {file, line_no, static_cast<int>(j + 1)};
          at_start = true;
          continue;
        }
      }
      if (at_start) {
        if (c == '"' || c == '\'') {
          quote = c == '"' ? Quote::dbl : Quote::single;
          quote_opened = {file, line_no, static_cast<int>(j + 1)};
          continue;
        }
        if (flow_depth == 0 && (c == '|' || c == '>')) {
          in_block_scalar = true;
          block_indent = leading_spaces;
          break; // the rest of the line is the block header and a comment
        }
        if (c == '&' || c == '!') { // anchor or tag: a value may still follow
          while (j + 1 < line.size() && !is_blank(line[j + 1]) &&
                 !(flow_depth > 0 && is_flow_indicator(line[j + 1]))) {
            ++j;
          }
          continue;
        }
      }
      if (flow_depth > 0) {
        if (c == ']' || c == '}') {
          --flow_depth;
          at_start = false;
        } else if (c == ',') {
          at_start = true;
        } else if (c == ':' && (next_blank || is_flow_indicator(line[j + 1]))) {
          at_start = true;
        } else if ((c == '?' || c == '-') && at_start && next_blank) {
          at_start = true;
        } else {
          at_start = false;
        }
      } else if ((c == '-' || c == '?' || c == ':') && next_blank) {
        at_start = true; // sequence entry, complex key or mapping value indicator
      } else {
        at_start = false;
      }
    }
  }
  if (quote != Quote::none && ok) {
    diags.error(quote_opened, "",
                std::string("unclosed quoted string: no closing ") +
                    (quote == Quote::dbl ? "'\"'" : "\"'\"") + " before the end of the " +
                    std::string(noun));
    return false;
  }
  if (flow_depth > 0) unclosed_flow = outermost_flow;
  return ok;
}

/// Builds the key path of the node at the top of a walk (segments pushed as "key" or
/// "[i]").
std::string join_segments(const std::string& base, const std::vector<std::string>& segments) {
  std::string out = base;
  for (const std::string& s : segments) {
    if (!s.empty() && s.front() == '[') {
      out += s;
    } else {
      out = key_path_join(out, s);
    }
  }
  return out;
}

/// Walks the parsed tree once to bound what later walkers (the scenario loader, the
/// duplicate-key check) can meet: depth at most max_nesting_depth, no alias cycles, and at
/// most `budget` nodes visited (aliases share nodes, so a small file can expand to
/// billions of them).
class StructureCheck {
public:
  StructureCheck(const YamlDocument& doc, Diagnostics& diags, std::size_t budget)
      : doc_(doc), diags_(diags), budget_(budget) {}

  bool run() {
    visit(doc_.root, 0);
    return !failed_;
  }

private:
  void visit(const YAML::Node& node, int depth) {
    if (failed_) return;
    if (++visits_ > budget_) {
      fail(node,
           "aliases expand to more than " + std::to_string(budget_) + " nodes; not a scenario");
      return;
    }
    if (!node.IsMap() && !node.IsSequence()) return;
    if (depth + 1 > max_nesting_depth) {
      for (const YAML::Node& a : ancestors_) {
        if (a.is(node)) {
          fail(node, "an alias refers to a node that contains it (a cycle)");
          return;
        }
      }
      fail(node, too_deep_message);
      return;
    }
    ancestors_.push_back(node);
    if (node.IsMap()) {
      for (const auto& kv : node) {
        segments_.push_back(key_text(kv.first));
        visit(kv.first, depth + 1);
        visit(kv.second, depth + 1);
        segments_.pop_back();
        if (failed_) break;
      }
    } else {
      std::size_t i = 0;
      for (const auto& element : node) {
        segments_.push_back("[" + std::to_string(i++) + "]");
        visit(element, depth + 1);
        segments_.pop_back();
        if (failed_) break;
      }
    }
    ancestors_.pop_back();
  }

  void fail(const YAML::Node& node, std::string message) {
    diags_.error(location_of(doc_, node), join_segments("", segments_), std::move(message));
    failed_ = true;
  }

  const YamlDocument& doc_;
  Diagnostics& diags_;
  std::size_t budget_;
  std::size_t visits_ = 0;
  bool failed_ = false;
  std::vector<YAML::Node> ancestors_;
  std::vector<std::string> segments_;
};

class DuplicateKeyCheck {
public:
  DuplicateKeyCheck(const YamlDocument& doc, Diagnostics& diags) : doc_(doc), diags_(diags) {}

  void visit(const YAML::Node& node, const std::string& path, int depth) {
    if (depth >= max_nesting_depth) return;
    if (node.IsMap()) {
      std::map<std::string, int> first_line; // key text -> 1-based line of first occurrence
      for (const auto& kv : node) {
        const YAML::Node& key = kv.first;
        const std::string child = key_path_join(path, key_text(key));
        if (key.IsScalar()) {
          const Location where = location_of(doc_, key);
          const auto [it, inserted] = first_line.emplace(key.Scalar(), where.line);
          if (!inserted && reported_.emplace(where.line, where.column).second) {
            diags_.error(where, child,
                         "duplicate key " + quote(key.Scalar()) + " (first at line " +
                             std::to_string(it->second) + ")");
          }
        } else {
          visit(key, child, depth + 1);
        }
        visit(kv.second, child, depth + 1);
      }
    } else if (node.IsSequence()) {
      std::size_t i = 0;
      for (const auto& element : node)
        visit(element, key_path_index(path, i++), depth + 1);
    }
  }

private:
  const YamlDocument& doc_;
  Diagnostics& diags_;
  std::set<std::pair<int, int>> reported_; // (line, column) of keys already reported
};

/// 1-based location of a yaml-cpp mark (0-based); a null mark gives line 0.
Location mark_location(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

/// Records where each document starts; ignores everything else.
class DocumentStarts final : public YAML::EventHandler {
public:
  explicit DocumentStarts(std::vector<YAML::Mark>& starts) : starts_(starts) {}
  void OnDocumentStart(const YAML::Mark& mark) override { starts_.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

private:
  std::vector<YAML::Mark>& starts_;
};

/// A read-only stream over a string without copying it.
class ViewBuffer final : public std::streambuf {
public:
  explicit ViewBuffer(std::string& text) {
    setg(text.data(), text.data(), text.data() + text.size());
  }
};

/// The start marks of the first documents in text: at most three, enough to tell one
/// document, a second one, and the parser stuck on a token (two starts at one position).
/// Throws what yaml-cpp throws for a syntax error.
std::vector<YAML::Mark> document_starts(std::string& text) {
  ViewBuffer buffer(text);
  std::istream in(&buffer);
  YAML::Parser parser(in);
  std::vector<YAML::Mark> starts;
  DocumentStarts handler(starts);
  while (starts.size() < 3 && parser.HandleNextDocument(handler)) {
  }
  return starts;
}

/// yaml-cpp 0.7 starts an empty document at a token it cannot use (such as a stray ',')
/// and never moves past it; report that token.
void report_stuck(const YamlDocument& doc, std::string_view text, const YAML::Mark& mark,
                  Diagnostics& diags) {
  const auto pos = static_cast<std::size_t>(mark.pos);
  const std::string token = pos < text.size() ? quote(text.substr(pos, 1)) : "end of input";
  diags.error(mark_location(doc.file, mark), "", "unexpected " + token);
}

/// What the top level of a document may be.
enum class RootRule : std::uint8_t {
  map, ///< a scenario file: a map; anything else, empty included, is an error
  any, ///< a value (--set): any kind; an empty text gives a null root
};

/// Reports a scenario root that is not a map; true when it is one.
bool check_map_root(const YamlDocument& doc, const YAML::Node& root, bool no_document,
                    Diagnostics& diags) {
  const std::string empty_message = "empty scenario: expected a map of settings";
  if (no_document) {
    diags.error({doc.file, 1, 1}, "", empty_message);
    return false;
  }
  if (root.IsNull()) {
    const Location where = location_of(doc, root);
    diags.error(where.line > 0 ? where : Location{doc.file, 1, 1}, "", empty_message);
    return false;
  }
  if (!root.IsMap()) {
    diags.error(location_of(doc, root), "",
                "expected a map at the top level, got a " + node_kind(root));
    return false;
  }
  return true;
}

/// load_yaml_string and load_yaml_value: the checks of load_yaml_file in order, with the
/// root rule in place of the map check.
YamlDocument load_text(std::string text, std::string file_label, RootRule rule,
                       Diagnostics& diags) {
  YamlDocument doc{std::move(file_label), YAML::Node()};
  if (text.size() > max_scenario_bytes) {
    diags.error({doc.file, 0, 0}, "", too_large_message);
    return doc;
  }
  if (!check_encoding(text, doc.file, diags)) return doc;
  Location unclosed_flow{doc.file, 0, 0};
  const std::string_view noun = rule == RootRule::map ? "file" : "value";
  if (!prescan(text, doc.file, noun, diags, unclosed_flow)) return doc;

  // Two passes: an event-only pass that finds where documents start, then YAML::Load for
  // the tree of the first. YAML::LoadAll is not used: in yaml-cpp 0.7 it loops forever,
  // allocating, on a stray ',' (jbeder/yaml-cpp#1040, fixed upstream by #1319), because
  // the parser reports an empty document without consuming the token.
  std::vector<YAML::Mark> starts;
  YAML::Node root;
  try {
    starts = document_starts(text);
    if (starts.size() >= 2 && starts[1].pos == starts[0].pos) {
      report_stuck(doc, text, starts[0], diags);
      return doc;
    }
    if (starts.size() >= 3 && starts[2].pos == starts[1].pos) {
      report_stuck(doc, text, starts[1], diags);
      return doc;
    }
    if (starts.size() >= 2) {
      diags.error(mark_location(doc.file, starts[1]), "",
                  "a scenario file holds one YAML document; found a second one (remove the "
                  "'---' line)");
      return doc;
    }
    if (!starts.empty()) root = YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own guard (it says "bad file"); the prescan does not count block nesting.
    diags.error(mark_location(doc.file, e.mark), "", too_deep_message);
    return doc;
  } catch (const YAML::Exception& e) {
    const bool flow_end =
        e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW || e.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW;
    if (flow_end && unclosed_flow.line > 0) {
      const Location gave_up = mark_location(doc.file, e.mark);
      std::string message = std::string("unclosed ") + (e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW
                                                            ? "'{': no matching '}'"
                                                            : "'[': no matching ']'");
      const auto pos = static_cast<std::size_t>(std::max(e.mark.pos, 0));
      if (text.find_first_not_of(" \t\r\n", std::min(pos, text.size())) == std::string::npos) {
        message += " before the end of the " + std::string(noun);
      } else if (gave_up.line > unclosed_flow.line) {
        message += " (the parser gave up at line " + std::to_string(gave_up.line) + ", column " +
                   std::to_string(gave_up.column) + ")";
      }
      diags.error(unclosed_flow, "", std::move(message));
    } else {
      diags.error(mark_location(doc.file, e.mark), "", e.msg);
    }
    return doc;
  }

  if (rule == RootRule::map) {
    if (!check_map_root(doc, root, starts.empty(), diags)) return doc;
  } else if (starts.empty()) {
    return doc; // an empty value: null
  }

  doc.root = root;
  // Without aliases a tree has about as many nodes as the text has bytes at most ("?\n" is
  // two bytes and three nodes with its map), so twice that only an alias bomb exceeds.
  if (!StructureCheck(doc, diags, 2 * text.size() + 10000).run()) {
    doc.root = YAML::Node();
    return doc;
  }
  check_duplicate_keys(doc, doc.root, "", diags);
  return doc;
}

} // namespace

YamlDocument load_yaml_file(const std::string& path, Diagnostics& diags) {
  return load_yaml_file(path, path, diags);
}

YamlDocument load_yaml_file(const std::string& path, std::string file_label, Diagnostics& diags) {
  std::string text = read_file(path);
  return load_yaml_string(std::move(text), std::move(file_label), diags);
}

YamlDocument load_yaml_string(std::string text, std::string file_label, Diagnostics& diags) {
  return load_text(std::move(text), std::move(file_label), RootRule::map, diags);
}

YamlDocument load_yaml_value(std::string text, std::string file_label, Diagnostics& diags) {
  return load_text(std::move(text), std::move(file_label), RootRule::any, diags);
}

Location location_of(const YamlDocument& doc, const YAML::Node& node) {
  if (!node.IsDefined()) return {doc.file, 0, 0};
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {doc.file, 0, 0};
  return {doc.file, mark.line + 1, mark.column + 1};
}

void check_duplicate_keys(const YamlDocument& doc, const YAML::Node& node, const std::string& path,
                          Diagnostics& diags) {
  DuplicateKeyCheck(doc, diags).visit(node, path, 0);
}

std::string node_kind(const YAML::Node& node) {
  if (!node.IsDefined()) return "undefined";
  switch (node.Type()) {
  case YAML::NodeType::Map:
    return "map";
  case YAML::NodeType::Sequence:
    return "sequence";
  case YAML::NodeType::Scalar:
    return "scalar";
  case YAML::NodeType::Null:
    return "null";
  case YAML::NodeType::Undefined:
    break;
  }
  return "undefined";
}

std::string key_text(const YAML::Node& key) {
  return key.IsScalar() ? key.Scalar() : std::string("<") + node_kind(key) + " key>";
}

std::string key_path_join(std::string_view parent, std::string_view key) {
  std::string out(parent);
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

std::string key_path_index(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

} // namespace itsim::scenarios
