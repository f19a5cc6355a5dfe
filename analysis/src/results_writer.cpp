// SPDX-License-Identifier: Apache-2.0
// write_results: the HDF5 layout of docs/results-format.md, written to a temporary file that
// is renamed over the target only once it is complete and on disk.
#include "itsim/analysis/results.hpp"
#include "itsim/analysis/summary.hpp"

#include "atomic_output.hpp"
#include "hdf5_support.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace itsim::analysis {

namespace {

using detail::H5Handle;

// HDF5 closes every file still open when the program exits. A file whose close failed
// (its last flush hit a full disk; the sec2 driver's truncate at close fails on the
// /dev/null the abandoned stream points it at) stays in its tables, and that exit-time
// close then crashes HDF5 1.10. Every file here is closed explicitly, so the exit-time
// cleanup is turned off, before the library's first use (static initialisation).
[[maybe_unused]] const bool hdf5_exit_cleanup_off = [] { return H5dont_atexit() >= 0; }();

// Numeric datasets of at least this many elements are chunked and compressed (shuffle +
// gzip 4); smaller ones, where compression gains nothing, are contiguous.
constexpr std::size_t min_compressed_elements = 1024;
// Chunks hold at most this many elements: 512 KiB of float64, 64 KiB of uint8.
constexpr hsize_t max_chunk_elements = 65536;
constexpr unsigned gzip_level = 4;

// HDF5 file and memory types of the column element types.
template <typename T> struct H5Types;
template <> struct H5Types<double> {
  static hid_t file() { return H5T_IEEE_F64LE; }
  static hid_t mem() { return H5T_NATIVE_DOUBLE; }
};
template <> struct H5Types<std::uint8_t> {
  static hid_t file() { return H5T_STD_U8LE; }
  static hid_t mem() { return H5T_NATIVE_UINT8; }
};
template <> struct H5Types<std::uint32_t> {
  static hid_t file() { return H5T_STD_U32LE; }
  static hid_t mem() { return H5T_NATIVE_UINT32; }
};
template <> struct H5Types<std::uint64_t> {
  static hid_t file() { return H5T_STD_U64LE; }
  static hid_t mem() { return H5T_NATIVE_UINT64; }
};

// An open group or dataset and its path in the file, for messages.
struct Obj {
  H5Handle h;
  std::string path;
};

std::string child_path(const Obj& parent, const std::string& name) {
  return parent.path == "/" ? "/" + name : parent.path + "/" + name;
}

std::vector<const char*> c_strings(const std::vector<std::string>& v) {
  std::vector<const char*> out;
  out.reserve(v.size());
  for (const auto& s : v)
    out.push_back(s.c_str());
  return out;
}

// Writes the layout; every HDF5 failure becomes an OutputWriteError naming the target file
// (as the user gave it) and the object.
class Hdf5Writer {
public:
  explicit Hdf5Writer(std::string target) : target_(std::move(target)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw OutputWriteError(target_ + ": " + what + " " + where + ": " +
                           detail::hdf5_error_detail());
  }

  H5Handle plist(hid_t cls, const std::string& where) const {
    H5Handle p(H5Pcreate(cls), H5Pclose);
    if (!p.ok()) fail(where, "creating a property list for");
    return p;
  }

  // A group tracking the creation order of its links (and, with `attribute_order`, of its
  // attributes, for groups whose attributes are a list that must read back in order).
  Obj group(const Obj& parent, const std::string& name, bool attribute_order = false) const {
    const std::string path = child_path(parent, name);
    if (H5Lexists(parent.h.get(), name.c_str(), H5P_DEFAULT) > 0) { // made ahead (ResultsStream)
      Obj g{H5Handle(H5Gopen2(parent.h.get(), name.c_str(), H5P_DEFAULT), H5Gclose), path};
      if (!g.h.ok()) fail(path, "opening group");
      return g;
    }
    H5Handle gcpl = plist(H5P_GROUP_CREATE, path);
    if (H5Pset_obj_track_times(gcpl.get(), false) < 0 ||
        H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
      fail(path, "setting up group");
    }
    if (attribute_order &&
        H5Pset_attr_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
      fail(path, "setting up group");
    }
    Obj g{H5Handle(H5Gcreate2(parent.h.get(), name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT),
                   H5Gclose),
          path};
    if (!g.h.ok()) fail(path, "creating group");
    return g;
  }

  // Creates attribute `name` of `type` and `space` on `o` and writes `data` to it.
  void attribute(const Obj& o, const std::string& name, hid_t file_type, hid_t mem_type,
                 hid_t space, const void* data) const {
    const std::string where = "attribute " + name + " of " + o.path;
    H5Handle a(H5Acreate2(o.h.get(), name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT),
               H5Aclose);
    if (!a.ok()) fail(where, "creating");
    if (H5Awrite(a.get(), mem_type, data) < 0) fail(where, "writing");
    if (a.close() < 0) fail(where, "closing");
  }

  H5Handle scalar_space(const std::string& where) const {
    H5Handle s(H5Screate(H5S_SCALAR), H5Sclose);
    if (!s.ok()) fail(where, "creating a dataspace for");
    return s;
  }

