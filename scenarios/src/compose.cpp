// SPDX-License-Identifier: Apache-2.0
#include "compose.hpp"

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "itsim/scenarios/input_error.hpp"
#include "yaml_source.hpp"

namespace itsim::scenarios {

namespace {

namespace fs = std::filesystem;

/// Most files loaded through `extends:` for one scenario, counting a file once per time it
/// is reached. The depth limit alone still allows a file naming the same base many times
/// at every level, which would take exponential time.
constexpr std::size_t max_extends_visits = 1000;

const std::string set_label = "--set";

/// The path as canonical as the file system allows, for cycle detection: symlinks and
/// `..` resolved where the path exists, lexically normalised where it does not.
std::string canonical_text(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  if (!ec) return c.string();
  c = fs::absolute(p, ec);
  if (!ec) return c.lexically_normal().string();
  return p.lexically_normal().string();
}

/// The reason in an InputError from load_yaml_file (`PATH: cannot read: REASON`).
std::string read_failure_reason(const InputError& e, const std::string& path) {
  const std::string message = e.what();
  const std::string prefix = path + ": cannot read: ";
  if (message.starts_with(prefix)) return message.substr(prefix.size());
  return message;
}

/// One `extends` entry: the path as written and where it is.
struct BaseRef {
  std::string path;
  Location where;
  std::string key_path;
};

/// Follows `extends:` from one root file, depth first, keeping the chain of files being
/// composed (for cycles and depth) and each file's parse (so that a file named from
/// several places is read, and its errors reported, once).
class Composer {
public:
  explicit Composer(Diagnostics& diags) : diags_(diags) {}

  /// Composes the document loaded from `shown` (a file path or label; `canonical` empty
  /// when it is not a file) whose relative `extends` resolve against `dir`.
  Tree compose_root(const YamlDocument& doc, const std::string& canonical, const fs::path& dir) {
    if (doc.root.IsNull()) return Tree{}; // the loader reported why
    chain_.push_back({doc.file, canonical});
    Tree result = compose(tree_from_yaml(doc), dir, 1);
    chain_.pop_back();
    if (failed_) return Tree{};
    return result;
  }

private:
  struct Link {
    std::string shown;     ///< the path as the user wrote or it was joined
    std::string canonical; ///< for cycle detection; empty for text not from a file
  };
  struct Parsed {
    bool ok = false;
    std::string unreadable; ///< the reason when the file could not be read at all
    Tree tree;              ///< the file's own tree, `extends` still in it
  };

  /// `own` (a file's tree) on top of its bases; `depth` is the file's place in the chain.
  Tree compose(Tree own, const fs::path& dir, int depth) {
    Tree result;
    if (own.is_map()) {
      if (const Tree::Entry* ext = own.find_entry("extends")) {
        const std::vector<BaseRef> bases = base_refs(*ext);
        own.erase("extends");
        for (const BaseRef& base : bases) {
          Tree composed = compose_base(base, dir, depth);
          if (!composed.is_null()) merge_into(result, std::move(composed));
        }
      }
    }
    merge_into(result, std::move(own));
    return result;
  }

  /// The paths named by an `extends` entry; reports entries that are not paths.
  std::vector<BaseRef> base_refs(const Tree::Entry& ext) {
    std::vector<BaseRef> out;
    const Tree& v = ext.value;
    const Location where = v.where.line > 0 ? v.where : ext.key_where;
    const std::string key_path = "extends";
    if (v.is_scalar()) {
      if (v.text.empty()) {
        error(where, key_path, "expected a path, got an empty string");
      } else {
        out.push_back({v.text, where, key_path});
      }
    } else if (v.is_sequence()) {
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        const Tree& item = v.items[i];
        const std::string item_path = key_path_index(key_path, i);
        if (item.is_scalar() && !item.text.empty()) {
          out.push_back({item.text, item.where, item_path});
        } else if (item.is_scalar()) {
          error(item.where, item_path, "expected a path, got an empty string");
        } else {
          error(item.where, item_path, std::string("expected a path, got a ") + item.kind_name());
        }
      }
    } else {
      error(where, key_path,
            std::string("expected a path or a list of paths, got a ") + v.kind_name());
    }
    return out;
  }

