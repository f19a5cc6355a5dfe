// SPDX-License-Identifier: Apache-2.0
// read_results and read_summary: the reverse of results_writer.cpp, with errors that name
// the file and the object at fault.
#include "itsim/analysis/results.hpp"
#include "itsim/analysis/summary.hpp"

#include "hdf5_support.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace itsim::analysis {

namespace {

using detail::H5Handle;

template <typename T> struct NativeType;
template <> struct NativeType<double> {
  static hid_t get() { return H5T_NATIVE_DOUBLE; }
  static constexpr H5T_class_t cls = H5T_FLOAT;
};
template <> struct NativeType<std::uint8_t> {
  static hid_t get() { return H5T_NATIVE_UINT8; }
  static constexpr H5T_class_t cls = H5T_INTEGER;
};
template <> struct NativeType<std::uint32_t> {
  static hid_t get() { return H5T_NATIVE_UINT32; }
  static constexpr H5T_class_t cls = H5T_INTEGER;
};
template <> struct NativeType<std::uint64_t> {
  static hid_t get() { return H5T_NATIVE_UINT64; }
  static constexpr H5T_class_t cls = H5T_INTEGER;
};
template <> struct NativeType<std::int64_t> { // attributes only
  static hid_t get() { return H5T_NATIVE_INT64; }
};

struct Obj {
  H5Handle h;
  std::string path;
};

std::string child_path(const Obj& parent, const std::string& name) {
  return parent.path == "/" ? "/" + name : parent.path + "/" + name;
}

// Frees the variable-length strings HDF5 allocated in a read buffer.
herr_t reclaim(hid_t type, hid_t space, void* buf) {
#if H5_VERSION_GE(1, 12, 0)
  return H5Treclaim(type, space, H5P_DEFAULT, buf);
#else
  return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf);
#endif
}

