// SPDX-License-Identifier: Apache-2.0
#include "atomic_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

#include "itsim/analysis/results.hpp"

namespace itsim::analysis::detail {

namespace {

std::string errno_text(int e) {
  return std::strerror(e);
}

// Errors of creating or renaming a file that mean "cannot create the output" (exit 73)
// rather than an I/O error (exit 74).
bool is_create_errno(int e) {
  return e == EACCES || e == EPERM || e == EROFS || e == ENOENT || e == ENOTDIR || e == EISDIR ||
         e == ENAMETOOLONG || e == ELOOP;
}

[[noreturn]] void throw_errno(const std::string& message, int e) {
  const std::string text = message + ": " + errno_text(e);
  if (is_create_errno(e)) throw OutputCreateError(text);
  throw OutputWriteError(text);
}

} // namespace

void check_target(const std::string& path, bool force) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw OutputCreateError(path + ": is a directory");
    if (!force) throw OutputExistsError(path + ": exists; use --force to overwrite");
  } else if (errno != ENOENT) {
    throw_errno(path + ": cannot create the output", errno);
  }
}

std::string temporary_name(const std::string& dir, const std::string& base) {
  static std::atomic<std::uint64_t> counter{0};
  const auto nanos =
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  const std::uint64_t unique = (counter.fetch_add(1) * 0x9E3779B97F4A7C15ull) ^ nanos;
  char suffix[9];
  std::snprintf(suffix, sizeof suffix, "%08llx",
                static_cast<unsigned long long>(unique & 0xFFFFFFFFull));
  return dir + "/." + base + ".tmp-" + std::to_string(::getpid()) + "-" + suffix;
}

TempFile::TempFile(const std::string& target) : target_(target) {
  const std::filesystem::path t(target);
  const std::string base = t.filename().string();
  if (base.empty()) throw OutputCreateError(target + ": is a directory");
  const std::string dir = t.parent_path().empty() ? "." : t.parent_path().string();
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::string name = temporary_name(dir, base);
    fd_ = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ >= 0) {
      path_ = name;
      return;
    }
    if (errno != EEXIST) throw_errno(target + ": cannot create the output in " + dir, errno);
  }
  throw OutputCreateError(target + ": cannot create a unique temporary file in " + dir);
}
TempFile::~TempFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!path_.empty()) ::unlink(path_.c_str());
}

void TempFile::write_and_close(std::span<const char> bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("writing", n < 0 ? errno : EIO);
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  if (::fsync(fd_) != 0) fail("flushing to disk", errno);
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) fail("closing", errno);
}

void TempFile::fail(const char* what, int e) const {
  throw OutputWriteError(target_ + ": " + what + ": " + errno_text(e));
}

void publish(const std::string& temp, const std::string& path, bool force) {
  if (!force) {
    if (::link(temp.c_str(), path.c_str()) == 0) {
      ::unlink(temp.c_str());
      return;
    }
    const int e = errno;
    if (e == EEXIST) throw OutputExistsError(path + ": exists; use --force to overwrite");
    // File systems without hard links: check, then rename (a race is possible but rare).
    if (e != EPERM && e != EOPNOTSUPP && e != EXDEV && e != EMLINK && e != ENOSYS) {
      throw_errno(path + ": cannot create the output", e);
    }
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
      throw OutputExistsError(path + ": exists; use --force to overwrite");
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    throw_errno(path + ": cannot create the output", errno);
  }
}

} // namespace itsim::analysis::detail
