// SPDX-License-Identifier: Apache-2.0
#include "preset.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "compose.hpp"
#include "schema.hpp"
#include "yaml_source.hpp"

namespace itsim::scenarios {

namespace {

/// The preset's name from its label: the file name without `.yaml`.
std::string name_of(std::string_view label) {
  const std::size_t slash = label.rfind('/');
  std::string_view file = slash == std::string_view::npos ? label : label.substr(slash + 1);
  if (file.ends_with(".yaml")) file.remove_suffix(5);
  return std::string(file);
}

/// The preset's `description`, or "" when it has none (or does not parse: `itsim validate`
/// on a scenario naming it reports why).
std::string description_of(const std::string& label, const std::string& text) {
  Diagnostics ignored;
  const YamlDocument doc = load_yaml_string(text, label, ignored);
  if (ignored.has_errors()) return "";
  const Tree tree = tree_from_yaml(doc);
  const Tree* description = tree.find("description");
  return description != nullptr && description->is_scalar() ? description->text : "";
}

/// Most models that may name a preset in one scenario. A preset's body is copied into each
/// model naming it, so a file of many one-line models would otherwise expand (as an alias
/// bomb does) to far more nodes than its text holds.
constexpr std::size_t max_preset_models = 1000;

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words)
    out += (out.empty() ? "" : ", ") + w;
  return out;
}

class Expander {
public:
  Expander(const std::vector<PresetInfo>& presets, Diagnostics& diags)
      : presets_(presets), diags_(diags) {
    for (const PresetInfo& p : presets_)
      names_.push_back(p.name);
  }

  void expand(Tree& root) {
    Tree* models = root.find("models");
    if (models == nullptr || !models->is_map()) return;
    for (Tree::Entry& m : models->entries) {
      if (!m.value.is_map()) continue;
      const Tree* ref = m.value.find("preset");
      if (ref == nullptr || !ref->is_scalar() || !schema::is_identifier(ref->text)) continue;
      if (++expanded_ > max_preset_models) {
        diags_.error(ref->where, "models." + m.key + ".preset",
                     "more than " + std::to_string(max_preset_models) +
                         " models name a preset; not a scenario");
        return;
      }
      std::vector<std::string> chain;
      std::optional<Tree> body = body_of(*ref, "models." + m.key + ".preset", chain);
      if (!body) continue;
      merge_into(*body, std::move(m.value));
      m.value = std::move(*body);
    }
  }

private:
  /// The body of the preset named at `ref` with any preset it names laid under it, or
  /// nothing after reporting why. `chain` holds the presets being expanded (for cycles).
  std::optional<Tree> body_of(const Tree& ref, const std::string& key_path,
                              std::vector<std::string>& chain) {
    const auto it = std::find(names_.begin(), names_.end(), ref.text);
    if (it == names_.end()) {
      std::string message = "unknown preset " + quote(ref.text);
      const std::string guess = did_you_mean(ref.text, names_);
      if (!guess.empty()) message += " (did you mean \"" + guess + "\"?)";
      message += names_.empty() ? "; there are no presets" : "; available: " + join(names_);
      diags_.error(ref.where, key_path, std::move(message));
      return std::nullopt;
    }
    if (std::find(chain.begin(), chain.end(), ref.text) != chain.end()) {
      std::string cycle = "preset cycle: ";
      const auto from = std::find(chain.begin(), chain.end(), ref.text);
      for (auto c = from; c != chain.end(); ++c)
        cycle += *c + " -> ";
      diags_.error(ref.where, key_path, cycle + ref.text);
      return std::nullopt;
    }
    const PresetInfo& preset = presets_[static_cast<std::size_t>(it - names_.begin())];
    const std::optional<Tree>& own = parsed(preset);
    if (!own) return std::nullopt;
    Tree result;
    if (const Tree* base = own->find("preset");
        base != nullptr && base->is_scalar() && schema::is_identifier(base->text)) {
      chain.push_back(preset.name);
      std::optional<Tree> under = body_of(*base, key_path, chain);
      chain.pop_back();
      if (!under) return std::nullopt;
      result = std::move(*under);
    }
    merge_into(result, *own);
    return result;
  }

  /// The preset's own tree, parsed once; nothing when it does not parse or is not a map.
  const std::optional<Tree>& parsed(const PresetInfo& preset) {
    if (const auto it = parsed_.find(preset.name); it != parsed_.end()) return it->second;
    std::optional<Tree> tree;
    const std::size_t errors = diags_.error_count();
    const YamlDocument doc = load_yaml_string(preset.text, preset.label, diags_);
    if (diags_.error_count() == errors) tree = tree_from_yaml(doc);
    return parsed_.emplace(preset.name, std::move(tree)).first->second;
  }

  const std::vector<PresetInfo>& presets_;
  Diagnostics& diags_;
  std::vector<std::string> names_;
  std::map<std::string, std::optional<Tree>> parsed_;
  std::size_t expanded_ = 0;
};

} // namespace

const std::vector<PresetInfo>& presets() {
  static const std::vector<PresetInfo> all = [] {
    std::vector<PresetInfo> out;
    for (const detail::EmbeddedPreset& e : detail::embedded_presets()) {
      PresetInfo p;
      p.label = e.label;
      p.text = e.text;
      p.name = name_of(p.label);
      p.description = description_of(p.label, p.text);
      out.push_back(std::move(p));
    }
    return out;
  }();
  return all;
}

void expand_presets(Tree& root, const std::vector<PresetInfo>& presets, Diagnostics& diags) {
  Expander(presets, diags).expand(root);
}

} // namespace itsim::scenarios