  H5Handle simple_space(std::span<const hsize_t> dims, const std::string& where) const {
    H5Handle s(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
    if (!s.ok()) fail(where, "creating a dataspace for");
    return s;
  }

  H5Handle string_type(const std::string& where) const {
    H5Handle t = detail::utf8_string_type();
    if (!t.ok()) fail(where, "creating a string type for");
    return t;
  }

  void attr_string(const Obj& o, const std::string& name, const std::string& value) const {
    const H5Handle t = string_type(o.path);
    const H5Handle s = scalar_space(o.path);
    const char* p = value.c_str();
    attribute(o, name, t.get(), t.get(), s.get(), &p);
  }

  void attr_strings(const Obj& o, const std::string& name,
                    const std::vector<std::string>& values) const {
    const H5Handle t = string_type(o.path);
    const hsize_t dims[1] = {values.size()};
    const H5Handle s = simple_space(dims, o.path);
    const std::vector<const char*> p = c_strings(values);
    attribute(o, name, t.get(), t.get(), s.get(), p.data());
  }

  template <typename T> void attr_number(const Obj& o, const std::string& name, T value) const {
    const H5Handle s = scalar_space(o.path);
    attribute(o, name, H5Types<T>::file(), H5Types<T>::mem(), s.get(), &value);
  }

  void attr_i32(const Obj& o, const std::string& name, std::int32_t value) const {
    const H5Handle s = scalar_space(o.path);
    attribute(o, name, H5T_STD_I32LE, H5T_NATIVE_INT32, s.get(), &value);
  }

  // The `units` (when not empty) and `description` attributes of a dataset.
  void describe(const Obj& d, const std::string& unit, const std::string& description) const {
    if (!unit.empty()) attr_string(d, "units", unit);
    attr_string(d, "description", description);
  }

  // Creates a dataset of `dims` and writes `data`: numeric ones chunked and compressed
  // when large enough, strings contiguous (compression would only see heap references).
  Obj dataset(const Obj& g, const std::string& name, hid_t file_type, hid_t mem_type,
              std::span<const hsize_t> dims, const void* data, bool numeric) const {
    const std::string path = child_path(g, name);
    hsize_t elements = 1;
    for (hsize_t d : dims)
      elements *= d;
    H5Handle dcpl = plist(H5P_DATASET_CREATE, path);
    if (H5Pset_obj_track_times(dcpl.get(), false) < 0) fail(path, "setting up dataset");
    if (numeric && elements >= min_compressed_elements) {
      // The last dimension first, up to max_chunk_elements in all.
      std::vector<hsize_t> chunk(dims.begin(), dims.end());
      hsize_t budget = max_chunk_elements;
      for (std::size_t i = chunk.size(); i-- > 0;) {
        chunk[i] = std::max<hsize_t>(1, std::min(chunk[i], budget));
        budget = std::max<hsize_t>(1, budget / chunk[i]);
      }
      if (H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()) < 0 ||
          H5Pset_shuffle(dcpl.get()) < 0 || H5Pset_deflate(dcpl.get(), gzip_level) < 0) {
        fail(path, "setting up chunks and compression of dataset");
      }
    }
    const H5Handle space = simple_space(dims, path);
    Obj d{H5Handle(H5Dcreate2(g.h.get(), name.c_str(), file_type, space.get(), H5P_DEFAULT,
                              dcpl.get(), H5P_DEFAULT),
                   H5Dclose),
          path};
    if (!d.h.ok()) fail(path, "creating dataset");
    if (elements > 0 && H5Dwrite(d.h.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
      fail(path, "writing dataset");
    }
    return d;
  }

  // An empty 1-D dataset of `file_type` that grows as rows are appended: chunked
  // (max_chunk_elements a chunk) and compressed whatever its final length.
  Obj extendible(const Obj& g, const std::string& name, hid_t file_type) const {
    const std::string path = child_path(g, name);
    H5Handle dcpl = plist(H5P_DATASET_CREATE, path);
    const hsize_t chunk[1] = {max_chunk_elements};
    if (H5Pset_obj_track_times(dcpl.get(), false) < 0 || H5Pset_chunk(dcpl.get(), 1, chunk) < 0 ||
        H5Pset_shuffle(dcpl.get()) < 0 || H5Pset_deflate(dcpl.get(), gzip_level) < 0) {
      fail(path, "setting up chunks and compression of dataset");
    }
    const hsize_t dims[1] = {0};
    const hsize_t max[1] = {H5S_UNLIMITED};
    const H5Handle space(H5Screate_simple(1, dims, max), H5Sclose);
    if (!space.ok()) fail(path, "creating a dataspace for");
    Obj d{H5Handle(H5Dcreate2(g.h.get(), name.c_str(), file_type, space.get(), H5P_DEFAULT,
                              dcpl.get(), H5P_DEFAULT),
                   H5Dclose),
          path};
    if (!d.h.ok()) fail(path, "creating dataset");
    return d;
  }

  // Appends `n` elements of `data` to the extendible dataset d, which holds `offset` now.
  void append(const Obj& d, hid_t mem_type, hsize_t offset, hsize_t n, const void* data) const {
    if (n == 0) return;
    const hsize_t size[1] = {offset + n};
    if (H5Dset_extent(d.h.get(), size) < 0) fail(d.path, "extending dataset");
    const H5Handle file_space(H5Dget_space(d.h.get()), H5Sclose);
    const hsize_t start[1] = {offset};
    const hsize_t count[1] = {n};
    const H5Handle mem_space(H5Screate_simple(1, count, nullptr), H5Sclose);
    if (!file_space.ok() || !mem_space.ok() ||
        H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr) < 0 ||
        H5Dwrite(d.h.get(), mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, data) < 0) {
      fail(d.path, "writing dataset");
    }
  }

