// SPDX-License-Identifier: Apache-2.0
#include "tree.hpp"

#include <algorithm>

#include <array>
#include <unordered_set>
#include <utility>

#include "itsim/sim/error.hpp"
#include "yaml_source.hpp"

namespace itsim::scenarios {

const Tree* Tree::find(std::string_view key) const {
  const Entry* e = find_entry(key);
  return e != nullptr ? &e->value : nullptr;
}

Tree* Tree::find(std::string_view key) {
  return const_cast<Tree*>(std::as_const(*this).find(key));
}

const Tree::Entry* Tree::find_entry(std::string_view key) const {
  if (kind != Kind::map) return nullptr;
  for (const Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

Tree& Tree::set(std::string key, Tree value, Location key_where) {
  ITSIM_ASSERT(kind == Kind::null || kind == Kind::map);
  if (kind != Kind::map) { // null (or, by a caller bug, a scalar or sequence) becomes a map
    kind = Kind::map;
    text.clear();
    quoted = false;
    items.clear();
  }
  for (Entry& e : entries) {
    if (e.key == key) {
      e.value = std::move(value);
      if (key_where.line > 0) e.key_where = std::move(key_where);
      return e.value;
    }
  }
  entries.push_back(Entry{std::move(key), std::move(key_where), std::move(value)});
  return entries.back().value;
}

bool Tree::erase(std::string_view key) {
  if (kind != Kind::map) return false;
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (it->key == key) {
      entries.erase(it);
      return true;
    }
  }
  return false;
}

const char* Tree::kind_name() const {
  switch (kind) {
  case Kind::scalar:
    return "scalar";
  case Kind::map:
    return "map";
  case Kind::sequence:
    return "sequence";
  case Kind::null:
    break;
  }
  return "null";
}

Tree Tree::scalar(std::string text, Location where, bool quoted) {
  Tree t;
  t.kind = Kind::scalar;
  t.text = std::move(text);
  t.quoted = quoted;
  t.where = std::move(where);
  return t;
}

Tree Tree::map(Location where) {
  Tree t;
  t.kind = Kind::map;
  t.where = std::move(where);
  return t;
}

Tree Tree::sequence(Location where) {
  Tree t;
  t.kind = Kind::sequence;
  t.where = std::move(where);
  return t;
}

// ---- tree_from_yaml ----------------------------------------------------------------------

namespace {

/// Recursion is bounded by the loader's structure check (depth <= max_nesting_depth, alias
/// expansion within a node budget), so a plain recursive copy is safe.
Tree convert(const YamlDocument& doc, const YAML::Node& node) {
  Location where = location_of(doc, node);
  switch (node.Type()) {
  case YAML::NodeType::Scalar:
    // yaml-cpp tags a plain scalar "?" and a quoted or block scalar "!".
    return Tree::scalar(node.Scalar(), std::move(where), node.Tag() == "!");
  case YAML::NodeType::Sequence: {
    Tree t = Tree::sequence(std::move(where));
    t.items.reserve(node.size());
    for (const auto& element : node)
      t.items.push_back(convert(doc, element));
    return t;
  }
  case YAML::NodeType::Map: {
    Tree t = Tree::map(std::move(where));
    // Duplicate keys were reported by the loader; like yaml-cpp's node[key], keep the
    // first. A set keeps this linear for maps with many keys.
    std::unordered_set<std::string> seen;
    for (const auto& kv : node) {
      std::string key = key_text(kv.first);
      if (!seen.insert(key).second) continue;
      const Location key_where = location_of(doc, kv.first);
      Tree value = convert(doc, kv.second);
      // yaml-cpp marks an empty value (`key:` then a newline) at the token after it,
      // usually the next key; point at the key instead.
      if (value.is_null() && (value.where.line == 0 || (value.where.line > key_where.line &&
                                                        value.where.column <= key_where.column))) {
        value.where = key_where;
      }
      t.entries.push_back(Tree::Entry{std::move(key), key_where, std::move(value)});
    }
    return t;
  }
  case YAML::NodeType::Null:
  case YAML::NodeType::Undefined:
    break;
  }
  Tree t;
  t.where = std::move(where);
  return t;
}

} // namespace

Tree tree_from_yaml(const YamlDocument& doc) {
  if (!doc.root.IsDefined()) return Tree{};
  return convert(doc, doc.root);
}

// ---- emit_yaml -------------------------------------------------------------------------------

namespace {

/// Implicit keys longer than this (bytes, as written) use the explicit `? key` form: YAML
/// limits implicit keys to 1024 characters, and yaml-cpp counts bytes.
constexpr std::size_t max_implicit_key_bytes = 1000;

bool is_null_word(std::string_view t) {
  return t == "~" || t == "null" || t == "Null" || t == "NULL";
}

/// YAML 1.1 and 1.2 boolean words other than `true` and `false`, which are the format's
/// booleans and stay plain.
bool is_other_bool_word(std::string_view t) {
  static constexpr std::array<std::string_view, 20> words = {
      "y",  "Y",  "yes", "Yes", "YES", "n",   "N",    "no",   "No",    "NO",
      "on", "On", "ON",  "off", "Off", "OFF", "True", "TRUE", "False", "FALSE"};
  for (const std::string_view w : words) {
    if (t == w) return true;
  }
  return false;
}

/// Length of the special character starting at t[i] that must be escaped in a
/// double-quoted scalar and forbids a plain one, or 0: C0 controls, DEL, C1 controls
/// (U+0080..U+009F, NEL included), the line and paragraph separators U+2028 and U+2029,
/// and the byte order mark U+FEFF.
std::size_t special_at(std::string_view t, std::size_t i) {
  const auto b = [&](std::size_t k) {
    return k < t.size() ? static_cast<unsigned char>(t[k]) : 0U;
  };
  const unsigned c = b(i);
  if (c < 0x20U || c == 0x7FU) return 1;
  if (c == 0xC2U && b(i + 1) >= 0x80U && b(i + 1) <= 0x9FU) return 2;
  if (c == 0xE2U && b(i + 1) == 0x80U && (b(i + 2) == 0xA8U || b(i + 2) == 0xA9U)) return 3;
  if (c == 0xEFU && b(i + 1) == 0xBBU && b(i + 2) == 0xBFU) return 3;
  return 0;
}

/// Whether `t`, written plain (as a value or a key in block context), would read back as
/// a plain scalar with exactly this text in YAML 1.1 and 1.2 readers.
bool plain_is_safe(std::string_view t) {
  if (t.empty() || is_null_word(t) || is_other_bool_word(t) || t == "<<") return false;
  const char first = t.front();
  static constexpr std::string_view indicators = ",[]{}#&*!|>'\"%@`";
  if (indicators.find(first) != std::string_view::npos) return false;
  if ((first == '-' || first == '?' || first == ':') && (t.size() == 1 || t[1] == ' ')) {
    return false;
  }
  if (t.starts_with("---") || t.starts_with("...")) return false;
  if (first == ' ' || t.back() == ' ' || t.back() == ':') return false;
  if (t.find(": ") != std::string_view::npos || t.find(" #") != std::string_view::npos) {
    return false;
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (special_at(t, i) != 0) return false;
  }
  return true;
}

void append_hex(std::string& out, unsigned value, int digits) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (int d = digits - 1; d >= 0; --d)
    out += hex[(value >> (4 * static_cast<unsigned>(d))) & 0xFU];
}

/// `t` as a double-quoted scalar on one line.
std::string double_quoted(std::string_view t) {
  std::string out = "\"";
  for (std::size_t i = 0; i < t.size();) {
    const char c = t[i];
    const std::size_t special = special_at(t, i);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (special == 1) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\r') {
        out += "\\r";
      } else {
        out += "\\x";
        append_hex(out, u, 2);
      }
    } else if (special == 2) {
      out += "\\u00";
      append_hex(out, static_cast<unsigned char>(t[i + 1]), 2);
    } else if (special == 3) {
      out += t.substr(i, 3) == "\xEF\xBB\xBF"                ? "\\uFEFF"
             : static_cast<unsigned char>(t[i + 2]) == 0xA8U ? "\\u2028"
                                                             : "\\u2029";
    } else {
      out += c;
    }
    i += special == 0 ? 1 : special;
  }
  out += '"';
  return out;
}