herr_t collect_name(hid_t /*group*/, const char* name, const H5L_info_t* /*info*/, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

herr_t collect_attr_name(hid_t /*object*/, const char* name, const H5A_info_t* /*info*/,
                         void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

// The groups of the layout; any other root group with a `row` scale is an extra table.
const std::set<std::string> known_groups = {"scenario",   "runs",     "summary", "comparison",
                                            "timeseries", "requests", "sweep"};
// The columns of /runs before the factors and KPIs.
const std::set<std::string> fixed_run_columns = {"run",     "model",  "replication",
                                                 "point",   "seed",   "status",
                                                 "message", "steady", "backlog_slope_per_year"};

class Hdf5Reader {
public:
  explicit Hdf5Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw ResultsReadError(path_ + ": " + where + ": " + what);
  }
  [[noreturn]] void fail_h5(const std::string& where, const std::string& what) const {
    fail(where, what + ": " + detail::hdf5_error_detail());
  }

  // Opens the file, checking that it is an itsim results file this itsim can read.
  H5Handle open() const {
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) {
      const int e = errno;
      throw ResultsReadError(path_ + ": " + (e == ENOENT ? "no such file" : std::strerror(e)));
    }
    if (S_ISDIR(st.st_mode)) throw ResultsReadError(path_ + ": is a directory");
    const htri_t is_hdf5 = H5Fis_hdf5(path_.c_str());
    if (is_hdf5 <= 0) {
      throw ResultsReadError(path_ + ": not an HDF5 file (expected an itsim results file)");
    }
    H5Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (!fapl.ok() || H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG) < 0) {
      fail_h5("/", "setting up the file access");
    }
    H5Handle f(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, fapl.get()), H5Fclose);
    if (!f.ok()) {
      throw ResultsReadError(path_ + ": cannot open: " + detail::hdf5_error_detail());
    }
    const Obj root = root_group(f.get());
    if (!has_attr(root, "format")) {
      throw ResultsReadError(path_ + ": not an itsim results file (no root attribute 'format')");
    }
    const std::string format = attr_string(root, "format");
    if (format != results_format) {
      throw ResultsReadError(path_ + ": not an itsim results file (format is '" + format +
                             "', expected '" + std::string(results_format) + "')");
    }
    const auto version = attr_number<std::int64_t>(root, "format_version");
    if (version > results_format_version) {
      throw ResultsReadError(path_ + ": format_version " + std::to_string(version) +
                             " is newer than this itsim reads (" +
                             std::to_string(results_format_version) + "); use a newer itsim");
    }
    if (version < 1) fail("/", "format_version " + std::to_string(version) + " is invalid");
    return f;
  }

  Obj root_group(hid_t file) const {
    Obj root{H5Handle(H5Gopen2(file, "/", H5P_DEFAULT), H5Gclose), "/"};
    if (!root.h.ok()) fail_h5("/", "cannot open the root group");
    return root;
  }

  bool has_link(const Obj& g, const std::string& name) const {
    const htri_t e = H5Lexists(g.h.get(), name.c_str(), H5P_DEFAULT);
    if (e < 0) fail_h5(child_path(g, name), "cannot look up");
    return e > 0;
  }

  Obj group(const Obj& parent, const std::string& name) const {
    const std::string path = child_path(parent, name);
    if (!has_link(parent, name)) fail(path, "missing group");
    Obj g{H5Handle(H5Gopen2(parent.h.get(), name.c_str(), H5P_DEFAULT), H5Gclose), path};
    if (!g.h.ok()) fail_h5(path, "cannot open group");
    return g;
  }

  Obj dataset(const Obj& g, const std::string& name) const {
    const std::string path = child_path(g, name);
    if (!has_link(g, name)) fail(path, "missing dataset");
    Obj d{H5Handle(H5Dopen2(g.h.get(), name.c_str(), H5P_DEFAULT), H5Dclose), path};
    if (!d.h.ok()) fail_h5(path, "cannot open dataset");
    return d;
  }

  // Names of the links of `g`, in creation order when the group tracks it (itsim's do),
  // else by name.
  std::vector<std::string> link_names(const Obj& g) const {
    std::vector<std::string> names;
    bool done = false;
    H5Handle gcpl(H5Gget_create_plist(g.h.get()), H5Pclose);
    unsigned flags = 0;
    if (gcpl.ok() && H5Pget_link_creation_order(gcpl.get(), &flags) >= 0 &&
        (flags & H5P_CRT_ORDER_TRACKED) != 0) {
      hsize_t idx = 0;
      done =
          H5Literate(g.h.get(), H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect_name, &names) >= 0;
    }
    if (!done) {
      names.clear();
      H5Eclear2(H5E_DEFAULT);
      hsize_t idx = 0;
      if (H5Literate(g.h.get(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name, &names) < 0) {
        fail_h5(g.path, "cannot list group");
      }
    }
    return names;
  }

  // Names of the links of `g` to objects of `type` (H5I_DATASET, H5I_GROUP), in the order
  // of link_names.
  std::vector<std::string> names_of_type(const Obj& g, H5I_type_t type) const {
    std::vector<std::string> out;
    for (const auto& name : link_names(g)) {
      H5Handle o(H5Oopen(g.h.get(), name.c_str(), H5P_DEFAULT), H5Oclose);
      if (!o.ok()) fail_h5(child_path(g, name), "cannot open");
      if (H5Iget_type(o.get()) == type) out.push_back(name);
    }
    return out;
  }

  std::vector<std::string> dataset_names(const Obj& g) const {
    return names_of_type(g, H5I_DATASET);
  }

  // Names of the attributes of `o`, in creation order when the object tracks it (extra
  // tables do), else by name.
  std::vector<std::string> attribute_names(const Obj& o) const {
    std::vector<std::string> names;
    hsize_t idx = 0;
    if (H5Aiterate2(o.h.get(), H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, collect_attr_name, &names) >=
        0) {
      return names;
    }
    names.clear();
    H5Eclear2(H5E_DEFAULT);
    idx = 0;
    if (H5Aiterate2(o.h.get(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect_attr_name, &names) < 0) {
      fail_h5(o.path, "cannot list the attributes of");
    }
    return names;
  }

  // Whether `g` has a dataset `name` that is a dimension scale.
  bool has_scale(const Obj& g, const std::string& name) const {
    if (!has_link(g, name)) return false;
    H5Handle o(H5Oopen(g.h.get(), name.c_str(), H5P_DEFAULT), H5Oclose);
    if (!o.ok()) fail_h5(child_path(g, name), "cannot open");
    return H5Iget_type(o.get()) == H5I_DATASET && H5DSis_scale(o.get()) > 0;
  }

  bool has_attr(const Obj& o, const std::string& name) const {
    const htri_t e = H5Aexists(o.h.get(), name.c_str());
    if (e < 0) fail_h5(o.path, "cannot look up attribute " + name);
    return e > 0;
  }

  H5Handle open_attr(const Obj& o, const std::string& name) const {
    if (!has_attr(o, name)) fail(o.path, "missing attribute " + name);
    H5Handle a(H5Aopen(o.h.get(), name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!a.ok()) fail_h5(o.path, "cannot open attribute " + name);
    return a;
  }

  // Strings of an attribute or dataset (`is_attr`), variable or fixed length.
  std::vector<std::string> read_string_values(hid_t id, bool is_attr,
                                              const std::string& where) const {
    H5Handle ftype(is_attr ? H5Aget_type(id) : H5Dget_type(id), H5Tclose);
    H5Handle space(is_attr ? H5Aget_space(id) : H5Dget_space(id), H5Sclose);
    if (!ftype.ok() || !space.ok()) fail_h5(where, "cannot inspect");
    if (H5Tget_class(ftype.get()) != H5T_STRING) fail(where, "expected strings");
    const hssize_t count = H5Sget_simple_extent_npoints(space.get());
    if (count < 0) fail_h5(where, "cannot inspect");
    const auto n = static_cast<std::size_t>(count);
    std::vector<std::string> out;
    out.reserve(n);
    H5Handle mtype(H5Tget_native_type(ftype.get(), H5T_DIR_ASCEND), H5Tclose);
    if (!mtype.ok()) fail_h5(where, "cannot make a memory type for");
    const auto do_read = [&](void* buf) {
      return is_attr ? H5Aread(id, mtype.get(), buf)
                     : H5Dread(id, mtype.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
    };
    if (H5Tis_variable_str(ftype.get()) > 0) {
      std::vector<char*> buf(n, nullptr);
      if (n > 0 && do_read(buf.data()) < 0) fail_h5(where, "cannot read");
      for (char* s : buf)
        out.emplace_back(s != nullptr ? s : "");
      if (n > 0) reclaim(mtype.get(), space.get(), buf.data());
    } else {
      const std::size_t len = H5Tget_size(ftype.get());
      if (len == 0) fail_h5(where, "cannot inspect");
      std::vector<char> buf(n * len, '\0');
      if (n > 0 && do_read(buf.data()) < 0) fail_h5(where, "cannot read");
      const bool space_pad = H5Tget_strpad(ftype.get()) == H5T_STR_SPACEPAD;
      for (std::size_t i = 0; i < n; ++i) {
        std::string s(buf.data() + i * len, len);
        if (space_pad) {
          s.erase(s.find_last_not_of(' ') + 1);
        } else if (const auto nul = s.find('\0'); nul != std::string::npos) {
          s.resize(nul);
        }
        out.push_back(std::move(s));
      }
    }
    return out;
  }

  std::string attr_string(const Obj& o, const std::string& name) const {
    const H5Handle a = open_attr(o, name);
    std::vector<std::string> v = read_string_values(a.get(), true, o.path + " attribute " + name);
    if (v.size() != 1) fail(o.path, "attribute " + name + " is not a single string");
    return std::move(v.front());
  }

  std::string attr_string_or(const Obj& o, const std::string& name) const {
    return has_attr(o, name) ? attr_string(o, name) : std::string();
  }

  std::vector<std::string> attr_strings(const Obj& o, const std::string& name) const {
    const H5Handle a = open_attr(o, name);
    return read_string_values(a.get(), true, o.path + " attribute " + name);
  }

  template <typename T> T attr_number(const Obj& o, const std::string& name) const {
    const H5Handle a = open_attr(o, name);
    const std::string where = o.path + " attribute " + name;
    H5Handle type(H5Aget_type(a.get()), H5Tclose);
    H5Handle space(H5Aget_space(a.get()), H5Sclose);
    if (!type.ok() || !space.ok()) fail_h5(where, "cannot inspect");
    const H5T_class_t cls = H5Tget_class(type.get());
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) fail(where, "expected a number");
    if (H5Sget_simple_extent_npoints(space.get()) != 1) fail(where, "expected a single number");
    T value{};
    if (H5Aread(a.get(), NativeType<T>::get(), &value) < 0) fail_h5(where, "cannot read");
    return value;
  }

  // The shape of a dataset.
  std::vector<hsize_t> shape(const Obj& d) const {
    H5Handle space(H5Dget_space(d.h.get()), H5Sclose);
    if (!space.ok()) fail_h5(d.path, "cannot inspect");
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0) fail_h5(d.path, "cannot inspect");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0) {
      fail_h5(d.path, "cannot inspect");
    }
    return dims;
  }

  H5T_class_t type_class(const Obj& d) const {
    H5Handle type(H5Dget_type(d.h.get()), H5Tclose);
    if (!type.ok()) fail_h5(d.path, "cannot inspect");
    return H5Tget_class(type.get());
  }

  void expect_shape(const Obj& d, const std::vector<hsize_t>& expected) const {
    const std::vector<hsize_t> dims = shape(d);
    if (dims == expected) return;
    auto text = [](const std::vector<hsize_t>& v) {
      std::string s = "[";
      for (std::size_t i = 0; i < v.size(); ++i)
        s += (i > 0 ? ", " : "") + std::to_string(v[i]);
      return s + "]";
    };
    fail(d.path, "shape is " + text(dims) + ", expected " + text(expected));
  }

  template <typename T> std::vector<T> numbers(const Obj& d, std::size_t elements) const {
    if (type_class(d) != NativeType<T>::cls) {
      fail(d.path, NativeType<T>::cls == H5T_FLOAT ? "expected floating-point values"
                                                   : "expected integer values");
    }
    std::vector<T> out(elements);
    if (elements > 0 &&
        H5Dread(d.h.get(), NativeType<T>::get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0) {
      fail_h5(d.path, "cannot read");
    }
    return out;
  }

  template <typename T> std::vector<T> column(const Obj& g, const std::string& name, hsize_t n) {
    const Obj d = dataset(g, name);
    expect_shape(d, {n});
    return numbers<T>(d, n);
  }

  std::vector<std::string> string_column(const Obj& g, const std::string& name, hsize_t n) {
    const Obj d = dataset(g, name);
    expect_shape(d, {n});
    return read_string_values(d.h.get(), false, d.path);
  }

  // Length of a 1-D index dataset (a dimension scale such as /runs/run).
  hsize_t length(const Obj& g, const std::string& name) const {
    const Obj d = dataset(g, name);
    const std::vector<hsize_t> dims = shape(d);
    if (dims.size() != 1) fail(d.path, "expected a 1-D dataset");
    return dims.front();
  }

  ResultsFile read_all(hid_t file) {
    ResultsFile f;
    const Obj root = root_group(file);
    Provenance& p = f.provenance;
    p.format = attr_string(root, "format");
    p.format_version = static_cast<std::int32_t>(attr_number<std::int64_t>(root, "format_version"));
    p.itsim_version = attr_string(root, "itsim_version");
    p.git_describe = attr_string_or(root, "git_describe");
    p.command_line = attr_string(root, "command_line");
    p.created_utc = attr_string(root, "created_utc");

    const Obj scenario = group(root, "scenario");
    f.scenario.yaml_resolved = attr_string(scenario, "yaml_resolved");
    f.scenario.master_seed = attr_number<std::uint64_t>(scenario, "master_seed");
    f.models = attr_strings(scenario, "models");
    f.baseline = attr_string(scenario, "baseline");

    read_runs(root, f.runs);
    if (has_link(root, "timeseries")) f.timeseries = read_timeseries(root, f.runs.size());
    if (has_link(root, "requests")) f.requests = read_requests(root);
    if (has_link(root, "sweep")) f.sweep = read_sweep(root);
    for (const auto& name : names_of_type(root, H5I_GROUP)) {
      if (known_groups.contains(name)) continue;
      const Obj g = group(root, name);
      if (has_scale(g, "row")) f.tables.push_back(read_table(g, name));
    }
    return f;
  }

  void read_runs(const Obj& root, RunTable& r) {
    const Obj g = group(root, "runs");
    const hsize_t n = length(g, "run");
    r.model = string_column(g, "model", n);
    r.replication = column<std::uint32_t>(g, "replication", n);
    r.point = column<std::uint32_t>(g, "point", n);
    r.seed = column<std::uint64_t>(g, "seed", n);
    r.status = column<std::uint8_t>(g, "status", n);
    r.message = string_column(g, "message", n);
    if (has_link(g, "steady")) { // optional: present when runs were tested for a trend
      r.steady = column<std::uint8_t>(g, "steady", n);
      r.backlog_slope_per_year = column<double>(g, "backlog_slope_per_year", n);
    }
    for (const auto& name : dataset_names(g)) {
      if (fixed_run_columns.contains(name)) continue;
      const Obj d = dataset(g, name);
      expect_shape(d, {n});
      if (has_attr(d, "key_path")) {
        FactorColumn c;
        c.name = name;
        c.key_path = attr_string(d, "key_path");
        c.role = attr_string_or(d, "role");
        c.unit = attr_string_or(d, "units");
        c.description = attr_string_or(d, "description");
        c.values = item_values(d, n);
        r.factors.push_back(std::move(c));
        continue;
      }
      KpiColumn k;
      k.name = name;
      k.unit = attr_string_or(d, "units");
      k.description = attr_string_or(d, "description");
      k.values = numbers<double>(d, n);
      r.kpis.push_back(std::move(k));
    }
  }

  TimeSeriesSet read_timeseries(const Obj& root, std::size_t runs) {
    const Obj g = group(root, "timeseries");
    TimeSeriesSet t;
    t.start_h = attr_number<double>(g, "start_h");
    t.step_h = attr_number<double>(g, "step_h");
    const hsize_t points = length(g, "time_h");
    t.points = static_cast<std::uint32_t>(points);
    if (length(g, "run") != runs) fail(g.path + "/run", "length differs from /runs");
    const std::set<std::string> fixed = {"run", "time_h", "model", "replication", "point"};
    for (const auto& name : dataset_names(g)) {
      if (fixed.contains(name)) continue;
      const Obj d = dataset(g, name);
      expect_shape(d, {runs, points});
      TimeSeries s;
      s.name = name;
      s.unit = attr_string_or(d, "units");
      s.description = attr_string_or(d, "description");
      s.values = numbers<double>(d, runs * points);
      t.series.push_back(std::move(s));
    }
    return t;
  }

  // The values of a 1-D column of `n` float64, unsigned integer or string values.
  ItemValues item_values(const Obj& d, hsize_t n) const {
    H5Handle type(H5Dget_type(d.h.get()), H5Tclose);
    if (!type.ok()) fail_h5(d.path, "cannot inspect");
    switch (H5Tget_class(type.get())) {
    case H5T_FLOAT:
      return numbers<double>(d, n);
    case H5T_INTEGER:
      if (H5Tget_size(type.get()) <= 4 && H5Tget_sign(type.get()) == H5T_SGN_NONE) {
        return numbers<std::uint32_t>(d, n);
      }
      return numbers<std::uint64_t>(d, n);
    case H5T_STRING:
      return read_string_values(d.h.get(), false, d.path);
    default:
      fail(d.path, "expected numbers or strings");
    }
  }

  // The columns of a table over the scale `row` (/requests, the extra tables).
  std::vector<ItemColumn> item_columns(const Obj& g) const {
    const hsize_t n = length(g, "row");
    std::vector<ItemColumn> columns;
    for (const auto& name : dataset_names(g)) {
      if (name == "row") continue;
      const Obj d = dataset(g, name);
      expect_shape(d, {n});
      ItemColumn c;
      c.name = name;
      c.unit = attr_string_or(d, "units");
      c.description = attr_string_or(d, "description");
      c.values = item_values(d, n);
      columns.push_back(std::move(c));
    }
    return columns;
  }

  ItemTable read_requests(const Obj& root) {
    const Obj g = group(root, "requests");
    ItemTable t;
    t.columns = item_columns(g);
    return t;
  }

  SweepInfo read_sweep(const Obj& root) {
    const Obj g = group(root, "sweep");
    SweepInfo w;
    w.name = attr_string(g, "name");
    w.yaml = attr_string(g, "yaml");
    w.id = attr_string(g, "id");
    w.runs_total = attr_number<std::uint64_t>(g, "runs_total");
    w.points = attr_number<std::uint32_t>(g, "points");
    w.design = attr_string(g, "design");
    w.shard_index = attr_number<std::uint32_t>(g, "shard_index");
    w.shard_count = attr_number<std::uint32_t>(g, "shard_count");
    return w;
  }

  Table read_table(const Obj& g, const std::string& name) {
    Table t;
    t.group = name;
    for (const auto& a : attribute_names(g)) {
      if (a == "description") {
        t.description = attr_string(g, a);
      } else {
        t.attributes.emplace_back(a, attr_string(g, a));
      }
    }
    t.columns = item_columns(g);
    return t;
  }

  Summary read_stats(hid_t file) {
    const Obj root = root_group(file);
    Summary s;
    {
      const Obj runs = group(root, "runs");
      for (const auto& name : dataset_names(runs)) {
        if (fixed_run_columns.contains(name)) continue;
        const Obj d = dataset(runs, name);
        if (has_attr(d, "key_path")) continue; // a factor column
        s.kpi_names.push_back(name);
        s.kpi_units.push_back(attr_string_or(d, "units"));
      }
    }
    const std::size_t kpis = s.kpi_names.size();

    const Obj sg = group(root, "summary");
    s.level = attr_number<double>(sg, "confidence_level");
    const hsize_t rows = length(sg, "row");
    {
      const auto model = string_column(sg, "model", rows);
      const auto point = column<std::uint32_t>(sg, "point", rows);
      const auto ok = column<std::uint32_t>(sg, "runs_ok", rows);
      const auto failed = column<std::uint32_t>(sg, "runs_failed", rows);
      s.rows.resize(rows);
      for (std::size_t i = 0; i < rows; ++i) {
        s.rows[i].model = model[i];
        s.rows[i].point = point[i];
        s.rows[i].runs_ok = ok[i];
        s.rows[i].runs_failed = failed[i];
        s.rows[i].kpis.resize(kpis);
      }
      for (std::size_t k = 0; k < kpis; ++k) {
        const std::string& name = s.kpi_names[k];
        const auto n = column<std::uint32_t>(sg, name + "_n", rows);
        const auto mean = column<double>(sg, name + "_mean", rows);
        const auto ci = column<double>(sg, name + "_ci", rows);
        const auto p10 = column<double>(sg, name + "_p10", rows);
        const auto p50 = column<double>(sg, name + "_p50", rows);
        const auto p90 = column<double>(sg, name + "_p90", rows);
        for (std::size_t i = 0; i < rows; ++i)
          s.rows[i].kpis[k] = {n[i], mean[i], ci[i], p10[i], p50[i], p90[i]};
      }
    }

    const Obj cg = group(root, "comparison");
    s.baseline = attr_string(cg, "baseline");
    const hsize_t crows = length(cg, "row");
    const auto model = string_column(cg, "model", crows);
    const auto point = column<std::uint32_t>(cg, "point", crows);
    s.comparison.resize(crows);
    for (std::size_t i = 0; i < crows; ++i) {
      s.comparison[i].model = model[i];
      s.comparison[i].point = point[i];
      s.comparison[i].kpis.resize(kpis);
    }
    for (std::size_t k = 0; k < kpis; ++k) {
      const std::string& name = s.kpi_names[k];
      const auto n = column<std::uint32_t>(cg, name + "_n", crows);
      const auto diff = column<double>(cg, name + "_diff", crows);
      const auto ci = column<double>(cg, name + "_ci", crows);
      const auto significant = column<std::uint8_t>(cg, name + "_significant", crows);
      for (std::size_t i = 0; i < crows; ++i)
        s.comparison[i].kpis[k] = {n[i], diff[i], ci[i], significant[i] != 0};
    }
    return s;
  }

private:
  std::string path_;
};

} // namespace

ResultsFile read_results(const std::string& path) {
  const detail::QuietHdf5Errors quiet;
  Hdf5Reader reader(path);
  const H5Handle file = reader.open();
  return reader.read_all(file.get());
}

Summary read_summary(const std::string& path) {
  const detail::QuietHdf5Errors quiet;
  Hdf5Reader reader(path);
  const H5Handle file = reader.open();
  return reader.read_stats(file.get());
}

} // namespace itsim::analysis