  // The fixed-length UTF-8 string type of `width` bytes, NUL-padded, of long string columns.
  H5Handle fixed_string_type(std::size_t width, const std::string& where) const {
    H5Handle t(H5Tcopy(H5T_C_S1), H5Tclose);
    if (!t.ok() || H5Tset_size(t.get(), width) < 0 || H5Tset_strpad(t.get(), H5T_STR_NULLPAD) < 0 ||
        H5Tset_cset(t.get(), H5T_CSET_UTF8) < 0) {
      fail(where, "creating a string type for");
    }
    return t;
  }

  template <typename T>
  Obj column(const Obj& g, const std::string& name, const std::vector<T>& values) const {
    const hsize_t dims[1] = {values.size()};
    return dataset(g, name, H5Types<T>::file(), H5Types<T>::mem(), dims, values.data(), true);
  }

  // Short string columns are variable-length; long ones (a per-item table, the runs of a
  // sweep) fixed-length, padded with NULs to the longest value and compressed, since
  // variable-length strings cannot be (the heap is not filtered). The attribute
  // `_Encoding` = "utf-8" makes xarray decode the bytes to str as it does the others.
  Obj column(const Obj& g, const std::string& name, const std::vector<std::string>& values) const {
    const std::string path = child_path(g, name);
    const hsize_t dims[1] = {values.size()};
    if (values.size() < min_compressed_elements) {
      const H5Handle t = string_type(path);
      const std::vector<const char*> p = c_strings(values);
      return dataset(g, name, t.get(), t.get(), dims, p.data(), false);
    }
    std::size_t width = 1;
    for (const std::string& v : values)
      width = std::max(width, v.size());
    std::vector<char> packed(values.size() * width, '\0');
    for (std::size_t i = 0; i < values.size(); ++i)
      std::memcpy(packed.data() + i * width, values[i].data(), values[i].size());
    const H5Handle t = fixed_string_type(width, path);
    Obj d = dataset(g, name, t.get(), t.get(), dims, packed.data(), true);
    attr_string(d, "_Encoding", "utf-8");
    return d;
  }

  Obj matrix(const Obj& g, const std::string& name, const std::vector<double>& values, hsize_t rows,
             hsize_t cols) const {
    const hsize_t dims[2] = {rows, cols};
    return dataset(g, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dims, values.data(), true);
  }

  // An index 0..n-1 made a dimension scale: the coordinate xarray builds a table on.
  Obj scale(const Obj& g, const std::string& name, std::size_t n,
            const std::string& description) const {
    std::vector<std::uint32_t> index(n);
    for (std::size_t i = 0; i < n; ++i)
      index[i] = static_cast<std::uint32_t>(i);
    Obj s = column(g, name, index);
    if (H5DSset_scale(s.h.get(), name.c_str()) < 0) fail(s.path, "making a dimension scale of");
    attr_string(s, "description", description);
    return s;
  }

  // Attaches d's dimensions to `scales` (dimension i to scales[i]) as H5DSattach_scale
  // does: d gets its DIMENSION_LIST attribute here; each scale's REFERENCE_LIST (the
  // datasets attached to it) is collected and written once by finish_scale. H5DSattach_scale
  // itself rereads, checks and rewrites the whole REFERENCE_LIST on every attach, which
  // makes a table of n columns cost O(n^2) dereferences.
  void attach(const Obj& d, std::initializer_list<const Obj*> scales) const {
    const std::string where = "attaching dimension scales to";
    hobj_ref_t self = 0;
    if (H5Rcreate(&self, d.h.get(), ".", H5R_OBJECT, -1) < 0) fail(d.path, where);
    std::vector<hobj_ref_t> refs(scales.size());
    std::vector<hvl_t> list(scales.size());
    unsigned dim = 0;
    for (const Obj* s : scales) {
      if (H5Rcreate(&refs[dim], s->h.get(), ".", H5R_OBJECT, -1) < 0) fail(d.path, where);
      list[dim].len = 1;
      list[dim].p = &refs[dim];
      pending_[s->path].push_back({self, dim});
      ++dim;
    }
    const H5Handle t(H5Tvlen_create(H5T_STD_REF_OBJ), H5Tclose);
    if (!t.ok()) fail(d.path, where);
    const hsize_t dims[1] = {scales.size()};
    const H5Handle space = simple_space(dims, d.path);
    attribute(d, "DIMENSION_LIST", t.get(), t.get(), space.get(), list.data());
  }

  // Writes the REFERENCE_LIST of scale s: every dataset attached to it, in attach order.
  void finish_scale(const Obj& s) const {
    const auto it = pending_.find(s.path);
    if (it == pending_.end()) return;
    const H5Handle t(H5Tcreate(H5T_COMPOUND, sizeof(ScaleRef)), H5Tclose);
    if (!t.ok() || H5Tinsert(t.get(), "dataset", HOFFSET(ScaleRef, ref), H5T_STD_REF_OBJ) < 0 ||
        H5Tinsert(t.get(), "dimension", HOFFSET(ScaleRef, dim), H5T_NATIVE_INT) < 0) {
      fail(s.path, "creating the reference list type of");
    }
    const hsize_t dims[1] = {it->second.size()};
    const H5Handle space = simple_space(dims, s.path);
    attribute(s, "REFERENCE_LIST", t.get(), t.get(), space.get(), it->second.data());
    pending_.erase(it);
  }

