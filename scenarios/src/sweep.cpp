// SPDX-License-Identifier: Apache-2.0
// The sweep file (docs/sweeps.md): a base scenario, the factors to vary and how, parsed on
// the same tree as scenarios so that every problem is located as FILE:LINE:COL.
#include "itsim/scenarios/sweep.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>
#include <string_view>

#include "itsim/scenarios/choices.hpp"
#include "tree.hpp"
#include "yaml_source.hpp"

namespace itsim::scenarios {

namespace fs = std::filesystem;

const char* to_string(DesignType d) {
  return spelling_of(design_types, d).data();
}

bool SweepFactor::numeric() const {
  if (levels.empty()) return true;
  for (const FactorLevel& l : levels)
    if (!l.number) return false;
  return true;
}

std::size_t SweepSpec::uncertainty_count() const {
  std::size_t n = 0;
  for (const SweepFactor& f : factors)
    if (!f.lever) ++n;
  return n;
}

namespace {

/// The number a scalar's text holds, if all of it is one (YAML's plain numbers; no units).
std::optional<double> number_of(const Tree& t) {
  if (!t.is_scalar() || t.quoted || t.text.empty()) return std::nullopt;
  const char* first = t.text.data();
  const char* last = first + t.text.size();
  if (*first == '+') ++first;
  double v = 0;
  const auto r = std::from_chars(first, last, v);
  if (r.ec != std::errc() || r.ptr != last || !std::isfinite(v)) return std::nullopt;
  return v;
}

class SweepReader {
public:
  SweepReader(std::string file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  std::optional<SweepSpec> read() {
    const YamlDocument doc = load_yaml_file(file_, diags_);
    if (diags_.has_errors()) return std::nullopt;
    const Tree root = tree_from_yaml(doc);
    if (!root.is_map()) {
      diags_.error(root.where, "", "a sweep file is a map of settings");
      return std::nullopt;
    }
    SweepSpec s;
    s.file = file_;
    s.canonical_yaml = emit_yaml(root, YamlLayout::compact);
    s.name = fs::path(file_).stem().string();
    static const std::vector<std::string> keys = {"sweep",   "description",  "scenario",  "set",
                                                  "models",  "replications", "seed",      "design",
                                                  "factors", "levers",       "constraint"};
    for (const Tree::Entry& e : root.entries) {
      if (std::find(keys.begin(), keys.end(), e.key) == keys.end()) unknown(e, "", keys);
    }
    if (const Tree* t = root.find("sweep")) s.name = scalar(*t, "sweep");
    if (const Tree* t = root.find("description")) s.description = scalar(*t, "description");
    if (const Tree* t = root.find("scenario")) {
      const std::string p = scalar(*t, "scenario");
      s.scenario_where = t->where;
      s.scenario_path = fs::path(p).is_absolute()
                            ? p
                            : (fs::path(file_).parent_path() / p).lexically_normal().string();
      if (p.empty()) diags_.error(t->where, "scenario", "expected the path of a scenario file");
    } else {
      diags_.error(root.where, "scenario", "missing: the scenario file the sweep varies");
    }
    if (const Tree* t = root.find("set")) read_set(*t, s);
    if (const Tree* t = root.find("models")) read_models(*t, s);
    if (const Tree* t = root.find("replications")) {
      if (auto v = integer(*t, "replications", 1, 1000000))
        s.replications = static_cast<std::uint32_t>(*v);
    }
    if (const Tree* t = root.find("seed")) {
      if (auto v = integer(*t, "seed", 0, 9007199254740992.0))
        s.seed = static_cast<std::uint64_t>(*v);
    }
    if (const Tree* t = root.find("design")) read_design(*t, s);
    if (const Tree* t = root.find("factors")) read_factors(*t, false, s);
    if (const Tree* t = root.find("levers")) read_factors(*t, true, s);
    if (s.factors.empty()) {
      diags_.error(root.where, "factors", "a sweep needs at least one factor or lever");
    }
    if (const Tree* t = root.find("constraint")) {
      s.constraint = scalar(*t, "constraint");
      s.constraint_where = t->where;
      if (s.constraint.empty()) diags_.error(t->where, "constraint", "expected an expression");
    }
    check_design(root, s);
    if (diags_.has_errors()) return std::nullopt;
    return s;
  }

private:
  void unknown(const Tree::Entry& e, const std::string& parent,
               const std::vector<std::string>& keys) {
    std::string msg = "unknown key " + quote(e.key);
    if (const std::string guess = did_you_mean(e.key, keys); !guess.empty())
      msg += "; did you mean " + quote(guess) + "?";
    diags_.error(e.key_where, key_path_join(parent, e.key), msg);
  }

  std::string scalar(const Tree& t, const std::string& path) {
    if (!t.is_scalar()) {
      diags_.error(t.where, path, std::string("expected a single value, got a ") + t.kind_name());
      return {};
    }
    return t.text;
  }

  std::optional<double> number(const Tree& t, const std::string& path) {
    const std::optional<double> v = number_of(t);
    if (!v) diags_.error(t.where, path, "expected a number, got " + describe(t));
    return v;
  }

  std::optional<double> integer(const Tree& t, const std::string& path, double lo, double hi) {
    const std::optional<double> v = number_of(t);
    if (!v || std::floor(*v) != *v) {
      diags_.error(t.where, path, "expected a whole number, got " + describe(t));
      return std::nullopt;
    }
    if (*v < lo || *v > hi) {
      diags_.error(t.where, path,
                   "must be in " + format_double(lo) + ".." + format_double(hi) + ", got " +
                       format_double(*v));
      return std::nullopt;
    }
    return v;
  }

  static std::string describe(const Tree& t) {
    if (t.is_scalar()) return quote(t.text);
    return std::string("a ") + t.kind_name();
  }

  void read_set(const Tree& t, SweepSpec& s) {
    if (!t.is_map()) {
      diags_.error(t.where, "set", "expected a map of KEY.PATH: VALUE");
      return;
    }
    for (const Tree::Entry& e : t.entries) {
      if (!e.value.is_scalar()) {
        diags_.error(e.value.where, "set." + e.key,
                     "expected a single value (set the keys under it one by one)");
        continue;
      }
      s.overrides.push_back(e.key + "=" + e.value.text);
      s.override_where.push_back(e.key_where);
    }
  }

  void read_models(const Tree& t, SweepSpec& s) {
    s.models_where = t.where;
    if (!t.is_sequence() || t.items.empty()) {
      diags_.error(t.where, "models", "expected a non-empty list of model ids");
      return;
    }
    for (const Tree& m : t.items)
      s.models.push_back(scalar(m, "models"));
  }

  void read_design(const Tree& t, SweepSpec& s) {
    s.design_where = t.where;
    if (t.is_scalar()) { // `design: lhs`
      set_design_type(t, s);
      return;
    }
    if (!t.is_map()) {
      diags_.error(t.where, "design", "expected a design type or a map with `type`");
      return;
    }
    static const std::vector<std::string> keys = {"type", "samples", "trajectories", "levels",
                                                  "seed"};
    for (const Tree::Entry& e : t.entries)
      if (std::find(keys.begin(), keys.end(), e.key) == keys.end()) unknown(e, "design", keys);
    if (const Tree* v = t.find("type")) set_design_type(*v, s);
    if (const Tree* v = t.find("samples")) {
      if (auto n = integer(*v, "design.samples", 0, 10000000))
        s.samples = static_cast<std::uint32_t>(*n);
      samples_where_ = v->where;
      has_samples_ = true;
    }
    if (const Tree* v = t.find("trajectories")) {
      if (auto n = integer(*v, "design.trajectories", 0, 1000000))
        s.trajectories = static_cast<std::uint32_t>(*n);
      trajectories_where_ = v->where;
    }
    if (const Tree* v = t.find("levels")) {
      if (auto n = integer(*v, "design.levels", 2, 1000)) {
        s.levels = static_cast<std::uint32_t>(*n);
        if (s.levels % 2 != 0)
          diags_.error(v->where, "design.levels",
                       "a Morris grid needs an even number of levels, got " + v->text);
      }
    }
    if (const Tree* v = t.find("seed")) {
      if (auto n = integer(*v, "design.seed", 0, 9007199254740992.0))
        s.design_seed = static_cast<std::uint64_t>(*n);
    }
  }

  void set_design_type(const Tree& t, SweepSpec& s) {
    const std::string v = scalar(t, "design.type");
    if (const auto d = find_choice(design_types, v)) {
      s.design = *d;
      return;
    }
    const std::vector<std::string> types = spellings_of(design_types);
    std::string listed;
    for (std::size_t i = 0; i < types.size(); ++i)
      listed += (i == 0 ? "" : i + 1 == types.size() ? " or " : ", ") + types[i];
    std::string msg = "unknown design " + quote(v) + " (" + listed + ")";
    if (const std::string guess = did_you_mean(v, types); !guess.empty())
      msg += "; did you mean " + quote(guess) + "?";
    diags_.error(t.where, "design.type", msg);
  }

  void read_factors(const Tree& t, bool lever, SweepSpec& s) {
    const std::string group = lever ? "levers" : "factors";
    if (!t.is_map()) {
      diags_.error(t.where, group, "expected a map of KEY.PATH: values");
      return;
    }
    for (const Tree::Entry& e : t.entries) {
      const std::string path = group + "." + e.key;
      for (const SweepFactor& other : s.factors) {
        if (other.path == e.key) {
          diags_.error(e.key_where, path,
                       "already varied (line " + std::to_string(other.where.line) + ")");
        }
      }
      if (e.key.empty() || e.key.front() == '.' || e.key.back() == '.' ||
          e.key.find("..") != std::string::npos) {
        diags_.error(e.key_where, path, "expected a dotted key path such as mechanisms.x");
        continue;
      }
      SweepFactor f;
      f.path = e.key;
      f.where = e.key_where;
      f.lever = lever;
      read_factor(e.value, path, f);
      s.factors.push_back(std::move(f));
    }
  }

  void read_levels(const Tree& list, const std::string& path, SweepFactor& f) {
    if (list.items.empty()) {
      diags_.error(list.where, path, "empty list: a factor needs at least one value");
      return;
    }
    for (const Tree& v : list.items) {
      if (!v.is_scalar()) {
        diags_.error(v.where, path, std::string("expected a single value, got a ") + v.kind_name());
        continue;
      }
      f.levels.push_back({v.text, v.quoted ? std::nullopt : number_of(v)});
    }
  }

  void read_factor(const Tree& t, const std::string& path, SweepFactor& f) {
    if (t.is_sequence()) {
      read_levels(t, path, f);
      return;
    }
    if (t.is_scalar()) {
      diags_.error(t.where, path,
                   "expected a list of values or a range {min: A, max: B}, got " + describe(t));
      return;
    }
    if (!t.is_map()) {
      diags_.error(t.where, path, "expected a list of values or a range {min: A, max: B}");
      return;
    }
    static const std::vector<std::string> keys = {"values", "min",     "max",
                                                  "steps",  "integer", "suffix"};
    for (const Tree::Entry& e : t.entries)
      if (std::find(keys.begin(), keys.end(), e.key) == keys.end()) unknown(e, path, keys);
    if (const Tree* v = t.find("integer")) {
      const std::string b = scalar(*v, path + ".integer");
      if (b != "true" && b != "false")
        diags_.error(v->where, path + ".integer", "expected true or false, got " + quote(b));
      f.integer = b == "true";
    }
    if (const Tree* v = t.find("suffix")) f.suffix = scalar(*v, path + ".suffix");
    const Tree* values = t.find("values");
    const Tree* min = t.find("min");
    const Tree* max = t.find("max");
    if (values != nullptr) {
      if (min != nullptr || max != nullptr || t.find("steps") != nullptr) {
        diags_.error(t.where, path, "give either `values` or a range (`min`, `max`), not both");
      }
      if (!values->is_sequence()) {
        diags_.error(values->where, path + ".values", "expected a list of values");
        return;
      }
      read_levels(*values, path + ".values", f);
      return;
    }
    if (min == nullptr || max == nullptr) {
      diags_.error(t.where, path, "a range needs both `min` and `max`");
      return;
    }
    f.min = number(*min, path + ".min");
    f.max = number(*max, path + ".max");
    if (!f.min || !f.max) return;
    if (*f.max < *f.min) {
      diags_.error(max->where, path + ".max",
                   "empty range: max " + format_double(*f.max) + " is below min " +
                       format_double(*f.min));
      return;
    }
    if (f.integer && (std::floor(*f.min) != *f.min || std::floor(*f.max) != *f.max)) {
      diags_.error(t.where, path, "an integer range needs whole-number ends");
      return;
    }
    if (const Tree* steps = t.find("steps")) {
      const std::optional<double> n = integer(*steps, path + ".steps", 1, 1000000);
      if (!n) return;
      const auto count = static_cast<std::size_t>(*n);
      if (count == 1 && *f.max != *f.min) {
        diags_.error(steps->where, path + ".steps",
                     "one step cannot reach both ends; use 2 or more, or a single value");
        return;
      }
      for (std::size_t i = 0; i < count; ++i) {
        double v = count == 1 ? *f.min
                              : *f.min + (*f.max - *f.min) * static_cast<double>(i) /
                                             static_cast<double>(count - 1);
        if (i + 1 == count) v = *f.max; // exact ends
        if (f.integer) v = std::round(v);
        if (!f.levels.empty() && f.levels.back().number == v) continue; // rounded together
        f.levels.push_back({format_double(v) + f.suffix, v});
      }
    }
  }

  void check_design(const Tree& root, SweepSpec& s) {
    const Location where = s.design_where.line > 0 ? s.design_where : root.where;
    std::size_t uncertainties = 0;
    std::size_t zip_count = 0;
    const SweepFactor* zip_first = nullptr;
    for (const SweepFactor& f : s.factors) {
      const std::string path = std::string(f.lever ? "levers." : "factors.") + f.path;
      if (f.lever) {
        if (f.levels.empty() && f.min)
          diags_.error(f.where, path, "a lever takes a list of values (or a range with `steps`)");
        continue;
      }
      ++uncertainties;
      const bool range = f.min.has_value() && f.levels.empty();
      switch (s.design) {
      case DesignType::grid:
        if (range) {
          diags_.error(f.where, path,
                       "a grid needs the values: give a list, or `steps` with the range");
        }
        break;
      case DesignType::zip:
        if (range) {
          diags_.error(f.where, path,
                       "zip advances the lists in lockstep: give a list, or `steps`");
        } else if (zip_first == nullptr) {
          zip_first = &f;
          zip_count = f.levels.size();
        } else if (f.levels.size() != zip_count && !f.levels.empty()) {
          diags_.error(f.where, path,
                       "zip needs lists of equal length: " + std::to_string(f.levels.size()) +
                           " values here, " + std::to_string(zip_count) + " for " +
                           zip_first->path);
        }
        break;
      case DesignType::random:
      case DesignType::lhs:
        break;
      case DesignType::morris:
        if (!range) {
          diags_.error(f.where, path, "a Morris design needs a range {min: A, max: B}");
        } else if (!(*f.max > *f.min)) {
          diags_.error(f.where, path, "a Morris design needs a range of positive width");
        }
        break;
      }
    }
    const bool sampled = s.design == DesignType::random || s.design == DesignType::lhs;
    if (sampled && s.samples == 0) {
      const char* what = s.design == DesignType::lhs ? "a Latin hypercube" : "a random design";
      diags_.error(has_samples_ ? samples_where_ : where, "design.samples",
                   std::string(what) + " needs `samples` of at least 1" +
                       (has_samples_ ? ", got 0" : ""));
    }
    if (s.design == DesignType::morris) {
      if (s.trajectories == 0)
        diags_.error(trajectories_where_.line > 0 ? trajectories_where_ : where,
                     "design.trajectories", "a Morris design needs `trajectories` of at least 1");
      for (const SweepFactor& f : s.factors)
        if (f.lever)
          diags_.error(f.where, "levers." + f.path,
                       "a Morris design varies one factor at a time; make it a factor with a "
                       "range, or use an lhs design");
      if (!s.constraint.empty())
        diags_.error(s.constraint_where, "constraint",
                     "a constraint would break Morris trajectories; use an lhs design");
    }
    if (uncertainties == 0 && s.design != DesignType::grid && !s.factors.empty()) {
      diags_.error(where, "factors",
                   std::string("a ") + to_string(s.design) +
                       " design needs at least one factor under `factors`");
    }
  }

  std::string file_;
  Diagnostics& diags_;
  Location samples_where_, trajectories_where_;
  bool has_samples_ = false;
};

/// The node at dotted `path` under `root`, or the deepest existing prefix and its node.
const Tree* find_path(const Tree& root, std::string_view path, std::string& found_prefix,
                      const Tree*& deepest) {
  const Tree* node = &root;
  deepest = node;
  found_prefix.clear();
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    const std::string_view key =
        path.substr(start, dot == std::string_view::npos ? path.npos : dot - start);
    const Tree* next = node->find(key);
    if (next == nullptr) return nullptr;
    node = next;
    deepest = node;
    found_prefix = std::string(path.substr(0, dot == std::string_view::npos ? path.size() : dot));
    if (dot == std::string_view::npos) return node;
    start = dot + 1;
  }
  return node;
}

} // namespace

std::optional<SweepSpec> load_sweep(const std::string& path, Diagnostics& diags) {
  return SweepReader(path, diags).read();
}

void check_sweep_paths(const SweepSpec& spec, const LoadedScenario& base, Diagnostics& diags) {
  Diagnostics parse;
  const YamlDocument doc = load_yaml_string(base.resolved_yaml, "resolved scenario", parse);
  if (parse.has_errors()) return; // cannot happen: the text was emitted by us
  const Tree root = tree_from_yaml(doc);
  for (const SweepFactor& f : spec.factors) {
    const std::string key = std::string(f.lever ? "levers." : "factors.") + f.path;
    std::string prefix;
    const Tree* deepest = nullptr;
    const Tree* node = find_path(root, f.path, prefix, deepest);
    if (node == nullptr) {
      std::vector<std::string> have;
      if (deepest != nullptr && deepest->is_map())
        for (const Tree::Entry& e : deepest->entries)
          have.push_back(e.key);
      const std::string missing =
          std::string(f.path.substr(0, f.path.find('.', prefix.empty() ? 0 : prefix.size() + 1)));
      std::string msg = "the scenario has no " + quote(missing);
      const std::string last = missing.substr(missing.rfind('.') + 1);
      if (const std::string guess = did_you_mean(last, have); !guess.empty()) {
        msg += "; did you mean " + quote((prefix.empty() ? "" : prefix + ".") + guess) + "?";
      } else if (!have.empty() && have.size() <= 12) {
        std::string list;
        for (const std::string& h : have)
          list += (list.empty() ? "" : ", ") + h;
        msg += " (" + (prefix.empty() ? std::string("top level") : prefix) + " has " + list + ")";
      }
      diags.error(f.where, key, msg);
    } else if (!node->is_scalar()) {
      diags.error(f.where, key,
                  std::string("is a ") + node->kind_name() +
                      " in the scenario; a factor sets one value (name a key under it)");
    }
  }
}

} // namespace itsim::scenarios
