// SPDX-License-Identifier: Apache-2.0
// PRIVATE header of itsim_analysis: writing an output file so that a failed or interrupted
// command leaves nothing under the output's name (CONTRACT.md): a temporary file beside the
// target, flushed to disk, then moved over it in one step. Errors map to the exit codes:
// OutputCreateError / OutputExistsError (73), OutputWriteError (74).
#pragma once

#include <span>
#include <string>

namespace itsim::analysis::detail {

/// Refuses a target that is a directory, or that exists without `force`.
void check_target(const std::string& path, bool force);

/// A fresh candidate for a temporary name beside `target` (whose file name is `base` in
/// directory `dir`): "DIR/.BASE.tmp-PID-N", N differing between calls. The caller creates it
/// exclusively (open O_EXCL, mkdir) and asks again when the name is taken.
std::string temporary_name(const std::string& dir, const std::string& base);

/// The temporary file ".NAME.tmp-PID-N" beside the target, created empty (honouring the
/// umask, unlike mkstemp's 0600); closed and removed on destruction unless released.
class TempFile {
public:
  explicit TempFile(const std::string& target);
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile();

  const std::string& path() const { return path_; }

  /// Writes all of `bytes`, flushes them to stable storage (so that the rename never
  /// exposes a file whose data are still in flight) and closes the file.
  void write_and_close(std::span<const char> bytes);

  /// Keeps the file: it has been published under the target's name.
  void release() { path_.clear(); }

private:
  [[noreturn]] void fail(const char* what, int e) const;

  std::string target_;
  std::string path_;
  int fd_ = -1;
};

/// Moves the complete temporary file to the target: over it with `force`, otherwise only
/// if the target still does not exist (link() fails on an existing name, atomically).
void publish(const std::string& temp, const std::string& path, bool force);

} // namespace itsim::analysis::detail