  template <typename T>
  void table_column(const Obj& g, const Obj& scale, const std::string& name,
                    const std::vector<T>& values, const std::string& unit,
                    const std::string& description) const {
    Obj d = column(g, name, values);
    describe(d, unit, description);
    attach(d, {&scale});
    if (d.h.close() < 0) fail(d.path, "closing dataset");
  }

  void write(hid_t file, const ResultsFile& f, const Summary& s) const {
    Obj root{H5Handle(H5Gopen2(file, "/", H5P_DEFAULT), H5Gclose), "/"};
    if (!root.h.ok()) fail("/", "opening group");
    write_root(root, f);
    write_scenario(root, f);
    write_runs(root, f);
    write_summary(root, s);
    write_comparison(root, s);
    if (f.timeseries) write_timeseries(root, f);
    if (f.requests) write_requests(root, *f.requests);
    if (f.sweep) write_sweep(root, *f.sweep);
    for (const auto& t : f.tables)
      write_table(root, t);
    if (!pending_.empty()) fail(pending_.begin()->first, "writing the reference list of scale");
  }

  void write_root(const Obj& root, const ResultsFile& f) const {
    const Provenance& p = f.provenance;
    attr_string(root, "format", std::string(results_format));
    attr_i32(root, "format_version", results_format_version);
    attr_string(root, "itsim_version", p.itsim_version);
    attr_string(root, "git_describe", p.git_describe);
    attr_string(root, "created_utc", p.created_utc.empty() ? utc_now_iso8601() : p.created_utc);
    attr_string(root, "command_line", p.command_line);
  }

  void write_scenario(const Obj& root, const ResultsFile& f) const {
    const Obj g = group(root, "scenario");
    attr_string(g, "yaml_resolved", f.scenario.yaml_resolved);
    attr_number<std::uint64_t>(g, "master_seed", f.scenario.master_seed);
    attr_strings(g, "models", f.models);
    attr_string(g, "baseline", f.baseline);
  }

  void write_runs(const Obj& root, const ResultsFile& f) const {
    const RunTable& r = f.runs;
    const Obj g = group(root, "runs");
    const Obj run = scale(g, "run", r.size(), "run index: the row of this table");
    table_column(g, run, "model", r.model, "", "model id (one of /scenario models)");
    table_column(g, run, "replication", r.replication, "", "replication index, from 0");
    table_column(g, run, "point", r.point, "", "sweep point index (0 without a sweep)");
    table_column(g, run, "seed", r.seed, "", "seed of the run's random streams");
    table_column(g, run, "status", r.status, "", "0 = ok; otherwise the run failed (message)");
    table_column(g, run, "message", r.message, "", "why the run failed; empty when ok");
    if (!r.steady.empty()) {
      table_column(g, run, "steady", r.steady, "",
                   "backlog after the warm-up: 1 steady, 0 trending, 2 too short to tell, "
                   "255 not tested");
      table_column(g, run, "backlog_slope_per_year", r.backlog_slope_per_year, "items/year",
                   "trend of the backlog after the warm-up; NaN when not tested or too short");
    }
    for (const auto& c : r.factors) {
      Obj d = std::visit([&](const auto& values) { return column(g, c.name, values); }, c.values);
      describe(d, c.unit, c.description);
      attr_string(d, "key_path", c.key_path);
      attr_string(d, "role", c.role);
      attach(d, {&run});
      if (d.h.close() < 0) fail(d.path, "closing dataset");
    }
    for (const auto& k : r.kpis)
      table_column(g, run, k.name, k.values, k.unit, k.description);
    finish_scale(run);
  }

  // Rows of /summary or /comparison: the `row` scale and the model and point columns.
  template <typename Row> Obj row_keys(const Obj& g, const std::vector<Row>& rows) const {
    Obj row = scale(g, "row", rows.size(), "row index");
    std::vector<std::string> model;
    std::vector<std::uint32_t> point;
    for (const auto& x : rows) {
      model.push_back(x.model);
      point.push_back(x.point);
    }
    table_column(g, row, "model", model, "", "model id");
    table_column(g, row, "point", point, "", "sweep point index (0 without a sweep)");
    return row;
  }

  void write_summary(const Obj& root, const Summary& s) const {
    const Obj g = group(root, "summary");
    attr_number<double>(g, "confidence_level", s.level);
    attr_string(g, "percentile_method", "linear (numpy's default, R type 7)");
    const Obj row = row_keys(g, s.rows);
    std::vector<std::uint32_t> ok;
    std::vector<std::uint32_t> failed;
    for (const auto& x : s.rows) {
      ok.push_back(x.runs_ok);
      failed.push_back(x.runs_failed);
    }
    table_column(g, row, "runs_ok", ok, "", "runs with status 0");
    table_column(g, row, "runs_failed", failed, "", "runs with another status");
    const std::string level = std::to_string(static_cast<int>(s.level * 100.0 + 0.5)) + " %";
    std::vector<std::uint32_t> n(s.rows.size());
    std::vector<double> v(s.rows.size());
    for (std::size_t k = 0; k < s.kpi_names.size(); ++k) {
      const std::string& name = s.kpi_names[k];
      const std::string& unit = s.kpi_units[k];
      for (std::size_t i = 0; i < s.rows.size(); ++i)
        n[i] = s.rows[i].kpis[k].n;
      table_column(g, row, name + "_n", n, "",
                   "ok replications with a finite " + name + " (behind the statistics)");
      const auto stat = [&](const char* suffix, double KpiSummary::*member,
                            const std::string& description) {
        for (std::size_t i = 0; i < s.rows.size(); ++i)
          v[i] = s.rows[i].kpis[k].*member;
        table_column(g, row, name + suffix, v, unit, description);
      };
      stat("_mean", &KpiSummary::mean, "mean of " + name + " over replications");
      stat("_ci", &KpiSummary::ci_half_width,
           level + " confidence interval half-width (Student t) of the mean of " + name);
      stat("_p10", &KpiSummary::p10, "10th percentile of " + name + " over replications");
      stat("_p50", &KpiSummary::p50, "median of " + name + " over replications");
      stat("_p90", &KpiSummary::p90, "90th percentile of " + name + " over replications");
    }
    finish_scale(row);
  }