  /// The composed tree of one base, or a null tree after reporting why there is none.
  Tree compose_base(const BaseRef& base, const fs::path& dir, int depth) {
    const fs::path joined = dir / base.path; // an absolute base.path replaces dir
    // Messages name the file as a person would write it ("a/include/../b.yaml" is shown
    // as "a/b.yaml"); it is read by the path as written, which symlinks may make differ.
    const std::string shown = joined.lexically_normal().string();
    const std::string canonical = canonical_text(joined);

    for (std::size_t i = 0; i < chain_.size(); ++i) {
      if (chain_[i].canonical != canonical) continue;
      std::string cycle = "extends cycle: ";
      for (std::size_t j = i; j < chain_.size(); ++j)
        cycle += chain_[j].shown + " -> ";
      error(base.where, base.key_path, cycle + shown);
      return Tree{};
    }
    if (depth + 1 > max_extends_depth) {
      error(base.where, base.key_path,
            "extends chain is deeper than " + std::to_string(max_extends_depth) + " files");
      return Tree{};
    }
    if (++visits_ > max_extends_visits) {
      error(base.where, base.key_path,
            "extends reaches more than " + std::to_string(max_extends_visits) +
                " files in all; not a scenario");
      return Tree{};
    }

    // A base is a file: a device or a pipe named by `extends` could block the load.
    std::error_code ec;
    const fs::file_status st = fs::status(joined, ec);
    if (!ec && fs::exists(st) && !fs::is_regular_file(st) && !fs::is_directory(st)) {
      error(base.where, base.key_path, "cannot read " + quote(base.path) + ": not a regular file");
      return Tree{};
    }
    const Parsed& parsed = parse(joined.string(), shown, canonical);
    if (!parsed.unreadable.empty()) {
      error(base.where, base.key_path,
            "cannot read " + quote(base.path) + ": " + parsed.unreadable);
      return Tree{};
    }
    if (!parsed.ok) {
      failed_ = true; // load_yaml_file reported why
      return Tree{};
    }
    chain_.push_back({shown, canonical});
    Tree result = compose(parsed.tree, joined.parent_path(), depth + 1);
    chain_.pop_back();
    return result;
  }

  const Parsed& parse(const std::string& path, const std::string& shown,
                      const std::string& canonical) {
    if (const auto it = parsed_.find(canonical); it != parsed_.end()) return it->second;
    Parsed p;
    try {
      const YamlDocument doc = load_yaml_file(path, shown, diags_);
      if (!doc.root.IsNull()) {
        p.ok = true;
        p.tree = tree_from_yaml(doc);
      }
    } catch (const InputError& e) {
      p.unreadable = read_failure_reason(e, shown);
    }
    return parsed_.emplace(canonical, std::move(p)).first->second;
  }

  /// Reports an error once: a file reached along two paths has its `extends` checked twice.
  void error(const Location& where, const std::string& key_path, std::string message) {
    failed_ = true;
    const Diagnostic d{Diagnostic::Severity::error, where, key_path, message};
    if (!reported_.insert(d.format()).second) return;
    diags_.error(where, key_path, std::move(message));
  }

  Diagnostics& diags_;
  std::vector<Link> chain_;
  std::map<std::string, Parsed> parsed_; ///< by canonical path
  std::set<std::string> reported_;
  std::size_t visits_ = 0;
  bool failed_ = false;
};

// ---- overrides -------------------------------------------------------------------------------

/// One segment of KEY.PATH and its byte offset in the assignment.
struct Segment {
  std::string_view key;
  std::size_t offset;
};

/// Moves every location of `t` (parsed from the VALUE text alone, lines and columns within
/// it) into the assignment: line `ordinal`, the column counted from the assignment's start.
class ValueRelocator {
public:
  ValueRelocator(std::string_view value, std::size_t value_offset, int ordinal)
      : value_offset_(value_offset), ordinal_(ordinal) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  Location operator()(const Location& l) const {
    if (l.line <= 0) return {set_label, ordinal_, 0};
    const auto line = static_cast<std::size_t>(l.line - 1);
    const std::size_t start = line < line_starts_.size() ? line_starts_[line] : 0;
    const std::size_t column = l.column > 0 ? static_cast<std::size_t>(l.column) : 1;
    return {set_label, ordinal_, static_cast<int>(value_offset_ + start + column)};
  }