/// A scalar's text as YAML: plain where that reads back the same, otherwise double-quoted.
/// A scalar written quoted stays quoted, so that it reads back as a string (`"1e3"`,
/// `"true"`) and `quoted` survives the round trip.
std::string scalar_text(std::string_view text, bool quoted) {
  if (!quoted && plain_is_safe(text)) return std::string(text);
  return double_quoted(text);
}

/// Longest flow collection (`[1, 1, 1]`, `{done: 0.7, l2: 0.3}`) written on one line.
constexpr std::size_t max_flow_bytes = 80;

/// A scalar inside a flow collection, where `,[]{}` are indicators too.
std::string flow_scalar_text(std::string_view text, bool quoted) {
  // Flow context has more indicators than block context (and yaml-cpp reads some of them
  // more strictly than YAML 1.2 does), so only plain text of word characters stays plain.
  const bool simple = std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '/' || c == '+' || c == '-' || c == ' ';
  });
  if (!quoted && simple && plain_is_safe(text)) return std::string(text);
  return double_quoted(text);
}

/// A map or sequence of scalars, written in flow style: `[a, b]`, `{k: v}`; empty when it
/// has another collection inside, spans lines or is longer than max_flow_bytes.
std::string flow_text(const Tree& t) {
  std::string out(1, t.is_map() ? '{' : '[');
  auto add = [&out](const Tree& v) {
    if (!v.is_scalar() || v.text.find('\n') != std::string::npos) return false;
    out += flow_scalar_text(v.text, v.quoted);
    return true;
  };
  bool first = true;
  if (t.is_map()) {
    for (const Tree::Entry& e : t.entries) {
      if (!first) out += ", ";
      first = false;
      if (e.key.find('\n') != std::string::npos) return {};
      out += flow_scalar_text(e.key, false) + ": ";
      if (!add(e.value)) return {};
      if (out.size() > max_flow_bytes) return {};
    }
  } else {
    for (const Tree& item : t.items) {
      if (!first) out += ", ";
      first = false;
      if (!add(item)) return {};
      if (out.size() > max_flow_bytes) return {};
    }
  }
  out += t.is_map() ? '}' : ']';
  return out.size() > max_flow_bytes ? std::string() : out;
}

