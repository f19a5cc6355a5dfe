// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "itsim/models/org_model.hpp"

namespace itsim::experiments {

/// What one run of a sweep produced.
struct RunRecord {
  std::uint64_t index = 0;                     ///< the run's index in the sweep's run list
  std::uint8_t status = 0;                     ///< analysis::run_status_ok or run_status_failed
  std::string message;                         ///< why it failed; "" when ok
  std::array<double, models::kpi_count> kpi{}; ///< NaN when failed
};

/// The journal of a sweep in progress: an append-only file of finished runs, so that a
/// sweep killed at any moment (Ctrl-C, a batch system's time limit, a crash, a dead MPI
/// rank) loses at most the run being written, and `--resume` runs only what is missing.
///
/// Why not update the HDF5 output in place: HDF5 1.10 gives no crash consistency for a
/// file being modified (a kill during a metadata flush can corrupt the whole file), while
/// a record appended to a journal is either complete, with a matching checksum, or
/// ignored. The results file is written once, at the end, from the journal.
///
/// Layout (little-endian): a header "ITSIMJ01", the sweep id (16 bytes), the run count
/// (u64) and the KPI count (u32); then records: "RUN1", index (u64), status (u8),
/// message length (u32) and bytes, the KPIs (f64 each), and an FNV-1a hash (u64) of the
/// record's bytes before it.
class JournalWriter {
public:
  /// Opens `path` to append records, creating it with a header when it does not exist or
  /// is empty. An existing journal must belong to sweep `id` with `runs_total` runs
  /// (throws OutputError otherwise); a torn last record is cut off first.
  JournalWriter(std::string path, const std::string& id, std::uint64_t runs_total);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  /// Appends `r` and hands it to the operating system (a killed process loses nothing
  /// appended); every `sync_interval_s` seconds also asks the disk to keep it (fdatasync).
  void append(const RunRecord& r);
  /// Flushes and syncs; then closes.
  void close();
  const std::string& path() const { return path_; }

private:
  std::string path_;
  std::FILE* file_ = nullptr;
  double last_sync_ = 0;
};

/// The complete records of the journal at `path` (all of them, in file order; a torn or
/// corrupt tail is ignored and its size returned in `ignored_bytes` when given). Throws
/// OutputError naming the file when it is not a journal, or belongs to another sweep
/// (`id`) or run count.
std::vector<RunRecord> read_journal(const std::string& path, const std::string& id,
                                    std::uint64_t runs_total,
                                    std::uint64_t* ignored_bytes = nullptr);

/// Where each run of a range lies in a sweep's journals, so that the final assembly reads
/// the records in run order one at a time instead of holding them all: 12 bytes a run of
/// the range, whatever the KPI count or message length. Built by one streamed pass over
/// the journals (a torn or corrupt tail is ignored, as read_journal does); a run in
/// several journals (a resumed sweep) is taken from the last one listed.
class JournalIndex {
public:
  /// Indexes the records of runs [first, last) in `journals`. Throws OutputError as
  /// read_journal does.
  JournalIndex(std::vector<std::string> journals, const std::string& id, std::uint64_t runs_total,
               std::uint64_t first, std::uint64_t last);
  ~JournalIndex();
  JournalIndex(const JournalIndex&) = delete;
  JournalIndex& operator=(const JournalIndex&) = delete;

  /// The first run of the range that no journal holds, or nullopt when every run is there.
  std::optional<std::uint64_t> first_missing() const;
  /// The longest failure message among the indexed records, in bytes.
  std::size_t longest_message() const { return longest_message_; }
  /// The record of run `index` (in the range and present); reads it from its journal.
  /// Throws OutputError when the journal cannot be read back.
  RunRecord read(std::uint64_t index) const;

private:
  std::vector<std::string> journals_;
  std::vector<std::FILE*> files_;
  std::uint64_t first_ = 0;
  std::vector<std::uint64_t> offset_; // per run of the range: byte offset of its record
  std::vector<std::uint32_t> file_;   // per run of the range: journal, or UINT32_MAX when none
  std::size_t longest_message_ = 0;
};

/// The journals of output `output` in its directory: OUTPUT.journal and
/// OUTPUT.journal.* (one per MPI rank), sorted by name.
std::vector<std::string> find_journals(const std::string& output);

} // namespace itsim::experiments
