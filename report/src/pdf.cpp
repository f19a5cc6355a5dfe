// SPDX-License-Identifier: Apache-2.0
#include "itsim/report/pdf.hpp"

#include "atomic_output.hpp"
#include "itsim/analysis/results.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace itsim::report {
namespace {

namespace fs = std::filesystem;

bool executable(const fs::path& p) {
  return !p.empty() && fs::is_regular_file(p) && ::access(p.c_str(), X_OK) == 0;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

} // namespace

std::string find_chromium() {
  if (const char* env = std::getenv("ITSIM_CHROMIUM"); env != nullptr && *env != '\0')
    return executable(env) ? std::string(env) : std::string();
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::vector<std::string> dir_list;
  for (std::string d; std::getline(dirs, d, ':');)
    dir_list.push_back(d.empty() ? "." : d);
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"})
    for (const auto& d : dir_list)
      if (executable(fs::path(d) / name)) return (fs::path(d) / name).string();
  return {};
}

void print_pdf(const std::string& html_path, const std::string& pdf_path, bool force) {
  const std::string chromium = find_chromium();
  if (chromium.empty())
    throw BrowserUnavailableError(
        pdf_path + ": cannot print a PDF: no headless Chromium found (install Debian's "
                   "`chromium`, or set ITSIM_CHROMIUM to a Chromium or Chrome binary); the "
                   "HTML report does not need it");
  analysis::detail::check_target(pdf_path, force);
  // A temporary file beside the target (created empty, removed unless published), which
  // Chromium overwrites; and a fresh profile, so that no state or network call leaks in.
  analysis::detail::TempFile temp(pdf_path);
  std::error_code ec;
  const fs::path profile =
      fs::temp_directory_path() / ("itsim-chromium-" + std::to_string(::getpid()));
  fs::remove_all(profile, ec);
  fs::create_directories(profile, ec);
  const fs::path log = profile / "chromium.log";
  const std::string url = "file://" + fs::absolute(html_path).string();
  const std::string command =
      shell_quote(chromium) +
      " --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
      " --disable-component-update --disable-sync --disable-extensions --mute-audio"
      " --no-pdf-header-footer --run-all-compositor-stages-before-draw"
      " --virtual-time-budget=20000 --user-data-dir=" +
      shell_quote(profile.string()) + " --print-to-pdf=" + shell_quote(temp.path()) + " " +
      shell_quote(url) + " >" + shell_quote(log.string()) + " 2>&1";
  const int status = std::system(command.c_str());
  const bool ok = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
                  fs::file_size(temp.path(), ec) > 0 && !ec;
  if (!ok) {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    fs::remove_all(profile, ec);
    std::string tail = text.str();
    if (tail.size() > 2000) tail = tail.substr(tail.size() - 2000);
    throw analysis::OutputWriteError(pdf_path + ": Chromium (" + chromium +
                                     ") failed to print the report: " + tail);
  }
  fs::remove_all(profile, ec);
  analysis::detail::publish(temp.path(), pdf_path, force);
  temp.release();
}

} // namespace itsim::report