  void relocate(Tree& t) const {
    t.where = (*this)(t.where);
    for (Tree::Entry& e : t.entries) {
      e.key_where = (*this)(e.key_where);
      relocate(e.value);
    }
    for (Tree& item : t.items)
      relocate(item);
  }

private:
  std::size_t value_offset_;
  int ordinal_;
  std::vector<std::size_t> line_starts_;
};

std::vector<std::string> keys_of(const Tree& t) {
  std::vector<std::string> keys;
  for (const Tree::Entry& e : t.entries)
    keys.push_back(e.key);
  return keys;
}

} // namespace

Tree load_composed_file(const std::string& path, Diagnostics& diags) {
  const YamlDocument doc = load_yaml_file(path, diags); // InputError propagates (exit 66)
  return Composer(diags).compose_root(doc, canonical_text(path), fs::path(path).parent_path());
}

Tree load_composed_string(std::string text, const std::string& file_label,
                          const std::string& base_dir, Diagnostics& diags) {
  const YamlDocument doc = load_yaml_string(std::move(text), file_label, diags);
  return Composer(diags).compose_root(doc, "", fs::path(base_dir));
}

void merge_into(Tree& base, Tree over) {
  if (!base.is_map() || !over.is_map()) {
    base = std::move(over);
    return;
  }
  if (over.where.line > 0) base.where = std::move(over.where);
  base.defaulted = base.defaulted && over.defaulted;
  std::unordered_map<std::string_view, std::size_t> index; // key -> position in base
  index.reserve(base.entries.size() + over.entries.size());
  for (std::size_t i = 0; i < base.entries.size(); ++i)
    index.emplace(base.entries[i].key, i);
  // Appending may reallocate base.entries, which would leave the string_views dangling:
  // collect the new entries first.
  std::vector<Tree::Entry> added;
  std::vector<std::string> removed;
  for (Tree::Entry& e : over.entries) {
    const auto it = index.find(e.key);
    if (e.value.is_null()) {
      // A null removes what the base has under the key (`stages: {release: ~}`), so that
      // a file or a model can drop what it inherits; a null with nothing under it is
      // dropped too.
      if (it != index.end()) removed.push_back(e.key);
      continue;
    }
    if (it == index.end()) {
      added.push_back(std::move(e));
      continue;
    }
    Tree::Entry& target = base.entries[it->second];
    if (e.key_where.line > 0) target.key_where = std::move(e.key_where);
    merge_into(target.value, std::move(e.value));
  }
  for (const std::string& key : removed)
    base.erase(key);
  for (Tree::Entry& e : added)
    base.entries.push_back(std::move(e));
}