  void write_comparison(const Obj& root, const Summary& s) const {
    const Obj g = group(root, "comparison");
    attr_string(g, "baseline", s.baseline);
    attr_number<double>(g, "confidence_level", s.level);
    attr_string(g, "difference", "model - baseline, paired by replication and point");
    const Obj row = row_keys(g, s.comparison);
    const std::string level = std::to_string(static_cast<int>(s.level * 100.0 + 0.5)) + " %";
    const std::size_t rows = s.comparison.size();
    std::vector<std::uint32_t> n(rows);
    std::vector<double> diff(rows);
    std::vector<double> ci(rows);
    std::vector<std::uint8_t> significant(rows);
    for (std::size_t k = 0; k < s.kpi_names.size(); ++k) {
      const std::string& name = s.kpi_names[k];
      for (std::size_t i = 0; i < rows; ++i) {
        const KpiDifference& d = s.comparison[i].kpis[k];
        n[i] = d.n;
        diff[i] = d.mean;
        ci[i] = d.ci_half_width;
        significant[i] = d.significant ? 1 : 0;
      }
      table_column(g, row, name + "_n", n, "", "replications paired (both runs ok and finite)");
      table_column(g, row, name + "_diff", diff, s.kpi_units[k],
                   "mean paired difference of " + name + ", model - baseline");
      table_column(g, row, name + "_ci", ci, s.kpi_units[k],
                   level + " confidence interval half-width (paired t) of " + name + "_diff");
      table_column(g, row, name + "_significant", significant, "",
                   "1 when the interval excludes 0, else 0");
    }
    finish_scale(row);
  }

  void write_timeseries(const Obj& root, const ResultsFile& f) const {
    const TimeSeriesSet& t = *f.timeseries;
    const RunTable& r = f.runs;
    const Obj g = group(root, "timeseries");
    attr_number<double>(g, "start_h", t.start_h);
    attr_number<double>(g, "step_h", t.step_h);
    const Obj run = scale(g, "run", r.size(), "run index: the row of /runs");
    table_column(g, run, "model", r.model, "", "model id (as /runs model)");
    table_column(g, run, "replication", r.replication, "", "replication (as /runs replication)");
    table_column(g, run, "point", r.point, "", "sweep point (as /runs point)");
    std::vector<double> times(t.points);
    for (std::size_t i = 0; i < times.size(); ++i)
      times[i] = t.time_h(i);
    Obj time = column(g, "time_h", times);
    if (H5DSset_scale(time.h.get(), "time_h") < 0) fail(time.path, "making a dimension scale of");
    describe(time, "h", "simulated time of the sample, hours from the start of the run");
    for (const auto& s : t.series) {
      Obj d = matrix(g, s.name, s.values, r.size(), t.points);
      describe(d, s.unit, s.description);
      attach(d, {&run, &time});
      if (d.h.close() < 0) fail(d.path, "closing dataset");
    }
    finish_scale(run);
    finish_scale(time);
  }

  void write_columns(const Obj& g, const Obj& row, const std::vector<ItemColumn>& columns) const {
    for (const auto& c : columns) {
      std::visit(
          [&](const auto& values) { table_column(g, row, c.name, values, c.unit, c.description); },
          c.values);
    }
  }

  void write_requests(const Obj& root, const ItemTable& t) const {
    const Obj g = group(root, "requests");
    const Obj row = scale(g, "row", t.rows(), "item index");
    write_columns(g, row, t.columns);
    finish_scale(row);
  }

  void write_sweep(const Obj& root, const SweepInfo& w) const {
    const Obj g = group(root, "sweep");
    attr_string(g, "name", w.name);
    attr_string(g, "yaml", w.yaml);
    attr_string(g, "id", w.id);
    attr_number<std::uint64_t>(g, "runs_total", w.runs_total);
    attr_number<std::uint32_t>(g, "points", w.points);
    attr_string(g, "design", w.design);
    attr_number<std::uint32_t>(g, "shard_index", w.shard_index);
    attr_number<std::uint32_t>(g, "shard_count", w.shard_count);
  }

  void write_table(const Obj& root, const Table& t) const {
    const Obj g = group(root, t.group, true);
    attr_string(g, "description", t.description);
    for (const auto& [name, value] : t.attributes)
      attr_string(g, name, value);
    const Obj row = scale(g, "row", t.rows(), "row index");
    write_columns(g, row, t.columns);
    finish_scale(row);
  }

private:
  // An entry of a scale's REFERENCE_LIST, laid out as the HDF5 high-level library's own.
  struct ScaleRef {
    hobj_ref_t ref;
    unsigned int dim;
  };

