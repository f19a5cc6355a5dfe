// SPDX-License-Identifier: Apache-2.0
// The mapping file of `itsim calibrate`, read on the same tree as scenarios so that every
// problem is located as FILE:LINE:COL.
#include "itsim/scenarios/calibration_mapping.hpp"

#include <algorithm>
#include <set>

#include "tree.hpp"
#include "yaml_source.hpp"

namespace itsim::scenarios {

namespace {

bool valid_id(const std::string& s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

class MappingReader {
public:
  MappingReader(std::string file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  std::optional<CalibrationMapping> read() {
    const YamlDocument doc = load_yaml_file(file_, diags_);
    if (diags_.has_errors()) return std::nullopt;
    const Tree root = tree_from_yaml(doc);
    if (!root.is_map()) {
      diags_.error(root.where, "", "a mapping file is a map of settings");
      return std::nullopt;
    }
    CalibrationMapping m;
    m.file = file_;
    check_keys(root, "",
               {"name", "description", "csv", "columns", "timestamps", "priorities", "work_types",
                "default_work_type", "groups", "default_pool", "tiers", "events"});
    if (const Tree* t = root.find("name")) m.name = scalar(*t, "name");
    if (const Tree* t = root.find("csv"); t && map(*t, "csv")) {
      check_keys(*t, "csv", {"delimiter"});
      if (const Tree* d = t->find("delimiter")) {
        const std::string s = scalar(*d, "csv.delimiter");
        if (s == "\\t" || s == "\t")
          m.delimiter = '\t';
        else if (s.size() == 1 && s != "\"")
          m.delimiter = s[0];
        else
          diags_.error(d->where, "csv.delimiter",
                       "expected one character (or \"\\t\"), got " + quote(s));
      }
    }
    read_columns(root, m);
    if (const Tree* t = root.find("timestamps"); t && map(*t, "timestamps")) {
      check_keys(*t, "timestamps", {"format", "time_zone", "work_time_unit"});
      if (const Tree* f = t->find("format")) {
        m.timestamp_format = scalar(*f, "timestamps.format");
        if (m.timestamp_format.find('%') == std::string::npos)
          diags_.error(f->where, "timestamps.format",
                       "expected a strftime-style format such as \"%Y-%m-%d %H:%M:%S\", got " +
                           quote(m.timestamp_format));
      }
      if (const Tree* z = t->find("time_zone")) {
        m.time_zone = scalar(*z, "timestamps.time_zone");
        m.time_zone_where = z->where;
      } else {
        m.time_zone_where = t->where;
      }
      if (const Tree* u = t->find("work_time_unit")) {
        const std::string s = scalar(*u, "timestamps.work_time_unit");
        if (s == "s")
          m.work_time_unit_h = 1.0 / 3600;
        else if (s == "min")
          m.work_time_unit_h = 1.0 / 60;
        else if (s == "h")
          m.work_time_unit_h = 1.0;
        else
          diags_.error(u->where, "timestamps.work_time_unit",
                       "expected one of \"s\", \"min\", \"h\", got " + quote(s));
      }
    } else {
      m.time_zone_where = root.where;
    }
    if (const Tree* t = root.find("priorities"); t && map(*t, "priorities")) {
      for (const Tree::Entry& e : t->entries) {
        const std::string path = key_path_join("priorities", e.key);
        const std::string v = scalar(e.value, path);
        if (v.size() == 2 && (v[0] == 'p' || v[0] == 'P') && v[1] >= '1' && v[1] <= '4')
          m.priorities[e.key] = v[1] - '1';
        else
          diags_.error(e.value.where, path, "expected one of p1, p2, p3, p4, got " + quote(v));
      }
    } else if (!t) {
      diags_.error(root.where, "priorities",
                   "missing: which priority values mean p1, p2, p3 and p4");
    }
    if (const Tree* t = root.find("work_types"); t && map(*t, "work_types")) {
      for (const Tree::Entry& e : t->entries) {
        const std::string path = key_path_join("work_types", e.key);
        m.work_types[e.key] = work_type(e.value, path);
      }
    }
    if (const Tree* t = root.find("default_work_type"))
      m.default_work_type = work_type(*t, "default_work_type");
    std::vector<std::string> order;
    if (const Tree* t = root.find("groups"); t && map(*t, "groups")) {
      for (const Tree::Entry& e : t->entries) {
        const std::string path = key_path_join("groups", e.key);
        const std::string pool = id(e.value, path);
        m.groups[e.key] = pool;
        if (!pool.empty() && std::find(order.begin(), order.end(), pool) == order.end())
          order.push_back(pool);
      }
    } else if (!t) {
      diags_.error(root.where, "groups", "missing: which assignment groups are which pool");
    }
    if (const Tree* t = root.find("default_pool")) {
      m.default_pool = id(*t, "default_pool");
      if (std::find(order.begin(), order.end(), m.default_pool) == order.end())
        order.push_back(m.default_pool);
    }
    if (const Tree* t = root.find("tiers")) {
      if (!t->is_sequence()) {
        diags_.error(t->where, "tiers",
                     std::string("expected a list of pools, got a ") + t->kind_name());
      } else {
        std::set<std::string> seen;
        for (std::size_t i = 0; i < t->items.size(); ++i) {
          const std::string path = key_path_index("tiers", i);
          const std::string p = id(t->items[i], path);
          if (!seen.insert(p).second)
            diags_.error(t->items[i].where, path, "pool " + quote(p) + " listed twice");
          m.tiers.push_back(p);
        }
        for (const std::string& p : order)
          if (!seen.count(p))
            diags_.error(t->where, "tiers",
                         "pool " + quote(p) + " is named in groups but not in tiers");
      }
    } else {
      m.tiers = order;
    }
    read_events(root, m);
    if (diags_.has_errors()) return std::nullopt;
    return m;
  }

private:
  void read_columns(const Tree& root, CalibrationMapping& m) {
    const Tree* t = root.find("columns");
    if (!t) {
      diags_.error(root.where, "columns", "missing: which column holds what");
      return;
    }
    if (!map(*t, "columns")) return;
    struct Role {
      const char* key;
      std::string CalibrationMapping::Columns::*member;
      bool required;
    };
    using C = CalibrationMapping::Columns;
    static const Role roles[] = {
        {"id", &C::id, true},
        {"opened", &C::opened, true},
        {"resolved", &C::resolved, true},
        {"closed", &C::closed, false},
        {"priority", &C::priority, true},
        {"kind", &C::kind, false},
        {"group", &C::group, true},
        {"reassignments", &C::reassignments, false},
        {"reopens", &C::reopens, false},
        {"work_time", &C::work_time, false},
        {"assignee", &C::assignee, false},
    };
    std::vector<std::string> keys;
    for (const Role& r : roles)
      keys.emplace_back(r.key);
    check_keys(*t, "columns", keys);
    for (const Role& r : roles) {
      if (const Tree* c = t->find(r.key)) {
        m.columns.*r.member = scalar(*c, key_path_join("columns", r.key));
        if ((m.columns.*r.member).empty())
          diags_.error(c->where, key_path_join("columns", r.key), "expected a column name");
      } else if (r.required) {
        diags_.error(t->where, key_path_join("columns", r.key),
                     "missing: the column that holds the ticket's " + std::string(r.key));
      }
    }
  }

  void read_events(const Tree& root, CalibrationMapping& m) {
    const Tree* t = root.find("events");
    if (!t || !map(*t, "events")) return;
    m.events.present = true;
    check_keys(*t, "events", {"columns", "states", "format"});
    auto& e = m.events;
    if (const Tree* f = t->find("format")) {
      e.timestamp_format = scalar(*f, "events.format");
      if (e.timestamp_format.find('%') == std::string::npos)
        diags_.error(f->where, "events.format",
                     "expected a strftime-style format such as \"%d/%m/%Y %H:%M\", got " +
                         quote(e.timestamp_format));
    }
    if (const Tree* c = t->find("columns"); !c) {
      diags_.error(t->where, "events.columns", "missing: which column of the event log holds what");
    } else if (map(*c, "events.columns")) {
      const std::pair<const char*, std::string*> roles[] = {
          {"id", &e.id}, {"at", &e.at}, {"group", &e.group}, {"state", &e.state}};
      check_keys(*c, "events.columns", {"id", "at", "group", "state"});
      for (const auto& [key, member] : roles) {
        const std::string path = key_path_join("events.columns", key);
        if (const Tree* v = c->find(key)) {
          *member = scalar(*v, path);
          if (member->empty()) diags_.error(v->where, path, "expected a column name");
        } else if (std::string(key) != "state") {
          diags_.error(c->where, path,
                       "missing: the column that holds the event's " + std::string(key));
        }
      }
    }
    if (const Tree* st = t->find("states"); st && map(*st, "events.states")) {
      check_keys(*st, "events.states", {"work", "wait", "done"});
      const std::pair<const char*, int> classes[] = {{"work", 0}, {"wait", 1}, {"done", 2}};
      for (const auto& [key, cls] : classes) {
        const Tree* list = st->find(key);
        if (!list) continue;
        const std::string path = key_path_join("events.states", key);
        if (!list->is_sequence()) {
          diags_.error(list->where, path,
                       std::string("expected a list of state values, got a ") + list->kind_name());
          continue;
        }
        for (std::size_t i = 0; i < list->items.size(); ++i) {
          const std::string v = scalar(list->items[i], key_path_index(path, i));
          if (!e.states.emplace(v, cls).second)
            diags_.error(list->items[i].where, key_path_index(path, i),
                         "state " + quote(v) + " listed twice");
        }
      }
      if (e.state.empty())
        diags_.error(st->where, "events.states", "states need events.columns.state");
    } else if (!st && !e.state.empty()) {
      diags_.error(t->where, "events.states",
                   "missing: which values of " + quote(e.state) + " are work, wait and done");
    }
  }

  bool map(const Tree& t, const std::string& path) {
    if (t.is_map()) return true;
    diags_.error(t.where, path, std::string("expected a map, got a ") + t.kind_name());
    return false;
  }

  void check_keys(const Tree& t, const std::string& parent, const std::vector<std::string>& keys) {
    for (const Tree::Entry& e : t.entries) {
      if (std::find(keys.begin(), keys.end(), e.key) != keys.end()) continue;
      std::string msg = "unknown key " + quote(e.key);
      if (const std::string guess = did_you_mean(e.key, keys); !guess.empty())
        msg += "; did you mean " + quote(guess) + "?";
      diags_.error(e.key_where, key_path_join(parent, e.key), msg);
    }
  }

  std::string scalar(const Tree& t, const std::string& path) {
    if (!t.is_scalar()) {
      diags_.error(t.where, path, std::string("expected a single value, got a ") + t.kind_name());
      return {};
    }
    return t.text;
  }

  std::string id(const Tree& t, const std::string& path) {
    std::string s = scalar(t, path);
    if (t.is_scalar() && !valid_id(s))
      diags_.error(t.where, path,
                   "expected an id (lower-case letters, digits and _), got " + quote(s));
    return s;
  }

  /// The work types a ticket export calibrates: the presets route them through the desk.
  std::string work_type(const Tree& t, const std::string& path) {
    std::string s = scalar(t, path);
    if (t.is_scalar() && s != "incident" && s != "request")
      diags_.error(t.where, path, "expected incident or request, got " + quote(s));
    return s;
  }

  std::string file_;
  Diagnostics& diags_;
};

} // namespace

std::optional<CalibrationMapping> load_calibration_mapping(const std::string& path,
                                                           Diagnostics& diags) {
  return MappingReader(path, diags).read();
}

} // namespace itsim::scenarios
