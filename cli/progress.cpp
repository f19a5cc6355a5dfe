// SPDX-License-Identifier: Apache-2.0
#include "progress.hpp"

#include <algorithm>
#include <boost/program_options/errors.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h> // isatty

namespace itsim::cli {

Progress progress_mode(const std::string& text) {
  if (text == "bar") return Progress::bar;
  if (text == "lines") return Progress::lines;
  if (text == "none") return Progress::none;
  if (text == "auto") return isatty(STDERR_FILENO) != 0 ? Progress::bar : Progress::lines;
  throw boost::program_options::error("--progress must be auto, bar, lines or none, got '" + text +
                                      "'");
}

double progress_interval_s(Progress mode) {
  return mode == Progress::bar ? 0.2 : 5.0;
}

namespace {

std::string duration_text(double s) {
  char buf[32];
  if (!std::isfinite(s)) return "?";
  const auto t = static_cast<long>(std::lround(s));
  if (t >= 3600) {
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, t / 60 % 60);
  } else if (t >= 60) {
    std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lds", t);
  }
  return buf;
}

} // namespace

void print_progress(Progress mode, const char* command, std::size_t done, std::size_t total,
                    std::size_t failed, double elapsed_s) {
  if (mode == Progress::none) return;
  const double rate = elapsed_s > 0 ? double(done) / elapsed_s : 0.0;
  std::string tail;
  char buf[96];
  if (rate > 0) {
    std::snprintf(buf, sizeof buf, ", %.3g runs/s", rate);
    tail += buf;
    if (done < total) tail += ", ETA " + duration_text(double(total - done) / rate);
  }
  if (failed > 0) tail += ", " + std::to_string(failed) + " failed";
  if (mode == Progress::bar) {
    const int width = 30;
    const int filled = total > 0 ? static_cast<int>(width * done / total) : width;
    std::fprintf(stderr, "\r[%.*s%*s] %zu/%zu runs%s\033[K", filled,
                 "##############################", width - filled, "", done, total, tail.c_str());
    if (done == total) std::fprintf(stderr, "\n");
  } else {
    std::fprintf(stderr, "itsim %s: %zu/%zu runs done%s\n", command, done, total, tail.c_str());
  }
  std::fflush(stderr);
}

std::string format_value(double v) {
  char buf[32];
  const double a = std::fabs(v);
  if (!std::isfinite(v)) return "-";
  if (a >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  } else if (a >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  } else if (a >= 100) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.3g", v);
  }
  return buf;
}

std::string format_significant(double v, int digits, bool sign) {
  if (!std::isfinite(v)) return "n/a";
  digits = std::max(1, digits);
  char buf[48];
  // Round to the significant digits first, so that 999.96 becomes 1.00k, not 1000.
  std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
  const double r = std::strtod(buf, nullptr);
  const double a = std::fabs(r);
  const std::string plus = sign && !std::signbit(r) ? "+" : "";
  if (a == 0) return plus + "0";
  if (a < 1e-4) {
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, r);
    return plus + buf;
  }
  static constexpr const char* suffixes[] = {"", "k", "M", "G"};
  int group = 0;
  double scaled = r;
  while (group < 3 && std::fabs(scaled) >= 1000) {
    scaled /= 1000;
    ++group;
  }
  // Digits after the point: significant digits less those before it.
  const int before = static_cast<int>(std::floor(std::log10(std::fabs(scaled)))) + 1;
  const int decimals = std::max(0, digits - before);
  std::snprintf(buf, sizeof buf, "%.*f%s", decimals, scaled, suffixes[group]);
  return plus + buf;
}

} // namespace itsim::cli