  std::string target_;
  // The datasets attached to each scale (by path) whose REFERENCE_LIST is not written yet.
  mutable std::map<std::string, std::vector<ScaleRef>> pending_;
};

// Upper bound of the file's size in bytes, before compression: the in-memory file grows
// by this much at a time, so it is allocated once and never copied as it grows.
std::size_t size_estimate(const ResultsFile& f, const Summary& s) {
  std::size_t datasets = 16;
  std::size_t bytes = 1 << 20;
  auto strings = [&](const std::vector<std::string>& v) {
    for (const auto& x : v)
      bytes += x.size() + 32;
  };
  const std::size_t runs = f.runs.size();
  strings(f.runs.model);
  strings(f.runs.message);
  bytes += runs * (4 + 4 + 8 + 1 + 4 + 8 * f.runs.kpis.size());
  datasets += 8 + f.runs.kpis.size();
  bytes += f.runs.steady.size() * (1 + 8);
  if (!f.runs.steady.empty()) datasets += 2;
  bytes += f.scenario.yaml_resolved.size() + f.provenance.command_line.size();
  const std::size_t rows = s.rows.size() + s.comparison.size();
  bytes += rows * (64 + s.kpi_names.size() * 6 * 8);
  datasets += 10 + 10 * s.kpi_names.size();
  if (f.timeseries) {
    bytes += runs * 48 + 8 * f.timeseries->points;
    for (const auto& x : f.timeseries->series)
      bytes += 8 * x.values.size();
    datasets += 6 + f.timeseries->series.size();
  }
  auto values = [&](const ItemValues& v) {
    std::visit(
        [&](const auto& x) {
          using T = typename std::decay_t<decltype(x)>::value_type;
          if constexpr (std::is_same_v<T, std::string>) {
            strings(x);
          } else {
            bytes += sizeof(T) * x.size();
          }
        },
        v);
  };
  for (const auto& c : f.runs.factors) {
    values(c.values);
    bytes += c.key_path.size() + c.description.size() + 256;
  }
  datasets += f.runs.factors.size();
  if (f.requests) {
    for (const auto& c : f.requests->columns)
      values(c.values);
    bytes += 4 * f.requests->rows();
    datasets += 1 + f.requests->columns.size();
  }
  if (f.sweep) bytes += f.sweep->yaml.size() + f.sweep->name.size() + 1024;
  for (const auto& t : f.tables) {
    for (const auto& c : t.columns)
      values(c.values);
    for (const auto& [name, value] : t.attributes)
      bytes += name.size() + value.size() + 64;
    bytes += 4 * t.rows() + t.description.size();
    datasets += 2 + t.columns.size();
  }
  return bytes + datasets * 4096;
}

// Builds the file in memory (HDF5's core driver, no backing store) and returns its bytes.
// HDF5 never touches the disk, so an I/O error cannot strand it half-closed: HDF5 1.10
// keeps a file whose close failed in its tables and crashes at exit trying to close it
// again. Writing the bytes is then plain POSIX I/O with plain errors.
std::vector<char> build_image(const std::string& path, const ResultsFile& file,
                              const Summary& summary) {
  const detail::QuietHdf5Errors quiet;
  const Hdf5Writer w(path);
  H5Handle fcpl = w.plist(H5P_FILE_CREATE, "/");
  if (H5Pset_obj_track_times(fcpl.get(), false) < 0 ||
      H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
    w.fail("/", "setting up the root group");
  }
  H5Handle fapl = w.plist(H5P_FILE_ACCESS, "/");
  if (H5Pset_fapl_core(fapl.get(), size_estimate(file, summary), false) < 0) {
    w.fail("/", "setting up the in-memory file for");
  }
  H5Handle h5file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), H5Fclose);
  if (!h5file.ok()) w.fail("the file", "creating");
  w.write(h5file.get(), file, summary);
  // Every object is closed; flush the metadata cache into the image before copying it.
  if (H5Fflush(h5file.get(), H5F_SCOPE_GLOBAL) < 0) w.fail("the file", "flushing");
  const ssize_t size = H5Fget_file_image(h5file.get(), nullptr, 0);
  if (size < 0) w.fail("the file", "finishing");
  std::vector<char> image(static_cast<std::size_t>(size));
  if (H5Fget_file_image(h5file.get(), image.data(), image.size()) != size) {
    w.fail("the file", "copying out");
  }
  if (h5file.close() < 0) w.fail("the file", "closing");
  return image;
}

} // namespace

void check_output_path(const std::string& path, const WriteOptions& options) {
  detail::check_target(path, options.force);
  const detail::TempFile probe(path); // created, then closed and removed
}

void write_results(const std::string& path, const ResultsFile& file, const WriteOptions& options) {
  const Summary summary = summarize(file); // validates `file` before anything is created
  detail::check_target(path, options.force);
  const std::vector<char> image = build_image(path, file, summary);
  detail::TempFile temp(path);
  temp.write_and_close(image);
  detail::publish(temp.path(), path, options.force);
  temp.release();
}

struct ResultsStream::Impl {
  Impl(const std::string& path, const WriteOptions& o) : target(path), options(o), w(path) {}

  std::string target;
  WriteOptions options;
  std::optional<detail::TempFile> temp; // destroyed (removed unless published) after `file`
  Hdf5Writer w;
  H5Handle file;
  Obj root;
  Obj requests;
  Obj row;
  std::vector<Obj> datasets; // per column of `layout`
  ItemTable layout;          // names and types; no values
  std::vector<std::size_t> widths;
  std::vector<std::vector<std::string>> strings; // buffered rows of string columns
  ItemTable buffer;                              // buffered rows of numeric columns
  std::uint64_t written = 0;                     // rows in the file
  std::uint64_t runs_needed = 0;                 // 1 + the largest run named
  bool done = false;