bool is_inline(const Tree& t, YamlLayout layout) {
  return t.is_null() || t.is_scalar() || (t.is_map() && t.entries.empty()) ||
         (t.is_sequence() && t.items.empty()) ||
         (layout == YamlLayout::compact && !flow_text(t).empty());
}

std::string inline_text(const Tree& t) {
  switch (t.kind) {
  case Tree::Kind::scalar:
    return scalar_text(t.text, t.quoted);
  case Tree::Kind::map:
    return t.entries.empty() ? "{}" : flow_text(t);
  case Tree::Kind::sequence:
    return t.items.empty() ? "[]" : flow_text(t);
  case Tree::Kind::null:
    break;
  }
  return "null";
}

class Emitter {
public:
  explicit Emitter(YamlLayout layout) : layout_(layout) {}

  std::string run(const Tree& root) {
    if (is_inline(root, layout_)) {
      out_ = inline_text(root) + "\n";
    } else {
      block(root, 0, false);
    }
    return std::move(out_);
  }

private:
  /// A non-empty map or sequence, its lines indented by `indent` spaces. When `continued`,
  /// the first line goes on after text already written (`- ` of a sequence item).
  void block(const Tree& t, std::size_t indent, bool continued) {
    bool first = true;
    if (t.is_map()) {
      for (const Tree::Entry& e : t.entries) {
        if (!first || !continued) out_.append(indent, ' ');
        first = false;
        const std::string key = scalar_text(e.key, false);
        if (key.size() > max_implicit_key_bytes) {
          out_ += "? " + key + "\n";
          out_.append(indent, ' ');
          out_ += ':';
        } else {
          out_ += key + ":";
        }
        value(e.value, indent);
      }
    } else {
      for (const Tree& item : t.items) {
        if (!first || !continued) out_.append(indent, ' ');
        first = false;
        out_ += '-';
        if (is_inline(item, layout_)) {
          out_ += ' ' + inline_text(item) + '\n';
        } else {
          out_ += ' ';
          block(item, indent + 2, true);
        }
      }
    }
  }

  /// The value of a map entry, after its `key:`.
  void value(const Tree& v, std::size_t indent) {
    if (is_inline(v, layout_)) {
      out_ += ' ' + inline_text(v) + '\n';
    } else {
      out_ += '\n';
      block(v, indent + 2, false);
    }
  }

  YamlLayout layout_;
  std::string out_;
};

} // namespace

std::string emit_yaml(const Tree& tree, YamlLayout layout) {
  return Emitter(layout).run(tree);
}

} // namespace itsim::scenarios