namespace {

/// The KEY.PATH of one override split at its dots, with the offset of each segment; the
/// offset of VALUE in `value_offset`. Reports what is malformed and returns nothing then.
std::optional<std::vector<Segment>> split_assignment(std::string_view assignment, int ordinal,
                                                     std::size_t& value_offset,
                                                     Diagnostics& diags) {
  const auto at = [&](std::size_t offset) {
    return Location{set_label, ordinal, static_cast<int>(offset + 1)};
  };
  const std::size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    diags.error(at(0), "", "expected KEY.PATH=VALUE, got " + quote(assignment));
    return std::nullopt;
  }
  const std::string_view path = assignment.substr(0, eq);
  if (path.empty()) {
    diags.error(at(0), "", "expected KEY.PATH=VALUE, got nothing before '='");
    return std::nullopt;
  }
  value_offset = eq + 1;
  bool ok = true;
  std::vector<Segment> segments;
  for (std::size_t start = 0;;) {
    const std::size_t dot = path.find('.', start);
    const std::size_t end = dot == std::string_view::npos ? path.size() : dot;
    segments.push_back({path.substr(start, end - start), start});
    if (segments.back().key.empty()) {
      diags.error(at(start), std::string(path), "empty key in the path");
      ok = false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (!ok) return std::nullopt;
  return segments;
}

} // namespace

bool check_override_syntax(std::string_view assignment, int ordinal, Diagnostics& diags) {
  std::size_t value_offset = 0;
  return split_assignment(assignment, ordinal, value_offset, diags).has_value();
}

void apply_override(Tree& root, std::string_view assignment, int ordinal, const PathKnown& known,
                    Diagnostics& diags) {
  const auto at = [&](std::size_t offset) {
    return Location{set_label, ordinal, static_cast<int>(offset + 1)};
  };
  const std::size_t errors_before = diags.error_count();
  std::size_t value_offset = 0;
  const auto split = split_assignment(assignment, ordinal, value_offset, diags);
  if (!split && value_offset == 0) return; // no '=' or no path: nothing to parse
  const std::vector<Segment> segments = split.value_or(std::vector<Segment>{});
  const std::string path_text(assignment.substr(0, value_offset - 1));

  // Check the whole path before changing anything.
  if (split) {
    const Tree* cur = &root; // a map or null (an empty map) while walking existing nodes
    bool creating = false;
    std::string prefix;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const std::string key(segments[i].key);
      prefix = key_path_join(prefix, key);
      if (!creating) {
        if (!cur->is_map() && !cur->is_null()) {
          // Only the root can get here: intermediate nodes are checked below.
          diags.error(at(0), prefix,
                      std::string("the scenario is a ") + cur->kind_name() + ", not a map");
          break;
        }
        if (const Tree* child = cur->find(key)) {
          if (i + 1 < segments.size() && !child->is_map() && !child->is_null()) {
            // Reported at the next key: the one that cannot go inside a scalar or sequence.
            diags.error(at(segments[i + 1].offset), key_path_join(prefix, segments[i + 1].key),
                        quote(prefix) + " is a " + child->kind_name() + ", not a map");
            break;
          }
          cur = child;
          continue;
        }
      }
      if (known && known(prefix)) {
        creating = true;
        continue;
      }
      std::string message = "no setting " + quote(prefix);
      if (!creating) {
        const std::string suggestion = did_you_mean(key, keys_of(*cur));
        if (!suggestion.empty()) message += " (did you mean " + quote(suggestion) + "?)";
      }
      diags.error(at(segments[i].offset), prefix, std::move(message));
      break;
    }
  }

  // The value, parsed even after a path error so that all problems are reported at once.
  const std::string_view value_text = assignment.substr(value_offset);
  const ValueRelocator relocate(value_text, value_offset, ordinal);
  Diagnostics value_diags;
  const YamlDocument doc = load_yaml_value(std::string(value_text), set_label, value_diags);
  for (const Diagnostic& d : value_diags.all()) {
    // Key paths inside the value ("a", "[0].b") continue KEY.PATH.
    std::string key_path = path_text;
    if (d.key_path.starts_with('[')) {
      key_path += d.key_path;
    } else if (!d.key_path.empty()) {
      key_path = key_path_join(key_path, d.key_path);
    }
    if (d.severity == Diagnostic::Severity::error) {
      diags.error(relocate(d.where), key_path, d.message);
    } else {
      diags.warning(relocate(d.where), key_path, d.message);
    }
  }
  if (diags.error_count() != errors_before || value_diags.has_errors()) return;

  Tree value = tree_from_yaml(doc);
  relocate.relocate(value);
  if (value.where.column == 0) value.where = at(value_offset); // empty: just after '='

  Tree* cur = &root;
  for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
    const std::string key(segments[i].key);
    Tree* child = cur->find(key);
    if (child == nullptr) {
      const Location where = at(segments[i].offset);
      child = &cur->set(key, Tree::map(where), where);
    }
    cur = child; // a map, or a null that set() below turns into one
  }
  const Segment& last = segments.back();
  if (Tree* existing = cur->find(last.key)) {
    *existing = std::move(value);
  } else {
    cur->set(std::string(last.key), std::move(value), at(last.offset));
  }
}

} // namespace itsim::scenarios