  std::size_t buffered() const { return buffer.rows(); }

  // Writes the first `n` buffered rows and drops them from the buffer.
  void flush(std::size_t n) {
    if (n == 0) return;
    std::vector<std::uint32_t> index(n);
    for (std::size_t i = 0; i < n; ++i)
      index[i] = static_cast<std::uint32_t>(written + i);
    w.append(row, H5T_NATIVE_UINT32, written, n, index.data());
    std::vector<char> packed;
    for (std::size_t k = 0; k < layout.columns.size(); ++k) {
      std::visit(
          [&](auto& values) {
            using T = typename std::decay_t<decltype(values)>::value_type;
            if constexpr (std::is_same_v<T, std::string>) {
              const std::size_t width = widths[k];
              packed.assign(n * width, '\0');
              for (std::size_t i = 0; i < n; ++i)
                std::memcpy(packed.data() + i * width, values[i].data(), values[i].size());
              const H5Handle t = w.fixed_string_type(width, datasets[k].path);
              w.append(datasets[k], t.get(), written, n, packed.data());
            } else {
              w.append(datasets[k], H5Types<T>::mem(), written, n, values.data());
            }
            values.erase(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(n));
          },
          buffer.columns[k].values);
    }
    written += n;
  }
};

ResultsStream::ResultsStream(const std::string& path, const ItemTable& layout,
                             const std::vector<std::size_t>& string_widths, bool timeseries,
                             const WriteOptions& options)
    : impl_(std::make_unique<Impl>(path, options)) {
  Impl& m = *impl_;
  if (layout.column("run") == nullptr)
    throw std::invalid_argument("requests: no column 'run' (the row of /runs of each item)");
  if (string_widths.size() != layout.columns.size())
    throw std::invalid_argument("requests: a width for every column is needed");
  m.layout = layout;
  m.widths = string_widths;
  for (std::size_t k = 0; k < m.layout.columns.size(); ++k) {
    ItemColumn& c = m.layout.columns[k];
    std::visit([](auto& v) { v.clear(); }, c.values);
    m.widths[k] = std::max<std::size_t>(1, m.widths[k]);
  }
  m.buffer = m.layout;
  detail::check_target(path, options.force);
  m.temp.emplace(path);
  const detail::QuietHdf5Errors quiet;
  const Hdf5Writer& w = m.w;
  H5Handle fcpl = w.plist(H5P_FILE_CREATE, "/");
  if (H5Pset_obj_track_times(fcpl.get(), false) < 0 ||
      H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED) < 0) {
    w.fail("/", "setting up the root group");
  }
  // Closing the file closes whatever is still open in it (a dataset whose close failed
  // stays open in HDF5's tables otherwise, and HDF5 crashes at exit flushing it).
  H5Handle fapl = w.plist(H5P_FILE_ACCESS, "/");
  if (H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG) < 0) w.fail("/", "setting up");
  m.file =
      H5Handle(H5Fcreate(m.temp->path().c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), H5Fclose);
  if (!m.file.ok()) w.fail("the file", "creating");
  m.root = Obj{H5Handle(H5Gopen2(m.file.get(), "/", H5P_DEFAULT), H5Gclose), "/"};
  if (!m.root.h.ok()) w.fail("/", "opening group");
  // The groups write_results makes before /requests, made now (empty) so that the file
  // lists them in the same order; finish() fills them.
  std::vector<std::string> before = {"scenario", "runs", "summary", "comparison"};
  if (timeseries) before.push_back("timeseries");
  for (const std::string& name : before)
    (void)w.group(m.root, name);
  m.requests = w.group(m.root, "requests");
  m.row = w.extendible(m.requests, "row", H5T_STD_U32LE);
  if (H5DSset_scale(m.row.h.get(), "row") < 0) w.fail(m.row.path, "making a dimension scale of");
  w.attr_string(m.row, "description", "item index");
  for (std::size_t k = 0; k < m.layout.columns.size(); ++k) {
    const ItemColumn& c = m.layout.columns[k];
    const std::string where = child_path(m.requests, c.name);
    Obj d = std::visit(
        [&](const auto& values) {
          using T = typename std::decay_t<decltype(values)>::value_type;
          if constexpr (std::is_same_v<T, std::string>) {
            const H5Handle t = w.fixed_string_type(m.widths[k], where);
            Obj o = w.extendible(m.requests, c.name, t.get());
            w.attr_string(o, "_Encoding", "utf-8");
            return o;
          } else {
            return w.extendible(m.requests, c.name, H5Types<T>::file());
          }
        },
        c.values);
    w.describe(d, c.unit, c.description);
    w.attach(d, {&m.row});
    m.datasets.push_back(std::move(d));
  }
}

