// SPDX-License-Identifier: Apache-2.0
#include "itsim/experiments/journal.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

#include "itsim/analysis/results.hpp"
#include "itsim/sim/error.hpp"

namespace itsim::experiments {

namespace fs = std::filesystem;

namespace {

static_assert(std::endian::native == std::endian::little,
              "the journal is written in the machine's byte order, little-endian");

constexpr char header_magic[8] = {'I', 'T', 'S', 'I', 'M', 'J', '0', '1'};
constexpr char record_magic[4] = {'R', 'U', 'N', '1'};
constexpr std::size_t header_size = 8 + 16 + 8 + 4;
constexpr std::uint32_t max_message = 1u << 20;

std::uint64_t fnv1a(const char* data, std::size_t n) {
  std::uint64_t h = 1469598103934665603ULL;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 1099511628211ULL;
  }
  return h;
}

template <class T> void put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out.append(b, sizeof(T));
}

template <class T> bool get(const std::string& in, std::size_t& at, T& v) {
  if (in.size() - at < sizeof(T)) return false;
  std::memcpy(&v, in.data() + at, sizeof(T));
  at += sizeof(T);
  return true;
}

std::string header(const std::string& id, std::uint64_t runs_total) {
  std::string h(header_magic, sizeof header_magic);
  std::string padded = id;
  padded.resize(16, ' ');
  h += padded;
  put<std::uint64_t>(h, runs_total);
  put<std::uint32_t>(h, static_cast<std::uint32_t>(models::kpi_count));
  return h;
}

std::string read_all(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw OutputError(path + ": cannot open the journal: " + std::strerror(errno));
  std::string data;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
    data.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw OutputError(path + ": cannot read the journal");
  return data;
}

/// Parses `data`; returns the records and sets `valid` to the bytes they span.
std::vector<RunRecord> parse(const std::string& path, const std::string& data,
                             const std::string& id, std::uint64_t runs_total, std::size_t& valid) {
  const std::string want = header(id, runs_total);
  if (data.size() < header_size || std::memcmp(data.data(), header_magic, 8) != 0)
    throw OutputError(path + ": not an itsim sweep journal");
  if (data.compare(8, 16, want, 8, 16) != 0)
    throw OutputError(path + ": journal of another sweep (id " + data.substr(8, 16) +
                      ", this sweep is " + id + "); remove it or use another output name");
  if (data.compare(0, header_size, want) != 0)
    throw OutputError(path + ": journal of the same sweep with another run count or KPI set; "
                             "remove it");
  std::vector<RunRecord> out;
  std::size_t at = header_size;
  valid = at;
  for (;;) {
    const std::size_t start = at;
    if (data.size() - at < 4 || std::memcmp(data.data() + at, record_magic, 4) != 0) break;
    at += 4;
    RunRecord r;
    std::uint32_t len = 0;
    if (!get(data, at, r.index) || !get(data, at, r.status) || !get(data, at, len)) break;
    if (len > max_message || data.size() - at < len) break;
    r.message.assign(data, at, len);
    at += len;
    bool ok = true;
    for (double& v : r.kpi)
      ok = ok && get(data, at, v);
    std::uint64_t sum = 0;
    if (!ok || !get(data, at, sum)) break;
    if (sum != fnv1a(data.data() + start, at - 8 - start) || r.index >= runs_total) break;
    out.push_back(std::move(r));
    valid = at;
  }
  return out;
}

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

} // namespace

JournalWriter::JournalWriter(std::string path, const std::string& id, std::uint64_t runs_total)
    : path_(std::move(path)) {
  std::error_code ec;
  const bool exists = fs::exists(path_, ec) && fs::file_size(path_, ec) > 0;
  if (exists) {
    std::size_t valid = 0;
    (void)parse(path_, read_all(path_), id, runs_total, valid);
    fs::resize_file(path_, valid, ec); // drop a torn tail before appending
    if (ec) throw OutputError(path_ + ": cannot repair the journal: " + ec.message());
  }
  file_ = std::fopen(path_.c_str(), exists ? "ab" : "wb");
  if (file_ == nullptr)
    throw analysis::OutputCreateError(path_ +
                                      ": cannot create the journal: " + std::strerror(errno));
  if (!exists) {
    const std::string h = header(id, runs_total);
    if (std::fwrite(h.data(), 1, h.size(), file_) != h.size() || std::fflush(file_) != 0)
      throw OutputError(path_ + ": cannot write the journal: " + std::strerror(errno));
  }
  last_sync_ = now_s();
}

JournalWriter::~JournalWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

void JournalWriter::append(const RunRecord& r) {
  std::string rec(record_magic, 4);
  put<std::uint64_t>(rec, r.index);
  put<std::uint8_t>(rec, r.status);
  const std::string msg = r.message.substr(0, max_message);
  put<std::uint32_t>(rec, static_cast<std::uint32_t>(msg.size()));
  rec += msg;
  for (const double v : r.kpi)
    put<double>(rec, v);
  put<std::uint64_t>(rec, fnv1a(rec.data(), rec.size()));
  if (std::fwrite(rec.data(), 1, rec.size(), file_) != rec.size() || std::fflush(file_) != 0)
    throw OutputError(path_ + ": cannot write the journal: " + std::strerror(errno));
  if (now_s() - last_sync_ > 2.0) {
    (void)fdatasync(fileno(file_));
    last_sync_ = now_s();
  }
}

void JournalWriter::close() {
  if (file_ == nullptr) return;
  const bool ok = std::fflush(file_) == 0 && fdatasync(fileno(file_)) == 0;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!ok || !closed) throw OutputError(path_ + ": cannot write the journal");
}

std::vector<RunRecord> read_journal(const std::string& path, const std::string& id,
                                    std::uint64_t runs_total, std::uint64_t* ignored_bytes) {
  const std::string data = read_all(path);
  std::size_t valid = 0;
  std::vector<RunRecord> out = parse(path, data, id, runs_total, valid);
  if (ignored_bytes != nullptr) *ignored_bytes = data.size() - valid;
  return out;
}

std::vector<std::string> find_journals(const std::string& output) {
  const fs::path out(output);
  const fs::path dir = out.parent_path().empty() ? fs::path(".") : out.parent_path();
  const std::string prefix = out.filename().string() + ".journal";
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name == prefix || name.rfind(prefix + ".", 0) == 0)
      found.push_back((out.parent_path() / name).string());
  }
  std::sort(found.begin(), found.end());
  return found;
}

} // namespace itsim::experiments
