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

namespace {

constexpr std::size_t record_head = 4 + 8 + 1 + 4; // magic, index, status, message length
constexpr std::size_t record_tail = models::kpi_count * 8 + 8; // KPIs, hash

// Parses the record whose bytes are `head` (record_head of them) then `rest` (the message,
// KPIs and hash); false when they are not a whole, intact record of a run below `runs_total`.
bool parse_record(const char* head, const std::string& rest, std::uint64_t runs_total,
                  RunRecord& r) {
  if (std::memcmp(head, record_magic, 4) != 0) return false;
  std::uint32_t len = 0;
  std::memcpy(&r.index, head + 4, 8);
  std::memcpy(&r.status, head + 12, 1);
  std::memcpy(&len, head + 13, 4);
  if (rest.size() != len + record_tail) return false;
  std::uint64_t h = fnv1a(head, record_head);
  for (std::size_t i = 0; i + 8 < rest.size(); ++i) { // fnv1a over the bytes before the hash
    h ^= static_cast<unsigned char>(rest[i]);
    h *= 1099511628211ULL;
  }
  std::uint64_t sum = 0;
  std::memcpy(&sum, rest.data() + rest.size() - 8, 8);
  if (sum != h || r.index >= runs_total) return false;
  r.message.assign(rest, 0, len);
  for (std::size_t k = 0; k < models::kpi_count; ++k)
    std::memcpy(&r.kpi[k], rest.data() + len + 8 * k, 8);
  return true;
}

// The message length a record head announces, or max_message + 1 for a bad head.
std::uint32_t message_length(const char* head) {
  std::uint32_t len = 0;
  std::memcpy(&len, head + 13, 4);
  return std::memcmp(head, record_magic, 4) == 0 ? len : max_message + 1;
}

} // namespace

JournalIndex::JournalIndex(std::vector<std::string> journals, const std::string& id,
                           std::uint64_t runs_total, std::uint64_t first, std::uint64_t last)
    : journals_(std::move(journals)), first_(first), offset_(last - first, 0),
      file_(last - first, UINT32_MAX) {
  std::string rest;
  for (std::size_t j = 0; j < journals_.size(); ++j) {
    const std::string& path = journals_[j];
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr)
      throw OutputError(path + ": cannot open the journal: " + std::strerror(errno));
    files_.push_back(f);
    std::string head(header_size, '\0');
    head.resize(std::fread(head.data(), 1, header_size, f));
    std::size_t valid = 0;
    (void)parse(path, head, id, runs_total, valid); // checks the header
    std::uint64_t at = header_size;
    char rh[record_head];
    RunRecord r;
    for (;;) {
      if (std::fread(rh, 1, record_head, f) != record_head) break;
      const std::uint32_t len = message_length(rh);
      if (len > max_message) break;
      rest.resize(len + record_tail);
      if (std::fread(rest.data(), 1, rest.size(), f) != rest.size()) break;
      if (!parse_record(rh, rest, runs_total, r)) break;
      if (r.index >= first && r.index < last) {
        offset_[r.index - first] = at;
        file_[r.index - first] = static_cast<std::uint32_t>(j);
        longest_message_ = std::max<std::size_t>(longest_message_, len);
      }
      at += record_head + rest.size();
    }
    if (std::ferror(f) != 0) throw OutputError(path + ": cannot read the journal");
  }
}

JournalIndex::~JournalIndex() {
  for (std::FILE* f : files_)
    std::fclose(f);
}

std::optional<std::uint64_t> JournalIndex::first_missing() const {
  const auto it = std::find(file_.begin(), file_.end(), UINT32_MAX);
  if (it == file_.end()) return std::nullopt;
  return first_ + static_cast<std::uint64_t>(it - file_.begin());
}

RunRecord JournalIndex::read(std::uint64_t index) const {
  const std::uint32_t j = file_.at(index - first_);
  if (j == UINT32_MAX) throw OutputError("run " + std::to_string(index) + " is in no journal");
  const int fd = fileno(files_[j]);
  const auto at = static_cast<off_t>(offset_[index - first_]);
  char rh[record_head];
  RunRecord r;
  std::string rest;
  bool ok = ::pread(fd, rh, record_head, at) == static_cast<ssize_t>(record_head);
  if (ok) {
    rest.resize(message_length(rh) <= max_message ? message_length(rh) + record_tail : 0);
    ok = !rest.empty() &&
         ::pread(fd, rest.data(), rest.size(), at + static_cast<off_t>(record_head)) ==
             static_cast<ssize_t>(rest.size()) &&
         parse_record(rh, rest, UINT64_MAX, r) && r.index == index;
  }
  if (!ok) throw OutputError(journals_[j] + ": cannot read back run " + std::to_string(index));
  return r;
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