ResultsStream::~ResultsStream() {
  if (!impl_ || impl_->done || !impl_->file.ok()) return;
  // Abandoned (an error, an interruption): HDF5 would flush what it holds as the file
  // closes, and HDF5 1.10 keeps a file whose close failed (a full disk) in its tables and
  // crashes at exit. Point its descriptor at /dev/null first: the close then succeeds, and
  // the temporary file is removed.
  const detail::QuietHdf5Errors quiet;
  void* handle = nullptr;
  if (H5Fget_vfd_handle(impl_->file.get(), H5P_DEFAULT, &handle) >= 0 && handle != nullptr) {
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) {
      (void)::dup2(null, *static_cast<int*>(handle));
      ::close(null);
    }
  }
  // Objects whose close failed stay open in HDF5's tables: close them again, now that
  // their writes go nowhere, so that the file really closes.
  const hid_t f = impl_->file.get();
  const ssize_t open = H5Fget_obj_count(f, H5F_OBJ_LOCAL | H5F_OBJ_DATASET | H5F_OBJ_GROUP |
                                               H5F_OBJ_DATATYPE | H5F_OBJ_ATTR);
  if (open > 0) {
    std::vector<hid_t> ids(static_cast<std::size_t>(open));
    const ssize_t n = H5Fget_obj_ids(
        f, H5F_OBJ_LOCAL | H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR,
        ids.size(), ids.data());
    for (ssize_t i = 0; i < n; ++i) {
      const auto id = ids[static_cast<std::size_t>(i)];
      if (H5Iget_type(id) == H5I_ATTR) {
        (void)H5Aclose(id);
      } else {
        (void)H5Oclose(id);
      }
    }
  }
  impl_.reset();
}

void ResultsStream::append_requests(const ItemTable& rows) {
  Impl& m = *impl_;
  if (m.done) throw std::logic_error("ResultsStream: append after finish");
  if (rows.columns.size() != m.layout.columns.size())
    throw std::invalid_argument("requests: the rows' columns differ from the layout");
  const std::size_t n = rows.rows();
  for (std::size_t k = 0; k < rows.columns.size(); ++k) {
    const ItemColumn& c = rows.columns[k];
    if (c.name != m.layout.columns[k].name ||
        c.values.index() != m.layout.columns[k].values.index() || c.size() != n) {
      throw std::invalid_argument("requests." + c.name + ": differs from the layout");
    }
  }
  for (std::size_t k = 0; k < rows.columns.size(); ++k) {
    std::visit(
        [&](const auto& values) {
          using V = std::decay_t<decltype(values)>;
          using T = typename V::value_type;
          auto& into = std::get<V>(m.buffer.columns[k].values);
          if constexpr (std::is_same_v<T, std::string>) {
            for (const std::string& v : values) {
              if (v.size() > m.widths[k] || v.find('\0') != std::string::npos)
                throw std::invalid_argument("requests." + rows.columns[k].name + ": value '" + v +
                                            "' longer than its width or holding a NUL");
            }
          } else if (rows.columns[k].name == "run") {
            for (const T v : values)
              m.runs_needed = std::max<std::uint64_t>(m.runs_needed, std::uint64_t(v) + 1);
          }
          into.insert(into.end(), values.begin(), values.end());
        },
        rows.columns[k].values);
  }
  const detail::QuietHdf5Errors quiet;
  const std::size_t whole = m.buffered() / max_chunk_elements * max_chunk_elements;
  m.flush(whole); // whole chunks only: each is compressed and written once
}

std::uint64_t ResultsStream::request_rows() const {
  return impl_->written + impl_->buffered();
}

void ResultsStream::finish(const ResultsFile& file) {
  Impl& m = *impl_;
  if (m.done) throw std::logic_error("ResultsStream: finish twice");
  if (file.requests) throw std::invalid_argument("requests: streamed; the file must hold none");
  const Summary summary = summarize(file); // validates `file`
  if (m.runs_needed > file.runs.size()) {
    throw std::invalid_argument("requests.run: a row names run " +
                                std::to_string(m.runs_needed - 1) + " of " +
                                std::to_string(file.runs.size()));
  }
  const bool has_timeseries = H5Lexists(m.root.h.get(), "timeseries", H5P_DEFAULT) > 0;
  if (has_timeseries != file.timeseries.has_value())
    throw std::invalid_argument("timeseries: the stream was opened for the other case");
  const detail::QuietHdf5Errors quiet;
  m.flush(m.buffered());
  // Every chunk to the file while the datasets are open: a failure here leaves them to the
  // destructor, which closes them against /dev/null.
  if (H5Fflush(m.file.get(), H5F_SCOPE_GLOBAL) < 0) m.w.fail("the file", "flushing");
  for (Obj& d : m.datasets)
    if (d.h.close() < 0) m.w.fail(d.path, "closing dataset");
  m.w.finish_scale(m.row);
  if (m.row.h.close() < 0) m.w.fail(m.row.path, "closing dataset");
  if (m.requests.h.close() < 0) m.w.fail(m.requests.path, "closing group");
  m.w.write(m.file.get(), file, summary);
  if (m.root.h.close() < 0) m.w.fail("/", "closing group");
  if (H5Fflush(m.file.get(), H5F_SCOPE_GLOBAL) < 0) m.w.fail("the file", "flushing");
  void* handle = nullptr;
  if (H5Fget_vfd_handle(m.file.get(), H5P_DEFAULT, &handle) < 0 || handle == nullptr)
    m.w.fail("the file", "flushing");
  if (::fsync(*static_cast<int*>(handle)) != 0)
    throw OutputWriteError(m.target + ": flushing to disk: " + std::strerror(errno));
  if (m.file.close() < 0) m.w.fail("the file", "closing");
  m.done = true; // closed: nothing left for the destructor to abandon
  detail::publish(m.temp->path(), m.target, m.options.force);
  m.temp->release();
}

} // namespace itsim::analysis
